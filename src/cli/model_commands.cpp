// info, tag, score.
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acg2vec/blas.hpp"
#include "acg2vec/folder_sync.hpp"
#include "acg2vec/scorer.hpp"
#include "acg2vec/tagger.hpp"
#include "cli/captions.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/records.hpp"

namespace acg2vec::cli {
namespace {

using Json = nlohmann::json;

// The BLAS that the model's matrix products run on, measured (include/acg2vec/blas.hpp).
void print_blas() {
    const BlasInfo blas = blas_info();
    char speed[64];
    std::snprintf(speed, sizeof speed, "%.1f GFLOPS sgemm 512x512", measure_sgemm_gflops());
    out_line("blas         " + blas.kind + (blas.core.empty() ? "" : " (kernels " + blas.core + ")") + ", " + speed);
    if (!blas.library.empty()) out_line("blas file    " + blas.library);
    if (blas.kind == "reference BLAS")
        out_line(
            "warning      the reference BLAS is 5-40x slower than an optimised one: install libopenblas0-openmp "
            "(docs/performance.md)");
    if (!blas.better_core.empty())
        out_line("warning      OpenBLAS does not know this CPU and uses its generic kernels: set OPENBLAS_CORETYPE=" +
                 blas.better_core +
                 " (the acg2vec command line does so itself unless ACG2VEC_KEEP_BLAS_KERNELS is set)");
}

void run_info(const CommonOptions& options) {
    const Model model = Model::open(require_model(options), model_options(options));
    Json document = Json::parse(model.metadata().json);
    if (options.machine_output()) {
        document["files"] = model.file_names();
        const BlasInfo blas = blas_info();
        document["blas"] = {{"kind", blas.kind},
                            {"core", blas.core},
                            {"better_core", blas.better_core},
                            {"library", blas.library},
                            {"sgemm_gflops", measure_sgemm_gflops()}};
        out_line(document.dump());
        return;
    }
    const ModelMetadata& m = model.metadata();
    out_line("model        " + model.path());
    out_line("name         " + m.name + (m.version.empty() ? "" : " (version " + m.version + ")"));
    out_line("task         " + m.task);
    if (!m.description.empty()) out_line("description  " + m.description);
    if (m.quantization == Quantization::dynamic_int8)
        out_line("weights      linear layers in int8, activations quantised per call (dynamic_int8; CPU, fp32)");
    if (m.preprocess) {
        const PreprocessSpec& p = *m.preprocess;
        out_line("input        " + std::to_string(p.width) + "x" + std::to_string(p.height) + ", " +
                 document["preprocess"].value("resize_mode", "stretch") + ", " +
                 document["preprocess"].value("interpolation", "bicubic"));
    }
    for (const auto& [role, method] : m.methods) {
        std::string outputs;
        for (const auto& o : method.outputs) {
            outputs += (outputs.empty() ? "" : ", ") + o.name + "[";
            for (std::size_t i = 0; i < o.shape.size(); ++i) outputs += (i ? "," : "") + std::to_string(o.shape[i]);
            outputs += "]";
        }
        out_line("method       " + role + " = " + method.name + " -> " + outputs);
    }
    for (const char* section : {"tagger", "scorer", "embedder"})
        if (document.contains(section)) out_line("section      " + std::string(section));
    for (const auto& name : model.file_names())
        if (name != "acg2vec.json")
            out_line("file         " + name + " (" + std::to_string(model.file(name).size()) + " bytes)");
    out_line("device       " + model.device());
    print_blas();
}

// {"input", "rating", "ratings", "characters", "general"}: name -> probability, most probable
// first (every rating; characters and general tags as selected).
Record tag_record(const std::string& input, const TagResult& r) {
    Record ratings = Record::object(), characters = Record::object(), general = Record::object();
    for (const auto& t : r.ratings) ratings[t.name] = t.probability;
    for (const auto& t : r.characters) characters[t.name] = t.probability;
    for (const auto& t : r.general) general[t.name] = t.probability;
    return Record{
        {"input", input}, {"rating", r.rating}, {"ratings", ratings}, {"characters", characters}, {"general", general}};
}

int run_tag(const CommonOptions& options, const std::vector<std::string>& inputs, const TagOptions& tag_options) {
    TaggerOptions to;
    to.model = model_options(options);
    to.decode = decode_options(options);
    to.tags = tag_options;
    const Tagger tagger = Tagger::open(require_model(options), to);
    RecordStream records(options, "results");
    return finish_outcomes(
        records,
        stream_outcomes<TagOutcome>(
            list_image_files(inputs), options, records, "tag",
            [&](const auto& images, const auto& deliver) { tagger.tag_each(images, deliver); },
            [](const TagOutcome& o) { out_line(o.input + "\t[" + o.result->rating + "] " + o.result->caption()); },
            [](const TagOutcome& o) { return tag_record(o.input, *o.result); }));
}

std::string describe_head(const HeadScore& head) {
    char text[64];
    std::snprintf(text, sizeof text, "%s %.3f", head.best.label.c_str(), head.best.probability);
    std::string line = head.head + ": " + text;
    if (head.expected_value) {
        std::snprintf(text, sizeof text, " (expected %.1f)", *head.expected_value);
        line += text;
    }
    return line;
}

Record class_record(const ClassScore& c) {
    return Record{{"class", c.index}, {"class_name", c.label}, {"probability", c.probability}};
}

// {"input", "heads": [{"head", "class", "class_name", "probability", "top": [...],
// "expected_value"?}]}, one entry per head in the model's order.
Record score_record(const std::string& input, const ScoreResult& r) {
    Record heads = Record::array();
    for (const HeadScore& h : r.heads) {
        Record head{{"head", h.head}};
        head.update(class_record(h.best));
        Record top = Record::array();
        for (const ClassScore& c : h.top) top.push_back(class_record(c));
        head["top"] = top;
        if (h.expected_value) head["expected_value"] = *h.expected_value;
        heads.push_back(head);
    }
    return Record{{"input", input}, {"heads", heads}};
}

int run_score(const CommonOptions& options, const std::vector<std::string>& inputs, std::size_t top_k) {
    ScorerOptions so;
    so.model = model_options(options);
    so.decode = decode_options(options);
    so.score.top_k = top_k == 0 ? std::numeric_limits<std::size_t>::max() : top_k;
    const Scorer scorer = Scorer::open(require_model(options), so);
    RecordStream records(options, "results");
    return finish_outcomes(records,
                           stream_outcomes<ScoreOutcome>(
                               list_image_files(inputs), options, records, "score",
                               [&](const auto& images, const auto& deliver) { scorer.score_each(images, deliver); },
                               [](const ScoreOutcome& o) {
                                   std::string line = o.input;
                                   for (const auto& head : o.result->heads) line += "\t" + describe_head(head);
                                   out_line(line);
                               },
                               [](const ScoreOutcome& o) { return score_record(o.input, *o.result); }));
}

}  // namespace

void add_model_commands(CLI::App& app, int& exit_code) {
    auto common = std::make_shared<CommonOptions>();
    CLI::App* info = app.add_subcommand("info", "Show a model's metadata: task, input, methods, files");
    add_common_options(*info, *common);
    info->callback([common] { run_info(*common); });

    auto tag_common = std::make_shared<CommonOptions>();
    auto tag_inputs = std::make_shared<std::vector<std::string>>();
    auto tag_options = std::make_shared<TagOptions>();
    CLI::App* tag = app.add_subcommand("tag", "Tag images with a tagger model (WD14 / DeepDanbooru)");
    tag->add_option("inputs", *tag_inputs, "image files or folders (recursive)")->required();
    tag->add_option("--general-threshold", tag_options->general_threshold, "keep general tags above this")
        ->capture_default_str();
    tag->add_option("--character-threshold", tag_options->character_threshold, "keep characters above this")
        ->capture_default_str();
    tag->add_flag("--mcut", tag_options->general_mcut, "MCut thresholds for general tags");
    tag->add_flag("--character-mcut", tag_options->character_mcut, "MCut thresholds for characters (at least 0.15)");
    tag->add_option("--max-tags", tag_options->max_general, "at most this many general tags (0: no limit)");
    tag->add_flag("--spaces", tag_options->underscores_to_spaces, "long_hair -> long hair (kaomoji such as ^_^ kept)");
    tag->add_flag("--escape-parens", tag_options->escape_parentheses, "( -> \\( and ) -> \\), for prompts");
    tag->add_flag("--drop-overlap", tag_options->drop_overlap,
                  "drop a general tag contained in another kept one (shirt when white_shirt)");
    auto excluded = std::make_shared<std::vector<std::string>>();
    auto exclude_files = std::make_shared<std::vector<std::string>>();
    tag->add_option("--exclude", *excluded, "tags never written, comma-separated (repeatable)")->delimiter(',');
    tag->add_option("--exclude-file", *exclude_files, "a file of tags never written, by line or comma")
        ->check(CLI::ExistingFile);
    // Caption files (cli/captions.hpp).
    auto captions = std::make_shared<bool>(false);
    auto caption = std::make_shared<CaptionOptions>();
    auto existing = std::make_shared<std::string>();
    tag->add_flag("--captions", *captions, "write a caption file beside each image instead of printing the tags");
    tag->add_option("--caption-ext", caption->extension, "caption file extension")->capture_default_str();
    tag->add_option("--output-dir", caption->output_dir, "write the caption files here, mirroring the input folders");
    tag->add_option("--separator", caption->separator, "between tags")->capture_default_str();
    tag->add_flag("--with-rating", caption->with_rating, "the rating first in each caption");
    tag->add_option("--always-first", caption->always_first, "these tags first when present, comma-separated")
        ->delimiter(',');
    auto* append = tag->add_flag("--append", "add the new tags to an existing caption (no repeats, order kept)");
    auto* skip = tag->add_flag("--skip-existing", "leave existing captions (resumes a run), tag only the rest");
    auto* overwrite = tag->add_flag("--overwrite", "replace existing captions");
    append->excludes(skip)->excludes(overwrite);
    skip->excludes(overwrite);
    tag->add_flag("--frequency", caption->frequency, "print how often each tag was written, most frequent first");
    add_common_options(*tag, *tag_common);
    tag->get_option("--frequency")->excludes("--jsonl");  // --json carries it in its summary
    tag->callback([=, &exit_code] {
        for (const auto& path : *exclude_files) {  // tags by line or by comma
            std::ifstream in(path);
            for (std::string line; std::getline(in, line);) {
                std::istringstream parts(line);
                for (std::string tag; std::getline(parts, tag, ',');)
                    if (tag.find_first_not_of(" \t\r") != std::string::npos) excluded->push_back(tag);
            }
        }
        for (const auto& e : *excluded) {  // as typed ("long hair", "\\(x\\)") and as the label table has it
            tag_options->exclude.push_back(e);
            tag_options->exclude.push_back(label_form(e));
        }
        if (!*captions) {
            exit_code = run_tag(*tag_common, *tag_inputs, *tag_options);
            return;
        }
        caption->existing = append->count()      ? ExistingCaption::append
                            : skip->count()      ? ExistingCaption::skip
                            : overwrite->count() ? ExistingCaption::overwrite
                                                 : ExistingCaption::refuse;
        exit_code = run_captions(*tag_common, *tag_inputs, *tag_options, *caption);
    });

    auto score_common = std::make_shared<CommonOptions>();
    auto score_inputs = std::make_shared<std::vector<std::string>>();
    auto top_k = std::make_shared<std::size_t>(5);
    CLI::App* score = app.add_subcommand("score", "Score images with a classifier model (heads, classes, bins)");
    score->add_option("inputs", *score_inputs, "image files or folders (recursive)")->required();
    score->add_option("--top", *top_k, "classes listed per head in --json/--jsonl (0: all)")->capture_default_str();
    add_common_options(*score, *score_common);
    score->callback([score_common, score_inputs, top_k, &exit_code] {
        exit_code = run_score(*score_common, *score_inputs, *top_k);
    });
}

}  // namespace acg2vec::cli
