// Index::save when the disk says no: a file size limit (writes fail with EFBIG, as a full disk
// fails them with ENOSPC), a read-only directory, a missing directory, a directory in the way.
// Each must be an io error naming the path and the reason, leave the old index untouched and
// leave no temporary file behind. Also: saves of one index to one path from several threads
// at once, with loads running, must all succeed and the file must always be complete.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "acg2vec/error.hpp"
#include "fault/index_snapshot.hpp"
#include "support/test_data.hpp"
#include "support/vectors.hpp"

using namespace acg2vec;
namespace fs = std::filesystem;

namespace {

Index make_index(std::size_t count, std::uint32_t seed) {
    IndexOptions o;
    o.dimension = 32;
    Index index = Index::create(o);
    const auto set = test::embedding_like(count, o.dimension, seed);
    index.add_batch(test::numbered_keys(count, "s" + std::to_string(seed) + "-"), set.values, {}, 1);
    return index;
}

// Runs `prepare` then index.save(path) in a child process. Returns the child's verdict:
// 0 = an io Error whose message names `path` and contains `reason`; otherwise what went wrong.
std::string save_in_child(const Index& index, const std::string& path, const std::string& reason,
                          const std::function<bool()>& prepare) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(pipe_fds[0]);
        std::string verdict;
        if (!prepare()) {
            verdict = "skip";
        } else {
            try {
                index.save(path);
                verdict = "saved without an error";
            } catch (const Error& e) {
                const std::string what = e.what();
                if (e.code() != ErrorCode::io)
                    verdict = std::string("code ") + error_code_name(e.code()) + ": " + what;
                else if (what.find(path) != 0)
                    verdict = "message does not start with the path: " + what;
                else if (what.find(reason) == std::string::npos)
                    verdict = "message does not say '" + reason + "': " + what;
                else
                    verdict = "ok: " + what;
            } catch (const std::exception& e) {
                verdict = std::string("another exception: ") + e.what();
            }
        }
        (void)!::write(pipe_fds[1], verdict.data(), verdict.size());
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string verdict;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) verdict.append(buffer, std::size_t(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status)) return "child died (signal " + std::to_string(WTERMSIG(status)) + ")";
    return verdict;
}

}  // namespace

TEST_SUITE("fault_index_io") {
    TEST_CASE("a full disk (file size limit, EFBIG) is an io error and the old index stays") {
        const fs::path dir = fs::path(test::scratch_dir()) / "full";
        fs::create_directories(dir);
        const std::string path = (dir / "full.idx").string();
        const Index old_index = make_index(200, 1), new_index = make_index(2000, 2);
        old_index.save(path);
        const auto old_content = test::snapshot(old_index);
        for (rlim_t limit : {rlim_t(0), rlim_t(100), rlim_t(4096), rlim_t(fs::file_size(path) + 1)}) {
            INFO("RLIMIT_FSIZE " << limit);
            // SIGXFSZ ignored: the write past the limit then fails with EFBIG instead of killing.
            const std::string verdict = save_in_child(new_index, path, "File too large", [&] {
                ::signal(SIGXFSZ, SIG_IGN);
                const rlimit r{limit, limit};
                return ::setrlimit(RLIMIT_FSIZE, &r) == 0;
            });
            CHECK_MESSAGE(verdict.rfind("ok: ", 0) == 0, verdict);
            CHECK(test::snapshot(Index::load(path)) == old_content);
            CHECK(test::index_temporaries_in(dir).empty());
        }
    }

    TEST_CASE("a read-only directory is an io error and the old index stays") {
        const fs::path dir = fs::path(test::scratch_dir()) / "readonly";
        fs::create_directories(dir);
        const std::string path = (dir / "ro.idx").string();
        const Index old_index = make_index(100, 3), new_index = make_index(300, 4);
        old_index.save(path);
        ::chmod(dir.c_str(), 0555);
        // root ignores permissions: the child gives up root (becomes nobody) before saving.
        const std::string verdict = save_in_child(new_index, path, "Permission denied", [] {
            if (::geteuid() != 0) return true;
            return ::setgid(65534) == 0 && ::setuid(65534) == 0;
        });
        ::chmod(dir.c_str(), 0755);
        if (verdict == "skip") {
            MESSAGE("could not drop root privileges: read-only directory not tested");
            return;
        }
        CHECK_MESSAGE(verdict.rfind("ok: ", 0) == 0, verdict);
        CHECK(test::snapshot(Index::load(path)) == test::snapshot(old_index));
        CHECK(test::index_temporaries_in(dir).empty());
    }

    TEST_CASE("a missing directory or a directory in the way is an io error, with nothing left behind") {
        const fs::path dir = fs::path(test::scratch_dir()) / "in_the_way";
        fs::create_directories(dir / "taken.idx");
        const Index index = make_index(50, 5);
        auto code_and_message = [&](const std::string& path) -> std::pair<ErrorCode, std::string> {
            try {
                index.save(path);
            } catch (const Error& e) {
                return {e.code(), e.what()};
            }
            return {ErrorCode::ok, ""};
        };
        const auto missing = code_and_message((dir / "no/such/dir/x.idx").string());
        CHECK(missing.first == ErrorCode::io);
        CHECK(missing.second.find("No such file or directory") != std::string::npos);
        const auto taken = code_and_message((dir / "taken.idx").string());
        CHECK(taken.first == ErrorCode::io);
        CHECK(taken.second.find("Is a directory") != std::string::npos);
        CHECK(test::index_temporaries_in(dir).empty());
        CHECK(fs::is_directory(dir / "taken.idx"));
    }

    TEST_CASE("concurrent saves to one path, with loads running: every save succeeds, every load sees a whole file") {
        const fs::path dir = fs::path(test::scratch_dir()) / "concurrent";
        fs::create_directories(dir);
        const std::string path = (dir / "shared.idx").string();
        const Index index = make_index(1500, 6);
        index.save(path);
        const auto content = test::snapshot(index);
        std::atomic<int> save_failures{0}, load_failures{0}, loads{0};
        std::atomic<bool> saving{true};
        std::string first_save_failure, first_load_failure;
        std::mutex failure_mutex;
        auto record = [&](std::atomic<int>& counter, const std::string& what) {
            ++counter;
            std::lock_guard<std::mutex> lock(failure_mutex);
            std::string& first = &counter == &save_failures ? first_save_failure : first_load_failure;
            if (first.empty()) first = what;
        };
        std::thread loader([&] {
            while (saving) {
                try {
                    if (!(test::snapshot(Index::load(path)) == content)) record(load_failures, "loaded other content");
                } catch (const Error& e) {
                    record(load_failures, e.what());
                }
                ++loads;
            }
        });
        std::vector<std::thread> savers;
        for (int t = 0; t < 4; ++t) {
            savers.emplace_back([&] {
                for (int i = 0; i < 15; ++i) {
                    try {
                        index.save(path);
                    } catch (const Error& e) {
                        record(save_failures, e.what());
                    }
                }
            });
        }
        for (auto& s : savers) s.join();
        saving = false;
        loader.join();
        MESSAGE("60 saves from 4 threads, " << loads.load() << " loads meanwhile: " << save_failures.load()
                                            << " saves and " << load_failures.load() << " loads failed");
        CHECK_MESSAGE(save_failures == 0, first_save_failure);
        CHECK_MESSAGE(load_failures == 0, first_load_failure);
        CHECK(test::index_temporaries_in(dir).empty());
    }

}  // TEST_SUITE
