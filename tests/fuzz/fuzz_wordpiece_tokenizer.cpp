// The WordPiece tokenizer: arbitrary text with the uncased and the multilingual cased
// vocabularies of the shared data, and the text itself read as a vocab.txt.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "acg2vec/wordpiece_tokenizer.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

namespace {

const WordPieceTokenizer& uncased() {
    static const WordPieceTokenizer t =
        WordPieceTokenizer::from_file(ACG2VEC_SHARED_DATA "/bert/bert-base-uncased-vocab.txt");
    return t;
}

const WordPieceTokenizer& cased() {
    static const WordPieceTokenizer t = [] {
        WordPieceOptions o;
        o.lowercase = false;
        o.max_length = 16;
        return WordPieceTokenizer::from_file(ACG2VEC_SHARED_DATA "/bert/bert-base-multilingual-cased-vocab.txt", o);
    }();
    return t;
}

void exercise(const WordPieceTokenizer& t, std::string_view text) {
    const auto pieces = t.tokenize(text);
    for (const auto& piece : pieces) t.id(piece);  // every piece is in the vocabulary
    const auto ids = t.encode(text);
    fuzz::require(ids.size() >= 2 && ids.size() <= std::size_t(t.options().max_length),
                  "[CLS] .. [SEP] within max_length");
    fuzz::require(ids.size() == std::min(pieces.size(), std::size_t(t.options().max_length) - 2) + 2, "ids per piece");
    for (std::int64_t id : ids) t.token(id);
    const EncodedText padded = t.encode_padded(text, 40);
    fuzz::require(padded.ids.size() == padded.attention_mask.size() && padded.ids.size() >= ids.size(), "padding");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    uncased();
    cased();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz::run_one([&] { exercise(uncased(), text); });
    fuzz::run_one([&] { exercise(cased(), text); });
    return fuzz::run_one([&] {
        WordPieceOptions o;
        o.max_word_chars = 1 + int(size % 7);
        const WordPieceTokenizer own = WordPieceTokenizer::from_vocab(text, "fuzz-vocab", o);
        exercise(own, "un affable [UNK] ##a x");
        exercise(own, text);
    });
}
