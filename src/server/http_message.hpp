// The HTTP request and response as the server's handlers see them: plain values, free of the
// HTTP library, so routing and every API adapter can be tested and fuzzed without sockets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace acg2vec::server {

// One part of a multipart/form-data body.
struct FormPart {
    std::string name;
    std::string filename;  // empty for a plain field
    std::string content_type;
    std::string content;
};

struct HttpRequest {
    std::string method;                              // "GET", "POST", ...
    std::string path;                                // without the query string
    std::map<std::string, std::string> headers;      // names in lower case
    std::multimap<std::string, std::string> params;  // query string and urlencoded form fields
    std::vector<FormPart> parts;                     // multipart/form-data
    std::string body;
    std::map<std::string, std::string> path_params;  // {name} segments of the matched route

    const std::string* header(const std::string& lower_case_name) const;
    // A field by name: a query or urlencoded form parameter, or a multipart part without a file.
    std::optional<std::string> field(const std::string& name) const;
    // A multipart part by name (a file or a field).
    const FormPart* part(const std::string& name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

HttpResponse json_response(int status, std::string body);

}  // namespace acg2vec::server
