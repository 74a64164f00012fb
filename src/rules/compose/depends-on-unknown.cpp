// OBS204: `depends_on` names a service that does not exist, or one that the
// active profiles leave out while the service depending on it starts.
// Compose refuses the project either way ("depends on undefined service").
#include <fmt/format.h>

#include <algorithm>

#include <fmt/ranges.h>

#include "model/suggest.h"
#include "rules/rules.h"

namespace obslint {

void CheckDependsOnUnknown(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    for (const DependsOn& d : s.depends_on) {
      const std::string& name = d.service.value;
      if (name.empty()) continue;
      if (const ComposeService* target = p.compose.Service(name)) {
        // Compose (since 2.18.1) refuses a started service whose required
        // dependency its profiles switch off; `required: false` skips it.
        if (!s.starts || target->starts || !d.required) continue;
        std::string profiles;
        for (const std::string& name : target->profiles)
          profiles += (profiles.empty() ? "\"" : " or \"") + name + "\"";
        std::string active = p.compose.active_profiles.empty()
                                 ? std::string("no profile is active")
                                 : fmt::format("the active profiles are {}",
                                               fmt::join(p.compose.active_profiles, ", "));
        Finding& f = r.Report(
            "OBS204", d.service.loc,
            fmt::format("service \"{}\" depends on \"{}\", which does not start: it runs only with "
                        "profile {} and {}{}; Compose refuses to start the project",
                        s.name, name, profiles, active,
                        p.compose.profiles_from.empty()
                            ? ""
                            : fmt::format(" ({})", p.compose.profiles_from)),
            fmt::format("activate a profile of \"{}\" (COMPOSE_PROFILES in .env, or --profile), "
                        "give \"{}\" the same profiles, or mark the dependency `required: false`",
                        name, s.name));
        if (target->profiles_loc.HasPosition())
          f.related.push_back({target->profiles_loc, fmt::format("profiles of \"{}\"", name)});
        continue;
      }
      // Suggest the closest service name when the difference looks like a typo.
      const ComposeService* best = nullptr;
      size_t best_distance = 0;
      for (const ComposeService& other : p.compose.services) {
        size_t dist = static_cast<size_t>(KeyDistance(name, other.name));
        if (best == nullptr || dist < best_distance) {
          best = &other;
          best_distance = dist;
        }
      }
      std::string help = "list an existing service, or add the missing service";
      if (best != nullptr && best_distance <= std::max<size_t>(2, name.size() / 4))
        help = fmt::format("did you mean \"{}\"?", best->name);
      // A container_name is not a service name: say so when that is the mix-up.
      for (const ComposeService& other : p.compose.services) {
        if (other.container_name.present && other.container_name.value == name) {
          help = fmt::format("\"{}\" is the container_name of service \"{}\"; depends_on takes "
                             "service names",
                             name, other.name);
        }
      }
      r.Report("OBS204", d.service.loc,
               fmt::format("service \"{}\" depends on \"{}\", which is not a service in this "
                           "project; Compose refuses to start it",
                           s.name, name),
               help);
    }
  }
}

}  // namespace obslint
