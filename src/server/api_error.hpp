// An error a handler answers with: the HTTP status, a stable code and a message that names the
// field or image and the reason. Library errors map to statuses in one place (status_for).
#pragma once

#include <stdexcept>
#include <string>

#include "acg2vec/error.hpp"

namespace acg2vec::server {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }

private:
    int status_;
    std::string code_;
};

// What a library error means for the client: bad input is 4xx, the model or the machine 5xx.
inline int status_for(ErrorCode code) {
    switch (code) {
        case ErrorCode::invalid_argument:
        case ErrorCode::invalid_image:
        case ErrorCode::unsupported_format:
        case ErrorCode::image_too_large:
        case ErrorCode::shape_mismatch: return 400;
        case ErrorCode::not_found: return 404;
        default: return 500;
    }
}

// A library error as an ApiError, its message prefixed with `where` ("images[2]") when given.
inline ApiError api_error(const Error& e, const std::string& where = {}) {
    return ApiError(status_for(e.code()), error_code_name(e.code()),
                    where.empty() ? e.what() : where + ": " + e.what());
}

}  // namespace acg2vec::server
