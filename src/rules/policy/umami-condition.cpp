// OBS902 umami-condition: Umami runs exactly when analytics is enabled.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/policy/analytics.h"
#include "rules/rules.h"

namespace obslint {

void CheckUmamiCondition(const Project& p, const Knowledge& k, Reporter& r) {
  const AnalyticsPolicy& a = p.policy.analytics;
  auto defined = policy::ServicesWithRole(p, k, "web-analytics", /*every=*/true);
  auto umami = policy::Started(defined);
  if (a.declared) policy::CheckFamilyProfile(defined, a.web_profile, "web", "Umami", "OBS902", r);
  bool enabled = a.declared && a.enabled;
  if (!umami.empty() && !enabled) {
    const ComposeService* primary = policy::Primary(umami);
    std::string started_by = policy::StartedBy(p, *primary);
    std::string help =
        a.declared ? std::string("remove the Umami service and its database, or set "
                                 "`analytics.enabled: true`")
                   : std::string("remove the Umami service and its database, or ") +
                         policy::kDeclareHelp;
    if (!started_by.empty())
      help = fmt::format("stop activating {} ({}), or {}", started_by, p.compose.profiles_from,
                         a.declared ? "set `analytics.enabled: true`" : policy::kDeclareHelp);
    Finding& f = r.Report(
        "OBS902", policy::ImageLoc(*primary),
        fmt::format("Umami (service \"{}\") is in the stack{}, but {}", primary->name,
                    started_by.empty() ? "" : " (started by " + started_by + ")",
                    a.declared ? "the analytics policy has `enabled: false`"
                               : "no analytics policy is declared, so analytics counts as disabled"),
        std::move(help));
    for (const ComposeService* s : policy::ExclusiveDependencies(p, umami))
      f.related.push_back({s->name_loc, fmt::format("\"{}\" serves only Umami", s->name)});
    if (a.declared && a.loc.HasPosition()) f.related.push_back({a.loc, "the analytics policy"});
  } else if (umami.empty() && enabled && !(a.provider == "umami" && policy::IsCloud(a)) &&
             !defined.empty()) {
    std::vector<std::string> names;
    for (const ComposeService* s : defined) names.push_back(fmt::format("\"{}\"", s->name));
    Finding& f = r.Report(
        "OBS902", policy::PolicyLoc(p),
        fmt::format("analytics is enabled, but the Umami service{} {} do{} not start: {}",
                    names.size() > 1 ? "s" : "", fmt::join(names, ", "), names.size() > 1 ? "" : "es",
                    policy::NotStartedWhy(p, defined)),
        fmt::format("activate the profile: COMPOSE_PROFILES={} in .env (or --profile)",
                    !a.web_profile.value.empty() ? a.web_profile.value
                    : defined.front()->profiles.empty() ? std::string("...")
                                                        : defined.front()->profiles.front()));
    for (const ComposeService* s : defined)
      f.related.push_back({policy::ImageLoc(*s), fmt::format("Umami service \"{}\"", s->name)});
  } else if (umami.empty() && enabled && !(a.provider == "umami" && policy::IsCloud(a))) {
    r.Report("OBS902", policy::PolicyLoc(p),
             "analytics is enabled, but no service runs Umami (web analytics)",
             "add an Umami service (ghcr.io/umami-software/umami with its Postgres), or disable "
             "analytics");
  }
}

}  // namespace obslint
