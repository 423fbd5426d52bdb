// `acg2vec serve`: the routes of every API (services.hpp) behind an HTTP server
// (cpp-httplib), with authentication, a body limit, metrics and a graceful shutdown.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "acg2vec/model.hpp"
#include "server/dynamic_batcher.hpp"

namespace acg2vec::server {

struct IndexSpec {
    std::string path;
    std::string model;       // the served model whose vectors the index holds
    std::string image_root;  // folder its keys are relative to (thumbnails); "": the working directory
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                            // 0: any free port (printed)
    std::map<std::string, std::string> models;  // name -> model file
    std::map<std::string, IndexSpec> indexes;   // name -> index
    std::map<std::string, std::string> routes;  // ACG2vec REST route -> model name
    std::string api_key;                        // when set, "Authorization: Bearer KEY" is required
    std::string basic_auth;                     // "user:pass": when set, HTTP Basic with these is accepted
    bool allow_writes = false;                  // index add / remove over HTTP
    std::size_t save_every = 1;                 // index writes between saves (and at shutdown)
    std::size_t max_body = std::size_t(32) << 20;
    int http_threads = 32;
    ModelOptions model;
    BatchingOptions batching;
};

// Loads the models and indexes, listens, and serves until SIGTERM or SIGINT, then finishes the
// requests in flight. `on_listening` receives the port once the server accepts connections.
// Throws acg2vec::Error for a model or index that cannot be opened, or a port that cannot be bound.
void run_server(const ServerOptions& options, const std::function<void(int port)>& on_listening);

}  // namespace acg2vec::server
