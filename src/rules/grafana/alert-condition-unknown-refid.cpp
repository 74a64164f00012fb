// OBS513 alert-condition-unknown-refid: a provisioned alert rule's
// `condition` (for a recording rule: `record.from`) is not the `refId` of
// any of its queries and expressions, or the rule has none. Grafana validates
// the condition when it saves a rule ("condition B does not exist, must be
// one of [A]", grafana/grafana#56388) and refuses it; the alerting
// provisioning of the file fails (which can keep Grafana from starting,
// grafana/grafana#64344), and the alert never fires.
#include <fmt/format.h>

#include <string>

#include "rules/rules.h"

namespace obslint {

void CheckAlertConditionUnknownRefid(const Project& p, const Knowledge&, Reporter& r) {
  for (const GrafanaAlertingFile& file : p.alerting_files) {
    if (file.services.empty()) continue;
    for (const GrafanaAlertRule& rule : file.rules) {
      std::string name = rule.title.present ? fmt::format("alert rule \"{}\"", rule.title.value)
                                            : std::string("an alert rule");
      std::string ids;
      bool unknowable = false;
      for (const GrafanaAlertQuery& q : rule.data) {
        if (!q.ref_id.present) continue;
        if (q.ref_id.value.find('$') != std::string::npos) unknowable = true;
        ids += (ids.empty() ? "" : ", ") + q.ref_id.value;
      }
      if (unknowable) continue;
      if (!rule.condition.present || rule.condition.value.empty()) {
        if (rule.data.empty()) continue;  // not a rule obslint can judge
        r.Report("OBS513", rule.loc,
                 fmt::format("{} has no `condition`; Grafana refuses a rule without one, so the "
                             "alerting provisioning fails and the alert never fires",
                             name),
                 ids.empty() ? std::string("add `condition:` naming the query or expression whose "
                                           "result fires the alert")
                             : fmt::format("add `condition:` naming the query or expression whose "
                                           "result fires the alert (one of: {})",
                                           ids));
        continue;
      }
      const std::string& condition = rule.condition.value;
      if (condition.find('$') != std::string::npos) continue;
      bool found = false;
      for (const GrafanaAlertQuery& q : rule.data)
        if (q.ref_id.present && q.ref_id.value == condition) found = true;
      if (found) continue;
      r.Report("OBS513", rule.condition.loc,
               fmt::format("condition \"{}\" of {} is the refId of none of its queries and "
                           "expressions ({}); Grafana refuses the rule (\"condition {} does not "
                           "exist\"), so the alerting provisioning fails and the alert never fires",
                           condition, name, ids.empty() ? "it has none" : "refIds: " + ids, condition),
               ids.empty() ? std::string("add the query and the expression the condition names under `data:`")
                           : fmt::format("set `condition:` to the refId of the expression that "
                                         "decides whether the alert fires (one of: {})",
                                         ids));
    }
  }
}

}  // namespace obslint
