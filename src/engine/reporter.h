// Collects findings from rules. Severity comes from the rule table (possibly
// changed by .obslint.yaml); rules only say what and where.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/finding.h"

namespace obslint {

class Reporter {
 public:
  explicit Reporter(std::map<std::string, Severity, std::less<>> severity_overrides = {})
      : overrides_(std::move(severity_overrides)) {}

  // Reports `code` at `loc`. Returns the finding so callers may add related
  // locations or a help text.
  Finding& Report(std::string_view code, Location loc, std::string message, std::string help = {});
  // Same, with an explicit severity (rules whose level depends on the case,
  // e.g. OBS206 `${VAR:?}` is an error, OBS401 is an error on Loki >= 3).
  Finding& Report(std::string_view code, Severity severity, Location loc, std::string message,
                  std::string help = {});

  std::vector<Finding>& findings() { return findings_; }
  const std::vector<Finding>& findings() const { return findings_; }

 private:
  std::map<std::string, Severity, std::less<>> overrides_;
  std::vector<Finding> findings_;
};

}  // namespace obslint
