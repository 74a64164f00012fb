// What obslint knows about images and collector components, loaded from
// knowledge/*.yaml (converted to JSON and embedded at build time).
// Rules ask questions here instead of hard-coding image facts.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obslint {

// A dotted release number. Tags such as "v1.96.0", "0.92.0", "15-alpine",
// "postgresql-v2.10.1" parse to their first numeric run; "latest", digests and
// tags without digits are not known (known == false).
struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  bool known = false;

  static Version Parse(std::string_view text);
  std::string ToString() const;  // "0.92.0"
  friend bool operator<(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b);
  friend bool operator<=(const Version& a, const Version& b) { return !(b < a); }
  friend bool operator>(const Version& a, const Version& b) { return b < a; }
  friend bool operator>=(const Version& a, const Version& b) { return !(a < b); }
};

// A port an image listens on (inside the container).
struct PortSpec {
  int port = 0;
  std::string protocol;  // http, grpc, otlp-grpc, otlp-http, zipkin, postgres, redis, tcp, udp, ...
  std::string name;      // short human label: "UI", "OTLP gRPC"
  // The port only listens when env var `enabled_by_env` is "true"
  // (`enabled_by_env_default` says what an unset variable means).
  std::string enabled_by_env;
  bool enabled_by_env_default = true;
  // The variable (or flag) enables the port by being set to any non-empty
  // value rather than "true" (Jaeger COLLECTOR_ZIPKIN_HOST_PORT holds a
  // [host]:port).
  bool enabled_when_set = false;
  // A command-line flag that enables the port as well ("collector.otlp.enabled"
  // for `--collector.otlp.enabled=true`); "" when there is none.
  std::string enabled_by_flag;
  // How the port can be moved: environment variable holding the port
  // (Grafana GF_SERVER_HTTP_PORT), command-line flag holding [host]:port
  // (VictoriaMetrics -httpListenAddr), or a dotted key in the image's own
  // config file (Loki server.http_listen_port).
  std::string override_env;
  std::string override_flag;
  std::string override_config;
  // Binds localhost inside the container unless an override gives another
  // address (Alloy's UI on 127.0.0.1:12345).
  bool local_by_default = false;
  // A dotted key of the image's own config that must be present for the
  // port to listen (Tempo "distributor.receivers.otlp.protocols.grpc");
  // `override_config` then holds its "[host]:port" endpoint.
  std::string enabled_by_config;
  // With enabled_by_config: the section whose absence (or emptiness) makes
  // the program open this port anyway (Tempo's default receivers when
  // "distributor.receivers" is not configured).
  std::string default_when_absent;
  // Releases the port exists in ([since, until) pairs; empty = every release).
  std::vector<std::pair<Version, std::optional<Version>>> ranges;
  // Variables holding only the host the port binds, in priority order
  // ("http.host,network.host"; Jaeger v2 JAEGER_LISTEN_HOST): a loopback
  // value makes the port localhost-only, another address all interfaces.
  std::vector<std::string> bind_host_env;
  // With local_by_default: only from this release on (earlier releases bind
  // every interface); unset = every release.
  std::optional<Version> local_since;
};

struct Credential {
  std::string user_env;      // env var that sets the user ("" = not settable)
  std::string password_env;  // env var that sets the password
  std::string user;          // default user
  std::string password;      // default password (applies when password_env is unset)
  std::string severity;      // "error" (default) or "note" when it cannot be changed by config
  std::string help;
  // false when the image refuses to start without password_env (Postgres):
  // then `password` is only the well-known weak value, not what "unset" means.
  bool unset_means_default = true;
};

// Another service an image needs in the stack (PostHog needs ClickHouse...).
struct Requirement {
  std::string what;                     // "ClickHouse"
  std::vector<std::string> image_patterns;  // RE2 on image repository, any match satisfies
  std::vector<std::string> command_patterns;  // RE2 on a service's command of the same family (GlitchTip migrate step)
  std::string help;
  Version since;  // first image version that needs it (0.0.0 = always)
};

// A directory an image keeps data in, and how it can be moved.
struct DataDir {
  std::string path;  // default path inside the container
  std::string env;   // variable that moves it ("" = none)
  std::string flag;  // command-line flag that moves it ("" = none)
};

// A storage backend an image can be switched to that keeps data on disk
// (Jaeger all-in-one with SPAN_STORAGE_TYPE=badger). The default backend of
// such images keeps data in memory, which is a choice, not a finding.
struct StorageMode {
  std::string name;          // "badger"
  std::string select_env;    // SPAN_STORAGE_TYPE
  std::string select_flag;   // span-storage.type
  std::string select_value;  // badger
  // The backend may run in a temporary directory removed at exit unless
  // switched off (BADGER_EPHEMERAL, true by default).
  std::string ephemeral_env;
  std::string ephemeral_flag;
  bool ephemeral_default = false;
  std::vector<DataDir> dirs;
};

