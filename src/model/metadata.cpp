// acg2vec.json -> ModelMetadata. Every field is checked here, so a bad file fails at load
// with the field's path in the message, never later at inference.
#include "acg2vec/error.hpp"
#include "acg2vec/model.hpp"
#include "model/json_reader.hpp"
#include "model/metadata_document.hpp"

namespace acg2vec {
namespace {

using Reader = detail::JsonReader;
using detail::Json;

constexpr int kSchemaVersion = 1;

PreprocessSpec parse_preprocess(const Reader& r, const Json& j) {
    const std::string p = "preprocess";
    if (!j.is_object()) r.fail(p, "expected an object");
    PreprocessSpec s;
    s.width = int(r.integer(r.field(j, p, "width"), p + ".width", 1, 16384));
    s.height = int(r.integer(r.field(j, p, "height"), p + ".height", 1, 16384));
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        const std::string path = p + "." + key;
        try {
            if (key == "width" || key == "height") continue;
            if (key == "resize_mode")
                s.resize_mode = parse_resize_mode(r.string(v, path));
            else if (key == "interpolation")
                s.interpolation = parse_interpolation(r.string(v, path));
            else if (key == "shorter_side")
                s.shorter_side = int(r.integer(v, path, 0, 16384));
            else if (key == "crop_rounding")
                s.crop_rounding = r.choice(
                    v, path,
                    {std::pair{"half_even", CropRounding::half_even}, std::pair{"floor", CropRounding::floor}});
            else if (key == "pad_mode")
                s.pad_mode =
                    r.choice(v, path, {std::pair{"constant", PadMode::constant}, std::pair{"edge", PadMode::edge}});
            else if (key == "pad_placement")
                s.pad_placement = r.choice(
                    v, path, {std::pair{"floor", PadPlacement::floor}, std::pair{"exact", PadPlacement::exact}});
            else if (key == "jpeg_idct")
                s.jpeg_idct =
                    r.choice(v, path, {std::pair{"accurate", JpegIdct::accurate}, std::pair{"fast", JpegIdct::fast}});
            else if (key == "pad_color")
                s.pad_color = r.color(v, path);
            else if (key == "alpha")
                s.alpha =
                    r.choice(v, path,
                             {std::pair{"composite", AlphaMode::composite}, std::pair{"ignore", AlphaMode::ignore},
                              std::pair{"ignore_after_resize", AlphaMode::ignore_after_resize}});
            else if (key == "background")
                s.background = r.color(v, path);
            else if (key == "channel_order")
                s.channel_order =
                    r.choice(v, path, {std::pair{"rgb", ChannelOrder::rgb}, std::pair{"bgr", ChannelOrder::bgr}});
            else if (key == "layout")
                s.layout = r.choice(v, path, {std::pair{"nchw", Layout::nchw}, std::pair{"nhwc", Layout::nhwc}});
            else if (key == "value_max")
                s.value_max = r.number(v, path);
            else if (key == "mean")
                s.mean = r.triple(v, path);
            else if (key == "std")
                s.std = r.triple(v, path);
            else
                r.fail(path, "unknown field");
        } catch (const Error& e) {
            if (e.code() == ErrorCode::model_metadata) throw;
            r.fail(path, e.what());
        }
    }
    try {
        s.validate();
    } catch (const Error& e) {
        r.fail(p, e.what());
    }
    return s;
}

std::vector<TensorSpec> parse_tensor_specs(const Reader& r, const Json& j, const std::string& path) {
    if (!j.is_array() || j.empty()) r.fail(path, "expected a non-empty array of tensors");
    std::vector<TensorSpec> specs;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string p = path + "[" + std::to_string(i) + "]";
        if (!j[i].is_object()) r.fail(p, "expected an object with name, dtype, shape");
        TensorSpec t;
        t.name = r.string(r.field(j[i], p, "name"), p + ".name");
        if (auto d = j[i].find("dtype"); d != j[i].end()) {
            t.dtype =
                r.choice(*d, p + ".dtype", {std::pair{"float32", DType::float32}, std::pair{"int64", DType::int64}});
        }
        if (auto s = j[i].find("shape"); s != j[i].end()) {
            if (!s->is_array()) r.fail(p + ".shape", "expected an array of sizes (-1 for any)");
            for (std::size_t k = 0; k < s->size(); ++k) {
                t.shape.push_back(r.integer((*s)[k], p + ".shape[" + std::to_string(k) + "]", -1, 1LL << 40));
                if (t.shape.back() == 0) r.fail(p + ".shape", "sizes must be positive or -1");
            }
        }
        for (const auto& other : specs) {
            if (other.name == t.name) r.fail(p + ".name", "duplicate tensor name '" + t.name + "'");
        }
        specs.push_back(std::move(t));
    }
    return specs;
}

