// The one exception type of acg2vec. Its code is stable (the C ABI returns the same
// numbers); its message names the input (a path, "<memory>", "image 3 of batch") and why.
#pragma once

#include <stdexcept>
#include <string>

#include "acg2vec/export.hpp"

namespace acg2vec {

// Numeric values are part of the ABI: never renumber, only append.
enum class ErrorCode : int {
    ok = 0,
    invalid_argument = 1,    // a parameter or option is out of range or malformed
    invalid_image = 2,       // the bytes are an image of a known format, but corrupt or truncated
    unsupported_format = 3,  // not an image format we decode correctly (or not an image at all)
    image_too_large = 4,     // declared size exceeds the pixel limit, or width/height is zero
    model_load = 5,          // missing file, not a TorchScript archive, cannot be deserialised
    model_metadata = 6,      // acg2vec.json missing, malformed, or inconsistent with the model
    shape_mismatch = 7,      // an input or output tensor does not have the shape expected
    io = 8,                  // reading or writing a file failed
    index_format = 9,        // an index file is corrupt, truncated or of another format
    not_found = 10,          // a key, method, output or file inside an archive does not exist
    inference = 11,          // the model raised an error while running
    device = 12,             // the requested device is not available in this build or machine
    internal = 13,           // a bug in acg2vec: please report it
};

// Stable lower-case name of a code, e.g. "invalid_image".
ACG2VEC_API const char* error_code_name(ErrorCode code) noexcept;

class ACG2VEC_API Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message);
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace acg2vec
