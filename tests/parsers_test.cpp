// Unit tests for the collector, Loki, Grafana provisioning and Prometheus
// parsers and for content sniffing: values, exact positions, OBS103 type
// errors, and no crash on shapes no tool would accept.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/parsers.h"
#include "parse/yaml.h"

namespace obslint {
namespace {

void Load(SourceFile& file, std::string content, std::string path = "cfg.yaml") {
  file.path = std::move(path);
  file.content = std::move(content);
  file.IndexLines();
  yaml::Parse(file.content, file.yaml);
}

void CheckLoc(const Location& loc, int line, int column) {
  CHECK(loc.line == line);
  CHECK(loc.column == column);
}

FileKind Sniff(const std::string& text) {
  SourceFile file;
  Load(file, text);
  return SniffKind(file.yaml.root);
}

// ---------------------------------------------------------------- collector

TEST_CASE("collector: components, pipelines and service") {
  SourceFile file;
  Load(file, R"(receivers:
  otlp:
    protocols:
      grpc:
exporters:
  otlp/jaeger:
    endpoint: jaeger:4317
  debug:
connectors:
  spanmetrics:
extensions:
  health_check:
service:
  extensions: [health_check]
  telemetry:
    logs:
      level: debug
  pipelines:
    traces/2:
      receivers: [otlp]
      processors:
        - batch
      exporters: [otlp/jaeger, spanmetrics]
    metrics:
      receivers: [spanmetrics]
)",
       "otel.yaml");
  CollectorConfig c;
  std::vector<LoadFinding> findings;
  ParseCollector(file, c, findings);
  CHECK(findings.empty());
  CHECK(c.source == &file);
  REQUIRE(c.components.size() == 5);

  const CollectorComponent* jaeger = c.Find("exporters", "otlp/jaeger");
  REQUIRE(jaeger != nullptr);
  CHECK(jaeger->type == "otlp");
  CHECK(jaeger->name == "jaeger");
  CHECK(jaeger->loc.file == "otel.yaml");
  CheckLoc(jaeger->loc, 6, 3);
  CHECK(jaeger->loc.end_column == 14);
  REQUIRE(jaeger->config != nullptr);
  REQUIRE(jaeger->config->Get("endpoint") != nullptr);
  CHECK(jaeger->config->Get("endpoint")->scalar == "jaeger:4317");

  const CollectorComponent* debug = c.Find("exporters", "debug");
  REQUIRE(debug != nullptr);
  CHECK(debug->type == "debug");
  CHECK(debug->name.empty());
  CheckLoc(debug->loc, 8, 3);
  CHECK(c.Find("receivers", "debug") == nullptr);
  CHECK(c.Find("connectors", "spanmetrics") != nullptr);
  CHECK(c.Find("extensions", "health_check") != nullptr);
  CHECK(c.Find("receivers", "otlp")->kind == "receivers");

  REQUIRE(c.service_extensions.size() == 1);
  CHECK(c.service_extensions[0].id == "health_check");
  CheckLoc(c.service_extensions[0].loc, 14, 16);
  REQUIRE(c.telemetry != nullptr);
  CHECK(c.telemetry->Get("logs") != nullptr);

  REQUIRE(c.pipelines.size() == 2);
  const CollectorPipeline& traces = c.pipelines[0];
  CHECK(traces.id == "traces/2");
  CHECK(traces.signal == "traces");
  CheckLoc(traces.loc, 19, 5);
  CHECK(traces.has_receivers_key);
  CHECK(traces.has_exporters_key);
  REQUIRE(traces.receivers.size() == 1);
  CheckLoc(traces.receivers[0].loc, 20, 19);
  REQUIRE(traces.processors.size() == 1);
  CHECK(traces.processors[0].id == "batch");
  CheckLoc(traces.processors[0].loc, 22, 11);
  REQUIRE(traces.exporters.size() == 2);
  CHECK(traces.exporters[0].id == "otlp/jaeger");
  CHECK(traces.exporters[0].type == "otlp");
  CHECK(traces.exporters[0].name == "jaeger");
  CheckLoc(traces.exporters[0].loc, 23, 19);
  CHECK(traces.exporters[0].loc.end_column == 30);
  CHECK(traces.exporters[1].id == "spanmetrics");
  CheckLoc(traces.exporters[1].loc, 23, 32);

