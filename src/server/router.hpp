// Routes: method + path pattern ("/api/predict/{model}") -> handler. A handler throws ApiError
// (or acg2vec::Error) for bad input; the route's error format turns it into the response its
// API's clients expect (WD14, PAI and ACG2vec each have their own), and anything else becomes
// a 500 that names no internals.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/api_error.hpp"
#include "server/http_message.hpp"

namespace acg2vec::server {

using Handler = std::function<HttpResponse(HttpRequest&)>;
using ErrorFormat = std::function<HttpResponse(const ApiError&)>;

// {"error": {"code": "...", "message": "..."}}: the native API's errors, and the default.
HttpResponse native_error(const ApiError& error);

class Router {
public:
    // `pattern` segments in braces match one path segment into HttpRequest::path_params.
    void add(const std::string& method, const std::string& pattern, Handler handler, ErrorFormat errors = native_error);

    // The response of the matching route; 404 for an unknown path, 405 for a known path with
    // another method. `route` receives the matched pattern (for metrics), or "unmatched".
    HttpResponse handle(HttpRequest& request, std::string* route = nullptr) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        std::string pattern;
        Handler handler;
        ErrorFormat errors;
    };
    std::vector<Route> routes_;
};

}  // namespace acg2vec::server
