#include "server/http_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "acg2vec/image.hpp"
#include "server/api_error.hpp"
#include "server/idle_memory_trimmer.hpp"
#include "server/services.hpp"
#include "server/web_assets.hpp"

namespace acg2vec::server {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

HttpRequest from_httplib(const httplib::Request& in) {
    HttpRequest r;
    r.method = in.method;
    r.path = in.path;
    for (const auto& [name, value] : in.headers) r.headers.emplace(lower(name), value);
    for (const auto& [name, value] : in.params) r.params.emplace(name, value);
    for (const auto& [name, file] : in.files)
        r.parts.push_back({file.name, file.filename, file.content_type, file.content});
    r.body = in.body;
    return r;
}

void to_httplib(const HttpResponse& in, httplib::Response& out) {
    out.status = in.status;
    for (const auto& [name, value] : in.headers) out.set_header(name, value);
    out.set_content(in.body, in.content_type);
}

// Constant-time comparison, so the time of a refusal tells nothing about the secret.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % std::max<std::size_t>(1, b.size())]);
    return diff == 0;
}

bool is_public_asset(const httplib::Request& request) {
    if (request.method != "GET" && request.method != "HEAD") return false;
    if (request.path == "/") return true;
    for (std::size_t i = 0; i < web_asset_count; ++i)
        if (request.path == web_assets[i].path) return true;
    return false;
}

bool authorized(const ServerOptions& options, const httplib::Request& request) {
    if (options.api_key.empty() && options.basic_auth.empty()) return true;
    const std::string header = request.get_header_value("Authorization");
    if (!options.api_key.empty() && header.rfind("Bearer ", 0) == 0 && same_secret(header.substr(7), options.api_key))
        return true;
    if (!options.basic_auth.empty() && header.rfind("Basic ", 0) == 0) {
        try {
            const std::vector<std::uint8_t> decoded = decode_base64(header.substr(6), "Authorization");
            return same_secret(std::string(decoded.begin(), decoded.end()), options.basic_auth);
        } catch (const Error&) {
            return false;
        }
    }
    return false;
}

std::map<std::string, ServedIndex> open_indexes(const ServerOptions& options, ModelRegistry& models) {
    std::map<std::string, ServedIndex> indexes;
    for (const auto& [name, spec] : options.indexes) {
        const auto loaded = models.get(spec.model);
        if (!loaded->images || loaded->images->analyzer().embedder() == nullptr)
            throw Error(ErrorCode::invalid_argument,
                        "index '" + name + "': model '" + spec.model + "' gives no image vectors");
        indexes.emplace(
            name, ServedIndex{Index::load(spec.path, loaded->images->analyzer().embedder()->index_options()), spec.path,
                              spec.model, spec.image_root});
    }
    return indexes;
}

// SIGTERM and SIGINT are taken by one thread (blocked in all others), which stops the server.
class ShutdownSignals {
public:
    ShutdownSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        pthread_sigmask(SIG_BLOCK, &set_, &previous_);
    }
    ~ShutdownSignals() {
        finish();
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    void on_signal(std::function<void()> stop) {
        waiter_ = std::thread([this, stop = std::move(stop)] {
            int signal = 0;
            sigwait(&set_, &signal);
            if (!finished_) stop();
        });
    }
    bool finished() const { return finished_; }
    // The server has stopped: wake the waiting thread (if no signal came) without calling stop.
    void finish() {
        if (!waiter_.joinable()) return;
        finished_ = true;
        pthread_kill(waiter_.native_handle(), SIGTERM);
        waiter_.join();
    }

private:
    sigset_t set_, previous_;
    std::atomic<bool> finished_{false};
    std::thread waiter_;
};

}  // namespace

