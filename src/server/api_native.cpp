// The native API's model, text, vector and search routes, /healthz and /metrics
// (docs/server.md); the image task routes are in api_native_images.cpp.
#include "acg2vec/embedder.hpp"
#include "server/api_error.hpp"
#include "server/native_requests.hpp"

namespace acg2vec::server {
namespace {

Json tasks_json(const ModelTasks& t) {
    Json tasks = Json::array();
    if (t.tags) tasks.push_back("tag");
    if (t.scores) tasks.push_back("score");
    if (t.image_vectors) tasks.push_back("embed_image");
    if (t.text_vectors) tasks.push_back("embed_text");
    return tasks;
}

std::vector<std::string> string_list(const Json& body, const std::string& field) {
    const Json& list = required(body, field);
    if (!list.is_array() || list.empty())
        throw ApiError(400, "invalid_argument", field + ": expected a non-empty array");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string())
            throw ApiError(400, "invalid_argument", field + "[" + std::to_string(i) + "]: expected a string");
        out.push_back(list[i].get<std::string>());
    }
    return out;
}

const Embedder& text_embedder(Services& services, const std::string& model, std::shared_ptr<const LoadedModel>& keep) {
    require_task(services, model, &ModelTasks::text_vectors, "text tower");
    keep = services.models.get(model);
    return *keep->text;
}

// One image's vector through the batcher.
Vector image_vector(Services& services, const std::string& model, ImageInput input) {
    require_task(services, model, &ModelTasks::image_vectors, "image vectors (embedder section)");
    std::vector<ImageInput> inputs;
    inputs.push_back(std::move(input));
    const AnalysisOutcome o = analyze_images(services, model, std::move(inputs)).at(0);
    if (!o.ok()) throw ApiError(status_for(o.error), error_code_name(o.error), o.message);
    return *o.result->vector;
}

void add_model_routes(Router& router, Services& services) {
    router.add("GET", "/healthz", [](HttpRequest&) { return json_response(200, Json{{"status", "ok"}}); });
    router.add("GET", "/metrics", [&](HttpRequest&) {
        HttpResponse r = json_response(200, services.metrics.prometheus_text());
        r.content_type = "text/plain; version=0.0.4";
        return r;
    });
    router.add("GET", "/v1/models", [&](HttpRequest&) {
        Json models = Json::array();
        for (const auto& name : services.models.names())
            models.push_back({{"name", name}, {"tasks", tasks_json(services.models.tasks(name))}});
        return json_response(200, Json{{"models", models}});
    });
    router.add("GET", "/v1/models/{name}", [&](HttpRequest& request) {
        const std::string& name = request.path_params.at("name");
        const auto loaded = services.models.get(name);
        Json metadata = Json::parse(loaded->model.metadata().json, nullptr, false);
        if (metadata.is_discarded()) metadata = nullptr;  // the library's reader accepted what nlohmann did not
        return json_response(200, Json{{"name", name},
                                       {"tasks", tasks_json(services.models.tasks(name))},
                                       {"device", loaded->model.device()},
                                       {"metadata", metadata}});
    });
}

