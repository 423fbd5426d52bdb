// PAI's classifier JSON shape for Scorer results.
#include "acg2vec/scorer.hpp"
#include "tasks/outcome_json.hpp"

namespace acg2vec {
namespace {

using Json = detail::OrderedJson;

Json head_json(const HeadScore& h) {
    Json probs = Json::object();
    for (std::size_t i = 0; i < h.labels.size(); ++i) probs[h.labels[i]] = h.probabilities[i];
    Json top = Json::array();
    for (const ClassScore& c : h.top)
        top.push_back(Json{{"class", c.index}, {"class_name", c.label}, {"prob", c.probability}});
    Json j{{"class", h.best.index}, {"class_name", h.best.label}, {"class_probs", probs}, {"top5", top}};
    if (h.expected_value) j["expected_value"] = *h.expected_value;
    return j;
}

Json result_json(const ScoreResult& r) {
    if (r.heads.size() == 1) return head_json(r.heads.front());
    Json heads = Json::object();
    for (const auto& h : r.heads) heads[h.head] = head_json(h);
    return Json{{"heads", heads}};
}

}  // namespace

std::string to_pai_json(const ScoreResult& result) { return detail::json_text(result_json(result)); }

std::string to_pai_json(const std::vector<ScoreOutcome>& outcomes) {
    Json list = Json::array();
    for (const auto& o : outcomes) {
        list.push_back(o.ok() && o.result ? result_json(*o.result) : detail::error_entry(o));
    }
    return detail::json_text(list);
}

}  // namespace acg2vec
