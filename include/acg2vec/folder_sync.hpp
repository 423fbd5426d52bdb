// Folder sync: makes an index follow image files on disk. Every file gets its own key, a path
// relative to a root; the index then holds exactly the files under the synced folders:
// new files are added, changed files updated, renamed or moved files keep their vector under
// the new key, deleted files are removed. A file whose bytes equal another's reuses its
// vector (one model run per distinct content) but still gets its own key.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "acg2vec/analyzer.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/export.hpp"
#include "acg2vec/index.hpp"

namespace acg2vec {

enum class SyncAction {
    added,      // a new key
    updated,    // the file's bytes changed: new vector
    renamed,    // a key whose file is gone became this key (same bytes, vector kept)
    removed,    // the file is gone
    unchanged,  // same key, same bytes
    failed,     // unreadable or undecodable: see the message (a changed file that fails loses its old entry)
};

ACG2VEC_API const char* sync_action_name(SyncAction action) noexcept;

struct SyncEvent {
    SyncAction action = SyncAction::unchanged;
    std::string key;
    std::string previous_key;  // renamed: the key it had
    bool reused = false;       // added/updated with the vector of a file with the same bytes
    ErrorCode error = ErrorCode::ok;
    std::string message;  // failed: names the file and the reason
};

struct SyncReport {
    std::size_t added = 0, updated = 0, renamed = 0, removed = 0, unchanged = 0, failed = 0;
    std::size_t model_runs = 0;  // images that went through the model (distinct new contents)
};

struct SyncOptions {
    // Keys are the files' paths relative to this folder, lexically normalised, with '/'
    // separators ("./imgs/x.jpg" and "imgs/../imgs/x.jpg" are both "imgs/x.jpg"). A file
    // outside the root is keyed by its absolute path.
    std::string root = ".";
    // Remove keys under the synced folders (or equal to a synced file) whose file is gone.
    bool remove_missing = true;
    // When set, the index is saved to this path every `save_every` model runs and at the end,
    // so an interrupted sync keeps its work and the next one resumes.
    std::string save_path;
    std::size_t save_every = 512;
    std::size_t images_per_call = 128;  // images handed to the batch engine at once
    // on_event: for every file and removed key, in order. on_progress: after the files settled
    // without the model, then as each forward pass of --batch images finishes.
    std::function<void(const SyncEvent&)> on_event;
    std::function<void(std::size_t done, std::size_t total)> on_progress;
};

// Syncs the image files under `inputs` (folders, recursively, by extension; files named
// directly whatever their extension). Vectors come from the analyzer's embedder, which must
// match the index (Embedder::index_options). Each item's categories are its content
// (content_category_prefix + fingerprint), its rating when the model tags, and
// "head:best class" for each scorer head.
ACG2VEC_API SyncReport sync_folder(Index& index, const Analyzer& analyzer, const std::vector<std::string>& inputs,
                                   const SyncOptions& options = {});

// The categories an image's analysis gives it in an index: "rating:<name>" when the model
// tags, "<head>:<best class>" for each scorer head; sorted, without repeats. Folder sync adds
// the content category; the server's index writes use the same rule.
ACG2VEC_API std::vector<std::string> analysis_categories(const Analysis& analysis);

// The image files under files and folders (folders recursively, by extension), sorted,
// without repeats. Throws io naming a folder that cannot be listed.
ACG2VEC_API std::vector<std::string> list_image_files(const std::vector<std::string>& inputs);

// The key folder sync gives `path` under `root` (see SyncOptions::root).
ACG2VEC_API std::string index_key(const std::string& path, const std::string& root = ".");

}  // namespace acg2vec
