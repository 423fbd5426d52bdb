// The native API's image routes: /v1/tag, /v1/score, /v1/analyze (docs/server.md).
#include "acg2vec/scorer.hpp"
#include "server/api_error.hpp"
#include "server/native_requests.hpp"

namespace acg2vec::server {
namespace {

// Runs the images and turns each analysis into a result with the callable `prepare(body, model)`
// returns: it reads the request's options (a bad one fails before the model runs) and keeps
// what it needs of the model alive.
template <class Prepare>
HttpResponse image_results(Services& services, const HttpRequest& request, bool ModelTasks::*task, const char* what,
                           const Prepare& prepare) {
    ImageRequest r = image_request(request);
    const std::string model = string_field(r.body, "model");
    require_task(services, model, task, what);
    const auto make = prepare(r.body, model);
    Json results = Json::array();
    for (const AnalysisOutcome& o : analyze_images(services, model, std::move(r.images))) {
        if (!o.ok()) {
            results.push_back(error_item(o));
            continue;
        }
        Json item = make(*o.result);
        item["input"] = o.input;
        results.push_back(std::move(item));
    }
    return json_response(200, Json{{"model", model}, {"results", results}});
}

// The probability of every label, from a TagResult that kept them all (the server's analyzers
// select with thresholds 0), so any TagOptions can be applied per request.
std::vector<float> all_probabilities(const TagResult& all, std::size_t labels) {
    std::vector<float> p(labels, 0.0f);
    for (const auto* list : {&all.ratings, &all.characters, &all.general})
        for (const Tag& t : *list) p.at(t.index) = t.probability;
    return p;
}

TagOptions tag_options(const Json& body) {
    TagOptions o;
    o.general_threshold = float(number_field(body, "general_threshold", o.general_threshold, 0, 1));
    o.character_threshold = float(number_field(body, "character_threshold", o.character_threshold, 0, 1));
    if (auto it = body.find("mcut"); it != body.end()) {
        if (!it->is_boolean()) throw ApiError(400, "invalid_argument", "mcut: expected true or false");
        o.general_mcut = o.character_mcut = it->get<bool>();
    }
    o.max_general = count_field(body, "max_tags", 0, 100000);
    return o;
}

Json tag_list(const std::vector<Tag>& tags) {
    Json out = Json::array();
    for (const Tag& t : tags) out.push_back({{"name", t.name}, {"probability", t.probability}});
    return out;
}

Json scores_json(const ScoreResult& scores) {
    Json heads = Json::array();
    for (const HeadScore& h : scores.heads) {
        Json probabilities = Json::object();
        for (std::size_t i = 0; i < h.labels.size(); ++i) probabilities[h.labels[i]] = h.probabilities[i];
        Json head{{"head", h.head},
                  {"class", h.best.label},
                  {"probability", h.best.probability},
                  {"probabilities", probabilities}};
        if (h.expected_value) head["expected_value"] = *h.expected_value;
        heads.push_back(std::move(head));
    }
    return heads;
}

// The tags of an analysis under the request's options: {"rating", "ratings", "characters",
// "general", "caption"}.
Json tags_json(const Tagger& tagger, const TagResult& all, const TagOptions& options) {
    const TagResult t = tagger.select(all_probabilities(all, tagger.labels().size()), options);
    return Json{{"rating", t.rating},
                {"ratings", tag_list(t.ratings)},
                {"characters", tag_list(t.characters)},
                {"general", tag_list(t.general)},
                {"caption", t.caption()}};
}

void add_image_routes(Router& router, Services& services) {
    router.add("POST", "/v1/tag", [&](HttpRequest& request) {
        return image_results(
            services, request, &ModelTasks::tags, "tagger", [&](const Json& body, const std::string& model) {
                const TagOptions options = tag_options(body);
                std::shared_ptr<const LoadedModel> loaded = services.models.get(model);  // kept for the route
                return [options, loaded](const Analysis& a) {
                    return tags_json(*loaded->images->analyzer().tagger(), *a.tags, options);
                };
            });
    });
    router.add("POST", "/v1/score", [&](HttpRequest& request) {
        return image_results(services, request, &ModelTasks::scores, "scorer", [](const Json&, const std::string&) {
            return [](const Analysis& a) { return Json{{"heads", scores_json(*a.scores)}}; };
        });
    });
    router.add("POST", "/v1/analyze", [&](HttpRequest& request) {
        ImageRequest r = image_request(request);
        const std::string model = string_field(r.body, "model");
        const bool normalize = wants_unit_length(r.body);
        const TagOptions options = tag_options(r.body);
        const std::shared_ptr<const LoadedModel> loaded = services.models.get(model);  // kept for the route
        Json results = Json::array();
        for (const AnalysisOutcome& o : analyze_images(services, model, std::move(r.images))) {
            if (!o.ok()) {
                results.push_back(error_item(o));
                continue;
            }
            Json item{{"input", o.input}};
            if (o.result->tags) item.update(tags_json(*loaded->images->analyzer().tagger(), *o.result->tags, options));
            if (o.result->scores) item["heads"] = scores_json(*o.result->scores);
            if (o.result->vector) item["vector"] = normalize ? unit_length(*o.result->vector) : *o.result->vector;
            results.push_back(std::move(item));
        }
        return json_response(200, Json{{"model", model}, {"results", results}});
    });
}

}  // namespace

void add_native_image_routes(Router& router, Services& services) { add_image_routes(router, services); }

}  // namespace acg2vec::server
