// Index writes over HTTP (docs/server.md): add or update a key by image or vector, remove a
// key, read a key back. Only with --allow-writes; each write is saved atomically before its
// answer (or every --save-every writes, and at shutdown), so a kill -9 at any moment leaves
// the last saved file loadable.
#include <set>

#include "acg2vec/folder_sync.hpp"
#include "server/api_error.hpp"
#include "server/native_requests.hpp"

namespace acg2vec::server {
namespace {

ServedIndex& writable_index(Services& services, const std::string& name) {
    if (!services.writes.allowed)
        throw ApiError(403, "read_only", "index writes are off: start the server with --allow-writes");
    return served_index(services, name);
}

// Counts a write and saves when the policy says so; the caller holds served.writes->mutex.
void wrote(Services& services, ServedIndex& served) {
    if (++served.writes->unsaved < services.writes.save_every) return;
    served.index.save(served.path);
    served.writes->unsaved = 0;
}

std::vector<std::string> categories_of(const Json& body) {
    std::vector<std::string> out;
    auto it = body.find("categories");
    if (it == body.end()) return out;
    if (!it->is_array()) throw ApiError(400, "invalid_argument", "categories: expected an array of strings");
    for (const Json& c : *it) {
        if (!c.is_string() || c.get_ref<const std::string&>().empty())
            throw ApiError(400, "invalid_argument", "categories: expected non-empty strings");
        out.push_back(c.get<std::string>());
    }
    return out;
}

// The vector of an "image" (through the index's model; its rating and classes become
// categories, as folder sync gives them) or a "vector".
Vector vector_of(Services& services, const ServedIndex& served, const Json& body,
                 std::vector<std::string>& categories) {
    if (body.contains("vector")) return vector_field(body, "vector");
    std::vector<ImageInput> inputs;
    inputs.push_back(json_image(required(body, "image"), "image"));
    const AnalysisOutcome o = analyze_images(services, served.model, std::move(inputs)).at(0);
    if (!o.ok()) throw ApiError(status_for(o.error), error_code_name(o.error), o.message);
    std::set<std::string> names(categories.begin(), categories.end());
    for (const std::string& c : analysis_categories(*o.result)) names.insert(c);  // folder sync's rule
    categories.assign(names.begin(), names.end());
    return *o.result->vector;
}

}  // namespace

void add_index_routes(Router& router, Services& services) {
    // {"key", "image" or "vector", "categories"} -> {"key", "action": "added" | "updated", "size"}
    router.add("POST", "/v1/indexes/{name}/add", [&](HttpRequest& request) {
        ServedIndex& served = writable_index(services, request.path_params.at("name"));
        const Json body = json_body(request);
        const std::string key = string_field(body, "key");
        if (key.empty()) throw ApiError(400, "invalid_argument", "key: must not be empty");
        // The web page shows a key's file as its thumbnail: a key written over HTTP must not
        // name a file outside the image root, or a client could read any image the server can.
        if (!is_relative_key(key))
            throw ApiError(400, "invalid_argument", "key '" + key + "': absolute and '..' keys are refused over HTTP");
        std::vector<std::string> categories = categories_of(body);
        const Vector vector = vector_of(services, served, body, categories);
        // One write at a time per index: "contains, then add or update" must not interleave
        // with another write of the same key.
        std::lock_guard<std::mutex> lock(served.writes->mutex);
        const bool existed = served.index.contains(key);
        if (existed)
            served.index.update(key, vector, categories);
        else
            served.index.add(key, vector, categories);
        wrote(services, served);
        return json_response(
            200, Json{{"key", key}, {"action", existed ? "updated" : "added"}, {"size", served.index.size()}});
    });
    // {"key"} -> {"key", "removed": true | false, "size"}
    router.add("POST", "/v1/indexes/{name}/remove", [&](HttpRequest& request) {
        ServedIndex& served = writable_index(services, request.path_params.at("name"));
        const std::string key = string_field(json_body(request), "key");
        std::lock_guard<std::mutex> lock(served.writes->mutex);
        const bool removed = served.index.remove(key);
        if (removed) wrote(services, served);
        return json_response(200, Json{{"key", key}, {"removed", removed}, {"size", served.index.size()}});
    });
    // {"key"} -> {"key", "categories", "vector"} (as stored: unit length for cosine); 404 when absent
    router.add("POST", "/v1/indexes/{name}/get", [&](HttpRequest& request) {
        const ServedIndex& served = served_index(services, request.path_params.at("name"));
        const std::string key = string_field(json_body(request), "key");
        if (!served.index.contains(key)) throw ApiError(404, "not_found", "key '" + key + "' is not in the index");
        return json_response(
            200, Json{{"key", key}, {"categories", served.index.categories(key)}, {"vector", served.index.get(key)}});
    });
}

void save_pending_indexes(Services& services) {
    for (auto& [name, served] : services.indexes) {
        std::lock_guard<std::mutex> lock(served.writes->mutex);
        if (served.writes->unsaved == 0) continue;
        served.index.save(served.path);
        served.writes->unsaved = 0;
    }
}

}  // namespace acg2vec::server
