// Folder sync: the index follows a folder through new, copied, renamed, changed, deleted and
// broken files, with one model run per distinct content; keys are normalised paths.
#include <doctest/doctest.h>

#include <filesystem>

#include "acg2vec/folder_sync.hpp"
#include "support/error_capture.hpp"
#include "support/fixture_models.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
namespace fs = std::filesystem;

namespace {

const Analyzer& analyzer() {
    static const Analyzer a = [] {
        const std::string path = test::scratch_dir() + "/sync_linear.pt";
        test::save_linear_fixture(path, test::linear_scorer_embedder_metadata());
        return Analyzer::open(path);
    }();
    return a;
}

// A fresh folder `root` with imgs/a.jpg, imgs/b.png, imgs/c.jpg and imgs/copy_of_a.jpg.
struct Folder {
    fs::path root;
    explicit Folder(const std::string& name) : root(fs::path(test::scratch_dir()) / name) {
        fs::remove_all(root);
        fs::create_directories(root / "imgs");
        put("imgs/a.jpg", "realesrgan_0014_cartoon_179x179.jpg");
        put("imgs/b.png", "anime4k_knnw_lr_256x256.png");
        put("imgs/c.jpg", "mangaocr_01_188x251.jpg");
        put("imgs/copy_of_a.jpg", "realesrgan_0014_cartoon_179x179.jpg");
    }
    void put(const std::string& relative, const std::string& sample) const {
        fs::create_directories((root / relative).parent_path());
        fs::copy_file(test::shared_data("images/" + sample), root / relative, fs::copy_options::overwrite_existing);
    }
    std::string imgs() const { return (root / "imgs").string(); }
};

struct Run {
    SyncReport report;
    std::vector<SyncEvent> events;
    std::size_t progress_calls = 0;
};

Run sync(Index& index, const std::vector<std::string>& inputs, const std::string& root, bool remove_missing = true) {
    Run run;
    SyncOptions options;
    options.root = root;
    options.remove_missing = remove_missing;
    options.images_per_call = 2;
    options.on_event = [&](const SyncEvent& e) { run.events.push_back(e); };
    options.on_progress = [&](std::size_t done, std::size_t total) {
        CHECK(done <= total);
        ++run.progress_calls;
    };
    run.report = sync_folder(index, analyzer(), inputs, options);
    return run;
}

const SyncEvent* event_for(const Run& run, const std::string& key) {
    for (const auto& e : run.events)
        if (e.key == key) return &e;
    return nullptr;
}

Index new_index() { return Index::create(analyzer().embedder()->index_options()); }

}  // namespace

