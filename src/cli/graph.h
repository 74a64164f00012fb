// `obslint graph [PATH] --format mermaid|dot`: the stack's services and the
// connections between them, as resolved by the endpoint engine.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace obslint {

struct GraphOptions {
  std::string path = ".";
  std::vector<std::string> compose_files;
  std::string format = "mermaid";
  std::string output;
};

CLI::App* DeclareGraphCommand(CLI::App& app, GraphOptions& options);
// Exit code: 0, or 2 for a bad path / unwritable output.
int RunGraph(const GraphOptions& options);

}  // namespace obslint
