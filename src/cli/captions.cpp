#include "cli/captions.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "cli/progress.hpp"

namespace acg2vec::cli {
namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The separator without its spaces (", " -> ","): what splits an existing caption.
std::string bare(const std::string& separator) {
    const std::string t = trim(separator);
    return t.empty() ? separator : t;
}

void error_line(const std::string& line) { error_note("error: " + line); }

struct Job {
    std::string image, caption;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::io, path + ": cannot read the existing caption");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Temporaries that a killed run left beside the captions it was writing ("x.txt.tmp-PID").
void remove_stale_temporaries(const std::set<std::string>& folders, const std::string& extension) {
    const std::string marker = extension + ".tmp-";
    for (const auto& folder : folders) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(folder.empty() ? "." : folder, ec)) {
            const std::string name = entry.path().filename().string();
            const std::size_t at = name.rfind(marker);
            if (at == std::string::npos || at + marker.size() == name.size()) continue;
            const std::string pid = name.substr(at + marker.size());
            if (pid.find_first_not_of("0123456789") != std::string::npos || !entry.is_regular_file(ec)) continue;
            fs::remove(entry.path(), ec);
        }
    }
}

std::string join(const std::vector<std::string>& tags, const std::string& separator) {
    std::string text;
    for (const auto& t : tags) text += (text.empty() ? "" : separator) + t;
    return text;
}

}  // namespace

std::string label_form(const std::string& tag) {
    std::string out;
    const std::string t = trim(tag);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == '(' || t[i + 1] == ')')) continue;  // unescape
        out += t[i] == ' ' ? '_' : t[i];
    }
    return out;
}

std::vector<std::string> caption_tags(const TagResult& result, const CaptionOptions& options) {
    std::vector<std::string> tags;
    if (options.with_rating && !result.rating.empty()) tags.push_back(result.rating);
    std::vector<const Tag*> rest;
    for (const auto* list : {&result.characters, &result.general})
        for (const Tag& t : *list) rest.push_back(&t);
    for (const auto& wanted : options.always_first) {
        const std::string form = label_form(wanted);
        auto it = std::find_if(rest.begin(), rest.end(), [&](const Tag* t) { return label_form(t->name) == form; });
        if (it == rest.end()) continue;
        tags.push_back((*it)->name);
        rest.erase(it);
    }
    for (const Tag* t : rest) tags.push_back(t->name);
    return tags;
}

std::vector<std::string> merge_caption(const std::string& existing, const std::vector<std::string>& added,
                                       const std::string& separator) {
    std::vector<std::string> tags;
    std::set<std::string> seen;
    const std::string split = bare(separator);
    std::size_t at = 0;
    while (at <= existing.size()) {
        const std::size_t next = existing.find(split, at);
        const std::string tag = trim(existing.substr(at, next == std::string::npos ? std::string::npos : next - at));
        if (!tag.empty() && seen.insert(label_form(tag)).second) tags.push_back(tag);
        if (next == std::string::npos) break;
        at = next + split.size();
    }
    // "long hair" and "long_hair" are one tag: a run with --spaces adds no second spelling.
    for (const auto& tag : added)
        if (seen.insert(label_form(tag)).second) tags.push_back(trim(tag));
    return tags;
}

std::string caption_path(const std::string& image, const std::string& root, const CaptionOptions& options) {
    const fs::path path(image);
    if (options.output_dir.empty()) return path.parent_path() / (path.stem().string() + options.extension);
    const fs::path relative = root.empty() ? path.filename() : fs::path(image).lexically_relative(root);
    return fs::path(options.output_dir) / relative.parent_path() / (path.stem().string() + options.extension);
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const fs::path target(path);
    std::error_code ec;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error(ErrorCode::io, path + ": cannot create its folder: " + ec.message());
    const std::string temporary = path + ".tmp-" + std::to_string(getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(ErrorCode::io, path + ": cannot write: " + std::strerror(errno));
    std::size_t written = 0;
    bool ok = true;
    while (ok && written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += std::size_t(n);
    }
    const int saved = errno;
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(ok ? errno : saved);
        std::remove(temporary.c_str());
        throw Error(ErrorCode::io, path + ": cannot write: " + why);
    }
}

