// Where the CLI writes a report: standard output, or the file `--output`
// names (created or truncated only then; nothing is written unless asked).
#pragma once

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace obslint {

// With a non-empty `path`, opens it for writing and points `out` at it; on
// failure says why on stderr ("obslint: cannot write PATH: reason") and
// returns false. With an empty one, leaves `out` alone.
inline bool OpenOutput(const std::string& path, std::ofstream& file, std::ostream*& out) {
  if (path.empty()) return true;
  file.open(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    std::cerr << fmt::format("obslint: cannot write {}: {}\n", path, std::strerror(errno));
    return false;
  }
  out = &file;
  return true;
}

}  // namespace obslint
