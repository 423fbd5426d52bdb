// embed, similar, tokenize.
#include <cstdio>
#include <memory>

#include "acg2vec/embedder.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/records.hpp"

namespace acg2vec::cli {
namespace {

// The first values and the length, for reading at a glance; --json has every value.
std::string preview(const Vector& v) {
    std::string text = std::to_string(v.size()) + "-d [";
    char number[32];
    for (std::size_t i = 0; i < std::min<std::size_t>(v.size(), 4); ++i) {
        std::snprintf(number, sizeof number, "%s%.4f", i ? ", " : "", double(v[i]));
        text += number;
    }
    return text + (v.size() > 4 ? ", ...]" : "]");
}

int run_embed(const CommonOptions& options, const std::vector<std::string>& inputs,
              const std::vector<std::string>& texts) {
    if (inputs.empty() && texts.empty())
        throw Error(ErrorCode::invalid_argument, "embed: give image files or folders, or --text");
    const Embedder embedder = open_embedder(options);
    // {"results": [{"text"|"input", "vector"} or an error record, ...], "failed"}: texts first.
    RecordStream records(options, "results");
    if (!texts.empty()) {
        const auto vectors = embedder.embed_texts(texts);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (records.active())
                records.add(Record{{"text", texts[i]}, {"vector", vectors[i]}});
            else
                out_line(texts[i] + "\t" + preview(vectors[i]));
        }
    }
    const std::size_t failed = stream_outcomes<VectorOutcome>(
        list_image_files(inputs), options, records, "embed",
        [&](const auto& images, const auto& deliver) { embedder.embed_each(images, deliver); },
        [](const VectorOutcome& o) { out_line(o.input + "\t" + preview(*o.result)); },
        [](const VectorOutcome& o) {
            return Record{{"input", o.input}, {"vector", *o.result}};
        });
    return finish_outcomes(records, failed);
}

int run_similar(const CommonOptions& options, const std::string& a, const std::string& b) {
    const Embedder embedder = open_embedder(options);
    const Similarity s = embedder.similarity(ImageInput::file(a), ImageInput::file(b));
    if (options.machine_output()) {
        print_record(Record{{"a", a},
                            {"b", b},
                            {"similarity", similarity_percent(s.cosine)},
                            {"cosine", s.cosine},
                            {"l2_distance", s.l2_distance}});
    } else {
        char line[128];
        std::snprintf(line, sizeof line, "similarity %.1f / 100  (cosine %.4f, L2 distance %.4f)",
                      similarity_percent(s.cosine), s.cosine, s.l2_distance);
        out_line(line);
    }
    return exit_ok;
}

int run_tokenize(const CommonOptions& options, const std::string& text, const std::string& vocab, bool cased) {
    std::vector<std::int64_t> ids;
    std::vector<std::string> pieces;
    if (!vocab.empty()) {
        const bool merges = vocab.find(".gz") != std::string::npos || vocab.find("bpe") != std::string::npos;
        if (merges) {
            const auto clip = ClipTokenizer::from_file(vocab);
            ids = clip.tokenize(text);
            pieces = clip.pieces(text);
        } else {
            WordPieceOptions wo;
            wo.lowercase = wo.strip_accents = !cased;
            const auto bert = WordPieceTokenizer::from_file(vocab, wo);
            ids = bert.encode(text);
            pieces = bert.tokenize(text);
        }
    } else {
        const Embedder embedder = open_embedder(options);
        if (const ClipTokenizer* clip = embedder.clip_tokenizer()) {
            ids = clip->tokenize(text);
            pieces = clip->pieces(text);
        } else if (const WordPieceTokenizer* bert = embedder.wordpiece_tokenizer()) {
            ids = bert->encode(text);
            pieces = bert->tokenize(text);
        } else {
            throw Error(ErrorCode::not_found,
                        options.model +
                            ": the model has no text tokenizer; tokenize with a vocabulary file instead: "
                            "--vocab bpe_simple_vocab_16e6.txt.gz (CLIP) or --vocab vocab.txt (BERT)");
        }
    }
    if (options.machine_output()) {
        print_record(Record{{"text", text}, {"ids", ids}, {"pieces", pieces}});
        return exit_ok;
    }
    std::string id_line, piece_line;
    for (auto id : ids) id_line += (id_line.empty() ? "" : " ") + std::to_string(id);
    for (const auto& p : pieces) piece_line += (piece_line.empty() ? "" : " ") + p;
    out_line("ids     " + id_line);
    out_line("pieces  " + piece_line);
    return exit_ok;
}

}  // namespace

void add_vector_commands(CLI::App& app, int& exit_code) {
    auto embed_common = std::make_shared<CommonOptions>();
    auto embed_inputs = std::make_shared<std::vector<std::string>>();
    auto texts = std::make_shared<std::vector<std::string>>();
    CLI::App* embed = app.add_subcommand("embed", "Vectors of images (files, folders) or of texts (--text)");
    embed->add_option("inputs", *embed_inputs, "image files or folders (recursive)");
    embed->add_option("-t,--text", *texts, "a text to embed (repeatable)")->allow_extra_args(false);
    add_common_options(*embed, *embed_common);
    embed->callback([embed_common, embed_inputs, texts, &exit_code] {
        exit_code = run_embed(*embed_common, *embed_inputs, *texts);
    });

    auto similar_common = std::make_shared<CommonOptions>();
    auto pair = std::make_shared<std::vector<std::string>>();
    CLI::App* similar = app.add_subcommand("similar", "Similarity of two images: 0-100, cosine, L2 distance");
    similar->add_option("images", *pair, "two image files")->required()->expected(2);
    add_common_options(*similar, *similar_common);
    similar->callback(
        [similar_common, pair, &exit_code] { exit_code = run_similar(*similar_common, (*pair)[0], (*pair)[1]); });

    auto tokenize_common = std::make_shared<CommonOptions>();
    auto text = std::make_shared<std::string>();
    auto vocab = std::make_shared<std::string>();
    auto cased = std::make_shared<bool>(false);
    CLI::App* tokenize =
        app.add_subcommand("tokenize", "Token ids of a text, with a model's tokenizer or a vocabulary file");
    tokenize->add_option("text", *text, "the text")->required();
    tokenize->add_option("--vocab", *vocab, "CLIP merges (.txt.gz) or a WordPiece vocab.txt instead of --model");
    tokenize->add_flag("--cased", *cased, "WordPiece: keep case and accents (cased vocabularies)");
    add_tokenizer_options(*tokenize, *tokenize_common);
    tokenize->callback([tokenize_common, text, vocab, cased, &exit_code] {
        exit_code = run_tokenize(*tokenize_common, *text, *vocab, *cased);
    });
}

}  // namespace acg2vec::cli
