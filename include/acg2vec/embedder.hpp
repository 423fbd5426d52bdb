// Embedder: images and texts to vectors in one space (CLIP's two towers), or images alone
// (illust2vec, a backbone's pooled features), or texts alone (sentence-transformers).
// Similarity of two images and zero-shot labels build on it. Schema: docs/embedder.md.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "acg2vec/clip_tokenizer.hpp"
#include "acg2vec/export.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/index.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"
#include "acg2vec/wordpiece_tokenizer.hpp"

namespace acg2vec {

struct EmbedOptions {
    bool normalize = true;  // L2-normalise every vector; false returns the model's raw output
};

struct EmbedderOptions {
    ModelOptions model;
    DecodeOptions decode;
    EmbedOptions embed;
};

using Vector = std::vector<float>;
using VectorOutcome = Outcome<Vector>;

// Two vectors compared. For L2-normalised vectors l2_distance = sqrt(2 - 2·cosine).
struct Similarity {
    double cosine = 0;       // of the two vectors, whatever their norms
    double l2_distance = 0;  // between the two vectors after L2 normalisation
    double score = 0;        // 0–100: 100 × max(0, cosine); identical images give 100
};
ACG2VEC_API Similarity compare_vectors(const Vector& a, const Vector& b);  // throws invalid_argument on size mismatch

struct LabelProbability {
    std::string label;
    double probability = 0;  // softmax over the labels of logit_scale × cosine
    double cosine = 0;       // of the image vector and the label's prompt vector
};

class ACG2VEC_API Embedder {
public:
    // Opens a model with an image method, a text method, or both (acg2vec.json "embedder"
    // section, optional for image-only models). Throws model_load / model_metadata.
    static Embedder open(const std::string& path, const EmbedderOptions& options = {});
    // An embedder on a model already open, which other tasks may share (see Analyzer).
    explicit Embedder(Model model, const EmbedOptions& embed = {}, const DecodeOptions& decode = {});

    bool has_image() const;
    bool has_text() const;
    std::size_t dimensions() const;  // of the vectors (image and text share it)

    // Image vectors (not_found without an image method).
    Vector embed(const ImageInput& input) const;
    // Batches of up to model.batch_size images per forward pass; a bad input fails alone.
    std::vector<VectorOutcome> embed_batch(const std::vector<ImageInput>& inputs) const;
    // The same, each outcome handed to `on_outcome` in input order as soon as its batch is done.
    void embed_each(const std::vector<ImageInput>& inputs,
                    const std::function<void(VectorOutcome&&)>& on_outcome) const;

    // Text vectors (invalid_argument for invalid UTF-8; not_found without a text method).
    Vector embed_text(std::string_view text) const;
    std::vector<Vector> embed_texts(const std::vector<std::string>& texts) const;

    // Both images in one forward pass.
    Similarity similarity(const ImageInput& a, const ImageInput& b) const;

    // Zero-shot classification: each label put into `prompt` at "{}" ("a picture of {}").
    // Needs both towers. Results in label order.
    std::vector<LabelProbability> zero_shot(const ImageInput& image, const std::vector<std::string>& labels,
                                            const std::string& prompt = "a picture of {}") const;
    std::vector<LabelProbability> zero_shot(const Vector& image_vector, const std::vector<std::string>& labels,
                                            const std::string& prompt = "a picture of {}") const;
    double logit_scale() const;

    // What an index of this embedder's vectors records, and expects when it is loaded again:
    // dimension, cosine metric, the model's name and fingerprint (Model::fingerprint).
    IndexOptions index_options() const;

    // The text tokenizer; null when the model has none of that kind.
    const ClipTokenizer* clip_tokenizer() const;
    const WordPieceTokenizer* wordpiece_tokenizer() const;

    const Model& model() const;
    const EmbedderOptions& options() const;

private:
    friend class Analyzer;  // feeds one forward pass to several tasks
    using Outputs = std::map<std::string, std::vector<float>>;
    Vector from_outputs(const Outputs& outputs) const;

    struct Impl;
    explicit Embedder(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

}  // namespace acg2vec
