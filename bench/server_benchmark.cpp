// `acg2vec serve` under load, on loopback (docs/performance.md):
//   1. the HTTP layer's overhead: one client, one image per request, against the same model
//      called in this process (Scorer::score on the same bytes);
//   2. dynamic batching: 16 concurrent clients against one client at a time (images per
//      second, p50 / p99 latency), and against the library's own batches of 16
//      (Scorer::score_batch), the most batching can give;
//   Both in rounds that alternate the peers, so that a shared machine's slow minutes fall on
//   all of them alike.
//   3. a bounded mixed load: 32 clients, 2,000 requests, a tenth of them invalid: every valid
//      one must be 200, every invalid one a 4xx, the server must survive, and its RSS after the
//      run must stay within 50 MB of its RSS after warm-up.
// Usage: server_benchmark ACG2VEC_CLI MODEL.pt IMAGE_FOLDER [REQUESTS=160]
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "acg2vec/acg2vec.hpp"
#include "bench_util.hpp"

namespace {

struct Served {
    pid_t pid = 0;
    int port = 0;
};

// Starts `acg2vec serve` on a free port and waits for its "listening" line.
Served start_server(const std::string& cli, const std::string& model) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    Served s;
    s.pid = fork();
    if (s.pid == 0) {
        dup2(out[1], 1);
        execl(cli.c_str(), cli.c_str(), "serve", "--port", "0", "--model", ("m=" + model).c_str(), "--max-batch", "16",
              "--max-wait-ms", "5", "--queue-limit", "4096", "--http-threads", "40", "-q", nullptr);
        _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    const std::size_t colon = line.rfind(':');
    if (line.find("listening") == std::string::npos || colon == std::string::npos)
        throw std::runtime_error("the server did not start: " + line);
    s.port = std::stoi(line.substr(colon + 1));
    return s;
}

// A line of /proc/PID/status in bytes: VmRSS (now) or VmHWM (the peak).
long status_bytes(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long kb = 0;
    while (status >> key)
        if (key == field + ":") return (status >> kb, kb * 1024);
    return 0;
}

// RSS once the server has been idle long enough to give freed memory back (it trims after
// 1 s without a request: src/server/idle_memory_trimmer.hpp), so that growth means a leak.
long idle_rss_of(pid_t pid) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    return status_bytes(pid, "VmRSS");
}

std::string base64(const std::string& bytes) {
    static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size()) v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        if (i + 2 < bytes.size()) v |= std::uint8_t(bytes[i + 2]);
        out += a[(v >> 18) & 63];
        out += a[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? a[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? a[v & 63] : '=';
    }
    return out;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

struct Run {
    double seconds = 0;
    std::vector<double> latencies;
    std::size_t failures = 0;
};

// `clients` threads share `requests` POSTs of /v1/score, one image each.
Run score_requests(int port, const std::vector<std::string>& bodies, std::size_t requests, int clients) {
    Run run;
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    const auto start = bench::Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(120);
            client.set_tcp_nodelay(true);  // as Python's http.client (requests) does
            for (std::size_t i; (i = next++) < requests;) {
                const auto t0 = bench::Clock::now();
                auto r = client.Post("/v1/score", bodies[i % bodies.size()], "application/json");
                const double dt = bench::seconds_since(t0);
                std::lock_guard<std::mutex> lock(mutex);
                run.latencies.push_back(dt);
                if (!r || r->status != 200) ++run.failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    run.seconds = bench::seconds_since(start);
    return run;
}

void add_run(Run& total, const Run& r) {
    total.seconds += r.seconds;
    total.latencies.insert(total.latencies.end(), r.latencies.begin(), r.latencies.end());
    total.failures += r.failures;
}

void print_run(const char* name, const Run& r) {
    std::printf("%-34s %8.1f images/s   p50 %7.1f ms   p99 %7.1f ms   failures %zu\n", name,
                double(r.latencies.size()) / r.seconds, 1000 * percentile(r.latencies, 0.5),
                1000 * percentile(r.latencies, 0.99), r.failures);
}

// A value of the server's /metrics (0 when absent).
double metric(int port, const std::string& name) {
    httplib::Client client("127.0.0.1", port);
    auto r = client.Get("/metrics");
    if (!r) return 0;
    std::istringstream lines(r->body);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    return 0;
}

// One forward pass of every batch size up to 16 (a request of n images is one pass when the
// queue is empty): libtorch keeps what it prepares per input shape, and a load meets them all.
void every_batch_size(int port, const std::vector<std::string>& images) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(120);
    for (std::size_t n = 1; n <= 16; ++n) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < n; ++i) list.push_back(base64(images[i % images.size()]));
        client.Post("/v1/score", nlohmann::json{{"model", "m"}, {"images", list}}.dump(), "application/json");
    }
}

