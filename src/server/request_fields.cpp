#include "server/request_fields.hpp"

#include <cmath>
#include <vector>

#include "server/api_error.hpp"
#include "server/json_parse.hpp"

namespace acg2vec::server {
namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw ApiError(400, "invalid_argument", field + ": " + why);
}

}  // namespace

Json json_body(const HttpRequest& request) {
    if (request.body.empty()) throw ApiError(400, "invalid_argument", "the request has no body (a JSON object)");
    std::optional<Json> j = parse_json(request.body);
    if (!j) throw ApiError(400, "invalid_argument", "the body is not valid JSON");
    if (!j->is_object()) throw ApiError(400, "invalid_argument", "the body must be a JSON object");
    return std::move(*j);
}

const Json& required(const Json& object, const std::string& field) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) bad(field, "missing");
    return *it;
}

std::string string_field(const Json& object, const std::string& field, const std::optional<std::string>& fallback) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) {
        if (!fallback) bad(field, "missing");
        return *fallback;
    }
    if (!it->is_string()) bad(field, "expected a string");
    return it->get<std::string>();
}

double number_field(const Json& object, const std::string& field, double fallback, double lo, double hi) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number()) bad(field, "expected a number");
    const double v = it->get<double>();
    if (!(v >= lo && v <= hi)) bad(field, "must be in " + Json(lo).dump() + ".." + Json(hi).dump());
    return v;
}

std::vector<float> vector_field(const Json& object, const std::string& field) {
    const Json& v = required(object, field);
    if (!v.is_array()) bad(field, "expected an array of numbers");
    std::vector<float> out;
    for (const Json& x : v) {
        if (!x.is_number()) bad(field, "expected numbers");
        out.push_back(x.get<float>());
    }
    return out;
}

std::size_t count_field(const Json& object, const std::string& field, std::size_t fallback, std::size_t hi) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() > hi)
        bad(field, "expected a whole number in 1.." + std::to_string(hi));
    return std::size_t(it->get<std::uint64_t>());
}

ImageInput json_image(const Json& value, const std::string& field) {
    if (!value.is_string()) bad(field, "expected a base64 string or a data URL");
    if (value.get_ref<const std::string&>().empty()) bad(field, "empty image");
    return ImageInput::base64(value.get<std::string>(), field);
}

ImageInput multipart_image(const HttpRequest& request, const std::string& field) {
    const FormPart* part = request.part(field);
    if (part == nullptr) bad(field, "missing: send the image as a multipart/form-data file named '" + field + "'");
    if (part->content.empty()) bad(field, "empty file");
    std::vector<std::uint8_t> bytes(part->content.begin(), part->content.end());
    return ImageInput::memory(std::move(bytes), part->filename.empty() ? field : field + " (" + part->filename + ")");
}

}  // namespace acg2vec::server