  const CollectorPipeline& metrics = c.pipelines[1];
  CHECK(metrics.signal == "metrics");
  CHECK(metrics.has_receivers_key);
  CHECK_FALSE(metrics.has_exporters_key);
  CHECK(metrics.exporters.empty());
}

TEST_CASE("collector: wrong kinds are OBS103 and the rest is still read") {
  SourceFile file;
  Load(file, R"(receivers: [otlp]
exporters:
  debug: verbose
  otlphttp:
service:
  extensions: {a: b}
  pipelines:
    logs:
      receivers: [otlp, {x: y}]
      exporters: {otlphttp: {}}
    traces: [otlp]
)");
  CollectorConfig c;
  std::vector<LoadFinding> findings;
  ParseCollector(file, c, findings);
  REQUIRE(findings.size() == 6);
  for (const LoadFinding& f : findings) CHECK(f.code == "OBS103");
  CHECK(findings[0].message == "\"receivers\" must be a mapping, not a list");
  CheckLoc(findings[0].loc, 1, 12);
  CHECK(findings[1].message == "\"debug\" must be a mapping, not a scalar");
  CheckLoc(findings[1].loc, 3, 10);
  CHECK(findings[2].message == "\"extensions\" must be a list, not a mapping");
  CheckLoc(findings[2].loc, 6, 15);
  CHECK(findings[3].message == "items of \"receivers\" must be component ids, not a mapping");
  CheckLoc(findings[3].loc, 9, 25);
  CHECK(findings[4].message == "\"exporters\" must be a list, not a mapping");
  CheckLoc(findings[4].loc, 10, 18);
  CHECK(findings[5].message == "\"traces\" must be a mapping, not a list");
  CheckLoc(findings[5].loc, 11, 13);

  // Both exporters are still known; the scalar one has no config.
  REQUIRE(c.components.size() == 2);
  CHECK(c.Find("exporters", "debug")->config == nullptr);
  CHECK(c.Find("exporters", "otlphttp")->config != nullptr);
  REQUIRE(c.pipelines.size() == 2);
  REQUIRE(c.pipelines[0].receivers.size() == 1);
  CHECK(c.pipelines[0].receivers[0].id == "otlp");
  CHECK(c.pipelines[0].has_exporters_key);
  CHECK(c.pipelines[0].exporters.empty());
  CHECK(c.pipelines[1].id == "traces");
  CHECK_FALSE(c.pipelines[1].has_receivers_key);
}

TEST_CASE("collector: a single id instead of a list is read, not reported") {
  SourceFile file;
  Load(file, "service:\n  pipelines:\n    traces:\n      exporters: debug\n");
  CollectorConfig c;
  std::vector<LoadFinding> findings;
  ParseCollector(file, c, findings);
  CHECK(findings.empty());
  REQUIRE(c.pipelines.size() == 1);
  REQUIRE(c.pipelines[0].exporters.size() == 1);
  CHECK(c.pipelines[0].exporters[0].id == "debug");
  CheckLoc(c.pipelines[0].exporters[0].loc, 4, 18);
}

TEST_CASE("collector: empty and odd documents") {
  std::vector<LoadFinding> findings;
  {
    SourceFile file;
    Load(file, "");
    CollectorConfig c;
    ParseCollector(file, c, findings);
    CHECK(findings.empty());
    CHECK(c.components.empty());
  }
  {
    SourceFile file;
    Load(file, "receivers:\nexporters: {}\nservice:\n  pipelines:\n");
    CollectorConfig c;
    ParseCollector(file, c, findings);
    CHECK(findings.empty());
    CHECK(c.components.empty());
    CHECK(c.pipelines.empty());
    CHECK(c.telemetry == nullptr);
  }
  {
    SourceFile file;
    Load(file, "- just\n- a list\n");
    CollectorConfig c;
    ParseCollector(file, c, findings);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message == "a collector configuration must be a mapping, not a list");
    CheckLoc(findings[0].loc, 1, 1);
  }
}

// --------------------------------------------------------------------- Loki

