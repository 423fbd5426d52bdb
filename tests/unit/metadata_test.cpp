#include <doctest/doctest.h>

#include "acg2vec/model.hpp"
#include "support/error_capture.hpp"
#include "support/fixture_models.hpp"
#include "support/text_edit.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

TEST_SUITE("metadata") {
    TEST_CASE("a complete acg2vec.json parses into typed fields") {
        ModelMetadata m = ModelMetadata::parse(test::linear_fixture_metadata());
        CHECK(m.schema_version == 1);
        CHECK(m.task == "scorer");
        CHECK(m.labels == "labels.txt");
        REQUIRE(m.preprocess);
        CHECK(m.preprocess->width == 4);
        CHECK(m.preprocess->interpolation == Interpolation::bilinear);
        CHECK(m.method("text").inputs[0].dtype == DType::int64);
        CHECK(m.method("image").outputs[1].name == "features");
        CHECK(m.method("text").outputs[1].shape == std::vector<std::int64_t>{-1});
    }

    TEST_CASE("every preprocess field is read") {
        std::string j =
            R"({"schema_version": 1, "name": "m", "task": "embedder", "methods": {"image": {"name": "forward",
      "inputs": [{"name": "x"}], "outputs": [{"name": "y"}]}},
      "preprocess": {"width": 448, "height": 320, "resize_mode": "shorter_side_crop", "shorter_side": 500, "crop_rounding": "floor",
      "interpolation": "tf_bilinear_align_corners", "pad_mode": "edge", "pad_color": [1, 2, 3], "alpha": "ignore",
      "background": [4, 5, 6], "channel_order": "bgr", "layout": "nhwc", "value_max": 255,
      "mean": [0.1, 0.2, 0.3], "std": [0.4, 0.5, 0.6]}})";
        PreprocessSpec s = *ModelMetadata::parse(j).preprocess;
        CHECK(s.width == 448);
        CHECK(s.height == 320);
        CHECK(s.resize_mode == ResizeMode::shorter_side_crop);
        CHECK(s.shorter_side == 500);
        CHECK(s.crop_rounding == CropRounding::floor);
        CHECK(s.interpolation == Interpolation::tf_bilinear_align_corners);
        CHECK(s.pad_mode == PadMode::edge);
        CHECK(s.pad_color == Rgb{1, 2, 3});
        CHECK(s.alpha == AlphaMode::ignore);
        CHECK(s.background == Rgb{4, 5, 6});
        CHECK(s.channel_order == ChannelOrder::bgr);
        CHECK(s.layout == Layout::nhwc);
        CHECK(s.value_max == 255.0f);
        CHECK(s.mean[2] == doctest::Approx(0.3f));
        CHECK(s.std[0] == doctest::Approx(0.4f));

        const std::string after = test::replaced_once(j, R"("alpha": "ignore")", R"("alpha": "ignore_after_resize")");
        CHECK(ModelMetadata::parse(after).preprocess->alpha == AlphaMode::ignore_after_resize);
        // pad_square pads before resizing: there is no alpha left to drop after it.
        const std::string padded = test::replaced_once(after, R"("shorter_side_crop")", R"("pad_square")");
        CHECK(code_of([&] { ModelMetadata::parse(padded); }) == ErrorCode::model_metadata);
        CHECK(message_of([&] { ModelMetadata::parse(padded); }).find("pad_square") != std::string::npos);

        // DeepDanbooru's geometry: TensorFlow's area resize, centred exactly.
        const std::string fitted = test::replaced_once(
            test::replaced_once(j, R"("shorter_side_crop")", R"("longer_side_pad", "pad_placement": "exact")"),
            R"("tf_bilinear_align_corners")", R"("tf_area")");
        CHECK(ModelMetadata::parse(fitted).preprocess->pad_placement == PadPlacement::exact);
        CHECK(ModelMetadata::parse(fitted).preprocess->interpolation == Interpolation::tf_area);
        CHECK(ModelMetadata::parse(j).preprocess->pad_placement == PadPlacement::floor);  // the default
        CHECK(ModelMetadata::parse(j).preprocess->jpeg_idct == JpegIdct::accurate);
        const std::string fast = test::replaced_once(fitted, R"("alpha")", R"("jpeg_idct": "fast", "alpha")");
        CHECK(ModelMetadata::parse(fast).preprocess->jpeg_idct == JpegIdct::fast);
        const std::string islow = test::replaced_once(fitted, R"("alpha")", R"("jpeg_idct": "islow", "alpha")");
        CHECK(message_of([&] { ModelMetadata::parse(islow); }).find("preprocess.jpeg_idct") != std::string::npos);
        const std::string misplaced = test::replaced_once(fitted, R"("longer_side_pad")", R"("stretch")");
        CHECK(message_of([&] { ModelMetadata::parse(misplaced); }).find("longer_side_pad") != std::string::npos);
        const std::string unknown = test::replaced_once(fitted, R"("exact")", R"("centre")");
        CHECK(message_of([&] { ModelMetadata::parse(unknown); }).find("preprocess.pad_placement") != std::string::npos);
    }

    TEST_CASE("bad metadata fails with model_metadata and names the field") {
        const std::string good = test::linear_fixture_metadata();
        struct Case {
            std::string json, field;
        };
        const std::vector<Case> cases = {
            {"[]", "(document)"},
            {"not json", "(document)"},
            {test::replaced_once(good, R"("schema_version": 1)", R"("schema_version": 99)"), "schema_version"},
            {test::replaced_once(good, R"("name": "linear-fixture",)", ""), "'name'"},
            {test::replaced_once(good, R"("interpolation": "bilinear")", R"("interpolation": "cubic")"),
             "preprocess.interpolation"},
            {test::replaced_once(good, R"("layout": "nchw")", R"("layout": "chw")"), "preprocess.layout"},
            {test::replaced_once(good, R"("width": 4)", R"("width": -4)"), "preprocess.width"},
            {test::replaced_once(good, R"("value_max": 1.0)", R"("value_max": 1.0, "gamma": 2)"), "preprocess.gamma"},
            {test::replaced_once(good, R"("shape": [3, 4, 4])", R"("shape": [3, 5, 4])"),
             "methods.image.inputs[0].shape"},
            {test::replaced_once(good, R"("dtype": "int64")", R"("dtype": "int8")"), "methods.text.inputs[0].dtype"},
            {test::replaced_once(good, R"({"name": "features", "shape": [3]})", R"({"name": "logits", "shape": [3]})"),
             "duplicate"},
            {test::replaced_once(good, R"("outputs": [{"name": "total")", R"("outputz": [{"name": "total")"),
             "'outputs'"},
            {test::replaced_once(good, R"("value_max": 1.0)", R"("value_max": 1e39)"), "preprocess.value_max"},
            {test::replaced_once(good, R"("shape": [5])", R"("shape": [18446744073709551615])"),
             "methods.text.inputs[0].shape"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.json);
            CHECK(code_of([&] { ModelMetadata::parse(c.json); }) == ErrorCode::model_metadata);
            CHECK(message_of([&] { ModelMetadata::parse(c.json); }).find(c.field) != std::string::npos);
        }
    }

    TEST_CASE("an image method needs preprocessing") {
        std::string j = R"({"schema_version": 1, "name": "m", "task": "scorer", "methods": {"image": {"name": "forward",
      "inputs": [{"name": "x"}], "outputs": [{"name": "y"}]}}})";
        CHECK(code_of([&] { ModelMetadata::parse(j); }) == ErrorCode::model_metadata);
    }

}  // TEST_SUITE
