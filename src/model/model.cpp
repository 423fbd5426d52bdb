// Model: opens the archive, reads and checks its metadata, and runs methods in batches of
// options.batch_size with inputs and outputs checked against the metadata.
#include <algorithm>
#include <filesystem>
#include <mutex>

#include "acg2vec/error.hpp"
#include "acg2vec/model.hpp"
#include "io/content_hash.hpp"
#include "model/metadata_document.hpp"
#include "runtime/torch_module.hpp"

namespace acg2vec {

struct Model::Impl {
    std::string path;
    ModelOptions options;
    ModelMetadata metadata;
    detail::Json document;  // acg2vec.json, parsed once; the tasks read their sections from it
    std::map<std::string, std::string> files;
    std::unique_ptr<detail::TorchModule> module;
    mutable std::once_flag fingerprint_once;  // hashed on first use: reading a large model takes time
    mutable std::string fingerprint;

    // module->run, with errors naming the model file.
    detail::MethodOutputs run_method(const std::string& method, const std::vector<InputTensor>& inputs) const;
};

namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

const std::vector<std::int64_t>& shape_of(const InputTensor& t) {
    return std::visit([](const auto& v) -> const std::vector<std::int64_t>& { return v.shape; }, t);
}

std::size_t data_size_of(const InputTensor& t) {
    return std::visit([](const auto& v) { return v.data.size(); }, t);
}

// `shape` (with its batch dimension) fits `spec` (without it)?
bool fits(const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& spec) {
    if (spec.empty()) return true;  // metadata left the shape open
    if (shape.size() != spec.size() + 1) return false;
    for (std::size_t i = 0; i < spec.size(); ++i) {
        if (spec[i] != -1 && spec[i] != shape[i + 1]) return false;
    }
    return true;
}

std::int64_t check_inputs(const ModelMetadata& meta, const std::string& role, const std::vector<InputTensor>& inputs) {
    const MethodSpec& method = meta.method(role);
    const std::string where = "model '" + meta.name + "', method '" + role + "'";
    if (inputs.size() != method.inputs.size()) {
        throw Error(ErrorCode::invalid_argument, where + ": expected " + std::to_string(method.inputs.size()) +
                                                     " input(s), got " + std::to_string(inputs.size()));
    }
    std::int64_t batch = -1;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const TensorSpec& spec = method.inputs[i];
        const auto& shape = shape_of(inputs[i]);
        const bool is_float = std::holds_alternative<Tensor>(inputs[i]);
        if (is_float != (spec.dtype == DType::float32)) {
            throw Error(ErrorCode::invalid_argument, where + ": input '" + spec.name + "' must be " +
                                                         (spec.dtype == DType::float32 ? "float32" : "int64"));
        }
        // The element count, refusing negative sizes and products that overflow.
        std::int64_t n = shape.empty() ? -1 : 1;
        for (auto d : shape) {
            if (n < 0 || d < 0 || __builtin_mul_overflow(n, d, &n)) n = -1;
        }
        if (n < 0 || std::size_t(n) != data_size_of(inputs[i])) {
            throw Error(ErrorCode::invalid_argument, where + ": input '" + spec.name + "' has shape " +
                                                         shape_text(shape) + " but " +
                                                         std::to_string(data_size_of(inputs[i])) + " values");
        }
        if (!fits(shape, spec.shape)) {
            throw Error(ErrorCode::shape_mismatch,
                        where + ": input '" + spec.name + "' has shape " + shape_text(shape) + ", expected [N" +
                            (spec.shape.empty() ? "" : ", ") + shape_text(spec.shape).substr(1));
        }
        if (batch >= 0 && shape[0] != batch) {
            throw Error(ErrorCode::invalid_argument, where + ": inputs disagree on the batch size");
        }
        batch = shape[0];
    }
    if (batch == 0) throw Error(ErrorCode::invalid_argument, where + ": empty batch");
    return batch;
}

