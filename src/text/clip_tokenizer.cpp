#include "acg2vec/clip_tokenizer.hpp"

#include <array>
#include <climits>
#include <cstdio>
#include <unordered_map>

#include "acg2vec/error.hpp"
#include "io/gunzip.hpp"
#include "io/read_file.hpp"
#include "text/clip_cleanup.hpp"
#include "text/unicode.hpp"
#include "text/utf8.hpp"

namespace acg2vec {

namespace {

constexpr std::size_t kMergeCount = 49152 - 256 - 2;  // the merges the reference reads
constexpr std::string_view kStartOfText = "<|startoftext|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";
constexpr std::string_view kEndOfWord = "</w>";

// GPT-2's reversible map from bytes to printable characters: printable Latin-1 bytes map to
// themselves, the others to U+0100 onwards in byte order. BPE symbols are these characters.
std::array<char32_t, 256> byte_characters() {
    std::array<char32_t, 256> map{};
    std::array<bool, 256> printable{};
    for (int b = '!'; b <= '~'; ++b) printable[std::size_t(b)] = true;
    for (int b = 0xA1; b <= 0xAC; ++b) printable[std::size_t(b)] = true;
    for (int b = 0xAE; b <= 0xFF; ++b) printable[std::size_t(b)] = true;
    char32_t next = 256;
    for (std::size_t b = 0; b < 256; ++b) map[b] = printable[b] ? char32_t(b) : next++;
    return map;
}

// The order of the first 256 ids: printable bytes first, then the rest, each in byte order.
std::vector<std::uint8_t> byte_vocabulary_order(const std::array<char32_t, 256>& map) {
    std::vector<std::uint8_t> order;
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t b = 0; b < 256; ++b)
            if ((map[b] == char32_t(b)) == (pass == 0)) order.push_back(std::uint8_t(b));
    return order;
}

}  // namespace

struct ClipTokenizer::Vocabulary {
    std::string source;
    std::array<std::string, 256> byte_symbol;                   // byte → its BPE character, UTF-8
    std::unordered_map<std::string, int> merge_rank;            // "a b" → rank
    std::unordered_map<std::string, std::int64_t> ids;          // token → id
    std::vector<std::string> tokens;                            // id → token
    std::unordered_map<std::string, std::uint8_t> symbol_byte;  // BPE character → byte, for decode
    std::int64_t sot = 0, eot = 0;

    // Byte-pair merges of one pre-token, as the reference's bpe(): repeatedly merge every
    // occurrence (left to right) of the adjacent pair with the lowest rank.
    std::vector<std::string> bpe(std::string_view pretoken) const {
        std::vector<std::string> word;
        for (unsigned char byte : pretoken) word.push_back(byte_symbol[byte]);
        if (word.empty()) return word;
        word.back() += kEndOfWord;
        while (word.size() > 1) {
            int best_rank = INT_MAX;
            std::size_t best = 0;
            for (std::size_t i = 0; i + 1 < word.size(); ++i) {
                auto it = merge_rank.find(word[i] + ' ' + word[i + 1]);
                if (it != merge_rank.end() && it->second < best_rank) best_rank = it->second, best = i;
            }
            if (best_rank == INT_MAX) break;
            const std::string first = word[best], second = word[best + 1];
            std::vector<std::string> merged;
            merged.reserve(word.size());
            for (std::size_t i = 0; i < word.size();) {
                if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                    merged.push_back(first + second);
                    i += 2;
                } else {
                    merged.push_back(word[i]);
                    ++i;
                }
            }
            word = std::move(merged);
        }
        return word;
    }
};

