// sync_folder: plan every file against the index (unchanged, renamed, a copy of known bytes,
// or new content), then run the model once per new content.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "acg2vec/folder_sync.hpp"
#include "io/content_hash.hpp"

namespace acg2vec {
namespace {

namespace fs = std::filesystem;

std::string normal_key(const std::string& key) { return fs::path(key).lexically_normal().generic_string(); }

// The keys under the synced inputs: a folder covers every key below it, a file its own key.
class Scope {
public:
    Scope(const std::vector<std::string>& inputs, const std::string& root) {
        for (const auto& input : inputs) {
            std::error_code ec;
            const std::string key = index_key(input, root);
            // A path that no longer exists may have been a file or a folder: its keys are gone either way.
            const bool exists = fs::exists(input, ec);
            if (!exists || fs::is_directory(input, ec)) folders_.push_back(key);
            if (!exists || !fs::is_directory(input, ec)) files_.insert(key);
        }
    }
    bool contains(const std::string& key) const {
        const std::string k = normal_key(key);
        if (files_.count(k) != 0) return true;
        for (const auto& f : folders_) {
            if (f == ".") {
                const fs::path p(k);
                if (!p.is_absolute() && (p.empty() || *p.begin() != "..")) return true;
            } else if (k.size() > f.size() && k.compare(0, f.size(), f) == 0 &&
                       (f.back() == '/' || k[f.size()] == '/')) {
                return true;
            }
        }
        return false;
    }

private:
    std::vector<std::string> folders_;
    std::set<std::string> files_;
};

struct FileEntry {
    std::string path, key, content;  // content empty: the file could not be read
};

struct Stored {  // an index entry whose bytes we know, for reuse
    std::vector<float> vector;
    std::vector<std::string> categories;
};

SyncEvent event_of(SyncAction action, const std::string& key) {
    SyncEvent event;
    event.action = action;
    event.key = key;
    return event;
}

std::vector<std::string> categories_for(const Analysis& analysis, const std::string& content) {
    std::vector<std::string> names = analysis_categories(analysis);
    const std::string category = content_category_prefix + content;
    names.insert(std::lower_bound(names.begin(), names.end(), category), category);
    return names;
}

void check_index_matches(const Index& index, const Embedder& embedder) {
    const IndexInfo info = index.info();
    const IndexOptions wanted = embedder.index_options();
    const std::string model = embedder.model().path();
    if (info.dimension != wanted.dimension)
        throw Error(ErrorCode::invalid_argument, "folder sync: the index holds " + std::to_string(info.dimension) +
                                                     "-d vectors, " + model + " makes " +
                                                     std::to_string(wanted.dimension) + "-d ones");
    if (!info.model_name.empty() && info.model_name != wanted.model_name)
        throw Error(ErrorCode::invalid_argument, "folder sync: the index was built with model '" + info.model_name +
                                                     "', not '" + wanted.model_name + "' (" + model + ")");
    if (!info.model_fingerprint.empty() && info.model_fingerprint != wanted.model_fingerprint)
        throw Error(ErrorCode::invalid_argument, "folder sync: the index was built with another file of model '" +
                                                     info.model_name + "' than " + model);
}

class Sync {
public:
    Sync(Index& index, const Analyzer& analyzer, const std::vector<std::string>& inputs, const SyncOptions& options)
        : index_(index), analyzer_(analyzer), options_(options), inputs_(inputs), scope_(inputs, options.root) {}

    SyncReport run() {
        read_files();
        read_index();
        find_gone();
        plan();
        for (const auto& key : gone_) {
            if (renamed_from_.count(key) != 0 || !options_.remove_missing) continue;
            index_.remove(key);
            emit(event_of(SyncAction::removed, key));
        }
        progress();
        run_model();
        if (!options_.save_path.empty()) index_.save(options_.save_path);
        return report_;
    }

private:
    void read_files() {
        for (const auto& path : list_image_files(inputs_)) {
            FileEntry e{path, index_key(path, options_.root), {}};
            if (files_.count(e.key) != 0) continue;  // the same file named twice
            try {
                e.content = detail::content_hash_file(path);
            } catch (const Error& error) {
                fail(e.key, error.code(), error.what());
            }
            files_.emplace(e.key, std::move(e));
        }
    }

