// Finds every file of a stack, reads it safely and builds the Project.
#pragma once

#include <string>
#include <vector>

#include "model/project.h"

namespace obslint {

class Knowledge;

struct LoadOptions {
  std::string path;                        // stack directory, or a compose file
  std::vector<std::string> compose_files;  // -f, in order (relative to the working directory)
  std::vector<std::string> env_files;      // --env-file, replaces the stack's .env
  bool use_env = false;                    // shell environment feeds interpolation
  std::vector<std::string> profiles;       // --profile, repeatable (replaces COMPOSE_PROFILES)
  bool all_profiles = false;               // --all-profiles: every service starts
  std::vector<std::string> exclude;        // RE2 patterns on paths relative to the root
  size_t max_file_size = 16u << 20;        // larger files are OBS106 "too large"
};

// Loads the stack. Returns false (and sets `error`) only for problems of the
// command line: a missing path, or a directory without any compose file.
// Problems of the files themselves are findings in project.load_findings.
bool LoadProject(const LoadOptions& options, const Knowledge& knowledge, Project& project,
                 std::string& error);

// Whether `dir` holds a stack: a compose file (compose.yaml, compose.yml,
// docker-compose.yaml, docker-compose.yml, or another `*compose*.y?ml`
// that defines services — any such file when `lenient`), or a .env whose
// COMPOSE_FILE names the files.
bool IsStackDirectory(const std::string& dir, bool lenient);

// Every stack at `dir` or below it, at most `max_depth` directories down:
// `dir` itself first when it is one, then the others in path order, as
// `dir`/relative path. Hidden directories, dependencies and build output
// (node_modules, vendor, build, dist, target, ...) are not searched, nor
// symbolic links followed. A stack's subdirectories are searched too: the
// caller drops a stack whose compose file another stack reads (include,
// extends, COMPOSE_FILE).
std::vector<std::string> FindStacks(const std::string& dir, int max_depth = 6);

// Display path for an absolute path: relative to the working directory.
std::string DisplayPath(const std::string& abs_path);

}  // namespace obslint
