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

#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "cli/progress.hpp"
#include "cli/records.hpp"

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

namespace {

// What happens to one image: tagged, or settled before the model runs.
enum class Plan { tag, skip, refuse };

struct Job {
    std::string image, caption;
    Plan plan = Plan::tag;
};

// The images under `inputs` in order, each with its caption file and plan.
std::vector<Job> plan_jobs(const std::vector<std::string>& inputs, const CaptionOptions& options) {
    std::vector<Job> jobs;
    for (const auto& input : inputs) {
        const std::string root = fs::is_directory(input) ? input : "";
        for (const auto& image : list_image_files({input})) {
            Job job{image, caption_path(image, root, options)};
            if (fs::exists(job.caption) && options.existing == ExistingCaption::skip) job.plan = Plan::skip;
            if (fs::exists(job.caption) && options.existing == ExistingCaption::refuse) job.plan = Plan::refuse;
            jobs.push_back(std::move(job));
        }
    }
    return jobs;
}

// Counts, reports and records (--json/--jsonl: {"input", "caption_file", "tags"} written,
// {"input", "caption_file", "skipped": true}, or an error record with "caption_file") each
// image's end, in input order.
class CaptionReport {
public:
    CaptionReport(const CommonOptions& common, std::size_t to_tag)
        : records_(common, "results"), progress_("captions", to_tag, !common.quiet) {}

    void written(const Job& job, const std::vector<std::string>& tags) {
        ++written_;
        for (const auto& tag : tags) ++frequency_[tag];
        records_.add(Record{{"input", job.image}, {"caption_file", job.caption}, {"tags", tags}});
    }
    void skipped(const Job& job) {
        ++skipped_;
        records_.add(Record{{"input", job.image}, {"caption_file", job.caption}, {"skipped", true}});
    }
    void failed(const Job& job, const std::string& code, const std::string& message) {
        ++failed_;
        progress_.interrupt();
        error_line(message);
        records_.add(Record{{"input", job.image},
                            {"caption_file", job.caption},
                            {"error", Record{{"code", code}, {"message", message}}}});
    }
    void tagged() { progress_.advance(1); }

    // Ends the output: the frequency list (text, or "frequency" in --json) and the counts.
    int finish(const CommonOptions& common, bool with_frequency) {
        progress_.finish();
        std::vector<std::pair<std::string, std::size_t>> counts(frequency_.begin(), frequency_.end());
        std::stable_sort(counts.begin(), counts.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        Record summary{{"written", written_}, {"skipped", skipped_}, {"failed", failed_}};
        if (with_frequency) {
            Record frequency = Record::object();
            for (const auto& [tag, count] : counts) frequency[tag] = count;
            summary["frequency"] = frequency;
            if (!records_.active())
                for (const auto& [tag, count] : counts) out_line(std::to_string(count) + "\t" + tag);
        }
        records_.finish(summary);
        note(common, std::to_string(written_) + " captions written, " + std::to_string(skipped_) +
                         " skipped (already there), " + std::to_string(failed_) + " failed");
        return failed_ == 0 ? exit_ok : exit_some_failed;
    }

private:
    RecordStream records_;
    Progress progress_;
    std::map<std::string, std::size_t> frequency_;
    std::size_t written_ = 0, skipped_ = 0, failed_ = 0;
};

}  // namespace

int run_captions(const CommonOptions& common, const std::vector<std::string>& inputs, const TagOptions& tags,
                 const CaptionOptions& options) {
    // Before anything is printed: this may restart the program (cli/blas_kernels.hpp).
    TaggerOptions to;
    to.model = model_options(common);
    to.decode = decode_options(common);
    to.tags = tags;
    // Existing captions are kept (--skip-existing), or refused when nothing says what to do
    // with them, before the model runs.
    const std::vector<Job> jobs = plan_jobs(inputs, options);
    std::set<std::string> caption_folders;
    std::vector<std::size_t> to_tag;
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        caption_folders.insert(fs::path(jobs[j].caption).parent_path().string());
        if (jobs[j].plan == Plan::tag) to_tag.push_back(j);
    }
    remove_stale_temporaries(caption_folders, options.extension);
    const Tagger tagger = Tagger::open(require_model(common), to);

    CaptionReport report(common, to_tag.size());
    std::size_t settled = 0;  // jobs[0, settled) are reported
    // The skipped and refused images before job `until`, so every image is reported in order.
    const auto settle_until = [&](std::size_t until) {
        for (; settled < until; ++settled) {
            const Job& job = jobs[settled];
            if (job.plan == Plan::skip) report.skipped(job);
            if (job.plan == Plan::refuse)
                report.failed(job, "exists",
                              job.caption +
                                  ": exists; not overwritten (--overwrite replaces it, --append adds the new "
                                  "tags, --skip-existing leaves it)");
        }
    };
    std::vector<std::string> images;
    for (auto j : to_tag) images.push_back(jobs[j].image);
    // Each caption is written as soon as its batch is tagged: a killed run keeps what it
    // finished, and --skip-existing resumes after it.
    std::size_t next = 0;
    tagger.tag_each(ImageInput::files(images), [&](TagOutcome&& outcome) {
        const std::size_t j = to_tag[next++];
        const Job& job = jobs[j];
        settle_until(j);
        settled = j + 1;
        if (!outcome.ok()) {
            report.failed(job, error_code_name(outcome.error), outcome.message);
        } else {
            std::vector<std::string> caption = caption_tags(*outcome.result, options);
            try {
                if (options.existing == ExistingCaption::append && fs::exists(job.caption))
                    caption = merge_caption(read_file(job.caption), caption, options.separator);
                write_file_atomically(job.caption, join(caption, options.separator) + "\n");
                report.written(job, caption);
            } catch (const Error& e) {
                report.failed(job, error_code_name(e.code()), e.what());
            }
        }
        report.tagged();
    });
    settle_until(jobs.size());
    return report.finish(common, options.frequency);
}

}  // namespace acg2vec::cli
