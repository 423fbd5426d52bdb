// index build / add / remove / neighbours, search, dedupe.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

#include "acg2vec/embedder.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/index.hpp"
#include "acg2vec/scorer.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"

namespace acg2vec::cli {
namespace {

using Json = nlohmann::json;
constexpr const char* kContentPrefix = "content:";

struct IndexArgs {
    CommonOptions common;
    std::string index_path;
    std::vector<std::string> inputs;
    std::size_t save_every = 512;  // items between saves, so an interrupted build keeps its work
};

// What an index built with this embedder records, and expects when it is opened again.
IndexOptions index_options_for(const Embedder& embedder) {
    IndexOptions o;
    o.dimension = embedder.dimensions();
    o.metric = Metric::cosine;
    o.model_name = embedder.model().metadata().name;
    o.model_fingerprint = content_hash(embedder.model().path());
    return o;
}

Index open_index(const std::string& path, const Embedder& embedder, bool create_if_missing) {
    if (create_if_missing && !std::filesystem::exists(path)) return Index::create(index_options_for(embedder));
    return Index::load(path, index_options_for(embedder));
}

// Adds or updates the images; files whose content is already in the index are skipped.
int add_images(IndexArgs& args, bool create_if_missing) {
    const Embedder embedder = open_embedder(args.common);
    std::unique_ptr<Scorer> scorer;  // a model that also scores gives each item its classes as categories
    if (Json::parse(embedder.model().metadata().json).contains("scorer")) {
        ScorerOptions so;
        so.model = model_options(args.common);
        scorer = std::make_unique<Scorer>(Scorer::open(args.common.model, so));
    }
    Index index = open_index(args.index_path, embedder, create_if_missing);
    std::set<std::string> indexed;
    for (const auto& key : index.keys())
        for (const auto& c : index.categories(key))
            if (c.rfind(kContentPrefix, 0) == 0) indexed.insert(c);

    std::vector<std::string> todo, hashes;
    std::size_t skipped = 0;
    for (const auto& file : collect_images(args.inputs)) {
        std::string hash;
        try {
            hash = kContentPrefix + content_hash(file);
        } catch (const Error& e) {
            note(args.common, std::string("error: ") + e.what());
            continue;
        }
        if (indexed.count(hash) != 0) {
            ++skipped;
            continue;
        }
        indexed.insert(hash);  // a duplicate file later in the list is skipped too
        todo.push_back(file);
        hashes.push_back(hash);
    }
    note(args.common, std::to_string(todo.size()) + " to index, " + std::to_string(skipped) + " already indexed");

    Progress progress("index", todo.size(), !args.common.quiet);
    std::size_t added = 0, updated = 0, failed = 0, since_save = 0;
    const std::size_t step = files_per_call(args.common);
    for (std::size_t first = 0; first < todo.size(); first += step) {
        const std::size_t last = std::min(todo.size(), first + step);
        const std::vector<std::string> chunk(todo.begin() + std::ptrdiff_t(first), todo.begin() + std::ptrdiff_t(last));
        const auto vectors = embedder.embed_files(chunk);
        std::vector<ScoreOutcome> scores;
        if (scorer) scores = scorer->score_files(chunk);
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            if (!vectors[i].ok()) {
                ++failed;
                note(args.common, "error: " + vectors[i].message);
                continue;
            }
            std::vector<std::string> categories{hashes[first + i]};
            if (scorer && scores[i].ok())
                for (const auto& head : scores[i].result->heads) categories.push_back(head.head + ":" + head.best.label);
            if (index.contains(chunk[i])) {
                index.update(chunk[i], *vectors[i].result, categories);
                ++updated;
            } else {
                index.add(chunk[i], *vectors[i].result, categories);
                ++added;
            }
        }
        progress.advance(chunk.size());
        since_save += chunk.size();
        if (since_save >= args.save_every) {
            index.save(args.index_path);
            since_save = 0;
        }
    }
    progress.finish();
    index.save(args.index_path);
    if (args.common.json) {
        out_line(Json{{"index", args.index_path}, {"added", added}, {"updated", updated}, {"skipped", skipped},
                      {"failed", failed}, {"size", index.size()}}
                     .dump());
    } else {
        out_line(args.index_path + ": " + std::to_string(added) + " added, " + std::to_string(updated) + " updated, " +
                 std::to_string(skipped) + " unchanged, " + std::to_string(failed) + " failed; " +
                 std::to_string(index.size()) + " images");
    }
    return failed == 0 ? exit_ok : exit_some_failed;
}

int remove_keys(const IndexArgs& args) {
    Index index = Index::load(args.index_path);
    std::size_t removed = 0;
    for (const auto& key : args.inputs) {
        if (index.remove(key)) ++removed;
        else note(args.common, "not in the index: " + key);
    }
    index.save(args.index_path);
    out_line(args.common.json ? Json{{"removed", removed}, {"size", index.size()}}.dump()
                              : std::to_string(removed) + " removed; " + std::to_string(index.size()) + " remain");
    return removed == args.inputs.size() ? exit_ok : exit_some_failed;
}

std::string format_score(double score) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", score);
    return text;
}

