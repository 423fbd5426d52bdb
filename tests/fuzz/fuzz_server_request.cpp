// Request parsing and routing of `acg2vec serve`, without sockets: the input becomes an
// HttpRequest (method, path, headers, JSON or multipart body) handed to the Router with every
// API registered. The server has no models here (this build has no libtorch), but an index
// accepts searches and writes by vector. A finding: a crash or sanitizer report, an exception
// escaping the router, a 5xx (bad input must be a 4xx), a response that is not JSON, or a body
// that the server's JSON parser (simdjson, nlohmann as fallback) reads otherwise than nlohmann.
#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "server/json_parse.hpp"
#include "server/services.hpp"

using namespace acg2vec;
using namespace acg2vec::server;

namespace {

struct World {
    Metrics metrics;
    ModelRegistry models{{}, ModelOptions{}, BatchingOptions{}, metrics};
    std::map<std::string, ServedIndex> indexes;
    Services services{models, indexes, metrics, {}, {true, 1000000}};
    Router router;

    World() {
        IndexOptions o;
        o.dimension = 3;
        Index index = Index::create(o);
        index.add("images/a.png", {1, 0, 0}, {"rating:general", "content:0011223344556677"});
        index.add("images/b.png", {0.9f, 0.1f, 0}, {"rating:sensitive"});
        indexes.emplace("gallery", ServedIndex{index, "/nonexistent/never-saved.idx", "none", "/nonexistent"});
        add_native_routes(router, services);
        add_wd14_routes(router, services);
        add_pai_routes(router, services);
        add_acg2vec_routes(router, services);
        add_web_routes(router, services);  // thumbnails of files that are not there: placeholders
    }
};

// Input: byte 0 picks the method, then the path up to '\n', then optional "name: value" header
// lines up to an empty line, then the body. A body starting with "--" becomes multipart parts
// ("--name=filename\n" then the content up to the next "--").
HttpRequest request_from(const std::string& input) {
    static const char* methods[] = {"GET", "POST", "PUT", "DELETE"};
    HttpRequest r;
    if (input.empty()) return r;
    r.method = methods[static_cast<unsigned char>(input[0]) % 4];
    std::size_t at = 1, end = input.find('\n', at);
    r.path = input.substr(at, end == std::string::npos ? std::string::npos : end - at);
    while (end != std::string::npos) {
        at = end + 1;
        end = input.find('\n', at);
        const std::string line = input.substr(at, end == std::string::npos ? std::string::npos : end - at);
        const std::size_t colon = line.find(": ");
        if (line.empty() || colon == std::string::npos) break;
        r.headers[line.substr(0, colon)] = line.substr(colon + 2);
    }
    r.body = end == std::string::npos ? "" : input.substr(end + 1);
    if (r.body.rfind("--", 0) == 0) {
        std::size_t p = 0;
        while ((p = r.body.find("--", p)) != std::string::npos) {
            const std::size_t header_end = r.body.find('\n', p);
            if (header_end == std::string::npos) break;
            const std::string header = r.body.substr(p + 2, header_end - p - 2);
            const std::size_t next = r.body.find("--", header_end);
            const std::size_t eq = header.find('=');
            r.parts.push_back(
                {header.substr(0, eq), eq == std::string::npos ? "" : header.substr(eq + 1), "",
                 r.body.substr(header_end + 1, next == std::string::npos ? std::string::npos : next - header_end - 1)});
            p = next;
        }
        for (const auto& part : r.parts)
            if (part.filename.empty()) r.params.emplace(part.name, part.content);
    }
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    HttpRequest request = request_from(std::string(reinterpret_cast<const char*>(data), size));
    const std::optional<nlohmann::json> fast = parse_json(request.body);
    const nlohmann::json reference = nlohmann::json::parse(request.body, nullptr, false);
    if (fast.has_value() == reference.is_discarded() || (fast && *fast != reference))
        fuzz::finding("parse_json and nlohmann disagree on the body: " + request.body.substr(0, 200));
    HttpResponse response;
    try {
        response = world.router.handle(request);
    } catch (const std::exception& e) {
        fuzz::finding(std::string("exception escaped the router: ") + e.what());
    }
    if (response.status >= 500) fuzz::finding("a 5xx for a request: " + response.body);
    if (response.content_type == "application/json" && nlohmann::json::accept(response.body) == false)
        fuzz::finding("a response that is not JSON: " + response.body);
    return 0;
}
