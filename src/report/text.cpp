// The default, gcc/actionlint-style output:
//   file:line:col: severity: message [CODE]
//      63 |     labels:
//         |     ^~~~~~
//     note: ... (file:line:col)
//     help: ...
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/redact.h"
#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

constexpr int kTabStop = 8;  // as gcc and clang (-ftabstop default)

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kGreen = "\x1b[1;32m";

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return kRed;
    case Severity::kWarning: return kYellow;
    case Severity::kNote: return kCyan;
  }
  return kBold;
}

// Wraps `text` in `color` when colours are on.
std::string Paint(bool on, std::string_view color, std::string_view text) {
  if (!on) return std::string(text);
  return fmt::format("{}{}{}", color, text, kReset);
}

std::string Position(const Location& loc) {
  if (loc.line <= 0) return loc.file;
  if (loc.column <= 0) return fmt::format("{}:{}", loc.file, loc.line);
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

// A source line as displayed, and the display column where each byte starts,
// so the underline lands under the right characters whatever tabs and UTF-8
// the line holds. display_col has size()+1 entries (the last is the end).
struct DisplayLine {
  std::string text;
  std::vector<int> display_col;
};

DisplayLine Expand(std::string_view line) {
  DisplayLine out;
  int col = 0;
  for (unsigned char c : line) {
    out.display_col.push_back(col);
    if (c == '\t') {
      int n = kTabStop - col % kTabStop;
      out.text.append(n, ' ');
      col += n;
    } else if (c < 0x20 || c == 0x7f) {
      // Never copy control characters (escape sequences) to a terminal.
      out.text += '?';
      ++col;
    } else {
      out.text += static_cast<char>(c);
      if ((c & 0xC0) != 0x80) ++col;  // continuation bytes add no width
    }
  }
  out.display_col.push_back(col);
  return out;
}

// Display column of 1-based byte column `byte_column` (past the end: one
// column per missing byte).
int DisplayColumn(const DisplayLine& line, int byte_column) {
  int index = byte_column - 1;
  int last = static_cast<int>(line.display_col.size()) - 1;
  if (index <= last) return line.display_col[index];
  return line.display_col[last] + (index - last);
}

// Rules whose underlined span is a secret value. Messages are masked by the
// rules; the snippet would otherwise print the raw value back.
bool SpanIsSecret(const Finding& f) {
  if (f.span_is_not_a_value) return false;
  return f.code == "OBS801" || f.code == "OBS802" || f.code == "OBS803";
}

void WriteSnippet(Finding f, std::string_view original, bool color, std::ostream& out) {
  // Secrets elsewhere on the line (a password in a URL, a *_PASSWORD value)
  // never reach the terminal, whatever the rule.
  bool same_line = f.loc.end_line == 0 || f.loc.end_line == f.loc.line;
  bool span_secret = SpanIsSecret(f) && f.loc.column > 0 && same_line;
  size_t keep_from = span_secret ? static_cast<size_t>(f.loc.column - 1) : 0;
  size_t keep_to = span_secret ? static_cast<size_t>(report_internal::EndByteColumn(
                                     original, f.loc.column, f.loc.end_column) - 1)
                               : 0;
  std::string redacted = report_internal::RedactSecretsInLine(original, keep_from, keep_to);
  std::string_view raw = redacted;
  std::string masked;
  std::string_view source = raw;
  if (SpanIsSecret(f) && f.loc.column > 0 && same_line &&
      f.loc.column - 1 < static_cast<int>(raw.size())) {
    size_t start = f.loc.column - 1;
    size_t end = std::min<size_t>(raw.size(), report_internal::EndByteColumn(
                                                  raw, f.loc.column, f.loc.end_column) - 1);
    if (f.loc.end_column == 0) end = raw.size();  // unknown end: hide the rest of the line
    std::string mask = MaskSecret(raw.substr(start, end - start));
    masked = std::string(raw.substr(0, start)) + mask + std::string(raw.substr(end));
    source = masked;
    f.loc.end_column = f.loc.column + static_cast<int>(mask.size());
  }
  DisplayLine line = Expand(source);
  std::string number = std::to_string(f.loc.line);
  int width = std::max<int>(5, static_cast<int>(number.size()));
  std::string gutter(width, ' ');
  out << fmt::format("{:>{}} |", number, width);
  if (!line.text.empty()) out << ' ' << line.text;
  out << '\n';
  if (f.loc.column <= 0) return;
  int start = DisplayColumn(line, f.loc.column);
  int end;
  if (same_line) {
    end = DisplayColumn(line, report_internal::EndByteColumn(source, f.loc.column, f.loc.end_column));
  } else {
    // Spans several lines: underline to the end of the first.
    end = DisplayColumn(line, static_cast<int>(source.size()) + 1);
  }
  if (end <= start) end = start + 1;
  std::string marker(1, '^');  // not "^" + std::string: GCC 12 -Wrestrict false positive
  marker.append(static_cast<size_t>(end - start - 1), '~');
  out << gutter << " | " << std::string(start, ' ') << Paint(color, kGreen, marker) << '\n';
}

void WriteFinding(const Finding& f, const Project& project, bool color, std::ostream& out) {
  std::string severity = fmt::format("{}:", SeverityName(f.severity));
  out << Paint(color, kBold, Position(f.loc) + ":") << ' '
      << Paint(color, SeverityColor(f.severity), severity) << ' ' << f.message << " [" << f.code
      << "]\n";
  if (f.loc.line > 0) {
    const SourceFile* file = project.FileByPath(f.loc.file);
    if (file != nullptr && f.loc.line <= file->LineCount())
      WriteSnippet(f, file->Line(f.loc.line), color, out);
  }
  for (const Related& r : f.related) {
    out << "  " << Paint(color, kCyan, "note:") << ' ' << r.message << " (" << Position(r.loc)
        << ")\n";
  }
  if (!f.help.empty()) out << "  " << Paint(color, kBold, "help:") << ' ' << f.help << '\n';
}

}  // namespace

void WriteText(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out) {
  std::vector<std::string> notes = report_internal::StackNotes(options.stacks);
  for (const std::string& line : notes) out << line << '\n';
  if (!notes.empty()) out << '\n';
  for (const Finding& f : findings) {
    WriteFinding(f, project, options.color, out);
    out << '\n';
  }
  out << report_internal::SummaryLine(report_internal::CountFindings(findings),
                                      options.files_checked)
      << '\n';
}

}  // namespace obslint
