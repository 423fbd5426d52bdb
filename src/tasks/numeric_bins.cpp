#include "tasks/numeric_bins.hpp"

#include <cstdlib>
#include <optional>

namespace acg2vec::detail {
namespace {

std::optional<double> number(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return v;
}

bool is_infinity(const std::string& text) {
    return text == "\xE2\x88\x9E" /* ∞ */ || text == "inf" || text == "Inf" || text == "infinity";
}

std::optional<double> bin_value(const std::string& label) {
    if (!label.empty() && label.back() == '+') return number(label.substr(0, label.size() - 1));
    const std::size_t dash = label.find('-');
    if (dash == std::string::npos) return number(label);
    const auto low = number(label.substr(0, dash));
    const std::string upper = label.substr(dash + 1);
    if (!low) return std::nullopt;
    if (is_infinity(upper)) return *low;
    const auto high = number(upper);
    if (!high || *high < *low) return std::nullopt;
    return (*low + *high) / 2.0;
}

}  // namespace

std::vector<double> numeric_bin_values(const std::vector<std::string>& labels) {
    std::vector<double> values;
    for (const auto& label : labels) {
        const auto v = bin_value(label);
        if (!v) return {};
        values.push_back(*v);
    }
    return values;
}

}  // namespace acg2vec::detail
