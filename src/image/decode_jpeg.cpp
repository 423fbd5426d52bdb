// JPEG through the libjpeg API of libjpeg-turbo, configured as Pillow configures it
// (islow DCT, fancy upsampling, libjpeg's own YCbCr->RGB), so pixels equal Pillow's.
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include "image/decoders.hpp"

namespace acg2vec::detail {
namespace {

struct ErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

// libjpeg calls this on fatal errors; control returns to the setjmp in read_jpeg.
void on_fatal_error(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    cinfo->err->format_message(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

// Progressive files may hold any number of scans, each one a pass over every coefficient;
// libjpeg-turbo's own tools stop at 500 (djpeg -maxscans) to bound the work per file.
constexpr int kMaxScans = 500;
constexpr int kTooManyScans = -1;  // our msg_code for that

void on_progress(j_common_ptr cinfo) {
    auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (d->input_scan_number > kMaxScans) {
        auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
        std::snprintf(err->message, sizeof err->message, "more than %d progressive scans", kMaxScans);
        cinfo->err->msg_code = kTooManyScans;
        std::longjmp(err->jump, 1);
    }
}

// Warnings are ignored, as Pillow does, except a premature end of data: Pillow refuses
// truncated files ("image file is truncated") rather than padding them with gray.
void on_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) on_fatal_error(cinfo);
}

// CMYK JPEGs are stored inverted (Adobe convention, which Pillow assumes for all of them);
// the conversion is Pillow's: R = (255 - K) - C' * (255 - K) / 255 rounded, C' = 255 - stored C.
std::uint8_t cmyk_channel_to_rgb(std::uint8_t stored_ink, std::uint8_t stored_black) {
    int ink = 255 - stored_ink;
    int not_black = stored_black;  // 255 - K, with K = 255 - stored
    int t = ink * not_black + 128;
    int scaled = ((t >> 8) + t) >> 8;  // round(ink * not_black / 255)
    int v = not_black - scaled;
    return static_cast<std::uint8_t>(v < 0 ? 0 : v);
}

void cmyk_row_to_rgb(const std::uint8_t* cmyk, std::uint8_t* rgb, int width) {
    for (int x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
        for (int c = 0; c < 3; ++c) rgb[c] = cmyk_channel_to_rgb(cmyk[c], cmyk[3]);
    }
}

struct JpegResult {
    Image image;
    std::vector<std::uint8_t> cmyk_row;
    std::vector<std::uint8_t> exif;
    ErrorManager errors;
    jpeg_progress_mgr progress;
};

// The first APP1 segment that holds EXIF (an XMP APP1 may come before it).
const jpeg_marker_struct* find_exif(const jpeg_decompress_struct& cinfo) {
    for (jpeg_saved_marker_ptr m = cinfo.marker_list; m != nullptr; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && std::memcmp(m->data, "Exif\0\0", 6) == 0) return m;
    }
    return nullptr;
}

// jpeg_destroy_decompress on every way out, including exceptions such as std::bad_alloc.
struct DecompressGuard {
    jpeg_decompress_struct& cinfo;
    ~DecompressGuard() { jpeg_destroy_decompress(&cinfo); }
};

// Returns false with result.errors.message set when libjpeg reported a fatal error.
// No C++ object with a destructor lives in the frames libjpeg longjmps across.
bool read_jpeg(const DecodeInput& input, JpegResult& result, jpeg_decompress_struct& cinfo, bool& size_rejected) {
    cinfo.err = jpeg_std_error(&result.errors.base);
    result.errors.base.error_exit = on_fatal_error;
    result.errors.base.emit_message = on_message;
    if (setjmp(result.errors.jump)) return false;

    jpeg_create_decompress(&cinfo);
    result.progress.progress_monitor = on_progress;
    cinfo.progress = &result.progress;
    jpeg_mem_src(&cinfo, input.data, static_cast<unsigned long>(input.size));
    if (input.options.apply_exif_orientation) jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);

    std::uint64_t w = cinfo.image_width, h = cinfo.image_height;
    if (w == 0 || h == 0 || w * h > input.options.max_pixels || w > 0x1FFFFFFF || h > 0x1FFFFFFF) {
        size_rejected = true;
        return false;
    }
    bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) {
        cinfo.out_color_space = JCS_CMYK;
    } else if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else {
        cinfo.out_color_space = JCS_RGB;
    }
    cinfo.dct_method = input.idct == JpegIdct::fast ? JDCT_IFAST : JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    if (input.options.jpeg_min_side > 0) {
        const std::uint64_t min_side = std::uint64_t(input.options.jpeg_min_side);
        for (unsigned denom : {8u, 4u, 2u}) {
            if ((w + denom - 1) / denom >= min_side && (h + denom - 1) / denom >= min_side) {
                cinfo.scale_num = 1;
                cinfo.scale_denom = denom;
                break;
            }
        }
    }
    jpeg_start_decompress(&cinfo);

    Image& image = result.image;
    image.width = static_cast<int>(cinfo.output_width);
    image.height = static_cast<int>(cinfo.output_height);
    image.channels = cmyk ? 3 : cinfo.output_components;
    image.source_format = ImageFormat::jpeg;
    image.pixels.resize(image.row_bytes() * std::size_t(image.height));
    if (cmyk) result.cmyk_row.resize(std::size_t(image.width) * 4);

    while (cinfo.output_scanline < cinfo.output_height) {
        std::uint8_t* row = image.pixels.data() + image.row_bytes() * cinfo.output_scanline;
        JSAMPROW target = cmyk ? result.cmyk_row.data() : row;
        jpeg_read_scanlines(&cinfo, &target, 1);
        if (cmyk) cmyk_row_to_rgb(result.cmyk_row.data(), row, image.width);
    }
    if (const jpeg_marker_struct* exif = find_exif(cinfo))
        result.exif.assign(exif->data, exif->data + exif->data_length);
    jpeg_finish_decompress(&cinfo);
    return true;
}

}  // namespace

Image decode_jpeg(const DecodeInput& input) {
    JpegResult result{};
    jpeg_decompress_struct cinfo{};
    DecompressGuard guard{cinfo};
    bool size_rejected = false;
    const bool ok = read_jpeg(input, result, cinfo, size_rejected);
    const int msg_code = result.errors.base.msg_code;
    const std::uint64_t w = cinfo.image_width, h = cinfo.image_height;

    if (size_rejected) check_declared_size(w, h, input);
    if (!ok) {
        std::string why = std::string("JPEG: ") + result.errors.message;
        if (msg_code == JERR_BAD_PRECISION || msg_code == JERR_CONVERSION_NOTIMPL || msg_code == JERR_NOT_COMPILED ||
            msg_code == JERR_SOF_UNSUPPORTED) {
            fail_decode(ErrorCode::unsupported_format, input, why);
        }
        if (msg_code == JWRN_JPEG_EOF) why = "JPEG: image file is truncated";
        fail_decode(ErrorCode::invalid_image, input, why);
    }
    if (input.options.apply_exif_orientation && !result.exif.empty()) {
        apply_exif_orientation(result.image, exif_orientation(result.exif.data(), result.exif.size()));
    }
    return std::move(result.image);
}

}  // namespace acg2vec::detail
