// PNG pixels. libdeflate inflates the IDAT stream once, straight into the filtered scanlines;
// the rows are unfiltered in place and expanded to 8-bit samples. (stb_image did this before,
// with its own inflate, after we had inflated once more with zlib to check the stream: see
// docs/performance.md for the cost of each.)
// The pixels are stb_image's and Pillow's: 16-bit samples keep their high byte, 1/2/4-bit
// gray scales to 0..255, a palette image becomes RGB (RGBA when it has tRNS), and tRNS on
// gray or RGB adds an alpha channel that is 0 exactly where a pixel equals the key colour.
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "image/png.hpp"

namespace acg2vec::detail {
namespace {

int samples_per_pixel(int color_type) {
    switch (color_type) {
        case 2: return 3;
        case 4: return 2;
        case 6: return 4;
        default: return 1;  // gray, palette index
    }
}

// One interlace pass, or the whole image when not interlaced: which pixels its rows hold
// and where those rows start in the inflated data.
struct Pass {
    std::uint32_t x0 = 0, y0 = 0, dx = 1, dy = 1;  // first pixel and step
    std::uint32_t width = 0, height = 0;
    std::size_t row_bytes = 0;  // without the filter byte
    std::size_t offset = 0;
};

std::vector<Pass> passes_of(const PngHeader& header) {
    static const std::uint32_t adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                              {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    const std::size_t bits_per_pixel = std::size_t(samples_per_pixel(header.color_type)) * header.bit_depth;
    std::vector<Pass> passes;
    std::size_t offset = 0;
    for (int p = 0; p < (header.interlaced ? 7 : 1); ++p) {
        Pass pass;
        if (header.interlaced) {
            pass.x0 = adam7[p][0];
            pass.y0 = adam7[p][1];
            pass.dx = adam7[p][2];
            pass.dy = adam7[p][3];
        }
        if (header.width <= pass.x0 || header.height <= pass.y0) continue;  // an empty pass has no rows
        pass.width = (header.width - pass.x0 + pass.dx - 1) / pass.dx;
        pass.height = (header.height - pass.y0 + pass.dy - 1) / pass.dy;
        pass.row_bytes = (pass.width * bits_per_pixel + 7) / 8;
        pass.offset = offset;
        offset += pass.height * (pass.row_bytes + 1);
        passes.push_back(pass);
    }
    return passes;
}

std::size_t filtered_size(const std::vector<Pass>& passes) {
    const Pass& last = passes.back();
    return last.offset + last.height * (last.row_bytes + 1);
}

// Inflates the IDAT stream into out[0, size) with zlib, streaming. The stream must end (zlib
// then checks its Adler-32) and give at least `size` bytes. More is tolerated, as stb_image and
// Pillow do (files with trailing zero rows exist), and inflated into scratch space to reach the
// end, up to kMaxExcess: beyond that a small file could make us inflate gigabytes of zeros.
// Bytes after the stream's end in its last chunk are ignored; a later IDAT chunk is damage.
// This is the reference for what we accept and the source of precise error messages;
// inflate_image_data tries the faster libdeflate first.
constexpr std::size_t kMaxExcess = std::size_t(1) << 20;

void inflate_with_zlib(const PngChunks& png, std::uint8_t* out, std::size_t size, const DecodeInput& input) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) throw Error(ErrorCode::internal, "zlib: inflateInit failed");
    struct EndStream {
        z_stream& z;
        ~EndStream() { inflateEnd(&z); }
    } end_stream{z};
    auto broken = [&](const std::string& why) {
        fail_decode(ErrorCode::invalid_image, input, "PNG: broken image data (" + why + ")");
    };
    std::array<Bytef, 16384> scratch;
    std::size_t produced = 0, excess = 0;
    bool finished = false;
    for (const ByteSpan& chunk : png.image_data) {
        if (finished) {
            if (chunk.size > 0) broken("data after the end of the zlib stream");
            continue;
        }
        const std::uint8_t* next = chunk.data;
        std::size_t left = chunk.size;
        while (!finished && (z.avail_in > 0 || left > 0)) {
            if (z.avail_in == 0) {
                const std::size_t step = std::min<std::size_t>(left, UINT_MAX);
                z.next_in = const_cast<Bytef*>(next);
                z.avail_in = uInt(step);
                next += step;
                left -= step;
            }
            const bool to_image = produced < size;
            const std::size_t room = to_image ? std::min<std::size_t>(size - produced, UINT_MAX) : scratch.size();
            z.next_out = to_image ? out + produced : scratch.data();
            z.avail_out = uInt(room);
            const int status = inflate(&z, Z_NO_FLUSH);
            if (to_image)
                produced += room - z.avail_out;
            else
                excess += room - z.avail_out;
            if (excess > std::max(size, kMaxExcess)) {
                fail_decode(
                    ErrorCode::invalid_image, input,
                    "PNG: image data goes on far past the image (over " + std::to_string(excess) + " extra bytes)");
            }
            if (status == Z_STREAM_END) {
                finished = true;
            } else if (status == Z_MEM_ERROR) {
                throw std::bad_alloc();
            } else if (status == Z_NEED_DICT) {
                broken("zlib stream asks for a preset dictionary");
            } else if (status != Z_OK && !(status == Z_BUF_ERROR && z.avail_in == 0)) {
                broken(z.msg ? z.msg : "corrupt zlib stream");
            }
        }
    }
    if (!finished) fail_decode(ErrorCode::invalid_image, input, "PNG: image data ends before its zlib stream does");
    if (produced < size) {
        fail_decode(
            ErrorCode::invalid_image, input,
            "PNG: image data too short (" + std::to_string(produced) + " of " + std::to_string(size) + " bytes)");
    }
}

struct DeflateFree {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// libdeflate inflates several times faster than zlib but only a whole stream into a buffer of
// known size, which a valid PNG gives. It decides only success, with inflate_with_zlib's rules
// on the stream's extent: complete with a good Adler-32, exactly `size` bytes, nothing in IDAT
// chunks after the stream's last byte. Anything else (damage, or a stream longer than the
// image, which libdeflate cannot drop as it goes) is left to zlib, to refuse with the precise
// reason or to accept. libdeflate is more lenient than zlib about malformed Huffman headers
// (more than 286 length or 30 distance codes, the two unused fixed codes) and ignores the
// window size a zlib header declares; a stream that only such a reading makes valid, Adler-32
// included, is accepted here where Pillow would refuse it. Real encoders do not write them.
void inflate_image_data(const PngChunks& png, std::uint8_t* out, std::size_t size, const DecodeInput& input) {
    std::vector<std::uint8_t> joined;
    ByteSpan stream = png.image_data[0];
    if (png.image_data.size() > 1) {
        for (const ByteSpan& chunk : png.image_data) joined.insert(joined.end(), chunk.data, chunk.data + chunk.size);
        stream = {joined.data(), joined.size()};
    }
    std::unique_ptr<libdeflate_decompressor, DeflateFree> decompressor(libdeflate_alloc_decompressor());
    if (!decompressor) throw std::bad_alloc();
    std::size_t used = 0, produced = 0;
    const libdeflate_result result =
        libdeflate_zlib_decompress_ex(decompressor.get(), stream.data, stream.size, out, size, &used, &produced);
    if (result == LIBDEFLATE_SUCCESS && produced == size) {
        // Bytes left over must all sit in the chunk where the stream ends.
        std::size_t chunk_end = 0;
        for (const ByteSpan& chunk : png.image_data) {
            chunk_end += chunk.size;
            if (chunk_end >= used) break;
        }
        if (chunk_end == stream.size) return;
    }
    inflate_with_zlib(png, out, size, input);
}

// Undoes the filters of one pass's rows in place, or fails naming the unknown filter type.
void unfilter(std::uint8_t* rows, const Pass& pass, std::size_t bytes_per_pixel, const DecodeInput& input) {
    const std::uint32_t bad = unfilter_rows(rows, pass.height, pass.row_bytes, bytes_per_pixel);
    if (bad < pass.height) {
        const int filter = rows[std::size_t(bad) * (pass.row_bytes + 1)];
        fail_decode(ErrorCode::invalid_image, input,
                    "PNG: invalid filter type " + std::to_string(filter) + " in a row");
    }
}

// Turns unfiltered rows of any colour type and bit depth into 8-bit pixels.
class RowExpander {
public:
    RowExpander(const PngChunks& png, const DecodeInput& input)
        : input_(input), depth_(png.header.bit_depth), samples_(samples_per_pixel(png.header.color_type)) {
        const int type = png.header.color_type;
        if (type == 3) {
            if (png.palette.empty())
                fail_decode(ErrorCode::invalid_image, input, "PNG: palette image without a PLTE chunk");
            palette_size_ = png.palette.size() / 3;
            for (std::size_t i = 0; i < palette_size_; ++i) {
                std::copy_n(&png.palette[3 * i], 3, &palette_[4 * i]);
                // tRNS may give fewer alphas than there are colours (the rest are opaque); extra ones mean nothing.
                palette_[4 * i + 3] = i < png.transparency.size() ? png.transparency[i] : 255;
            }
            channels_ = png.has_transparency ? 4 : 3;  // an empty tRNS too, as stb_image
        } else {
            channels_ = samples_;
            // tRNS on gray or RGB: one 16-bit key per sample. A key of the wrong length is ignored.
            if ((type == 0 || type == 2) && png.transparency.size() == std::size_t(2 * samples_)) {
                for (int c = 0; c < samples_; ++c)
                    key_[c] = std::uint16_t(png.transparency[2 * c] << 8 | png.transparency[2 * c + 1]);
                has_key_ = true;
                channels_ = samples_ + 1;
            }
        }
        if (depth_ < 8 && type != 3) scale_ = 255 / ((1 << depth_) - 1);
    }

