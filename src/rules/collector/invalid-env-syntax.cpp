// OBS306 invalid-env-syntax: environment references the collector does not
// expand as written. The collector is not a shell:
//  - `${VAR:-default}` (no `env:` scheme) never applies the default: the
//    value expands to nothing or the collector fails to start;
//  - `$VAR` (no braces) is not expanded from v0.104 (confmap unified
//  expansion);
//  - `${env:VAR:-default}` is only understood from v0.110.
#include <fmt/format.h>

#include <set>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "rules/collector/collector_common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

enum class RefKind { kShellDefault, kBare, kEnvDefault };

struct Ref {
  RefKind kind;
  size_t offset;
  size_t length;
  std::string name;  // variable name
  std::string op;    // ":-", ":?", ":+"
  std::string arg;   // default text
};

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// `NAME:-arg` -> name, op, arg; false when `text` is not of that shape.
bool SplitShellDefault(std::string_view text, std::string &name, std::string &op,
                       std::string &arg) {
  size_t i = 0;
  if (text.empty() || !IsNameStart(text[0])) return false;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  std::string_view rest = text.substr(i);
  for (std::string_view candidate : {":-", ":?", ":+"}) {
    if (rest.starts_with(candidate)) {
      name = std::string(text.substr(0, i));
      op = std::string(candidate);
      arg = std::string(rest.substr(candidate.size()));
      return true;
    }
  }
  return false;
}

std::vector<Ref> FindRefs(std::string_view s) {
  std::vector<Ref> refs;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '$') continue;
    if (s[i + 1] == '$') {  // `$$` escapes a literal dollar
      ++i;
      continue;
    }
    if (s[i + 1] == '{') {
      int depth = 0;
      size_t j = i + 1;
      for (; j < s.size(); ++j) {
        if (s[j] == '{') ++depth;
        if (s[j] == '}' && --depth == 0) break;
      }
      if (j >= s.size()) break;  // unterminated: not a reference
      std::string_view content = s.substr(i + 2, j - i - 2);
      Ref ref{RefKind::kShellDefault, i, j - i + 1, "", "", ""};
      if (content.starts_with("env:")) {
        if (SplitShellDefault(content.substr(4), ref.name, ref.op, ref.arg) && ref.op == ":-") {
          ref.kind = RefKind::kEnvDefault;
          refs.push_back(ref);
        }
      } else if (SplitShellDefault(content, ref.name, ref.op, ref.arg)) {
        refs.push_back(ref);
      }
      i = j;
      continue;
    }
    if (IsNameStart(s[i + 1]) && (i == 0 || s[i - 1] != '\\')) {
      size_t j = i + 1;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      refs.push_back({RefKind::kBare, i, j - i, std::string(s.substr(i + 1, j - i - 1)), "", ""});
      i = j - 1;
    }
  }
  return refs;
}

// Exact position of the reference inside a one-line scalar, else the node
// start.
Location RefLocation(const yaml::Node *node, const SourceFile &file, const Ref &ref) {
  Location loc = yaml::LocationOf(node, file.path);
  std::string_view line = file.Line(node->line);
  size_t col0 = static_cast<size_t>(node->column > 0 ? node->column - 1 : 0);
  if (col0 >= line.size()) return loc;
  size_t start = col0;
  if (line[col0] == '"' || line[col0] == '\'') {
    start += 1;
  } else if (node->quoted) {
    return loc;  // block scalar: the text starts on a later line
  }
  std::string_view text = std::string_view(node->scalar).substr(ref.offset, ref.length);
  if (start + ref.offset + ref.length > line.size() ||
      line.substr(start + ref.offset, ref.length) != text)
    return loc;  // escapes or folding moved it: fall back to the scalar start
  loc.column = static_cast<int>(start + ref.offset + 1);
  loc.end_line = 0;
  loc.end_column = loc.column + static_cast<int>(ref.length);
  return loc;
}

struct Scan {
  const Project *p;
  const Knowledge *k;
  const SourceFile *file;
  const std::vector<collector::Runtime> *runtimes;
  Reporter *r;
  std::set<std::pair<int, int>> reported;
  std::unordered_set<const yaml::Node *> seen;
};

