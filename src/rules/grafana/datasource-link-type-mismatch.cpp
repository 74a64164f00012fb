// OBS515 datasource-link-type-mismatch: a link in a provisioned datasource's
// jsonData that Grafana runs as a query of a given kind names a datasource of
// another kind: the service map and "traces to metrics" run PromQL, "traces
// to logs" a log query, exemplars open a trace, "traces to profiles" a
// profile query. Only datasource types whose kind is certain are judged
// (kinds below); a plugin obslint does not classify is never reported.
#include <fmt/format.h>

#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "analysis/grafana.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// The kind of data a datasource plugin type serves; "" when not certain.
std::string_view KindOf(std::string_view type) {
  for (std::string_view t : {"prometheus", "graphite", "influxdb", "victoriametrics-metrics-datasource"})
    if (type == t) return "metrics";
  for (std::string_view t : {"loki", "victoriametrics-logs-datasource"})
    if (type == t) return "logs";
  for (std::string_view t : {"tempo", "jaeger", "zipkin"})
    if (type == t) return "traces";
  for (std::string_view t : {"grafana-pyroscope-datasource", "phlare"})
    if (type == t) return "profiles";
  return "";
}

struct Link {
  std::string_view key;   // jsonData key
  std::string_view kind;  // what the target must serve
  std::string_view what;  // for the message
};

constexpr Link kLinks[] = {
    {"serviceMap", "metrics", "the service map queries span metrics with PromQL"},
    {"tracesToMetrics", "metrics", "\"traces to metrics\" runs PromQL queries"},
    {"tracesToLogs", "logs", "\"traces to logs\" runs a log query"},
    {"tracesToLogsV2", "logs", "\"traces to logs\" runs a log query"},
    {"tracesToProfiles", "profiles", "\"traces to profiles\" runs a profile query"},
    {"exemplarTraceIdDestinations", "traces", "an exemplar opens its trace"},
};

}  // namespace

void CheckDatasourceLinkTypeMismatch(const Project& p, const Knowledge&, Reporter& r) {
  std::set<std::tuple<std::string, int, int>> reported;
  for (const std::string& service : GrafanaServices(p)) {
    GrafanaDatasources datasources(p, service);
    for (const GrafanaDatasource* ds : datasources.All()) {
      if (ds->json_data == nullptr || !ds->json_data->IsMap()) continue;
      const int org = GrafanaDatasources::OrgOf(*ds);
      for (const Link& link : kLinks) {
        const yaml::Node* block = ds->json_data->Get(link.key);
        if (block == nullptr) continue;
        std::vector<const yaml::Node*> holders;
        if (block->IsMap()) holders.push_back(block);
        if (block->IsSequence())
          for (const yaml::Node* item : block->items)
            if (item->IsMap()) holders.push_back(item);
        for (const yaml::Node* holder : holders) {
          const yaml::Node* uid = holder->Get("datasourceUid");
          if (uid == nullptr || !uid->IsScalar() || uid->scalar.empty() ||
              uid->scalar.find('$') != std::string::npos)
            continue;
          const GrafanaDatasource* target =
              datasources.Find(org, uid->scalar, GrafanaDatasources::By::kUidOrName);
          if (target == nullptr || !target->type.present) continue;  // OBS503's
          const std::string_view kind = KindOf(target->type.value);
          if (kind.empty() || kind == link.kind) continue;
          const Location loc = yaml::LocationOf(uid, ds->node && ds->node->origin
                                                         ? ds->node->origin->file
                                                         : ds->loc.file);
          if (!reported.emplace(loc.file, loc.line, loc.column).second) continue;
          std::string owner = ds->name.present ? ds->name.value : std::string("?");
          std::string tname = target->name.present ? target->name.value : uid->scalar;
          Finding& f = r.Report(
              "OBS515", loc,
              fmt::format("{} of datasource \"{}\" names datasource \"{}\" of type \"{}\" ({} "
                          "data), but {}: it needs a {} datasource",
                          link.key, owner, tname, target->type.value, kind, link.what, link.kind),
              fmt::format("point `{}.datasourceUid` at a {} datasource of service \"{}\"",
                          link.key, link.kind, service));
          f.related.push_back({target->loc, fmt::format("datasource \"{}\" is defined here", tname)});
        }
      }
    }
  }
}

}  // namespace obslint
