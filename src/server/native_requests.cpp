#include "server/native_requests.hpp"

#include "server/api_error.hpp"

namespace acg2vec::server {
namespace {

// A form field as JSON: numbers and booleans ("0.5", "true") as such, anything else a string.
Json form_value(const std::string& name, const std::string& text) {
    if (name != "model") {
        const Json v = Json::parse(text, nullptr, false);
        if (v.is_number() || v.is_boolean()) return v;
    }
    return text;
}

}  // namespace

ImageRequest image_request(const HttpRequest& request) {
    ImageRequest r;
    if (!request.parts.empty()) {
        for (const FormPart& p : request.parts) {
            if ((p.name == "image" || p.name == "images") && !p.filename.empty()) {
                r.images.push_back(
                    ImageInput::memory(std::vector<std::uint8_t>(p.content.begin(), p.content.end()), p.filename));
            } else if (p.filename.empty()) {
                r.body[p.name] = form_value(p.name, p.content);
            }
        }
        for (const auto& [name, value] : request.params) r.body[name] = form_value(name, value);
    } else {
        r.body = json_body(request);
        if (auto it = r.body.find("image"); it != r.body.end()) r.images.push_back(json_image(*it, "image"));
        if (auto it = r.body.find("images"); it != r.body.end()) {
            if (!it->is_array()) throw ApiError(400, "invalid_argument", "images: expected an array");
            for (std::size_t i = 0; i < it->size(); ++i)
                r.images.push_back(json_image((*it)[i], "images[" + std::to_string(i) + "]"));
        }
    }
    if (r.images.empty()) throw ApiError(400, "invalid_argument", "image: missing (or images: empty)");
    return r;
}

bool wants_unit_length(const Json& body) {
    auto it = body.find("normalize");
    if (it == body.end()) return true;
    if (!it->is_boolean()) throw ApiError(400, "invalid_argument", "normalize: expected true or false");
    return it->get<bool>();
}

Json error_item(const AnalysisOutcome& o) {
    return {{"input", o.input}, {"error", {{"code", error_code_name(o.error)}, {"message", o.message}}}};
}

}  // namespace acg2vec::server