void Check(const yaml::Node *node, const Ref &ref, Scan &scan) {
  const CollectorBehaviour &cb = scan.k->Collector();
  std::string text = node->scalar.substr(ref.offset, ref.length);
  // The first runtime on whose releases the reference is wrong (all of them
  // preferred to some).
  const collector::Runtime *hit = nullptr;
  Judgement judged;
  for (const collector::Runtime &rt : *scan.runtimes) {
    Judgement j;
    switch (ref.kind) {
      case RefKind::kShellDefault:
        j.kind = Judgement::kYes;  // no release supports it
        break;
      case RefKind::kBare:
        j = rt.Judge(cb.bare_env_invalid_since);
        break;
      case RefKind::kEnvDefault:
        j = rt.Judge(Version{0, 0, 0, true}, cb.env_default_since);
        break;
    }
    if (j && (hit == nullptr || (j.Fully() && !judged.Fully()))) {
      hit = &rt;
      judged = j;
    }
  }
  if (hit == nullptr) return;
  Location loc = RefLocation(node, *scan.file, ref);
  if (!scan.reported.insert({loc.line, loc.column}).second) return;
  std::string since = cb.env_default_since.ToString();
  std::string message, help;
  switch (ref.kind) {
    case RefKind::kShellDefault: {
      message = fmt::format(
          "\"{}\" is shell syntax the collector does not support: it never falls "
          "back to \"{}\" (the value expands to nothing or the collector fails "
          "to start)",
          text, ref.arg);
      if (ref.op != ":-") {
        message = fmt::format(
            "\"{}\" is shell syntax the collector does not support (\"{}\" is "
            "not an operator it knows)",
            text, ref.op);
      }
      bool new_enough = hit->Judge(cb.env_default_since).Fully();
      if (ref.op == ":-" && new_enough) {
        help = fmt::format("write ${{env:{}:-{}}}", ref.name, ref.arg);
      } else if (ref.op == ":-") {
        help = fmt::format(
            "write ${{env:{0}}} (or ${{{0}}}) and set {0} in the collector "
            "container's environment; ${{env:{0}:-{1}}} needs collector {2} or "
            "newer",
            ref.name, ref.arg, since);
        if (hit->version.Known()) help += fmt::format(" (this image is {})", hit->Describe());
      } else {
        help = fmt::format(
            "write ${{env:{0}}} and set {0} in the collector container's "
            "environment",
            ref.name);
      }
      break;
    }
    case RefKind::kBare:
      message = fmt::format(
          "\"{}\" is not expanded by {}: from {} the collector only expands "
          "${{env:{}}} or ${{{}}}",
          text, collector::kRuntime, cb.bare_env_invalid_since.ToString(), ref.name, ref.name);
      help = fmt::format("write ${{env:{0}}}; for a literal dollar sign write $${0}", ref.name);
      break;
    case RefKind::kEnvDefault:
      message = fmt::format(
          "\"{}\" needs collector {} or newer for the \":-\" default, but this "
          "file runs on {}",
          text, since, collector::kRuntime);
      help = fmt::format(
          "upgrade the image to {} or newer, or write ${{env:{}}} and set the "
          "variable in the collector container's environment",
          since, ref.name);
      break;
  }
  if (ref.kind == RefKind::kShellDefault) {
    scan.r->Report("OBS306", loc, std::move(message), std::move(help));
    return;
  }
  collector::ReportFor(*scan.r, "OBS306", judged, *hit, loc, message, std::move(help));
}

void Walk(const yaml::Node *node, int depth, Scan &scan) {
  if (node == nullptr || depth > 64 || !scan.seen.insert(node).second) return;
  if (node->IsScalar()) {
    if (node->scalar.find('$') == std::string::npos) return;
    for (const Ref &ref : FindRefs(node->scalar)) Check(node, ref, scan);
  } else if (node->IsSequence()) {
    for (const yaml::Node *item : node->items) Walk(item, depth + 1, scan);
  } else if (node->IsMap()) {
    for (const auto &entry : node->entries) Walk(entry.second, depth + 1, scan);
  }
}

}  // namespace

void CheckInvalidEnvSyntax(const Project &p, const Knowledge &k, Reporter &r) {
  for (const CollectorConfig &c : p.collectors) {
    if (c.source == nullptr || c.source->yaml.root == nullptr) continue;
    std::vector<collector::Runtime> runtimes = collector::RuntimesOf(p, k, c);
    Scan scan{&p, &k, c.source, &runtimes, &r, {}, {}};
    Walk(c.source->yaml.root, 0, scan);
  }
}

}  // namespace obslint
