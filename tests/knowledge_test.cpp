// Tests for the knowledge base: the loader's rules (versions, references,
// ranges) and the facts rules depend on. The facts asserted here are the
// ones the seed stack and the rule catalog rely on; a data edit that breaks
// them should fail loudly.
#include "knowledge/knowledge.h"

#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "embed/embedded.h"

namespace obslint {
namespace {

Version V(int major, int minor, int patch) {
  Version v;
  v.major = major;
  v.minor = minor;
  v.patch = patch;
  v.known = true;
  return v;
}

const PortSpec* FindPort(const ImageInfo& info, int port) {
  for (const PortSpec& p : info.ports)
    if (p.port == port) return &p;
  return nullptr;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool AnyMatch(const std::vector<std::string>& patterns, const std::string& text) {
  for (const std::string& p : patterns)
    if (RE2::PartialMatch(text, RE2(p))) return true;
  return false;
}

const Knowledge& K() { return Knowledge::Embedded(); }

}  // namespace

TEST_CASE("Version::Parse table") {
  struct Row {
    std::string_view text;
    bool known;
    int major, minor, patch;
  };
  const Row rows[] = {
      {"v1.96.0", true, 1, 96, 0},
      {"0.92.0", true, 0, 92, 0},
      {"15-alpine", true, 15, 0, 0},
      {"postgresql-v2.10.1", true, 2, 10, 1},
      {"2.9.3", true, 2, 9, 3},
      {"v4.0", true, 4, 0, 0},
      {"7-alpine", true, 7, 0, 0},
      {"7.2.0-alpine", true, 7, 2, 0},
      {"1.53", true, 1, 53, 0},
      {"0.28.X-alpine", true, 0, 28, 0},
      {"v1.19.1-debian-1.0", true, 1, 19, 1},
      {"2.1.0-beta.5", true, 2, 1, 0},
      {"RELEASE.2024-04-06T05-26-02Z", true, 2024, 0, 0},
      {"latest", false, 0, 0, 0},
      {"", false, 0, 0, 0},
      {"sha256:3f1a2b", false, 0, 0, 0},
      {"main-d528a28", false, 0, 0, 0},
      {"chapter2", false, 0, 0, 0},
      {"${GRAFANA_VERSION}", false, 0, 0, 0},
      {"management", false, 0, 0, 0},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const Version v = Version::Parse(row.text);
    CHECK(v.known == row.known);
    if (row.known) {
      CHECK(v.major == row.major);
      CHECK(v.minor == row.minor);
      CHECK(v.patch == row.patch);
    }
  }
  CHECK(Version::Parse("v1.96.0").ToString() == "1.96.0");
  CHECK(Version::Parse("99999999999999999999").major > 0);  // saturates, no overflow
}

TEST_CASE("Version ordering") {
  CHECK(V(0, 92, 0) < V(0, 104, 0));
  CHECK(V(0, 110, 0) < V(0, 111, 0));
  CHECK(V(1, 0, 0) > V(0, 999, 9));
  CHECK(V(2, 9, 3) == Version::Parse("2.9.3"));
  CHECK(V(0, 111, 0) >= V(0, 111, 0));
  CHECK(V(0, 110, 9) <= V(0, 111, 0));
}

TEST_CASE("ParseImageReference strips Docker Hub prefixes and splits tag and digest") {
  ImageReference r = ParseImageReference("docker.io/library/postgres:15-alpine");
  CHECK(r.repository == "postgres");
  CHECK(r.tag == "15-alpine");
  CHECK(r.digest.empty());

  r = ParseImageReference("index.docker.io/otel/opentelemetry-collector-contrib@sha256:abc");
  CHECK(r.repository == "otel/opentelemetry-collector-contrib");
  CHECK(r.tag.empty());
  CHECK(r.digest == "sha256:abc");

  r = ParseImageReference("grafana/grafana:10.2.3@sha256:def");
  CHECK(r.repository == "grafana/grafana");
  CHECK(r.tag == "10.2.3");
  CHECK(r.digest == "sha256:def");

  r = ParseImageReference("localhost:5000/team/app");
  CHECK(r.repository == "localhost:5000/team/app");
  CHECK(r.tag.empty());

  r = ParseImageReference("library/redis");
  CHECK(r.repository == "redis");
}

TEST_CASE("embedded knowledge is present and loads") {
  CHECK_FALSE(embedded::Get("knowledge/images/collector.json").empty());
  CHECK_FALSE(embedded::Get("knowledge/collector-components.json").empty());
  CHECK_FALSE(embedded::Get("knowledge/secrets.json").empty());

  // Load time is measured by bench/run.sh, not asserted here: a timed unit
  // test fails on a loaded or sanitized build without any defect.
  const Knowledge k = Knowledge::FromJson({embedded::Get("knowledge/images/collector.json")},
                                          embedded::Get("knowledge/collector-components.json"),
                                          embedded::Get("knowledge/secrets.json"));
  CHECK(k.Components().size() > 50);
}

TEST_CASE("FromJson rejects malformed JSON") {
  CHECK_THROWS(Knowledge::FromJson({"{"}, "", ""));
  CHECK_THROWS(Knowledge::FromJson({}, "{\"components\":[{\"kind\":\"widget\"}]}", ""));
}

TEST_CASE("every image family and component cites a source") {
  const std::string_view seeds[] = {"otel/opentelemetry-collector",
                                    "otel/opentelemetry-collector-contrib",
                                    "jaegertracing/all-in-one",
                                    "victoriametrics/victoria-metrics",
                                    "grafana/loki",
                                    "grafana/grafana",
                                    "glitchtip/glitchtip",
                                    "ghcr.io/umami-software/umami",
                                    "posthog/posthog",
                                    "postgres",
                                    "redis",
                                    "prom/prometheus"};
  for (std::string_view image : seeds) {
    CAPTURE(image);
    const auto info = K().Image(image);
    REQUIRE(info);
    CHECK_FALSE(info->source.empty());
    CHECK_FALSE(info->family.empty());
  }
  for (const ComponentInfo& c : K().Components()) {
    CAPTURE(c.type);
    CHECK_FALSE(c.source.empty());
    CHECK_FALSE(c.distributions.empty());
  }
}

TEST_CASE("collector images: distribution, config, FROM scratch, port 8888 by version") {
  const auto contrib = K().Image("otel/opentelemetry-collector-contrib:0.92.0");
  REQUIRE(contrib);
  CHECK(contrib->family == "otelcol-contrib");
  CHECK(contrib->distribution == "contrib");
  CHECK(contrib->config_kind == "collector");
  CHECK(contrib->config_flag == "--config");
  CHECK(contrib->default_config_path == "/etc/otelcol-contrib/config.yaml");
  CHECK_FALSE(contrib->has_shell);
  CHECK_FALSE(contrib->has_curl);
  CHECK_FALSE(contrib->has_wget);
  CHECK(Contains(contrib->roles, "collector"));
  CHECK(contrib->version == V(0, 92, 0));
  CHECK_FALSE(contrib->version_assumed);
  CHECK(FindPort(*contrib, 8888) != nullptr);

  // Self metrics are localhost-only from v0.111.0.
  const auto newer = K().Image("otel/opentelemetry-collector-contrib:0.111.0");
  REQUIRE(newer);
  CHECK(FindPort(*newer, 8888) == nullptr);

  const auto ghcr = K().Image(
      "ghcr.io/open-telemetry/opentelemetry-collector-releases/"
      "opentelemetry-collector-contrib:0.98.0");
  REQUIRE(ghcr);
  CHECK(ghcr->distribution == "contrib");

  const auto core = K().Image("otel/opentelemetry-collector:0.87.0");
  REQUIRE(core);
  CHECK(core->distribution == "core");
  CHECK(core->default_config_path == "/etc/otelcol/config.yaml");

  const auto k8s = K().Image("otel/opentelemetry-collector-k8s:0.120.0");
  REQUIRE(k8s);
  CHECK(k8s->distribution == "k8s");
  CHECK(k8s->default_config_path == "/etc/otelcol-k8s/config.yaml");

  const auto latest = K().Image("otel/opentelemetry-collector-contrib:latest");
  REQUIRE(latest);
  CHECK(latest->version_assumed);
  CHECK(latest->version == K().Collector().newest);
  CHECK(FindPort(*latest, 8888) == nullptr);

  const auto digest = K().Image("docker.io/otel/opentelemetry-collector-contrib@sha256:0123abcd");
  REQUIRE(digest);
  CHECK(digest->version_assumed);
}

TEST_CASE("Jaeger all-in-one ports, OTLP switch and Zipkin opt-in") {
  const auto jaeger = K().Image("jaegertracing/all-in-one:1.53");
  REQUIRE(jaeger);
  CHECK(Contains(jaeger->roles, "traces"));
  CHECK(Contains(jaeger->datasource_types, "jaeger"));
  CHECK_FALSE(jaeger->authenticates);
  for (int port : {16686, 14268, 14250, 14269, 5778, 6831, 6832, 4317, 4318, 9411}) {
    CAPTURE(port);
    CHECK(FindPort(*jaeger, port) != nullptr);
  }
  CHECK(FindPort(*jaeger, 16686)->protocol == "http");
  CHECK(FindPort(*jaeger, 14250)->protocol == "grpc");
  CHECK(FindPort(*jaeger, 6831)->protocol == "udp");
  const PortSpec* otlp = FindPort(*jaeger, 4317);
  CHECK(otlp->protocol == "otlp-grpc");
  CHECK(otlp->enabled_by_env == "COLLECTOR_OTLP_ENABLED");
  CHECK(otlp->enabled_by_env_default);
  CHECK(otlp->enabled_by_flag == "collector.otlp.enabled");
  CHECK(FindPort(*jaeger, 4318)->protocol == "otlp-http");
  const PortSpec* zipkin = FindPort(*jaeger, 9411);
  CHECK(zipkin->enabled_by_env == "COLLECTOR_ZIPKIN_HOST_PORT");
  CHECK(zipkin->enabled_when_set);

  // OTLP needed the variable before it became the default.
  const auto old = K().Image("jaegertracing/all-in-one:1.40");
  REQUIRE(old);
  REQUIRE(FindPort(*old, 4317) != nullptr);
  CHECK_FALSE(FindPort(*old, 4317)->enabled_by_env_default);
  // No OTLP at all before 1.35.
  const auto ancient = K().Image("jaegertracing/all-in-one:1.29.0");
  REQUIRE(ancient);
  CHECK(FindPort(*ancient, 4317) == nullptr);
  CHECK(FindPort(*ancient, 16686) != nullptr);

  const auto v2 = K().Image("jaegertracing/jaeger:latest");
  REQUIRE(v2);
  CHECK(v2->family == "jaeger-v2");
  CHECK(FindPort(*v2, 4317) != nullptr);
  CHECK(FindPort(*v2, 16686) != nullptr);
}

TEST_CASE("VictoriaMetrics: port flag and data dir") {
  const auto vm = K().Image("victoriametrics/victoria-metrics:v1.96.0");
  REQUIRE(vm);
  CHECK(vm->version == V(1, 96, 0));
  const PortSpec* http = FindPort(*vm, 8428);
  REQUIRE(http);
  CHECK(http->override_flag == "httpListenAddr");
  CHECK(Contains(vm->data_dirs, "/victoria-metrics-data"));
  CHECK(vm->data_dir_flag == "storageDataPath");
  CHECK_FALSE(vm->authenticates);

  const auto vmagent = K().Image("victoriametrics/vmagent:v1.96.0");
  REQUIRE(vmagent);
  CHECK(vmagent->config_kind == "vmagent");
  CHECK(vmagent->config_flag == "-promscrape.config");
  CHECK(FindPort(*vmagent, 8429) != nullptr);
}

TEST_CASE("Loki: ports from its own config, auth key, data dir") {
  const auto loki = K().Image("grafana/loki:2.9.3");
  REQUIRE(loki);
  CHECK(loki->config_kind == "loki");
  CHECK(loki->config_flag == "-config.file");
  CHECK(loki->default_config_path == "/etc/loki/local-config.yaml");
  CHECK(Contains(loki->data_dirs, "/loki"));
  CHECK_FALSE(loki->authenticates);
  CHECK(loki->auth_config_key == "auth_enabled");
  CHECK(Contains(loki->roles, "logs"));
  CHECK(Contains(loki->datasource_types, "loki"));
  REQUIRE(FindPort(*loki, 3100));
  CHECK(FindPort(*loki, 3100)->override_config == "server.http_listen_port");
  REQUIRE(FindPort(*loki, 9095));
  CHECK(FindPort(*loki, 9095)->protocol == "grpc");
  CHECK(FindPort(*loki, 9095)->override_config == "server.grpc_listen_port");
}

TEST_CASE("Grafana: default admin/admin, port env override") {
  for (std::string_view image :
       {"grafana/grafana:10.2.3", "grafana/grafana-oss:11.3.1", "grafana/grafana-enterprise"}) {
    CAPTURE(image);
    const auto grafana = K().Image(image);
    REQUIRE(grafana);
    CHECK(grafana->family == "grafana");
    CHECK(grafana->authenticates);
    CHECK(Contains(grafana->data_dirs, "/var/lib/grafana"));
    REQUIRE(FindPort(*grafana, 3000));
    CHECK(FindPort(*grafana, 3000)->override_env == "GF_SERVER_HTTP_PORT");
    REQUIRE(grafana->default_credentials.size() == 1);
    const Credential& cred = grafana->default_credentials[0];
    CHECK(cred.password_env == "GF_SECURITY_ADMIN_PASSWORD");
    CHECK(cred.user_env == "GF_SECURITY_ADMIN_USER");
    CHECK(cred.user == "admin");
    CHECK(cred.password == "admin");
    CHECK(cred.severity == "error");
    CHECK(cred.unset_means_default);
  }
}

TEST_CASE("GlitchTip v4 needs Postgres, Redis and a migrate step") {
  const auto glitchtip = K().Image("glitchtip/glitchtip:v4.0");
  REQUIRE(glitchtip);
  CHECK(Contains(glitchtip->roles, "errors"));
  // uWSGI on $PORT (8080 in the image); uvicorn/all-in-one on 8000.
  REQUIRE(FindPort(*glitchtip, 8080));
  CHECK(FindPort(*glitchtip, 8080)->override_env == "PORT");
  CHECK(FindPort(*glitchtip, 8000) != nullptr);
  // python:3.x-slim: a shell, no HTTP client.
  CHECK(glitchtip->has_shell);
  CHECK_FALSE(glitchtip->has_curl);
  CHECK_FALSE(glitchtip->has_wget);
  const Requirement* migrate = nullptr;
  bool postgres = false, redis = false;
  for (const Requirement& r : glitchtip->requires_services) {
    if (!r.command_patterns.empty()) migrate = &r;
    if (AnyMatch(r.image_patterns, "postgres")) postgres = true;
    if (AnyMatch(r.image_patterns, "redis") && AnyMatch(r.image_patterns, "valkey/valkey"))
      redis = true;
  }
  CHECK(postgres);
  CHECK(redis);
  REQUIRE(migrate);
  CHECK(AnyMatch(migrate->command_patterns, "./manage.py migrate"));
  CHECK(AnyMatch(migrate->command_patterns, "./bin/run-migrate.sh"));
  CHECK(AnyMatch(migrate->command_patterns, "./bin/run-all-in-one.sh"));
  CHECK_FALSE(AnyMatch(migrate->command_patterns, "./bin/run-celery-with-beat.sh"));
}

TEST_CASE("Umami: admin/umami is a note that only the UI can fix") {
  const auto umami = K().Image("ghcr.io/umami-software/umami:postgresql-v2.10.1");
  REQUIRE(umami);
  CHECK(umami->version == V(2, 10, 1));
  CHECK(Contains(umami->roles, "web-analytics"));
  CHECK(FindPort(*umami, 3000) != nullptr);
  REQUIRE(umami->default_credentials.size() == 1);
  const Credential& cred = umami->default_credentials[0];
  CHECK(cred.user == "admin");
  CHECK(cred.password == "umami");
  CHECK(cred.severity == "note");
  CHECK(cred.password_env.empty());
  CHECK(cred.help.find("Settings") != std::string::npos);
  CHECK(K().Image("umamisoftware/umami:latest"));
}

TEST_CASE("PostHog needs ClickHouse, Kafka, Zookeeper, object storage and a plugin server") {
  const auto posthog = K().Image("posthog/posthog:latest");
  REQUIRE(posthog);
  CHECK(posthog->version_assumed);
  CHECK(Contains(posthog->roles, "product-analytics"));
  CHECK(FindPort(*posthog, 8000) != nullptr);
  const auto satisfied_by = [&](const std::string& image) {
    std::vector<std::string> whats;
    for (const Requirement& r : posthog->requires_services)
      if (AnyMatch(r.image_patterns, image)) whats.push_back(r.what);
    return whats;
  };
  CHECK_FALSE(satisfied_by("clickhouse/clickhouse-server").empty());
  CHECK_FALSE(satisfied_by("yandex/clickhouse-server").empty());
  for (std::string image : {"bitnami/kafka", "confluentinc/cp-kafka", "redpandadata/redpanda",
                            "vectorized/redpanda", "apache/kafka"}) {
    CAPTURE(image);
    CHECK_FALSE(satisfied_by(image).empty());
  }
  CHECK_FALSE(satisfied_by("zookeeper").empty());
  CHECK_FALSE(satisfied_by("minio/minio").empty());
  CHECK_FALSE(satisfied_by("bitnami/minio").empty());
  CHECK(satisfied_by("grafana/grafana").empty());
  bool plugin_by_command = false;
  for (const Requirement& r : posthog->requires_services)
    if (AnyMatch(r.command_patterns, "./bin/plugin-server")) plugin_by_command = true;
  CHECK(plugin_by_command);
  // The seed's worker command is not the plugin server.
  for (const Requirement& r : posthog->requires_services)
    CHECK_FALSE(AnyMatch(r.command_patterns, "./bin/docker-worker"));
}

TEST_CASE("PostHog requirements follow its architecture by version") {
  const auto whats = [](const std::string& image) {
    std::vector<std::string> out;
    const auto info = K().Image(image);
    REQUIRE(info);
    for (const Requirement& r : info->requires_services) out.push_back(r.what);
    return out;
  };
  // Before 1.30: PostgreSQL and Redis only.
  CHECK(whats("posthog/posthog:release-1.29.0") ==
        std::vector<std::string>{"PostgreSQL", "Redis"});
  // 1.30 to 1.42: ClickHouse, Kafka, Zookeeper and the plugin server, no object storage.
  const auto mid = whats("posthog/posthog:release-1.35.0");
  CHECK(Contains(mid, "ClickHouse"));
  CHECK(Contains(mid, "plugin server"));
  CHECK_FALSE(Contains(mid, "object storage (MinIO or SeaweedFS)"));
  CHECK(Contains(whats("posthog/posthog:latest"), "object storage (MinIO or SeaweedFS)"));
  // The deprecated posthog/plugin-server image counts as the plugin server.
  const auto latest = K().Image("posthog/posthog:latest");
  REQUIRE(latest);
  bool plugin_image = false;
  for (const Requirement& r : latest->requires_services)
    if (r.what == "plugin server" && AnyMatch(r.image_patterns, "posthog/plugin-server"))
      plugin_image = true;
  CHECK(plugin_image);
}

TEST_CASE("UI facts: public URL variables and sign-up switches") {
  const auto grafana = K().Image("grafana/grafana:11.2.0");
  REQUIRE(grafana);
  CHECK(grafana->public_url_env == "GF_SERVER_ROOT_URL");
  REQUIRE(grafana->sign_up);
  CHECK(grafana->sign_up->env == "GF_USERS_ALLOW_SIGN_UP");
  CHECK_FALSE(grafana->sign_up->default_open);
  const auto glitchtip = K().Image("glitchtip/glitchtip:v4.0");
  REQUIRE(glitchtip);
  CHECK(glitchtip->public_url_env == "GLITCHTIP_DOMAIN");
  REQUIRE(glitchtip->sign_up);
  CHECK(glitchtip->sign_up->default_open);
  CHECK(glitchtip->sign_up->web_only);
  CHECK(glitchtip->sign_up->legacy_env == "ENABLE_OPEN_USER_REGISTRATION");
  const auto posthog = K().Image("posthog/posthog:latest");
  REQUIRE(posthog);
  CHECK(posthog->public_url_env == "SITE_URL");
  CHECK_FALSE(posthog->sign_up);
}

TEST_CASE("Jaeger badger storage mode: ephemeral by default, two directories") {
  const auto jaeger = K().Image("jaegertracing/all-in-one:1.60");
  REQUIRE(jaeger);
  REQUIRE(jaeger->storage_modes.size() == 1);
  const StorageMode& badger = jaeger->storage_modes.front();
  CHECK(badger.select_env == "SPAN_STORAGE_TYPE");
  CHECK(badger.select_value == "badger");
  CHECK(badger.ephemeral_default);
  CHECK(badger.ephemeral_env == "BADGER_EPHEMERAL");
  REQUIRE(badger.dirs.size() == 2);
  CHECK(badger.dirs[0].path == "/go/bin/data/keys");
  CHECK(badger.dirs[0].env == "BADGER_DIRECTORY_KEY");
  CHECK(badger.dirs[1].flag == "badger.directory-value");
}

TEST_CASE("TLS defaults and push paths") {
  const auto loki = K().Image("grafana/loki:3.1.0");
  REQUIRE(loki);
  REQUIRE(loki->tls);
  CHECK(Contains(loki->tls->config_keys, "http_tls_config"));
  const auto grafana = K().Image("grafana/grafana:11.2.0");
  REQUIRE(grafana);
  REQUIRE(grafana->tls);
  CHECK(Contains(grafana->tls->env, "GF_SERVER_PROTOCOL"));
  // Images without TLS facts are never judged.
  const auto zipkin = K().Image("openzipkin/zipkin:3.4.0");
  REQUIRE(zipkin);
  CHECK_FALSE(zipkin->tls);

  const auto push = [](const std::string& image,
                       const std::string& payload) -> std::optional<PushPath> {
    const auto info = K().Image(image);
    REQUIRE(info);
    for (const PushPath& p : info->push_paths)
      if (p.payload == payload) return p;
    return std::nullopt;
  };
  const auto vm = push("victoriametrics/victoria-metrics:v1.102.0", "prometheus-remote-write");
  REQUIRE(vm);
  CHECK(Contains(vm->paths, "/api/v1/write"));
  CHECK(vm->enabled_by_flag.empty());
  // Prometheus: the receiver flag changed in 2.33 and the feature flag went in 3.0.
  const auto p230 = push("prom/prometheus:v2.30.0", "prometheus-remote-write");
  REQUIRE(p230);
  CHECK(p230->enabled_by_flag == std::vector<std::string>{"enable-feature=remote-write-receiver"});
  const auto p253 = push("prom/prometheus:v2.53.0", "prometheus-remote-write");
  REQUIRE(p253);
  CHECK(Contains(p253->enabled_by_flag, "web.enable-remote-write-receiver"));
  CHECK(Contains(p253->enabled_by_flag, "enable-feature=remote-write-receiver"));
  const auto p3 = push("prom/prometheus:v3.1.0", "prometheus-remote-write");
  REQUIRE(p3);
  CHECK(p3->enabled_by_flag == std::vector<std::string>{"web.enable-remote-write-receiver"});
  CHECK_FALSE(push("prom/prometheus:v2.40.0", "otlp-http"));
  REQUIRE(push("prom/prometheus:v3.1.0", "otlp-http"));
  const auto loki_push = push("grafana/loki:3.1.0", "loki-push");
  REQUIRE(loki_push);
  CHECK(Contains(loki_push->paths, "/loki/api/v1/push"));
  const auto vmagent = K().Image("victoriametrics/vmagent:v1.102.0");
  REQUIRE(vmagent);
  REQUIRE(vmagent->endpoint_flags.size() == 1);
  CHECK(vmagent->endpoint_flags.front().flag == "remoteWrite.url");
  // Pushes configured in the image's own config, and path prefixes.
  const auto tempo = K().Image("grafana/tempo:2.6.0");
  REQUIRE(tempo);
  REQUIRE(tempo->config_endpoints.size() == 1);
  CHECK(tempo->config_endpoints.front().path == "metrics_generator.storage.remote_write[].url");
  CHECK(tempo->config_endpoints.front().payload == "prometheus-remote-write");
  const auto promtail = K().Image("grafana/promtail:3.1.0");
  REQUIRE(promtail);
  REQUIRE_FALSE(promtail->config_endpoints.empty());
  CHECK(promtail->config_endpoints.front().payload == "loki-push");
  const auto prom = K().Image("prom/prometheus:v3.1.0");
  REQUIRE(prom);
  CHECK(prom->path_prefix_flags ==
        std::vector<std::string>{"web.route-prefix", "web.external-url"});
}

TEST_CASE("Postgres and Redis") {
  const auto pg = K().Image("postgres:15-alpine");
  REQUIRE(pg);
  CHECK(pg->version == V(15, 0, 0));
  CHECK(pg->authenticates);
  CHECK(Contains(pg->data_dirs, "/var/lib/postgresql/data"));
  REQUIRE(FindPort(*pg, 5432));
  CHECK(FindPort(*pg, 5432)->protocol == "postgres");
  REQUIRE_FALSE(pg->default_credentials.empty());
  CHECK(pg->default_credentials[0].password_env == "POSTGRES_PASSWORD");
  CHECK_FALSE(pg->default_credentials[0].unset_means_default);
  // 18 moved PGDATA below /var/lib/postgresql.
  const auto pg18 = K().Image("docker.io/library/postgres:18");
  REQUIRE(pg18);
  CHECK(Contains(pg18->data_dirs, "/var/lib/postgresql"));

  const auto bitnami = K().Image("bitnami/postgresql:16");
  REQUIRE(bitnami);
  CHECK(FindPort(*bitnami, 5432) != nullptr);

  const auto redis = K().Image("redis:7-alpine");
  REQUIRE(redis);
  CHECK_FALSE(redis->authenticates);
  CHECK(Contains(redis->data_dirs, "/data"));
  REQUIRE(FindPort(*redis, 6379));
  CHECK(FindPort(*redis, 6379)->protocol == "redis");
  CHECK(K().Image("valkey/valkey:8"));
  CHECK(K().Image("bitnami/redis:7.2"));
}

TEST_CASE("other families: Prometheus, Tempo, ClickHouse, Elasticsearch, MinIO") {
  const auto prom = K().Image("prom/prometheus:v2.47.0");
  REQUIRE(prom);
  CHECK(prom->config_flag == "--config.file");
  CHECK(prom->default_config_path == "/etc/prometheus/prometheus.yml");
  CHECK(Contains(prom->data_dirs, "/prometheus"));
  CHECK(prom->has_wget);
  CHECK(FindPort(*prom, 9090) != nullptr);

  const auto tempo = K().Image("grafana/tempo:2.9.0");
  REQUIRE(tempo);
  CHECK(tempo->config_kind == "tempo");
  CHECK(tempo->config_flag == "-config.file");
  CHECK(FindPort(*tempo, 3200) != nullptr);

  const auto ch = K().Image("clickhouse/clickhouse-server:26.3");
  REQUIRE(ch);
  CHECK(FindPort(*ch, 8123) != nullptr);
  CHECK(FindPort(*ch, 9000) != nullptr);

  const auto es7 = K().Image("docker.elastic.co/elasticsearch/elasticsearch:7.17.0");
  const auto es8 = K().Image("docker.elastic.co/elasticsearch/elasticsearch:8.16.1");
  REQUIRE(es7);
  REQUIRE(es8);
  CHECK_FALSE(es7->authenticates);
  CHECK(es8->authenticates);

  const auto minio = K().Image("minio/minio:RELEASE.2024-04-06T05-26-02Z");
  REQUIRE(minio);
  CHECK(FindPort(*minio, 9000) != nullptr);
  CHECK(FindPort(*minio, 9001) != nullptr);

  CHECK(K().Image("prom/node-exporter:v1.6.1"));
  CHECK(K().Image("gcr.io/cadvisor/cadvisor:v0.47.0"));
  CHECK(K().Image("grafana/mimir:2.17.4"));
  CHECK(K().Image("confluentinc/cp-zookeeper:7.4.0"));
  CHECK_FALSE(K().Image("nginxinc/nginx-unprivileged:1.25-alpine"));
  CHECK_FALSE(K().Image(""));
}

TEST_CASE("Grafana Labs images: facts on both sides of each version boundary") {
  struct Tools {
    const char* image;
    bool shell, curl, wget;
  };
  // Final stage of the Dockerfile at each tag (knowledge/review/grafana-labs.md).
  const Tools cases[] = {
      {"grafana/loki:3.1.2", true, false, true},       // Alpine
      {"grafana/loki:3.5.12", true, false, true},      // distroless :debug, /bin/sh linked
      {"grafana/loki:3.6.0", false, false, false},     // distroless nonroot
      {"grafana/loki:2.9.17", true, false, true},      // 2.9 line stays on Alpine
      {"grafana/tempo:2.7.2", true, false, true},      // Alpine
      {"grafana/tempo:2.9.2", true, false, true},      // :debug, SHELL /busybox/sh
      {"grafana/tempo:2.9.3", false, false, false},    // distroless
      {"grafana/tempo:3.0.3", false, false, false},
      {"grafana/promtail:3.0.1", true, false, false},  // Debian bullseye-slim
      {"grafana/promtail:3.1.0", true, false, true},   // Debian 12.5-slim + wget
      {"grafana/promtail:3.2.2", true, false, false},  // Ubuntu noble
      {"grafana/promtail:3.3.0", true, false, true},
      {"grafana/promtail:3.3.1", true, false, false},
      {"grafana/mimir:2.12.0", true, false, true},     // Alpine
      {"grafana/mimir:2.13.0", false, false, false},   // distroless
      {"grafana/pyroscope:1.6.1", true, false, true},  // Alpine
      {"grafana/pyroscope:1.7.0", false, false, false},
      {"grafana/alloy:v1.18.1", true, false, false},   // Ubuntu
      {"grafana/grafana:12.0.0", true, true, true},    // Alpine + curl
      {"grafana/k6:1.5.0", true, false, true},
      {"grafana/logcli:3.7.6", true, false, true},
      {"grafana/grafana-image-renderer:3.7.0", true, false, true},
      {"grafana/grafana-image-renderer:4.0.0", false, false, false},
      {"grafana/grafana-image-renderer:5.12.0", true, false, false},
  };
  for (const Tools& c : cases) {
    CAPTURE(c.image);
    const auto info = K().Image(c.image);
    REQUIRE(info);
    CHECK(info->has_shell == c.shell);
    CHECK(info->has_curl == c.curl);
    CHECK(info->has_wget == c.wget);
  }

  // Tempo's built-in HTTP port moved from 80 to 3200 in 2.8.0.
  const auto tempo27 = K().Image("grafana/tempo:2.7.2");
  const auto tempo28 = K().Image("grafana/tempo:2.8.0");
  REQUIRE(tempo27);
  REQUIRE(tempo28);
  CHECK(FindPort(*tempo27, 80) != nullptr);
  CHECK(FindPort(*tempo27, 3200) != nullptr);
  CHECK(FindPort(*tempo28, 80) == nullptr);
  CHECK(FindPort(*tempo28, 3200) != nullptr);

  // OTLP push: Loki from 3.0.0, Mimir from 2.3.0.
  const auto has_payload = [](const std::string& image, std::string_view payload) {
    const auto info = K().Image(image);
    REQUIRE(info);
    return std::any_of(info->push_paths.begin(), info->push_paths.end(),
                       [&](const PushPath& p) { return p.payload == payload; });
  };
  CHECK_FALSE(has_payload("grafana/loki:2.9.17", "otlp-http"));
  CHECK(has_payload("grafana/loki:3.0.0", "otlp-http"));
  CHECK(has_payload("grafana/loki:2.9.17", "loki-push"));
  CHECK_FALSE(has_payload("grafana/mimir:2.2.0", "otlp-http"));
  CHECK(has_payload("grafana/mimir:2.3.0", "otlp-http"));

  // Promtail: the image config's 9080 and the built-in 80 are both listed.
  const auto promtail = K().Image("grafana/promtail:3.6.11");
  REQUIRE(promtail);
  CHECK(FindPort(*promtail, 9080) != nullptr);
  CHECK(FindPort(*promtail, 80) != nullptr);

  // Untagged images take the newest release in the stored upstream material.
  const std::pair<const char*, Version> newest[] = {
      {"grafana/loki", V(3, 7, 6)},    {"grafana/tempo", V(3, 0, 3)},
      {"grafana/promtail", V(3, 6, 11)}, {"grafana/alloy", V(1, 18, 1)},
      {"grafana/pyroscope", V(2, 2, 1)}, {"grafana/grafana", V(13, 2, 0)},
  };
  for (const auto& [image, version] : newest) {
    CAPTURE(image);
    const auto info = K().Image(image);
    REQUIRE(info);
    CHECK(info->version == version);
  }
  const auto pyroscope = K().Image("grafana/pyroscope:2.2.1");
  REQUIRE(pyroscope);
  CHECK(Contains(pyroscope->datasource_types, "phlare"));
}

TEST_CASE("traces and metrics images: facts on both sides of each version boundary") {
  // knowledge/review/traces-metrics.md has the citation of every boundary.
  const auto port = [](const std::string& image, int number) -> const PortSpec* {
    static std::vector<std::shared_ptr<const ImageInfo>> keep;
    keep.push_back(K().Image(image));
    REQUIRE(keep.back());
    return FindPort(*keep.back(), number);
  };
  // Jaeger v1: OTLP off by default until 1.46.0, on localhost in 1.59.0 only,
  // agent (Thrift UDP, 5778) gone from 1.63.0.
  REQUIRE(port("jaegertracing/all-in-one:1.34.0", 16686));
  CHECK_FALSE(port("jaegertracing/all-in-one:1.34.0", 4317));
  REQUIRE(port("jaegertracing/all-in-one:1.45.0", 4317));
  CHECK_FALSE(port("jaegertracing/all-in-one:1.45.0", 4317)->enabled_by_env_default);
  CHECK(port("jaegertracing/all-in-one:1.46.0", 4317)->enabled_by_env_default);
  CHECK_FALSE(port("jaegertracing/all-in-one:1.58.0", 4318)->local_by_default);
  CHECK(port("jaegertracing/all-in-one:1.59.0", 4318)->local_by_default);
  CHECK_FALSE(port("jaegertracing/all-in-one:1.60.0", 4318)->local_by_default);
  CHECK(port("jaegertracing/all-in-one:1.62.0", 6831));
  CHECK_FALSE(port("jaegertracing/all-in-one:1.63.0", 6831));
  CHECK_FALSE(port("jaegertracing/all-in-one:1.63.0", 5778));
  // Zipkin's switch is --collector.zipkin.host-port alone from 1.22.0; before,
  // the deprecated http-port flag could also open it, so no switch is known.
  CHECK_FALSE(port("jaegertracing/all-in-one:1.21.0", 9411)->enabled_when_set);
  CHECK(port("jaegertracing/all-in-one:1.22.0", 9411)->enabled_when_set);
  CHECK(port("jaegertracing/jaeger-collector:1.59.0", 4317)->local_by_default);
  CHECK_FALSE(port("jaegertracing/jaeger-collector:1.45.0", 4317)->enabled_by_env_default);
  // Jaeger v2: receivers on localhost in 2.0.0; 2.1.x without Thrift UDP;
  // MCP on 16687 from 2.15.0 to 2.19.x.
  CHECK(port("jaegertracing/jaeger:2.0.0", 4317)->local_by_default);
  CHECK_FALSE(port("jaegertracing/jaeger:2.0.0", 16686)->local_by_default);
  CHECK_FALSE(port("jaegertracing/jaeger:2.1.0", 4317)->local_by_default);
  CHECK_FALSE(port("jaegertracing/jaeger:2.1.0", 6831));
  CHECK(port("jaegertracing/jaeger:2.2.0", 6831));
  CHECK(port("jaegertracing/jaeger:2.15.0", 16687));
  CHECK_FALSE(port("jaegertracing/jaeger:2.20.0", 16687));
  CHECK(port("jaegertracing/jaeger:2.20.0", 13132)->local_by_default);

  struct Tools {
    const char* image;
    bool shell, curl, wget;
  };
  const Tools cases[] = {
      {"jaegertracing/all-in-one:1.20.0", false, false, false},  // FROM scratch
      {"jaegertracing/all-in-one:1.21.0", true, false, true},    // Alpine
      {"jaegertracing/jaeger:2.20.0", true, false, true},
      {"openzipkin/zipkin:3.6.1", true, false, true},            // Alpine JRE, no curl
      {"prom/prometheus:v3.14.0", true, false, true},            // busybox
      {"victoriametrics/victoria-metrics:v1.150.0", true, false, true},
      {"gcr.io/cadvisor/cadvisor:v0.47.0", true, false, true},
      {"ghcr.io/google/cadvisor:0.60.5", true, false, true},
  };
  for (const Tools& c : cases) {
    CAPTURE(c.image);
    const auto info = K().Image(c.image);
    REQUIRE(info);
    CHECK(info->has_shell == c.shell);
    CHECK(info->has_curl == c.curl);
    CHECK(info->has_wget == c.wget);
  }

  const auto push = [](const std::string& image,
                       std::string_view payload) -> std::optional<PushPath> {
    const auto info = K().Image(image);
    REQUIRE(info);
    for (const PushPath& p : info->push_paths)
      if (p.payload == payload) return p;
    return std::nullopt;
  };
  // VictoriaMetrics: /api/v1/push from 1.100.0 (1.97.7+ LTS); OTLP base
  // /opentelemetry from 1.99.0 (1.93.13+, 1.97.3, 1.97.7+ LTS).
  const auto accepts_push = [&](const std::string& image) {
    const auto rw = push(image, "prometheus-remote-write");
    REQUIRE(rw);
    return Contains(rw->paths, "/api/v1/push");
  };
  CHECK_FALSE(accepts_push("victoriametrics/victoria-metrics:v1.99.0"));
  CHECK(accepts_push("victoriametrics/victoria-metrics:v1.100.0"));
  CHECK(accepts_push("victoriametrics/victoria-metrics:v1.97.7"));
  CHECK_FALSE(accepts_push("victoriametrics/vmagent:v1.98.0"));
  CHECK_FALSE(push("victoriametrics/victoria-metrics:v1.98.0", "otlp-http"));
  CHECK(push("victoriametrics/victoria-metrics:v1.99.0", "otlp-http"));
  CHECK(push("victoriametrics/victoria-metrics:v1.93.13", "otlp-http"));
  CHECK(push("victoriametrics/vmagent:v1.150.0", "otlp-http"));
  // Prometheus: no remote-write receiver before 2.25.0.
  CHECK_FALSE(push("prom/prometheus:v2.24.1", "prometheus-remote-write"));
  REQUIRE(push("prom/prometheus:v2.25.0", "prometheus-remote-write"));
  CHECK(push("prom/prometheus:v2.47.0", "otlp-http")->enabled_by_flag ==
        std::vector<std::string>{"enable-feature=otlp-write-receiver"});
  CHECK(push("prom/prometheus:v3.0.0", "otlp-http")->enabled_by_flag ==
        std::vector<std::string>{"web.enable-otlp-receiver"});

  const std::pair<const char*, Version> newest[] = {
      {"jaegertracing/all-in-one", V(1, 76, 0)},  {"jaegertracing/jaeger", V(2, 20, 0)},
      {"openzipkin/zipkin", V(3, 6, 1)},         {"victoriametrics/victoria-metrics", V(1, 150, 0)},
      {"prom/prometheus", V(3, 14, 0)},          {"prom/alertmanager", V(0, 34, 0)},
      {"prom/node-exporter", V(1, 12, 1)},       {"prom/blackbox-exporter", V(0, 28, 0)},
      {"prom/pushgateway", V(1, 11, 3)},         {"ghcr.io/google/cadvisor", V(0, 60, 5)},
  };
  for (const auto& [image, version] : newest) {
    CAPTURE(image);
    const auto info = K().Image(image);
    REQUIRE(info);
    CHECK(info->version == version);
  }
}

TEST_CASE("apps and data images: facts on both sides of each version boundary") {
  const auto whats = [](const ImageInfo& info) {
    std::vector<std::string> out;
    for (const Requirement& r : info.requires_services) out.push_back(r.what);
    return out;
  };
  // GlitchTip: uWSGI on $PORT=8080 before 6.0, 8000 (granian) from 6.0.
  const auto gt5 = K().Image("glitchtip/glitchtip:v5.1.1");
  const auto gt6 = K().Image("glitchtip/glitchtip:v6.0.0");
  REQUIRE(gt5);
  REQUIRE(gt6);
  REQUIRE(FindPort(*gt5, 8080));
  CHECK(FindPort(*gt5, 8080)->override_env == "PORT");
  CHECK(FindPort(*gt6, 8080) == nullptr);
  REQUIRE(FindPort(*gt6, 8000));
  CHECK(FindPort(*gt6, 8000)->override_env == "GRANIAN_PORT");
  // Redis/Valkey optional from 5.2.0; migrate step judged until 6.0.0.
  CHECK(Contains(whats(*gt5), "Redis or Valkey"));
  CHECK(Contains(whats(*gt5), "database migration step"));
  const auto gt52 = K().Image("glitchtip/glitchtip:v5.2.0");
  REQUIRE(gt52);
  CHECK_FALSE(Contains(whats(*gt52), "Redis or Valkey"));
  CHECK(Contains(whats(*gt52), "database migration step"));
  CHECK(whats(*gt6) == std::vector<std::string>{"PostgreSQL"});
  // Sign-up switch: ENABLE_OPEN_USER_REGISTRATION (closed) before 2.0.7.
  const auto gt206 = K().Image("glitchtip/glitchtip:v2.0.6");
  const auto gt207 = K().Image("glitchtip/glitchtip:v2.0.7");
  REQUIRE(gt206);
  REQUIRE(gt207);
  REQUIRE(gt206->sign_up);
  REQUIRE(gt207->sign_up);
  CHECK(gt206->sign_up->env == "ENABLE_OPEN_USER_REGISTRATION");
  CHECK_FALSE(gt206->sign_up->default_open);
  CHECK(gt206->sign_up->legacy_env.empty());
  CHECK(gt207->sign_up->env == "ENABLE_USER_REGISTRATION");
  CHECK(gt207->sign_up->default_open);

  // PostHog: Postgres-only deployments refused from 1.31.0.
  const auto ph130 = K().Image("posthog/posthog:release-1.30.0");
  const auto ph131 = K().Image("posthog/posthog:release-1.31.0");
  REQUIRE(ph130);
  REQUIRE(ph131);
  CHECK(whats(*ph130) == std::vector<std::string>{"PostgreSQL", "Redis"});
  CHECK(Contains(whats(*ph131), "ClickHouse"));
  bool kafka_container = false;
  for (const Requirement& r : ph131->requires_services)
    if (AnyMatch(r.image_patterns, "ghcr.io/posthog/kafka-container")) kafka_container = true;
  CHECK(kafka_container);

  // Postgres: two-part versions; PGDATA moves with 18; Debian has no wget,
  // the Alpine variants keep busybox wget; trust switches authentication off.
  const auto pg17 = K().Image("postgres:17.5");
  const auto pg18 = K().Image("postgres:18.0");
  REQUIRE(pg17);
  REQUIRE(pg18);
  CHECK(Contains(pg17->data_dirs, "/var/lib/postgresql/data"));
  CHECK(Contains(pg18->data_dirs, "/var/lib/postgresql"));
  CHECK_FALSE(Contains(pg18->data_dirs, "/var/lib/postgresql/data"));
  CHECK_FALSE(pg17->has_wget);
  CHECK_FALSE(pg17->has_curl);
  for (std::string image : {"postgres:17.5-alpine3.21", "postgres:15-alpine", "postgres:alpine",
                            "postgis/postgis:16-3.4-alpine"}) {
    CAPTURE(image);
    const auto alpine = K().Image(image);
    REQUIRE(alpine);
    CHECK(alpine->has_wget);
    CHECK_FALSE(alpine->has_curl);
  }
  CHECK(K().Family("postgres:18")->version_parts == 2);
  REQUIRE(pg17->auth_disabled_by_env.size() == 1);
  CHECK(pg17->auth_disabled_by_env[0].first == "POSTGRES_HOST_AUTH_METHOD");
  CHECK(pg17->auth_disabled_by_env[0].second == "trust");
  // Bitnami PostgreSQL drops curl from 15.0.0.
  const auto bn14 = K().Image("bitnami/postgresql:14.7.0");
  const auto bn15 = K().Image("bitnamilegacy/postgresql:15.0.0");
  REQUIRE(bn14);
  REQUIRE(bn15);
  CHECK(bn14->has_curl);
  CHECK_FALSE(bn15->has_curl);

  // Redis: Debian has neither client, Alpine busybox wget; no password.
  const auto redis = K().Image("redis:7.2.4");
  const auto redis_alpine = K().Image("redis:7.2.0-alpine");
  REQUIRE(redis);
  REQUIRE(redis_alpine);
  CHECK_FALSE(redis->has_wget);
  CHECK(redis_alpine->has_wget);
  CHECK_FALSE(redis->authenticates);
  CHECK_FALSE(K().Image("redis/redis-stack-server:7.2.0-v9"));

  // ClickHouse: the default user is local-only from 25.1.3 and the backports.
  const auto authenticates = [](const std::string& image) {
    const auto info = K().Image(image);
    REQUIRE(info);
    return info->authenticates;
  };
  CHECK_FALSE(authenticates("clickhouse/clickhouse-server:25.1.2.3"));
  CHECK(authenticates("clickhouse/clickhouse-server:25.1.3.23"));
  CHECK_FALSE(authenticates("clickhouse/clickhouse-server:24.8.12.28"));
  CHECK(authenticates("clickhouse/clickhouse-server:24.8.13.16"));
  CHECK_FALSE(authenticates("clickhouse/clickhouse-server:24.3.15.72"));
  CHECK(authenticates("clickhouse/clickhouse-server:24.3.16.16"));
  CHECK_FALSE(authenticates("clickhouse/clickhouse-server:24.10.4.191"));
  CHECK_FALSE(authenticates("clickhouse/clickhouse-server:24.12.3.47"));
  CHECK(authenticates("clickhouse/clickhouse-server:24.12.4.49"));
  const auto ch = K().Image("clickhouse/clickhouse-server:26.3");
  REQUIRE(ch);
  CHECK(ch->has_wget);
  CHECK_FALSE(ch->has_curl);
  REQUIRE(ch->auth_disabled_by_env.size() == 1);
  CHECK(ch->auth_disabled_by_env[0].first == "CLICKHOUSE_SKIP_USER_SETUP");

  // Umami: curl from 2.9.0, PostgreSQL only from 3.0.0.
  const auto um28 = K().Image("ghcr.io/umami-software/umami:postgresql-v2.8.0");
  const auto um29 = K().Image("ghcr.io/umami-software/umami:postgresql-v2.9.0");
  const auto um3 = K().Image("ghcr.io/umami-software/umami:3.1.0");
  REQUIRE(um28);
  REQUIRE(um29);
  REQUIRE(um3);
  CHECK_FALSE(um28->has_curl);
  CHECK(um28->has_wget);
  CHECK(um29->has_curl);
  CHECK(Contains(whats(*um29), "database (PostgreSQL or MySQL)"));
  CHECK(whats(*um3) == std::vector<std::string>{"PostgreSQL"});

  // Elasticsearch: security on from 8.0.0, switched off by xpack.security.enabled=false.
  const auto es8 = K().Image("elasticsearch:8.0.0");
  REQUIRE(es8);
  CHECK(es8->authenticates);
  REQUIRE_FALSE(es8->auth_disabled_by_env.empty());
  CHECK(es8->auth_disabled_by_env[0].first == "xpack.security.enabled");
  // OpenSearch: admin/admin before 2.12.0.
  const auto os211 = K().Image("opensearchproject/opensearch:2.11.1");
  const auto os212 = K().Image("opensearchproject/opensearch:2.12.0");
  REQUIRE(os211);
  REQUIRE(os212);
  REQUIRE(os211->default_credentials.size() == 1);
  CHECK(os211->default_credentials[0].password == "admin");
  REQUIRE(os212->default_credentials.size() == 1);
  CHECK(os212->default_credentials[0].password_env == "OPENSEARCH_INITIAL_ADMIN_PASSWORD");

  // MinIO: wget only in the Alpine images before RELEASE.2020-12-10.
  const auto minio2020 = K().Image("minio/minio:RELEASE.2020-11-13T20-10-18Z");
  const auto minio2025 = K().Image("minio/minio:RELEASE.2025-10-15T17-29-55Z");
  REQUIRE(minio2020);
  REQUIRE(minio2025);
  CHECK(minio2020->has_wget);
  CHECK_FALSE(minio2025->has_wget);
  CHECK(minio2025->has_curl);
  CHECK_FALSE(K().Image("bitnami/minio:2025")->default_credentials.empty());
  CHECK(K().Image("bitnami/minio:2025")->default_credentials[0].password == "miniosecret");
}

TEST_CASE("platform images: proxies, identity, Aspire dashboard, Uptime Kuma, queues") {
  const auto nginx = K().Image("nginx:1.25");
  const auto nginx_alpine = K().Image("nginx:1.25-alpine");
  const auto nginx_slim = K().Image("nginx:1.27-alpine3.20-slim");
  REQUIRE(nginx);
  REQUIRE(nginx_alpine);
  REQUIRE(nginx_slim);
  CHECK(nginx->has_curl);
  CHECK_FALSE(nginx->has_wget);
  CHECK(nginx_alpine->has_curl);
  CHECK(nginx_alpine->has_wget);
  CHECK_FALSE(nginx_slim->has_curl);
  CHECK(nginx_slim->has_wget);
  CHECK(FindPort(*nginx, 80) != nullptr);
  CHECK(nginx->ports_from_config);

  const auto traefik = K().Image("traefik:v3.7");
  REQUIRE(traefik);
  CHECK(traefik->has_wget);
  CHECK_FALSE(traefik->has_curl);
  CHECK(FindPort(*traefik, 80) != nullptr);
  CHECK(FindPort(*traefik, 8080) != nullptr);
  CHECK(traefik->ports_from_config);
  CHECK_FALSE(K().Image("redis:7")->ports_from_config);

  const auto keycloak = K().Image("quay.io/keycloak/keycloak:26.3.1");
  REQUIRE(keycloak);
  CHECK(keycloak->authenticates);
  CHECK_FALSE(keycloak->has_curl);
  CHECK(keycloak->default_credentials.empty());
  CHECK(FindPort(*keycloak, 9000) != nullptr);

  const auto aspire = K().Image("mcr.microsoft.com/dotnet/aspire-dashboard:9.0");
  const auto aspire80 = K().Image("mcr.microsoft.com/dotnet/aspire-dashboard:8.0.0");
  REQUIRE(aspire);
  REQUIRE(aspire80);
  CHECK_FALSE(aspire->has_shell);
  REQUIRE(FindPort(*aspire, 18889));
  CHECK(FindPort(*aspire, 18889)->protocol == "otlp-grpc");
  REQUIRE(FindPort(*aspire, 18890));
  CHECK(FindPort(*aspire, 18890)->protocol == "otlp-http");
  CHECK(FindPort(*aspire80, 18890) == nullptr);

  const auto kuma = K().Image("louislam/uptime-kuma:1.23.0");
  const auto kuma_alpine = K().Image("louislam/uptime-kuma:1.23.16-alpine");
  REQUIRE(kuma);
  REQUIRE(kuma_alpine);
  CHECK(kuma->has_curl);
  CHECK_FALSE(kuma->has_wget);
  CHECK_FALSE(kuma_alpine->has_curl);
  CHECK(Contains(kuma->data_dirs, "/app/data"));
  CHECK(FindPort(*kuma, 3001) != nullptr);

  const auto mysql = K().Image("mysql:8.0");
  REQUIRE(mysql);
  CHECK(mysql->has_curl);
  CHECK_FALSE(mysql->has_wget);
  CHECK_FALSE(K().Image("mysql:8.0-debian")->has_curl);
  const auto rabbit = K().Image("rabbitmq:management");
  REQUIRE(rabbit);
  CHECK(FindPort(*rabbit, 15672) != nullptr);
  REQUIRE(rabbit->default_credentials.size() == 1);
  CHECK_FALSE(rabbit->default_credentials[0].unset_means_default);
  const auto memcached = K().Image("memcached:1.6.9");
  REQUIRE(memcached);
  CHECK_FALSE(memcached->authenticates);
  CHECK(FindPort(*memcached, 11211) != nullptr);
}

TEST_CASE("collector behaviour versions") {
  const CollectorBehaviour& c = K().Collector();
  CHECK(c.bare_env_invalid_since == V(0, 104, 0));
  CHECK(c.env_default_since == V(0, 110, 0));
  CHECK(c.localhost_default_since == V(0, 104, 0));
  CHECK(c.telemetry_localhost_since == V(0, 111, 0));
  CHECK(c.newest >= V(0, 140, 0));
}

TEST_CASE("collector components: the facts the rules rely on") {
  using K_ = ComponentKind;
  const Version v092 = V(0, 92, 0);

  const ComponentInfo* loki = K().Component(K_::kExporter, "loki");
  REQUIRE(loki);
  CHECK(loki->InDistribution("contrib"));
  CHECK_FALSE(loki->InDistribution("core"));
  CHECK(loki->signals == std::vector<std::string>{"logs"});
  CHECK(loki->AvailableAt(v092));
  CHECK_FALSE(loki->DeprecatedAt(v092));  // seed: no OBS304 on 0.92
  CHECK(loki->DeprecatedAt(V(0, 105, 0)));
  CHECK_FALSE(loki->AvailableAt(V(0, 131, 0)));
  CHECK(loki->RemovedSettingAt("labels", v092) != nullptr);  // seed: OBS305
  CHECK(loki->RemovedSettingAt("labels.attributes", v092) != nullptr);
  CHECK(loki->RemovedSettingAt("labels", V(0, 75, 0)) == nullptr);
  CHECK(loki->RemovedSettingAt("endpoint", v092) == nullptr);
  CHECK(loki->RemovedSettingAt("labelsx", v092) == nullptr);
  CHECK(loki->removed_settings[0].removed == V(0, 76, 0));
  CHECK(loki->replacement.find("otlphttp") != std::string::npos);

  const ComponentInfo* logging = K().Component(K_::kExporter, "logging");
  REQUIRE(logging);
  CHECK(logging->DeprecatedAt(V(0, 86, 0)));
  CHECK(logging->AvailableAt(V(0, 110, 0)));
  CHECK_FALSE(logging->AvailableAt(V(0, 111, 0)));

  const ComponentInfo* debug = K().Component(K_::kExporter, "debug");
  REQUIRE(debug);
  CHECK(debug->added == V(0, 86, 0));
  CHECK(debug->InDistribution("core"));
  CHECK_FALSE(debug->AvailableAt(V(0, 85, 0)));

  const ComponentInfo* jaeger = K().Component(K_::kExporter, "jaeger");
  REQUIRE(jaeger);
  CHECK(jaeger->AvailableAt(V(0, 84, 0)));
  CHECK_FALSE(jaeger->AvailableAt(V(0, 86, 0)));
  CHECK(jaeger->signals == std::vector<std::string>{"traces"});

  const ComponentInfo* jaeger_rx = K().Component(K_::kReceiver, "jaeger");
  REQUIRE(jaeger_rx);
  CHECK(jaeger_rx->AvailableAt(K().Collector().newest));
  CHECK(Contains(jaeger_rx->default_ports, "grpc:14250"));
  CHECK(Contains(jaeger_rx->default_ports, "http:14268"));

  const ComponentInfo* prw = K().Component(K_::kExporter, "prometheusremotewrite");
  REQUIRE(prw);
  CHECK(prw->signals == std::vector<std::string>{"metrics"});

  const ComponentInfo* otlp_rx = K().Component(K_::kReceiver, "otlp");
  REQUIRE(otlp_rx);
  for (std::string_view d : {"core", "contrib", "k8s"}) CHECK(otlp_rx->InDistribution(d));
  CHECK(Contains(otlp_rx->default_ports, "otlp-grpc:4317"));
  CHECK(Contains(otlp_rx->default_ports, "otlp-http:4318"));
  CHECK(otlp_rx->signals.size() == 3);

  const ComponentInfo* zipkin_rx = K().Component(K_::kReceiver, "zipkin");
  REQUIRE(zipkin_rx);
  CHECK(Contains(zipkin_rx->default_ports, "zipkin:9411"));

  CHECK(Contains(K().Component(K_::kExtension, "health_check")->default_ports, "http:13133"));
  CHECK(Contains(K().Component(K_::kExtension, "pprof")->default_ports, "http:1777"));
  CHECK(Contains(K().Component(K_::kExtension, "zpages")->default_ports, "http:55679"));

  const ComponentInfo* prom_rx = K().Component(K_::kReceiver, "prometheus");
  REQUIRE(prom_rx);
  CHECK(prom_rx->default_ports.empty());

  const ComponentInfo* ballast = K().Component(K_::kExtension, "memory_ballast");
  REQUIRE(ballast);
  CHECK(ballast->AvailableAt(v092));
  CHECK_FALSE(ballast->AvailableAt(V(0, 108, 0)));

  CHECK(K().Component(K_::kProcessor, "memory_limiter"));
  CHECK(K().Component(K_::kExtension, "memory_limiter"));
  const ComponentInfo* spanmetrics_proc = K().Component(K_::kProcessor, "spanmetrics");
  REQUIRE(spanmetrics_proc);
  CHECK_FALSE(spanmetrics_proc->AvailableAt(V(0, 96, 0)));

  const ComponentInfo* spanmetrics = K().Component(K_::kConnector, "spanmetrics");
  REQUIRE(spanmetrics);
  CHECK(spanmetrics->signals == std::vector<std::string>{"traces->metrics"});
  const ComponentInfo* servicegraph = K().Component(K_::kConnector, "servicegraph");
  REQUIRE(servicegraph);
  CHECK(servicegraph->signals == std::vector<std::string>{"traces->metrics"});
  const ComponentInfo* count = K().Component(K_::kConnector, "count");
  REQUIRE(count);
  CHECK(Contains(count->signals, "logs->metrics"));
  CHECK(Contains(count->signals, "traces->metrics"));
  const ComponentInfo* forward = K().Component(K_::kConnector, "forward");
  REQUIRE(forward);
  CHECK(Contains(forward->signals, "traces->traces"));
  CHECK_FALSE(Contains(forward->signals, "traces->metrics"));

  // v0.144 renamed the OTLP exporters; the old names stay as deprecated aliases.
  CHECK(K().Component(K_::kExporter, "otlp")->DeprecatedAt(V(0, 144, 0)));
  CHECK_FALSE(K().Component(K_::kExporter, "otlp")->DeprecatedAt(v092));
  CHECK(K().Component(K_::kExporter, "otlp_http")->AvailableAt(V(0, 144, 0)));
  CHECK_FALSE(K().Component(K_::kExporter, "otlp_http")->AvailableAt(v092));

  for (std::string_view type :
       {"batch", "resource", "attributes", "transform", "filter", "resourcedetection",
        "tail_sampling", "probabilistic_sampler", "k8sattributes", "routing"}) {
    CAPTURE(type);
    CHECK(K().Component(K_::kProcessor, type));
  }
  for (std::string_view type : {"hostmetrics", "filelog", "docker_stats", "kafka", "awsxray"}) {
    CAPTURE(type);
    CHECK(K().Component(K_::kReceiver, type));
  }
  for (std::string_view type :
       {"otlphttp", "prometheus", "zipkin", "kafka", "file", "elasticsearch", "clickhouse"}) {
    CAPTURE(type);
    CHECK(K().Component(K_::kExporter, type));
  }
  for (std::string_view type :
       {"basicauth", "bearertokenauth", "oidc", "headers_setter", "file_storage"}) {
    CAPTURE(type);
    CHECK(K().Component(K_::kExtension, type));
  }
  CHECK(K().Component(K_::kConnector, "routing"));
  CHECK(K().Component(K_::kExporter, "no_such_exporter") == nullptr);
}

TEST_CASE("ComponentKind names round-trip") {
  for (ComponentKind kind :
       {ComponentKind::kReceiver, ComponentKind::kProcessor, ComponentKind::kExporter,
        ComponentKind::kExtension, ComponentKind::kConnector}) {
    CHECK(ParseComponentKind(ComponentKindName(kind)) == kind);
  }
  CHECK_FALSE(ParseComponentKind("pipeline"));
}

TEST_CASE("secret patterns compile and classify the seed values") {
  const SecretPatterns& s = K().Secrets();
  for (const auto* list : {&s.secret_key_patterns, &s.non_secret_key_patterns,
                           &s.placeholder_patterns, &s.weak_patterns}) {
    REQUIRE_FALSE(list->empty());
    for (const std::string& p : *list) {
      CAPTURE(p);
      CHECK(RE2(p).ok());
    }
  }

  for (std::string key : {"POSTGRES_PASSWORD", "GF_SECURITY_ADMIN_PASSWORD", "SECRET_KEY",
                          "APP_SECRET", "GITHUB_TOKEN", "OPENAI_API_KEY", "PRIVATE_KEY",
                          "AWS_SECRET_ACCESS_KEY", "SENTRY_DSN", "DB_PASSWD", "REDIS_PASS"}) {
    CAPTURE(key);
    CHECK(AnyMatch(s.secret_key_patterns, key));
  }
  for (std::string key : {"GF_SECURITY_ADMIN_PASSWORD__FILE", "POSTGRES_PASSWORD_FILE", "TOKEN_TTL",
                          "PASSWORD_MIN_LENGTH", "DATABASE_URL"}) {
    CAPTURE(key);
    CHECK(AnyMatch(s.non_secret_key_patterns, key));
  }
  for (std::string key : {"POSTGRES_PASSWORD", "SECRET_KEY", "APP_SECRET"}) {
    CAPTURE(key);
    CHECK_FALSE(AnyMatch(s.non_secret_key_patterns, key));
  }
  for (std::string key : {"PORT", "GLITCHTIP_DOMAIN", "EMAIL_URL", "BYPASS_CACHE"}) {
    CAPTURE(key);
    CHECK_FALSE(AnyMatch(s.secret_key_patterns, key));
  }

  for (std::string value :
       {"change-me-in-production", "your-secret-key-here-min-32-chars", "your-umami-secret-here",
        "your-posthog-secret-key-change-in-production", "random-secret-key-change-in-production",
        "changeme", "CHANGE_ME", "secret", "password", "xxxx", "<your-token>", "replace-me",
        "TODO"}) {
    CAPTURE(value);
    CHECK(AnyMatch(s.placeholder_patterns, value));
  }
  for (std::string value : {"production", "https://errors.yourdomain.com", "consolemail://",
                            "noreply@localhost", "k3J9x!vQ2rT8mZ", "development"}) {
    CAPTURE(value);
    CHECK_FALSE(AnyMatch(s.placeholder_patterns, value));
  }

  for (std::string value : {"admin", "postgres", "root", "123456789", "password1", "pass",
                            "glitchtip_secret", "umami_secret", "posthog_secret"}) {
    CAPTURE(value);
    CHECK(AnyMatch(s.weak_patterns, value));
  }
  for (std::string value : {"k3J9x!vQ2rT8mZ", "7f3c9a1e5b2d4f6a8c0e"}) {
    CAPTURE(value);
    CHECK_FALSE(AnyMatch(s.weak_patterns, value));
  }
}

}  // namespace obslint