    int channels() const { return channels_; }
    // Whether rows are already the output: 8-bit samples, no palette, no key.
    bool rows_are_pixels() const { return depth_ == 8 && palette_size_ == 0 && !has_key_; }

    // Writes `width` pixels, `step` bytes apart, from one unfiltered row.
    void expand(const std::uint8_t* row, std::uint32_t width, std::uint8_t* out, std::size_t step) {
        unpack(row, std::size_t(width) * samples_);
        const std::uint16_t* s = values_.data();
        for (std::uint32_t x = 0; x < width; ++x, out += step, s += samples_) {
            if (palette_size_ > 0) {
                if (*s >= palette_size_) {
                    fail_decode(ErrorCode::invalid_image, input_,
                                "PNG: a pixel uses colour " + std::to_string(*s) + " of a " +
                                    std::to_string(palette_size_) + "-colour palette");
                }
                std::memcpy(out, &palette_[4 * std::size_t(*s)], std::size_t(channels_));
                continue;
            }
            bool matches_key = has_key_;
            for (int c = 0; c < samples_; ++c) {
                out[c] = depth_ == 16 ? std::uint8_t(s[c] >> 8) : std::uint8_t(s[c] * scale_);
                matches_key = matches_key && s[c] == key_[c];
            }
            if (has_key_) out[samples_] = matches_key ? 0 : 255;
        }
    }

private:
    // The row's raw sample values (bit-packed, 8-bit or 16-bit big-endian) into values_.
    void unpack(const std::uint8_t* row, std::size_t count) {
        values_.resize(count);
        if (depth_ == 8) {
            std::copy_n(row, count, values_.begin());
        } else if (depth_ == 16) {
            for (std::size_t i = 0; i < count; ++i) values_[i] = std::uint16_t(row[2 * i] << 8 | row[2 * i + 1]);
        } else {
            const int per_byte = 8 / depth_, mask = (1 << depth_) - 1;
            for (std::size_t i = 0; i < count; ++i) {
                const int shift = 8 - depth_ * (int(i % per_byte) + 1);
                values_[i] = std::uint16_t((row[i / per_byte] >> shift) & mask);
            }
        }
    }

