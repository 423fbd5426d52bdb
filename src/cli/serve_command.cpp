// serve: the HTTP server (src/server) over models and indexes named on the command line.
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <filesystem>
#include <memory>

#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "server/http_server.hpp"

namespace acg2vec::cli {
namespace {

struct ServeArgs {
    CommonOptions common;
    server::ServerOptions server;
    std::vector<std::string> models, indexes, routes, image_roots;
    std::string models_dir;
    int max_wait_ms = 5, timeout_ms = 60000;
};

// "NAME=VALUE", or an Error naming the option.
std::pair<std::string, std::string> name_value(const std::string& text, const char* option) {
    const std::size_t eq = text.find('=');
    if (eq == 0 || eq == std::string::npos || eq + 1 == text.size())
        throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + text + "': expected NAME=VALUE");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

void collect_models(ServeArgs& args) {
    for (const auto& m : args.models) args.server.models.insert(name_value(m, "--model"));
    if (!args.models_dir.empty()) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(args.models_dir, ec))
            if (entry.path().extension() == ".pt")
                args.server.models.emplace(entry.path().stem().string(), entry.path().string());
        if (ec) throw Error(ErrorCode::io, args.models_dir + ": cannot list the folder: " + ec.message());
    }
    if (args.server.models.empty())
        throw Error(ErrorCode::invalid_argument, "serve: give models with --model NAME=FILE.pt or --models DIR");
    for (const auto& i : args.indexes) {
        auto [name, value] = name_value(i, "--index");
        const std::size_t colon = value.rfind(':');  // FILE.idx:MODEL (so FILE itself has no ':')
        server::IndexSpec spec{value, "", ""};
        if (colon != std::string::npos) spec = {value.substr(0, colon), value.substr(colon + 1), ""};
        if (spec.model.empty()) {
            if (args.server.models.size() != 1)
                throw Error(ErrorCode::invalid_argument, "--index " + i + ": name its model (FILE.idx:MODEL)");
            spec.model = args.server.models.begin()->first;
        }
        if (args.server.models.count(spec.model) == 0)
            throw Error(ErrorCode::invalid_argument, "--index " + i + ": no model named '" + spec.model + "'");
        args.server.indexes.emplace(name, spec);
    }
    for (const auto& r : args.image_roots) {
        auto [name, folder] = name_value(r, "--image-root");
        auto it = args.server.indexes.find(name);
        if (it == args.server.indexes.end())
            throw Error(ErrorCode::invalid_argument, "--image-root " + r + ": no index named '" + name + "'");
        it->second.image_root = folder;
    }
    for (const auto& r : args.routes) {
        auto [route, model] = name_value(r, "--route");
        if (args.server.models.count(model) == 0)
            throw Error(ErrorCode::invalid_argument, "--route " + r + ": no model named '" + model + "'");
        args.server.routes.emplace(route, model);
    }
}

int run_serve(ServeArgs& args) {
    collect_models(args);
#if defined(__GLIBC__)
    // One malloc arena for the whole server. With one per thread (glibc's default, up to 8 per
    // core) each of the HTTP threads and the batchers keeps its own freed memory, and RSS grew
    // by 60-110 MB over a load after warm-up; with one it grows by under 1 MB at the same
    // throughput (docs/performance.md).
    mallopt(M_ARENA_MAX, 1);
#endif
    args.server.model = model_options(args.common);
    args.server.batching.max_wait = std::chrono::milliseconds(args.max_wait_ms);
    args.server.batching.timeout = std::chrono::milliseconds(args.timeout_ms);
    server::run_server(args.server, [&](int port) {
        out_line("acg2vec serve: listening on http://" + args.server.host + ":" + std::to_string(port) + " (" +
                 std::to_string(args.server.models.size()) + " models, " + std::to_string(args.server.indexes.size()) +
                 " indexes)");
    });
    note(args.common, "acg2vec serve: stopped");
    return exit_ok;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ServeArgs>();
    CLI::App* s =
        app.add_subcommand("serve", "HTTP server: WD14 tagger API, PAI ModelHub, native /v1 (docs/server.md)");
    s->add_option("--model", args->models, "a served model NAME=FILE.pt (repeatable)");
    s->add_option("--models", args->models_dir, "serve every *.pt of this folder, named by file stem");
    s->add_option("--index", args->indexes, "a served index NAME=FILE.idx[:MODEL] (repeatable)");
    s->add_option("--image-root", args->image_roots,
                  "folder the keys of an index are relative to NAME=DIR, for the web page's thumbnails (default: the "
                  "working directory, as for index build's --root)");
    s->add_option("--route", args->routes,
                  "model of an ACG2vec REST route ROUTE=MODEL; ROUTE: pix2score, deepdanbooru, illust2vec, acgvoc2vec, "
                  "dclip_text (default: the model of that name)");
    s->add_flag("--allow-writes", args->server.allow_writes, "allow index add / remove over HTTP");
    s->add_option("--save-every", args->server.save_every,
                  "index writes between saves (1: each write is on disk before its answer)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    s->add_option("--host", args->server.host, "address to listen on")->capture_default_str();
    s->add_option("--port", args->server.port, "port (0: any free one, printed)")->capture_default_str();
    s->add_option("--api-key", args->server.api_key, "require 'Authorization: Bearer KEY'");
    s->add_option("--basic-auth", args->server.basic_auth, "accept HTTP Basic USER:PASS");
    s->add_option("--max-body", args->server.max_body, "largest request body in bytes (413 above)")
        ->capture_default_str();
    s->add_option("--http-threads", args->server.http_threads,
                  "connections served at once (a kept-alive connection holds one for up to 100 requests)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    s->add_option("--max-batch", args->server.batching.max_batch, "images per forward pass, over requests")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    s->add_option("--max-wait-ms", args->max_wait_ms, "how long a forward pass waits for more images")
        ->capture_default_str()
        ->check(CLI::Range(0, 10000));
    s->add_option("--queue-limit", args->server.batching.queue_limit, "images waiting per model (503 above)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    s->add_option("--timeout-ms", args->timeout_ms, "longest wait for the model per request (504)")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600000));
    add_runtime_options(*s, args->common);
    s->add_flag("-q,--quiet", args->common.quiet, "no notes on stderr");
    s->callback([args, &exit_code] { exit_code = run_serve(*args); });
}

}  // namespace acg2vec::cli
