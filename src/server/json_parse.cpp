#include "server/json_parse.hpp"

#include <cstdint>

#include <simdjson.h>

namespace acg2vec::server {
namespace {

using Json = nlohmann::json;

// nlohmann's own types for what it would have parsed: non-negative integers are
// number_unsigned, negative ones number_integer.
Json to_json(simdjson::dom::element e) {
    switch (e.type()) {
        case simdjson::dom::element_type::OBJECT: {
            Json object = Json::object();
            for (const auto field : simdjson::dom::object(e)) {
                object[std::string(field.key)] = to_json(field.value);  // a repeated key: the last wins, as in nlohmann
            }
            return object;
        }
        case simdjson::dom::element_type::ARRAY: {
            Json array = Json::array();
            for (const simdjson::dom::element item : simdjson::dom::array(e)) array.push_back(to_json(item));
            return array;
        }
        case simdjson::dom::element_type::STRING: return std::string(std::string_view(e));
        case simdjson::dom::element_type::INT64: {
            const std::int64_t v = std::int64_t(e);
            return v >= 0 ? Json(std::uint64_t(v)) : Json(v);
        }
        case simdjson::dom::element_type::UINT64: return std::uint64_t(e);
        case simdjson::dom::element_type::DOUBLE: return double(e);
        case simdjson::dom::element_type::BOOL: return bool(e);
        case simdjson::dom::element_type::NULL_VALUE: return nullptr;
    }
    return nullptr;
}

}  // namespace

std::optional<Json> parse_json(const std::string& text) {
    // A parser per call, not per thread: its buffers take about 13 bytes per byte of the
    // largest document it has seen, and kept in each of the server's HTTP threads they raised
    // its idle RSS from 248 to 510 MB (measured). Allocating them again costs microseconds.
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text).get(root) == simdjson::SUCCESS) return to_json(root);
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

}  // namespace acg2vec::server