// How an image's listeners turn TLS on. Only images whose listeners serve
// plain text by default have this; anything named here (or any variable,
// flag or config key with "tls" in its name) means TLS may be on.
struct TlsSpec {
  std::vector<std::string> env;          // GF_SERVER_PROTOCOL, GF_SERVER_CERT_FILE
  std::vector<std::string> flags;        // web.config.file
  std::vector<std::string> config_keys;  // keys anywhere in the image's own config
};

// An HTTP path an image accepts pushed data on, per payload kind:
// prometheus-remote-write (full path), loki-push (full path), otlp-http
// (base path the OTLP/HTTP exporter appends /v1/<signal> to).
struct PushPath {
  std::string payload;
  std::vector<std::string> paths;
  // Flags that must be given for the path to be served ("flag" or
  // "flag=item" for comma-list flags such as --enable-feature); empty =
  // always served.
  std::vector<std::string> enabled_by_flag;
};

// A command-line flag (or, in endpoint_envs, a variable) holding an
// endpoint the image connects to (vmagent -remoteWrite.url).
struct EndpointFlag {
  std::string flag;
  std::string payload;  // as in PushPath
};

// How an image lets strangers create accounts (OBS804).
struct SignUp {
  std::string env;            // the switch (GF_USERS_ALLOW_SIGN_UP)
  bool default_open = false;  // what an unset switch means
  // Only the process started without a command serves sign-up (GlitchTip's
  // worker and migrate steps run commands from the same image).
  bool web_only = false;
  std::string legacy_env;      // an older switch still honoured ("" = none)
  std::string legacy_meaning;  // what the older switch does now, as a verb phrase
  std::string help;
};

// A key of the image's own config holding an endpoint it pushes to; `path`
// is dotted, `[]` walks every item of a list
// ("metrics_generator.storage.remote_write[].url").
struct ConfigEndpoint {
  std::string path;
  std::string payload;  // as in PushPath
};

// Loki's rules for its schema periods (knowledge `config_facts`).
struct LokiSchemaFacts {
  Version tsdb_store_since;  // first release accepting `store: tsdb`
  Version schema_v13_since;  // first release accepting `schema: v13`
  // First release whose docs call boltdb-shipper and pre-v13 schemas deprecated.
  Version old_schema_deprecated_since;
  // From this release, while structured metadata is allowed, Loki refuses
  // to start unless the active period has store tsdb and schema >= v13.
  Version structured_metadata_check_since;
  // limits_config.allow_structured_metadata defaults to true from here.
  Version structured_metadata_default_since;
};

// Facts about one image family, already narrowed to one version.
struct ImageInfo {
  std::string family;  // "grafana", "loki", "otelcol-contrib", ...
  std::string display; // "Grafana"
  std::vector<std::string> roles;  // traces, metrics, logs, errors, dashboards, web-analytics, product-analytics, database, cache, collector
  std::string config_kind;   // collector | loki | prometheus | vmagent | grafana | tempo | none
  std::string config_flag;   // "--config", "-config.file", "--promscrape.config"
  std::string default_config_path;
  std::vector<PortSpec> ports;  // for collector images: only fixed ports (8888 etc); receivers come from its config
  // Ports opened by receivers the image's own config declares (Tempo's
  // distributor.receivers); merged into `ports` by Knowledge::FactsAt.
  std::vector<PortSpec> receiver_ports;
  // Flags that may switch authentication on (Prometheus --web.config.file):
  // given, authentication is unknown.
  std::vector<std::string> auth_enabled_by_flag;
  // Variables whose value switches authentication off
  // (POSTGRES_HOST_AUTH_METHOD=trust).
  std::vector<std::pair<std::string, std::string>> auth_disabled_by_env;
  // A token every request must carry, with a documented default that anyone
  // can send unless this variable sets another (the image renderer's
  // AUTH_TOKEN, "-"): {env, default value}.
  std::pair<std::string, std::string> auth_default_token;
  // Variables holding a URL the image pushes to (k6 K6_PROMETHEUS_RW_SERVER_URL).
  std::vector<EndpointFlag> endpoint_envs;
  std::vector<std::string> data_dirs;
  std::string data_dir_flag;  // flag that moves the data dir (VictoriaMetrics storageDataPath)
  std::vector<StorageMode> storage_modes;
  std::optional<TlsSpec> tls;           // set when listeners are plain text by default
  std::vector<PushPath> push_paths;
  // Flags that put every HTTP path under a prefix, first given wins; a URL
  // value contributes its path (Prometheus --web.route-prefix, then
  // --web.external-url).
  std::vector<std::string> path_prefix_flags;
  std::vector<EndpointFlag> endpoint_flags;
  std::vector<ConfigEndpoint> config_endpoints;
  // Variable holding the URL users reach the UI at (GF_SERVER_ROOT_URL).
  std::string public_url_env;
  std::optional<SignUp> sign_up;
  std::optional<LokiSchemaFacts> loki_schema;
  bool authenticates = false;       // rejects unauthenticated requests by default
  // Listens where its own config says (nginx `listen`, Traefik entryPoints),
  // a file obslint does not read: the ports listed are the shipped defaults,
  // the list is never complete and what the ports let through is unknown.
  bool ports_from_config = false;
  std::string auth_config_key;      // Loki: "auth_enabled" (authenticates when true)
  std::vector<Credential> default_credentials;
  bool has_shell = true;
  bool has_curl = false;
  bool has_wget = false;
  std::vector<Requirement> requires_services;
  std::vector<std::string> datasource_types;  // Grafana datasource types that can point at it
  std::string distribution;  // collector images: core | contrib | k8s | otlp
  Version version;           // version used for the facts (newest known when the tag is unknown)
  bool version_assumed = false;  // true when the tag was latest/digest/unknown
  std::string source;        // citation of the facts (URL or release note)
};

