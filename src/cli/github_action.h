// `obslint github-action`: the GitHub Action's entrypoint, inside the binary
// because the published image (FROM scratch) has no shell. It reads the
// action's inputs from INPUT_* variables and, in one step, writes the SARIF
// file, workflow annotations (capped as GitHub shows them), the full report in
// a log group, the step summary (counts, table, stack graph) and the outputs.
#pragma once

#include <CLI/CLI.hpp>

namespace obslint {

// obslint's own command line (main.cpp's Run): the action lints by calling it
// with the options its inputs translate to, so every option, config file and
// exit status behaves exactly as on the command line.
using CommandLine = int (*)(int argc, char** argv);

CLI::App* DeclareGithubActionCommand(CLI::App& app);

// Exit status: 0, 1 when a finding reaches the fail-level input, 2 on a bad
// input, command line or configuration, 3 on an internal error.
int RunGithubAction(CommandLine obslint);

}  // namespace obslint
