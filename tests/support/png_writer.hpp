// Writing PNG files in tests: every colour type and bit depth, Adam7 interlacing, each of the
// five row filters, and the image data split into IDAT chunks of any size.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/byte_writer.hpp"

namespace acg2vec::test {

// A chunk with its length and CRC, appended to `png`.
inline void png_chunk(Bytes& png, const char* type, const Bytes& data) {
    Bytes chunk(8 + data.size() + 4);
    put_be32(chunk, 0, std::uint32_t(data.size()));
    std::memcpy(&chunk[4], type, 4);
    std::copy(data.begin(), data.end(), chunk.begin() + 8);
    put_be32(chunk, 8 + data.size(), std::uint32_t(crc32(0, &chunk[4], uInt(4 + data.size()))));
    png.insert(png.end(), chunk.begin(), chunk.end());
}

inline Bytes zlib_compress(const Bytes& raw) {
    uLongf size = compressBound(uLong(raw.size()));
    Bytes out(size);
    if (compress2(out.data(), &size, raw.data(), uLong(raw.size()), 6) != Z_OK) throw std::runtime_error("compress2");
    out.resize(size);
    return out;
}

struct PngImage {
    std::uint32_t width = 1, height = 1;
    int bit_depth = 8;
    int color_type = 2;  // 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA
    bool interlaced = false;
    std::vector<std::uint16_t> samples;  // width * height * samples per pixel, row by row
    Bytes palette;                       // PLTE payload (colour type 3)
    Bytes transparency;                  // tRNS payload, written when not empty
    Bytes extra_image_data;              // appended to the filtered rows before compressing
    std::size_t idat_size = 1 << 20;     // the compressed stream is cut into chunks this long
    std::vector<int> filters;            // row r's filter type: filters[r % size]; empty: (r + pass) % 5

    int samples_per_pixel() const { return color_type == 2 ? 3 : color_type == 4 ? 2 : color_type == 6 ? 4 : 1; }
};

namespace png_detail {

inline int paeth(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// The samples of the pixels (x0 + i * dx, y0 + j * dy) packed into rows, each filtered with
// filter type image.filters[row number % size], or by default (row number + `first_filter`) % 5,
// and preceded by that type.
inline Bytes filtered_rows(const PngImage& image, std::uint32_t x0, std::uint32_t y0, std::uint32_t dx,
                           std::uint32_t dy, int first_filter) {
    const int spp = image.samples_per_pixel(), depth = image.bit_depth;
    Bytes out;
    Bytes prior;
    int filter = first_filter;
    for (std::uint32_t y = y0; y < image.height; y += dy) {
        Bytes row;
        int bits = 0;
        for (std::uint32_t x = x0; x < image.width; x += dx) {
            for (int c = 0; c < spp; ++c) {
                const std::uint16_t v =
                    image.samples[(std::size_t(y) * image.width + x) * std::size_t(spp) + std::size_t(c)];
                if (depth == 16) {
                    row.push_back(std::uint8_t(v >> 8));
                    row.push_back(std::uint8_t(v));
                } else if (depth == 8) {
                    row.push_back(std::uint8_t(v));
                } else {
                    if (bits % 8 == 0) row.push_back(0);
                    row.back() = std::uint8_t(row.back() | (v << (8 - depth - bits % 8)));
                    bits += depth;
                }
            }
        }
        if (row.empty()) return out;  // an empty pass has no rows at all
        if (prior.empty()) prior.assign(row.size(), 0);
        const std::size_t bpp = std::size_t(std::max(1, spp * depth / 8));
        const std::size_t row_number = std::size_t(filter - first_filter);
        const int type = image.filters.empty() ? filter % 5 : image.filters[row_number % image.filters.size()];
        out.push_back(std::uint8_t(type));
        for (std::size_t i = 0; i < row.size(); ++i) {
            const int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            const int predicted = type == 1   ? a
                                  : type == 2 ? b
                                  : type == 3 ? (a + b) / 2
                                  : type == 4 ? paeth(a, b, c)
                                              : 0;
            out.push_back(std::uint8_t(row[i] - predicted));
        }
        prior = row;
        ++filter;
    }
    return out;
}

}  // namespace png_detail

inline Bytes encode_png(const PngImage& image) {
    Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    Bytes ihdr(13, 0);
    put_be32(ihdr, 0, image.width);
    put_be32(ihdr, 4, image.height);
    ihdr[8] = std::uint8_t(image.bit_depth);
    ihdr[9] = std::uint8_t(image.color_type);
    ihdr[12] = image.interlaced ? 1 : 0;
    png_chunk(png, "IHDR", ihdr);
    if (!image.palette.empty()) png_chunk(png, "PLTE", image.palette);
    if (!image.transparency.empty()) png_chunk(png, "tRNS", image.transparency);
    Bytes raw;
    if (image.interlaced) {
        static const std::uint32_t adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                  {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        for (int p = 0; p < 7; ++p) {
            const Bytes pass = png_detail::filtered_rows(image, adam7[p][0], adam7[p][1], adam7[p][2], adam7[p][3], p);
            raw.insert(raw.end(), pass.begin(), pass.end());
        }
    } else {
        raw = png_detail::filtered_rows(image, 0, 0, 1, 1, 0);
    }
    raw.insert(raw.end(), image.extra_image_data.begin(), image.extra_image_data.end());
    const Bytes stream = zlib_compress(raw);
    for (std::size_t at = 0; at < stream.size(); at += image.idat_size) {
        png_chunk(png, "IDAT",
                  Bytes(stream.begin() + std::ptrdiff_t(at),
                        stream.begin() + std::ptrdiff_t(std::min(stream.size(), at + image.idat_size))));
    }
    png_chunk(png, "IEND", {});
    return png;
}

}  // namespace acg2vec::test
