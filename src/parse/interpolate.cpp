#include "parse/interpolate.h"

namespace obslint {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

class Interpolator {
 public:
  Interpolator(const VarLookup& lookup, std::vector<InterpolationProblem>* problems)
      : lookup_(lookup), problems_(problems) {}

  // Expands text[pos, end). `top` collects top-level references.
  std::string Expand(std::string_view text, size_t base, std::vector<VarRef>* top, bool& unresolved) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (c != '$') {
        out += c;
        ++i;
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '$') {
        out += '$';
        i += 2;
        continue;
      }
      if (i + 1 < text.size() && IsNameStart(text[i + 1])) {
        size_t j = i + 1;
        while (j < text.size() && IsNameChar(text[j])) ++j;
        VarRef ref;
        ref.name = std::string(text.substr(i + 1, j - i - 1));
        ref.offset = base + i;
        ref.length = j - i;
        const std::string* v = lookup_(ref.name);
        if (v) out += *v; else unresolved = true;
        if (top) top->push_back(std::move(ref));
        i = j;
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '{') {
        size_t close = MatchingBrace(text, i + 1);
        if (close == std::string_view::npos) {
          Problem(InterpolationProblem::Type::kSyntax, "", "unterminated \"${\"", base + i);
          out.append(text.substr(i));
          return out;
        }
        std::string_view inner = text.substr(i + 2, close - i - 2);
        size_t n = 0;
        while (n < inner.size() && IsNameChar(inner[n])) ++n;
        if (n == 0 || !IsNameStart(inner[0])) {
          Problem(InterpolationProblem::Type::kSyntax, "",
                  "invalid interpolation format \"${" + std::string(inner) + "}\"", base + i);
          out.append(text.substr(i, close - i + 1));
          i = close + 1;
          continue;
        }
        VarRef ref;
        ref.name = std::string(inner.substr(0, n));
        ref.offset = base + i;
        ref.length = close - i + 1;
        ref.braced = true;
        std::string_view rest = inner.substr(n);
        size_t op_len = 0;
        if (rest.starts_with(":-") || rest.starts_with(":?") || rest.starts_with(":+")) op_len = 2;
        else if (!rest.empty() && (rest[0] == '-' || rest[0] == '?' || rest[0] == '+')) op_len = 1;
        else if (!rest.empty()) {
          Problem(InterpolationProblem::Type::kSyntax, "",
                  "invalid interpolation format \"${" + std::string(inner) + "}\"", base + i);
          out.append(text.substr(i, close - i + 1));
          i = close + 1;
          continue;
        }
        ref.op = std::string(rest.substr(0, op_len));
        ref.arg = std::string(rest.substr(op_len));
        size_t arg_base = base + i + 2 + n + op_len;
        const std::string* v = lookup_(ref.name);
        bool set = v != nullptr;
        bool nonempty = set && !v->empty();
        bool colon = op_len == 2;
        char op = op_len ? ref.op.back() : 0;
        if (op == 0) {
          if (set) out += *v; else unresolved = true;
        } else if (op == '-') {
          if (colon ? nonempty : set) out += *v;
          else out += Expand(ref.arg, arg_base, nullptr, unresolved);
        } else if (op == '?') {
          if (colon ? nonempty : set) {
            out += *v;
          } else {
            unresolved = true;
            bool dummy = false;
            Problem(InterpolationProblem::Type::kRequiredUnset, ref.name,
                    Expand(ref.arg, arg_base, nullptr, dummy), base + i);
          }
        } else if (op == '+') {
          if (colon ? nonempty : set) out += Expand(ref.arg, arg_base, nullptr, unresolved);
        }
        if (top) top->push_back(std::move(ref));
        i = close + 1;
        continue;
      }
      // A lone '$' (end of text, or before a character that starts no name)
      // stays as it is, as Compose does.
      out += '$';
      ++i;
    }
    return out;
  }

 private:
  static size_t MatchingBrace(std::string_view text, size_t open) {
    int depth = 0;
    for (size_t k = open; k < text.size(); ++k) {
      if (text[k] == '{') ++depth;
      else if (text[k] == '}' && --depth == 0) return k;
    }
    return std::string_view::npos;
  }

  void Problem(InterpolationProblem::Type type, std::string var, std::string message, size_t offset) {
    if (problems_) problems_->push_back({type, std::move(var), std::move(message), offset});
  }

  const VarLookup& lookup_;
  std::vector<InterpolationProblem>* problems_;
};

}  // namespace

Interpolated Interpolate(std::string_view raw, const VarLookup& lookup,
                         std::vector<InterpolationProblem>* problems) {
  Interpolated result;
  result.raw = std::string(raw);
  if (raw.find('$') == std::string_view::npos) {
    result.resolved = result.raw;
    return result;
  }
  Interpolator interpolator(lookup, problems);
  result.resolved = interpolator.Expand(raw, 0, &result.refs, result.unresolved);
  return result;
}

void CollectVariables(std::string_view raw, std::vector<VarRef>& out) {
  if (raw.find('$') == std::string_view::npos) return;
  static const VarLookup kNone = [](std::string_view) -> const std::string* { return nullptr; };
  Interpolated top = Interpolate(raw, kNone);
  for (VarRef& ref : top.refs) {
    std::string arg = ref.arg;
    size_t arg_offset = ref.offset + 2 + ref.name.size() + ref.op.size();
    out.push_back(ref);
    std::vector<VarRef> nested;
    CollectVariables(arg, nested);
    for (VarRef& n : nested) {
      n.offset += arg_offset;
      out.push_back(std::move(n));
    }
  }
}

}  // namespace obslint