TEST_CASE("loki: ports, paths, schema, ruler and retention") {
  SourceFile file;
  Load(file, R"(auth_enabled: false
server:
  http_listen_port: "3100"
  grpc_listen_port: 9096
common:
  path_prefix: /loki
  storage:
    filesystem:
      chunks_directory: /loki/chunks
      rules_directory: /loki/rules
schema_config:
  configs:
    - from: 2020-10-24
      store: boltdb-shipper
      object_store: filesystem
      schema: v11
storage_config:
  tsdb_shipper:
    active_index_directory: /loki/index
compactor:
  working_directory: /loki/compactor
  retention_enabled: true
ruler:
  alertmanager_url: http://localhost:9093
limits_config:
  retention_period: 744h
)",
       "loki/loki.yaml");
  LokiConfig l;
  std::vector<LoadFinding> findings;
  ParseLoki(file, l, findings);
  CHECK(findings.empty());
  CHECK(l.source == &file);

  REQUIRE(l.auth_enabled.present);
  CHECK_FALSE(l.auth_enabled.value);
  CheckLoc(l.auth_enabled.loc, 1, 15);
  REQUIRE(l.http_listen_port.present);
  CHECK(l.http_listen_port.value == 3100);
  CheckLoc(l.http_listen_port.loc, 3, 21);
  CHECK(l.http_listen_port.loc.end_column == 27);
  CHECK(l.http_listen_port.loc.file == "loki/loki.yaml");
  CHECK(l.grpc_listen_port.value == 9096);
  CheckLoc(l.grpc_listen_port.loc, 4, 21);
  CHECK(l.path_prefix.value == "/loki");
  CheckLoc(l.path_prefix.loc, 6, 16);

  REQUIRE(l.data_paths.size() == 4);
  CHECK(l.data_paths[0].value == "/loki/chunks");
  CheckLoc(l.data_paths[0].loc, 9, 25);
  CHECK(l.data_paths[1].value == "/loki/rules");
  CheckLoc(l.data_paths[1].loc, 10, 24);
  CHECK(l.data_paths[2].value == "/loki/index");
  CheckLoc(l.data_paths[2].loc, 19, 29);
  CHECK(l.data_paths[3].value == "/loki/compactor");
  CheckLoc(l.data_paths[3].loc, 21, 22);

  REQUIRE(l.schemas.size() == 1);
  CHECK(l.schemas[0].from.value == "2020-10-24");
  CheckLoc(l.schemas[0].from.loc, 13, 13);
  CHECK(l.schemas[0].store.value == "boltdb-shipper");
  CheckLoc(l.schemas[0].store.loc, 14, 14);
  CHECK(l.schemas[0].object_store.value == "filesystem");
  CHECK(l.schemas[0].schema.value == "v11");
  CheckLoc(l.schemas[0].schema.loc, 16, 15);

  CHECK(l.alertmanager_url.value == "http://localhost:9093");
  CheckLoc(l.alertmanager_url.loc, 24, 21);
  CHECK(l.retention_period.value == "744h");
  CheckLoc(l.retention_period.loc, 26, 21);
  REQUIRE(l.retention_enabled.present);
  CHECK(l.retention_enabled.value);
  CheckLoc(l.retention_enabled.loc, 22, 22);
}

TEST_CASE("loki: absent values stay absent") {
  SourceFile file;
  Load(file, "server:\n  log_level: info\n");
  LokiConfig l;
  std::vector<LoadFinding> findings;
  ParseLoki(file, l, findings);
  CHECK(findings.empty());
  CHECK_FALSE(l.auth_enabled.present);
  CHECK_FALSE(l.http_listen_port.present);
  CHECK_FALSE(l.retention_enabled.present);
  CHECK(l.data_paths.empty());
  CHECK(l.schemas.empty());
}