namespace {

std::string hex(char32_t c) {
    char text[9];
    std::snprintf(text, sizeof text, "%04X", unsigned(c));
    return text;
}

bool starts_with_at(std::u32string_view text, std::size_t at, std::string_view ascii) {
    if (text.size() - at < ascii.size()) return false;
    for (std::size_t i = 0; i < ascii.size(); ++i)
        if (text[at + i] != char32_t(ascii[i])) return false;
    return true;
}

// Length of a contraction ('s 't 're 've 'm 'll 'd) at `at`, or 0. The reference matches
// them case-insensitively; after lower-casing only the long s (ſ, which folds to s) remains.
std::size_t contraction_length(std::u32string_view text, std::size_t at) {
    if (text[at] != U'\'' || at + 1 >= text.size()) return 0;
    const char32_t a = text[at + 1];
    const char32_t b = at + 2 < text.size() ? text[at + 2] : 0;
    if (a == U's' || a == U'\u017F' || a == U't' || a == U'm' || a == U'd') return 2;
    if ((a == U'r' || a == U'v') && b == U'e') return 3;
    if (a == U'l' && b == U'l') return 3;
    return 0;
}

// The reference's pattern, alternatives in order at each position:
//   <|startoftext|> | <|endoftext|> | 's|'t|'re|'ve|'m|'ll|'d | \p{L}+ | \p{N} | [^\s\p{L}\p{N}]+
// Whitespace between matches is skipped.
std::vector<std::string> pretokenize(std::u32string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    auto take = [&](std::size_t length) {
        out.push_back(detail::encode_utf8(text.substr(i, length)));
        i += length;
    };
    while (i < text.size()) {
        const char32_t c = text[i];
        if (starts_with_at(text, i, kStartOfText)) {
            take(kStartOfText.size());
        } else if (starts_with_at(text, i, kEndOfText)) {
            take(kEndOfText.size());
        } else if (std::size_t n = contraction_length(text, i); n != 0) {
            take(n);
        } else if (detail::is_letter(c)) {
            std::size_t n = 1;
            while (i + n < text.size() && detail::is_letter(text[i + n])) ++n;
            take(n);
        } else if (detail::is_number(c)) {
            take(1);
        } else if (!detail::is_python_space(c)) {
            auto other = [](char32_t x) {
                return !detail::is_python_space(x) && !detail::is_letter(x) && !detail::is_number(x);
            };
            std::size_t n = 1;
            while (i + n < text.size() && other(text[i + n])) ++n;
            take(n);
        } else {
            ++i;
        }
    }
    return out;
}

}  // namespace

ClipTokenizer::ClipTokenizer(std::shared_ptr<const Vocabulary> vocabulary, ClipTokenizerOptions options)
    : vocabulary_(std::move(vocabulary)), options_(options) {}

ClipTokenizer ClipTokenizer::from_file(const std::string& path, ClipTokenizerOptions options) {
    const std::vector<char> bytes = detail::read_file(path);
    return from_merges(std::string_view(bytes.data(), bytes.size()), path, options);
}

ClipTokenizer ClipTokenizer::from_merges(std::string_view merges, const std::string& source,
                                         ClipTokenizerOptions options) {
    if (options.context_length < 2)
        throw Error(ErrorCode::invalid_argument, source + ": CLIP context_length must be at least 2 (SOT and EOT)");
    const std::string text = detail::is_gzip(merges) ? detail::gunzip(merges, source) : std::string(merges);
    auto v = std::make_shared<Vocabulary>();
    v->source = source;
    const auto map = byte_characters();
    for (std::size_t b = 0; b < 256; ++b) {
        v->byte_symbol[b].clear();
        detail::append_utf8(v->byte_symbol[b], map[b]);
        v->symbol_byte[v->byte_symbol[b]] = std::uint8_t(b);
    }
    auto add_token = [&](std::string token) {
        v->ids[token] = std::int64_t(v->tokens.size());  // a repeat keeps the last id, as the reference
        v->tokens.push_back(std::move(token));
    };
    std::array<bool, 0x144> is_byte_character{};  // the 256 characters of `map`: U+0021 to U+0143
    for (char32_t c : map) is_byte_character[c] = true;
    const std::vector<std::uint8_t> order = byte_vocabulary_order(map);
    for (std::uint8_t b : order) add_token(v->byte_symbol[b]);
    for (std::uint8_t b : order) add_token(v->byte_symbol[b] + std::string(kEndOfWord));

    // Line 0 is a version header; the reference takes the next kMergeCount lines.
    std::size_t line_start = text.find('\n');
    std::size_t line_number = 1;
    while (line_start != std::string::npos && v->merge_rank.size() < kMergeCount) {
        ++line_start;
        std::size_t line_end = text.find('\n', line_start);
        std::string_view line = std::string_view(text).substr(
            line_start, (line_end == std::string::npos ? text.size() : line_end) - line_start);
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t space = line.find(' ');
        if (line.empty() && line_end == std::string::npos) break;  // final newline
        if (space == std::string_view::npos || space == 0 || line.find(' ', space + 1) != std::string_view::npos ||
            space + 1 == line.size())
            throw Error(ErrorCode::model_metadata, source + ": line " + std::to_string(line_number) +
                                                       ": a merge must be two symbols separated by one space");
        // Symbols are spelled in byte characters only: decode() maps every character of a token
        // back to its byte, and a merge of other characters made a token it could not decode
        // (std::out_of_range escaped; found by fuzz_clip_tokenizer).
        for (char32_t c : detail::decode_utf8(line, source + " line " + std::to_string(line_number))) {
            if (c != U' ' && (c >= is_byte_character.size() || !is_byte_character[c]))
                throw Error(ErrorCode::model_metadata, source + ": line " + std::to_string(line_number) +
                                                           ": a merge symbol has a character (U+" + hex(c) +
                                                           ") that stands for no byte");
        }
        const int rank = int(v->merge_rank.size());
        if (!v->merge_rank.emplace(std::string(line), rank).second)
            throw Error(ErrorCode::model_metadata,
                        source + ": line " + std::to_string(line_number) + ": merge repeated");
        add_token(std::string(line.substr(0, space)) + std::string(line.substr(space + 1)));
        line_start = line_end;
    }
    if (v->merge_rank.empty())
        throw Error(ErrorCode::model_metadata, source + ": no BPE merges (is this bpe_simple_vocab_16e6.txt?)");
    add_token(std::string(kStartOfText));
    add_token(std::string(kEndOfText));
    v->sot = v->ids.at(std::string(kStartOfText));
    v->eot = v->ids.at(std::string(kEndOfText));
    return ClipTokenizer(std::move(v), options);
}

