// The typed model of a whole stack. Plain structs, built once by the parsers
// and read (never changed) by the rules.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "model/json.h"
#include "model/location.h"
#include "model/yaml.h"

namespace obslint {

enum class FileKind {
  kCompose,
  kEnv,
  kCollector,
  kLoki,
  kGrafanaDatasources,
  kGrafanaDashboards,
  kPrometheus,  // Prometheus or vmagent scrape config
  kGrafanaDashboard,  // a dashboard JSON a file provider loads
  kGrafanaAlerting,   // alerting provisioning (provisioning/alerting/*.yaml)
  kGrafanaIni,        // grafana.ini
  kOther,
};
std::string_view FileKindName(FileKind kind);
// The file kind of an image's config (knowledge `config_kind`: collector,
// loki, prometheus, vmagent); kOther for the rest (Grafana reads directories).
FileKind KindFromConfigKind(std::string_view kind);

// Whether `path` is `dir` or below it (lexically; trailing slashes of `dir`
// ignored).
bool PathInside(std::string_view path, std::string_view dir);

// A file read from disk. `content` is kept for snippets and suppressions.
struct SourceFile {
  std::string path;      // display path, relative to the working directory
  std::string abs_path;  // canonical absolute path
  std::string content;
  FileKind kind = FileKind::kOther;
  std::vector<size_t> line_starts;  // byte offset of every line start
  yaml::Document yaml;              // parsed tree for YAML files
  std::string used_by;              // service that mounts/uses it ("" = found in the tree)

  void IndexLines();
  // Text of 1-based `line` without its newline; empty when out of range.
  std::string_view Line(int line) const;
  int LineCount() const { return static_cast<int>(line_starts.size()); }
};

// Location of bytes [begin, end) of `file` (line and byte column, 1-based);
// an end on another line is kept as end_line/end_column.
Location OffsetLocation(const SourceFile& file, size_t begin, size_t end);

// ---------------------------------------------------------------- compose

// One `${...}` / `$VAR` reference inside a value.
struct VarRef {
  std::string name;
  std::string op;       // "", ":-", "-", ":?", "?", ":+", "+"
  std::string arg;      // default / error message / alternative (raw, may nest)
  size_t offset = 0;    // byte offset of '$' in the raw value
  size_t length = 0;    // length of the whole reference
  bool braced = false;
};

// A string value as written and as Compose resolves it.
struct Interpolated {
  std::string raw;
  std::string resolved;
  std::vector<VarRef> refs;     // top-level references (nested defaults are in arg)
  bool unresolved = false;      // a referenced variable is unset and has no default
  bool HasVars() const { return !refs.empty(); }
};

struct PortMapping {
  Location loc;
  std::string raw;
  std::string host_ip;      // "" = all interfaces
  int host_start = 0;       // 0 = not published / random host port
  int host_end = 0;
  int container_start = 0;
  int container_end = 0;
  std::string protocol = "tcp";
  bool valid = true;
  std::string error;        // why it does not parse
  bool IsPublished() const { return host_start > 0 || (host_start == 0 && valid && published_random); }
  bool published_random = false;  // "3000" short form publishes on a random host port
};

struct VolumeMount {
  Location loc;
  Location source_loc;
  std::string raw;
  std::string type;    // bind | volume | tmpfs | npipe | cluster
  std::string source;  // as written (interpolated)
  std::string target;
  bool read_only = false;
  std::string host_path;  // bind: absolute host path (lexically normalised)
  // What discovery found at host_path (bind mounts only).
  enum class HostState { kUnknown, kMissing, kFile, kDirectory, kOutsideRoot, kOther };
  HostState host_state = HostState::kUnknown;
};

struct ServiceNetwork {
  Located<std::string> name;
  std::vector<Located<std::string>> aliases;
};

struct DependsOn {
  Located<std::string> service;
  std::string condition = "service_started";
  Location condition_loc;
  bool required = true;  // `required: false`: Compose skips a dependency that does not start
};

struct EnvVar {
  std::string key;
  Location key_loc;
  Location value_loc;
  bool has_value = false;  // "KEY" alone in a list takes the value from the shell
  Interpolated value;
  std::string from_file;   // env_file path when set by env_file:
};

struct Healthcheck {
  bool present = false;
  bool disabled = false;
  Location loc;
  std::vector<Located<std::string>> test;  // CMD / CMD-SHELL form, split
  std::string test_form;                   // CMD, CMD-SHELL, NONE, or "" for a string
};

struct ImageRef {
  Located<std::string> text;  // as resolved
  std::string repository;     // "grafana/grafana", registry kept: "ghcr.io/x/y"
  std::string tag;            // "" when none
  std::string digest;         // "sha256:..." or ""
};

struct ComposeService {
  std::string name;
  Location name_loc;
  std::string compose_file;  // display path of the file that declared it
  std::string compose_dir;   // absolute dir, base for relative paths
  const yaml::Node* node = nullptr;

