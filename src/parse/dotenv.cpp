// .env files in the dialect Docker Compose reads: KEY=VALUE lines, optional
// `export `, `#` comments, single quotes (literal), double quotes (escapes,
// may span lines), inline ` #` comments after unquoted values.
#include <fmt/format.h>

#include <algorithm>

#include "parse/interpolate.h"
#include "parse/parsers.h"

namespace obslint {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

void Bad(const SourceFile& file, int line, int column, std::string message,
         std::vector<LoadFinding>& findings) {
  LoadFinding f;
  f.code = "OBS105";
  f.loc = Location{file.path, line, column, 0, 0};
  f.message = std::move(message);
  findings.push_back(std::move(f));
}

}  // namespace

void ParseDotenv(const SourceFile& file, EnvFile& out, std::vector<LoadFinding>& findings) {
  out.source = &file;
  std::string_view text = file.content;
  size_t pos = 0;
  int line = 1;
  auto lookup = [&out](std::string_view name) -> const std::string* {
    const EnvEntry* e = out.Find(name);
    return e ? &e->value : nullptr;
  };
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view l = text.substr(pos, eol - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    int this_line = line;
    size_t next = eol + 1;
    ++line;

    size_t i = 0;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    if (i == l.size() || l[i] == '#') {
      pos = next;
      continue;
    }
    if (l.substr(i, 7) == "export " ) {
      i += 7;
      while (i < l.size() && l[i] == ' ') ++i;
    }
    size_t key_start = i;
    while (i < l.size() && IsKeyChar(l[i])) ++i;
    std::string key(l.substr(key_start, i - key_start));
    size_t after_key = i;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    if (!key.empty() && i >= l.size()) {
      // A bare `KEY` line: Compose takes the value from its own environment
      // ("inherited"); without --use-env the value is unknown, so no entry.
      pos = next;
      continue;
    }
    if (key.empty() || i >= l.size() || (l[i] != '=' && l[i] != ':')) {
      if (!key.empty() && after_key < i && IsKeyChar(l[i]))
        Bad(file, this_line, static_cast<int>(after_key) + 1,
            fmt::format("variable name \"{}\" contains a space (Compose: key cannot contain a "
                        "space)",
                        l.substr(key_start, std::min(l.find_first_of("=:", i), l.size()) - key_start)),
            findings);
      else if (key.empty())
        Bad(file, this_line, static_cast<int>(key_start) + 1,
            fmt::format("expected a variable name at \"{}\"", l.substr(key_start, 20)), findings);
      else if (after_key < l.size() && l[after_key] != ' ' && l[after_key] != '\t')
        Bad(file, this_line, static_cast<int>(after_key) + 1,
            fmt::format("invalid character '{}' in variable name \"{}\"", l[after_key], key), findings);
      else
        Bad(file, this_line, static_cast<int>(key_start) + 1,
            fmt::format("line is not KEY=VALUE: \"{}\" has no '='", key), findings);
      pos = next;
      continue;
    }
    ++i;  // '='
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    EnvEntry entry;
    entry.key = key;
    entry.key_loc = Location{file.path, this_line, static_cast<int>(key_start) + 1,
                             this_line, static_cast<int>(key_start + key.size()) + 1};
    entry.value_loc = Location{file.path, this_line, static_cast<int>(i) + 1, 0, 0};
    if (i < l.size() && (l[i] == '"' || l[i] == '\'')) {
      char quote = l[i];
      entry.quoted = true;
      // The value may continue on the following lines (double quotes only).
      size_t abs = pos + i + 1;
      std::string value;
      bool closed = false;
      size_t k = abs;
      for (; k < text.size(); ++k) {
        char c = text[k];
        if (c == quote) {
          closed = true;
          break;
        }
        if (c == '\n') {
          if (quote == '\'') break;
          ++line;
        }
        if (quote == '"' && c == '\\' && k + 1 < text.size()) {
          char e = text[++k];
          switch (e) {
            case 'n': value += '\n'; break;
            case 't': value += '\t'; break;
            case 'r': value += '\r'; break;
            case '\\': value += '\\'; break;
            case '"': value += '"'; break;
            case '$': value += "$$"; break;
            default: value += '\\'; value += e;
          }
          continue;
        }
        value += c;
      }
      if (!closed) {
        Bad(file, this_line, static_cast<int>(i) + 1,
            fmt::format("unterminated {} quote in the value of \"{}\"",
                        quote == '"' ? "double" : "single", key), findings);
        line = this_line + 1;
        pos = next;
        continue;
      }
      if (quote == '"') {
        entry.value = Interpolate(value, lookup).resolved;
      } else {
        entry.value = value;
      }
      entry.value_loc.end_line = this_line;
      entry.value_loc.end_column = static_cast<int>(i + value.size()) + 3;
      // Skip to the end of the line holding the closing quote.
      size_t line_end = text.find('\n', k);
      next = line_end == std::string_view::npos ? text.size() : line_end + 1;
      out.entries.push_back(std::move(entry));
      pos = next;
      continue;
    }
    // Unquoted: up to an inline comment (" #"), trailing blanks trimmed.
    std::string_view v = l.substr(i);
    for (size_t k = 0; k < v.size(); ++k) {
      if (v[k] == '#' && k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t')) {
        v = v.substr(0, k);
        break;
      }
    }
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    entry.value = Interpolate(v, lookup).resolved;
    entry.value_loc.end_line = this_line;
    entry.value_loc.end_column = static_cast<int>(i + v.size()) + 1;
    out.entries.push_back(std::move(entry));
    pos = next;
  }
}

}  // namespace obslint
