// Runs the selected rules over a loaded Project and returns sorted findings,
// with inline suppressions applied (OBS001 for the unused ones).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/finding.h"
#include "model/project.h"

namespace obslint {

class Knowledge;

struct RuleSelection {
  std::vector<std::string> select;  // codes, names or code prefixes ("OBS2"); empty = all
  std::vector<std::string> ignore;
  std::map<std::string, Severity, std::less<>> severity;  // per-code overrides
  bool Enabled(std::string_view code) const;
};

// Parses `# obslint: ignore[OBS806,OBS807] reason` and
// `# obslint: ignore-file[OBS807]` comments of every file in the project.
void CollectSuppressions(Project& project);

std::vector<Finding> RunRules(const Project& project, const Knowledge& knowledge,
                              const RuleSelection& selection);

}  // namespace obslint