NamedTensors name_outputs(const ModelMetadata& meta, const std::string& role, detail::MethodOutputs out,
                          std::int64_t batch) {
    const MethodSpec& method = meta.method(role);
    const std::string where = "model '" + meta.name + "', method '" + role + "'";
    NamedTensors named;
    if (!out.named && out.tensors.size() != method.outputs.size()) {
        throw Error(ErrorCode::shape_mismatch, where + ": returned " + std::to_string(out.tensors.size()) +
                                                   " output(s), acg2vec.json declares " +
                                                   std::to_string(method.outputs.size()));
    }
    for (std::size_t i = 0; i < method.outputs.size(); ++i) {
        const TensorSpec& spec = method.outputs[i];
        std::size_t index = i;
        if (out.named) {
            auto it = std::find(out.names.begin(), out.names.end(), spec.name);
            if (it == out.names.end()) {
                throw Error(ErrorCode::shape_mismatch, where + ": returned no output named '" + spec.name + "'");
            }
            index = std::size_t(it - out.names.begin());
        }
        Tensor& t = out.tensors[index];
        if (t.shape.empty() || t.shape[0] != batch || !fits(t.shape, spec.shape)) {
            throw Error(ErrorCode::shape_mismatch, where + ": output '" + spec.name + "' has shape " +
                                                       shape_text(t.shape) + ", acg2vec.json declares [" +
                                                       std::to_string(batch) + (spec.shape.empty() ? "" : ", ") +
                                                       shape_text(spec.shape).substr(1));
        }
        named[spec.name] = std::move(t);
    }
    return named;
}

InputTensor slice(const InputTensor& input, std::int64_t begin, std::int64_t end) {
    return std::visit(
        [&](const auto& t) -> InputTensor {
            auto s = t;
            const std::size_t row = t.data.size() / std::size_t(t.shape[0]);
            s.shape[0] = end - begin;
            s.data.assign(t.data.begin() + begin * row, t.data.begin() + end * row);
            return s;
        },
        input);
}

void append(NamedTensors& total, NamedTensors&& part) {
    for (auto& [name, t] : part) {
        auto it = total.find(name);
        if (it == total.end()) {
            total.emplace(name, std::move(t));
            continue;
        }
        if (!std::equal(t.shape.begin() + 1, t.shape.end(), it->second.shape.begin() + 1, it->second.shape.end())) {
            throw Error(ErrorCode::shape_mismatch, "output '" + name + "' changes shape between batches: " +
                                                       shape_text(it->second.shape) + " then " + shape_text(t.shape));
        }
        it->second.shape[0] += t.shape[0];
        it->second.data.insert(it->second.data.end(), t.data.begin(), t.data.end());
    }
}

}  // namespace

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Model Model::open(const std::string& path, const ModelOptions& options) {
    if (options.batch_size < 1) throw Error(ErrorCode::invalid_argument, "ModelOptions::batch_size must be >= 1");
    // Bounded: a typo such as 100000 would otherwise start that many threads (seen: 27,000
    // threads, 1.6 GB, one image unfinished after 10 minutes).
    if (options.threads < 0 || options.threads > max_threads)
        throw Error(ErrorCode::invalid_argument, "threads: " + std::to_string(options.threads) +
                                                     " is not 0 (one per core) to " + std::to_string(max_threads));
    if (options.decode_threads < 0 || options.decode_threads > max_threads)
        throw Error(ErrorCode::invalid_argument, "decode threads: " + std::to_string(options.decode_threads) +
                                                     " is not 0 (as the cores allow) to " +
                                                     std::to_string(max_threads));
    if (options.decode_schedule != DecodeSchedule::automatic && options.decode_schedule != DecodeSchedule::overlap &&
        options.decode_schedule != DecodeSchedule::alternate) {
        throw Error(ErrorCode::invalid_argument, "ModelOptions::decode_schedule is not a DecodeSchedule value");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw Error(ErrorCode::model_load, path + ": no such model file");
    }
    auto impl = std::make_shared<Impl>();
    impl->path = path;
    impl->options = options;
    impl->files = detail::read_archive_files(path);

    std::string json_text;
    if (options.metadata_json) {
        json_text = *options.metadata_json;
    } else {
        auto it = impl->files.find("acg2vec.json");
        if (it == impl->files.end()) {
            throw Error(ErrorCode::model_metadata,
                        path +
                            ": no acg2vec.json inside the archive (export the model with the acg2vec exporter, "
                            "or pass ModelOptions::metadata_json)");
        }
        json_text = it->second;
    }
    impl->document = detail::parse_metadata_document(json_text, path + ":acg2vec.json");
    impl->metadata = detail::read_metadata(impl->document, json_text, path + ":acg2vec.json");
    if (options.preprocess) {
        impl->metadata.preprocess = options.preprocess;
        impl->metadata.validate(path + ": ModelOptions::preprocess");
    }
    impl->files.erase("acg2vec.json");
    if (!impl->metadata.labels.empty() && impl->files.count(impl->metadata.labels) == 0) {
        throw Error(ErrorCode::model_metadata,
                    path + ": acg2vec.json names labels '" + impl->metadata.labels + "', which is not in the archive");
    }

    detail::TorchModule::LoadOptions load{
        options.device, options.precision, options.optimization, options.threads, {}, impl->metadata.quantization};
    for (const auto& kv : impl->metadata.methods) load.methods.push_back(kv.second.name);
    try {
        impl->module = detail::TorchModule::load(path, load);
    } catch (const Error& e) {
        const std::string what = e.what();
        throw Error(e.code(), what.compare(0, path.size(), path) == 0 ? what : path + ": " + what);
    }
    return Model(std::move(impl));
}

