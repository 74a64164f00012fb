// Wording of key-table findings (OBS104 unknown keys, OBS305 collector
// component settings, OBS103 wrong values), shared by the three rules so the
// same problem reads the same way in every format.
#pragma once

#include <fmt/format.h>

#include <string>

#include "analysis/config_keys.h"
#include "engine/reporter.h"

namespace obslint::keys {

// `setting "endpoint" of receiver "otlp"`, `key "server.http_listen_prt"`.
inline std::string Subject(const KeyFinding& f) {
  if (!f.component_kind.empty()) {
    std::string kind = f.component_kind;
    if (kind.ends_with('s')) kind.pop_back();
    return fmt::format("setting \"{}\" of {} \"{}\"", f.issue.path, kind, f.component_id);
  }
  return fmt::format("key \"{}\"", f.issue.path);
}

// "removed in 3.0.0", "needs 0.144.0 or newer", "accepted only by 2.9.0 up
// to (not including) 2.10.0", as seen from the releases the service runs.
inline std::string OtherReleases(const KeyIssue& issue, const VersionRange& service) {
  const auto& r = issue.accepted_in;
  bool all_before = !r.empty(), all_after = !r.empty();
  for (const auto& [since, until] : r) {
    if (!until || service.low < *until) all_before = false;
    if (!(service.high && *service.high <= since)) all_after = false;
  }
  if (all_before && r.back().second) return fmt::format("removed in {}", r.back().second->ToString());
  if (all_after) return fmt::format("needs {} or newer", r.front().first.ToString());
  return "accepted only by " + DescribeReleases(r);
}

inline std::string DidYouMean(const KeyIssue& issue) {
  return issue.suggestion.empty() ? std::string()
                                  : fmt::format("; did you mean \"{}\"?", issue.suggestion);
}

inline Location At(const KeyFinding& f) {
  const yaml::Node* n = f.issue.key ? f.issue.key : f.issue.value;
  return yaml::LocationOf(n, f.file->path);
}

// What the program does with a key it does not accept.
inline std::string Consequence(const KeyFinding& f) {
  return f.table->strict() ? "it refuses to start" : "it ignores the key";
}

// Unknown keys and keys of other releases (OBS104, OBS305). `subject_first`
// words collector settings as in 0.1: `setting "x" is not accepted by
// receiver "otlp" in otelcol-contrib 0.92.0`.
inline void ReportKey(Reporter& r, std::string_view code, const KeyFinding& f) {
  const KeyIssue& i = f.issue;
  std::string where = f.component_kind.empty()
                          ? fmt::format("by {}", f.reader)
                          : fmt::format("by {} \"{}\" in {}", [&] {
                              std::string kind = f.component_kind;
                              if (kind.ends_with('s')) kind.pop_back();
                              return kind;
                            }(), f.component_id, f.reader);
  std::string subject = f.component_kind.empty() ? fmt::format("key \"{}\"", i.path)
                                                 : fmt::format("setting \"{}\"", i.path);
  switch (i.kind) {
    case KeyIssue::Kind::kUnknown:
      r.Report(code, f.table->strict() ? Severity::kError : Severity::kWarning, At(f),
               fmt::format("{} is not accepted {}, so {}{}", subject, where, Consequence(f),
                           DidYouMean(i)),
               i.note);
      break;
    case KeyIssue::Kind::kOtherReleases:
      r.Report(code, f.table->strict() ? Severity::kError : Severity::kWarning, At(f),
               fmt::format("{} is not accepted {} ({}), so {}", subject, where,
                           OtherReleases(i, f.range), Consequence(f)),
               i.note);
      break;
    case KeyIssue::Kind::kPartly:
      r.Report(code, Severity::kNote, At(f),
               fmt::format("{} is accepted only by {} {}, but the image tag \"{}\" also allows "
                           "releases that do not accept it",
                           subject, f.table->program(), DescribeReleases(i.accepted_in), f.tag),
               i.note);
      break;
    default:
      break;
  }
}

}  // namespace obslint::keys
