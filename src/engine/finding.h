// A finding is what every reporter prints. Rules create them through
// Reporter; reporters never recompute anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/location.h"

namespace obslint {

enum class Severity { kNote = 0, kWarning = 1, kError = 2 };
std::string_view SeverityName(Severity s);  // "note", "warning", "error"
bool ParseSeverity(std::string_view text, Severity& out);

struct Related {
  Location loc;
  std::string message;  // "exporter endpoint is here", ...
};

struct Finding {
  std::string code;  // "OBS305"
  std::string name;  // "invalid-component-key"
  Severity severity = Severity::kWarning;
  std::string message;
  Location loc;
  std::vector<Related> related;
  std::string help;
  std::string line_hash;  // hash of the offending line's content (baselines, SARIF fingerprints)
};

// Findings sorted by file, line, column, code, message: the one order every
// output uses, whatever order the rules ran in.
void SortFindings(std::vector<Finding>& findings);

}  // namespace obslint
