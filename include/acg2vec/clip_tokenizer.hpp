// CLIP's byte-level BPE tokenizer, token for token what openai/CLIP's simple_tokenizer and
// clip.tokenize produce (the text clean-up is described in docs/text.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "acg2vec/export.hpp"

namespace acg2vec {

struct ClipTokenizerOptions {
    int context_length = 77;  // ids per text, SOT and EOT included
    bool truncate = true;     // cut long texts keeping EOT last; false: too long is an error
};

class ACG2VEC_API ClipTokenizer {
public:
    // `merges` is bpe_simple_vocab_16e6.txt.gz (gzip is read directly) or its inflated text.
    // `source` names it in errors.
    static ClipTokenizer from_file(const std::string& path, ClipTokenizerOptions options = {});
    static ClipTokenizer from_merges(std::string_view merges, const std::string& source,
                                     ClipTokenizerOptions options = {});

    // The clean-up the reference applies before splitting: ftfy's default fixes (without
    // mojibake repair), HTML unescaping twice, whitespace collapsed and stripped, lower case.
    // Throws Error(invalid_argument) for invalid UTF-8.
    std::string clean(std::string_view text) const;

    // BPE token strings ("girl</w>") and ids of the cleaned text, without SOT/EOT or limit.
    std::vector<std::string> pieces(std::string_view text) const;
    std::vector<std::int64_t> encode(std::string_view text) const;

    // What the model's text method takes: SOT, the ids, EOT, zeros up to context_length.
    std::vector<std::int64_t> tokenize(std::string_view text) const;

    // The cleaned text of ids: SOT skipped, stops at EOT (padding follows it), "</w>" → space.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    std::int64_t start_of_text() const;
    std::int64_t end_of_text() const;
    std::size_t vocab_size() const;
    const ClipTokenizerOptions& options() const;

    struct Vocabulary;  // opaque: merges and token ids, shared between copies

private:
    ClipTokenizer(std::shared_ptr<const Vocabulary> vocabulary, ClipTokenizerOptions options);
    std::shared_ptr<const Vocabulary> vocabulary_;
    ClipTokenizerOptions options_;
};

}  // namespace acg2vec
