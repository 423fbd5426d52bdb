#include "acg2vec/error.hpp"

namespace acg2vec {

const char* error_code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::ok: return "ok";
        case ErrorCode::invalid_argument: return "invalid_argument";
        case ErrorCode::invalid_image: return "invalid_image";
        case ErrorCode::unsupported_format: return "unsupported_format";
        case ErrorCode::image_too_large: return "image_too_large";
        case ErrorCode::model_load: return "model_load";
        case ErrorCode::model_metadata: return "model_metadata";
        case ErrorCode::shape_mismatch: return "shape_mismatch";
        case ErrorCode::io: return "io";
        case ErrorCode::index_format: return "index_format";
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::inference: return "inference";
        case ErrorCode::device: return "device";
        case ErrorCode::internal: return "internal";
    }
    return "unknown";
}

Error::Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

}  // namespace acg2vec
