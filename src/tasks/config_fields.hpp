// Internal: reading the task sections of acg2vec.json from the document the model parsed at
// load (model/metadata_document.hpp), with its reader: every failure is model_metadata and
// names the model file and the field path ("scorer.heads[1].labels").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "acg2vec/model.hpp"
#include "model/metadata_document.hpp"

namespace acg2vec::detail {

[[noreturn]] inline void config_fail(const Model& model, const std::string& field, const std::string& why) {
    model_reader(model).fail(field, why);
}

// The section `name` of the model's acg2vec.json, or null when absent and not `required`. A
// required section that is missing is reported with what the model is for instead ("a scorer
// model (sections: scorer, embedder): no tagger section"), since the usual cause is a model
// handed to the wrong task.
const Json* config_section(const Model& model, const char* name, bool required);

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
