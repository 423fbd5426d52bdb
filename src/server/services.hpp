// What the API adapters share: the models, the indexes, the metrics and the route
// configuration. Each adapter (api_*.cpp) adds its routes to a Router over these.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "acg2vec/index.hpp"
#include "server/metrics.hpp"
#include "server/model_registry.hpp"
#include "server/request_fields.hpp"
#include "server/router.hpp"

namespace acg2vec::server {

struct ServedIndex {
    Index index;
    std::string path;
    std::string model;  // the served model whose vectors it holds
};

struct Services {
    ModelRegistry& models;
    std::map<std::string, ServedIndex>& indexes;
    Metrics& metrics;
};

void add_native_routes(Router& router, Services& services);
void add_wd14_routes(Router& router, Services& services);
void add_pai_routes(Router& router, Services& services);

// Shared by the adapters: the images of a request, through the model's batcher (ApiError when
// the model takes no images), and a tag list as {name: probability} above a threshold.
std::vector<AnalysisOutcome> analyze_images(Services& services, const std::string& model,
                                            std::vector<ImageInput> inputs);
Json tag_probabilities(const std::vector<Tag>& tags, float threshold);
// The task a route needs, or ApiError 400 naming the model and what it lacks.
void require_task(Services& services, const std::string& model, bool ModelTasks::*task, const char* what);

}  // namespace acg2vec::server