TEST_CASE("loki: wrong kinds and values are OBS103, ${VAR} is left alone") {
  SourceFile file;
  Load(file, R"(auth_enabled: maybe
server:
  http_listen_port: abc
  grpc_listen_port: ${GRPC_PORT}
common: [a]
schema_config:
  configs:
    - x
    - store: tsdb
ruler:
  alertmanager_url:
    - a
)");
  LokiConfig l;
  std::vector<LoadFinding> findings;
  ParseLoki(file, l, findings);
  REQUIRE(findings.size() == 5);
  for (const LoadFinding& f : findings) CHECK(f.code == "OBS103");
  CHECK(findings[0].message == "\"auth_enabled\" must be true or false, not \"maybe\"");
  CheckLoc(findings[0].loc, 1, 15);
  CHECK(findings[1].message == "\"server.http_listen_port\" must be an integer, not \"abc\"");
  CheckLoc(findings[1].loc, 3, 21);
  // `common` is reported once although several paths go through it.
  CHECK(findings[2].message == "\"common\" must be a mapping, not a list");
  CheckLoc(findings[2].loc, 5, 9);
  CHECK(findings[3].message == "items of \"schema_config.configs\" must be mappings, not a scalar");
  CheckLoc(findings[3].loc, 8, 7);
  CHECK(findings[4].message == "\"ruler.alertmanager_url\" must be a string, not a list");
  CheckLoc(findings[4].loc, 12, 5);

  CHECK_FALSE(l.auth_enabled.present);
  CHECK_FALSE(l.http_listen_port.present);
  CHECK_FALSE(l.grpc_listen_port.present);
  REQUIRE(l.schemas.size() == 1);
  CHECK(l.schemas[0].store.value == "tsdb");
  CHECK_FALSE(l.schemas[0].schema.present);
}

TEST_CASE("loki: scalar root") {
  SourceFile file;
  Load(file, "loki\n");
  LokiConfig l;
  std::vector<LoadFinding> findings;
  ParseLoki(file, l, findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "a Loki configuration must be a mapping, not a scalar");
}

// ------------------------------------------------------------------ Grafana

TEST_CASE("grafana: datasources, defaults, secrets and referenced uids") {
  SourceFile file;
  Load(file, R"(apiVersion: 1
deleteDatasources:
  - name: Old
    orgId: 1
datasources:
  - name: Loki
    type: loki
    uid: loki
    url: http://loki:3100
    access: proxy
    isDefault: true
    jsonData:
      derivedFields:
        - name: TraceID
          datasourceUid: jaeger
      tracesToMetrics:
        datasourceUid: 'prom'
    secureJsonData:
      basicAuthPassword: s3cret
  - name: Jaeger
    type: jaeger
    orgId: "2"
    isDefault: false
)",
       "grafana/ds.yaml");
  GrafanaDatasourceFile g;
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(file, g, findings);
  CHECK(findings.empty());
  CHECK(g.source == &file);

  REQUIRE(g.delete_names.size() == 1);
  CHECK(g.delete_names[0].value == "Old");
  CheckLoc(g.delete_names[0].loc, 3, 11);

  REQUIRE(g.datasources.size() == 2);
  const GrafanaDatasource& loki = g.datasources[0];
  CheckLoc(loki.loc, 6, 5);
  CHECK(loki.loc.file == "grafana/ds.yaml");
  CHECK(loki.name.value == "Loki");
  CheckLoc(loki.name.loc, 6, 11);
  CHECK(loki.type.value == "loki");
  CheckLoc(loki.type.loc, 7, 11);
  CHECK(loki.uid.value == "loki");
  CheckLoc(loki.uid.loc, 8, 10);
  CHECK(loki.url.value == "http://loki:3100");
  CheckLoc(loki.url.loc, 9, 10);
  CHECK(loki.url.loc.end_column == 26);
  CHECK(loki.access.value == "proxy");
  CHECK(loki.org_id.value == 1);
  CHECK_FALSE(loki.org_id.present);
  REQUIRE(loki.is_default.present);
  CHECK(loki.is_default.value);
  CheckLoc(loki.is_default.loc, 11, 16);
  REQUIRE(loki.json_data != nullptr);
  REQUIRE(loki.secure_json_data != nullptr);
  CHECK(loki.node != nullptr);
  CHECK(loki.basic_auth_password.value == "s3cret");
  CheckLoc(loki.basic_auth_password.loc, 19, 26);
  REQUIRE(loki.referenced_uids.size() == 2);
  CHECK(loki.referenced_uids[0].value == "jaeger");
  CheckLoc(loki.referenced_uids[0].loc, 15, 26);
  CHECK(loki.referenced_uids[1].value == "prom");
  CheckLoc(loki.referenced_uids[1].loc, 17, 24);
  CHECK(loki.referenced_uids[1].loc.end_column == 30);

  const GrafanaDatasource& jaeger = g.datasources[1];
  CheckLoc(jaeger.loc, 20, 5);
  CHECK_FALSE(jaeger.uid.present);
  REQUIRE(jaeger.org_id.present);
  CHECK(jaeger.org_id.value == 2);
  CheckLoc(jaeger.org_id.loc, 22, 12);
  REQUIRE(jaeger.is_default.present);
  CHECK_FALSE(jaeger.is_default.value);
  CHECK(jaeger.json_data == nullptr);
  CHECK_FALSE(jaeger.basic_auth_password.present);
  CHECK(jaeger.referenced_uids.empty());
}

