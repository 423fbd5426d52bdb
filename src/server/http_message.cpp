#include "server/http_message.hpp"

namespace acg2vec::server {

const std::string* HttpRequest::header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? nullptr : &it->second;
}

std::optional<std::string> HttpRequest::field(const std::string& name) const {
    if (auto it = params.find(name); it != params.end()) return it->second;
    for (const auto& p : parts)
        if (p.name == name && p.filename.empty()) return p.content;
    return std::nullopt;
}

const FormPart* HttpRequest::part(const std::string& name) const {
    for (const auto& p : parts)
        if (p.name == name) return &p;
    return nullptr;
}

HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

}  // namespace acg2vec::server
