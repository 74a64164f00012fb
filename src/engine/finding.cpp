#include "engine/finding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
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

std::string LineHash(std::string_view code, std::string_view file, std::string_view line_text) {
  // Trim so re-indenting a block does not invalidate baselines.
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!line_text.empty() && is_space(line_text.front())) line_text.remove_prefix(1);
  while (!line_text.empty() && is_space(line_text.back())) line_text.remove_suffix(1);
  // FNV-1a 64: tiny, fast, and fixed forever (the value lands in baselines
  // and in GitHub's alert tracking, so it must never change between builds).
  uint64_t hash = 0xcbf29ce484222325ULL;
  auto feed = [&hash](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xff;  // separator that cannot occur in UTF-8 text
    hash *= 0x100000001b3ULL;
  };
  feed(code);
  feed(file);
  feed(line_text);
  return fmt::format("{:016x}", hash);
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
