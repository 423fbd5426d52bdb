// A JSON response. Invalid UTF-8 that reached a value (a key or a file name from the request,
// a label from a model's table) is replaced, never thrown: an answer is always sent.
#pragma once

#include <nlohmann/json.hpp>

#include "server/http_message.hpp"

namespace acg2vec::server {

inline HttpResponse json_response(int status, const nlohmann::json& body) {
    return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace acg2vec::server