TEST_CASE("grafana: every datasourceUid under jsonData") {
  SourceFile file;
  Load(file, R"(datasources:
  - name: Tempo
    jsonData:
      tracesToLogsV2: {datasourceUid: loki}
      tracesToProfiles: {datasourceUid: pyro}
      serviceMap: {datasourceUid: prom}
      lokiSearch: {datasourceUid: loki2}
      exemplarTraceIdDestinations:
        - {name: trace_id, datasourceUid: tempo}
      nodeGraph: {enabled: true}
    datasourceUid: outside-jsonData
)");
  GrafanaDatasourceFile g;
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(file, g, findings);
  CHECK(findings.empty());
  REQUIRE(g.datasources.size() == 1);
  std::vector<std::string> uids;
  for (const auto& u : g.datasources[0].referenced_uids) uids.push_back(u.value);
  CHECK(uids == std::vector<std::string>{"loki", "pyro", "prom", "loki2", "tempo"});
  CheckLoc(g.datasources[0].referenced_uids[4].loc, 9, 43);
}

TEST_CASE("grafana: wrong kinds are OBS103") {
  SourceFile file;
  Load(file, R"(deleteDatasources: Old
datasources:
  - Loki
  - name: [a]
    jsonData: [x]
    secureJsonData:
      basicAuthPassword: {a: b}
  -
)");
  GrafanaDatasourceFile g;
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(file, g, findings);
  REQUIRE(findings.size() == 5);
  for (const LoadFinding& f : findings) CHECK(f.code == "OBS103");
  CHECK(findings[0].message == "items of \"datasources\" must be mappings, not a scalar");
  CheckLoc(findings[0].loc, 3, 5);
  CHECK(findings[1].message == "\"name\" must be a string, not a list");
  CheckLoc(findings[1].loc, 4, 11);
  CHECK(findings[2].message == "\"jsonData\" must be a mapping, not a list");
  CheckLoc(findings[2].loc, 5, 15);
  CHECK(findings[3].message == "\"basicAuthPassword\" must be a string, not a mapping");
  CheckLoc(findings[3].loc, 7, 26);
  CHECK(findings[4].message == "\"deleteDatasources\" must be a list, not a scalar");
  CheckLoc(findings[4].loc, 1, 20);
  REQUIRE(g.datasources.size() == 1);
  CHECK_FALSE(g.datasources[0].name.present);
  CHECK(g.datasources[0].json_data == nullptr);

  SourceFile map_file;
  Load(map_file, "datasources:\n  loki:\n    type: loki\n");
  GrafanaDatasourceFile g2;
  findings.clear();
  ParseGrafanaDatasources(map_file, g2, findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "\"datasources\" must be a list, not a mapping");
  CheckLoc(findings[0].loc, 2, 3);
}

