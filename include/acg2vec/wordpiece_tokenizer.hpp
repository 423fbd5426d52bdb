// BERT's WordPiece tokenizer, token for token what google-research/bert's tokenization.py
// (FullTokenizer) produces, with the [CLS] ... [SEP] framing sentence-transformers adds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "acg2vec/export.hpp"

namespace acg2vec {

struct WordPieceOptions {
    bool lowercase = true;      // uncased vocabularies; false for "cased" ones
    bool strip_accents = true;  // with lowercase: NFD, then drop combining marks (as the reference)
    bool split_cjk = true;      // every CJK ideograph is a word of its own
    int max_length = 128;       // ids per text, [CLS] and [SEP] included
    int max_word_chars = 100;   // longer words become [UNK]
};

// ids and mask of one text, both `length` long when padded.
struct EncodedText {
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> attention_mask;  // 1 for real tokens, 0 for padding
};

class ACG2VEC_API WordPieceTokenizer {
public:
    // `vocab` is a vocab.txt: one token a line, the id is the line number.
    static WordPieceTokenizer from_file(const std::string& path, WordPieceOptions options = {});
    static WordPieceTokenizer from_vocab(std::string_view vocab, const std::string& source,
                                         WordPieceOptions options = {});

    // Word pieces ("un", "##aff", "##able"), no special tokens, no length limit.
    // Throws Error(invalid_argument) for invalid UTF-8.
    std::vector<std::string> tokenize(std::string_view text) const;

    // [CLS] pieces [SEP], pieces cut so the whole fits max_length.
    std::vector<std::int64_t> encode(std::string_view text) const;
    // The same padded with [PAD] up to `length` ids (none when already that long), with its mask.
    EncodedText encode_padded(std::string_view text, std::size_t length) const;

    // Id of a token; Error(not_found) when the vocabulary lacks it.
    std::int64_t id(std::string_view token) const;
    const std::string& token(std::int64_t id) const;
    std::size_t vocab_size() const;
    const WordPieceOptions& options() const;

    struct Vocabulary;  // opaque, shared between copies

private:
    WordPieceTokenizer(std::shared_ptr<const Vocabulary> vocabulary, WordPieceOptions options);
    std::shared_ptr<const Vocabulary> vocabulary_;
    WordPieceOptions options_;
};

}  // namespace acg2vec