  ImageRef image;
  bool has_build = false;
  std::vector<Located<std::string>> command;  // split into words
  Location command_loc;
  bool command_present = false;
  std::vector<Located<std::string>> entrypoint;
  Location entrypoint_loc;
  std::vector<EnvVar> environment;  // env_file first, then environment:, later wins
  std::vector<Located<std::string>> env_files;  // absolute host paths
  std::vector<PortMapping> ports;
  std::vector<Located<std::string>> expose;
  std::vector<VolumeMount> volumes;
  std::vector<ServiceNetwork> networks;
  bool networks_declared = false;
  Located<std::string> network_mode;
  std::vector<DependsOn> depends_on;
  Healthcheck healthcheck;
  Located<std::string> container_name;
  Located<std::string> hostname;
  bool has_memory_limit = false;
  bool has_cpu_limit = false;
  std::vector<std::string> profiles;
  Location profiles_loc;  // of the `profiles:` key
  // Whether `docker compose up` starts it under the active profiles: always
  // without `profiles:`, else when one of them is active. Rules asking "does
  // the stack run X" look only at services that start.
  bool starts = true;

  // Last value of an environment variable, or nullptr.
  const EnvVar* Env(std::string_view key) const;
  // Where Grafana reads provisioning files in this service's container:
  // GF_PATHS_PROVISIONING, else /etc/grafana/provisioning.
  std::string GrafanaProvisioningDir() const;
  // Whole command + entrypoint words.
  std::vector<const Located<std::string>*> Args() const;
  // Value of a command-line flag: `--name=v`, `-name=v`, `--name v`; nullopt if absent.
  std::optional<Located<std::string>> Flag(std::string_view name) const;
  // Every value of a flag that may repeat (vmagent -remoteWrite.url), in order.
  std::vector<Located<std::string>> FlagValues(std::string_view name) const;
  // A boolean flag given and not `=false` ("web.enable-remote-write-receiver"),
  // or, for "flag=item", `item` in the comma list of some `--flag=a,b`.
  bool FlagEnabled(std::string_view spec) const;
  // Every file path given with config flag `flag` ("config", "config.file"):
  // `--config=/a`, `-config.file /a`, `--config=file:/a`. Provider URIs
  // (env:, yaml:, http:) are left out.
  std::vector<Located<std::string>> ConfigPaths(std::string_view flag) const;
  // The volume or bind mount that holds container path `path` (the deepest
  // one when mounts nest); nullptr when none does.
  const VolumeMount* MountFor(std::string_view path) const;
  // Files its `configs:` entries place in the container, from the project's
  // top-level `configs:` with `file:`: (container path, absolute host path).
  std::vector<std::pair<std::string, std::string>> ConfigFiles(
      const struct ComposeProject& project) const;
  // Host path of container file `path`: through a bind mount, else a
  // `configs:` entry; "" when neither provides it.
  std::string HostFileFor(const struct ComposeProject& project, std::string_view path) const;
};

struct TopLevelDecl {
  std::string name;
  Location loc;
  bool external = false;
  // configs/secrets: the host file of `file:`, absolute and interpolated;
  // "" when there is none (or it holds an unset variable).
  std::string file;
  // volumes: a local-driver bind (`driver_opts: {type: none, o: bind,
  // device: ./data}`): the device as written, its absolute host path ("" when
  // it holds an unset variable) and its position.
  std::string bind_device;
  std::string bind_device_path;
  Location bind_device_loc;
};

struct ComposeFile {
  std::string path;  // display path
  const SourceFile* source = nullptr;
  // How the project reads it: "file" (-f, COMPOSE_FILE or found), "include",
  // "extends".
  std::string role = "file";
};

// A service that inherits values through `extends` (directly or through a
// chain): findings on an inherited value point at the base definition, with
// a note at the `extends:` that brings it in.
struct ExtendsLink {
  std::string service;       // the service of the project that extends
  Location extends_loc;      // its `extends:` key
  std::string base_service;  // a definition it inherits from
  std::string base_file;     // display path of that definition
  int first_line = 0;        // lines of that definition
  int last_line = 0;
};

// An `extends` Compose refuses (OBS212): no such service or file, a cycle.
struct ExtendsProblem {
  Location loc;
  std::string message;
  std::string help;
};

struct ComposeProject {
  std::vector<ComposeFile> files;
  std::vector<ComposeService> services;  // every service of the model, started or not
  std::vector<TopLevelDecl> networks, volumes, secrets, configs;
  std::vector<Location> version_keys;  // top-level `version:` of each file
  std::string name;                    // project name (COMPOSE_PROJECT_NAME, name:, directory)
  std::string files_from;              // "COMPOSE_FILE in .env" when that chose the files
  // Active profiles and where they come from ("--profile", "COMPOSE_PROFILES
  // in .env", ...; "" when none is set). "*" = every profile (--all-profiles).
  std::vector<std::string> active_profiles;
  std::string profiles_from;
  std::vector<ExtendsLink> extends;
  std::vector<ExtendsProblem> extends_problems;
  // Nodes the merge built (the merged model refers to them and to the
  // files' own nodes); ComposeService::node points into this model.
  std::deque<yaml::Node> merged_nodes;

