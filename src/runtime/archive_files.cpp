// Reads the extra files of a TorchScript archive (what torch.jit.save(..., _extra_files=)
// stores under <archive>/extra/) without loading the model itself.
#include <caffe2/serialize/inline_container.h>

#include "acg2vec/error.hpp"
#include "runtime/torch_module.hpp"

namespace acg2vec::detail {

std::map<std::string, std::string> read_archive_files(const std::string& path) {
    std::map<std::string, std::string> files;
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        const std::string prefix = "extra/";
        for (const std::string& record : reader.getAllRecords()) {
            if (record.compare(0, prefix.size(), prefix) != 0) continue;
            auto [data, size] = reader.getRecord(record);
            files.emplace(record.substr(prefix.size()), std::string(static_cast<const char*>(data.get()), size));
        }
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::model_load, path + ": not a TorchScript archive (" + e.what_without_backtrace() + ")");
    }
    return files;
}

}  // namespace acg2vec::detail
