// What the API adapters share: the models, the indexes, the metrics and the route
// configuration. Each adapter (api_*.cpp) adds its routes to a Router over these.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "acg2vec/index.hpp"
#include "server/metrics.hpp"
#include "server/model_registry.hpp"
#include "server/request_fields.hpp"
#include "server/router.hpp"
#include "server/thumbnails.hpp"

namespace acg2vec::server {

// Writes not yet saved, and the lock that keeps two saves of one index apart.
struct IndexWrites {
    std::mutex mutex;
    std::size_t unsaved = 0;
};

struct ServedIndex {
    Index index;
    std::string path;
    std::string model;       // the served model whose vectors it holds
    std::string image_root;  // folder its keys are relative to, for thumbnails ("": the working directory)
    std::shared_ptr<IndexWrites> writes = std::make_shared<IndexWrites>();
};

struct IndexWritePolicy {
    bool allowed = false;        // --allow-writes
    std::size_t save_every = 1;  // writes between saves (1: every write is on disk before its answer)
};

struct Services {
    ModelRegistry& models;
    std::map<std::string, ServedIndex>& indexes;
    Metrics& metrics;
    // ACG2vec REST route ("pix2score", "deepdanbooru", "illust2vec", "acgvoc2vec", "dclip_text")
    // -> served model name; a route not named here is answered by the model of its own name.
    std::map<std::string, std::string> routes;
    IndexWritePolicy writes;
    std::shared_ptr<ThumbnailCache> thumbnails = std::make_shared<ThumbnailCache>();
};

void add_native_routes(Router& router, Services& services);
void add_wd14_routes(Router& router, Services& services);
void add_pai_routes(Router& router, Services& services);
void add_acg2vec_routes(Router& router, Services& services);
void add_index_routes(Router& router, Services& services);
// The web page at / and what only it needs: thumbnails, category counts, duplicate groups.
void add_web_routes(Router& router, Services& services);
// Saves every index with unsaved writes (at shutdown).
void save_pending_indexes(Services& services);
ServedIndex& served_index(Services& services, const std::string& name);  // ApiError 404 when unknown

// Shared by the adapters: the images of a request, through the model's batcher (ApiError when
// the model takes no images), and a tag list as {name: probability} above a threshold.
std::vector<AnalysisOutcome> analyze_images(Services& services, const std::string& model,
                                            std::vector<ImageInput> inputs);
Json tag_probabilities(const std::vector<Tag>& tags, float threshold);
// The served models keep vectors as the model gives them (ACG2vec's routes return them raw);
// the native API normalises them unless asked not to.
Vector unit_length(Vector v);
// The task a route needs, or ApiError 400 naming the model and what it lacks.
void require_task(Services& services, const std::string& model, bool ModelTasks::*task, const char* what);

}  // namespace acg2vec::server
