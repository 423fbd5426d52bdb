// The WD14 tagger API of the stable-diffusion-webui tagger extension, in the shapes its
// clients send and parse (docs/server.md). Errors are FastAPI's {"detail": "..."}.
#include <nlohmann/json.hpp>

#include "server/api_error.hpp"
#include "server/services.hpp"

namespace acg2vec::server {
namespace {

HttpResponse fastapi_error(const ApiError& e) { return json_response(e.status(), Json{{"detail", e.what()}}); }

constexpr double kDefaultThreshold = 0.35;  // the extension's default

// What both interrogate routes read: the JSON body, a tagger model and the threshold.
struct Interrogation {
    Json body;
    std::string model;
    float threshold;
};

Interrogation interrogation(Services& services, const HttpRequest& request) {
    Interrogation i{json_body(request), {}, 0};
    i.model = string_field(i.body, "model");
    require_task(services, i.model, &ModelTasks::tags, "tagger (tagger section)");
    i.threshold = float(number_field(i.body, "threshold", kDefaultThreshold, 0, 1));
    return i;
}

const TagResult& tags_of(const AnalysisOutcome& o) {
    if (!o.ok()) throw ApiError(status_for(o.error), error_code_name(o.error), o.message);
    return *o.result->tags;
}

}  // namespace

void add_wd14_routes(Router& router, Services& services) {
    router.add(
        "GET", "/tagger/v1/interrogators",
        [&](HttpRequest&) {
            Json names = Json::array();
            for (const auto& name : services.models.names())
                if (services.models.tasks(name).tags) names.push_back(name);
            return json_response(200, Json{{"models", names}});
        },
        fastapi_error);

    // {"image", "model", "threshold"} -> {"caption": {"rating": {...}, "tag": {...}}}: every
    // rating, and the characters and general tags above the threshold.
    router.add(
        "POST", "/tagger/v1/interrogate",
        [&](HttpRequest& request) {
            const Interrogation in = interrogation(services, request);
            std::vector<ImageInput> inputs;
            inputs.push_back(json_image(required(in.body, "image"), "image"));
            const auto outcomes = analyze_images(services, in.model, std::move(inputs));
            const TagResult& tags = tags_of(outcomes.at(0));
            Json tag = tag_probabilities(tags.characters, in.threshold);
            tag.update(tag_probabilities(tags.general, in.threshold));
            return json_response(200,
                                 Json{{"caption", {{"rating", tag_probabilities(tags.ratings, -1)}, {"tag", tag}}}});
        },
        fastapi_error);

    // {"images": [...], "model", "threshold"} -> {"captions": [{"ratings", "characters", "tags"}]}
    // in input order; a bad image is {"error": {"code", "message", "input"}} in its slot.
    router.add(
        "POST", "/tagger/v1/interrogate-batch",
        [&](HttpRequest& request) {
            const Interrogation in = interrogation(services, request);
            const Json& images = required(in.body, "images");
            if (!images.is_array()) throw ApiError(400, "invalid_argument", "images: expected an array");
            std::vector<ImageInput> inputs;
            for (std::size_t i = 0; i < images.size(); ++i)
                inputs.push_back(json_image(images[i], "images[" + std::to_string(i) + "]"));
            Json captions = Json::array();
            for (const AnalysisOutcome& o : analyze_images(services, in.model, std::move(inputs))) {
                if (!o.ok()) {
                    captions.push_back(
                        {{"error", {{"code", error_code_name(o.error)}, {"message", o.message}, {"input", o.input}}}});
                    continue;
                }
                const TagResult& t = *o.result->tags;
                captions.push_back({{"ratings", tag_probabilities(t.ratings, -1)},
                                    {"characters", tag_probabilities(t.characters, in.threshold)},
                                    {"tags", tag_probabilities(t.general, in.threshold)}});
            }
            return json_response(200, Json{{"captions", captions}});
        },
        fastapi_error);

    router.add(
        "POST", "/tagger/v1/unload-interrogators",
        [&](HttpRequest&) {
            const std::size_t n = services.models.unload_all();
            return json_response(200, Json("Successfully unload " + std::to_string(n) + " model(s)"));
        },
        fastapi_error);
}

}  // namespace acg2vec::server