  // The services `docker compose up` starts, in model order.
  std::vector<const ComposeService*> Running() const;
  // Profiles some service declares, sorted, without duplicates.
  std::vector<std::string> DeclaredProfiles() const;

 private:
  mutable std::unordered_map<std::string_view, const ComposeService*> index_;
  mutable size_t indexed_size_ = 0;
  mutable const ComposeService* indexed_data_ = nullptr;
 public:

  // By service name; an index is built on first use (stacks can hold
  // thousands of services, and rules look services up in loops).
  const ComposeService* Service(std::string_view name) const;
  const TopLevelDecl* Network(std::string_view name) const;
  const TopLevelDecl* Volume(std::string_view name) const;
};

// A variable read by Compose interpolation, for OBS206 / OBS601.
struct VarUse {
  VarRef ref;
  Location loc;  // of the value containing it
  bool from_compose = true;
};

// ------------------------------------------------------------------- .env

struct EnvEntry {
  std::string key;
  std::string value;  // unquoted, escapes applied
  Location key_loc;
  Location value_loc;
  bool quoted = false;
};

struct EnvFile {
  const SourceFile* source = nullptr;
  std::vector<EnvEntry> entries;
  bool is_project_env = false;  // the `.env` beside a compose file / --env-file
  // A template standing in for a missing .env (.env.example, .env.sample,
  // .env.template, .env.dist): read for interpolation, but its values are
  // placeholders by design.
  bool is_example = false;
  const EnvEntry* Find(std::string_view key) const;  // last wins
};

// -------------------------------------------------------------- collector

struct ComponentRef {
  std::string id;      // "otlp/jaeger"
  std::string type;    // "otlp"
  std::string name;    // "jaeger"
  Location loc;
};

struct CollectorComponent {
  std::string kind;  // receivers | processors | exporters | extensions | connectors
  std::string id;
  std::string type;
  std::string name;
  Location loc;  // of the key
  const yaml::Node* config = nullptr;
};

struct CollectorPipeline {
  std::string id;      // "traces/2"
  std::string signal;  // "traces"
  Location loc;
  std::vector<ComponentRef> receivers, processors, exporters;
  bool has_receivers_key = false, has_exporters_key = false;
};

struct CollectorConfig {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;  // compose services that run this config
  std::vector<CollectorComponent> components;
  std::vector<CollectorPipeline> pipelines;
  std::vector<ComponentRef> service_extensions;
  const yaml::Node* telemetry = nullptr;
  const CollectorComponent* Find(std::string_view kind, std::string_view id) const;
};

// ------------------------------------------------------------------- Loki

struct LokiSchema {
  Located<std::string> from, store, object_store, schema;
};

struct LokiConfig {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  Located<bool> auth_enabled;
  Located<int> http_listen_port;
  Located<int> grpc_listen_port;
  Located<std::string> path_prefix;
  std::vector<Located<std::string>> data_paths;  // chunks_directory, rules_directory, tsdb/boltdb dirs ...
  std::vector<LokiSchema> schemas;
  Located<std::string> alertmanager_url;
  Located<std::string> retention_period;  // limits_config.retention_period
  Located<bool> retention_enabled;        // compactor.retention_enabled
};

// ---------------------------------------------------------------- Grafana

struct GrafanaDatasource {
  Location loc;  // of the list item
  Located<std::string> name, type, uid, url, access;
  Located<int> org_id;  // default 1
  Located<bool> is_default;
  const yaml::Node* node = nullptr;
  const yaml::Node* json_data = nullptr;
  const yaml::Node* secure_json_data = nullptr;
  Located<std::string> basic_auth_password;
  // Every datasourceUid referenced from jsonData (derivedFields, tracesToLogs...).
  std::vector<Located<std::string>> referenced_uids;
};

struct GrafanaDatasourceFile {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  std::vector<GrafanaDatasource> datasources;
  std::vector<Located<std::string>> delete_names;
};

struct GrafanaDashboardProvider {
  Location loc;
  Located<std::string> name, type, path;
  Located<std::string> folder, folder_uid;   // "" folder = General
  Located<int> org_id;                       // default 1
  Located<bool> folders_from_files_structure;
};

struct GrafanaDashboardFile {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  std::vector<GrafanaDashboardProvider> providers;
};

// A datasource reference inside a dashboard: `"datasource": {"type": ..,
// "uid": ..}`, a legacy name string, or `${var}` of a dashboard variable.
struct GrafanaDatasourceRef {
  Located<std::string> uid;    // object: its uid; string form: the string (with its quotes)
  Located<std::string> type;   // object: its type (absent in the string form)
  bool object_form = false;
  std::string where;           // "panel \"CPU\"", "query A of panel \"CPU\"", "variable \"job\""
  // Queries of the same panel that reference the same datasource the same
  // way are folded into the panel's entry and only counted here.
  int repeats = 0;
  int Count() const { return 1 + repeats; }
};

struct GrafanaDashboardVariable {
  std::string name;
  std::string type;   // query, datasource, custom, constant, ...
  std::string query;  // datasource variables: the plugin type they list
  Location loc;       // of the variable's name
};

// An entry of `__inputs` ("Export for sharing externally").
struct GrafanaDashboardInput {
  std::string name;       // DS_PROMETHEUS
  std::string type;       // datasource | constant
  std::string plugin_id;  // prometheus
  Location loc;
};

struct GrafanaDashboard {
  const SourceFile* source = nullptr;
  json::Document json;             // the positioned JSON tree (json.Root() is the dashboard)
  std::vector<std::string> services;  // Grafana services whose providers load it
  std::string container_path;      // where Grafana reads it
  // The provider that loads it, as Grafana files it.
  std::string provider;            // provider name
  Location provider_loc;
  int org_id = 1;
  std::string folder;              // folder title ("" = General)
  std::string folder_uid;          // provider folderUid, when set
  Located<std::string> uid, title;
  Location inputs_loc;             // of `__inputs` (no position when absent)
  std::vector<GrafanaDashboardInput> inputs;
  std::vector<GrafanaDashboardVariable> variables;
  std::vector<GrafanaDatasourceRef> refs;
  const GrafanaDashboardVariable* Variable(std::string_view name) const;
};

// ------------------------------------------------- Grafana alerting provisioning

struct GrafanaAlertQuery {
  Location loc;                          // the list item
  Located<std::string> ref_id, datasource_uid;
  const yaml::Node* model = nullptr;
};

struct GrafanaAlertRule {
  Location loc;                          // the list item
  int org_id = 1;
  std::string group, folder;
  Located<std::string> uid, title, condition;
  std::vector<GrafanaAlertQuery> data;
  Located<std::string> receiver;         // notification_settings.receiver (simplified routing)
};

struct GrafanaContactPointReceiver {
  Location loc;
  Located<std::string> uid, type;
  const yaml::Node* settings = nullptr;
};

struct GrafanaContactPoint {
  Location loc;
  int org_id = 1;
  Located<std::string> name;
  std::vector<GrafanaContactPointReceiver> receivers;
};

// A contact point named by a notification policy route (any depth).
struct GrafanaPolicyReceiver {
  int org_id = 1;
  Located<std::string> name;
};

struct GrafanaAlertingFile {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  std::vector<GrafanaAlertRule> rules;
  std::vector<GrafanaContactPoint> contact_points;
  std::vector<GrafanaPolicyReceiver> policy_receivers;
  std::vector<Located<std::string>> templates, mute_times;   // names
  std::vector<Located<std::string>> delete_rules, delete_contact_points,  // uids
      delete_templates, delete_mute_times;                               // names
  std::vector<Located<int>> reset_policies;                              // org ids
};

// ------------------------------------------------------------ grafana.ini

// One `key = value` line. Grafana reads the file with go-ini: keys before
// any section belong to section "DEFAULT"; `;` and `#` start comments, also
// after a value unless it is wrapped in """triple quotes"""; surrounding
// quotes are dropped.
struct GrafanaIniEntry {
  std::string section;           // as written ("auth.anonymous", "DEFAULT")
  std::string key;
  std::string value;             // after comments and quotes are removed
  Location key_loc;
  Location value_loc;            // the value's text (empty value: just after `=`)
};

struct GrafanaIni {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  std::vector<GrafanaIniEntry> entries;  // in file order; a later duplicate wins
  // The entry Grafana uses for (section, key), or nullptr.
  const GrafanaIniEntry* Find(std::string_view section, std::string_view key) const;
};

// Which grafana.ini a Grafana service runs with: `--config` in its command,
// else GF_PATHS_CONFIG, else the image's /etc/grafana/grafana.ini.
struct GrafanaConfigUse {
  std::string service;
  std::string container_path;
  bool provided = false;  // a mount or `configs:` entry puts a file there (read or not)
  int ini = -1;           // index into Project::grafana_inis when it was read
};

// ------------------------------------------------------------- Prometheus

struct ScrapeTarget {
  Located<std::string> target;  // "host:port"
  std::string job;
  std::string scheme = "http";
  std::string metrics_path = "/metrics";
};

struct PrometheusConfig {
  const SourceFile* source = nullptr;
  std::vector<std::string> services;
  std::vector<ScrapeTarget> targets;
  std::vector<Located<std::string>> remote_write_urls;
  std::vector<Located<std::string>> alertmanager_targets;
};

// ---------------------------------------------------------------- project

// A suppression comment found in a file.
struct Suppression {
  Location loc;
  std::vector<std::string> codes;  // empty = all codes
  bool whole_file = false;
  int applies_to_line = 0;  // the line it covers (its own line or the next)
  std::string reason;
};

// A problem found while loading (OBS1xx, some OBS2xx); emitted by the engine.
struct LoadFinding {
  std::string code;
  Location loc;
  std::string message;
  std::string help;
  std::vector<std::pair<Location, std::string>> related;
};

// The `policy:` section of .obslint.yaml (OBS9xx).
struct AnalyticsPolicy {
  bool declared = false;  // analytics: present in a config file
  bool enabled = false;
  std::vector<std::string> types;  // web, product
  std::string provider;            // posthog | mixpanel | amplitude | umami
  std::string hosting;             // self-hosted | cloud
  Location loc;                    // of the analytics: key
  // profiles: the Compose profile that implements each type ("" = none
  // named): its services must carry it, and they run when it is active.
  Located<std::string> web_profile;
  Located<std::string> product_profile;
};

struct Policy {
  std::string config_path;  // display path of the .obslint.yaml it came from ("" = none)
  AnalyticsPolicy analytics;
  std::vector<Located<std::string>> require;  // roles or image patterns
  std::vector<Located<std::string>> forbid;   // RE2 on image references
};

struct Project {
  std::string root;  // absolute stack root
  std::deque<SourceFile> files;  // stable addresses
  ComposeProject compose;
  std::vector<EnvFile> env_files;
  std::map<std::string, std::string> variables;  // resolved interpolation variables (.env, --env-file, shell)
  std::vector<VarUse> var_uses;
  std::vector<CollectorConfig> collectors;
  std::vector<LokiConfig> lokis;
  std::vector<GrafanaDatasourceFile> datasource_files;
  std::vector<GrafanaDashboardFile> dashboard_files;
  std::deque<GrafanaDashboard> dashboards;        // stable addresses (rules keep pointers)
  std::vector<GrafanaAlertingFile> alerting_files;
  std::vector<GrafanaIni> grafana_inis;
  std::vector<GrafanaConfigUse> grafana_configs;  // one per Grafana service
  std::vector<PrometheusConfig> prometheus;
  std::vector<LoadFinding> load_findings;
  std::vector<Suppression> suppressions;
  Policy policy;

  const SourceFile* FileByPath(std::string_view display_path) const;
};

}  // namespace obslint
