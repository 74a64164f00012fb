// OBS902 umami-condition: Umami runs exactly when analytics is enabled.
#include <fmt/format.h>

#include "rules/policy/analytics.h"
#include "rules/rules.h"

namespace obslint {

void CheckUmamiCondition(const Project& p, const Knowledge& k, Reporter& r) {
  const AnalyticsPolicy& a = p.policy.analytics;
  auto umami = policy::ServicesWithRole(p, k, "web-analytics");
  bool enabled = a.declared && a.enabled;
  if (!umami.empty() && !enabled) {
    const ComposeService* primary = policy::Primary(umami);
    Finding& f = r.Report(
        "OBS902", policy::ImageLoc(*primary),
        fmt::format("Umami (service \"{}\") is in the stack, but {}", primary->name,
                    a.declared ? "the analytics policy has `enabled: false`"
                               : "no analytics policy is declared, so analytics counts as disabled"),
        a.declared ? std::string("remove the Umami service and its database, or set "
                                 "`analytics.enabled: true`")
                   : std::string("remove the Umami service and its database, or ") +
                         policy::kDeclareHelp);
    for (const ComposeService* s : policy::ExclusiveDependencies(p, umami))
      f.related.push_back({s->name_loc, fmt::format("\"{}\" serves only Umami", s->name)});
    if (a.declared && a.loc.HasPosition()) f.related.push_back({a.loc, "the analytics policy"});
  } else if (umami.empty() && enabled && !(a.provider == "umami" && policy::IsCloud(a))) {
    r.Report("OBS902", policy::PolicyLoc(p),
             "analytics is enabled, but no service runs Umami (web analytics)",
             "add an Umami service (ghcr.io/umami-software/umami with its Postgres), or disable "
             "analytics");
  }
}

}  // namespace obslint
