// Label table parsers. The CSV reader follows RFC 4180: quoted fields may hold commas,
// line breaks and doubled quotes ("don't_say_""lazy""" in the WD v3 table).
#include <algorithm>

#include "acg2vec/error.hpp"
#include "acg2vec/labels.hpp"

namespace acg2vec {
namespace {

[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& why) {
    throw Error(ErrorCode::model_metadata, source + ":" + std::to_string(line) + ": " + why);
}

struct CsvRecord {
    std::size_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

// Splits RFC 4180 text into records; CR before LF is dropped, blank lines are skipped.
std::vector<CsvRecord> read_csv(const std::string& text, const std::string& source) {
    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string field;
    std::size_t line = 1;
    bool quoted = false, field_was_quoted = false, record_has_content = false;
    record.line = 1;
    auto end_field = [&] {
        record.fields.push_back(field);
        field.clear();
        field_was_quoted = false;
    };
    auto end_record = [&] {
        if (record_has_content) {
            end_field();
            records.push_back(std::move(record));
        }
        record = CsvRecord{};
        field.clear();
        field_was_quoted = false;
        record_has_content = false;
        record.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (c == '\n' || c == '\r') {
            ++line;
            end_record();
            continue;
        }
        record_has_content = true;
        if (c == ',') {
            end_field();
        } else if (c == '"' && field.empty() && !field_was_quoted) {
            quoted = field_was_quoted = true;
        } else if (field_was_quoted) {
            fail(source, line, "text after a closing quote");
        } else {
            field += c;
        }
    }
    if (quoted) fail(source, record.line, "unterminated quoted field");
    end_record();
    return records;
}

std::int64_t parse_integer(const std::string& text, const std::string& source, std::size_t line, const char* what) {
    if (text.empty()) fail(source, line, std::string("empty ") + what);
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size()) fail(source, line, std::string(what) + " '" + text + "' is not an integer");
    return v;
}

TagCategory category_from_number(std::int64_t n, const std::string& source, std::size_t line) {
    switch (n) {
        case 0: return TagCategory::general;
        case 1: return TagCategory::artist;
        case 3: return TagCategory::copyright;
        case 4: return TagCategory::character;
        case 5: return TagCategory::meta;
        case 9: return TagCategory::rating;
    }
    fail(source, line, "unknown tag category " + std::to_string(n) + " (expected 0, 1, 3, 4, 5 or 9)");
}

}  // namespace

std::size_t LabelTable::count(TagCategory category) const {
    return std::size_t(
        std::count_if(labels.begin(), labels.end(), [&](const Label& l) { return l.category == category; }));
}

std::ptrdiff_t LabelTable::find(const std::string& name) const {
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i].name == name) return std::ptrdiff_t(i);
    }
    return -1;
}

LabelTable parse_selected_tags_csv(const std::string& text, const std::string& source) {
    std::vector<CsvRecord> records = read_csv(text, source);
    if (records.empty()) fail(source, 1, "empty label table");
    const std::vector<std::string>& header = records.front().fields;
    auto column = [&](const char* name) -> std::ptrdiff_t {
        auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : it - header.begin();
    };
    const std::ptrdiff_t name_col = column("name"), category_col = column("category");
    const std::ptrdiff_t id_col = column("tag_id"), count_col = column("count");
    if (name_col < 0 || category_col < 0) fail(source, 1, "header must name the columns 'name' and 'category'");

    LabelTable table;
    table.labels.reserve(records.size() - 1);
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& rec = records[r];
        if (rec.fields.size() != header.size()) {
            fail(source, rec.line,
                 "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(rec.fields.size()));
        }
        Label label;
        label.name = rec.fields[std::size_t(name_col)];
        if (label.name.empty()) fail(source, rec.line, "empty tag name");
        label.category = category_from_number(
            parse_integer(rec.fields[std::size_t(category_col)], source, rec.line, "category"), source, rec.line);
        if (id_col >= 0) label.tag_id = parse_integer(rec.fields[std::size_t(id_col)], source, rec.line, "tag_id");
        if (count_col >= 0) label.count = parse_integer(rec.fields[std::size_t(count_col)], source, rec.line, "count");
        table.labels.push_back(std::move(label));
    }
    return table;
}

LabelTable parse_deepdanbooru_tags(const std::string& text, std::size_t general_count, std::size_t character_count,
                                   const std::string& source) {
    LabelTable table;
    std::size_t line_number = 0, start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        ++line_number;
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        Label label;
        label.name = line;
        const std::size_t index = table.labels.size();
        if (line.compare(0, 7, "rating:") == 0) {
            label.category = TagCategory::rating;
        } else if (index < general_count) {
            label.category = TagCategory::general;
        } else if (index < general_count + character_count) {
            label.category = TagCategory::character;
        } else {
            fail(source, line_number,
                 "tag '" + line + "' is past the " + std::to_string(general_count) + " general and " +
                     std::to_string(character_count) + " character tags the metadata declares, and not a rating");
        }
        if (label.category == TagCategory::rating && index < general_count + character_count) {
            fail(source, line_number, "rating tag '" + line + "' inside the general/character range");
        }
        table.labels.push_back(std::move(label));
    }
    if (table.labels.size() < general_count + character_count) {
        fail(source, line_number,
             "has " + std::to_string(table.labels.size()) + " tags, fewer than the " +
                 std::to_string(general_count + character_count) + " the metadata declares");
    }
    return table;
}

}  // namespace acg2vec
