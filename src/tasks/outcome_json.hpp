// Internal: how a failed batch item appears in the JSON outputs.
#pragma once

#include <nlohmann/json.hpp>

#include "acg2vec/outcome.hpp"

namespace acg2vec::detail {

using OrderedJson = nlohmann::ordered_json;

template <class Result>
OrderedJson error_entry(const Outcome<Result>& o) {
    return OrderedJson{
        {"error", OrderedJson{{"code", error_code_name(o.error)}, {"message", o.message}, {"input", o.input}}}};
}

// Serialises with invalid UTF-8 (from a label table) replaced rather than throwing.
inline std::string json_text(const OrderedJson& j) {
    return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace acg2vec::detail
