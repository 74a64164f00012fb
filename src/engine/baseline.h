// Baselines: a file of accepted findings that later runs do not report.
// A finding matches by code, file and a hash of the offending line's content
// (LineHash), not by line number, so entries survive edits that move lines;
// fixed findings simply stop matching.
#pragma once

#include <string>
#include <vector>

#include "engine/finding.h"
#include "model/project.h"

namespace obslint {

struct BaselineEntry {
  std::string code;
  std::string file;  // relative to the baseline file's directory
  std::string hash;  // LineHash(code, file, trimmed line)
};

// Writes `findings` as a baseline to `path` (JSON). False + `error` on failure.
bool WriteBaseline(const std::string& path, const std::vector<Finding>& findings,
                   const Project& project, std::string& error);

// Reads a baseline. False + `error` when the file is missing or malformed.
bool ReadBaseline(const std::string& path, std::vector<BaselineEntry>& entries, std::string& error);

// Drops the findings the baseline accepts (each entry accepts one finding).
// Returns how many were dropped.
size_t ApplyBaseline(const std::string& path, const std::vector<BaselineEntry>& entries,
                     const Project& project, std::vector<Finding>& findings);

}  // namespace obslint