// The mixed load: valid scores, model lists and health checks, and a tenth invalid requests.
void mixed_load(int port, const std::vector<std::string>& bodies, std::size_t requests) {
    const std::vector<std::pair<std::string, std::string>> invalid = {
        {"/v1/score", R"({"model": "m", "image": "%%% not base64"})"},
        {"/v1/score", R"({"model": "nope", "image": "AAAA"})"},
        {"/v1/score", R"({"model": "m", "image": )"},
        {"/v1/score", R"({"image": "AAAA"})"},
        {"/tagger/v1/interrogate", R"({"model": "m", "image": "AAAA"})"},
    };
    std::atomic<std::size_t> next{0}, ok{0}, invalid_4xx{0}, wrong{0};
    std::mutex report;
    const auto wrong_answer = [&](const char* what, const httplib::Result& r) {
        ++wrong;
        std::lock_guard<std::mutex> lock(report);
        const std::string got =
            r ? std::to_string(r->status) + " " + r->body.substr(0, 200) : httplib::to_string(r.error());
        std::printf("  wrong answer to a %s request: %s\n", what, got.c_str());
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(120);
            for (std::size_t i; (i = next++) < requests;) {
                if (i % 10 == 3) {
                    const auto& [path, body] = invalid[i % invalid.size()];
                    auto r = client.Post(path, body, "application/json");
                    if (r && r->status >= 400 && r->status < 500)
                        ++invalid_4xx;
                    else
                        wrong_answer("invalid", r);
                    continue;
                }
                auto r = i % 10 == 7 ? client.Get("/v1/models")
                                     : client.Post("/v1/score", bodies[i % bodies.size()], "application/json");
                if (r && r->status == 200)
                    ++ok;
                else
                    wrong_answer("valid", r);
            }
        });
    }
    for (auto& t : threads) t.join();
    std::printf("mixed load: 32 clients, %zu requests: %zu valid 200, %zu invalid 4xx, %zu wrong answers\n", requests,
                ok.load(), invalid_4xx.load(), wrong.load());
}

}  // namespace