int run_captions(const CommonOptions& common, const std::vector<std::string>& inputs, const TagOptions& tags,
                 const CaptionOptions& options) {
    // Before anything is printed: this may restart the program (cli/blas_kernels.hpp).
    TaggerOptions to;
    to.model = model_options(common);
    to.decode = decode_options(common);
    to.tags = tags;
    // Which caption each image gets, and which are settled before the model runs: existing
    // ones kept (--skip-existing), or refused when nothing says what to do with them.
    std::vector<Job> jobs;
    std::set<std::string> caption_folders;
    std::size_t skipped = 0, failed = 0;
    for (const auto& input : inputs) {
        const std::string root = fs::is_directory(input) ? input : "";
        for (const auto& image : list_image_files({input})) {
            Job job{image, caption_path(image, root, options)};
            caption_folders.insert(fs::path(job.caption).parent_path().string());
            if (fs::exists(job.caption) && options.existing == ExistingCaption::skip) {
                ++skipped;
            } else if (fs::exists(job.caption) && options.existing == ExistingCaption::refuse) {
                ++failed;
                error_line(job.caption +
                           ": exists; not overwritten (--overwrite replaces it, --append adds the new tags, "
                           "--skip-existing leaves it)");
            } else {
                jobs.push_back(std::move(job));
            }
        }
    }

    remove_stale_temporaries(caption_folders, options.extension);
    const Tagger tagger = Tagger::open(require_model(common), to);
    std::map<std::string, std::size_t> frequency;
    std::size_t written = 0;
    Progress progress("captions", jobs.size(), !common.quiet);
    // One forward pass at a time, each caption written as soon as its image is tagged: a
    // killed run keeps what it finished, and --skip-existing resumes after it.
    const std::size_t step = std::size_t(std::max(1, common.batch));
    for (std::size_t first = 0; first < jobs.size(); first += step) {
        const std::size_t last = std::min(jobs.size(), first + step);
        std::vector<std::string> images;
        for (std::size_t i = first; i < last; ++i) images.push_back(jobs[i].image);
        const std::vector<TagOutcome> outcomes = tagger.tag_batch(ImageInput::files(images));
        for (std::size_t k = 0; k < outcomes.size(); ++k) {
            const Job& job = jobs[first + k];
            if (!outcomes[k].ok()) {
                ++failed;
                error_line(outcomes[k].message);
                continue;
            }
            std::vector<std::string> caption = caption_tags(*outcomes[k].result, options);
            try {
                if (options.existing == ExistingCaption::append && fs::exists(job.caption))
                    caption = merge_caption(read_file(job.caption), caption, options.separator);
                write_file_atomically(job.caption, join(caption, options.separator) + "\n");
            } catch (const Error& e) {
                ++failed;
                error_line(e.what());
                continue;
            }
            ++written;
            for (const auto& tag : caption) ++frequency[tag];
            if (common.json) out_line(nlohmann::json{{"input", job.image}, {"caption_file", job.caption}}.dump());
        }
        progress.advance(last - first);
    }
    progress.finish();
    if (options.frequency) {
        std::vector<std::pair<std::string, std::size_t>> counts(frequency.begin(), frequency.end());
        std::stable_sort(counts.begin(), counts.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [tag, count] : counts) out_line(std::to_string(count) + "\t" + tag);
    }
    note(common, std::to_string(written) + " captions written, " + std::to_string(skipped) +
                     " skipped (already there), " + std::to_string(failed) + " failed");
    return failed == 0 ? exit_ok : exit_some_failed;
}

}  // namespace acg2vec::cli
