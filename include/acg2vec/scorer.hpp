// Scorer: classification heads on an image. One head (an ImageNet-style classifier, PAI's
// class / class_name / class_probs) or several (pix2score: bookmark, view and sanity bins).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "acg2vec/error.hpp"
#include "acg2vec/export.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"

namespace acg2vec {

struct ScoreOptions {
    std::size_t top_k = 5;  // entries in HeadScore::top
};

struct ScorerOptions {
    ModelOptions model;
    DecodeOptions decode;
    ScoreOptions score;
};

struct ClassScore {
    std::size_t index = 0;
    std::string label;
    float probability = 0.0f;
};

struct HeadScore {
    std::string head;                  // e.g. "bookmark"
    std::vector<std::string> labels;   // e.g. "0-10", ..., "2700-∞"
    std::vector<float> probabilities;  // after the head's activation, one per label
    ClassScore best;                   // the argmax (first on ties)
    std::vector<ClassScore> top;       // the top_k, most probable first
    // Sum of probability x bin value when the labels are numeric bins ("0-10" counts as 5,
    // an open-ended "2700-∞" as 2700) or the metadata gives values; for sorting illustrations
    // by predicted bookmarks. Unset for categorical heads.
    std::optional<double> expected_value;
};

struct ACG2VEC_API ScoreResult {
    std::vector<HeadScore> heads;                          // in metadata order
    const HeadScore& head(const std::string& name) const;  // throws not_found
};

using ScoreOutcome = Outcome<ScoreResult>;

class ACG2VEC_API Scorer {
public:
    // Opens a model whose acg2vec.json has a "scorer" section (docs/tasks.md); each head's
    // label count is checked against its output here.
    static Scorer open(const std::string& path, const ScorerOptions& options = {});
    // A scorer on a model already open, which other tasks may share (see Analyzer).
    explicit Scorer(Model model, const ScoreOptions& score = {}, const DecodeOptions& decode = {});

    ScoreResult score(const ImageInput& input) const;
    // Batches of up to model.batch_size images per forward pass; a bad input fails alone.
    std::vector<ScoreOutcome> score_batch(const std::vector<ImageInput>& inputs) const;
    // The same, each outcome handed to `on_outcome` in input order as soon as its batch is done.
    void score_each(const std::vector<ImageInput>& inputs, const std::function<void(ScoreOutcome&&)>& on_outcome) const;

    std::vector<std::string> head_names() const;
    const Model& model() const;
    const ScorerOptions& options() const;

private:
    friend class Analyzer;  // feeds one forward pass to several tasks
    using Outputs = std::map<std::string, std::vector<float>>;
    ScoreResult from_outputs(const Outputs& outputs) const;

    struct Impl;
    explicit Scorer(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// PAI's classifier shape for one head: {"class": 3, "class_name": "...", "class_probs":
// {"name": p, ...}, "top5": [{"class": i, "class_name": "...", "prob": p}, ...]}
// (plus "expected_value" for numeric bins). Several heads: {"heads": {"name": {...}, ...}}.
ACG2VEC_API std::string to_pai_json(const ScoreResult& result);
ACG2VEC_API std::string to_pai_json(const std::vector<ScoreOutcome>& outcomes);  // a JSON array

}  // namespace acg2vec
