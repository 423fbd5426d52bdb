// A batch of decompression bombs through Tagger::tag_batch: files of a few dozen bytes that
// declare billions of pixels, in every format. Each must fail alone with image_too_large
// before any pixel memory exists, the real images among them must still be tagged, and the
// process's peak RSS must stay small. Then images just under a (lowered) pixel limit: what is
// decoded at once is bounded by the decode threads, not by the batch size. Peaks are printed
// (docs/robustness.md records them); they are asserted only without sanitizers, whose
// allocators keep freed memory in quarantine.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <fstream>

#include "acg2vec/tagger.hpp"
#include "support/png_writer.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;

namespace {

using test::Bytes;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

double peak_rss_mb() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

double current_rss_mb() {
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return double(resident) * double(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

using test::png_chunk;
using test::put_be32;
using test::put_le16;
using test::put_le32;

// An 8-bit RGB PNG of width x height, all black; its IDAT is the deflated rows.
Bytes black_png(std::uint32_t width, std::uint32_t height, bool with_data) {
    Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    Bytes ihdr(13, 0);
    put_be32(ihdr, 0, width);
    put_be32(ihdr, 4, height);
    ihdr[8] = 8;  // bit depth
    ihdr[9] = 2;  // RGB
    png_chunk(png, "IHDR", ihdr);
    Bytes raw(with_data ? std::size_t(height) * (1 + std::size_t(width) * 3) : 1, 0);
    png_chunk(png, "IDAT", test::zlib_compress(raw));
    png_chunk(png, "IEND", {});
    return png;
}

// Files of every format declaring far more pixels than the default limit (178,956,970).
std::vector<std::pair<std::string, Bytes>> bombs() {
    std::vector<std::pair<std::string, Bytes>> files;
    files.push_back({"png", black_png(100000, 100000, false)});
    files.push_back({"gif", test::read_bytes(test::shared_data("tricky/decompression_bomb.gif"))});  // 65535 x 65535

    Bytes jpeg = test::read_bytes(test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg"));
    for (std::size_t i = 2; i + 9 < jpeg.size(); ++i) {  // SOF0/SOF2: height, width at +5
        if (jpeg[i] == 0xFF && (jpeg[i + 1] == 0xC0 || jpeg[i + 1] == 0xC2)) {
            jpeg[i + 5] = jpeg[i + 7] = 0xFF;
            jpeg[i + 6] = jpeg[i + 8] = 0xDC;  // 65500 x 65500
            break;
        }
    }
    files.push_back({"jpg", jpeg});

    Bytes webp = test::read_bytes(test::shared_data("tricky/lossy.webp"));  // simple VP8: 14-bit sides at 26
    put_le16(webp, 26, 16383);
    put_le16(webp, 28, 16383);
    files.push_back({"webp", webp});

    Bytes bmp(54, 0);
    bmp[0] = 'B';
    bmp[1] = 'M';
    put_le32(bmp, 2, 54);
    put_le32(bmp, 10, 54);
    put_le32(bmp, 14, 40);
    put_le32(bmp, 18, 30000);
    put_le32(bmp, 22, 30000);
    put_le16(bmp, 26, 1);
    put_le16(bmp, 28, 24);
    files.push_back({"bmp", bmp});

    Bytes psd = {'8', 'B', 'P', 'S', 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 0, 8, 0, 3};
    files.push_back({"psd", psd});  // 30000 x 30000, RGB

    Bytes tga(18, 0);
    tga[2] = 2;  // uncompressed true colour
    put_le16(tga, 12, 65535);
    put_le16(tga, 14, 65535);
    tga[16] = 24;
    files.push_back({"tga", tga});
    return files;
}

void write(const std::string& path, const Bytes& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace

TEST_SUITE("fault_huge_batch") {
    TEST_CASE("a batch of decompression bombs: each fails alone with image_too_large, the peak RSS stays small") {
        const std::string dir = test::scratch_dir();
        const std::string model = dir + "/bomb_tagger.pt";
        test::save_tagger_fixture(model);
        const Tagger tagger = Tagger::open(model);

        std::vector<std::string> paths;
        std::vector<bool> is_bomb;
        const auto files = bombs();
        const std::vector<std::string> real = {"images/realesrgan_0014_cartoon_179x179.jpg", "tricky/lossy.webp",
                                               "images/anime4k_knnw_lr_256x256.png", "tricky/animated.gif"};
        for (int copy = 0; copy < 30; ++copy) {
            for (const auto& [format, bytes] : files) {
                paths.push_back(dir + "/bomb" + std::to_string(copy) + "." + format);
                write(paths.back(), bytes);
                is_bomb.push_back(true);
            }
            if (copy % 8 == 0) {
                paths.push_back(test::shared_data(real[std::size_t(copy / 8)]));
                is_bomb.push_back(false);
            }
        }
        const double rss_before = current_rss_mb(), peak_before = peak_rss_mb();
        const std::vector<TagOutcome> outcomes = tagger.tag_batch(ImageInput::files(paths));
        const double peak_after = peak_rss_mb();
        REQUIRE(outcomes.size() == paths.size());
        int refused = 0, tagged = 0;
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            INFO(paths[i] << ": " << outcomes[i].message);
            if (is_bomb[i]) {
                CHECK(outcomes[i].error == ErrorCode::image_too_large);
                refused += outcomes[i].error == ErrorCode::image_too_large;
            } else {
                CHECK(outcomes[i].ok());
                tagged += outcomes[i].ok();
            }
        }
        MESSAGE(refused << " bombs refused, " << tagged << " real images tagged; RSS " << rss_before
                        << " MB before the batch, peak " << peak_before << " MB before and " << peak_after
                        << " MB after");
        if (!kSanitized) CHECK(peak_after - rss_before < 64.0);
    }

    TEST_CASE("large images under the limit: memory in flight is bounded by the decode threads, not the batch") {
        const std::string dir = test::scratch_dir();
        const std::string model = dir + "/large_tagger.pt";
        test::save_tagger_fixture(model);
        const std::string large = dir + "/large_4000x4000.png";
        write(large, black_png(4000, 4000, true));  // 48 MB of pixels in a ~50 KB file

        TaggerOptions options;
        options.decode.max_pixels = 4000 * 4000;  // the limit, lowered so the test stays light
        options.model.decode_threads = 2;
        options.model.batch_size = 4;
        const Tagger tagger = Tagger::open(model, options);
        const double rss_before = current_rss_mb();
        tagger.tag(ImageInput::file(large));  // one image alone: what a single decode costs
        const double one = peak_rss_mb() - rss_before;
        const std::vector<TagOutcome> outcomes =
            tagger.tag_batch(ImageInput::files(std::vector<std::string>(16, large)));
        const double batch = peak_rss_mb() - rss_before;
        for (const auto& o : outcomes) CHECK_MESSAGE(o.ok(), o.message);
        MESSAGE("one 4000x4000 image: peak +" << one << " MB; 16 of them with 2 decode threads: peak +" << batch
                                              << " MB");
        // Two decodes at a time, plus slack: far below 16 images' worth.
        if (!kSanitized) CHECK(batch < 2.0 * one + 64.0);
    }

}  // TEST_SUITE
