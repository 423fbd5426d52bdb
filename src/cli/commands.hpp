// Registration of the acg2vec subcommands; each adds itself to the app and runs from its
// callback. A callback throws acg2vec::Error for a fatal problem, or sets `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace acg2vec::cli {

void add_model_commands(CLI::App& app, int& exit_code);   // info, tag, score
void add_vector_commands(CLI::App& app, int& exit_code);  // embed, similar, tokenize
void add_index_commands(CLI::App& app, int& exit_code);   // index build/add/remove/neighbours, search, dedupe
void add_serve_command(CLI::App& app, int& exit_code);    // serve
void add_import_command(CLI::App& app, int& exit_code);   // import

}  // namespace acg2vec::cli
