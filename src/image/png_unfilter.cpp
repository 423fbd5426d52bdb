// Undoing PNG row filters. Paeth rows dominate the cost of decoding a PNG illustration (about
// 70 % of the rows of typical files use it, and it is the slowest filter), so rows of 3 or 4
// bytes per pixel (RGB8, RGBA8, gray + alpha 16-bit) go through SSE4.1 when the CPU has it:
//   - one pixel per step, its 3 or 4 bytes in 16-bit lanes, with no branches: the scalar
//     loop's branches mispredict on real images (about 9 ns per RGB pixel, 4.7 with SSE4.1);
//   - two consecutive Paeth rows at once, the second one pixel behind the first: every pixel
//     waits on the pixel left of it, so one row is a chain of dependent steps; two rows are two
//     chains the CPU runs side by side (2.4 ns per pixel).
// The bytes are the same on every path; tests compare the paths.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "image/png.hpp"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define ACG2VEC_PNG_SSE41 1
#include <immintrin.h>
#endif

namespace acg2vec::detail {
namespace {

std::uint8_t paeth(int a, int b, int c) {
    const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
    if (pa <= pb && pa <= pc) return std::uint8_t(a);
    return std::uint8_t(pb <= pc ? b : c);
}

// Undoes one row's filter. B is the number of bytes per pixel (1 for bit depths below 8) and a
// template parameter, and the loops over a pixel's bytes are unrolled, so that the bytes left
// and upper-left of each byte stay in registers: through memory, every byte would wait on the
// store of the byte B places back (Paeth rows took twice as long).
template <std::size_t B>
bool unfilter_row(int filter, std::uint8_t* cur, const std::uint8_t* prior, std::size_t n) {
    int left[B] = {}, upper_left[B] = {};
    switch (filter) {
        case 0: return true;
        case 1:
            for (std::size_t i = 0; i < n; i += B) {
#pragma GCC unroll 8
                for (std::size_t k = 0; k < B; ++k) left[k] = cur[i + k] = std::uint8_t(cur[i + k] + left[k]);
            }
            return true;
        case 2:
            for (std::size_t i = 0; i < n; ++i) cur[i] = std::uint8_t(cur[i] + prior[i]);
            return true;
        case 3:
            for (std::size_t i = 0; i < n; i += B) {
#pragma GCC unroll 8
                for (std::size_t k = 0; k < B; ++k)
                    left[k] = cur[i + k] = std::uint8_t(cur[i + k] + ((left[k] + prior[i + k]) >> 1));
            }
            return true;
        case 4:
            for (std::size_t i = 0; i < n; i += B) {
#pragma GCC unroll 8
                for (std::size_t k = 0; k < B; ++k) {
                    const int up = prior[i + k];
                    left[k] = cur[i + k] = std::uint8_t(cur[i + k] + paeth(left[k], up, upper_left[k]));
                    upper_left[k] = up;
                }
            }
            return true;
        default: return false;
    }
}

bool unfilter_row_scalar(std::size_t bytes_per_pixel, int filter, std::uint8_t* cur, const std::uint8_t* prior,
                         std::size_t n) {
    switch (bytes_per_pixel) {
        case 1: return unfilter_row<1>(filter, cur, prior, n);
        case 2: return unfilter_row<2>(filter, cur, prior, n);
        case 3: return unfilter_row<3>(filter, cur, prior, n);
        case 4: return unfilter_row<4>(filter, cur, prior, n);
        case 6: return unfilter_row<6>(filter, cur, prior, n);
        default: return unfilter_row<8>(filter, cur, prior, n);
    }
}

#ifdef ACG2VEC_PNG_SSE41

bool cpu_has_sse41() {
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("sse4.1") != 0;
    }();
    return has;
}

// A pixel's B (3 or 4) bytes in the low 16-bit lanes. Loads and stores touch exactly B bytes,
// built in registers: a 3-byte memcpy through a stack word stalls on store forwarding.
template <int B>
__attribute__((target("sse4.1"))) inline __m128i load_pixel(const std::uint8_t* p) {
    std::uint32_t v;
    if (B == 4) {
        std::memcpy(&v, p, 4);
    } else {
        std::uint16_t low;
        std::memcpy(&low, p, 2);
        v = low | std::uint32_t(p[2]) << 16;
    }
    return _mm_cvtepu8_epi16(_mm_cvtsi32_si128(int(v)));
}

template <int B>
__attribute__((target("sse4.1"))) inline void store_pixel(std::uint8_t* p, __m128i pixel) {
    const std::uint32_t v = std::uint32_t(_mm_cvtsi128_si32(_mm_packus_epi16(pixel, pixel)));
    if (B == 4) {
        std::memcpy(p, &v, 4);
    } else {
        const std::uint16_t low = std::uint16_t(v);
        std::memcpy(p, &low, 2);
        p[2] = std::uint8_t(v >> 16);
    }
}

// One Paeth pixel from its left (a), upper (b) and upper-left (c) neighbours and its filtered
// bytes. Only the path from `a` is on the chain from one pixel to the next: |b - c| is not.
__attribute__((target("sse4.1"))) inline __m128i paeth_pixel(__m128i a, __m128i b, __m128i c, __m128i filtered) {
    const __m128i b_minus_c = _mm_sub_epi16(b, c);
    const __m128i pa = _mm_abs_epi16(b_minus_c);
    const __m128i a_minus_c = _mm_sub_epi16(a, c);
    const __m128i pb = _mm_abs_epi16(a_minus_c);
    const __m128i pc = _mm_abs_epi16(_mm_add_epi16(a_minus_c, b_minus_c));
    const __m128i b_or_c = _mm_blendv_epi8(b, c, _mm_cmpgt_epi16(pb, pc));  // b when pb <= pc
    const __m128i predicted = _mm_blendv_epi8(a, b_or_c, _mm_cmpgt_epi16(pa, _mm_min_epi16(pb, pc)));
    return _mm_and_si128(_mm_add_epi16(predicted, filtered), _mm_set1_epi16(0xFF));
}

template <int B>
__attribute__((target("sse4.1"))) void paeth_row_sse41(std::uint8_t* cur, const std::uint8_t* prior, std::size_t n) {
    __m128i a = _mm_setzero_si128(), c = _mm_setzero_si128();
    for (std::size_t i = 0; i < n; i += B) {
        const __m128i b = load_pixel<B>(prior + i);
        a = paeth_pixel(a, b, c, load_pixel<B>(cur + i));
        store_pixel<B>(cur + i, a);
        c = b;
    }
}

// Two Paeth rows: `first` (above it: `prior`) and `second` (above it: `first`). The second row
// runs one pixel behind, so the pixel above it is the one the first row has just produced.
template <int B>
__attribute__((target("sse4.1"))) void paeth_row_pair_sse41(std::uint8_t* first, const std::uint8_t* prior,
                                                            std::uint8_t* second, std::size_t n) {
    __m128i a1 = _mm_setzero_si128(), c1 = _mm_setzero_si128();
    __m128i a2 = _mm_setzero_si128(), c2 = _mm_setzero_si128();
    const __m128i b = load_pixel<B>(prior);
    a1 = paeth_pixel(a1, b, c1, load_pixel<B>(first));
    store_pixel<B>(first, a1);
    c1 = b;
    for (std::size_t i = B; i < n; i += B) {
        const __m128i above_second = a1;  // first row, pixel i - B
        const __m128i b1 = load_pixel<B>(prior + i);
        a1 = paeth_pixel(a1, b1, c1, load_pixel<B>(first + i));
        store_pixel<B>(first + i, a1);
        c1 = b1;
        a2 = paeth_pixel(a2, above_second, c2, load_pixel<B>(second + i - B));
        store_pixel<B>(second + i - B, a2);
        c2 = above_second;
    }
    a2 = paeth_pixel(a2, a1, c2, load_pixel<B>(second + n - B));
    store_pixel<B>(second + n - B, a2);
}

// Paeth rows of 3 or 4 bytes per pixel from row y on: the rows undone (0 when the path does not
// apply: another filter, another pixel size, or no SSE4.1).
std::uint32_t paeth_rows_sse41(std::uint8_t* rows, std::uint32_t y, std::uint32_t height, std::size_t n,
                               std::size_t bytes_per_pixel, const std::uint8_t* prior) {
    if ((bytes_per_pixel != 3 && bytes_per_pixel != 4) || !cpu_has_sse41()) return 0;
    std::uint8_t* row = rows + std::size_t(y) * (n + 1);
    if (row[0] != 4) return 0;
    std::uint8_t* next = row + n + 1;
    const bool pair = y + 1 < height && next[0] == 4;
    if (bytes_per_pixel == 3) {
        pair ? paeth_row_pair_sse41<3>(row + 1, prior, next + 1, n) : paeth_row_sse41<3>(row + 1, prior, n);
    } else {
        pair ? paeth_row_pair_sse41<4>(row + 1, prior, next + 1, n) : paeth_row_sse41<4>(row + 1, prior, n);
    }
    return pair ? 2 : 1;
}

#else

std::uint32_t paeth_rows_sse41(std::uint8_t*, std::uint32_t, std::uint32_t, std::size_t, std::size_t,
                               const std::uint8_t*) {
    return 0;
}

#endif

}  // namespace

std::uint32_t unfilter_rows(std::uint8_t* rows, std::uint32_t height, std::size_t row_bytes,
                            std::size_t bytes_per_pixel, bool simd) {
    const std::size_t n = row_bytes;
    const std::vector<std::uint8_t> zeros(n, 0);  // the row "above" the first
    const std::uint8_t* prior = zeros.data();
    for (std::uint32_t y = 0; y < height;) {
        const std::uint32_t done = simd ? paeth_rows_sse41(rows, y, height, n, bytes_per_pixel, prior) : 0;
        if (done > 0) {
            y += done;
        } else {
            std::uint8_t* row = rows + std::size_t(y) * (n + 1);
            if (!unfilter_row_scalar(bytes_per_pixel, row[0], row + 1, prior, n)) return y;
            ++y;
        }
        prior = rows + std::size_t(y - 1) * (n + 1) + 1;
    }
    return height;
}

}  // namespace acg2vec::detail