void print_hits(const CommonOptions& options, const std::string& query, const std::vector<SearchHit>& hits) {
    if (options.json) {
        Json list = Json::array();
        for (const auto& h : hits) list.push_back({{"key", h.key}, {"score", h.score}, {"distance", h.distance}});
        out_line(Json{{"query", query}, {"hits", list}}.dump());
        return;
    }
    for (std::size_t i = 0; i < hits.size(); ++i)
        out_line(std::to_string(i + 1) + "\t" + format_score(hits[i].score) + "\t" + hits[i].key);
}

struct SearchArgs {
    CommonOptions common;
    std::string index_path, image, text, prefix;
    std::vector<std::string> categories;
    std::size_t k = 10, ef = 0;
};

int search(const SearchArgs& args) {
    if (args.image.empty() == args.text.empty())
        throw Error(ErrorCode::invalid_argument, "search: give exactly one of --image FILE or --text TEXT");
    const Embedder embedder = open_embedder(args.common);
    const Index index = Index::load(args.index_path, index_options_for(embedder));
    const Vector query = args.image.empty() ? embedder.embed_text(args.text) : embedder.embed_file(args.image);
    SearchFilter filter;
    filter.any_category = args.categories;
    if (!args.prefix.empty()) {
        const std::string prefix = args.prefix;
        filter.accept = [prefix](const std::string& key) { return key.rfind(prefix, 0) == 0; };
    }
    print_hits(args.common, args.image.empty() ? args.text : args.image, index.search(query, args.k, args.ef, filter));
    return exit_ok;
}

// For every key, its nearest other key: how near-duplicates show up.
int neighbours(const IndexArgs& args) {
    const Index index = Index::load(args.index_path);
    for (const auto& key : index.keys()) {
        SearchFilter others;
        others.accept = [&key](const std::string& k) { return k != key; };
        const auto hits = index.search(index.get(key), 1, 0, others);
        if (hits.empty()) continue;
        if (args.common.json) out_line(Json{{"key", key}, {"nearest", hits[0].key}, {"score", hits[0].score}}.dump());
        else out_line(key + "\t" + format_score(hits[0].score) + "\t" + hits[0].key);
    }
    return exit_ok;
}

// Groups of keys whose vectors are at least `threshold` (0-100) similar, joined transitively.
int dedupe(const IndexArgs& args, double threshold, std::size_t k) {
    const Index index = Index::load(args.index_path);
    const std::vector<std::string> keys = index.keys();
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < keys.size(); ++i) position[keys[i]] = i;
    std::vector<std::size_t> parent(keys.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    for (std::size_t i = 0; i < keys.size(); ++i) {
        for (const auto& hit : index.search(index.get(keys[i]), k + 1)) {
            if (hit.key == keys[i] || double(hit.score) * 100.0 < threshold) continue;
            parent[root(i)] = root(position.at(hit.key));
        }
    }
    std::map<std::size_t, std::vector<std::string>> groups;
    for (std::size_t i = 0; i < keys.size(); ++i) groups[root(i)].push_back(keys[i]);
    Json out = Json::array();
    std::size_t shown = 0;
    for (const auto& [group_root, members] : groups) {
        if (members.size() < 2) continue;
        ++shown;
        if (args.common.json) {
            out.push_back(members);
        } else {
            out_line("group " + std::to_string(shown) + ":");
            for (const auto& m : members) out_line("  " + m);
        }
    }
    if (args.common.json) out_line(out.dump());
    else if (shown == 0) out_line("no near-duplicates at similarity >= " + format_score(threshold));
    return exit_ok;
}

}  // namespace

