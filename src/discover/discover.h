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
  std::vector<std::string> exclude;        // RE2 patterns on paths relative to the root
  size_t max_file_size = 16u << 20;        // larger files are OBS106 "too large"
};

// Loads the stack. Returns false (and sets `error`) only for problems of the
// command line: a missing path, or a directory without any compose file.
// Problems of the files themselves are findings in project.load_findings.
bool LoadProject(const LoadOptions& options, const Knowledge& knowledge, Project& project,
                 std::string& error);

// Display path for an absolute path: relative to the working directory.
std::string DisplayPath(const std::string& abs_path);

}  // namespace obslint
