// GIF, first frame, decoded here rather than by stb_image, which rejects valid streams that
// do not open with a clear code. The result is what Pillow shows for frame 0: the logical
// screen (grown to the frame if the frame is larger, as Pillow does, before the size check),
// areas outside the frame filled with the transparent index (or index 0), colours from the
// local or global table, alpha 0 where the transparent index is. GIF89a spec, sections 18-23.
#include <algorithm>
#include <array>
#include <vector>

#include "image/decoders.hpp"

namespace acg2vec::detail {
namespace {

class ByteReader {
public:
    explicit ByteReader(const DecodeInput& input) : input_(input) {}
    bool has(std::size_t n) const { return at_ + n <= input_.size; }
    std::uint8_t u8() { return need(1), input_.data[at_++]; }
    std::uint32_t u16() {
        need(2);
        std::uint32_t v = input_.data[at_] | (input_.data[at_ + 1] << 8);
        at_ += 2;
        return v;
    }
    void skip(std::size_t n) { need(n), at_ += n; }
    // Skips a chain of data sub-blocks (length byte, data, ..., zero).
    void skip_sub_blocks() {
        for (std::uint8_t n = u8(); n != 0; n = u8()) skip(n);
    }

private:
    void need(std::size_t n) const {
        if (!has(n)) fail_decode(ErrorCode::invalid_image, input_, "GIF: image file is truncated");
    }
    const DecodeInput& input_;
    std::size_t at_ = 0;
};

using Palette = std::vector<std::array<std::uint8_t, 3>>;

Palette read_palette(ByteReader& in, std::uint8_t flags) {
    Palette palette(std::size_t(2) << (flags & 7));
    for (auto& c : palette) c = {in.u8(), in.u8(), in.u8()};
    return palette;
}

struct Frame {
    int left = 0, top = 0, width = 0, height = 0;
    bool interlaced = false;
    Palette local_palette;
};

// Decodes the LZW stream of one frame into `indices` (width * height, rows in stream order).
void decode_lzw(ByteReader& in, const DecodeInput& input, std::vector<std::uint8_t>& indices) {
    const int min_code_size = in.u8();
    if (min_code_size < 1 || min_code_size > 11) {  // 1 is outside the spec but written by some encoders
        fail_decode(ErrorCode::invalid_image, input, "GIF: invalid LZW minimum code size");
    }
    const int clear = 1 << min_code_size, end = clear + 1;
    constexpr int kMaxCodes = 4096;
    std::vector<std::uint16_t> prefix(kMaxCodes);
    std::vector<std::uint8_t> suffix(kMaxCodes), first_byte(kMaxCodes);
    std::vector<std::uint8_t> stack(kMaxCodes + 1);
    for (int i = 0; i < clear; ++i) suffix[i] = first_byte[i] = std::uint8_t(i);

    int code_size = min_code_size + 1, next = clear + 2, previous = -1;
    std::uint32_t bits = 0;
    int bit_count = 0;
    std::size_t out = 0, block_left = 0;
    bool ended = false;
    while (!ended) {
        if (block_left == 0) {
            block_left = in.u8();
            if (block_left == 0) break;  // end of the frame's data
        }
        bits |= std::uint32_t(in.u8()) << bit_count;
        bit_count += 8;
        --block_left;
        while (bit_count >= code_size && !ended) {
            const int code = int(bits & ((1u << code_size) - 1));
            bits >>= code_size;
            bit_count -= code_size;
            if (code == clear) {
                code_size = min_code_size + 1;
                next = clear + 2;
                previous = -1;
                continue;
            }
            if (code == end) {
                ended = true;
                break;
            }
            if (previous < 0) {  // first code after a clear (or of the stream): a literal
                if (code >= clear) fail_decode(ErrorCode::invalid_image, input, "GIF: corrupt LZW data");
                if (out < indices.size()) indices[out++] = std::uint8_t(code);
                previous = code;
                continue;
            }
            if (code > next || (code == next && next >= kMaxCodes)) {
                fail_decode(ErrorCode::invalid_image, input, "GIF: corrupt LZW data");
            }
            // The new entry is previous + first byte of `code` (or of previous, for the KwKwK case).
            const std::uint8_t head = code < next ? first_byte[code] : first_byte[previous];
            if (next < kMaxCodes) {
                prefix[next] = std::uint16_t(previous);
                suffix[next] = head;
                first_byte[next] = first_byte[previous];
                ++next;
                if (next == (1 << code_size) && code_size < 12) ++code_size;
            }
            std::size_t depth = 0;
            for (int c = code; c >= clear; c = prefix[c]) stack[depth++] = suffix[c];
            stack[depth++] = std::uint8_t(code < clear ? code : first_byte[code]);
            while (depth > 0 && out < indices.size()) indices[out++] = stack[--depth];
            previous = code;
        }
    }
    // Whatever follows the first frame (more frames, a missing end code when every pixel is
    // present) does not change frame 0; fewer pixels than the frame declares is truncation.
    if (out < indices.size()) fail_decode(ErrorCode::invalid_image, input, "GIF: image file is truncated");
}

// Row order of an interlaced frame: passes starting at 0, 4, 2, 1 with steps 8, 8, 4, 2.
std::vector<int> row_order(int height, bool interlaced) {
    std::vector<int> rows;
    rows.reserve(height);
    if (!interlaced) {
        for (int y = 0; y < height; ++y) rows.push_back(y);
        return rows;
    }
    const int starts[4] = {0, 4, 2, 1}, steps[4] = {8, 8, 4, 2};
    for (int pass = 0; pass < 4; ++pass)
        for (int y = starts[pass]; y < height; y += steps[pass]) rows.push_back(y);
    return rows;
}

}  // namespace

Image decode_gif(const DecodeInput& input) {
    ByteReader in(input);
    in.skip(6);  // "GIF87a" / "GIF89a", checked by the caller
    int width = int(in.u16()), height = int(in.u16());
    const std::uint8_t screen_flags = in.u8();
    in.skip(2);  // background colour index, pixel aspect ratio
    Palette global_palette;
    if (screen_flags & 0x80) global_palette = read_palette(in, screen_flags);

    int transparent = -1;
    Frame frame;
    for (bool found = false; !found;) {
        switch (in.u8()) {
            case 0x21: {  // extension
                const std::uint8_t label = in.u8();
                if (label == 0xF9) {  // graphic control: transparency of the next image
                    const std::uint8_t size = in.u8();
                    if (size < 4) fail_decode(ErrorCode::invalid_image, input, "GIF: bad graphic control extension");
                    const std::uint8_t flags = in.u8();
                    in.skip(2);
                    const std::uint8_t index = in.u8();
                    transparent = (flags & 1) ? index : -1;
                    in.skip(size - 4);
                }
                in.skip_sub_blocks();
                break;
            }
            case 0x2C: {  // image descriptor
                frame.left = int(in.u16());
                frame.top = int(in.u16());
                frame.width = int(in.u16());
                frame.height = int(in.u16());
                const std::uint8_t flags = in.u8();
                frame.interlaced = flags & 0x40;
                if (flags & 0x80) frame.local_palette = read_palette(in, flags);
                found = true;
                break;
            }
            case 0x3B: fail_decode(ErrorCode::invalid_image, input, "GIF: no image in the file");
            default: break;  // a stray byte between blocks: skipped, as Pillow and browsers do
        }
    }
    // Pillow grows the canvas to hold a first frame that extends past the logical screen.
    width = std::max(width, frame.left + frame.width);
    height = std::max(height, frame.top + frame.height);
    check_declared_size(std::uint64_t(width), std::uint64_t(height), input);
    if (frame.width == 0 || frame.height == 0) fail_decode(ErrorCode::invalid_image, input, "GIF: empty frame");
    const Palette& palette = frame.local_palette.empty() ? global_palette : frame.local_palette;
    if (palette.empty()) fail_decode(ErrorCode::invalid_image, input, "GIF: no colour table");

    std::vector<std::uint8_t> indices(std::size_t(frame.width) * frame.height);
    decode_lzw(in, input, indices);

    std::vector<std::uint8_t> canvas(std::size_t(width) * height, std::uint8_t(transparent >= 0 ? transparent : 0));
    const std::vector<int> rows = row_order(frame.height, frame.interlaced);
    for (int r = 0; r < frame.height; ++r) {
        std::copy_n(indices.begin() + std::size_t(r) * frame.width, frame.width,
                    canvas.begin() + std::size_t(frame.top + rows[r]) * width + frame.left);
    }

    Image image;
    image.width = width;
    image.height = height;
    image.channels = transparent >= 0 ? 4 : 3;
    image.source_format = ImageFormat::gif;
    image.indexed = true;
    image.pixels.resize(canvas.size() * image.channels);
    for (std::size_t i = 0; i < canvas.size(); ++i) {
        const std::uint8_t index = canvas[i];
        const auto color = index < palette.size() ? palette[index] : std::array<std::uint8_t, 3>{0, 0, 0};
        std::uint8_t* p = &image.pixels[i * image.channels];
        p[0] = color[0];
        p[1] = color[1];
        p[2] = color[2];
        if (image.channels == 4) p[3] = index == transparent ? 0 : 255;
    }
    return image;
}

}  // namespace acg2vec::detail
