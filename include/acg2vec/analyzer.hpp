// Analyzer: every task a model's metadata declares (tags, scores, an image vector), from one
// decode and one forward pass per image. A model whose image method returns both class
// probabilities and pooled features (the default model) is run once, not once per task.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acg2vec/embedder.hpp"
#include "acg2vec/export.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"
#include "acg2vec/scorer.hpp"
#include "acg2vec/tagger.hpp"

namespace acg2vec {

struct AnalyzeOptions {
    TagOptions tags;
    ScoreOptions score;
    EmbedOptions embed;
    DecodeOptions decode;
};

// What one image gave; a field is set when the model has that task.
struct Analysis {
    std::optional<TagResult> tags;
    std::optional<ScoreResult> scores;
    std::optional<Vector> vector;
};

using AnalysisOutcome = Outcome<Analysis>;

class ACG2VEC_API Analyzer {
public:
    // The tasks come from the metadata: a "tagger" section gives tags, a "scorer" section
    // scores, an "embedder" section (or task "embedder") image vectors. model_metadata when
    // the model has none of them.
    explicit Analyzer(Model model, const AnalyzeOptions& options = {});
    static Analyzer open(const std::string& path, const ModelOptions& model = {}, const AnalyzeOptions& options = {});

    Analysis analyze(const ImageInput& input) const;
    // Batches of up to model.batch_size images per forward pass; a bad input fails alone.
    std::vector<AnalysisOutcome> analyze_batch(const std::vector<ImageInput>& inputs) const;
    // The same, each outcome handed to `on_outcome` in input order as soon as its batch is done.
    void analyze_each(const std::vector<ImageInput>& inputs,
                      const std::function<void(AnalysisOutcome&&)>& on_outcome) const;

    // The tasks, sharing this analyzer's model; null when the model lacks that task.
    const Tagger* tagger() const;
    const Scorer* scorer() const;
    const Embedder* embedder() const;

    const Model& model() const;
    const AnalyzeOptions& options() const;

private:
    struct Impl;
    std::shared_ptr<const Impl> impl_;
};

}  // namespace acg2vec
