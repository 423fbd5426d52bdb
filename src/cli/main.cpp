// acg2vec: tag, score, embed and search illustrations from the command line.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "acg2vec/error.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/version.hpp"
#include "cli/blas_kernels.hpp"
#include "cli/cli_common.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace acg2vec::cli;
    remember_command_line(argv);
    // A short-lived process that runs batches: keep freed activations for the next batch
    // (acg2vec/model.hpp; several times faster batches of 16).
    acg2vec::keep_freed_memory_for_reuse();
    CLI::App app{
        "acg2vec " + acg2vec::version() + ": tag, score and embed anime illustrations; search them by image or text",
        "acg2vec"};
    app.footer(
        "The model is --model FILE.pt or $ACG2VEC_MODEL. Output is for people; --json (one document) or\n"
        "--jsonl (a record per line) for scripts, schemas in docs/cli.md.\n"
        "Exit codes: 0 ok, 1 some inputs failed, 2 bad command line, 3 unusable input,\n"
        "4 model problem, 5 file or index problem, 70 internal error.");
    app.require_subcommand(1);
    app.set_version_flag("--version", acg2vec::version());
    int exit_code = exit_ok;
    add_model_commands(app, exit_code);
    add_vector_commands(app, exit_code);
    add_index_commands(app, exit_code);
    add_serve_command(app, exit_code);
    add_import_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    } catch (const acg2vec::Error& e) {
        std::fprintf(stderr, "acg2vec: %s\n", e.what());
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "acg2vec: internal error: %s\n", e.what());
        return exit_internal;
    }
    return exit_code;
}
