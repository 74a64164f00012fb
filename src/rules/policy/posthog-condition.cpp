// OBS901 posthog-condition: self-hosted PostHog belongs in the stack exactly
// when the analytics policy asks for product analytics from self-hosted PostHog.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/policy/analytics.h"
#include "rules/rules.h"

namespace obslint {

void CheckPosthogCondition(const Project& p, const Knowledge& k, Reporter& r) {
  const AnalyticsPolicy& a = p.policy.analytics;
  // Every PostHog service the files define, and those the active profiles start.
  std::vector<const ComposeService*> defined;
  for (const ComposeService* s : policy::ServicesWithRole(p, k, "product-analytics", /*every=*/true))
    if (const ImageInfo* info = Analysis::Of(p, k)->Image(*s).Info(); info && info->family == "posthog") defined.push_back(s);
  std::vector<const ComposeService*> posthog = policy::Started(defined);
  if (a.declared)
    policy::CheckFamilyProfile(defined, a.product_profile, "product", "PostHog", "OBS901", r);

  std::vector<std::string> failed;
  if (!a.declared) {
    failed.push_back("no analytics policy is declared, so analytics counts as disabled");
  } else {
    if (!a.enabled) failed.push_back("`analytics.enabled` is false");
    if (!policy::HasType(a, "product")) failed.push_back("`product` is not in `analytics.types`");
    if (a.provider != "posthog")
      failed.push_back(a.provider.empty() ? "`analytics.provider` is not set"
                                          : fmt::format("`analytics.provider` is \"{}\"", a.provider));
  }
  bool cloud_only = failed.empty() && policy::IsCloud(a);  // OBS903 reports that case
  bool condition = failed.empty() && !policy::IsCloud(a);

  if (!posthog.empty() && !condition && !cloud_only) {
    const ComposeService* primary = policy::Primary(posthog);
    std::vector<std::string> names;
    for (const ComposeService* s : posthog) names.push_back(fmt::format("\"{}\"", s->name));
    std::string help = a.declared
                           ? "remove the PostHog services and their databases, or change the "
                             "policy to `analytics: {enabled: true, types: [product], provider: "
                             "posthog, hosting: self-hosted}`"
                           : std::string("remove the PostHog services and their databases, or ") +
                                 policy::kDeclareHelp;
    // Started only because a profile is active: say which, so the fix is clear.
    std::string started_by = policy::StartedBy(p, *primary);
    if (!started_by.empty())
      help = fmt::format("stop activating {} ({}), or {}", started_by, p.compose.profiles_from,
                         a.declared ? "change the policy" : policy::kDeclareHelp);
    Finding& f = r.Report(
        "OBS901", policy::ImageLoc(*primary),
        fmt::format("self-hosted PostHog (service{} {}) is in the stack{}, but {}",
                    names.size() > 1 ? "s" : "", fmt::join(names, ", "),
                    started_by.empty() ? "" : " (started by " + started_by + ")",
                    fmt::join(failed, ", ")),
        std::move(help));
    for (const ComposeService* s : posthog)
      if (s != primary) f.related.push_back({policy::ImageLoc(*s), "another PostHog service"});
    for (const ComposeService* s : policy::ExclusiveDependencies(p, posthog))
      f.related.push_back({s->name_loc, fmt::format("\"{}\" serves only PostHog", s->name)});
    if (a.declared && a.loc.HasPosition()) f.related.push_back({a.loc, "the analytics policy"});
  } else if (posthog.empty() && condition && !defined.empty()) {
    std::vector<std::string> names;
    for (const ComposeService* s : defined) names.push_back(fmt::format("\"{}\"", s->name));
    Finding& f = r.Report(
        "OBS901", policy::PolicyLoc(p),
        fmt::format("the analytics policy asks for product analytics from self-hosted PostHog, but "
                    "the PostHog service{} {} do{} not start: {}",
                    names.size() > 1 ? "s" : "", fmt::join(names, ", "), names.size() > 1 ? "" : "es",
                    policy::NotStartedWhy(p, defined)),
        fmt::format("activate the profile: COMPOSE_PROFILES={} in .env (or --profile)",
                    !a.product_profile.value.empty() ? a.product_profile.value
                                                     : defined.front()->profiles.empty()
                                                           ? std::string("...")
                                                           : defined.front()->profiles.front()));
    for (const ComposeService* s : defined)
      f.related.push_back({policy::ImageLoc(*s), fmt::format("PostHog service \"{}\"", s->name)});
  } else if (posthog.empty() && condition) {
    r.Report("OBS901", policy::PolicyLoc(p),
             "the analytics policy asks for product analytics from self-hosted PostHog, but no "
             "service runs the posthog/posthog image",
             "add PostHog (start from PostHog's docker-compose.hobby.yml: web, worker, plugin "
             "server, Postgres, Redis, ClickHouse, Kafka), or set `hosting: cloud` to use PostHog "
             "Cloud");
  }
}

}  // namespace obslint