void add_index_commands(CLI::App& app, int& exit_code) {
    CLI::App* index = app.add_subcommand("index", "Build and edit a vector index of images");
    index->require_subcommand(1);

    auto build = std::make_shared<IndexArgs>();
    CLI::App* b = index->add_subcommand("build", "Index every image under folders (resumable: unchanged files are skipped)");
    b->add_option("inputs", build->inputs, "folders or image files")->required();
    b->add_option("-i,--index", build->index_path, "index file (created if missing)")->required();
    b->add_option("--save-every", build->save_every, "save after this many images")->capture_default_str();
    add_common_options(*b, build->common);
    b->callback([build, &exit_code] { exit_code = add_images(*build, true); });

    auto add = std::make_shared<IndexArgs>();
    CLI::App* a = index->add_subcommand("add", "Add or update images in an existing index");
    a->add_option("inputs", add->inputs, "image files or folders")->required();
    a->add_option("-i,--index", add->index_path, "index file")->required()->check(CLI::ExistingFile);
    add_common_options(*a, add->common);
    a->callback([add, &exit_code] { exit_code = add_images(*add, false); });

    auto remove = std::make_shared<IndexArgs>();
    CLI::App* r = index->add_subcommand("remove", "Remove keys (image paths) from an index");
    r->add_option("keys", remove->inputs, "keys as listed by search")->required();
    r->add_option("-i,--index", remove->index_path, "index file")->required()->check(CLI::ExistingFile);
    add_common_options(*r, remove->common, false);
    r->callback([remove, &exit_code] { exit_code = remove_keys(*remove); });

    auto near = std::make_shared<IndexArgs>();
    CLI::App* n = index->add_subcommand("neighbours", "Each image's nearest other image and their similarity");
    n->add_option("-i,--index", near->index_path, "index file")->required()->check(CLI::ExistingFile);
    add_common_options(*n, near->common, false);
    n->callback([near, &exit_code] { exit_code = neighbours(*near); });

    auto s = std::make_shared<SearchArgs>();
    CLI::App* search_command = app.add_subcommand("search", "Nearest images to an image or a text");
    search_command->add_option("-i,--index", s->index_path, "index file")->required()->check(CLI::ExistingFile);
    search_command->add_option("--image", s->image, "query image");
    search_command->add_option("--text", s->text, "query text (models with a text tower)");
    search_command->add_option("-k", s->k, "hits")->capture_default_str()->check(CLI::Range(1, 100000));
    search_command->add_option("--ef", s->ef, "search breadth (0: the index's default)");
    search_command->add_option("--category", s->categories, "only items with one of these categories, e.g. rating:Drawing");
    search_command->add_option("--prefix", s->prefix, "only keys starting with this (a folder)");
    add_common_options(*search_command, s->common);
    search_command->callback([s, &exit_code] { exit_code = search(*s); });

    auto d = std::make_shared<IndexArgs>();
    auto threshold = std::make_shared<double>(95.0);
    auto neighbours_k = std::make_shared<std::size_t>(10);
    CLI::App* dd = app.add_subcommand("dedupe", "Groups of near-duplicate images in an index");
    dd->add_option("-i,--index", d->index_path, "index file")->required()->check(CLI::ExistingFile);
    dd->add_option("--threshold", *threshold, "similarity 0-100 at or above which images are duplicates")
        ->capture_default_str()->check(CLI::Range(0.0, 100.0));
    dd->add_option("-k", *neighbours_k, "neighbours examined per image")->capture_default_str();
    add_common_options(*dd, d->common, false);
    dd->callback([d, threshold, neighbours_k, &exit_code] { exit_code = dedupe(*d, *threshold, *neighbours_k); });
}

}  // namespace acg2vec::cli