int main(int argc, char** argv) {
    // The kernels the CPU has, for this program and the peers it starts (include/acg2vec/blas.hpp).
    acg2vec::restart_with_the_cpus_blas_kernels(argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s ACG2VEC_CLI MODEL.pt IMAGE_FOLDER [REQUESTS=160]\n", argv[0]);
        return 2;
    }
    const std::string cli = argv[1], model = argv[2];
    const std::size_t requests = argc > 4 ? std::stoul(argv[4]) : 160;
    std::vector<std::string> images, bodies;
    for (const auto& path : acg2vec::list_image_files({argv[3]})) {
        std::ifstream f(path, std::ios::binary);
        images.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        bodies.push_back(nlohmann::json{{"model", "m"}, {"image", base64(images.back())}}.dump());
    }
    std::printf("model %s, %zu images of %s, %zu requests per run, %u cores\n", model.c_str(), images.size(), argv[3],
                requests, std::thread::hardware_concurrency());

    // The peers: the same model in this process, one image per call as the server runs them
    // for one client, and batches of 16.
    acg2vec::keep_freed_memory_for_reuse();
    const acg2vec::Scorer scorer = acg2vec::Scorer::open(model);
    std::vector<acg2vec::ImageInput> inputs;
    for (const auto& bytes : images) inputs.push_back(acg2vec::ImageInput::memory(bytes.data(), bytes.size()));
    for (const auto& input : inputs) scorer.score(input);
    const auto library_batch = [&](std::size_t count, std::size_t batch) {
        const auto start = bench::Clock::now();
        for (std::size_t i = 0; i < count; i += batch) {
            std::vector<acg2vec::ImageInput> part;
            for (std::size_t j = i; j < std::min(count, i + batch); ++j) part.push_back(inputs[j % inputs.size()]);
            if (batch == 1)
                scorer.score(part[0]);
            else
                scorer.score_batch(part);
        }
        return bench::seconds_since(start);
    };
    library_batch(32, 16);

    const Served served = start_server(cli, model);
    // Warm-up in the shapes measured below (every batch size, every thread of the pool used),
    // so that what the allocator and libtorch keep for reuse is in the baseline and growth
    // means a leak.
    every_batch_size(served.port, images);
    score_requests(served.port, bodies, 64, 16);
    score_requests(served.port, bodies, 16, 1);
    mixed_load(served.port, bodies, 400);
    const long rss_warm = idle_rss_of(served.pid);
    constexpr std::size_t rounds = 4;
    const std::size_t per_round = std::max<std::size_t>(16, requests / rounds);
    double direct = 0, direct16 = 0, server_model = 0;
    Run one, sixteen;
    for (std::size_t r = 0; r < rounds; ++r) {
        direct += library_batch(per_round, 1);
        const double model_before = metric(served.port, "acg2vec_model_run_seconds_sum");
        add_run(one, score_requests(served.port, bodies, per_round, 1));
        server_model += metric(served.port, "acg2vec_model_run_seconds_sum") - model_before;
        direct16 += library_batch(per_round, 16);
        add_run(sixteen, score_requests(served.port, bodies, per_round, 16));
    }
    const double images_measured = double(rounds * per_round);
    std::printf("%-34s %8.1f images/s   %.2f ms per image\n", "library directly (Scorer::score)",
                images_measured / direct, 1000 * direct / images_measured);
    std::printf("%-34s %8.1f images/s\n", "library, batches of 16", images_measured / direct16);
    print_run("HTTP, 1 client at a time", one);
    print_run("HTTP, 16 concurrent clients", sixteen);
    std::printf(
        "HTTP overhead at batch 1: %+.1f %% (target <= 10 %%); of it, the server's Analyzer (decode and "
        "model, in its batcher thread) took %.2f ms per image against the library's %.2f ms, and the rest "
        "(HTTP, JSON, base64, queueing) %.2f ms\n",
        100 * (one.seconds - direct) / direct, 1000 * server_model / images_measured, 1000 * direct / images_measured,
        1000 * (one.seconds - server_model) / images_measured);
    std::printf(
        "dynamic batching, 16 clients / 1 client: %.2fx (target >= 2x); the library's batches of 16 give "
        "%.2fx over its single images, and 16 clients reach %.0f %% of their throughput\n",
        one.seconds / sixteen.seconds, direct / direct16, 100 * direct16 / sixteen.seconds);
    mixed_load(served.port, bodies, 2000);
    const long rss_after = idle_rss_of(served.pid);
    std::printf("server RSS when idle: %.1f MB after warm-up, %.1f MB after the runs (%+.1f MB; target within 50 MB)\n",
                rss_warm / 1e6, rss_after / 1e6, (rss_after - rss_warm) / 1e6);
    // A second identical load: a leak grows again by as much, memory kept for reuse does not.
    mixed_load(served.port, bodies, 2000);
    const long rss_again = idle_rss_of(served.pid);
    std::printf("server RSS when idle after a second mixed load: %.1f MB (%+.1f MB); peak RSS under load %.1f MB\n",
                rss_again / 1e6, (rss_again - rss_after) / 1e6, status_bytes(served.pid, "VmHWM") / 1e6);
    httplib::Client metrics("127.0.0.1", served.port);
    if (auto r = metrics.Get("/metrics")) {
        double sum = 0, count = 0;
        std::istringstream lines(r->body);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("acg2vec_batch_images_sum ", 0) == 0) sum = std::stod(line.substr(25));
            if (line.rfind("acg2vec_batch_images_count ", 0) == 0) count = std::stod(line.substr(27));
        }
        std::printf("forward passes: %.0f, %.2f images per pass on average\n", count, count > 0 ? sum / count : 0.0);
    }
    kill(served.pid, SIGTERM);
    int status = 0;
    waitpid(served.pid, &status, 0);
    std::printf("server exit after SIGTERM: %s\n",
                WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "0 (clean)" : "NOT CLEAN");
    return 0;
}
