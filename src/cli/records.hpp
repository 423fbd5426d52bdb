// Machine-readable output of the command line, one schema per subcommand (docs/cli.md):
// --json prints one JSON document, --jsonl one record per line. A command with many records
// (one per image, hit, group or event) streams them as they come in both forms, so a
// 100,000-image run holds none of them and a reader sees results while the run goes on.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acg2vec/error.hpp"
#include "acg2vec/image_input.hpp"
#include "cli/cli_common.hpp"
#include "cli/progress.hpp"

namespace acg2vec::cli {

// Ordered: keys stay in the order written ("ratings" most probable first, "input" first).
using Record = nlohmann::ordered_json;

// The records of one command. --json: {<head fields>, "<list>": [record, ...], <summary
// fields>}, written record by record; --jsonl: each record on its own line, nothing else (the summary goes to
// stderr as a note, as in text output); text output: nothing (the command prints lines).
class RecordStream {
public:
    // A command stopped by an error leaves its --json document unclosed: a reader must not
    // take the records written so far for the whole answer (the exit code says what failed).
    RecordStream(const CommonOptions& options, std::string list_name, Record head = Record::object());
    RecordStream(const RecordStream&) = delete;
    RecordStream& operator=(const RecordStream&) = delete;

    bool active() const { return json_ || jsonl_; }
    void add(const Record& record);
    // Ends the --json document with the summary's fields after the list.
    void finish(const Record& summary = Record::object());

private:
    bool json_, jsonl_;
    std::string opening_;  // {<head fields>, "<list>": [
    bool opened_ = false, finished_ = false, first_ = true;
};

// A single-record command's output: --json and --jsonl both print it on one line.
void print_record(const Record& record);

// The record of an input that failed: {"input", "error": {"code", "message"}}.
Record error_record(const std::string& input, const std::string& code, const std::string& message);
Record error_record(const std::string& input, ErrorCode code, const std::string& message);

// Similarity on the 0-100 scale every subcommand prints: 100 x score clamped to 0-1 (for
// cosine indexes and `similar`, 100 x max(0, cosine)).
double similarity_percent(double score);

// The per-image commands' loop: `run(inputs, deliver)` hands each outcome over in input order
// as its batch finishes; each is printed at once (`print` for text output, `record` for
// --json/--jsonl) and moves the progress bar. Failures are named on stderr (also with -q)
// and are error records in the machine output. Returns how many failed.
template <class Outcome, class Run, class Print, class MakeRecord>
std::size_t stream_outcomes(const std::vector<std::string>& files, const CommonOptions& options, RecordStream& records,
                            const char* label, const Run& run, const Print& print, const MakeRecord& record) {
    if (files.empty()) return 0;
    Progress progress(label, files.size(), !options.quiet);
    std::size_t failed = 0;
    run(ImageInput::files(files), [&](Outcome&& o) {
        progress.interrupt();
        if (!o.ok()) {
            ++failed;
            error_note("error: " + o.message);
            records.add(error_record(o.input, o.error, o.message));
        } else if (records.active()) {
            records.add(record(o));
        } else {
            print(o);
        }
        progress.advance(1);
    });
    return failed;
}

// Closes the records with {"failed": N}; the exit code for N failures.
int finish_outcomes(RecordStream& records, std::size_t failed);

}  // namespace acg2vec::cli
