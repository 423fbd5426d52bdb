#include "server/router.hpp"

#include "server/json_response.hpp"

namespace acg2vec::server {
namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches and fills `params`; a parameter never matches an empty segment.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_parameter(pattern[i])) {
            if (path[i].empty()) return false;
            found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

HttpResponse native_error(const ApiError& error) {
    return json_response(error.status(),
                         nlohmann::json{{"error", {{"code", error.code()}, {"message", error.what()}}}});
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler, ErrorFormat errors) {
    routes_.push_back({method, split_path(pattern), pattern, std::move(handler), std::move(errors)});
}

HttpResponse Router::handle(HttpRequest& request, std::string* route) const {
    if (route != nullptr) *route = "unmatched";
    if (request.path.empty() || request.path.front() != '/')
        return native_error(ApiError(400, "invalid_argument", "the path must start with /"));
    const std::vector<std::string> path = split_path(request.path);
    bool path_known = false;
    for (const Route& r : routes_) {
        std::map<std::string, std::string> params;
        if (!matches(r.segments, path, params)) continue;
        path_known = true;
        // HEAD is GET without the body (the HTTP library drops it).
        if (r.method != (request.method == "HEAD" ? "GET" : request.method)) continue;
        if (route != nullptr) *route = r.pattern;
        request.path_params = std::move(params);
        try {
            return r.handler(request);
        } catch (const ApiError& e) {
            return r.errors(e);
        } catch (const Error& e) {
            return r.errors(api_error(e));
        } catch (const std::bad_alloc&) {
            return r.errors(ApiError(503, "out_of_memory", "out of memory: try a smaller request"));
        } catch (const std::exception& e) {
            return r.errors(ApiError(500, "internal", std::string("internal error: ") + e.what()));
        }
    }
    if (path_known) return native_error(ApiError(405, "method_not_allowed", request.method + " is not allowed here"));
    return native_error(ApiError(404, "not_found", "no route " + request.path));
}

}  // namespace acg2vec::server
