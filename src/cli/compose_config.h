// `obslint compose-config [PATH]`: the Compose model as obslint resolves it
// (files merged, `include` and `extends` applied, interpolated, profiles
// decided), as JSON with the position of every value. For checking what
// obslint saw, like `docker compose config`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace obslint {

struct ComposeConfigOptions {
  std::string path = ".";
  std::vector<std::string> compose_files;
  std::vector<std::string> env_files;
  std::vector<std::string> profiles;
  bool all_profiles = false;
  bool use_env = false;
  std::string output;
};

CLI::App* DeclareComposeConfigCommand(CLI::App& app, ComposeConfigOptions& options);
// Exit code: 0, or 2 for a bad path / unwritable output.
int RunComposeConfig(const ComposeConfigOptions& options);

}  // namespace obslint