    void read_index() {
        for (const auto& key : index_.keys()) {
            const std::string content = content_fingerprint(index_.categories(key));
            stored_content_[key] = content;
            if (!content.empty()) keys_with_content_[content].push_back(key);
        }
    }

    // A key whose file is gone: under the synced inputs, not among the files, and either not
    // in normal form (an old "./x.jpg") or without a file at root/key.
    void find_gone() {
        for (const auto& [key, content] : stored_content_) {
            if (files_.count(key) != 0 || !scope_.contains(key)) continue;
            std::error_code ec;
            const fs::path file = fs::path(key).is_absolute() ? fs::path(key) : fs::path(options_.root) / key;
            if (normal_key(key) != key || !fs::exists(file, ec)) gone_.insert(key);
        }
    }

    // The vector and categories of an index entry with these bytes, read once per content.
    const Stored* stored_with(const std::string& content) {
        if (auto cached = reusable_.find(content); cached != reusable_.end()) return &cached->second;
        auto it = keys_with_content_.find(content);
        if (it == keys_with_content_.end()) return nullptr;
        const std::string& key = it->second.front();
        Stored s{index_.get(key), index_.categories(key)};
        return &reusable_.emplace(content, std::move(s)).first->second;
    }

    // A gone key with these bytes that no other file has taken yet.
    std::string rename_source(const std::string& content) {
        auto it = keys_with_content_.find(content);
        if (it == keys_with_content_.end()) return {};
        for (const auto& key : it->second)
            if (gone_.count(key) != 0 && renamed_from_.count(key) == 0) return key;
        return {};
    }

    // Decides every file's action first, reading the vectors to reuse, and only then changes
    // the index: an entry about to be updated may still be the only holder of some bytes.
    void plan() {
        struct Step {
            SyncAction action;
            std::string key, previous_key;
            const Stored* stored = nullptr;
        };
        std::vector<Step> steps;
        for (const auto& [key, file] : files_) {
            if (file.content.empty()) continue;  // unreadable: reported, its entry left as it was
            auto stored = stored_content_.find(key);
            if (stored != stored_content_.end() && stored->second == file.content) {
                steps.push_back({SyncAction::unchanged, key, "", nullptr});
                continue;
            }
            const std::string source = stored == stored_content_.end() ? rename_source(file.content) : "";
            if (!source.empty()) renamed_from_.insert(source);
            if (const Stored* s = stored_with(file.content)) {
                steps.push_back({source.empty() ? SyncAction::added : SyncAction::renamed, key, source, s});
            } else {
                pending_[file.content].push_back(key);
            }
        }
        for (const Step& step : steps) {
            if (step.action == SyncAction::unchanged) {
                emit(event_of(SyncAction::unchanged, step.key));
            } else if (step.action == SyncAction::renamed) {
                index_.add(step.key, step.stored->vector, step.stored->categories);
                index_.remove(step.previous_key);
                SyncEvent event = event_of(SyncAction::renamed, step.key);
                event.previous_key = step.previous_key;
                emit(event);
            } else {
                put(step.key, step.stored->vector, step.stored->categories, true);
            }
        }
    }

    void run_model() {
        std::vector<std::string> contents;
        for (const auto& [content, keys] : pending_) contents.push_back(content);
        std::size_t since_save = 0;
        for (std::size_t first = 0; first < contents.size(); first += options_.images_per_call) {
            const std::size_t last = std::min(contents.size(), first + options_.images_per_call);
            std::vector<ImageInput> inputs;
            for (std::size_t i = first; i < last; ++i)
                inputs.push_back(ImageInput::file(files_.at(pending_.at(contents[i]).front()).path));
            std::size_t next = first;
            analyzer_.analyze_each(inputs, [&](AnalysisOutcome&& outcome) {  // batch by batch, in order
                apply(contents[next++], outcome);
                ++report_.model_runs;
                progress();
            });
            since_save += last - first;
            if (!options_.save_path.empty() && since_save >= options_.save_every) {
                index_.save(options_.save_path);
                since_save = 0;
            }
        }
    }

