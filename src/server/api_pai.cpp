// PAI ModelHub image models: POST /api/predict/{model} with {"image": base64} (a classifier:
// class, class_name, class_probs) or {"imagea", "imageb"} (similarity 0-100 and l2_distance,
// each a list of one float, as the PAI documentation shows them), plus request_id and success.
// A failure is {"request_id", "success": false, "error_code", "error_msg"} with a 4xx/5xx status.
#include <random>

#include "acg2vec/embedder.hpp"
#include "acg2vec/scorer.hpp"
#include "server/api_error.hpp"
#include "server/services.hpp"

namespace acg2vec::server {
namespace {

std::string request_id() {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random()),
                  static_cast<unsigned long long>(random()));
    return text;
}

HttpResponse pai_error(const ApiError& e) {
    return json_response(
        e.status(),
        Json{{"request_id", request_id()}, {"success", false}, {"error_code", e.code()}, {"error_msg", e.what()}});
}

const Analysis& analysis_of(const AnalysisOutcome& o) {
    if (!o.ok()) throw ApiError(status_for(o.error), error_code_name(o.error), o.message);
    return *o.result;
}

HttpResponse classify(Services& services, const std::string& model, const Json& body) {
    require_task(services, model, &ModelTasks::scores, "classifier (scorer section)");
    std::vector<ImageInput> inputs;
    inputs.push_back(json_image(required(body, "image"), "image"));
    const std::vector<AnalysisOutcome> outcomes = analyze_images(services, model, std::move(inputs));
    const Analysis& a = analysis_of(outcomes.at(0));
    Json out = Json::parse(to_pai_json(*a.scores));
    out["request_id"] = request_id();
    out["success"] = true;
    return json_response(200, out);
}

HttpResponse similarity(Services& services, const std::string& model, const Json& body) {
    require_task(services, model, &ModelTasks::image_vectors, "image vectors (embedder section)");
    std::vector<ImageInput> inputs;
    inputs.push_back(json_image(required(body, "imagea"), "imagea"));
    inputs.push_back(json_image(required(body, "imageb"), "imageb"));
    const auto outcomes = analyze_images(services, model, std::move(inputs));
    const Similarity s = compare_vectors(*analysis_of(outcomes[0]).vector, *analysis_of(outcomes[1]).vector);
    return json_response(200, Json{{"similarity", {s.score}},
                                   {"l2_distance", {s.l2_distance}},
                                   {"request_id", request_id()},
                                   {"success", true}});
}

}  // namespace

void add_pai_routes(Router& router, Services& services) {
    router.add(
        "POST", "/api/predict/{model}",
        [&](HttpRequest& request) {
            const std::string& model = request.path_params.at("model");
            services.models.tasks(model);  // 404 for an unknown model before reading the body
            const Json body = json_body(request);
            if (body.contains("imagea") || body.contains("imageb")) return similarity(services, model, body);
            return classify(services, model, body);
        },
        pai_error);
}

}  // namespace acg2vec::server
