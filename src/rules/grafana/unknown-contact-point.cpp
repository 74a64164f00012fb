// OBS514 unknown-contact-point: a provisioned notification policy (the root
// or any nested route) or an alert rule's `notification_settings` sends
// notifications to a contact point that no alerting file of the same Grafana
// service and organization provisions. Grafana validates the policy tree
// against the contact points and refuses it (the alerting provisioning of the
// file fails, which can keep Grafana from starting, grafana/grafana#64344);
// a rule with an unknown receiver is refused the same way.
//
// Besides provisioned contact points, every organization has Grafana's
// default `grafana-default-email`. Silent for a `$VAR`, and when the service
// provisions no contact point in that org (they are created by hand).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "rules/rules.h"

namespace obslint {

void CheckUnknownContactPoint(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::string> services;
  for (const auto& f : p.alerting_files) services.insert(f.services.begin(), f.services.end());
  for (const std::string& service : services) {
    std::map<int, std::set<std::string>> names;  // org -> contact point names
    for (const GrafanaAlertingFile& f : p.alerting_files) {
      if (std::find(f.services.begin(), f.services.end(), service) == f.services.end()) continue;
      for (const GrafanaContactPoint& cp : f.contact_points)
        if (cp.name.present) names[cp.org_id].insert(cp.name.value);
    }
    auto check = [&](int org, const Located<std::string>& receiver, const std::string& who) {
      const std::string& name = receiver.value;
      if (name.empty() || name.find('$') != std::string::npos || name == "grafana-default-email")
        return;
      auto it = names.find(org);
      if (it == names.end() || it->second.count(name)) return;
      std::string known;
      for (const std::string& n : it->second) known += (known.empty() ? "\"" : ", \"") + n + "\"";
      r.Report("OBS514", receiver.loc,
               fmt::format("{} sends notifications to contact point \"{}\", which no alerting "
                           "file of service \"{}\" provisions in org {} (provisioned: {}); Grafana "
                           "refuses it, so the alerting provisioning fails",
                           who, name, service, org, known),
               "name a provisioned contact point (`name:` under contactPoints), or provision one "
               "with this name");
    };
    for (const GrafanaAlertingFile& f : p.alerting_files) {
      if (std::find(f.services.begin(), f.services.end(), service) == f.services.end()) continue;
      for (const GrafanaPolicyReceiver& pr : f.policy_receivers)
        check(pr.org_id, pr.name, "the notification policy");
      for (const GrafanaAlertRule& rule : f.rules)
        if (rule.receiver.present)
          check(rule.org_id, rule.receiver,
                rule.title.present ? fmt::format("alert rule \"{}\"", rule.title.value)
                                   : std::string("an alert rule"));
    }
  }
}

}  // namespace obslint
