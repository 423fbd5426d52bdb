// Internal: reading the task sections of acg2vec.json. Every failure is model_metadata and
// names the model file and the field path ("scorer.heads[1].labels").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acg2vec/model.hpp"

namespace acg2vec::detail {

using Json = nlohmann::json;

[[noreturn]] void config_fail(const Model& model, const std::string& field, const std::string& why);

// The section `name` of the model's acg2vec.json (parsed into `document`), or null when
// absent and `required` is false.
const Json* config_section(const Model& model, const char* name, Json& document, bool required);

std::string optional_string(const Model& model, const Json& object, const char* key, const std::string& path,
                            const std::string& fallback);

// Lines of an archive file, without CR and blank lines.
std::vector<std::string> lines_of(const std::string& text);

// A file inside the archive, named by the field `field`.
const std::string& archive_file(const Model& model, const std::string& name, const std::string& field);

// The single output of the method with `role` when `name` is empty, else `name` checked to exist.
std::string method_output(const Model& model, const std::string& role, const std::string& name,
                          const std::string& field);

// The per-sample width of a one-dimensional output, from the metadata or (for the image
// method, when the metadata leaves it open) from one run on a blank image; 0 when unknown.
std::int64_t output_width(const Model& model, const std::string& role, const std::string& output);

}  // namespace acg2vec::detail
