#include "engine/engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "analysis/endpoints.h"
#include "engine/registry.h"
#include "engine/reporter.h"
#include "knowledge/knowledge.h"

namespace obslint {
namespace {

bool Matches(std::string_view pattern, const Rule& rule) {
  if (pattern == "ALL" || pattern == "all") return true;
  if (pattern == rule.name) return true;
  return rule.code.starts_with(pattern);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool RuleSelection::Enabled(std::string_view code) const {
  const Rule* rule = FindRule(code);
  if (rule == nullptr) return false;
  bool on = select.empty() || std::any_of(select.begin(), select.end(),
                                          [&](const std::string& p) { return Matches(p, *rule); });
  bool off = std::any_of(ignore.begin(), ignore.end(),
                         [&](const std::string& p) { return Matches(p, *rule); });
  return on && !off;
}

void CollectSuppressions(Project& project) {
  for (const SourceFile& file : project.files) {
    if (file.path.empty() || file.content.find("obslint:") == std::string::npos) continue;
    for (int line = 1; line <= file.LineCount(); ++line) {
      std::string_view text = file.Line(line);
      size_t at = text.find("obslint:");
      if (at == std::string_view::npos) continue;
      size_t hash = text.rfind('#', at);
      if (hash == std::string_view::npos) continue;
      if (hash > 0 && text[hash - 1] != ' ' && text[hash - 1] != '\t') continue;
      std::string_view rest = Trim(text.substr(at + 8));
      Suppression sup;
      if (rest.starts_with("ignore-file[")) {
        sup.whole_file = true;
        rest.remove_prefix(12);
      } else if (rest.starts_with("ignore[")) {
        rest.remove_prefix(7);
      } else {
        continue;
      }
      size_t close = rest.find(']');
      if (close == std::string_view::npos) continue;
      std::string_view codes = rest.substr(0, close);
      sup.reason = std::string(Trim(rest.substr(close + 1)));
      size_t pos = 0;
      while (pos <= codes.size()) {
        size_t comma = codes.find(',', pos);
        std::string_view c = Trim(codes.substr(pos, comma == codes.npos ? codes.npos : comma - pos));
        if (!c.empty()) sup.codes.emplace_back(c);
        if (comma == codes.npos) break;
        pos = comma + 1;
      }
      sup.loc = Location{file.path, line, static_cast<int>(hash) + 1, line,
                         static_cast<int>(text.size()) + 1};
      // A comment alone on its line covers the next line; a trailing one its own.
      bool alone = Trim(text.substr(0, hash)).empty();
      sup.applies_to_line = alone ? line + 1 : line;
      project.suppressions.push_back(std::move(sup));
    }
  }
}

std::vector<Finding> RunRules(const Project& project, const Knowledge& knowledge,
                              const RuleSelection& selection) {
  Reporter reporter(selection.severity);
  for (const LoadFinding& lf : project.load_findings) {
    if (!selection.Enabled(lf.code)) continue;
    Finding& f = reporter.Report(lf.code, lf.loc, lf.message, lf.help);
    for (const auto& [loc, msg] : lf.related) f.related.push_back({loc, msg});
  }
  {
    AnalysisScope shared_analysis;  // the rules of a stack share one analysis
    for (const Rule& rule : AllRules()) {
      if (rule.check == nullptr || !selection.Enabled(rule.code)) continue;
      rule.check(project, knowledge, reporter);
    }
  }
  std::vector<Finding> findings = std::move(reporter.findings());

  // A finding on a value a service inherits through `extends` points at the
  // base definition (maybe in another file): a note shows the `extends:`
  // that brings it into the service.
  for (Finding& f : findings) {
    for (const ExtendsLink& link : project.compose.extends) {
      if (f.loc.file != link.base_file || f.loc.line < link.first_line || f.loc.line > link.last_line)
        continue;
      f.related.push_back({link.extends_loc,
                           fmt::format("service \"{}\" inherits this from \"{}\" through `extends`",
                                       link.service, link.base_service)});
    }
  }

  // Inline suppressions.
  std::vector<bool> used(project.suppressions.size(), false);
  auto covers = [](const Suppression& s, const Finding& f) {
    if (s.loc.file != f.loc.file) return false;
    if (!s.whole_file && s.applies_to_line != f.loc.line) return false;
    return std::any_of(s.codes.begin(), s.codes.end(), [&](const std::string& c) {
      const Rule* r = FindRule(c);
      return r && r->code == f.code;
    });
  };
  std::erase_if(findings, [&](const Finding& f) {
    bool suppressed = false;
    for (size_t i = 0; i < project.suppressions.size(); ++i) {
      if (covers(project.suppressions[i], f)) {
        used[i] = true;
        suppressed = true;
      }
    }
    return suppressed;
  });
  if (selection.Enabled("OBS001")) {
    Reporter meta(selection.severity);
    for (size_t i = 0; i < project.suppressions.size(); ++i) {
      const Suppression& s = project.suppressions[i];
      if (used[i]) continue;
      std::vector<std::string> unknown;
      bool all_ran = true;
      for (const auto& c : s.codes) {
        const Rule* r = FindRule(c);
        if (r == nullptr) unknown.push_back(c);
        else if (!selection.Enabled(r->code)) all_ran = false;
      }
      if (!unknown.empty()) {
        meta.Report("OBS001", s.loc,
                    fmt::format("suppression names unknown rule {}", fmt::join(unknown, ", ")),
                    "use a code from `obslint --list-rules`");
      } else if (all_ran && !s.codes.empty()) {
        meta.Report("OBS001", s.loc,
                    fmt::format("suppression of {} matches no finding {}", fmt::join(s.codes, ", "),
                                s.whole_file ? "in this file" : fmt::format("on line {}", s.applies_to_line)),
                    "remove the comment: the problem it silenced is gone");
      }
    }
    for (auto& f : meta.findings()) findings.push_back(std::move(f));
  }
  SortFindings(findings);
  // Fingerprints for baselines and SARIF: code + file + the offending line.
  for (Finding& f : findings) {
    const SourceFile* file = project.FileByPath(f.loc.file);
    std::string_view line = file ? file->Line(f.loc.line) : std::string_view();
    f.line_hash = LineHash(f.code, f.loc.file, line);
  }
  return findings;
}

}  // namespace obslint
