// Output formats. Every reporter takes the same sorted findings; none
// recomputes anything. Files are looked up only to print snippets.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"

namespace obslint {

struct Project;

struct ReportOptions {
  bool color = false;
  std::string tool_version;   // "0.1.0"
  std::string automation_id;  // SARIF automationDetails.id ("obslint/" + stack root)
  std::string uri_base;       // SARIF originalUriBaseIds SRCROOT (file:///abs/dir/)
  int files_checked = 0;      // summary line
};

void WriteText(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out);
void WriteJson(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out);
void WriteSarif(const std::vector<Finding>& findings, const Project& project,
                const ReportOptions& options, std::ostream& out);
void WriteGithub(const std::vector<Finding>& findings, const Project& project,
                 const ReportOptions& options, std::ostream& out);
void WriteMarkdown(const std::vector<Finding>& findings, const Project& project,
                   const ReportOptions& options, std::ostream& out);

// Stable fingerprint of a finding: hex hash of the code, the display path and
// the offending line's content with surrounding whitespace trimmed, so it
// survives edits that only move the line (SARIF partialFingerprints, baselines).
std::string LineHash(std::string_view code, std::string_view file, std::string_view line_text);

// Rule documentation embedded from rules/OBSnnn.md ("" when missing).
std::string_view RuleDoc(std::string_view code);
// Front matter value of a rule doc ("severity", "tags", ...).
std::string RuleDocField(std::string_view doc, std::string_view field);
// Body of a rule doc without its front matter.
std::string_view RuleDocBody(std::string_view doc);

}  // namespace obslint
