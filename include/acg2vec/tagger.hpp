// Tagger: multi-label tags (WD14 / DeepDanbooru style) split into ratings, characters and
// general tags, with the selection options of the reference taggers.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acg2vec/error.hpp"
#include "acg2vec/export.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/labels.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"

namespace acg2vec {

// Which tags a result keeps. Defaults are those of the WD14 reference tagger.
struct TagOptions {
    float general_threshold = 0.35f;
    float character_threshold = 0.85f;
    // MCut: the threshold sits in the largest gap between sorted probabilities (Largeron et
    // al. 2012); it replaces the fixed threshold of its category when on.
    bool general_mcut = false;
    bool character_mcut = false;
    float character_mcut_floor = 0.15f;  // MCut never goes below this for characters
    std::size_t max_general = 0;         // keep at most this many (0: no limit)
    std::size_t max_characters = 0;
    // Tags always reported with their probability, whatever the threshold (e.g. "nsfw").
    std::vector<std::string> include;
    // Tags never reported.
    std::vector<std::string> exclude;
    // Drop a general tag whose words appear in order inside another kept general tag
    // ("shirt" when "white_shirt" is kept; "hair" is not inside "chair").
    bool drop_overlap = false;
    // Output names: "long_hair" -> "long hair" (kaomoji such as "^_^" keep theirs).
    bool underscores_to_spaces = false;
    // Output names: "(" -> "\(" and ")" -> "\)", for Stable Diffusion prompts.
    bool escape_parentheses = false;
};

struct TaggerOptions {
    ModelOptions model;
    DecodeOptions decode;
    TagOptions tags;
};

struct Tag {
    std::string name;  // formatted per TagOptions
    float probability = 0.0f;
    std::size_t index = 0;  // position in the label table and the model output
};

struct ACG2VEC_API TagResult {
    std::vector<Tag> ratings;     // every rating, most probable first
    std::string rating;           // the most probable rating's name
    std::vector<Tag> characters;  // kept characters, most probable first
    std::vector<Tag> general;     // kept general tags, most probable first

    // "characters, general" joined with `separator` (the training-caption form).
    std::string caption(const std::string& separator = ", ") const;
};

using TagOutcome = Outcome<TagResult>;

class ACG2VEC_API Tagger {
public:
    // Opens a model whose acg2vec.json has task "tagger" and a "tagger" section
    // (docs/tasks.md). The label table is checked against the model output here.
    static Tagger open(const std::string& path, const TaggerOptions& options = {});
    // A tagger on a model already open, which other tasks may share (see Analyzer).
    explicit Tagger(Model model, const TagOptions& tags = {}, const DecodeOptions& decode = {});

    TagResult tag(const ImageInput& input) const;
    // Batches of up to model.batch_size images per forward pass; a bad input fails alone.
    std::vector<TagOutcome> tag_batch(const std::vector<ImageInput>& inputs) const;
    // The same, each outcome handed to `on_outcome` in input order as soon as its batch is done
    // (results show while later batches run; memory does not grow with the input count).
    void tag_each(const std::vector<ImageInput>& inputs, const std::function<void(TagOutcome&&)>& on_outcome) const;

    // The model's probability for every label (sigmoid applied when the model emits logits).
    std::vector<float> probabilities(const ImageInput& input) const;
    // Selection alone, for re-thresholding stored probabilities without running the model.
    TagResult select(const std::vector<float>& probabilities, const TagOptions& options) const;

    const LabelTable& labels() const;
    const Model& model() const;
    const TaggerOptions& options() const;

private:
    friend class Analyzer;  // feeds one forward pass to several tasks
    using Outputs = std::map<std::string, std::vector<float>>;
    TagResult from_outputs(const Outputs& outputs) const;

    struct Impl;
    explicit Tagger(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// The WD14 batch API's shape: {"captions":[{"ratings":{...},"characters":{...},"tags":{...}}]},
// names mapped to probabilities; a failed item is {"error":{"code":"...","message":"..."}}.
ACG2VEC_API std::string to_wd14_json(const std::vector<TagOutcome>& outcomes);
ACG2VEC_API std::string to_wd14_json(const TagResult& result);

}  // namespace acg2vec
