// grafana.ini, read the way Grafana reads it: go-ini with its default load
// options (pkg/setting/setting.go: ini.Load).
// source: https://github.com/go-ini/ini/blob/v1.67.0/parser.go (parse,
//   readKeyName, readValue, hasSurroundedQuote)
// What matters for positions and values:
// - `[section]` starts a section (the text up to the last `]`, not trimmed);
//   keys before the first section belong to section "DEFAULT";
// - lines starting with `;` or `#` are comments;
// - `key = value` or `key: value`; the key is trimmed;
// - a value wrapped in """triple quotes""" or `backquotes` is taken as is
//   (and may span lines); otherwise a trailing `\` continues it on the next
//   line, the first `#` or `;` starts an inline comment, and one pair of
//   surrounding "double" or 'single' quotes is removed;
// - a later definition of a key wins.
// A line go-ini cannot read (no `=` or `:`, an empty key, an unclosed or
// empty section name) makes Grafana refuse to start; it is reported as OBS101.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "parse/parsers.h"

namespace obslint {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
std::string_view Trim(std::string_view s) { return TrimRight(TrimLeft(s)); }

bool SurroundedBy(std::string_view s, char q) {
  return s.size() >= 2 && s.front() == q && s.back() == q &&
         s.substr(1).find(q) == s.size() - 2;
}

class IniReader {
 public:
  IniReader(const SourceFile& file, GrafanaIni& out, std::vector<LoadFinding>& findings)
      : file_(file), out_(out), findings_(findings) {}

