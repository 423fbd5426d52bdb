// Internal: reads native-endian values from a byte buffer, refusing to read past its end.
// Every read of an untrusted file format goes through one of these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {

class BoundedReader {
public:
    // Failures throw Error(`code`, "<source>: <why>").
    BoundedReader(const char* data, std::size_t size, const std::string& source, ErrorCode code)
        : data_(data), size_(size), source_(source), code_(code) {}

    template <class T>
    T pod() {
        T v;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
    // A u32 length, then that many bytes (at most `max_length`).
    std::string str(std::size_t max_length) {
        const auto n = pod<std::uint32_t>();
        if (n > max_length) fail("a string is implausibly long");
        return std::string(take(n), n);
    }
    const char* take(std::size_t n) {
        if (n > size_ - at_) fail("file is truncated");
        const char* p = data_ + at_;
        at_ += n;
        return p;
    }
    std::size_t at() const { return at_; }
    bool done() const { return at_ == size_; }
    [[noreturn]] void fail(const std::string& why) const { throw Error(code_, source_ + ": " + why); }

private:
    const char* data_;
    std::size_t size_, at_ = 0;
    const std::string& source_;
    ErrorCode code_;
};

}  // namespace acg2vec::detail
