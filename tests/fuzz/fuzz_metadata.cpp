// ModelMetadata::parse on arbitrary acg2vec.json text: whatever it accepts must be a
// consistent description (validate() agrees, the preprocessing is usable).
#include <cstddef>
#include <cstdint>
#include <string>

#include "acg2vec/model.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    return fuzz::run_one([&] {
        const ModelMetadata m = ModelMetadata::parse(text, "fuzz.json");
        fuzz::require(!m.name.empty() && !m.methods.empty(), "name and methods present");
        fuzz::require(m.json == text, "the document is kept whole");
        for (const auto& [role, method] : m.methods) {
            fuzz::require(!method.inputs.empty() && !method.outputs.empty(), "every method has inputs and outputs");
            fuzz::require(&m.method(role) == &method, "method() finds every role");
        }
        m.validate("fuzz.json");  // must not throw for what parse accepted
        if (m.preprocess) {
            fuzz::require(
                m.preprocess->sample_size() == 3 * std::size_t(m.preprocess->width) * std::size_t(m.preprocess->height),
                "sample size");
            fuzz::require(m.preprocess->batch_shape(2).size() == 4, "batch shape is 4-d");
        }
    });
}
