// Internal: acg2vec.json parsed once. Model::open keeps the document, and the tasks read their
// sections from it through model_document() instead of parsing ModelMetadata::json again.
#pragma once

#include <string>

#include "acg2vec/model.hpp"
#include "model/json_reader.hpp"

namespace acg2vec::detail {

// Parses the text into a JSON object, or fails naming `source`.
Json parse_metadata_document(const std::string& json_text, const std::string& source);
// The common fields of a parsed document, checked (ModelMetadata::parse is both steps).
ModelMetadata read_metadata(const Json& document, const std::string& json_text, const std::string& source);

struct ModelAccess {
    static const Json& document(const Model& model);
};

// The model's acg2vec.json as parsed at load, and a reader whose errors name it.
inline const Json& model_document(const Model& model) { return ModelAccess::document(model); }
inline JsonReader model_reader(const Model& model) { return JsonReader(model.path() + ":acg2vec.json"); }

}  // namespace acg2vec::detail
