// The fuzz build links no libtorch. The C API's result functions pull in the task classes,
// which reach Model::open and through it the two entry points of src/runtime; here they
// refuse every model, so the torch-free parts link and nothing pretends to load a model.
#include "acg2vec/error.hpp"
#include "runtime/torch_module.hpp"

namespace acg2vec::detail {

std::map<std::string, std::string> read_archive_files(const std::string& path) {
    throw Error(ErrorCode::model_load, path + ": this fuzz build has no libtorch");
}

std::unique_ptr<TorchModule> TorchModule::load(const std::string& path, const LoadOptions&) {
    throw Error(ErrorCode::model_load, path + ": this fuzz build has no libtorch");
}

}  // namespace acg2vec::detail
