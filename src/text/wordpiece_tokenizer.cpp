#include "acg2vec/wordpiece_tokenizer.hpp"

#include <unordered_map>

#include "acg2vec/error.hpp"
#include "io/read_file.hpp"
#include "text/unicode.hpp"
#include "text/utf8.hpp"

namespace acg2vec {

struct WordPieceTokenizer::Vocabulary {
    std::string source;
    std::vector<std::string> tokens;                    // by id
    std::unordered_map<std::string, std::int64_t> ids;  // a repeated token keeps its last line, as the reference
    std::int64_t unk = 0, cls = 0, sep = 0, pad = 0;
};

namespace {

using detail::is_python_space;

// tokenization.py's _is_whitespace and _is_control.
bool is_bert_whitespace(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || detail::is_space_separator(c);
}
bool is_bert_control(char32_t c) {
    if (c == U'\t' || c == U'\n' || c == U'\r') return false;
    return detail::is_control_or_format(c);
}
// ASCII symbols count as punctuation although Unicode files $, +, ^, ` and others elsewhere.
bool is_bert_punctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
    return detail::is_punctuation(c);
}
// The CJK Unified Ideographs blocks; Japanese kana and Korean hangul are not in them.
bool is_cjk_ideograph(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

std::vector<std::u32string> split_on_python_space(std::u32string_view text) {
    std::vector<std::u32string> words;
    std::u32string word;
    for (char32_t c : text) {
        if (is_python_space(c)) {
            if (!word.empty()) words.push_back(std::move(word)), word.clear();
        } else {
            word.push_back(c);
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// BasicTokenizer: clean, isolate CJK ideographs, split on spaces, lower/strip accents,
// then split every punctuation character into a word of its own.
std::vector<std::u32string> basic_words(std::u32string_view text, const WordPieceOptions& options) {
    std::u32string cleaned;
    cleaned.reserve(text.size());
    for (char32_t c : text) {
        if (c == 0 || c == 0xFFFD || is_bert_control(c)) continue;
        if (is_bert_whitespace(c)) {
            cleaned.push_back(U' ');
        } else if (options.split_cjk && is_cjk_ideograph(c)) {
            cleaned += U' ';
            cleaned.push_back(c);
            cleaned += U' ';
        } else {
            cleaned.push_back(c);
        }
    }
    std::vector<std::u32string> words;
    for (std::u32string word : split_on_python_space(cleaned)) {
        if (options.lowercase) word = detail::python_lower(word);
        if (options.lowercase && options.strip_accents) {
            std::u32string stripped;
            for (char32_t c : detail::normalize(word, detail::NormalForm::nfd))
                if (!detail::is_nonspacing_mark(c)) stripped.push_back(c);
            word = std::move(stripped);
        }
        std::u32string current;
        for (char32_t c : word) {
            if (is_bert_punctuation(c)) {
                if (!current.empty()) words.push_back(std::move(current)), current.clear();
                words.push_back(std::u32string(1, c));
            } else {
                current.push_back(c);
            }
        }
        if (!current.empty()) words.push_back(std::move(current));
    }
    return words;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(std::shared_ptr<const Vocabulary> vocabulary, WordPieceOptions options)
    : vocabulary_(std::move(vocabulary)), options_(options) {}

WordPieceTokenizer WordPieceTokenizer::from_file(const std::string& path, WordPieceOptions options) {
    const std::vector<char> bytes = detail::read_file(path);
    return from_vocab(std::string_view(bytes.data(), bytes.size()), path, options);
}

WordPieceTokenizer WordPieceTokenizer::from_vocab(std::string_view vocab, const std::string& source,
                                                  WordPieceOptions options) {
    if (options.max_length < 2 || options.max_word_chars < 1)
        throw Error(ErrorCode::invalid_argument,
                    source + ": WordPiece max_length must be at least 2 and max_word_chars at least 1");
    auto v = std::make_shared<Vocabulary>();
    v->source = source;
    std::size_t start = 0;
    while (start < vocab.size()) {
        std::size_t end = vocab.find('\n', start);
        if (end == std::string_view::npos) end = vocab.size();
        // The reference strips each line (Python whitespace, so also "\r").
        std::u32string line = detail::decode_utf8(vocab.substr(start, end - start),
                                                  source + " line " + std::to_string(v->tokens.size() + 1));
        std::size_t first = 0, last = line.size();
        while (first < last && is_python_space(line[first])) ++first;
        while (last > first && is_python_space(line[last - 1])) --last;
        std::string token = detail::encode_utf8(std::u32string_view(line).substr(first, last - first));
        v->ids[token] = std::int64_t(v->tokens.size());
        v->tokens.push_back(std::move(token));
        start = end + 1;
    }
    auto require = [&](const char* token) {
        auto it = v->ids.find(token);
        if (it == v->ids.end())
            throw Error(ErrorCode::model_metadata, source + ": WordPiece vocabulary has no " + token + " token");
        return it->second;
    };
    v->unk = require("[UNK]");
    v->cls = require("[CLS]");
    v->sep = require("[SEP]");
    v->pad = require("[PAD]");
    return WordPieceTokenizer(std::move(v), options);
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text) const {
    const std::u32string decoded = detail::decode_utf8(text, "<text>");
    std::vector<std::string> pieces;
    for (const std::u32string& word : basic_words(decoded, options_)) {
        if (word.size() > std::size_t(options_.max_word_chars)) {
            pieces.push_back(vocabulary_->tokens[std::size_t(vocabulary_->unk)]);
            continue;
        }
        // Greedy longest match first; a word with any unmatched remainder is [UNK] as a whole.
        std::vector<std::string> word_pieces;
        std::size_t begin = 0;
        while (begin < word.size()) {
            std::size_t end = word.size();
            std::string found;
            while (begin < end) {
                std::string candidate = begin > 0 ? "##" : "";
                candidate += detail::encode_utf8(std::u32string_view(word).substr(begin, end - begin));
                if (vocabulary_->ids.count(candidate) != 0) {
                    found = std::move(candidate);
                    break;
                }
                --end;
            }
            if (found.empty()) {
                word_pieces.assign(1, vocabulary_->tokens[std::size_t(vocabulary_->unk)]);
                break;
            }
            word_pieces.push_back(std::move(found));
            begin = end;
        }
        pieces.insert(pieces.end(), word_pieces.begin(), word_pieces.end());
    }
    return pieces;
}

std::vector<std::int64_t> WordPieceTokenizer::encode(std::string_view text) const {
    const std::vector<std::string> pieces = tokenize(text);
    const std::size_t kept = std::min(pieces.size(), std::size_t(options_.max_length) - 2);
    std::vector<std::int64_t> ids;
    ids.reserve(kept + 2);
    ids.push_back(vocabulary_->cls);
    for (std::size_t i = 0; i < kept; ++i) ids.push_back(vocabulary_->ids.at(pieces[i]));
    ids.push_back(vocabulary_->sep);
    return ids;
}

EncodedText WordPieceTokenizer::encode_padded(std::string_view text, std::size_t length) const {
    EncodedText encoded;
    encoded.ids = encode(text);
    encoded.attention_mask.assign(encoded.ids.size(), 1);
    if (encoded.ids.size() < length) {
        encoded.ids.resize(length, vocabulary_->pad);
        encoded.attention_mask.resize(length, 0);
    }
    return encoded;
}

std::int64_t WordPieceTokenizer::id(std::string_view token) const {
    auto it = vocabulary_->ids.find(std::string(token));
    if (it == vocabulary_->ids.end())
        throw Error(ErrorCode::not_found, vocabulary_->source + ": no token '" + std::string(token) + "'");
    return it->second;
}

const std::string& WordPieceTokenizer::token(std::int64_t id) const {
    if (id < 0 || std::size_t(id) >= vocabulary_->tokens.size())
        throw Error(ErrorCode::not_found, vocabulary_->source + ": no token with id " + std::to_string(id));
    return vocabulary_->tokens[std::size_t(id)];
}

std::size_t WordPieceTokenizer::vocab_size() const { return vocabulary_->tokens.size(); }
const WordPieceOptions& WordPieceTokenizer::options() const { return options_; }

}  // namespace acg2vec
