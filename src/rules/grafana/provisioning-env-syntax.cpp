// OBS506 provisioning-env-syntax: `$` syntax in a Grafana provisioning file
// (apiVersion 1) that Grafana's expansion does not do what the author meant.
//
// Grafana expands every value of a provisioning file (not the keys): it splits
// the text on "$$" (a literal "$"), applies the $__env{}/$__file{}/$__vault{}
// expanders, then Go's os.ExpandEnv (pkg/services/provisioning/values/values.go).
// os.ExpandEnv knows only $VAR and ${VAR}: "${VAR:-default}" looks up a
// variable literally named "VAR:-default" and yields "", and Grafana's own
// template variables ("${__value.raw}", "$__tags", "${__span.tags.x}") are
// replaced with "" too unless written with "$$". Files without apiVersion are
// read by the version 0 reader, which expands nothing, and are skipped.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <unordered_set>

#include "rules/rules.h"

namespace obslint {
namespace {

using yaml::Node;

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct Problem {
  size_t offset = 0;   // of '$' in the scalar
  std::string text;    // the whole reference as written
  std::string shown;   // what the message quotes (defaults hidden: they may be secrets)
  std::string name;    // variable name (shell form)
  bool shell = false;  // ${VAR<op>...}; otherwise a Grafana template variable
};

// The problems in one scalar, in order.
std::vector<Problem> Scan(std::string_view s) {
  std::vector<Problem> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) continue;
    if (s[i + 1] == '$') {  // "$$": a literal dollar
      ++i;
      continue;
    }
    // Grafana's expanders run before the environment: $__env{X}, $__file{p}, $__vault{p}.
    for (std::string_view e : {"$__env{", "$__file{", "$__vault{"}) {
      if (s.substr(i).starts_with(e)) {
        size_t close = s.find('}', i);
        if (close != std::string_view::npos) i = close;
        goto next;
      }
    }
    if (s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos || close == i + 2) continue;
      std::string_view body = s.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < body.size() && IsNameChar(body[n])) ++n;
      bool ident = n > 0 && IsNameStart(body[0]);
      Problem p;
      p.offset = i;
      p.text = std::string(s.substr(i, close - i + 1));
      if (ident && n == body.size()) {
        if (!body.starts_with("__")) continue;  // ${VAR}: fine
        p.shown = p.text;
      } else if (ident) {
        std::string_view rest = body.substr(n);
        std::string_view op;
        for (std::string_view o : {":-", ":=", ":?", ":+", "-", "=", "?", "+"}) {
          if (rest.starts_with(o)) {
            op = o;
            break;
          }
        }
        if (!op.empty() && !body.starts_with("__")) {
          p.shell = true;
          p.name = std::string(body.substr(0, n));
          p.shown = fmt::format("${{{}{}...}}", p.name, op);
        } else {
          p.shown = p.text;
        }
      } else if (body.starts_with("__")) {
        p.shown = p.text;
      } else {
        continue;  // "${.x}", "${ x }": not ours to judge
      }
      out.push_back(std::move(p));
      i = close;
    } else if (IsNameStart(s[i + 1])) {
      size_t end = i + 1;
      while (end < s.size() && IsNameChar(s[end])) ++end;
      std::string_view name = s.substr(i + 1, end - i - 1);
      if (name.starts_with("__") && name.size() > 2) {
        Problem p;
        p.offset = i;
        p.text = std::string(s.substr(i, end - i));
        p.shown = p.text;
        out.push_back(std::move(p));
      }
      i = end - 1;
    }
  next:;
  }
  return out;
}

class Walker {
 public:
  Walker(const SourceFile& file, Reporter& r) : file_(file), r_(r) {}

  void Walk(const Node* node) {
    if (node == nullptr || !seen_.insert(node).second) return;
    if (node->IsMap()) {
      for (const auto& [key, value] : node->entries) Walk(value);  // keys are not expanded
    } else if (node->IsSequence()) {
      for (const Node* item : node->items) Walk(item);
    } else if (node->IsScalar() && node->scalar.find('$') != std::string::npos) {
      search_from_ = Offset(node->line, node->column);
      for (const Problem& p : Scan(node->scalar)) Report(node, p);
    }
  }

 private:
  size_t Offset(int line, int column) const {
    if (line < 1 || line > file_.LineCount()) return file_.content.size();
    return file_.line_starts[line - 1] + std::max(column - 1, 0);
  }

  // Where `p` is written in the file: searched in the raw text from the
  // scalar's start, so quotes and block scalars need no special handling.
  Location Where(const Node* node, const Problem& p) {
    Location loc = yaml::LocationOf(node, file_.path);
    size_t at = file_.content.find(p.text, std::min(search_from_, file_.content.size()));
    size_t limit = Offset(node->line, node->column) + node->scalar.size() * 2 + 256;
    if (at == std::string::npos || at > limit) return loc;
    search_from_ = at + p.text.size();
    auto it = std::upper_bound(file_.line_starts.begin(), file_.line_starts.end(), at);
    int line = static_cast<int>(it - file_.line_starts.begin());
    loc.line = line;
    loc.column = static_cast<int>(at - file_.line_starts[line - 1]) + 1;
    loc.end_line = 0;
    loc.end_column = p.text.find('\n') == std::string::npos
                         ? loc.column + static_cast<int>(p.text.size())
                         : 0;
    return loc;
  }

  void Report(const Node* node, const Problem& p) {
    Location loc = Where(node, p);
    if (p.shell) {
      r_.Report("OBS506", loc,
                fmt::format("\"{}\" is shell syntax that Grafana provisioning does not support: it "
                            "looks up a variable named \"{}\" and substitutes an empty string",
                            p.shown, p.shown.substr(2, p.shown.size() - 3)),
                fmt::format("write ${{{}}} here and give {} its default in the Grafana service's "
                            "environment instead (Compose accepts `{}: ${{{}:-...}}` there)",
                            p.name, p.name, p.name, p.name));
    } else {
      r_.Report("OBS506", loc,
                fmt::format("\"{}\" is a Grafana variable, but provisioning expands it as an "
                            "environment variable and substitutes an empty string",
                            p.shown),
                fmt::format("escape the dollar: write \"${}\" to keep the variable", p.text));
    }
  }

  const SourceFile& file_;
  Reporter& r_;
  std::unordered_set<const Node*> seen_;
  size_t search_from_ = 0;
};

// apiVersion 1 and later expand values; version 0 (no apiVersion) does not.
bool Expands(const Node* root) {
  if (root == nullptr || !root->IsMap()) return false;
  const Node* v = root->Get("apiVersion");
  return v != nullptr && v->IsScalar() && !v->scalar.empty() && v->scalar != "0";
}

void CheckFile(const SourceFile* file, Reporter& r) {
  if (file == nullptr || !Expands(file->yaml.root)) return;
  Walker(*file, r).Walk(file->yaml.root);
}

}  // namespace

void CheckProvisioningEnvSyntax(const Project& p, const Knowledge&, Reporter& r) {
  for (const auto& f : p.datasource_files) CheckFile(f.source, r);
  for (const auto& f : p.dashboard_files) CheckFile(f.source, r);
}

}  // namespace obslint
