// Rule docs (rules/OBSnnn.md, embedded into the binary): a small YAML front
// matter between `---` lines, then Markdown. Only the few flat fields we
// write ourselves are read, so a full YAML parser is not needed here.
#include <string>

#include "embed/embedded.h"
#include "report/report.h"

namespace obslint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Next line of `text` starting at `pos` (without its newline); advances pos.
std::string_view NextLine(std::string_view text, size_t& pos) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  pos = end < text.size() ? end + 1 : text.size();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Splits a doc into front matter and body; false when there is none.
bool SplitFrontMatter(std::string_view doc, std::string_view& front, std::string_view& body) {
  size_t pos = 0;
  if (Trim(NextLine(doc, pos)) != "---") return false;
  size_t front_start = pos;
  while (pos < doc.size()) {
    size_t line_start = pos;
    if (Trim(NextLine(doc, pos)) == "---") {
      front = doc.substr(front_start, line_start - front_start);
      body = doc.substr(pos);
      return true;
    }
  }
  return false;
}

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return std::string(v.substr(1, v.size() - 2));
  // Plain scalar: a ` #` starts a comment.
  size_t hash = v.find(" #");
  if (hash != std::string_view::npos) v = Trim(v.substr(0, hash));
  return std::string(v);
}

}  // namespace

std::string_view RuleDoc(std::string_view code) {
  std::string name = "rules/";
  name += code;
  name += ".md";
  return embedded::Get(name);
}

std::string RuleDocField(std::string_view doc, std::string_view field) {
  std::string_view front, body;
  if (field.empty() || !SplitFrontMatter(doc, front, body)) return {};
  size_t pos = 0;
  while (pos < front.size()) {
    std::string_view line = NextLine(front, pos);
    // Top-level keys only: indented lines belong to a nested value.
    if (line.size() <= field.size() || line.substr(0, field.size()) != field ||
        line[field.size()] != ':')
      continue;
    std::string_view value = Trim(line.substr(field.size() + 1));
    if (!value.empty()) return Unquote(value);
    // A block list (`tags:` then `  - a` lines) is returned in flow form so
    // callers parse one shape only.
    std::string list;
    while (pos < front.size()) {
      size_t save = pos;
      std::string_view item = Trim(NextLine(front, pos));
      if (item.empty()) continue;
      if (item.front() != '-') {
        pos = save;
        break;
      }
      if (!list.empty()) list += ", ";
      list += Unquote(Trim(item.substr(1)));
    }
    return list.empty() ? std::string() : "[" + list + "]";
  }
  return {};
}

std::string_view RuleDocBody(std::string_view doc) {
  std::string_view front, body;
  if (!SplitFrontMatter(doc, front, body)) body = doc;
  // Leading blank lines are layout, not content.
  size_t pos = 0;
  while (pos < body.size()) {
    size_t line_start = pos;
    if (!Trim(NextLine(body, pos)).empty()) {
      pos = line_start;
      break;
    }
  }
  return body.substr(pos);
}

}  // namespace obslint