std::string ClipTokenizer::clean(std::string_view text) const {
    return detail::encode_utf8(detail::clip_clean(detail::decode_utf8(text, "<text>")));
}

std::vector<std::string> ClipTokenizer::pieces(std::string_view text) const {
    const std::u32string cleaned = detail::clip_clean(detail::decode_utf8(text, "<text>"));
    std::vector<std::string> out;
    for (const std::string& pretoken : pretokenize(cleaned)) {
        // The reference's BPE cache starts with the two special tokens: written in the text,
        // they stay whole and get their special ids.
        if (pretoken == kStartOfText || pretoken == kEndOfText) {
            out.push_back(pretoken);
            continue;
        }
        for (std::string& piece : vocabulary_->bpe(pretoken)) out.push_back(std::move(piece));
    }
    return out;
}

std::vector<std::int64_t> ClipTokenizer::encode(std::string_view text) const {
    std::vector<std::int64_t> ids;
    for (const std::string& piece : pieces(text)) {
        auto it = vocabulary_->ids.find(piece);
        // Every single byte symbol is in the vocabulary, so BPE output always is.
        if (it == vocabulary_->ids.end())
            throw Error(ErrorCode::internal,
                        vocabulary_->source + ": BPE produced '" + piece + "' outside the vocabulary");
        ids.push_back(it->second);
    }
    return ids;
}

std::vector<std::int64_t> ClipTokenizer::tokenize(std::string_view text) const {
    const std::vector<std::int64_t> body = encode(text);
    const std::size_t length = std::size_t(options_.context_length);
    if (body.size() + 2 > length && !options_.truncate)
        throw Error(ErrorCode::invalid_argument, "<text>: " + std::to_string(body.size() + 2) +
                                                     " tokens exceed the context length " + std::to_string(length) +
                                                     " (enable truncation or shorten the text)");
    std::vector<std::int64_t> ids(length, 0);
    ids[0] = vocabulary_->sot;
    const std::size_t kept = std::min(body.size(), length - 2);
    std::copy(body.begin(), body.begin() + std::ptrdiff_t(kept), ids.begin() + 1);
    ids[kept + 1] = vocabulary_->eot;
    return ids;
}

std::string ClipTokenizer::decode(const std::vector<std::int64_t>& ids) const {
    std::string symbols;
    for (std::int64_t id : ids) {
        if (id == vocabulary_->sot) continue;
        if (id == vocabulary_->eot) break;  // what follows is padding (id 0 is also "!")
        if (id < 0 || std::size_t(id) >= vocabulary_->tokens.size())
            throw Error(ErrorCode::invalid_argument, "CLIP token id " + std::to_string(id) + " is out of range");
        symbols += vocabulary_->tokens[std::size_t(id)];
    }
    std::string bytes;
    const std::u32string chars = detail::decode_utf8(symbols, "<ids>");
    std::string current;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (std::u32string_view(chars).substr(i, 4) == U"</w>") {
            bytes += ' ';
            i += 3;
            continue;
        }
        current.clear();
        detail::append_utf8(current, chars[i]);
        bytes.push_back(char(vocabulary_->symbol_byte.at(current)));
    }
    if (!bytes.empty() && bytes.back() == ' ') bytes.pop_back();
    return bytes;
}

std::int64_t ClipTokenizer::start_of_text() const { return vocabulary_->sot; }
std::int64_t ClipTokenizer::end_of_text() const { return vocabulary_->eot; }
std::size_t ClipTokenizer::vocab_size() const { return vocabulary_->tokens.size(); }
const ClipTokenizerOptions& ClipTokenizer::options() const { return options_; }

}  // namespace acg2vec