    const DecodeInput& input_;
    int depth_;
    int samples_;
    int channels_ = 0;
    int scale_ = 1;
    std::size_t palette_size_ = 0;
    std::array<std::uint8_t, 4 * 256> palette_{};
    std::array<std::uint16_t, 3> key_{};
    bool has_key_ = false;
    std::vector<std::uint16_t> values_;
};

}  // namespace

Image decode_png(const DecodeInput& input) {
    const PngChunks png = read_png_chunks(input);
    const PngHeader& header = png.header;
    RowExpander expander(png, input);
    const std::vector<Pass> passes = passes_of(header);
    const std::size_t bytes_per_pixel = std::max(1, samples_per_pixel(header.color_type) * header.bit_depth / 8);

    // Deflate expands at most 1032:1, so image data this short cannot fill the rows: refuse it
    // before committing memory for what a tiny file only declares.
    std::size_t compressed = 0;
    for (const ByteSpan& chunk : png.image_data) compressed += chunk.size;
    const std::size_t filtered = filtered_size(passes);
    if (filtered / 1032 > compressed + 1024) {
        fail_decode(ErrorCode::invalid_image, input,
                    "PNG: image data too short (" + std::to_string(compressed) + " compressed bytes cannot hold " +
                        std::to_string(filtered) + ")");
    }
    std::vector<std::uint8_t> rows(filtered);
    inflate_image_data(png, rows.data(), rows.size(), input);
    for (const Pass& pass : passes) unfilter(rows.data() + pass.offset, pass, bytes_per_pixel, input);

    Image image;
    image.width = int(header.width);
    image.height = int(header.height);
    image.channels = expander.channels();
    image.source_format = ImageFormat::png;
    image.indexed = header.color_type == 3 || (header.color_type == 0 && header.bit_depth == 1);
    if (!header.interlaced && expander.rows_are_pixels()) {
        // The common case: drop each row's filter byte in place and hand over the buffer.
        const std::size_t n = passes[0].row_bytes;
        for (std::size_t y = 0; y < header.height; ++y)
            std::memmove(rows.data() + y * n, rows.data() + y * (n + 1) + 1, n);
        rows.resize(n * header.height);
        image.pixels = std::move(rows);
        return image;
    }
    image.pixels.resize(image.row_bytes() * header.height);
    const std::size_t channels = std::size_t(image.channels);
    for (const Pass& pass : passes) {
        for (std::uint32_t y = 0; y < pass.height; ++y) {
            const std::size_t out_row = std::size_t(pass.y0) + std::size_t(y) * pass.dy;
            expander.expand(rows.data() + pass.offset + std::size_t(y) * (pass.row_bytes + 1) + 1, pass.width,
                            image.pixels.data() + (out_row * header.width + pass.x0) * channels, pass.dx * channels);
        }
    }
    return image;
}

}  // namespace acg2vec::detail
