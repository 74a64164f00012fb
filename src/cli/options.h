// Command-line options, declared with CLI11. Kept apart from main.cpp so a
// man page and docs can be generated from the same declarations.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace obslint {

struct Options {
  std::vector<std::string> paths;
  std::vector<std::string> compose_files;
  std::vector<std::string> env_files;
  std::vector<std::string> profiles;  // --profile
  bool all_profiles = false;          // --all-profiles
  bool use_env = false;
  std::string format = "text";
  std::string output;
  std::string fail_level = "warning";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string color = "auto";
  bool list_rules = false;
  bool version = false;
  std::string explain;
  int jobs = 0;
  bool verbose = false;        // -v: what was checked against key tables, and what not
  std::string config;          // --config FILE
  bool no_config = false;      // --no-config
  std::string baseline;        // --baseline FILE
  std::string write_baseline;  // --write-baseline FILE
};

inline void DeclareOptions(CLI::App& app, Options& o) {
  app.add_option("PATH", o.paths,
                 "Stack directories (or compose files) to lint; default: the current directory");
  // One value per flag (repeat the flag for more), so `-f a.yaml .` keeps
  // `.` as PATH.
  app.add_option("-f,--file", o.compose_files,
                 "Compose file, repeatable; merged in order like `docker compose -f` (replaces "
                 "COMPOSE_FILE)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_option("--env-file", o.env_files,
                 "Variables for interpolation instead of the stack's .env, repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_option("--profile", o.profiles,
                 "Activate a Compose profile, repeatable (replaces COMPOSE_PROFILES)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  app.add_flag("--all-profiles", o.all_profiles,
               "Check the stack as if every profile were active (every service starts)");
  app.add_flag("--use-env", o.use_env,
               "Also read interpolation variables, COMPOSE_FILE, COMPOSE_PROFILES, "
               "COMPOSE_PROJECT_NAME and COMPOSE_ENV_FILES from the shell environment (off by "
               "default, so results do not depend on who runs obslint)");
  app.add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "markdown"}))
      ->type_name("text|json|sarif|github|markdown")
      ->capture_default_str();
  app.add_option("-o,--output", o.output, "Write the report to FILE instead of standard output")
      ->type_name("FILE");
  app.add_option("--fail-level", o.fail_level,
                 "Exit 1 when a finding has at least this severity")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}))
      ->type_name("error|warning|note|none")
      ->capture_default_str();
  app.add_option("--select", o.select,
                 "Only these rules: codes, names or code prefixes, comma-separated (OBS3,OBS701)")
      ->type_name("CODES")
      ->allow_extra_args(false);  // one value per flag, so `--select OBS2 .` keeps `.` as PATH
  app.add_option("--ignore", o.ignore, "Skip these rules (same forms as --select)")
      ->type_name("CODES")
      ->allow_extra_args(false);
  app.add_option("--color", o.color, "Colour the text output (auto: only on a terminal; honours NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("auto|always|never")
      ->capture_default_str();
  app.add_flag("-v,--verbose", o.verbose,
               "Also print to stderr which config files (and collector components) were checked "
               "against the key tables of the versions that read them, and which were skipped and "
               "why");
  app.add_option("-j,--jobs", o.jobs, "Stacks linted in parallel (default: one per core)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--config", o.config,
                 "Use this .obslint.yaml instead of the one found upward from the stack")
      ->type_name("FILE");
  app.add_flag("--no-config", o.no_config, "Ignore every .obslint.yaml");
  app.add_option("--baseline", o.baseline,
                 "Do not report findings accepted in this baseline (see --write-baseline)")
      ->type_name("FILE");
  app.add_option("--write-baseline", o.write_baseline,
                 "Write the current findings to FILE as a baseline and exit 0")
      ->type_name("FILE");
  app.add_flag("--list-rules", o.list_rules, "List every rule (with --format json|markdown for tables)");
  app.add_option("--explain", o.explain, "Print the documentation of a rule")->type_name("CODE");
  app.add_flag("-V,--version", o.version, "Print the version");
}

}  // namespace obslint
