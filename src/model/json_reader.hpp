// Internal: the one reader of acg2vec.json. The model parses the document once at load
// (metadata.cpp), the task sections are read from that same document (tasks/), and every
// failure is Error(model_metadata) "SOURCE: FIELD.PATH: why", e.g.
// "wd.pt:acg2vec.json: scorer.heads[1].labels: expected strings".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec::detail {

using Json = nlohmann::json;

class JsonReader {
public:
    explicit JsonReader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& why) const;

    // A required member of `object` (at `path`), or fail naming it.
    const Json& field(const Json& object, const std::string& path, const char* key) const;
    // A section of the document (an object), or null when absent and not required.
    const Json* section(const Json& document, const char* name, bool required) const;

    std::string string(const Json& v, const std::string& path) const;
    std::int64_t integer(const Json& v, const std::string& path, std::int64_t lo, std::int64_t hi) const;
    float number(const Json& v, const std::string& path) const;
    Rgb color(const Json& v, const std::string& path) const;
    std::array<float, 3> triple(const Json& v, const std::string& path) const;

    // Optional members of `object` at `path`: the fallback when absent, else checked.
    std::string optional_string(const Json& object, const char* key, const std::string& path,
                                const std::string& fallback) const;
    int optional_int(const Json& object, const char* key, const std::string& path, int fallback) const;
    bool optional_bool(const Json& object, const char* key, const std::string& path, bool fallback) const;

    // One of the named values, or fail listing them.
    template <class Enum, std::size_t N>
    Enum choice(const Json& v, const std::string& path, const std::pair<const char*, Enum> (&options)[N]) const {
        const std::string s = string(v, path);
        std::string names;
        for (const auto& o : options) {
            if (s == o.first) return o.second;
            names += names.empty() ? o.first : std::string(", ") + o.first;
        }
        fail(path, "'" + s + "' is not one of " + names);
    }

private:
    std::string source_;
};

}  // namespace acg2vec::detail