const ModelMetadata& Model::metadata() const { return impl_->metadata; }

const detail::Json& detail::ModelAccess::document(const Model& model) { return model.impl_->document; }
const ModelOptions& Model::options() const { return impl_->options; }
const std::string& Model::path() const { return impl_->path; }

const std::string& Model::fingerprint() const {
    std::call_once(impl_->fingerprint_once, [&] { impl_->fingerprint = detail::content_hash_file(impl_->path); });
    return impl_->fingerprint;
}
std::string Model::device() const { return impl_->module->device(); }

std::vector<std::string> Model::file_names() const {
    std::vector<std::string> names;
    for (const auto& kv : impl_->files) names.push_back(kv.first);
    return names;
}

const std::string& Model::file(const std::string& name) const {
    auto it = impl_->files.find(name);
    if (it == impl_->files.end())
        throw Error(ErrorCode::not_found, impl_->path + ": no file '" + name + "' in the archive");
    return it->second;
}

detail::MethodOutputs Model::Impl::run_method(const std::string& method, const std::vector<InputTensor>& inputs) const {
    try {
        return module->run(method, inputs);
    } catch (const Error& e) {
        throw Error(e.code(), path + ": " + e.what());
    }
}

NamedTensors Model::run(const std::string& role, const std::vector<InputTensor>& inputs) const {
    const std::int64_t batch = check_inputs(impl_->metadata, role, inputs);
    const std::string& method = impl_->metadata.method(role).name;
    const std::int64_t chunk = impl_->options.batch_size;
    if (batch <= chunk) return name_outputs(impl_->metadata, role, impl_->run_method(method, inputs), batch);
    NamedTensors total;
    for (std::int64_t begin = 0; begin < batch; begin += chunk) {
        const std::int64_t end = std::min(batch, begin + chunk);
        std::vector<InputTensor> part;
        for (const auto& input : inputs) part.push_back(slice(input, begin, end));
        append(total, name_outputs(impl_->metadata, role, impl_->run_method(method, part), end - begin));
    }
    return total;
}

}  // namespace acg2vec
