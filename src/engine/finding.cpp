#include "engine/finding.h"

#include <algorithm>
#include <tuple>

namespace obslint {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "warning";
}

bool ParseSeverity(std::string_view text, Severity& out) {
  if (text == "error") out = Severity::kError;
  else if (text == "warning") out = Severity::kWarning;
  else if (text == "note" || text == "info") out = Severity::kNote;
  else return false;
  return true;
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column, a.code, a.message) <
           std::tie(b.loc.file, b.loc.line, b.loc.column, b.code, b.message);
  });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.code == b.code && a.loc == b.loc && a.message == b.message;
                             }),
                 findings.end());
}

}  // namespace obslint
