// GitHub Actions workflow commands: one `::error|warning|notice ...::msg`
// line per finding, which the runner turns into annotations on the diff.
// Escaping follows the runner's toolkit (actions/toolkit command.ts).
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {

std::string GithubEscapeData(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string EscapeData(std::string_view s) { return GithubEscapeData(s); }

std::string EscapeProperty(std::string_view s) {
  std::string out;
  for (char c : EscapeData(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view Command(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "notice";
  }
  return "warning";
}

}  // namespace

void WriteGithub(const std::vector<Finding>& findings, const Project& project,
                 const ReportOptions& options, std::ostream& out) {
  using report_internal::Utf16Column;
  // About the stacks, not a place in a file: notices without a file.
  for (const std::string& line : report_internal::StackNotes(options.stacks))
    out << "::notice title=obslint::" << EscapeData(line) << '\n';
  for (const Finding& f : findings) {
    std::string props = "file=" + EscapeProperty(f.loc.file);
    const Location& loc = f.loc;
    if (loc.line > 0) {
      // GitHub counts columns in characters as its web UI does (UTF-16).
      std::string_view first = report_internal::LineText(project, loc);
      int end_line = loc.end_line > 0 ? loc.end_line : loc.line;
      props += fmt::format(",line={}", loc.line);
      if (loc.column > 0) props += fmt::format(",col={}", Utf16Column(first, loc.column));
      props += fmt::format(",endLine={}", end_line);
      if (loc.end_column > 0) {
        Location last = loc;
        last.line = end_line;
        props += fmt::format(",endColumn={}",
                             Utf16Column(report_internal::LineText(project, last), loc.end_column));
      }
    }
    props += ",title=" + EscapeProperty(fmt::format("{} {}", f.code, f.name));
    std::string message = f.message;
    if (!f.help.empty()) message += "\n" + f.help;
    out << "::" << Command(f.severity) << ' ' << props << "::" << EscapeData(message) << '\n';
  }
}

}  // namespace obslint
