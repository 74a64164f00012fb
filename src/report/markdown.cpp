// Markdown for pull-request comments and job summaries ($GITHUB_STEP_SUMMARY).
#include <algorithm>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

// Long tables make PR comments unreadable (and GitHub caps a comment at
// 65536 characters); the full list is in the job log / SARIF.
constexpr size_t kMaxRows = 50;

// A table cell: `|` would end the cell and a newline the row.
std::string Cell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      out += "<br>";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Where(const Location& loc) {
  if (loc.line <= 0) return loc.file;
  if (loc.column <= 0) return fmt::format("{}:{}", loc.file, loc.line);
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

}  // namespace

void WriteMarkdown(const std::vector<Finding>& findings, const Project& /*project*/,
                   const ReportOptions& options, std::ostream& out) {
  out << "## obslint\n\n";
  std::vector<std::string> notes = report_internal::StackNotes(options.stacks);
  for (const std::string& line : notes) out << "- " << Cell(line) << '\n';
  if (!notes.empty()) out << '\n';
  if (findings.empty()) {
    out << "No findings.\n";
    return;
  }
  out << report_internal::SummaryLine(report_internal::CountFindings(findings),
                                      options.files_checked)
      << "\n\n";
  out << "| Severity | Code | Location | Message |\n";
  out << "| --- | --- | --- | --- |\n";
  size_t shown = std::min(findings.size(), kMaxRows);
  for (size_t i = 0; i < shown; ++i) {
    const Finding& f = findings[i];
    out << "| " << SeverityName(f.severity) << " | " << Cell(f.code) << " | "
        << Cell(Where(f.loc)) << " | " << Cell(f.message) << " |\n";
  }
  if (findings.size() > shown) out << "\nand " << findings.size() - shown << " more\n";
}

}  // namespace obslint
