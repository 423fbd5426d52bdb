// Runs a callable and reports the acg2vec error it raised (ErrorCode::ok when none).
#pragma once

#include <functional>
#include <string>

#include "acg2vec/error.hpp"

namespace acg2vec::test {

inline ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::ok;
}

inline std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace acg2vec::test
