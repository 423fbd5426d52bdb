// Our resampling and preprocessing against Pillow 9.4's, from fixtures made by
// tools/pillow_reference/make_fixtures.py.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "acg2vec/error.hpp"
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
                by_filter[label].add(resize_image(up_source, 83, 67, interpolation),
                                     decode_image_file(base + ".up.png"));
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

    TEST_CASE(
        "ignore_after_resize: open_clip's order (resize as Pillow does: RGBA premultiplied, palettes nearest; then "
        "drop alpha)") {
        PreprocessSpec spec;
        spec.resize_mode = ResizeMode::shorter_side_crop;
        spec.alpha = AlphaMode::ignore_after_resize;
        spec.pad_color = {0, 0, 0};  // Pillow's crop past the edge gives transparent black
        spec.layout = Layout::nhwc;
        spec.value_max = 255.0f;

        // An image made from `image`'s R and A channels: Pillow's LA.
        auto as_gray_alpha = [](const Image& image) {
            Image la{image.width, image.height, 2, {}, image.source_format};
            for (std::size_t p = 0; p < std::size_t(image.width) * image.height; ++p) {
                la.pixels.push_back(image.pixels[p * 4]);
                la.pixels.push_back(image.pixels[p * 4 + 3]);
            }
            return la;
        };
        // Pillow's crop (0, 0, 224, 300): rows past the image are transparent black.
        auto top_left_224x300 = [](const Image& image) {
            Image crop{224, 300, 4, std::vector<std::uint8_t>(224 * 300 * 4, 0), image.source_format};
            for (int y = 0; y < std::min(300, image.height); ++y) {
                std::copy_n(image.pixels.begin() + std::ptrdiff_t(image.row_bytes()) * y, 224 * 4,
                            crop.pixels.begin() + std::ptrdiff_t(224 * 4) * y);
            }
            return crop;
        };

        int rows = 0, indexed = 0, differs = 0;
        for (const auto& row : test::read_tsv(test::test_data("pillow/open_clip.tsv"))) {
            CAPTURE(row[0]);
            CAPTURE(row[1]);
            const Image decoded = decode_image_file(test::shared_data(row[0]));
            Image image = decoded;
            spec.width = spec.height = 224;
            spec.interpolation = Interpolation::bicubic;
            if (row[1] == "bilinear48") {
                spec.width = spec.height = 48;
                spec.interpolation = Interpolation::bilinear;
            } else if (row[1] == "la_bicubic224") {
                image = as_gray_alpha(decoded);
            } else if (row[1] == "same_size") {
                image = top_left_224x300(decoded);
            }
            const std::string ours = test::fnv1a64(as_bytes(preprocess_image(image, spec)));
            CHECK(ours == row[2]);
            // Alpha dropped first, the model's filter on every image: other inputs, except where
            // the size does not change or the crop holds only opaque pixels (animegan_misaka's one
            // translucent pixel, alpha 252, is in its top-left corner, which the centre crop drops).
            PreprocessSpec drop_first = spec;
            drop_first.alpha = AlphaMode::ignore;
            Image unindexed = image;
            unindexed.indexed = false;
            const bool same = test::fnv1a64(as_bytes(preprocess_image(unindexed, drop_first))) == ours;
            const bool opaque_crop = row[0] == "images/animegan_misaka_rgba_570x809.png";
            CHECK(same == (row[1] == "same_size" || opaque_crop));
            indexed += image.indexed;
            differs += !same;
            ++rows;
        }
        CHECK(rows == 29);
        CHECK(indexed == 8);  // 2 palette PNGs, one with tRNS, an interlaced one, a GIF: 2 variants each
        CHECK(differs == 23);

        // Nearest resizes the stored colours, as Pillow does; pad_square is refused.
        const Image rgba = decode_image_file(test::shared_data("images/waifu2x_chibi_rgba_720x720.png"));
        spec.width = spec.height = 64;
        spec.interpolation = Interpolation::nearest;
        PreprocessSpec drop_first = spec;
        drop_first.alpha = AlphaMode::ignore;
        CHECK(preprocess_image(rgba, spec).data == preprocess_image(rgba, drop_first).data);
        spec.resize_mode = ResizeMode::pad_square;
        CHECK_THROWS_AS(spec.validate(), Error);
    }

}  // TEST_SUITE
