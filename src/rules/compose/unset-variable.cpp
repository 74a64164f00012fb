// OBS206: Compose interpolation reads a variable that neither `.env`,
// `--env-file` nor (with --use-env) the shell sets. `${VAR}` / `$VAR` become
// an empty string with a warning; `${VAR:?msg}` / `${VAR?msg}` abort.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "parse/interpolate.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// Set by every login shell that runs `docker compose`; warning about them
// would be noise. HOSTNAME is exported by some distributions' profiles and not
// by others: unsure, so silent. (UID is a bash variable that is never
// exported, so Compose really sees it unset: it is not in this list.)
constexpr std::string_view kShellVariables[] = {"HOME",  "PWD",     "USER",    "PATH",
                                                "SHELL", "LOGNAME", "HOSTNAME"};

struct Unset {
  std::string name;
  bool required = false;  // ${VAR:?} / ${VAR?}
  std::string message;    // the :? text
  Location loc;
  int count = 0;
  std::vector<Location> others;
  int order = 0;
};

class Checker {
 public:
  explicit Checker(const Project& p) : p_(p) {
    lookup_ = [this](std::string_view name) -> const std::string* {
      auto it = p_.variables.find(std::string(name));
      if (it != p_.variables.end()) return &it->second;
      if (std::find(std::begin(kShellVariables), std::end(kShellVariables), name) !=
              std::end(kShellVariables) ||
          name.starts_with("COMPOSE_"))
        return &kSet;
      return nullptr;
    };
  }

  void Run() {
    // var_uses lists every reference, nested ones too; only top-level ones
    // are evaluated here (nested ones matter only when their default is used).
    const VarUse* prev = nullptr;
    size_t span_end = 0;
    for (const VarUse& u : p_.var_uses) {
      bool same_value = prev && prev->loc == u.loc;
      if (same_value && u.ref.offset < span_end) continue;  // inside an earlier reference
      if (!same_value) span_end = 0;
      span_end = std::max(span_end, u.ref.offset + u.ref.length);
      prev = &u;
      Evaluate(u.ref, u.loc, u.ref.offset, 0);
    }
  }

  std::vector<Unset> Results() {
    std::vector<Unset> out;
    for (auto& [key, u] : unset_) out.push_back(std::move(u));
    std::sort(out.begin(), out.end(), [](const Unset& a, const Unset& b) { return a.order < b.order; });
    return out;
  }

 private:
  // `offset`: where the reference starts in the raw value (for columns).
  void Evaluate(const VarRef& ref, const Location& value_loc, size_t offset, int depth) {
    if (depth > 16) return;
    const std::string* v = lookup_(ref.name);
    bool set = v != nullptr;
    bool nonempty = set && !v->empty();
    bool colon = ref.op.size() == 2;
    char op = ref.op.empty() ? 0 : ref.op.back();
    bool cond = colon ? nonempty : set;
    auto nested = [&] {
      Interpolated sub = Interpolate(ref.arg, lookup_);
      size_t arg_offset = offset + 2 + ref.name.size() + ref.op.size();
      for (const VarRef& n : sub.refs) Evaluate(n, value_loc, arg_offset + n.offset, depth + 1);
    };
    if (op == 0) {
      if (!set) Record(ref, value_loc, offset, false, "");
    } else if (op == '-') {
      if (!cond) nested();
    } else if (op == '?') {
      if (!cond) {
        Record(ref, value_loc, offset, true, Interpolate(ref.arg, lookup_).resolved);
      }
    } else if (op == '+') {
      if (cond) nested();
    }
  }

  // Exact columns of the reference when the value is a one-line scalar whose
  // text appears unchanged in the file; otherwise the whole value.
  Location RefLocation(const VarRef& ref, const Location& value_loc, size_t offset) const {
    const SourceFile* file = p_.FileByPath(value_loc.file);
    if (file == nullptr || !value_loc.HasPosition()) return value_loc;
    std::string_view line = file->Line(value_loc.line);
    std::string needle = ref.braced ? "${" + ref.name : "$" + ref.name;
    for (size_t start : {size_t{0}, size_t{1}}) {  // plain, or after an opening quote
      size_t col0 = static_cast<size_t>(value_loc.column - 1) + start + offset;
      if (col0 < line.size() && line.substr(col0).starts_with(needle)) {
        Location loc = value_loc;
        loc.column = static_cast<int>(col0) + 1;
        loc.end_line = value_loc.line;
        loc.end_column = loc.column + static_cast<int>(ref.length);
        return loc;
      }
    }
    return value_loc;
  }

  void Record(const VarRef& ref, const Location& value_loc, size_t offset, bool required,
              std::string message) {
    Location loc = RefLocation(ref, value_loc, offset);
    auto key = std::pair{ref.name, required};
    auto it = unset_.find(key);
    if (it == unset_.end()) {
      Unset u;
      u.name = ref.name;
      u.required = required;
      u.message = std::move(message);
      u.loc = loc;
      u.count = 1;
      u.order = order_++;
      unset_.emplace(key, std::move(u));
      return;
    }
    ++it->second.count;
    if (it->second.others.size() < 5) it->second.others.push_back(loc);
  }

  static const std::string kSet;
  const Project& p_;
  VarLookup lookup_;
  std::map<std::pair<std::string, bool>, Unset> unset_;
  int order_ = 0;
};

const std::string Checker::kSet = "set";

}  // namespace

void CheckUnsetVariable(const Project& p, const Knowledge&, Reporter& r) {
  Checker checker(p);
  checker.Run();
  // Where the user would set it: the project .env (or say where to create it).
  std::string env_path;
  for (const EnvFile& e : p.env_files)
    if (e.is_project_env && e.source && !e.is_example) env_path = e.source->path;
  if (env_path.empty() && !p.compose.files.empty()) {
    std::filesystem::path dir = std::filesystem::path(p.compose.files.front().path).parent_path();
    env_path = (dir / ".env").string();
  }
  for (const Unset& u : checker.Results()) {
    std::string times = u.count > 1 ? fmt::format(" (used {} times)", u.count) : "";
    Finding* f = nullptr;
    if (u.required) {
      std::string why = u.message.empty() ? "" : fmt::format(" with \"{}\"", u.message);
      f = &r.Report("OBS206", Severity::kError, u.loc,
                    fmt::format("variable \"{}\" is required but not set{}; Compose refuses to "
                                "start the project{}",
                                u.name, times, why),
                    fmt::format("set {}=... in {} (or pass --env-file / export it and run obslint "
                                "with --use-env)",
                                u.name, env_path));
    } else {
      f = &r.Report("OBS206", u.loc,
                    fmt::format("variable \"{}\" is not set and has no default{}; Compose "
                                "substitutes an empty string",
                                u.name, times),
                    fmt::format("set {}=... in {}, or give a default with ${{{}:-value}} (if it "
                                "comes from your shell, run obslint with --use-env)",
                                u.name, env_path, u.name));
    }
    for (const Location& other : u.others) f->related.push_back({other, "also used here"});
  }
}

}  // namespace obslint
