// One parser per file format. Each reads an already-parsed SourceFile
// (file.yaml) into its model struct; problems of the input (wrong types,
// unknown keys) are appended to `findings` as OBS1xx, never thrown.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/project.h"

namespace obslint {

// Helpers shared by parsers: a located scalar from a node.
Located<std::string> LocatedScalar(const yaml::Node* node, const std::string& file);
// An OBS103 finding (the image rejects the file at start) at the node.
LoadFinding& ReportInvalid(const yaml::Node* node, const std::string& file, std::string message,
                           std::vector<LoadFinding>& findings);
// OBS103 "`what` must be `expected`, not <kind>" at the node.
void ReportWrongType(const yaml::Node* node, const std::string& file, std::string_view what,
                     std::string_view expected, std::vector<LoadFinding>& findings);
// The mapping / list under `key` of `parent`; nullptr when absent or empty.
// A value of another kind is reported (OBS103) and also gives nullptr.
const yaml::Node* MapAt(const yaml::Node* parent, std::string_view key, const std::string& file,
                        std::vector<LoadFinding>& findings);
const yaml::Node* ListAt(const yaml::Node* parent, std::string_view key, const std::string& file,
                         std::vector<LoadFinding>& findings);

void ParseCollector(const SourceFile& file, CollectorConfig& out, std::vector<LoadFinding>& findings);
void ParseLoki(const SourceFile& file, LokiConfig& out, std::vector<LoadFinding>& findings);
void ParseGrafanaDatasources(const SourceFile& file, GrafanaDatasourceFile& out,
                             std::vector<LoadFinding>& findings);
void ParseGrafanaDashboards(const SourceFile& file, GrafanaDashboardFile& out,
                            std::vector<LoadFinding>& findings);
// Grafana: a dashboard JSON (parsed into out.json, then walked), an alerting
// provisioning file, grafana.ini.
void ParseGrafanaDashboard(const SourceFile& file, GrafanaDashboard& out,
                           std::vector<LoadFinding>& findings);
void ParseGrafanaAlerting(const SourceFile& file, GrafanaAlertingFile& out,
                          std::vector<LoadFinding>& findings);
void ParseGrafanaIni(const SourceFile& file, GrafanaIni& out, std::vector<LoadFinding>& findings);
void ParsePrometheus(const SourceFile& file, PrometheusConfig& out, std::vector<LoadFinding>& findings);

// .env in Compose's dotenv dialect. `expand` resolves ${VAR} inside unquoted
// and double-quoted values against earlier entries and `outer`.
void ParseDotenv(const SourceFile& file, EnvFile& out, std::vector<LoadFinding>& findings);

// Which kind of config a YAML file is, from its top-level keys (used when no
// service's image and mount path say it).
FileKind SniffKind(const yaml::Node* root);

}  // namespace obslint
