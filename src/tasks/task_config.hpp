// Internal: the task sections of acg2vec.json ("tagger", "scorer"), read and checked at load.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "acg2vec/labels.hpp"
#include "acg2vec/model.hpp"

namespace acg2vec::detail {

enum class Activation { none, sigmoid, softmax };

struct TaggerConfig {
    std::string output;  // which output of the image method holds the scores
    Activation activation = Activation::none;
    LabelTable labels;
};

struct HeadConfig {
    std::string name;
    std::string output;
    Activation activation = Activation::softmax;
    std::vector<std::string> labels;
    std::vector<double> values;  // a number per label for expected values; empty when none
};

// Throw model_metadata naming the model file and the field.
TaggerConfig read_tagger_config(const Model& model);
std::vector<HeadConfig> read_scorer_config(const Model& model);

// The single output of the image method when `name` is empty, else `name` checked to exist.
std::string image_output(const Model& model, const std::string& name, const std::string& field);

}  // namespace acg2vec::detail