void run_server(const ServerOptions& options, const std::function<void(int port)>& on_listening) {
    ShutdownSignals signals;  // before any thread starts, so that all inherit the mask
    Metrics metrics;
    ModelRegistry models(options.models, options.model, options.batching, metrics);
    std::map<std::string, ServedIndex> indexes = open_indexes(options, models);
    Services services{models, indexes, metrics, options.routes, {options.allow_writes, options.save_every}};
    Router router;
    add_native_routes(router, services);
    add_wd14_routes(router, services);
    add_pai_routes(router, services);
    add_acg2vec_routes(router, services);
    add_web_routes(router, services);

    httplib::Server http;
    http.new_task_queue = [n = options.http_threads] { return new httplib::ThreadPool(std::size_t(n)); };
    http.set_payload_max_length(options.max_body);
    // Clients keep their connection across requests (the default closes it after 5), but not
    // forever: a connection holds a pool thread, so others get their turn. An idle connection
    // is closed after 5 s, which also bounds how long a shutdown waits for it.
    // Answers go out at once: with Nagle's algorithm a reply written in two pieces waits for
    // the client's delayed ACK of the first (40 ms on Linux).
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(100);
    http.set_keep_alive_timeout(5);
    // Reading a large upload or writing a reply can stall for seconds while the model's threads
    // hold both cores; the library's 5 s would drop such connections mid-request.
    http.set_read_timeout(60);
    http.set_write_timeout(60);
    http.set_pre_routing_handler([&](const httplib::Request& request, httplib::Response& response) {
        // The page's own files hold no data: they load without credentials and then ask for them.
        if (request.path == "/healthz" || is_public_asset(request) || authorized(options, request))
            return httplib::Server::HandlerResponse::Unhandled;
        to_httplib(native_error(ApiError(401, "unauthorized", "missing or wrong credentials")), response);
        response.set_header("WWW-Authenticate", options.basic_auth.empty() ? "Bearer" : "Basic realm=\"acg2vec\"");
        metrics.record_request("unauthorized", 401, 0);
        return httplib::Server::HandlerResponse::Handled;
    });
    IdleMemoryTrimmer trimmer;
    const auto handle = [&](const httplib::Request& in, httplib::Response& out) {
        const IdleMemoryTrimmer::Request busy(trimmer);
        const auto start = std::chrono::steady_clock::now();
        HttpRequest request = from_httplib(in);
        std::string route;
        const HttpResponse response = router.handle(request, &route);
        to_httplib(response, out);
        if (response.status == 503) out.set_header("Retry-After", "1");
        metrics.record_request(route, response.status,
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    http.Get(".*", handle);
    http.Post(".*", handle);
    http.Put(".*", handle);
    http.Delete(".*", handle);
    http.Patch(".*", handle);
    http.Options(".*", handle);
    // Errors the HTTP library answers itself (413 over --max-body, 400 for a malformed request).
    http.set_error_handler([&](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return;
        // The HTTP library also caps urlencoded form bodies at 8 KiB, whatever --max-body says.
        const bool form = request.get_header_value("Content-Type").find("x-www-form-urlencoded") != std::string::npos;
        const std::string why =
            response.status != 413 ? "malformed request"
            : form ? "an application/x-www-form-urlencoded body is limited to 8 KiB: send JSON (Content-Type: "
                     "application/json) or multipart/form-data"
                   : "the body is larger than --max-body (" + std::to_string(options.max_body) + " bytes)";
        to_httplib(native_error(ApiError(response.status, response.status == 413 ? "too_large" : "bad_request", why)),
                   response);
        metrics.record_request("rejected", response.status, 0);
    });

    // cpp-httplib listens with a backlog of 5 (compiled into Debian's library): a burst of new
    // connections overflows it, and the kernel then drops some after the client thinks it is
    // connected (seen as read errors by 32 clients connecting at once). The socket is
    // remembered when created and listened on again, with the system's maximum backlog.
    int listening_socket = -1;
    http.set_socket_options([&](int socket) {
        int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // what the default did
        listening_socket = socket;
    });
    int port = options.port;
    const bool bound =
        port == 0 ? (port = http.bind_to_any_port(options.host)) > 0 : http.bind_to_port(options.host, port);
    if (!bound) throw Error(ErrorCode::io, "cannot listen on " + options.host + ":" + std::to_string(options.port));
    if (listening_socket >= 0) ::listen(listening_socket, SOMAXCONN);
    // A signal that came while the models loaded is taken now; stop() only acts once the
    // server runs, so wait for that.
    signals.on_signal([&] {
        while (!http.is_running() && !signals.finished()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        http.stop();
    });
    on_listening(port);        // the socket is bound: connections wait in its backlog until listen
    http.listen_after_bind();  // returns after stop(), once the requests in flight are answered
    signals.finish();
    save_pending_indexes(services);
}

}  // namespace acg2vec::server
