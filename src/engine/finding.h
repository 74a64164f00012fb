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

// Stable fingerprint of a finding: hex hash of the code, the display path and
// the offending line's content with surrounding whitespace trimmed, so it
// survives edits that only move the line (SARIF partialFingerprints, baselines).
std::string LineHash(std::string_view code, std::string_view file, std::string_view line_text);

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
  // The secret rules (OBS801-OBS803) underline a value, which the text output
  // masks; a finding of theirs that underlines something else (a service's
  // image) says so, and its snippet is shown as written.
  bool span_is_not_a_value = false;
};

// Findings sorted by file, line, column, code, message: the one order every
// output uses, whatever order the rules ran in.
void SortFindings(std::vector<Finding>& findings);

}  // namespace obslint
