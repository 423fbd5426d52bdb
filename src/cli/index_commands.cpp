// index build / add / remove / neighbours / categories, search, dedupe.
#include <unistd.h>
#include <algorithm>
#include <cstdio>

#include <filesystem>
#include <memory>

#include "acg2vec/analyzer.hpp"
#include "acg2vec/duplicates.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "acg2vec/index.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/records.hpp"

namespace acg2vec::cli {
namespace {

struct IndexArgs {
    CommonOptions common;
    std::string index_path;
    std::string root = ".";
    std::vector<std::string> inputs;
    std::size_t save_every = 512;  // model runs between saves, so an interrupted build keeps its work
};

Index open_index(const std::string& path, const Embedder& embedder, bool create_if_missing) {
    if (create_if_missing && !std::filesystem::exists(path)) return Index::create(embedder.index_options());
    return Index::load(path, embedder.index_options());
}

// {"action", "key", "previous_key"? (renamed), "reused"? (added/updated from a copy's vector),
// "error"? (failed)}.
Record event_record(const SyncEvent& e) {
    Record r{{"action", sync_action_name(e.action)}, {"key", e.key}};
    if (e.action == SyncAction::renamed) r["previous_key"] = e.previous_key;
    if (e.reused) r["reused"] = true;
    if (e.action == SyncAction::failed) r["error"] = Record{{"code", error_code_name(e.error)}, {"message", e.message}};
    return r;
}

void report_event(const CommonOptions& options, const SyncEvent& e) {
    switch (e.action) {
        case SyncAction::failed: error_note("error: " + e.message); break;  // also with -q: which ones failed
        case SyncAction::renamed: note(options, "renamed: " + e.previous_key + " -> " + e.key); break;
        case SyncAction::removed: note(options, "removed: " + e.key + " (file gone)"); break;
        default: break;
    }
}

// index build (sync: `remove_missing`) and index add. Each distinct content runs through the
// model once, for its vector and, when the model also tags or scores, its categories.
int sync_images(const IndexArgs& args, bool create_if_missing, bool remove_missing) {
    // The index is saved as the work goes: a destination that cannot be written must fail
    // now, not after every image has been through the model.
    const std::filesystem::path folder = std::filesystem::absolute(args.index_path).parent_path();
    if (!std::filesystem::is_directory(folder))
        throw Error(ErrorCode::io, args.index_path + ": the folder " + folder.string() + " does not exist");
    if (access(folder.c_str(), W_OK) != 0)
        throw Error(ErrorCode::io, args.index_path + ": cannot write in " + folder.string());
    AnalyzeOptions analyze;
    analyze.decode = decode_options(args.common);
    const Analyzer analyzer = Analyzer::open(require_model(args.common), model_options(args.common), analyze);
    if (analyzer.embedder() == nullptr)
        throw Error(ErrorCode::invalid_argument, args.common.model + ": the model gives no image vectors to index");
    Index index = open_index(args.index_path, *analyzer.embedder(), create_if_missing);

    std::unique_ptr<Progress> progress;
    std::size_t shown = 0;
    SyncOptions options;
    options.root = args.root;
    options.remove_missing = remove_missing;
    options.save_path = args.index_path;
    options.save_every = args.save_every;
    options.images_per_call = files_per_call(args.common);
    // {"events": [event, ...], "index", "added", ..., "size"}: one event per file and removed key.
    RecordStream records(args.common, "events", Record{{"index", args.index_path}});
    options.on_event = [&](const SyncEvent& e) {
        if (progress) progress->interrupt();
        report_event(args.common, e);
        records.add(event_record(e));
    };
    options.on_progress = [&](std::size_t done, std::size_t total) {
        if (!progress) progress = std::make_unique<Progress>("index", total, !args.common.quiet);
        progress->advance(done - shown);
        shown = done;
    };
    const SyncReport r = sync_folder(index, analyzer, args.inputs, options);
    if (progress) progress->finish();
    if (args.common.machine_output()) {
        records.finish(Record{{"added", r.added},
                              {"updated", r.updated},
                              {"renamed", r.renamed},
                              {"removed", r.removed},
                              {"unchanged", r.unchanged},
                              {"failed", r.failed},
                              {"model_runs", r.model_runs},
                              {"size", index.size()}});
    }
    const std::string summary = args.index_path + ": " + std::to_string(r.added) + " added, " +
                                std::to_string(r.updated) + " updated, " + std::to_string(r.renamed) + " renamed, " +
                                std::to_string(r.removed) + " removed, " + std::to_string(r.unchanged) +
                                " unchanged, " + std::to_string(r.failed) + " failed; " + std::to_string(index.size()) +
                                " images";
    if (!args.common.machine_output())
        out_line(summary);
    else if (args.common.jsonl)
        note(args.common, summary);
    return r.failed == 0 ? exit_ok : exit_some_failed;
}

int remove_keys(const IndexArgs& args) {
    Index index = Index::load(args.index_path);
    std::size_t removed = 0;
    std::vector<std::string> missing;
    for (const auto& given : args.inputs) {
        // A key as listed, or a path that folder sync would key (./imgs/x.jpg -> imgs/x.jpg).
        if (index.remove(given) || index.remove(index_key(given, args.root))) {
            ++removed;
        } else {
            missing.push_back(given);
            note(args.common, "not in the index: " + given);
        }
    }
    index.save(args.index_path);
    if (args.common.machine_output())
        print_record(Record{{"removed", removed}, {"missing", missing}, {"size", index.size()}});
    else
        out_line(std::to_string(removed) + " removed; " + std::to_string(index.size()) + " remain");
    return missing.empty() ? exit_ok : exit_some_failed;
}

// A similarity on the 0-100 scale, as text output shows it.
std::string format_similarity(double score) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", similarity_percent(score));
    return text;
}

// {"query": {"image"|"text"}, "hits": [{"rank", "key", "similarity", "distance"}, ...]}.
void print_hits(const CommonOptions& options, const Record& query, const std::vector<SearchHit>& hits) {
    RecordStream records(options, "hits", Record{{"query", query}});
    for (std::size_t i = 0; i < hits.size(); ++i) {
        if (records.active())
            records.add(Record{{"rank", i + 1},
                               {"key", hits[i].key},
                               {"similarity", similarity_percent(hits[i].score)},
                               {"distance", hits[i].distance}});
        else
            out_line(std::to_string(i + 1) + "\t" + format_similarity(hits[i].score) + "\t" + hits[i].key);
    }
    records.finish();
}

struct SearchArgs {
    CommonOptions common;
    std::string index_path, image, text, prefix;
    std::vector<std::string> categories;
    std::size_t k = 10, ef = 0;
};

// A --category that no image carries is most likely a typo ("rating:drawing" for
// "rating:Drawing"): say so, with the categories there are, instead of an empty answer.
void check_categories(const CommonOptions& options, const Index& index, const std::vector<std::string>& wanted) {
    if (wanted.empty()) return;
    const auto counts = category_counts(index);
    std::string known;
    for (const auto& [name, count] : counts) known += (known.empty() ? "" : ", ") + name;
    for (const auto& c : wanted)
        if (counts.count(c) == 0)
            note(options, "note: no image in the index has category '" + c + "' (categories: " +
                              (known.empty() ? "none" : known) + "; acg2vec index categories lists them)");
}

int search(const SearchArgs& args) {
    if (args.image.empty() == args.text.empty())
        throw Error(ErrorCode::invalid_argument, "search: give exactly one of --image FILE or --text TEXT");
    const Embedder embedder = open_embedder(args.common);
    const Index index = Index::load(args.index_path, embedder.index_options());
    const Vector query =
        args.image.empty() ? embedder.embed_text(args.text) : embedder.embed(ImageInput::file(args.image));
    check_categories(args.common, index, args.categories);
    SearchFilter filter;
    filter.any_category = args.categories;
    if (!args.prefix.empty()) {
        const std::string prefix = args.prefix;
        filter.accept = [prefix](const std::string& key) { return key.rfind(prefix, 0) == 0; };
    }
    print_hits(args.common, args.image.empty() ? Record{{"text", args.text}} : Record{{"image", args.image}},
               index.search(query, args.k, args.ef, filter));
    return exit_ok;
}

// The categories a search can filter on, with how many images carry each.
int list_categories(const IndexArgs& args) {
    const Index index = Index::load(args.index_path);
    const auto counts = category_counts(index);
    RecordStream records(args.common, "categories");  // {"categories": [{"name", "count"}, ...]}
    for (const auto& [name, count] : counts) {
        if (records.active())
            records.add(Record{{"name", name}, {"count", count}});
        else
            out_line(std::to_string(count) + "\t" + name);
    }
    records.finish();
    return exit_ok;
}

// For every key, its nearest other key: how near-duplicates show up.
int neighbours(const IndexArgs& args) {
    const Index index = Index::load(args.index_path);
    RecordStream records(args.common, "neighbours");  // {"neighbours": [{"key", "nearest", "similarity", "distance"}]}
    std::vector<std::string> keys = index.keys();
    std::sort(keys.begin(), keys.end());  // by key, not in the index's internal order
    for (const auto& key : keys) {
        SearchFilter others;
        others.accept = [&key](const std::string& k) { return k != key; };
        const auto hits = index.search(index.get(key), 1, 0, others);
        if (hits.empty()) continue;
        if (records.active())
            records.add(Record{{"key", key},
                               {"nearest", hits[0].key},
                               {"similarity", similarity_percent(hits[0].score)},
                               {"distance", hits[0].distance}});
        else
            out_line(key + "\t" + format_similarity(hits[0].score) + "\t" + hits[0].key);
    }
    records.finish();
    return exit_ok;
}

// Groups of byte-identical copies, then of near-duplicates (similarity at least `threshold`, 0-100).
int dedupe(const IndexArgs& args, double threshold, std::size_t k) {
    const Index index = Index::load(args.index_path);
    DuplicateOptions options;
    options.min_score = float(threshold / 100.0);
    options.neighbours = k;
    const std::vector<DuplicateGroup> groups = find_duplicates(index, options);
    if (args.common.machine_output()) {
        // {"threshold", "groups": [{"identical", "members": [{"key", "content", "identical",
        // "nearest", "similarity"}]}]}
        RecordStream records(args.common, "groups", Record{{"threshold", threshold}});
        for (const auto& g : groups) {
            Record members = Record::array();
            for (const auto& m : g.members)
                members.push_back(Record{{"key", m.key},
                                         {"content", m.content},
                                         {"identical", m.identical},
                                         {"nearest", m.nearest},
                                         {"similarity", similarity_percent(m.score)}});
            records.add(Record{{"identical", g.identical}, {"members", members}});
        }
        records.finish();
        return exit_ok;
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        out_line("group " + std::to_string(i + 1) + (groups[i].identical ? " (identical bytes):" : ":"));
        for (const auto& m : groups[i].members)
            out_line("  " + m.key + "\t" + (m.identical ? "same bytes as another\t" : "") + format_similarity(m.score) +
                     "\t" + m.nearest);
    }
    if (groups.empty()) out_line("no duplicates at similarity >= " + format_similarity(threshold / 100.0));
    return exit_ok;
}

}  // namespace