TEST_SUITE("folder_sync") {
    TEST_CASE("every file gets a key; identical bytes share one model run, not one key") {
        const Folder folder("sync_copies");
        Index index = new_index();
        const Run run = sync(index, {folder.imgs()}, folder.root.string());
        CHECK(run.report.added == 4);
        CHECK(run.report.model_runs == 3);
        CHECK(run.report.failed == 0);
        CHECK(index.keys().size() == 4);
        for (const char* key : {"imgs/a.jpg", "imgs/b.png", "imgs/c.jpg", "imgs/copy_of_a.jpg"})
            CHECK(index.contains(key));
        CHECK(index.get("imgs/copy_of_a.jpg") == index.get("imgs/a.jpg"));
        CHECK(index.categories("imgs/copy_of_a.jpg") == index.categories("imgs/a.jpg"));
        const std::vector<std::string> categories = index.categories("imgs/a.jpg");
        CHECK(categories.size() == 2);  // content:<16 hex digits> and side:<class>
        CHECK(categories[0].rfind("content:", 0) == 0);
        CHECK(categories[0].size() == 8 + 16);
        CHECK(categories[1].rfind("side:", 0) == 0);
        // One of the two copies ran the model, the other reused its vector.
        CHECK(event_for(run, "imgs/a.jpg")->reused != event_for(run, "imgs/copy_of_a.jpg")->reused);
        CHECK(run.progress_calls >= 2);

        const Run again = sync(index, {folder.imgs()}, folder.root.string());
        CHECK(again.report.unchanged == 4);
        CHECK(again.report.model_runs == 0);
        CHECK(again.report.added + again.report.updated + again.report.removed == 0);
    }

    TEST_CASE("renamed, changed, deleted and broken files; the index follows") {
        const Folder folder("sync_changes");
        Index index = new_index();
        sync(index, {folder.imgs()}, folder.root.string());
        const std::vector<float> b_vector = index.get("imgs/b.png");
        fs::create_directories(folder.root / "imgs/sub");
        fs::rename(folder.root / "imgs/b.png", folder.root / "imgs/sub/b2.png");
        fs::remove(folder.root / "imgs/c.jpg");
        folder.put("imgs/a.jpg", "rcugan_anime_frame_251x180.jpg");  // new bytes under an old name
        fs::copy_file(test::shared_data("tricky/broken.png"), folder.root / "imgs/broken.png");

        const Run run = sync(index, {folder.imgs()}, folder.root.string());
        CHECK(run.report.renamed == 1);
        CHECK(run.report.removed == 1);
        CHECK(run.report.updated == 1);
        CHECK(run.report.failed == 1);
        CHECK(run.report.unchanged == 1);   // copy_of_a.jpg keeps the old bytes
        CHECK(run.report.model_runs == 2);  // a.jpg's new bytes, and broken.png tried
        REQUIRE(event_for(run, "imgs/sub/b2.png") != nullptr);
        CHECK(event_for(run, "imgs/sub/b2.png")->previous_key == "imgs/b.png");
        CHECK(index.get("imgs/sub/b2.png") == b_vector);
        CHECK_FALSE(index.contains("imgs/b.png"));
        CHECK_FALSE(index.contains("imgs/c.jpg"));
        CHECK_FALSE(index.contains("imgs/broken.png"));
        const SyncEvent* broken = event_for(run, "imgs/broken.png");
        REQUIRE(broken != nullptr);
        CHECK(broken->action == SyncAction::failed);
        CHECK(broken->message.find("broken.png") != std::string::npos);
        CHECK(index.get("imgs/a.jpg") != index.get("imgs/copy_of_a.jpg"));
        CHECK(index.size() == 3);
    }

    TEST_CASE("keys are normal paths under the root; old un-normalised keys are renamed") {
        const Folder folder("sync_keys");
        const std::string root = folder.root.string();
        CHECK(index_key(root + "/imgs/../imgs/./a.jpg", root) == "imgs/a.jpg");
        CHECK(index_key(root + "/imgs/", root) == "imgs");
        CHECK(index_key("/elsewhere/x.png", root) == "/elsewhere/x.png");  // outside the root: absolute

        Index index = new_index();
        // An index written by an older version, keyed "./imgs/a.jpg".
        sync(index, {folder.imgs()}, root);
        const std::vector<float> a = index.get("imgs/a.jpg");
        const std::vector<std::string> a_categories = index.categories("imgs/a.jpg");
        index.remove("imgs/a.jpg");
        index.add("./imgs/a.jpg", a, a_categories);
        const Run run = sync(index, {root + "/imgs/../imgs"}, root);
        CHECK(run.report.renamed == 1);
        CHECK(index.contains("imgs/a.jpg"));
        CHECK_FALSE(index.contains("./imgs/a.jpg"));
        CHECK(run.report.model_runs == 0);
    }

    TEST_CASE("only keys under the synced inputs are removed; remove_missing off keeps them") {
        const Folder folder("sync_scope");
        const std::string root = folder.root.string();
        Index index = new_index();
        sync(index, {folder.imgs()}, root);
        fs::create_directories(folder.root / "other");
        folder.put("other/d.png", "realesrgan_comic_240x360.png");
        fs::remove(folder.root / "imgs/c.jpg");
        const Run other = sync(index, {(folder.root / "other").string()}, root);
        CHECK(other.report.added == 1);
        CHECK(other.report.removed == 0);
        CHECK(index.contains("imgs/c.jpg"));  // not under the synced folder
        const Run kept = sync(index, {folder.imgs()}, root, false);
        CHECK(kept.report.removed == 0);
        CHECK(index.contains("imgs/c.jpg"));
        const Run removed = sync(index, {folder.imgs()}, root);
        CHECK(removed.report.removed == 1);
        CHECK_FALSE(index.contains("imgs/c.jpg"));
        CHECK(index.contains("other/d.png"));
    }

    TEST_CASE("saves as it goes; refuses an index of another model or dimension") {
        const Folder folder("sync_save");
        Index index = new_index();
        SyncOptions options;
        options.root = folder.root.string();
        options.save_path = (folder.root / "images.idx").string();
        options.save_every = 1;
        options.images_per_call = 1;
        sync_folder(index, analyzer(), {folder.imgs()}, options);
        const Index loaded = Index::load(options.save_path, analyzer().embedder()->index_options());
        CHECK(loaded.size() == 4);

        SyncOptions none_per_call;
        none_per_call.images_per_call = 0;
        CHECK(code_of([&] { sync_folder(index, analyzer(), {folder.imgs()}, none_per_call); }) ==
              ErrorCode::invalid_argument);

        IndexOptions wrong = analyzer().embedder()->index_options();
        wrong.dimension = 5;
        Index other_dimension = Index::create(wrong);
        CHECK(code_of([&] { sync_folder(other_dimension, analyzer(), {folder.imgs()}); }) ==
              ErrorCode::invalid_argument);
        IndexOptions other_model = analyzer().embedder()->index_options();
        other_model.model_fingerprint = "0123456789abcdef";
        Index other = Index::create(other_model);
        CHECK(code_of([&] { sync_folder(other, analyzer(), {folder.imgs()}); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("a deleted folder: its keys are removed, and the missing input is reported") {
        const Folder folder("sync_deleted_folder");
        Index index = new_index();
        sync(index, {folder.imgs()}, folder.root.string());
        fs::remove_all(folder.root / "imgs");
        const Run run = sync(index, {folder.imgs()}, folder.root.string());
        CHECK(run.report.removed == 4);
        CHECK(run.report.failed == 1);
        CHECK(index.size() == 0);
    }

    TEST_CASE("list_image_files: folders by extension, files as named, sorted, no repeats") {
        const Folder folder("sync_list");
        std::ofstream(folder.root / "imgs/notes.txt") << "not an image";
        std::ofstream(folder.root / "imgs/UPPER.PNG") << "x";
        fs::create_symlink(folder.root / "imgs/gone.png", folder.root / "imgs/dangling.png");  // skipped, not fatal
        const auto files =
            list_image_files({folder.imgs(), folder.imgs() + "/a.jpg", (folder.root / "imgs/notes.txt").string()});
        std::vector<std::string> names;
        for (const auto& f : files) names.push_back(fs::path(f).filename().string());
        CHECK(names == std::vector<std::string>{"UPPER.PNG", "a.jpg", "b.png", "c.jpg", "copy_of_a.jpg", "notes.txt"});
    }

}  // TEST_SUITE
