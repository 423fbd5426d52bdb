// The label table parsers of tagger and scorer models: selected_tags.csv (RFC 4180),
// DeepDanbooru's tags.txt with declared counts, and the numeric bin names of scorer heads.
#include <cstddef>
#include <cstdint>
#include <string>

#include "acg2vec/labels.hpp"
#include "fuzz_common.hpp"
#include "tasks/numeric_bins.hpp"

using namespace acg2vec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::run_one([&] {
        const LabelTable table = parse_selected_tags_csv(text, "fuzz.csv");
        for (const Label& label : table.labels) fuzz::require(!label.name.empty(), "tag names are not empty");
        if (!table.labels.empty()) fuzz::require(table.find(table.labels.front().name) == 0, "find() the first label");
    });
    // Counts from the size, so the text itself stays a plain tag list.
    const std::size_t general = size % 7, characters = size / 7 % 5;
    fuzz::run_one([&] {
        const LabelTable table = parse_deepdanbooru_tags(text, general, characters, "fuzz.txt");
        fuzz::require(table.size() >= general + characters, "at least the declared tags");
        fuzz::require(table.count(TagCategory::general) == general, "general count as declared");
        fuzz::require(table.count(TagCategory::character) == characters, "character count as declared");
    });
    return fuzz::run_one([&] {
        std::vector<std::string> lines;
        for (std::size_t start = 0; start < text.size();) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            lines.push_back(text.substr(start, end - start));
            start = end + 1;
        }
        const std::vector<double> values = detail::numeric_bin_values(lines);
        fuzz::require(values.empty() || values.size() == lines.size(), "one value per label, or none");
    });
}
