#include "cli/records.hpp"

#include <algorithm>

namespace acg2vec::cli {

RecordStream::RecordStream(const CommonOptions& options, std::string list_name, Record head)
    : json_(options.json), jsonl_(options.jsonl) {
    opening_ = "{";
    for (const auto& [key, value] : head.items()) opening_ += Record(key).dump() + ": " + value.dump() + ", ";
    opening_ += Record(list_name).dump() + ": [";
}

void RecordStream::add(const Record& record) {
    if (jsonl_) {
        out_line(record.dump());
    } else if (json_) {
        if (!opened_) {
            out_line(opening_);
            opened_ = true;
        }
        out_line((first_ ? "" : ",") + record.dump());
        first_ = false;
    }
}

void RecordStream::finish(const Record& summary) {
    if (finished_ || !json_) return;
    finished_ = true;
    std::string tail = opened_ ? "]" : opening_ + "]";
    for (const auto& [key, value] : summary.items()) tail += ", " + Record(key).dump() + ": " + value.dump();
    out_line(tail + "}");
}

void print_record(const Record& record) { out_line(record.dump()); }

Record error_record(const std::string& input, const std::string& code, const std::string& message) {
    return Record{{"input", input}, {"error", Record{{"code", code}, {"message", message}}}};
}

Record error_record(const std::string& input, ErrorCode code, const std::string& message) {
    return error_record(input, error_code_name(code), message);
}

int finish_outcomes(RecordStream& records, std::size_t failed) {
    records.finish(Record{{"failed", failed}});
    return failed == 0 ? exit_ok : exit_some_failed;
}

double similarity_percent(double score) { return 100.0 * std::clamp(score, 0.0, 1.0); }  // 1 + rounding is 100

}  // namespace acg2vec::cli
