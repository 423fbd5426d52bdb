// `acg2vec tag --captions`: one caption file per image, as the dataset taggers write them for
// training (kohya's tag_images_by_wd14_tagger.py, wd14-tagger-standalone, taggui): tags
// joined by a separator, characters first, then general tags by probability.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "acg2vec/tagger.hpp"
#include "cli/cli_common.hpp"

namespace acg2vec::cli {

enum class ExistingCaption { refuse, skip, overwrite, append };

struct CaptionOptions {
    std::string extension = ".txt";         // --caption-ext
    std::string output_dir;                 // --output-dir: mirror the input tree there ("" = beside each image)
    std::string separator = ", ";           // --separator
    bool with_rating = false;               // --with-rating: the rating first
    std::vector<std::string> always_first;  // --always-first: these tags first when present, in this order
    ExistingCaption existing = ExistingCaption::refuse;
    bool frequency = false;  // --frequency: a histogram of the tags written
};

// The caption's tags, in order: rating (when asked), the always-first tags present, the other
// characters, the other general tags (each group most probable first).
std::vector<std::string> caption_tags(const TagResult& result, const CaptionOptions& options);

// `existing` (a caption file's text) with the tags of `added` that it lacks appended; the
// existing tags keep their order. Tags are compared in label_form ("long hair" = "long_hair").
std::vector<std::string> merge_caption(const std::string& existing, const std::vector<std::string>& added,
                                       const std::string& separator);

// A tag as typed by a user ("long hair", "long_hair", "\(cosplay\)") in the label table's
// form ("long_hair", "(cosplay)"): for --exclude and --always-first.
std::string label_form(const std::string& tag);

// The caption file of `image`, found under the input `root` it was listed from (a folder, or
// "" for a file given by name).
std::string caption_path(const std::string& image, const std::string& root, const CaptionOptions& options);

// Writes `text` to `path` so that a reader (or a resumed run) sees the old file or the new
// one, never a part: a temporary file beside it, flushed to disk, then renamed over it.
void write_file_atomically(const std::string& path, const std::string& text);

// The whole command: tags the images under `inputs` and writes their captions. Returns the
// exit code (1 when any image failed or its caption could not be written).
int run_captions(const CommonOptions& common, const std::vector<std::string>& inputs, const TagOptions& tags,
                 const CaptionOptions& options);

}  // namespace acg2vec::cli
