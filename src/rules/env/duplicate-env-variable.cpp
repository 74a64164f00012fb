// OBS602: the same key twice in one env file. The last value silently wins,
// so an edit to the first line has no effect.
#include <fmt/format.h>

#include <map>

#include "rules/rules.h"

namespace obslint {

void CheckDuplicateEnvVariable(const Project& p, const Knowledge&, Reporter& r) {
  for (const EnvFile& env : p.env_files) {
    std::map<std::string, const EnvEntry*> first;
    for (const EnvEntry& e : env.entries) {
      auto [it, inserted] = first.emplace(e.key, &e);
      if (inserted) continue;
      const EnvEntry& f0 = *it->second;
      // Values are never printed: they may be secrets.
      std::string what = f0.value == e.value ? "same value as on line" : "a different value from line";
      Finding& f = r.Report(
          "OBS602", e.key_loc,
          fmt::format("\"{}\" is set twice in this file ({} {}); this later line "
                      "wins and the earlier one is silently ignored",
                      e.key, what, f0.key_loc.line),
          "delete one of the two lines");
      f.related.push_back({f0.key_loc, "first set here"});
    }
  }
}

}  // namespace obslint
