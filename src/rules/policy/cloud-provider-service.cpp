// OBS903 cloud-provider-service: a container for a provider the policy uses as a cloud service.
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "rules/policy/analytics.h"
#include "rules/rules.h"

namespace obslint {

void CheckCloudProviderService(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const AnalyticsPolicy& a = p.policy.analytics;
  if (!a.declared || !a.enabled || !policy::IsCloud(a) || a.provider.empty()) return;
  // Family of the self-hosted image per provider; Mixpanel and Amplitude have none.
  std::string family = a.provider == "posthog" ? "posthog" : a.provider == "umami" ? "umami" : "";
  if (family.empty()) return;
  for (const ComposeService* started : p.compose.Running()) {
    const ComposeService& s = *started;
    const ImageInfo* info = analysis->Image(s).Info();
    if (!info || info->family != family) continue;
    Finding& f = r.Report(
        "OBS903", policy::ImageLoc(s),
        fmt::format("service \"{}\" runs {} itself, but the analytics policy uses {} Cloud "
                    "(`hosting: cloud`), which needs no container",
                    s.name, info->display, info->display),
        fmt::format("remove the {} services and their databases, or set `hosting: self-hosted`",
                    info->display));
    if (a.loc.HasPosition()) f.related.push_back({a.loc, "the analytics policy"});
  }
}

}  // namespace obslint
