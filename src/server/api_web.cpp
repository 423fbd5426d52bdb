// The web page (src/server/web, docs/server.md "Web page") and the routes only it needs:
// thumbnails of indexed images, an index's categories with counts, and duplicate groups.
// Thumbnails are served only for keys of a served index, from the file that key names: no
// request names a path.
#include <filesystem>
#include <map>

#include "acg2vec/duplicates.hpp"
#include "server/api_error.hpp"
#include "server/native_requests.hpp"
#include "server/web_assets.hpp"

namespace acg2vec::server {
namespace {

// What the page shows for an image that cannot be shown: a grey square that says why (the
// page stays usable when files moved away from the index).
HttpResponse placeholder(const std::string& reason) {
    std::string text;
    for (char c : reason.substr(0, 200)) {  // escaped for XML
        if (c == '<')
            text += "&lt;";
        else if (c == '>')
            text += "&gt;";
        else if (c == '&')
            text += "&amp;";
        else
            text += c;
    }
    HttpResponse r;
    r.content_type = "image/svg+xml";
    r.body =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">"
        "<title>" +
        text +
        "</title><rect width=\"256\" height=\"256\" fill=\"#ddd\"/>"
        "<text x=\"128\" y=\"136\" font-family=\"sans-serif\" font-size=\"20\" text-anchor=\"middle\" "
        "fill=\"#666\">no image</text></svg>";
    r.headers.emplace_back("X-Thumbnail-Error", text);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

HttpResponse asset_response(const WebAsset& asset) {
    HttpResponse r;
    r.content_type = asset.content_type;
    r.body.assign(reinterpret_cast<const char*>(asset.data), asset.size);
    r.headers.emplace_back("Cache-Control", "no-cache");
    // The page loads nothing from elsewhere; thumbnails arrive as blob: URLs.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'");
    return r;
}

}  // namespace

void add_web_routes(Router& router, Services& services) {
    for (std::size_t i = 0; i < web_asset_count; ++i) {
        const WebAsset& asset = web_assets[i];
        const std::string path = asset.path;
        router.add("GET", path == "/index.html" ? "/" : path, [&asset](HttpRequest&) { return asset_response(asset); });
    }
    // ?key=K&size=256 -> image/jpeg; a key not in the index is 404, a file that cannot be read a
    // placeholder image (200, with X-Thumbnail-Error saying why).
    router.add("GET", "/v1/indexes/{name}/thumbnail", [&](HttpRequest& request) {
        const ServedIndex& served = served_index(services, request.path_params.at("name"));
        const auto key = request.field("key");
        if (!key || key->empty()) throw ApiError(400, "invalid_argument", "key: missing query parameter");
        if (!served.index.contains(*key)) throw ApiError(404, "not_found", "key '" + *key + "' is not in the index");
        int size = 256;
        if (const auto s = request.field("size")) {
            try {
                size = std::stoi(*s);
            } catch (const std::exception&) {
                size = 0;
            }
            if (size < 16 || size > 1024) throw ApiError(400, "invalid_argument", "size: expected 16 to 1024");
        }
        try {
            HttpResponse r;
            r.content_type = "image/jpeg";
            r.body = *services.thumbnails->get(file_of_key(served.image_root, *key), size);
            r.headers.emplace_back("Cache-Control", "private, max-age=60");
            return r;
        } catch (const Error& e) {
            return placeholder(e.what());
        }
    });
    // -> {"categories": [{"name", "count"}]}, by name; content fingerprints (one per file) left out.
    router.add("GET", "/v1/indexes/{name}/categories", [&](HttpRequest& request) {
        const ServedIndex& served = served_index(services, request.path_params.at("name"));
        Json list = Json::array();
        for (const auto& [name, count] : category_counts(served.index))
            list.push_back({{"name", name}, {"count", count}});
        return json_response(200, Json{{"categories", list}});
    });
    // {"min_score": 0.95, "neighbours": 10} -> {"groups": [{"identical", "members": [{"key",
    // "identical", "nearest", "score"}]}]}: find_duplicates, identical copies first.
    router.add("POST", "/v1/indexes/{name}/duplicates", [&](HttpRequest& request) {
        const ServedIndex& served = served_index(services, request.path_params.at("name"));
        const Json body = request.body.empty() ? Json::object() : json_body(request);
        DuplicateOptions options;
        options.min_score = float(number_field(body, "min_score", 0.95, 0.0, 1.0));
        options.neighbours = count_field(body, "neighbours", 10, 100);
        Json groups = Json::array();
        for (const DuplicateGroup& g : find_duplicates(served.index, options)) {
            Json members = Json::array();
            for (const DuplicateMember& m : g.members)
                members.push_back(
                    {{"key", m.key}, {"identical", m.identical}, {"nearest", m.nearest}, {"score", m.score}});
            groups.push_back({{"identical", g.identical}, {"members", members}});
        }
        return json_response(200, Json{{"groups", groups}});
    });
}

}  // namespace acg2vec::server
