#include "tasks/config_fields.hpp"

#include "acg2vec/error.hpp"

namespace acg2vec::detail {

const Json* config_section(const Model& model, const char* name, bool required) {
    const Json& document = model_document(model);
    if (required && document.is_object() && !document.contains(name)) {
        std::string sections;
        for (const char* s : {"tagger", "scorer", "embedder"})
            if (document.contains(s)) sections += (sections.empty() ? "" : ", ") + std::string(s);
        config_fail(model, name,
                    std::string("missing section: this is a ") + model.metadata().task +
                        " model (sections: " + (sections.empty() ? "none" : sections) + "), not a " + name);
    }
    return model_reader(model).section(document, name, required);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

const std::string& archive_file(const Model& model, const std::string& name, const std::string& field) {
    try {
        return model.file(name);
    } catch (const Error&) {
        config_fail(model, field, "file '" + name + "' is not in the archive");
    }
}

std::string method_output(const Model& model, const std::string& role, const std::string& name,
                          const std::string& field) {
    // A task model without the method its task needs is a bad model file, not a lookup miss.
    if (model.metadata().methods.count(role) == 0) config_fail(model, "methods", "no '" + role + "' method");
    const auto& outputs = model.metadata().method(role).outputs;
    if (name.empty()) {
        if (outputs.size() != 1) config_fail(model, field, "the " + role + " method has several outputs; name one");
        return outputs.front().name;
    }
    for (const auto& o : outputs) {
        if (o.name == name) return name;
    }
    config_fail(model, field, "the " + role + " method has no output '" + name + "'");
}

std::int64_t output_width(const Model& model, const std::string& role, const std::string& output) {
    for (const TensorSpec& spec : model.metadata().method(role).outputs) {
        if (spec.name != output) continue;
        if (spec.shape.size() == 1 && spec.shape[0] > 0) return spec.shape[0];
    }
    if (role != "image") return 0;
    const PreprocessSpec& pre = *model.metadata().preprocess;
    Tensor blank{pre.batch_shape(1), std::vector<float>(pre.sample_size(), 0.0f)};
    const NamedTensors outputs = model.run("image", {blank});
    return std::int64_t(outputs.at(output).data.size());
}

}  // namespace acg2vec::detail