// An image reference split into parts. Registry prefixes that name Docker
// Hub (docker.io/, index.docker.io/, library/) are dropped from `repository`.
struct ImageReference {
  std::string repository;  // "grafana/grafana", "postgres", "ghcr.io/umami-software/umami"
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:..." or ""
};
ImageReference ParseImageReference(std::string_view reference);

enum class ComponentKind { kReceiver, kProcessor, kExporter, kExtension, kConnector };
std::string_view ComponentKindName(ComponentKind kind);  // "receiver", ...
std::optional<ComponentKind> ParseComponentKind(std::string_view name);  // inverse of ComponentKindName

struct RemovedSetting {
  std::string key;      // dotted path below the component ("labels", "retry_settings.x")
  Version removed;      // first version that rejects it
  std::string help;
};

struct ComponentInfo {
  ComponentKind kind = ComponentKind::kReceiver;
  std::string type;                          // "loki"
  std::vector<std::string> distributions;    // core, contrib, k8s, otlp
  std::vector<std::string> signals;          // traces, metrics, logs (connectors: "traces->metrics" pairs)
  Version added;                             // first release that has it (0.0.0 = before 0.80)
  std::optional<Version> deprecated;         // first release that warns
  std::optional<Version> removed;            // first release without it
  std::string replacement;                   // what to use instead
  std::vector<RemovedSetting> removed_settings;
  std::vector<std::string> default_ports;    // receivers: "otlp-grpc:4317" ...
  // Whether it opens a port: kYes (default_ports lists the defaults; none =
  // the address must be configured), kNo (scrapers, clients, file readers),
  // kUnknown (not classified: a listening model must not assume either).
  enum class Listens { kUnknown, kNo, kYes };
  Listens listens = Listens::kUnknown;
  // First release that binds a default endpoint on localhost ("0.0.0" =
  // always did); nullopt on a listening component = not known to do so.
  std::optional<Version> localhost_default_since;
  std::vector<std::string> listen_keys;  // dotted settings holding its listen address
  // Per distribution, the [since, until) release ranges whose manifest ships
  // it (generated from the distribution manifests; empty when not known).
  struct Range {
    Version since;
    std::optional<Version> until;
  };
  std::map<std::string, std::vector<Range>, std::less<>> shipped;
  std::string source;  // citations, space-separated

  bool InDistribution(std::string_view distribution) const;
  // Shipped by `distribution` at `version`; nullopt when the knowledge base
  // has no per-release data for it (then InDistribution/AvailableAt answer).
  std::optional<bool> ShippedIn(std::string_view distribution, const Version& version) const;
  // added <= version < removed.
  bool AvailableAt(const Version& version) const;
  // deprecated <= version (and still available).
  bool DeprecatedAt(const Version& version) const;
  // The removed setting `key` (exact, or a dotted prefix of it) if it is
  // rejected at `version`; nullptr otherwise.
  const RemovedSetting* RemovedSettingAt(std::string_view key, const Version& version) const;
};

