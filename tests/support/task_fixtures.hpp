// Tagger and scorer fixture models with chosen outputs, so expected tags and scores are exact.
#pragma once

#include <string>
#include <vector>

namespace acg2vec::test {

// 17 labels: 4 ratings, 10 general (among them "bright", whose probability is
// 0.28 + 0.5 x the mean of the 4x4 RGB input), 3 characters. See tagger_fixture_labels().
// `logits` stores log(p / (1 - p)) and declares activation "sigmoid"; `declare_shape` says
// whether acg2vec.json gives the output width (else the tagger probes it at load).
struct TaggerFixture {
    bool logits = false;
    bool declare_shape = true;
    int drop_last_output = 0;  // make the model output this many fewer scores than labels
};
void save_tagger_fixture(const std::string& path, const TaggerFixture& fixture = {});
std::string tagger_fixture_labels();       // the selected_tags.csv text
std::vector<float> tagger_fixture_base();  // probability of each label for a black image

// A tagger over the real WD v3 label table (../shared/data/tags/wd_v3_selected_tags.csv,
// 10,861 labels): label i scores 0.4 * (1 + sin(0.37 i)) whatever the image, so tests can
// compute the expected tags from the table alone.
void save_wd_table_tagger_fixture(const std::string& path);

// Three heads returned as a dict: bookmark (15 bins), view (15 bins), sanity (5 bins), with
// softmax over fixed logits log(w): probabilities equal the weights in scorer_fixture_weights.
void save_pix2score_fixture(const std::string& path, bool wrong_label_count = false);
std::vector<std::vector<float>> scorer_fixture_weights();
std::vector<std::vector<std::string>> scorer_fixture_bins();

// One softmax head over five classes read from classes.txt in the archive; its logits are
// (0, 1, 2, 3, 4) + 10 x mean of the input, so argmax is always "class_4".
void save_classifier_fixture(const std::string& path);

}  // namespace acg2vec::test
