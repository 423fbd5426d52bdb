#include "server/services.hpp"

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

void require_task(Services& services, const std::string& model, bool ModelTasks::*task, const char* what) {
    if (!(services.models.tasks(model).*task))
        throw ApiError(400, "wrong_task", "model '" + model + "' has no " + what);
}

}  // namespace acg2vec::server
