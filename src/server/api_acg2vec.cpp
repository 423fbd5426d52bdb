// ACG2vec's REST API (its webapp's routes and shapes): multipart `image`, or a `text` form or
// query field, in; {"message", "data"} out. Which served model answers each route is
// configuration (--route NAME=MODEL; by default the model served under the route's name).
// Vectors are the model's raw output, as the seed returns them.
#include <algorithm>

#include "server/api_error.hpp"
#include "server/services.hpp"

namespace acg2vec::server {
namespace {

HttpResponse acg2vec_error(const ApiError& e) {
    return json_response(e.status(), Json{{"message", e.what()}, {"data", nullptr}});
}

HttpResponse ok(const std::string& message, Json data) {
    return json_response(200, Json{{"message", message}, {"data", std::move(data)}});
}

// The model configured for a route, or 404 naming the option that would configure it.
std::string route_model(Services& services, const std::string& route) {
    auto it = services.routes.find(route);
    const std::string model = it != services.routes.end() ? it->second : route;
    for (const auto& name : services.models.names())
        if (name == model) return model;
    throw ApiError(404, "unknown_model",
                   "no model answers this route: serve one named '" + route + "' or pass --route " + route + "=MODEL");
}

Analysis one_image(Services& services, const std::string& model, const HttpRequest& request) {
    std::vector<ImageInput> inputs;
    inputs.push_back(multipart_image(request, "image"));
    AnalysisOutcome o = analyze_images(services, model, std::move(inputs)).at(0);
    if (!o.ok()) throw ApiError(status_for(o.error), error_code_name(o.error), o.message);
    return std::move(*o.result);
}

std::string text_field(const HttpRequest& request) {
    const std::optional<std::string> text = request.field("text");
    if (!text || text->empty()) throw ApiError(400, "invalid_argument", "text: missing (a form or query field)");
    return *text;
}

}  // namespace

void add_acg2vec_routes(Router& router, Services& services) {
    // {"bookmarkPredict": [p per bin], "viewPredict": [...], "sanityPredict": [...]}: each head's
    // probabilities in label order, under "<head>Predict".
    router.add(
        "POST", "/images/socresByPix2Score",
        [&](HttpRequest& request) {
            const std::string model = route_model(services, "pix2score");
            require_task(services, model, &ModelTasks::scores, "scorer");
            const Analysis a = one_image(services, model, request);
            Json data = Json::object();
            for (const HeadScore& h : a.scores->heads) data[h.head + "Predict"] = h.probabilities;
            return ok("获取插画预测分数成功", data);
        },
        acg2vec_error);
    // The tags (characters and general) above `threshold` (form or query field, default 0.5,
    // DeepDanbooru's), most probable first.
    router.add(
        "POST", "/images/labelsByDeepDanbooru",
        [&](HttpRequest& request) {
            const std::string model = route_model(services, "deepdanbooru");
            require_task(services, model, &ModelTasks::tags, "tagger");
            float threshold = 0.5f;
            if (auto t = request.field("threshold")) {
                try {
                    threshold = std::stof(*t);
                } catch (const std::exception&) {
                    threshold = -1;
                }
                if (!(threshold >= 0 && threshold <= 1))
                    throw ApiError(400, "invalid_argument", "threshold: expected a number in 0..1");
            }
            const Analysis a = one_image(services, model, request);
            std::vector<Tag> kept;
            for (const auto* list : {&a.tags->characters, &a.tags->general})
                for (const Tag& t : *list)
                    if (t.probability > threshold) kept.push_back(t);
            std::stable_sort(kept.begin(), kept.end(),
                             [](const Tag& x, const Tag& y) { return x.probability > y.probability; });
            Json data = Json::array();
            for (const Tag& t : kept) data.push_back(t.name);
            return ok("获取插画标签成功", data);
        },
        acg2vec_error);
    router.add(
        "POST", "/models/illust2vec/feature",
        [&](HttpRequest& request) {
            const std::string model = route_model(services, "illust2vec");
            require_task(services, model, &ModelTasks::image_vectors, "image vectors");
            return ok("获取插画特征成功", *one_image(services, model, request).vector);
        },
        acg2vec_error);
    for (const char* route : {"acgvoc2vec", "dclip_text"}) {
        router.add(
            "POST", std::string("/models/") + route + "/feature",
            [&services, route = std::string(route)](HttpRequest& request) {
                const std::string model = route_model(services, route);
                require_task(services, model, &ModelTasks::text_vectors, "text tower");
                const auto loaded = services.models.get(model);
                const std::string text = text_field(request);
                return ok("获取文本特征成功",
                          services.models.inference().run([&] { return loaded->text->embed_text(text); }));
            },
            acg2vec_error);
    }
}

}  // namespace acg2vec::server
