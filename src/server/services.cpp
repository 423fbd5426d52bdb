#include "server/services.hpp"

#include <cmath>

#include "server/api_error.hpp"

namespace acg2vec::server {

std::vector<AnalysisOutcome> analyze_images(Services& services, const std::string& model,
                                            std::vector<ImageInput> inputs) {
    const std::shared_ptr<const LoadedModel> loaded = services.models.get(model);
    if (!loaded->images) throw ApiError(400, "wrong_task", "model '" + model + "' takes no images");
    return loaded->images->analyze(std::move(inputs));
}

Json tag_probabilities(const std::vector<Tag>& tags, float threshold) {
    Json out = Json::object();
    for (const Tag& t : tags)
        if (t.probability > threshold) out[t.name] = t.probability;
    return out;
}

Vector unit_length(Vector v) {
    double norm = 0;
    for (float x : v) norm += double(x) * x;
    if (norm > 0)
        for (float& x : v) x = float(x / std::sqrt(norm));
    return v;
}

ServedIndex& served_index(Services& services, const std::string& name) {
    auto it = services.indexes.find(name);
    if (it == services.indexes.end()) throw ApiError(404, "unknown_index", "no index named '" + name + "'");
    return it->second;
}

void require_task(Services& services, const std::string& model, bool ModelTasks::*task, const char* what) {
    if (!(services.models.tasks(model).*task))
        throw ApiError(400, "wrong_task", "model '" + model + "' has no " + what);
}

}  // namespace acg2vec::server
