#include "cli/compose_config.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/output.h"
#include "discover/discover.h"
#include "knowledge/knowledge.h"
#include "report/report.h"

namespace obslint {

CLI::App* DeclareComposeConfigCommand(CLI::App& app, ComposeConfigOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "compose-config",
      "Print the Compose model obslint lints (files merged, include and extends applied, "
      "profiles decided) as JSON, with the position of every value");
  cmd->add_option("PATH", o.path,
                  "Stack directory (or compose file); default: the current directory");
  cmd->add_option("-f,--file", o.compose_files, "Compose file, repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--env-file", o.env_files, "Variables instead of the stack's .env, repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--profile", o.profiles, "Activate a Compose profile, repeatable")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--all-profiles", o.all_profiles, "Every profile active");
  cmd->add_flag("--use-env", o.use_env, "Also read variables from the shell environment");
  cmd->add_option("-o,--output", o.output, "Write the model to FILE")->type_name("FILE");
  return cmd;
}

int RunComposeConfig(const ComposeConfigOptions& o) {
  LoadOptions lo;
  lo.path = o.path;
  lo.compose_files = o.compose_files;
  lo.env_files = o.env_files;
  lo.profiles = o.profiles;
  lo.all_profiles = o.all_profiles;
  lo.use_env = o.use_env;
  Project project;
  std::string error;
  if (!LoadProject(lo, Knowledge::Embedded(), project, error)) {
    std::cerr << "obslint: " << error << "\n";
    return 2;
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!OpenOutput(o.output, file, out)) return 2;
  WriteComposeModel(project, *out);
  out->flush();
  return *out ? 0 : 2;
}

}  // namespace obslint
