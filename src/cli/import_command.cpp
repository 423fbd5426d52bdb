// import: a model file users already have (ONNX, Keras .h5 or TF.js) into an acg2vec model file,
// by running tools/import with Python (Debian's python3-torch, and python3-onnx or python3-h5py:
// reading the source and tracing need them; running the result does not). The result is written beside the destination,
// opened with the library, and only then renamed into place: a failed import leaves nothing behind.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "acg2vec/analyzer.hpp"
#include "acg2vec/scorer.hpp"
#include "acg2vec/tagger.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"

extern char** environ;

namespace acg2vec::cli {
namespace {

namespace fs = std::filesystem;

struct ImportArgs {
    std::string source, preset, out, name, version, description, metadata;
    std::vector<std::string> labels;
};

// A source format: the file extension, the converter in tools/import, the Python modules it
// needs (and their Debian packages), and the presets it has.
struct SourceFormat {
    const char* extension;
    const char* what;
    const char* converter;
    const char* modules;
    const char* packages;
    std::vector<std::string> presets;
};

const std::vector<SourceFormat>& source_formats() {
    static const std::vector<SourceFormat> formats = {
        {".onnx",
         "ONNX",
         "import_onnx.py",
         "torch, onnx",
         "python3-torch python3-onnx",
         {"wd14-v2", "deepghs-classify", "custom"}},
        {".h5",
         "Keras HDF5",
         "import_keras.py",
         "torch, h5py",
         "python3-torch python3-h5py",
         {"deepdanbooru", "nsfwjs"}},
        {".json",
         "TF.js layers model",
         "import_keras.py",
         "torch, numpy",
         "python3-torch python3-numpy",
         {"nsfwjs", "deepdanbooru"}},
    };
    return formats;
}

const SourceFormat& format_of(const std::string& source, const std::string& preset) {
    std::string extension = fs::path(source).extension().string();
    for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
    for (const SourceFormat& f : source_formats()) {
        if (extension != f.extension) continue;
        std::string presets;
        for (const auto& p : f.presets) {
            if (p == preset) return f;
            presets += (presets.empty() ? "" : ", ") + p;
        }
        throw Error(ErrorCode::invalid_argument, source + ": preset '" + preset + "' does not apply to " + f.what +
                                                     " files (presets: " + presets + ")");
    }
    throw Error(ErrorCode::invalid_argument,
                source +
                    ": only ONNX (.onnx), Keras HDF5 (.h5) and TF.js layers models (model.json) import; "
                    "SavedModels, TF.js graph models and other formats do not (docs/models.md)");
}

// Exit status of PROGRAM ARGS...; -1 when it cannot start. Its standard error goes to ours
// unless `quiet`; its standard output (the converter's own summary, naming the scratch file)
// never does.
int run_program(const std::vector<std::string>& argv, bool quiet) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (quiet) posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int started = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);  // PATH for a bare name
    posix_spawn_file_actions_destroy(&actions);
    if (started != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string python() {
    const char* p = std::getenv("ACG2VEC_PYTHON");
    return p != nullptr && *p != '\0' ? p : "/usr/bin/python3";
}

// The folder holding import/ and export/: $ACG2VEC_TOOLS, the installed copy, or the source tree
// this program was built from.
std::string tools_folder() {
    std::vector<std::string> candidates;
    if (const char* t = std::getenv("ACG2VEC_TOOLS"); t != nullptr && *t != '\0') candidates.push_back(t);
    candidates.push_back(ACG2VEC_INSTALLED_TOOLS_DIR);
    candidates.push_back(ACG2VEC_SOURCE_TOOLS_DIR);
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(fs::path(c) / "import" / "import_keras.py", ec)) return c;
    }
    throw Error(ErrorCode::not_found, "import: cannot find tools/import (looked in " + candidates.back() + " and " +
                                          candidates[0] +
                                          "); set ACG2VEC_TOOLS to the folder that holds import/ and export/");
}

void check_python(const std::string& py, const SourceFormat& format) {
    const int status = run_program({py, "-c", std::string("import ") + format.modules}, true);
    if (status == 0) return;
    throw Error(ErrorCode::not_found, std::string("import: reading ") + format.what + " files needs Python 3 with " +
                                          format.modules + ", and " + py +
                                          (status < 0 ? " cannot be run" : " cannot import them") +
                                          " (on Debian 12: apt-get install python3 " + format.packages +
                                          "; another Python: set ACG2VEC_PYTHON)");
}

// Opens an imported file with every task its metadata declares, as a user will; (its metadata,
// its label count: a tagger's labels, else the scorer heads' labels, which one white pixel run
// through the model reports).
std::pair<ModelMetadata, std::size_t> open_imported(const std::string& path, const ModelOptions& model) {
    const Analyzer analyzer = Analyzer::open(path, model);
    std::size_t labels = 0;
    if (const Tagger* tagger = analyzer.tagger()) {
        labels = tagger->labels().size();
    } else if (const Scorer* scorer = analyzer.scorer()) {
        for (const HeadScore& head : scorer->score(Image{1, 1, 3, {255, 255, 255}}).heads) labels += head.labels.size();
    }
    return {analyzer.model().metadata(), labels};
}

