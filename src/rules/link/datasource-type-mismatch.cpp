// OBS711: a Grafana datasource's type does not fit the service its URL
// points at (a `prometheus` datasource querying Loki).
#include <fmt/format.h>

#include <algorithm>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckDatasourceTypeMismatch(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  for (const Endpoint& e : stack.endpoints()) {
    if (e.origin != EndpointOrigin::kGrafanaDatasource || e.target == nullptr) continue;
    if (e.resolution != HostResolution::kService) continue;
    // Alertmanager APIs are also served by Mimir/Cortex rulers: not judged.
    if (e.component_type == "alertmanager") continue;
    const ServiceImage& image = stack.Image(*e.target);
    const ImageInfo* info = image.Info();
    auto mismatch = [&](const ImageInfo& i) {
      const auto& t = i.datasource_types;
      return !t.empty() && std::find(t.begin(), t.end(), e.component_type) == t.end();
    };
    // An exporter serves /metrics for scraping, not a query API of any
    // datasource type (a `prometheus` datasource pointed at node-exporter).
    auto exporter = [](const ImageInfo& i) {
      return i.datasource_types.empty() && i.roles.size() == 1 && i.roles.front() == "metrics-exporter";
    };
    if (info != nullptr && image.Holds(exporter).Fully()) {
      Finding& f = r.Report(
          "OBS711", e.value.loc,
          fmt::format("{} has type \"{}\", but its URL points at service \"{}\", which runs "
                      "{}: an exporter serves /metrics for scraping, not a query API, so every "
                      "query fails",
                      e.what, e.component_type, e.target->name, info->display),
          "point the URL at the Prometheus (or VictoriaMetrics) that scrapes this exporter");
      f.related.push_back({e.target->image.text.present ? e.target->image.text.loc : e.target->name_loc,
                           fmt::format("service \"{}\" runs {}", e.target->name, info->display)});
      continue;
    }
    if (info == nullptr || !image.Holds(mismatch).Fully()) continue;
    const auto& types = info->datasource_types;
    std::string list;
    for (const auto& t : types) list += (list.empty() ? "" : ", ") + ("\"" + t + "\"");
    Finding& f = r.Report(
        "OBS711", e.value.loc,
        fmt::format("{} has type \"{}\", but its URL points at service \"{}\", which runs {}; "
                    "Grafana queries it with the wrong API",
                    e.what, e.component_type, e.target->name, info->display),
        fmt::format("set type: to {} for {}, or point the URL at a service that serves the "
                    "\"{}\" API",
                    list, info->display, e.component_type));
    f.related.push_back({e.target->image.text.present ? e.target->image.text.loc : e.target->name_loc,
                         fmt::format("service \"{}\" runs {}", e.target->name, info->display)});
  }
}

}  // namespace obslint