void add_vector_routes(Router& router, Services& services) {
    // {"model", "texts": [...]} or {"model", "images"/"image"} -> {"model", "results": [{"input", "vector"}]}
    router.add("POST", "/v1/embed", [&](HttpRequest& request) {
        if (request.parts.empty()) {
            const Json body = json_body(request);
            if (body.contains("texts") || body.contains("text")) {
                const std::string model = string_field(body, "model");
                const std::vector<std::string> texts = body.contains("texts")
                                                           ? string_list(body, "texts")
                                                           : std::vector<std::string>{string_field(body, "text")};
                std::shared_ptr<const LoadedModel> keep;
                const Embedder& embedder = text_embedder(services, model, keep);
                const std::vector<Vector> vectors =
                    services.models.inference().run([&] { return embedder.embed_texts(texts); });
                const bool normalize = wants_unit_length(body);
                Json results = Json::array();
                for (std::size_t i = 0; i < texts.size(); ++i)
                    results.push_back(
                        {{"input", texts[i]}, {"vector", normalize ? unit_length(vectors[i]) : vectors[i]}});
                return json_response(200, Json{{"model", model}, {"results", results}});
            }
        }
        ImageRequest r = image_request(request);
        const std::string model = string_field(r.body, "model");
        require_task(services, model, &ModelTasks::image_vectors, "image vectors (embedder section)");
        const bool normalize = wants_unit_length(r.body);
        Json results = Json::array();
        for (const AnalysisOutcome& o : analyze_images(services, model, std::move(r.images))) {
            if (!o.ok()) {
                results.push_back(error_item(o));
                continue;
            }
            results.push_back(
                {{"input", o.input}, {"vector", normalize ? unit_length(*o.result->vector) : *o.result->vector}});
        }
        return json_response(200, Json{{"model", model}, {"results", results}});
    });
    // {"model", "a", "b"} (two images) -> {"score" 0-100, "cosine", "l2_distance"}
    router.add("POST", "/v1/similar", [&](HttpRequest& request) {
        const Json body = json_body(request);
        const std::string model = string_field(body, "model");
        const Similarity s = compare_vectors(image_vector(services, model, json_image(required(body, "a"), "a")),
                                             image_vector(services, model, json_image(required(body, "b"), "b")));
        return json_response(200, Json{{"score", s.score}, {"cosine", s.cosine}, {"l2_distance", s.l2_distance}});
    });
    // {"model", "image", "labels": [...], "prompt"} -> {"results": [{"label", "probability", "cosine"}]}
    router.add("POST", "/v1/zero-shot", [&](HttpRequest& request) {
        const Json body = json_body(request);
        const std::string model = string_field(body, "model");
        std::shared_ptr<const LoadedModel> keep;
        const Embedder& text = text_embedder(services, model, keep);
        const Vector image = image_vector(services, model, json_image(required(body, "image"), "image"));
        const std::vector<std::string> labels = string_list(body, "labels");
        const std::string prompt = string_field(body, "prompt", "a picture of {}");
        Json results = Json::array();
        for (const LabelProbability& p :
             services.models.inference().run([&] { return text.zero_shot(image, labels, prompt); }))
            results.push_back({{"label", p.label}, {"probability", p.probability}, {"cosine", p.cosine}});
        return json_response(200, Json{{"model", model}, {"results", results}});
    });
}

void add_search_routes(Router& router, Services& services) {
    router.add("GET", "/v1/indexes", [&](HttpRequest&) {
        Json list = Json::array();
        for (const auto& [name, served] : services.indexes)
            list.push_back({{"name", name},
                            {"model", served.model},
                            {"size", served.index.size()},
                            {"writable", services.writes.allowed}});
        return json_response(200, Json{{"indexes", list}});
    });
    // {"index", one of "image" / "text" / "vector" / "key", "k", "categories", "prefix"} ->
    // {"hits": [{"key", "score", "distance", "categories"}]}, nearest first. "key" ("more like
    // this") searches with that key's stored vector and leaves the key itself out of the hits.
    router.add("POST", "/v1/search", [&](HttpRequest& request) {
        const Json body = json_body(request);
        ServedIndex& served = served_index(services, string_field(body, "index"));
        Vector query;
        std::string query_key;
        if (body.contains("image")) {
            query = image_vector(services, served.model, json_image(body["image"], "image"));
        } else if (body.contains("text")) {
            std::shared_ptr<const LoadedModel> keep;
            const Embedder& embedder = text_embedder(services, served.model, keep);
            const std::string text = string_field(body, "text");
            query = services.models.inference().run([&] { return embedder.embed_text(text); });
        } else if (body.contains("vector")) {
            query = vector_field(body, "vector");
        } else if (body.contains("key")) {  // "more like this"
            query_key = string_field(body, "key");
            try {
                query = served.index.get(query_key);
            } catch (const Error&) {
                throw ApiError(404, "not_found", "key '" + query_key + "' is not in the index");
            }
        } else {
            throw ApiError(400, "invalid_argument", "give one of image, text, vector or key");
        }
        SearchFilter filter;
        if (body.contains("categories")) filter.any_category = string_list(body, "categories");
        const std::string prefix = body.contains("prefix") ? string_field(body, "prefix") : std::string();
        if (!prefix.empty() || !query_key.empty())
            filter.accept = [prefix, query_key](const std::string& key) {
                return key != query_key && key.compare(0, prefix.size(), prefix) == 0;
            };
        Json hits = Json::array();
        for (const SearchHit& h : served.index.search(query, count_field(body, "k", 10, 1000), 0, filter)) {
            std::vector<std::string> categories;
            try {
                categories = served.index.categories(h.key);
            } catch (const Error&) {
                continue;  // removed by a write since the search found it
            }
            hits.push_back({{"key", h.key}, {"score", h.score}, {"distance", h.distance}, {"categories", categories}});
        }
        return json_response(200, Json{{"hits", hits}});
    });
}

}  // namespace

void add_native_routes(Router& router, Services& services) {
    add_model_routes(router, services);
    add_native_image_routes(router, services);
    add_vector_routes(router, services);
    add_search_routes(router, services);
    add_index_routes(router, services);
}

}  // namespace acg2vec::server