int run_import(const CommonOptions& common, const ImportArgs& a) {
    const fs::path source(a.source);
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) throw Error(ErrorCode::not_found, a.source + ": no such file");
    const SourceFormat& format = format_of(a.source, a.preset);
    if ((a.preset == "custom") != !a.metadata.empty())
        throw Error(ErrorCode::invalid_argument, "--metadata goes with --preset custom, and --preset custom needs it");
    // How many label files each preset reads (custom: whatever its metadata names).
    const std::size_t wanted = a.preset == "deepdanbooru" ? 2 : 1;
    if (a.preset != "custom" && a.labels.size() != wanted)
        throw Error(ErrorCode::invalid_argument, "--labels: preset " + a.preset + " takes " + std::to_string(wanted) +
                                                     " label file" +
                                                     (wanted == 1 ? "" : "s (tags.txt, then tags-character.txt)") +
                                                     ", not " + std::to_string(a.labels.size()));
    if (!a.metadata.empty() && !fs::is_regular_file(a.metadata, ec))
        throw Error(ErrorCode::not_found, a.metadata + ": no such file (--metadata)");
    for (const auto& labels : a.labels) {
        if (!fs::is_regular_file(labels, ec)) throw Error(ErrorCode::not_found, labels + ": no such file (--labels)");
    }
    const fs::path out(a.out);
    const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
        throw Error(ErrorCode::io, a.out + ": the folder " + folder.string() + " does not exist (--out)");
    if (access(folder.c_str(), W_OK) != 0)
        throw Error(ErrorCode::io, a.out + ": the folder " + folder.string() + " is not writable (--out)");
    if (fs::is_directory(out, ec)) throw Error(ErrorCode::io, a.out + ": is a folder (--out names the file to write)");
    // First: this may run the program again with other BLAS kernels (cli/blas_kernels.hpp),
    // which must happen before the import, not after it.
    const ModelOptions model = model_options(common);
    const std::string py = python();
    check_python(py, format);
    const std::string tools = tools_folder();

    const fs::path partial = folder / ("." + out.filename().string() + ".import-" + std::to_string(getpid()));
    // --flag=value and the source after "--": values that start with "-" stay values.
    std::vector<std::string> argv = {py, (fs::path(tools) / "import" / format.converter).string(),
                                     "--preset=" + a.preset, "--out=" + partial.string()};
    for (const auto& labels : a.labels) argv.push_back("--labels=" + labels);
    if (!a.metadata.empty()) argv.push_back("--metadata=" + a.metadata);
    for (const auto& [flag, value] : {std::pair<const char*, const std::string&>{"--name", a.name},
                                      {"--version", a.version},
                                      {"--description", a.description}}) {
        if (!value.empty()) argv.push_back(flag + ("=" + value));
    }
    argv.insert(argv.end(), {"--", a.source});
    const int status = run_program(argv, common.quiet);
    if (status != 0) {
        fs::remove(partial, ec);
        throw Error(ErrorCode::model_load,
                    a.source + ": the import failed (" + argv[1] +
                        (status < 0 ? " could not start" : " exited with " + std::to_string(status)) +
                        "); nothing was written");
    }
    try {  // what the library itself makes of the file, before it takes the destination's name
        const auto [m, labels] = open_imported(partial.string(), model);
        fs::rename(partial, out, ec);
        if (ec) throw Error(ErrorCode::io, a.out + ": cannot write it (" + ec.message() + ")");
        out_line("imported " + a.source + " -> " + a.out + ": " + m.name + ", task " + m.task + ", " +
                 std::to_string(labels) + " labels, input " + std::to_string(m.preprocess->width) + "x" +
                 std::to_string(m.preprocess->height));
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    return exit_ok;
}

}  // namespace

void add_import_command(CLI::App& app, int& exit_code) {
    auto common = std::make_shared<CommonOptions>();
    auto args = std::make_shared<ImportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "import",
        "Turn an ONNX model (WD 1.4 v2 taggers, deepghs classifiers) or a Keras model as .h5 or TF.js "
        "(DeepDanbooru, nsfwjs) into an acg2vec model file");
    cmd->add_option("source", args->source, "the .onnx file, .h5 file or TF.js model.json")->required();
    cmd->add_option("--preset", args->preset, "how the model is used (docs/models.md)")
        ->required()
        ->check(CLI::IsMember({"wd14-v2", "deepghs-classify", "deepdanbooru", "nsfwjs", "custom"}));
    cmd->add_option("--labels", args->labels,
                    "label files (wd14-v2: selected_tags.csv; deepghs-classify: meta.json; deepdanbooru: tags.txt, "
                    "then tags-character.txt; nsfwjs: the class names; custom: the files --metadata names)");
    cmd->add_option("--metadata", args->metadata,
                    "--preset custom (ONNX): the acg2vec.json to write, without \"methods\" (docs/models.md)");
    cmd->add_option("-o,--out", args->out, "the acg2vec model file to write (.pt)")->required();
    cmd->add_option("--name", args->name, "model name recorded in the file (default: the source's stem)");
    cmd->add_option("--version", args->version, "model version recorded in the file");
    cmd->add_option("--description", args->description, "description recorded in the file");
    cmd->add_flag("-q,--quiet", common->quiet, "no notes or warnings from the converter");
    cmd->footer(
        "Runs tools/import/import_onnx.py (.onnx) or import_keras.py (.h5, model.json) with /usr/bin/python3\n"
        "(or $ACG2VEC_PYTHON), which needs Debian's python3-torch, and python3-onnx or python3-h5py. The file is\n"
        "checked against the source graph, then opened by acg2vec, before it is renamed to --out.\n"
        "Exit codes: 0 ok, 2 bad command line, 3 missing input or Python, 4 the import failed, 5 --out cannot be\n"
        "written.");
    cmd->callback([common, args, &exit_code] { exit_code = run_import(*common, *args); });
}

}  // namespace acg2vec::cli