TEST_CASE("grafana: unknown datasource keys are OBS104 in apiVersion 1 only") {
  const std::string items = R"(datasources:
  - name: Loki
    type: loki
    isdefault: true
    maxLines: 1000
    readOnly: true
    basicAuthPassword: legacy
  - type: tempo
    tracesToLogs: {}
)";
  SourceFile file;
  Load(file, "apiVersion: 1\n" + items);
  GrafanaDatasourceFile g;
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(file, g, findings);
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].code == "OBS104");
  CHECK(findings[0].message ==
        "unknown key \"isdefault\" in datasource \"Loki\"; Grafana ignores it; did you mean \"isDefault\"?");
  CHECK(findings[0].help == "");
  CheckLoc(findings[0].loc, 5, 5);
  CHECK(findings[0].loc.end_column == 14);
  CHECK(findings[1].message ==
        "unknown key \"maxLines\" in datasource \"Loki\"; Grafana ignores it");
  CHECK(findings[1].help == "plugin settings belong under jsonData, secrets under secureJsonData");
  CheckLoc(findings[1].loc, 6, 5);
  CHECK(findings[2].message == "unknown key \"tracesToLogs\" in datasource; Grafana ignores it");
  CheckLoc(findings[2].loc, 10, 5);
  // The pre-Grafana-9 place of the password is still read.
  CHECK(g.datasources[0].basic_auth_password.value == "legacy");

  // Without apiVersion Grafana reads version 0 (snake_case keys): no check.
  SourceFile v0;
  Load(v0, items);
  GrafanaDatasourceFile g0;
  findings.clear();
  ParseGrafanaDatasources(v0, g0, findings);
  CHECK(findings.empty());
}

TEST_CASE("grafana: dashboard providers") {
  SourceFile file;
  Load(file, R"(apiVersion: 1
providers:
  - name: 'default'
    type: file
    options:
      path: /var/lib/grafana/dashboards
  - name: broken
    options: /x
)",
       "dash.yaml");
  GrafanaDashboardFile d;
  std::vector<LoadFinding> findings;
  ParseGrafanaDashboards(file, d, findings);
  CHECK(d.source == &file);
  REQUIRE(d.providers.size() == 2);
  CheckLoc(d.providers[0].loc, 3, 5);
  CHECK(d.providers[0].name.value == "default");
  CheckLoc(d.providers[0].name.loc, 3, 11);
  CHECK(d.providers[0].name.loc.end_column == 20);
  CHECK(d.providers[0].type.value == "file");
  CHECK(d.providers[0].path.value == "/var/lib/grafana/dashboards");
  CheckLoc(d.providers[0].path.loc, 6, 13);
  CHECK_FALSE(d.providers[1].path.present);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "OBS103");
  CHECK(findings[0].message == "\"options\" must be a mapping, not a scalar");
  CheckLoc(findings[0].loc, 8, 14);
}

// --------------------------------------------------------------- Prometheus

TEST_CASE("prometheus: scrape targets, remote_write, alertmanagers") {
  SourceFile file;
  Load(file, R"(global:
  scrape_interval: 15s
scrape_configs:
  - job_name: app
    scheme: https
    metrics_path: /m
    static_configs:
      - targets: ['app:8080', "db:9187"]
      - targets:
          - node:9100
  - job_name: self
    static_configs:
      - targets: [localhost:9090]
remote_write:
  - url: http://vm:8428/api/v1/write
alerting:
  alertmanagers:
    - static_configs:
        - targets: [alertmanager:9093]
)",
       "prometheus.yml");
  PrometheusConfig p;
  std::vector<LoadFinding> findings;
  ParsePrometheus(file, p, findings);
  CHECK(findings.empty());
  CHECK(p.source == &file);
  REQUIRE(p.targets.size() == 4);
  CHECK(p.targets[0].target.value == "app:8080");
  CHECK(p.targets[0].job == "app");
  CHECK(p.targets[0].scheme == "https");
  CHECK(p.targets[0].metrics_path == "/m");
  CheckLoc(p.targets[0].target.loc, 8, 19);
  CHECK(p.targets[0].target.loc.end_column == 29);
  CHECK(p.targets[1].target.value == "db:9187");
  CheckLoc(p.targets[1].target.loc, 8, 31);
  CHECK(p.targets[2].target.value == "node:9100");
  CheckLoc(p.targets[2].target.loc, 10, 13);
  CHECK(p.targets[3].target.value == "localhost:9090");
  CHECK(p.targets[3].job == "self");
  CHECK(p.targets[3].scheme == "http");
  CHECK(p.targets[3].metrics_path == "/metrics");
  CheckLoc(p.targets[3].target.loc, 13, 19);
  REQUIRE(p.remote_write_urls.size() == 1);
  CHECK(p.remote_write_urls[0].value == "http://vm:8428/api/v1/write");
  CheckLoc(p.remote_write_urls[0].loc, 15, 10);
  REQUIRE(p.alertmanager_targets.size() == 1);
  CHECK(p.alertmanager_targets[0].value == "alertmanager:9093");
  CheckLoc(p.alertmanager_targets[0].loc, 19, 21);
}

