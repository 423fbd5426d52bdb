// The native API's request and result conventions (docs/server.md): images are base64 / data
// URLs in JSON ("image" or "images") or multipart files of those names; image routes answer
// {"model", "results": [...]} in input order, a failed image {"input", "error": {...}} in its slot.
#pragma once

#include <vector>

#include "server/services.hpp"

namespace acg2vec::server {

struct ImageRequest {
    Json body = Json::object();  // the JSON body, or a multipart request's fields
    std::vector<ImageInput> images;
};

// 400 when the request has no image.
ImageRequest image_request(const HttpRequest& request);
Json error_item(const AnalysisOutcome& outcome);
// "normalize": true (the default) gives unit-length vectors; false the model's own output.
bool wants_unit_length(const Json& body);

void add_native_image_routes(Router& router, Services& services);

}  // namespace acg2vec::server
