#include "tasks/task_config.hpp"

#include "acg2vec/error.hpp"
#include "tasks/config_fields.hpp"
#include "tasks/numeric_bins.hpp"

namespace acg2vec::detail {
namespace {

[[noreturn]] void fail(const Model& model, const std::string& field, const std::string& why) {
    config_fail(model, field, why);
}

Activation parse_activation(const Model& model, const std::string& text, const std::string& field) {
    if (text == "none") return Activation::none;
    if (text == "sigmoid") return Activation::sigmoid;
    if (text == "softmax") return Activation::softmax;
    fail(model, field, "'" + text + "' is not none, sigmoid or softmax");
}

}  // namespace

std::string image_output(const Model& model, const std::string& name, const std::string& field) {
    return method_output(model, "image", name, field);
}

TaggerConfig read_tagger_config(const Model& model) {
    const Json& j = *config_section(model, "tagger", true);
    const JsonReader r = model_reader(model);
    TaggerConfig config;
    config.output = image_output(model, r.optional_string(j, "output", "tagger", ""), "tagger.output");
    config.activation =
        parse_activation(model, r.optional_string(j, "activation", "tagger", "none"), "tagger.activation");
    if (config.activation == Activation::softmax)
        fail(model, "tagger.activation", "a tagger is multi-label: none or sigmoid");
    const std::string& labels_name = model.metadata().labels;
    if (labels_name.empty()) fail(model, "labels", "a tagger needs a label table");
    const std::string& text = archive_file(model, labels_name, "labels");
    const std::string source = model.path() + ":" + labels_name;
    const std::string format = r.optional_string(j, "label_format", "tagger", "selected_tags");
    if (format == "selected_tags") {
        config.labels = parse_selected_tags_csv(text, source);
    } else if (format == "deepdanbooru") {
        auto count = [&](const char* key) -> std::size_t {
            auto it = j.find(key);
            if (it == j.end() || !it->is_number_unsigned())
                fail(model, std::string("tagger.") + key, "expected a count");
            return it->get<std::size_t>();
        };
        config.labels = parse_deepdanbooru_tags(text, count("general_count"), count("character_count"), source);
    } else {
        fail(model, "tagger.label_format", "'" + format + "' is not selected_tags or deepdanbooru");
    }
    const std::int64_t width = output_width(model, "image", config.output);
    if (width != std::int64_t(config.labels.size())) {
        fail(model, "labels",
             "the label table has " + std::to_string(config.labels.size()) + " labels but output '" + config.output +
                 "' has " + std::to_string(width));
    }
    return config;
}

std::vector<HeadConfig> read_scorer_config(const Model& model) {
    const Json& j = *config_section(model, "scorer", true);
    const JsonReader r = model_reader(model);
    auto heads = j.find("heads");
    if (heads == j.end() || !heads->is_array() || heads->empty())
        fail(model, "scorer.heads", "expected a non-empty array");
    std::vector<HeadConfig> configs;
    for (std::size_t i = 0; i < heads->size(); ++i) {
        const Json& h = (*heads)[i];
        const std::string path = "scorer.heads[" + std::to_string(i) + "]";
        if (!h.is_object()) fail(model, path, "expected an object");
        HeadConfig head;
        head.name = r.optional_string(h, "name", path, "");
        if (head.name.empty()) fail(model, path + ".name", "required");
        for (const auto& other : configs) {
            if (other.name == head.name) fail(model, path + ".name", "duplicate head '" + head.name + "'");
        }
        head.output = image_output(model, r.optional_string(h, "output", path, ""), path + ".output");
        head.activation =
            parse_activation(model, r.optional_string(h, "activation", path, "softmax"), path + ".activation");
        auto labels = h.find("labels");
        if (labels == h.end()) fail(model, path + ".labels", "required: an array of names or an archive file name");
        if (labels->is_string()) {
            head.labels = lines_of(archive_file(model, labels->get<std::string>(), path + ".labels"));
        } else if (labels->is_array()) {
            for (const auto& l : *labels) {
                if (!l.is_string()) fail(model, path + ".labels", "expected strings");
                head.labels.push_back(l.get<std::string>());
            }
        } else {
            fail(model, path + ".labels", "expected an array of names or an archive file name");
        }
        if (auto values = h.find("values"); values != h.end()) {
            if (!values->is_array() || values->size() != head.labels.size()) {
                fail(model, path + ".values", "expected one number per label");
            }
            for (const auto& v : *values) {
                if (!v.is_number()) fail(model, path + ".values", "expected numbers");
                head.values.push_back(v.get<double>());
            }
        } else {
            head.values = numeric_bin_values(head.labels);
        }
        const std::int64_t width = output_width(model, "image", head.output);
        if (width != std::int64_t(head.labels.size())) {
            fail(model, path + ".labels",
                 "has " + std::to_string(head.labels.size()) + " labels but output '" + head.output + "' has " +
                     std::to_string(width));
        }
        configs.push_back(std::move(head));
    }
    return configs;
}

}  // namespace acg2vec::detail
