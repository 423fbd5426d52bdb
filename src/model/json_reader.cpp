#include "model/json_reader.hpp"

#include <cmath>

namespace acg2vec::detail {

void JsonReader::fail(const std::string& path, const std::string& why) const {
    throw Error(ErrorCode::model_metadata, source_ + ": " + path + ": " + why);
}

const Json& JsonReader::field(const Json& object, const std::string& path, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) fail(path, std::string("missing required field '") + key + "'");
    return *it;
}

const Json* JsonReader::section(const Json& document, const char* name, bool required) const {
    auto it = document.find(name);
    if (it == document.end()) {
        if (!required) return nullptr;
        fail(name, "missing section (an object)");
    }
    if (!it->is_object()) fail(name, "expected an object");
    return &*it;
}

std::string JsonReader::string(const Json& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "expected a string");
    return v.get<std::string>();
}

std::int64_t JsonReader::integer(const Json& v, const std::string& path, std::int64_t lo, std::int64_t hi) const {
    if (!v.is_number_integer()) fail(path, "expected an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) fail(path, "integer out of range");
    const auto n = v.get<std::int64_t>();
    if (n < lo || n > hi) fail(path, "must be in " + std::to_string(lo) + ".." + std::to_string(hi));
    return n;
}

float JsonReader::number(const Json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, "expected a number");
    const double d = v.get<double>();
    if (!(std::fabs(d) <= 3.0e38)) fail(path, "number out of range");
    return float(d);
}

Rgb JsonReader::color(const Json& v, const std::string& path) const {
    if (!v.is_array() || v.size() != 3) fail(path, "expected [r, g, b]");
    return Rgb{std::uint8_t(integer(v[0], path + "[0]", 0, 255)), std::uint8_t(integer(v[1], path + "[1]", 0, 255)),
               std::uint8_t(integer(v[2], path + "[2]", 0, 255))};
}

std::array<float, 3> JsonReader::triple(const Json& v, const std::string& path) const {
    if (!v.is_array() || v.size() != 3) fail(path, "expected three numbers");
    return {number(v[0], path + "[0]"), number(v[1], path + "[1]"), number(v[2], path + "[2]")};
}

std::string JsonReader::optional_string(const Json& object, const char* key, const std::string& path,
                                        const std::string& fallback) const {
    auto it = object.find(key);
    return it == object.end() ? fallback : string(*it, path + "." + key);
}

int JsonReader::optional_int(const Json& object, const char* key, const std::string& path, int fallback) const {
    auto it = object.find(key);
    return it == object.end() ? fallback : int(integer(*it, path + "." + key, INT32_MIN, INT32_MAX));
}

bool JsonReader::optional_bool(const Json& object, const char* key, const std::string& path, bool fallback) const {
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_boolean()) fail(path + "." + key, "expected true or false");
    return it->get<bool>();
}

}  // namespace acg2vec::detail