MethodSpec parse_method(const Reader& r, const Json& j, const std::string& path) {
    if (!j.is_object()) r.fail(path, "expected an object");
    MethodSpec m;
    m.name = r.string(r.field(j, path, "name"), path + ".name");
    m.inputs = parse_tensor_specs(r, r.field(j, path, "inputs"), path + ".inputs");
    m.outputs = parse_tensor_specs(r, r.field(j, path, "outputs"), path + ".outputs");
    return m;
}

// An image method's input must be what the preprocessing produces.
void check_image_input(const Reader& r, const ModelMetadata& m) {
    auto it = m.methods.find("image");
    if (it == m.methods.end()) return;
    if (!m.preprocess) r.fail("methods.image", "an image method needs a 'preprocess' section");
    const TensorSpec& input = it->second.inputs.front();
    auto expected = m.preprocess->batch_shape(1);
    expected.erase(expected.begin());
    if (input.dtype != DType::float32) r.fail("methods.image.inputs[0].dtype", "image input must be float32");
    if (input.shape.empty()) return;
    bool same = input.shape.size() == expected.size();
    for (std::size_t i = 0; same && i < expected.size(); ++i) {
        same = input.shape[i] == -1 || input.shape[i] == expected[i];
    }
    if (!same) r.fail("methods.image.inputs[0].shape", "does not match the preprocess size and layout");
}

}  // namespace

namespace detail {

Json parse_metadata_document(const std::string& json_text, const std::string& source) {
    const Reader r{source};
    Json j = Json::parse(json_text, nullptr, false);
    if (j.is_discarded()) r.fail("(document)", "not valid JSON");
    if (!j.is_object()) r.fail("(document)", "expected a JSON object");
    return j;
}

ModelMetadata read_metadata(const Json& j, const std::string& json_text, const std::string& source) {
    const Reader r{source};
    ModelMetadata m;
    m.json = json_text;
    m.schema_version = int(r.integer(r.field(j, "(document)", "schema_version"), "schema_version", 1, 1 << 20));
    if (m.schema_version > kSchemaVersion) {
        r.fail("schema_version", std::to_string(m.schema_version) + " is newer than this acg2vec reads (" +
                                     std::to_string(kSchemaVersion) + "); upgrade acg2vec");
    }
    m.name = r.string(r.field(j, "(document)", "name"), "name");
    if (m.name.empty()) r.fail("name", "must not be empty");
    m.task = r.string(r.field(j, "(document)", "task"), "task");
    if (auto v = j.find("version"); v != j.end()) m.version = r.string(*v, "version");
    if (auto v = j.find("description"); v != j.end()) m.description = r.string(*v, "description");
    if (auto v = j.find("labels"); v != j.end()) m.labels = r.string(*v, "labels");
    if (auto v = j.find("preprocess"); v != j.end()) m.preprocess = parse_preprocess(r, *v);
    if (auto v = j.find("quantization"); v != j.end()) {
        m.quantization = r.choice(*v, "quantization", {std::pair{"dynamic_int8", Quantization::dynamic_int8}});
    }

    const Json& methods = r.field(j, "(document)", "methods");
    if (!methods.is_object() || methods.empty()) r.fail("methods", "expected an object of role -> method");
    for (auto it = methods.begin(); it != methods.end(); ++it) {
        m.methods[it.key()] = parse_method(r, it.value(), "methods." + it.key());
    }
    m.validate(source);
    return m;
}

}  // namespace detail

ModelMetadata ModelMetadata::parse(const std::string& json_text, const std::string& source) {
    return detail::read_metadata(detail::parse_metadata_document(json_text, source), json_text, source);
}

PreprocessSpec parse_preprocess_json(const std::string& json_text, const std::string& source) {
    const Reader r{source};
    const Json j = Json::parse(json_text, nullptr, false);
    if (j.is_discarded()) r.fail("(document)", "not valid JSON");
    PreprocessSpec spec = parse_preprocess(r, j);
    try {
        spec.validate();
    } catch (const Error& e) {
        r.fail("preprocess", e.what());
    }
    return spec;
}

void ModelMetadata::validate(const std::string& source) const {
    const Reader r{source};
    if (preprocess) {
        try {
            preprocess->validate();
        } catch (const Error& e) {
            r.fail("preprocess", e.what());
        }
    }
    check_image_input(r, *this);
}

const MethodSpec& ModelMetadata::method(const std::string& role) const {
    auto it = methods.find(role);
    if (it == methods.end()) {
        std::string roles;
        for (const auto& kv : methods) roles += (roles.empty() ? "" : ", ") + kv.first;
        throw Error(ErrorCode::not_found, "model '" + name + "' has no '" + role + "' method (it has: " + roles + ")");
    }
    return it->second;
}

}  // namespace acg2vec
