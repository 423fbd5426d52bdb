// The WD14 batch API's JSON shape, so existing clients read our results unchanged.
#include "acg2vec/tagger.hpp"
#include "tasks/outcome_json.hpp"

namespace acg2vec {
namespace {

using Json = detail::OrderedJson;

Json by_name(const std::vector<Tag>& tags) {
    Json object = Json::object();
    for (const Tag& t : tags) object[t.name] = t.probability;
    return object;
}

Json caption_of(const TagResult& r) {
    return Json{{"ratings", by_name(r.ratings)}, {"characters", by_name(r.characters)}, {"tags", by_name(r.general)}};
}

}  // namespace

std::string to_wd14_json(const TagResult& result) {
    return detail::json_text(Json{{"captions", Json::array({caption_of(result)})}});
}

std::string to_wd14_json(const std::vector<TagOutcome>& outcomes) {
    Json captions = Json::array();
    for (const TagOutcome& o : outcomes) {
        captions.push_back(o.ok() && o.result ? caption_of(*o.result) : detail::error_entry(o));
    }
    return detail::json_text(Json{{"captions", captions}});
}

}  // namespace acg2vec
