// libFuzzer: collector, Loki, Grafana and Prometheus parsers and the sniffer
// on the same input.
#include "fuzz_common.h"
#include "parse/parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  obslint::SourceFile file;
  obslint::fuzz::Load(data, size, file);
  std::vector<obslint::LoadFinding> findings;
  obslint::SniffKind(file.yaml.root);
  obslint::CollectorConfig collector;
  obslint::ParseCollector(file, collector, findings);
  obslint::LokiConfig loki;
  obslint::ParseLoki(file, loki, findings);
  obslint::GrafanaDatasourceFile ds;
  obslint::ParseGrafanaDatasources(file, ds, findings);
  obslint::GrafanaDashboardFile db;
  obslint::ParseGrafanaDashboards(file, db, findings);
  obslint::PrometheusConfig prom;
  obslint::ParsePrometheus(file, prom, findings);
  return 0;
}