void add_index_commands(CLI::App& app, int& exit_code) {
    CLI::App* index = app.add_subcommand("index", "Build and edit a vector index of images");
    index->require_subcommand(1);

    auto build = std::make_shared<IndexArgs>();
    CLI::App* b = index->add_subcommand(
        "build", "Make an index follow the images under folders: new, changed, renamed and deleted files (resumable)");
    b->add_option("inputs", build->inputs, "folders or image files")->required();
    b->add_option("-i,--index", build->index_path, "index file (created if missing)")->required();
    b->add_option("--root", build->root, "keys are paths relative to this folder")->capture_default_str();
    b->add_option("--save-every", build->save_every, "save after this many new images")->capture_default_str();
    add_common_options(*b, build->common);
    b->callback([build, &exit_code] { exit_code = sync_images(*build, true, true); });

    auto add = std::make_shared<IndexArgs>();
    CLI::App* a = index->add_subcommand("add", "Add or update images in an existing index");
    a->add_option("inputs", add->inputs, "image files or folders")->required();
    a->add_option("-i,--index", add->index_path, "index file")->required()->check(CLI::ExistingFile);
    a->add_option("--root", add->root, "keys are paths relative to this folder")->capture_default_str();
    add_common_options(*a, add->common);
    a->callback([add, &exit_code] { exit_code = sync_images(*add, false, false); });

    auto remove = std::make_shared<IndexArgs>();
    CLI::App* r = index->add_subcommand("remove", "Remove keys (image paths) from an index");
    r->add_option("keys", remove->inputs, "keys as listed by search")->required();
    r->add_option("-i,--index", remove->index_path, "index file")->required()->check(CLI::ExistingFile);
    r->add_option("--root", remove->root, "paths given as keys are made relative to this folder")
        ->capture_default_str();
    add_common_options(*r, remove->common, false);
    r->callback([remove, &exit_code] { exit_code = remove_keys(*remove); });

    auto near = std::make_shared<IndexArgs>();
    CLI::App* n = index->add_subcommand("neighbours", "Each image's nearest other image and their similarity");
    n->add_option("-i,--index", near->index_path, "index file")->required()->check(CLI::ExistingFile);
    add_common_options(*n, near->common, false);
    n->callback([near, &exit_code] { exit_code = neighbours(*near); });

    auto listed = std::make_shared<IndexArgs>();
    CLI::App* c =
        index->add_subcommand("categories", "The categories of an index (for search --category), with counts");
    c->add_option("-i,--index", listed->index_path, "index file")->required()->check(CLI::ExistingFile);
    add_common_options(*c, listed->common, false);
    c->callback([listed, &exit_code] { exit_code = list_categories(*listed); });

    auto s = std::make_shared<SearchArgs>();
    CLI::App* search_command = app.add_subcommand("search", "Nearest images to an image or a text");
    search_command->add_option("-i,--index", s->index_path, "index file")->required()->check(CLI::ExistingFile);
    search_command->add_option("--image", s->image, "query image");
    search_command->add_option("--text", s->text, "query text (models with a text tower)");
    search_command->add_option("-k", s->k, "hits")->capture_default_str()->check(CLI::Range(1, 100000));
    search_command->add_option("--ef", s->ef, "search breadth (0: the index's default)");
    search_command->add_option("--category", s->categories,
                               "only items with one of these categories, e.g. rating:Drawing");
    search_command->add_option("--prefix", s->prefix, "only keys starting with this (a folder)");
    add_common_options(*search_command, s->common);
    search_command->callback([s, &exit_code] { exit_code = search(*s); });

    auto d = std::make_shared<IndexArgs>();
    auto threshold = std::make_shared<double>(95.0);
    auto neighbours_k = std::make_shared<std::size_t>(10);
    CLI::App* dd = app.add_subcommand("dedupe", "Groups of identical and near-duplicate images in an index");
    dd->add_option("-i,--index", d->index_path, "index file")->required()->check(CLI::ExistingFile);
    dd->add_option("--threshold", *threshold, "similarity 0-100 at or above which images are duplicates")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 100.0));
    dd->add_option("-k", *neighbours_k, "neighbours examined per image")->capture_default_str();
    add_common_options(*dd, d->common, false);
    dd->callback([d, threshold, neighbours_k, &exit_code] { exit_code = dedupe(*d, *threshold, *neighbours_k); });
}

}  // namespace acg2vec::cli