    void apply(const std::string& content, const AnalysisOutcome& outcome) {
        const std::vector<std::string>& keys = pending_.at(content);
        if (!outcome.ok()) {
            for (const auto& key : keys) {
                // A changed file that no longer decodes: its old vector describes other bytes.
                const bool dropped = index_.remove(key);
                fail(key, outcome.error, outcome.message + (dropped ? " (its old entry was removed)" : ""));
            }
            return;
        }
        const std::vector<std::string> categories = categories_for(*outcome.result, content);
        for (std::size_t k = 0; k < keys.size(); ++k) put(keys[k], *outcome.result->vector, categories, k > 0);
    }

    void put(const std::string& key, const std::vector<float>& vector, const std::vector<std::string>& categories,
             bool reused) {
        SyncEvent event = event_of(index_.contains(key) ? SyncAction::updated : SyncAction::added, key);
        event.reused = reused;
        if (event.action == SyncAction::updated)
            index_.update(key, vector, categories);
        else
            index_.add(key, vector, categories);
        emit(event);
    }

    void fail(const std::string& key, ErrorCode code, const std::string& message) {
        SyncEvent event = event_of(SyncAction::failed, key);
        event.error = code;
        event.message = message;
        emit(event);
    }

    void emit(const SyncEvent& event) {
        switch (event.action) {
            case SyncAction::added: ++report_.added; break;
            case SyncAction::updated: ++report_.updated; break;
            case SyncAction::renamed: ++report_.renamed; break;
            case SyncAction::removed: ++report_.removed; break;
            case SyncAction::unchanged: ++report_.unchanged; break;
            case SyncAction::failed: ++report_.failed; break;
        }
        if (event.action != SyncAction::removed) ++done_;
        if (options_.on_event) options_.on_event(event);
    }

    void progress() {
        if (options_.on_progress) options_.on_progress(done_, files_.size());
    }

    Index& index_;
    const Analyzer& analyzer_;
    const SyncOptions& options_;
    const std::vector<std::string>& inputs_;
    const Scope scope_;
    std::map<std::string, FileEntry> files_;                             // by key
    std::map<std::string, std::string> stored_content_;                  // index key -> content
    std::map<std::string, std::vector<std::string>> keys_with_content_;  // content -> index keys
    std::map<std::string, Stored> reusable_;                             // content -> vector
    std::set<std::string> gone_, renamed_from_;
    std::map<std::string, std::vector<std::string>> pending_;  // new content -> its keys
    std::size_t done_ = 0;
    SyncReport report_;
};

}  // namespace

std::vector<std::string> analysis_categories(const Analysis& analysis) {
    std::set<std::string> names;
    if (analysis.tags && !analysis.tags->rating.empty()) names.insert("rating:" + analysis.tags->rating);
    if (analysis.scores)
        for (const auto& head : analysis.scores->heads) names.insert(head.head + ":" + head.best.label);
    return {names.begin(), names.end()};
}

const char* sync_action_name(SyncAction action) noexcept {
    switch (action) {
        case SyncAction::added: return "added";
        case SyncAction::updated: return "updated";
        case SyncAction::renamed: return "renamed";
        case SyncAction::removed: return "removed";
        case SyncAction::unchanged: return "unchanged";
        case SyncAction::failed: return "failed";
    }
    return "unknown";
}

SyncReport sync_folder(Index& index, const Analyzer& analyzer, const std::vector<std::string>& inputs,
                       const SyncOptions& options) {
    const Embedder* embedder = analyzer.embedder();
    if (embedder == nullptr)
        throw Error(ErrorCode::invalid_argument,
                    analyzer.model().path() + ": the model gives no image vectors to index");
    if (options.images_per_call == 0)
        throw Error(ErrorCode::invalid_argument, "folder sync: SyncOptions::images_per_call must be at least 1");
    check_index_matches(index, *embedder);
    return Sync(index, analyzer, inputs, options).run();
}

}  // namespace acg2vec
