// Internal: the only door to libtorch. Nothing outside src/runtime includes torch; callers
// hand over plain tensors and get plain tensors back.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acg2vec/model.hpp"

namespace acg2vec::detail {

// Files stored under extra/ in a TorchScript archive, by name. Throws model_load when the
// file is not a TorchScript (zip) archive.
std::map<std::string, std::string> read_archive_files(const std::string& path);

// What a method returned: tensors in order, named when it returned a dict.
struct MethodOutputs {
    bool named = false;
    std::vector<std::string> names;
    std::vector<Tensor> tensors;
};

class TorchModule {
public:
    struct LoadOptions {
        std::string device;
        Precision precision;
        Optimization optimization;
        int threads;
        std::vector<std::string> methods;  // must exist; kept when freezing
        Quantization quantization = Quantization::none;
    };
    static std::unique_ptr<TorchModule> load(const std::string& path, const LoadOptions& options);
    virtual ~TorchModule() = default;

    virtual std::string device() const = 0;
    // Thread-safe. Throws inference when the model raises.
    virtual MethodOutputs run(const std::string& method, const std::vector<InputTensor>& inputs) const = 0;
};

}  // namespace acg2vec::detail