  void Run() {
    int lines = file_.LineCount();
    for (int line = 1; line <= lines; ++line) {
      std::string_view raw = file_.Line(line);
      if (line == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.remove_prefix(3);  // BOM
      size_t indent = raw.size() - TrimLeft(raw).size();
      std::string_view text = TrimRight(raw.substr(indent));
      if (text.empty() || text.front() == '#' || text.front() == ';') continue;
      int column = static_cast<int>(raw.data() - file_.Line(line).data() + indent) + 1;
      if (text.front() == '[') {
        size_t close = text.rfind(']');
        if (close == std::string_view::npos) {
          Syntax(line, column, "unclosed section header");
          return;
        }
        section_ = std::string(text.substr(1, close - 1));
        if (section_.empty()) {
          Syntax(line, column, "empty section name `[]`");
          return;
        }
        continue;
      }
      line = ReadKey(line, column, text);
      if (line < 0) return;
    }
  }

 private:
  // Reads `key = value` starting on `line`; returns the last line consumed
  // (values may continue), or -1 after a syntax error.
  int ReadKey(int line, int column, std::string_view text) {
    std::string key;
    size_t rest_at = 0;
    if (text.front() == '"' || text.front() == '`') {
      // A quoted key: "a = b" = c
      std::string_view quote = text.starts_with("\"\"\"") ? "\"\"\"" : text.substr(0, 1);
      size_t close = text.find(quote, quote.size());
      if (close == std::string_view::npos) {
        Syntax(line, column, "unclosed quoted key");
        return -1;
      }
      key = std::string(text.substr(quote.size(), close - quote.size()));
      size_t delim = text.find_first_of("=:", close + quote.size());
      if (delim == std::string_view::npos) {
        Syntax(line, column, fmt::format("no `=` after key {}", text.substr(0, close + 1)));
        return -1;
      }
      rest_at = delim + 1;
    } else {
      size_t delim = text.find_first_of("=:");
      if (delim == std::string_view::npos) {
        Syntax(line, column,
               fmt::format("line \"{}\" is neither a section, a comment nor `key = value`",
                           Shorten(text)));
        return -1;
      }
      if (delim == 0) {
        Syntax(line, column, fmt::format("line \"{}\" has no key before `{}`", Shorten(text), text[0]));
        return -1;
      }
      key = std::string(Trim(text.substr(0, delim)));
      rest_at = delim + 1;
    }
    GrafanaIniEntry e;
    e.section = section_.empty() ? "DEFAULT" : section_;
    e.key = std::move(key);
    e.key_loc = Location{file_.path, line, column, line,
                         column + static_cast<int>(TrimRight(text.substr(0, rest_at - 1)).size())};

    std::string_view after = text.substr(rest_at);
    size_t lead = after.size() - TrimLeft(after).size();
    std::string_view value = TrimLeft(after);
    int value_column = column + static_cast<int>(rest_at + lead);
    int last_line = line;

    // """multi-line""" and `multi-line` values are taken as written.
    std::string_view quote;
    if (value.size() > 3 && value.starts_with("\"\"\"")) quote = "\"\"\"";
    else if (!value.empty() && value.front() == '`') quote = "`";
    if (!quote.empty()) {
      std::string_view inner = value.substr(quote.size());
      size_t close = inner.rfind(quote);
      if (close != std::string_view::npos) {
        e.value = std::string(inner.substr(0, close));
        e.value_loc = Location{file_.path, line, value_column + static_cast<int>(quote.size()),
                               line, value_column + static_cast<int>(quote.size() + close)};
      } else {
        // Runs on until a line that holds the closing quote.
        std::string collected(inner);
        int l = line + 1;
        bool closed = false;
        for (; l <= file_.LineCount(); ++l) {
          std::string_view next = file_.Line(l);
          size_t at = next.find(quote);
          collected += '\n';
          if (at != std::string_view::npos) {
            collected += next.substr(0, at);
            closed = true;
            break;
          }
          collected += next;
        }
        if (!closed) {
          Syntax(line, value_column, fmt::format("value opened with {} is never closed", quote));
          return -1;
        }
        e.value = std::move(collected);
        e.value_loc = Location{file_.path, line, value_column + static_cast<int>(quote.size()), 0, 0};
        last_line = l;
      }
      out_.entries.push_back(std::move(e));
      return last_line;
    }

    // Continuation lines: a value ending in `\` goes on.
    std::string joined(TrimRight(value));
    bool continued = false;
    while (!joined.empty() && joined.back() == '\\' && last_line < file_.LineCount()) {
      joined.pop_back();
      joined += TrimRight(TrimLeft(file_.Line(++last_line)));
      continued = true;
    }
    std::string_view v = joined;
    size_t comment = v.find_first_of("#;");
    if (comment != std::string_view::npos) v = Trim(v.substr(0, comment));
    size_t shift = 0;
    if (SurroundedBy(v, '"') || SurroundedBy(v, '\'')) {
      v = v.substr(1, v.size() - 2);
      shift = 1;
    }
    e.value = std::string(v);
    int start = value_column + static_cast<int>(shift);
    e.value_loc = continued ? Location{file_.path, line, start, 0, 0}
                            : Location{file_.path, line, start, line,
                                       start + static_cast<int>(v.size())};
    out_.entries.push_back(std::move(e));
    return last_line;
  }

  static std::string Shorten(std::string_view s) {
    return s.size() > 40 ? std::string(s.substr(0, 37)) + "..." : std::string(s);
  }

  void Syntax(int line, int column, std::string message) {
    LoadFinding& f = findings_.emplace_back();
    f.code = "OBS101";
    f.loc = Location{file_.path, line, column, 0, 0};
    f.message = "grafana.ini syntax error: " + message + "; Grafana refuses to start";
    f.help = "write settings as `key = value` under a `[section]` header; comments start with `;` or `#`";
  }

  const SourceFile& file_;
  GrafanaIni& out_;
  std::vector<LoadFinding>& findings_;
  std::string section_;
};

}  // namespace

void ParseGrafanaIni(const SourceFile& file, GrafanaIni& out, std::vector<LoadFinding>& findings) {
  out.source = &file;
  IniReader(file, out, findings).Run();
}

}  // namespace obslint
