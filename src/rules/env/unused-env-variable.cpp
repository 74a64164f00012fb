// OBS601: a variable in the project `.env` that no compose interpolation
// reads. `.env` only feeds `${VAR}` substitution in the compose file; it is
// not passed to containers, so an unreferenced entry does nothing.
#include <fmt/format.h>

#include <set>

#include "parse/interpolate.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnusedEnvVariable(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::string, std::less<>> used;
  for (const VarUse& u : p.var_uses) used.insert(u.ref.name);
  for (const EnvFile& env : p.env_files) {
    if (!env.is_project_env || env.source == nullptr) continue;
    // A template (.env.example) lists what the app and the stack may read,
    // for people to copy: an entry no interpolation reads is no mistake there.
    if (env.is_example) continue;
    // A `.env` that a service also loads with env_file: is a container
    // environment as well: every key may be read inside the container.
    bool container_env = false;
    for (const ComposeService& s : p.compose.services)
      for (const EnvVar& e : s.environment)
        if (e.from_file == env.source->path) container_env = true;
    if (container_env) continue;
    // Keys read by later entries of the same file (`B=${A}/x`) are used too.
    std::set<std::string, std::less<>> used_here;
    for (const EnvEntry& e : env.entries) {
      std::string_view line = env.source->Line(e.value_loc.line);
      if (e.value_loc.column < 1 || static_cast<size_t>(e.value_loc.column - 1) > line.size()) continue;
      std::vector<VarRef> refs;
      CollectVariables(line.substr(static_cast<size_t>(e.value_loc.column - 1)), refs);
      for (const VarRef& ref : refs)
        if (ref.name != e.key) used_here.insert(ref.name);
    }
    for (const EnvEntry& e : env.entries) {
      if (used.contains(e.key) || used_here.contains(e.key)) continue;
      // Settings of the compose CLI itself, read from .env.
      if (e.key.starts_with("COMPOSE_") || e.key.starts_with("DOCKER_")) continue;
      r.Report("OBS601", e.key_loc,
               fmt::format("\"{}\" is set in {} but no compose file interpolates it; .env only "
                           "feeds ${{VAR}} substitution and is not passed to containers",
                           e.key, env.source->path),
               fmt::format("reference it (e.g. `environment: {{{}: ${{{}}}}}`) if a container "
                           "needs it, or delete the line",
                           e.key, e.key));
    }
  }
}

}  // namespace obslint
