// libFuzzer: every rule over a project built from the input. The input is
// split at lines "#---" into a compose file, a collector config, a Loki
// config, a Grafana datasource file and a .env, so rules see
// arbitrary but consistent models.
#include <string>

#include "engine/engine.h"
#include "fuzz_common.h"
#include "knowledge/knowledge.h"
#include "parse/compose.h"
#include "parse/parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace obslint;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  std::string_view parts[5];
  for (int i = 0; i < 5; ++i) {
    size_t sep = all.find("#---");
    parts[i] = all.substr(0, sep);
    all = sep == std::string_view::npos ? std::string_view() : all.substr(sep + 4);
  }
  Project project;
  project.root = "/fuzz";
  const char* names[5] = {"compose.yaml", "otel.yaml", "loki.yaml", "ds.yaml", ".env"};
  for (int i = 0; i < 5; ++i) {
    SourceFile& f = project.files.emplace_back();
    fuzz::Load(reinterpret_cast<const uint8_t*>(parts[i].data()), parts[i].size(), f, i != 4);
    f.path = names[i];
  }
  EnvFile& env = project.env_files.emplace_back();
  env.is_project_env = true;
  ParseDotenv(project.files[4], env, project.load_findings);
  for (const auto& e : env.entries) project.variables[e.key] = e.value;
  VarLookup lookup = [&](std::string_view name) -> const std::string* {
    auto it = project.variables.find(std::string(name));
    return it == project.variables.end() ? nullptr : &it->second;
  };
  ComposeParseResult r;
  ParseComposeFile(project.files[0], "/fuzz", lookup, r, project.var_uses, project.load_findings);
  project.compose.services = std::move(r.services);
  project.compose.networks = std::move(r.networks);
  project.compose.volumes = std::move(r.volumes);
  project.compose.version_keys = std::move(r.version_keys);
  project.compose.files.push_back({"compose.yaml", &project.files[0]});
  std::vector<std::string> users;
  for (const auto& s : project.compose.services) users.push_back(s.name);
  CollectorConfig& c = project.collectors.emplace_back();
  c.services = users;
  ParseCollector(project.files[1], c, project.load_findings);
  LokiConfig& l = project.lokis.emplace_back();
  l.services = users;
  ParseLoki(project.files[2], l, project.load_findings);
  GrafanaDatasourceFile& d = project.datasource_files.emplace_back();
  d.services = users;
  ParseGrafanaDatasources(project.files[3], d, project.load_findings);
  CollectSuppressions(project);
  RunRules(project, Knowledge::Embedded(), RuleSelection{});
  return 0;
}
