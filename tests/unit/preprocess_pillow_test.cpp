// Our resampling and preprocessing against Pillow 9.4's, from fixtures made by
// tools/pillow_reference/make_fixtures.py.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;

namespace {

struct Agreement {
    int max_abs_diff = 0;
    std::size_t equal = 0;
    std::size_t total = 0;
    double percent_equal() const { return total ? 100.0 * double(equal) / double(total) : 0.0; }
    void add(const Image& ours, const Image& pillow) {
        REQUIRE(ours.pixels.size() == pillow.pixels.size());
        for (std::size_t i = 0; i < ours.pixels.size(); ++i) {
            int d = std::abs(int(ours.pixels[i]) - int(pillow.pixels[i]));
            max_abs_diff = std::max(max_abs_diff, d);
            equal += d == 0;
            ++total;
        }
    }
};

const std::vector<std::pair<std::string, Interpolation>> kFilters = {
    {"nearest", Interpolation::nearest}, {"bilinear", Interpolation::bilinear}, {"bicubic", Interpolation::bicubic},
    {"box", Interpolation::box},         {"hamming", Interpolation::hamming},   {"lanczos", Interpolation::lanczos},
};

std::vector<std::string> sample_images() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(test::shared_data("images"))) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

Image crop(const Image& rgb, int left, int top, int right, int bottom) {
    Image out{right - left, bottom - top, 3, {}, rgb.source_format};
    for (int y = top; y < bottom; ++y) {
        auto begin = rgb.pixels.begin() + (std::size_t(y) * rgb.width + left) * 3;
        out.pixels.insert(out.pixels.end(), begin, begin + std::size_t(out.width) * 3);
    }
    return out;
}

// The uint8 array a pipeline hands the model, recovered from a 0..255 NHWC RGB tensor.
std::vector<std::uint8_t> as_bytes(const Tensor& t) {
    std::vector<std::uint8_t> bytes(t.data.size());
    for (std::size_t i = 0; i < t.data.size(); ++i) bytes[i] = std::uint8_t(std::lround(t.data[i]));
    return bytes;
}

}  // namespace

TEST_SUITE("preprocess_pillow") {

TEST_CASE("resizes agree with Pillow 9.4 on every sample image (max |delta| <= 1, >= 99% equal)") {
    const auto images = sample_images();
    REQUIRE(images.size() == 20);
    std::map<std::string, Agreement> by_filter;
    for (const auto& name : images) {
        const Image rgb = to_rgb(decode_image_file(test::shared_data("images/" + name)), AlphaMode::ignore);
        const std::string stem = name.substr(0, name.rfind('.'));
        const Image up_source = crop(rgb, 10, 10, 47, 39);
        for (const auto& [label, interpolation] : kFilters) {
            CAPTURE(name);
            CAPTURE(label);
            const std::string base = test::test_data("pillow/resize/" + stem + "." + label);
            by_filter[label].add(resize_image(rgb, 61, 47, interpolation), decode_image_file(base + ".down.png"));
            by_filter[label].add(resize_image(up_source, 83, 67, interpolation), decode_image_file(base + ".up.png"));
        }
    }
    for (const auto& [label, a] : by_filter) {
        std::printf("pillow agreement %-9s max|delta| %d, equal %.4f%% of %zu values\n", label.c_str(),
                    a.max_abs_diff, a.percent_equal(), a.total);
        CAPTURE(label);
        CHECK(a.max_abs_diff <= 1);
        CHECK(a.percent_equal() >= 99.0);
    }
}

TEST_CASE("CLIP and WD14 preprocessing give Pillow's exact model inputs") {
    PreprocessSpec clip;
    clip.width = clip.height = 224;
    clip.resize_mode = ResizeMode::shorter_side_crop;
    clip.interpolation = Interpolation::bicubic;
    clip.alpha = AlphaMode::ignore;
    clip.layout = Layout::nhwc;
    clip.value_max = 255.0f;

    PreprocessSpec wd14;
    wd14.width = wd14.height = 448;
    wd14.resize_mode = ResizeMode::pad_square;
    wd14.interpolation = Interpolation::bicubic;
    wd14.alpha = AlphaMode::composite;
    wd14.background = wd14.pad_color = {255, 255, 255};
    wd14.layout = Layout::nhwc;
    wd14.value_max = 255.0f;

    int exact_clip = 0, exact_wd14 = 0, rows = 0;
    for (const auto& row : test::read_tsv(test::test_data("pillow/pipelines.tsv"))) {
        CAPTURE(row[0]);
        const Image image = decode_image_file(test::shared_data(row[0]));
        const bool clip_ok = test::fnv1a64(as_bytes(preprocess_image(image, clip))) == row[1];
        const bool wd14_ok = test::fnv1a64(as_bytes(preprocess_image(image, wd14))) == row[2];
        CHECK(clip_ok);
        CHECK(wd14_ok);
        exact_clip += clip_ok;
        exact_wd14 += wd14_ok;
        ++rows;
    }
    std::printf("pipelines equal to Pillow: CLIP 224 %d/%d, WD14 448 %d/%d\n", exact_clip, rows, exact_wd14, rows);
    CHECK(rows == 20);
}

}  // TEST_SUITE
