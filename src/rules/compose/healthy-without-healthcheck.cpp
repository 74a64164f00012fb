// OBS209: `condition: service_healthy` on a dependency that has no
// healthcheck. Compose fails with "container ... has no healthcheck
// configured" and never starts the dependent service.
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "rules/rules.h"

namespace obslint {

void CheckHealthyWithoutHealthcheck(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    for (const DependsOn& d : s.depends_on) {
      if (d.condition != "service_healthy") continue;
      const ComposeService* target = p.compose.Service(d.service.value);
      if (target == nullptr) continue;  // OBS204
      Location loc = d.condition_loc.HasPosition() ? d.condition_loc : d.service.loc;
      if (target->healthcheck.present && target->healthcheck.disabled) {
        Finding& f = r.Report(
            "OBS209", loc,
            fmt::format("service \"{}\" waits for \"{}\" to be healthy, but that service disables "
                        "its healthcheck; Compose never starts \"{}\"",
                        s.name, target->name, s.name),
            "enable the healthcheck of the dependency, or use `condition: service_started`");
        f.related.push_back({target->healthcheck.loc, "healthcheck disabled here"});
        continue;
      }
      if (target->healthcheck.present) continue;
      // A built image or an `extends` base may carry the healthcheck; an image
      // the knowledge base does not know may declare HEALTHCHECK in its
      // Dockerfile. Only images known to have none are judged.
      if (target->has_build) continue;
      if (target->node && target->node->IsMap() && target->node->Get("extends")) continue;
      if (!target->image.text.present || analysis->Image(*target).Info() == nullptr) continue;
      Finding& f = r.Report(
          "OBS209", loc,
          fmt::format("service \"{}\" waits for \"{}\" to be healthy, but \"{}\" has no "
                      "healthcheck (and image {} declares none); Compose fails with \"has no "
                      "healthcheck configured\"",
                      s.name, target->name, target->name, target->image.text.value),
          fmt::format("add a `healthcheck:` to service \"{}\", or use `condition: service_started`",
                      target->name));
      f.related.push_back({target->name_loc, fmt::format("service \"{}\" is defined here", target->name)});
    }
  }
}

}  // namespace obslint
