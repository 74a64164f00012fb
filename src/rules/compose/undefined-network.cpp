// OBS202: a service joins a network that no top-level `networks:` declares.
// `docker compose up` refuses the whole project ("service refers to
// undefined network").
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void CheckUndefinedNetwork(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    for (const ServiceNetwork& n : s.networks) {
      const std::string& name = n.name.value;
      // `default` always exists unless a file redefines it; empty names come
      // from unset variables (OBS206 reports those).
      if (name.empty() || name == "default" || p.compose.Network(name) != nullptr) continue;
      r.Report("OBS202", n.name.loc,
               fmt::format("service \"{}\" joins network \"{}\", which is not declared under the "
                           "top-level \"networks:\"; Compose refuses to start the project",
                           s.name, name),
               fmt::format("declare it under the top-level `networks:` (`{}: {{}}`), mark an existing one "
                           "`external: true`, or fix the name",
                           name));
    }
  }
}

}  // namespace obslint