// Version-dependent collector behaviour.
struct CollectorBehaviour {
  Version bare_env_invalid_since;     // `$VAR` rejected from this version
  Version env_default_since;          // `${env:VAR:-default}` accepted from this version
  Version localhost_default_since;    // receivers bind localhost by default from this version
  Version telemetry_localhost_since;  // self-metrics on localhost:8888 from this version
  // service.telemetry.metrics.address: ignored (the default reader serves
  // instead) from this version, and rejected (the collector does not start)
  // from this one.
  Version telemetry_address_ignored_since;
  Version telemetry_address_rejected_since;
  // Values are decoded strictly (no "5" for 5) from this version.
  Version strict_types_since;
  Version telemetry_address_deprecated_since;  // warns from this version
  int telemetry_default_port = 8888;
  // Feature gates behind the facts above: on by default from
  // `enabled_since`, an error to disable from `stable_since`, an error to
  // name at all from `removed_since` (unknown versions: known == false).
  struct FeatureGate {
    std::string id;
    Version enabled_since;
    Version stable_since;
    Version removed_since;
  };
  std::vector<FeatureGate> feature_gates;
  Version newest;                     // newest release known to the knowledge base
};

// One image family as the knowledge base describes it; its facts at a given
// release come from Knowledge::FactsAt.
// Tools of an image variant chosen by a tag suffix (Grafana "-ubuntu").
struct ImageVariant {
  std::string tag_suffix;
  bool has_shell = true, has_curl = false, has_wget = false;
};

struct ImageFamily {
  std::string id;       // "loki"
  std::string display;  // "Grafana Loki"
  Version newest;       // the newest release the knowledge base knows
  // Repositories of the family that stopped receiving releases: their
  // newest release is the last one before `last_before`
  // (grafana/grafana-oss after 12.4.0).
  std::vector<std::pair<std::string, Version>> frozen;
  std::vector<ImageVariant> variants;
  // How many numbers a full version has: 3 for most images, 2 for Postgres
  // ("15.10" is a full version there, "15" a partial one).
  int version_parts = 3;
  // Releases at which some fact changes (version range bounds, requirement
  // `since`, collector behaviour thresholds for collector images); sorted.
  std::vector<Version> boundaries;
  size_t index = 0;  // position in the knowledge base
};

struct SecretPatterns {
  std::vector<std::string> secret_key_patterns;   // RE2 on variable/key names
  std::vector<std::string> placeholder_patterns;  // RE2 on values
  std::vector<std::string> weak_patterns;         // RE2 on values
  std::vector<std::string> non_secret_key_patterns;  // keys that look secret but are not (e.g. *_SECRET_FILE)
  // Grafana contact point settings that are secrets whatever their name
  // ("slack.url": the webhook URL carries the token), as "type.path".
  std::vector<std::string> grafana_contact_point_secure_settings;
};

class Knowledge {
 public:
  // The knowledge embedded in the binary. Loaded once, on first use.
  static const Knowledge& Embedded();

  // Image facts for a full image reference ("grafana/grafana:10.2.3",
  // "docker.io/otel/opentelemetry-collector-contrib@sha256:..."). nullopt for
  // images obslint does not know.
  // Looked up once per reference and shared (rules ask for the same images
  // again and again).
  // For facts that do not depend on the version (discovery: config paths);
  // rules ask the analysis layer (src/analysis/), which knows the range of
  // releases a reference may run.
  std::shared_ptr<const ImageInfo> Image(std::string_view image_reference) const;

  // The family of an image reference; nullptr for images obslint does not know.
  const ImageFamily* Family(std::string_view image_reference) const;
  // The facts of `family` at release `version` (memoised, thread-safe).
  std::shared_ptr<const ImageInfo> FactsAt(const ImageFamily& family, const Version& version) const;
  const std::vector<const ImageFamily*>& Families() const { return families_; }

  // Component facts for a collector component type in a distribution; nullptr
  // when the type is not known at all.
  const ComponentInfo* Component(ComponentKind kind, std::string_view type) const;
  const std::vector<ComponentInfo>& Components() const { return components_; }

  const CollectorBehaviour& Collector() const { return collector_; }
  const SecretPatterns& Secrets() const { return secrets_; }

  // Build from JSON texts (used by Embedded() and by tests). The image
  // families may come in several documents (knowledge/images/*.yaml).
  static Knowledge FromJson(const std::vector<std::string_view>& images_jsons,
                            std::string_view components_json, std::string_view secrets_json);

  struct ImageEntry;  // defined in knowledge.cpp

 private:
  std::vector<ComponentInfo> components_;
  CollectorBehaviour collector_;
  SecretPatterns secrets_;
  std::vector<std::shared_ptr<const ImageEntry>> images_;
  std::vector<const ImageFamily*> families_;  // parallel to images_
  struct ImageCache;  // reference -> facts, (family, version) -> facts; thread-safe
  std::shared_ptr<ImageCache> image_cache_;
};

// The date of the newest upstream releases the embedded knowledge was
// checked against (knowledge/about.yaml), e.g. "2026-08-23".
const std::string& KnowledgeCheckedThrough();

}  // namespace obslint
