#include "cli/graph.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/output.h"
#include "discover/discover.h"
#include "knowledge/knowledge.h"
#include "report/graph.h"

namespace obslint {

CLI::App* DeclareGraphCommand(CLI::App& app, GraphOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "graph",
      "Print the stack's services and the connections between them, and the Grafana dashboards "
      "whose datasource references are broken (broken connections dashed)");
  cmd->add_option("PATH", o.path, "Stack directory (or compose file); default: the current directory");
  cmd->add_option("-f,--file", o.compose_files, "Compose file, repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--format", o.format, "Graph format")
      ->check(CLI::IsMember({"mermaid", "dot"}))
      ->type_name("mermaid|dot")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "Write the graph to FILE")->type_name("FILE");
  return cmd;
}

int RunGraph(const GraphOptions& o) {
  const Knowledge& knowledge = Knowledge::Embedded();
  LoadOptions lo;
  lo.path = o.path;
  lo.compose_files = o.compose_files;
  Project project;
  std::string error;
  if (!LoadProject(lo, knowledge, project, error)) {
    std::cerr << "obslint: " << error << "\n";
    return 2;
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!OpenOutput(o.output, file, out)) return 2;
  WriteGraph(project, knowledge, o.format, *out);
  out->flush();
  return *out ? 0 : 2;
}

}  // namespace obslint