TEST_CASE("prometheus: wrong kinds are OBS103") {
  SourceFile file;
  Load(file, R"(scrape_configs:
  - job_name: [x]
    static_configs:
      - targets: {a: b}
      - targets: [ok:1, [nested]]
  - plain
remote_write: {url: http://x}
alerting: []
)");
  PrometheusConfig p;
  std::vector<LoadFinding> findings;
  ParsePrometheus(file, p, findings);
  REQUIRE(findings.size() == 6);
  for (const LoadFinding& f : findings) CHECK(f.code == "OBS103");
  CHECK(findings[0].message == "items of \"scrape_configs\" must be mappings, not a scalar");
  CheckLoc(findings[0].loc, 6, 5);
  CHECK(findings[1].message == "\"job_name\" must be a string, not a list");
  CheckLoc(findings[1].loc, 2, 15);
  CHECK(findings[2].message == "\"targets\" must be a list, not a mapping");
  CheckLoc(findings[2].loc, 4, 18);
  CHECK(findings[3].message == "items of \"targets\" must be \"host:port\" strings, not a list");
  CheckLoc(findings[3].loc, 5, 25);
  CHECK(findings[4].message == "\"remote_write\" must be a list, not a mapping");
  CheckLoc(findings[4].loc, 7, 15);
  CHECK(findings[5].message == "\"alerting\" must be a mapping, not a list");
  CheckLoc(findings[5].loc, 8, 11);
  REQUIRE(p.targets.size() == 1);
  CHECK(p.targets[0].target.value == "ok:1");
  CHECK(p.targets[0].job.empty());
}

// -------------------------------------------------------------- no crashes

TEST_CASE("parsers: no crash and no finding on empty values of any shape") {
  const char* docs[] = {
      "",
      "~\n",
      "42\n",
      "[1, 2]\n",
      "{}\n",
      "a: &a {b: *a}\n",
      "receivers:\nprocessors:\nexporters:\nextensions:\nconnectors:\nservice:\n",
      "service: {pipelines: {traces: }}\n",
      "server:\ncommon:\nschema_config:\n  configs:\nruler:\ncompactor:\n",
      "datasources:\ndeleteDatasources:\nproviders:\n",
      "datasources: [{jsonData: }]\nproviders: [{options: }]\n",
      "scrape_configs:\nremote_write:\nalerting:\n  alertmanagers:\n",
      "scrape_configs: [{static_configs: [{targets: }]}]\n",
      "? [complex, key]\n: value\n",
      "x: [unclosed\n",
  };
  for (const char* doc : docs) {
    CAPTURE(doc);
    SourceFile file;
    Load(file, doc);
    std::vector<LoadFinding> findings;
    CollectorConfig c;
    ParseCollector(file, c, findings);
    LokiConfig l;
    ParseLoki(file, l, findings);
    GrafanaDatasourceFile g;
    ParseGrafanaDatasources(file, g, findings);
    GrafanaDashboardFile d;
    ParseGrafanaDashboards(file, d, findings);
    PrometheusConfig p;
    ParsePrometheus(file, p, findings);
    SniffKind(file.yaml.root);
    const yaml::Node* root = file.yaml.root;
    bool wrong_root = root != nullptr && !root->IsMap() && !root->IsNull();
    if (!wrong_root) CHECK(findings.empty());
  }
}

TEST_CASE("grafana: aliased jsonData is walked once, not exponentially") {
  std::string doc = "x0: &x0 {datasourceUid: u}\n";
  for (int i = 1; i < 40; ++i)
    doc += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [*x" + std::to_string(i - 1) +
           ", *x" + std::to_string(i - 1) + "]\n";
  doc += "datasources:\n  - name: a\n    jsonData: {deep: *x39}\n";
  SourceFile file;
  Load(file, doc);
  GrafanaDatasourceFile g;
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(file, g, findings);
  REQUIRE(g.datasources.size() == 1);
  CHECK(g.datasources[0].referenced_uids.size() == 1);
}

// ------------------------------------------------------------------ sniffing

TEST_CASE("sniff: each kind") {
  CHECK(Sniff("receivers:\n  otlp:\nexporters:\n  debug:\n") == FileKind::kCollector);
  CHECK(Sniff("service:\n  pipelines:\n    traces:\n") == FileKind::kCollector);
  CHECK(Sniff("auth_enabled: false\nserver:\n  http_listen_port: 3100\n"
              "common:\n  path_prefix: /l\n") == FileKind::kLoki);
  CHECK(Sniff("schema_config:\n  configs: []\n") == FileKind::kLoki);
  CHECK(Sniff("ingester:\n  wal:\n    enabled: true\n") == FileKind::kLoki);
  CHECK(Sniff("server:\n  http_listen_port: 3100\nlimits_config:\n  retention_period: 1d\n") ==
        FileKind::kLoki);
  CHECK(Sniff("apiVersion: 1\ndatasources:\n  - name: x\n") == FileKind::kGrafanaDatasources);
  CHECK(Sniff("apiVersion: 1\ndeleteDatasources:\n  - name: x\n") ==
        FileKind::kGrafanaDatasources);
  CHECK(Sniff("apiVersion: 1\nproviders:\n  - name: x\n") == FileKind::kGrafanaDashboards);
  CHECK(Sniff("scrape_configs:\n  - job_name: x\n") == FileKind::kPrometheus);
  CHECK(Sniff("global:\n  scrape_interval: 1s\nscrape_configs:\n") == FileKind::kPrometheus);
  CHECK(Sniff("remote_write:\n  - url: http://vm:8428\n") == FileKind::kPrometheus);
  CHECK(Sniff("global: {}\nrule_files: [a.yml]\n") == FileKind::kPrometheus);
}

TEST_CASE("sniff: look-alikes are not misread") {
  // Tempo: server, distributor, ingester, compactor like Loki.
  CHECK(Sniff("server:\n  http_listen_port: 3200\ndistributor:\n  receivers:\n    otlp:\n"
              "ingester:\n  max_block_duration: 5m\ncompactor:\n  compaction:\n"
              "    block_retention: 1h\nstorage:\n  trace:\n    backend: local\n") ==
        FileKind::kOther);
  CHECK(Sniff("stream_over_http_enabled: true\nserver: {}\ningester: {}\n") == FileKind::kOther);
  // Mimir: ingester and common, but blocks storage.
  CHECK(Sniff("multitenancy_enabled: false\nblocks_storage:\n  backend: filesystem\n"
              "ingester:\n  ring: {}\nserver: {}\nlimits: {}\n") == FileKind::kOther);
  CHECK(Sniff("target: all\nlimits: {}\ningester: {}\n") == FileKind::kOther);
  // promtail: scrape_configs like Prometheus, but pushes to clients.
  CHECK(Sniff("server:\n  http_listen_port: 9080\npositions:\n  filename: /tmp/p.yaml\n"
              "clients:\n  - url: http://loki:3100/loki/api/v1/push\nscrape_configs:\n"
              "  - job_name: system\n") == FileKind::kOther);
  // Alertmanager: receivers is a list and there is a route.
  CHECK(Sniff("route:\n  receiver: default\nreceivers:\n  - name: default\n") ==
        FileKind::kOther);
  CHECK(Sniff("global: {}\nroute: {receiver: x}\nreceivers: [{name: x}]\n") == FileKind::kOther);
  // Prometheus rules, Grafana plugin provisioning, compose, junk.
  CHECK(Sniff("groups:\n  - name: x\n    rules: []\n") == FileKind::kOther);
  CHECK(Sniff("apiVersion: 1\napps:\n  - type: x\n") == FileKind::kOther);
  CHECK(Sniff("services:\n  loki:\n    image: grafana/loki\n") == FileKind::kOther);
  CHECK(Sniff("datasources: {a: b}\n") == FileKind::kOther);
  CHECK(Sniff("") == FileKind::kOther);
  CHECK(Sniff("[receivers, exporters]\n") == FileKind::kOther);
}

}  // namespace
}  // namespace obslint
