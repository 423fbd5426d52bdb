// Index::save killed with SIGKILL at random moments: a child process saves the new index over
// the old file and the parent kills it after a random delay spanning the whole save (and a
// little after). Whatever the moment, the file must load and hold exactly the old index or
// exactly the new one. Temporary files a killed save leaves beside the index are counted.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "fault/index_snapshot.hpp"
#include "support/test_data.hpp"
#include "support/vectors.hpp"

using namespace acg2vec;
namespace fs = std::filesystem;

namespace {

Index make_index(std::size_t count, std::uint32_t seed) {
    IndexOptions o;
    o.dimension = 64;
    o.model_name = "fault-test";
    Index index = Index::create(o);
    const auto set = test::embedding_like(count, o.dimension, seed);
    std::vector<std::vector<std::string>> categories(count);
    for (std::size_t i = 0; i < count; ++i) categories[i] = {i % 2 ? "odd" : "even"};
    index.add_batch(test::numbered_keys(count), set.values, categories, 1);
    return index;
}

// Saves `index` to `path` in a child process; returns its pid.
pid_t save_in_child(const Index& index, const std::string& path) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        try {
            index.save(path);
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(0);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

// Removes the temporary files of killed saves ("<name>.tmp-..."); returns how many there were.
int remove_temporaries(const fs::path& dir) {
    const auto temporaries = test::index_temporaries_in(dir);
    for (const auto& file : temporaries) fs::remove(file);
    return int(temporaries.size());
}

}  // namespace

TEST_SUITE("fault_index_kill") {
    TEST_CASE("SIGKILL at random moments of save leaves the old index or the new one, never a corrupt file") {
        const fs::path dir = fs::path(test::scratch_dir()) / "kill";
        fs::create_directories(dir);
        const std::string path = (dir / "gallery.idx").string();

        const Index old_index = make_index(3000, 1);
        Index new_index = make_index(3000, 1);
        const auto more = test::embedding_like(1500, 64, 2);
        new_index.add_batch(test::numbered_keys(1500, "new"), more.values, {}, 1);
        for (int i = 0; i < 100; ++i) new_index.remove("item" + std::to_string(i * 7));
        const test::IndexSnapshot old_content = test::snapshot(old_index), new_content = test::snapshot(new_index);
        REQUIRE_FALSE(old_content == new_content);

        // How long a save takes in a child, from fork to exit: the kill delays span 1.3 times that.
        old_index.save(path);
        std::chrono::steady_clock::duration longest{};
        for (int i = 0; i < 3; ++i) {
            const auto start = std::chrono::steady_clock::now();
            REQUIRE(wait_for(save_in_child(new_index, (dir / "calibrate.idx").string())) == 0);
            longest = std::max(longest, std::chrono::steady_clock::now() - start);
        }
        const auto span = std::chrono::duration_cast<std::chrono::microseconds>(longest * 13 / 10).count();

        std::mt19937 rng(20241123);
        std::uniform_int_distribution<long> delay(0, long(span));
        int old_files = 0, new_files = 0, killed = 0, leftovers = 0;
        const int trials = 100;
        for (int trial = 0; trial < trials; ++trial) {
            old_index.save(path);  // the previous index, complete on disk
            const pid_t child = save_in_child(new_index, path);
            std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
            ::kill(child, SIGKILL);
            const int status = wait_for(child);
            if (WIFSIGNALED(status)) ++killed;
            leftovers += remove_temporaries(dir);

            INFO("trial " << trial);
            test::IndexSnapshot loaded;
            REQUIRE_NOTHROW(loaded = test::snapshot(Index::load(path)));
            if (loaded == old_content) {
                ++old_files;
            } else if (loaded == new_content) {
                ++new_files;
            } else {
                FAIL("the index file holds neither the old nor the new index");
            }
        }
        MESSAGE(trials << " kills within " << span << " us of save: " << killed << " killed mid-save, " << old_files
                       << " left the old index, " << new_files << " the new one; " << leftovers
                       << " temporary files left behind (removed)");
        CHECK(old_files + new_files == trials);
        // The delays must have hit both sides of the rename for the test to mean anything.
        CHECK(old_files > 0);
        CHECK(new_files > 0);
    }

}  // TEST_SUITE
