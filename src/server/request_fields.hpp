// Reading a request's fields with errors that name them: a JSON body, its members, and images
// given as base64 / data URLs in JSON or as multipart files. Every failure is an ApiError 400
// naming the field ("images[2]", "threshold").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acg2vec/image_input.hpp"
#include "server/http_message.hpp"
#include "server/json_response.hpp"

namespace acg2vec::server {

using Json = nlohmann::json;

// The body as a JSON object.
Json json_body(const HttpRequest& request);

// Members of a JSON object: required, or optional with a fallback.
const Json& required(const Json& object, const std::string& field);
std::string string_field(const Json& object, const std::string& field, const std::optional<std::string>& fallback = {});
double number_field(const Json& object, const std::string& field, double fallback, double lo, double hi);
// An array of numbers.
std::vector<float> vector_field(const Json& object, const std::string& field);
std::size_t count_field(const Json& object, const std::string& field, std::size_t fallback, std::size_t hi);

// An image from a JSON string (base64 or a data URL), named `field` in errors and outcomes.
// The input owns its text: it may outlive the request (a timed-out request's batch).
ImageInput json_image(const Json& value, const std::string& field);
// An image from a multipart file part; 400 when the request has no such part.
ImageInput multipart_image(const HttpRequest& request, const std::string& field);

}  // namespace acg2vec::server
