// Endpoint resolution: URL parsing, host -> service, and what each service
// listens on (knowledge ports moved or switched off by its own settings).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "discover/discover.h"
#include "analysis/endpoints.h"
#include "knowledge/knowledge.h"

namespace obslint {
namespace {

namespace fs = std::filesystem;

// Writes `files` into a fresh temporary directory and loads it.
struct Stack {
  fs::path dir;
  Project project;
  Stack(const Stack&) = delete;
  explicit Stack(const std::map<std::string, std::string>& files) {
    char tmpl[] = "/tmp/obslint-endpoints-XXXXXX";
    dir = mkdtemp(tmpl);
    for (const auto& [name, content] : files) {
      fs::create_directories((dir / name).parent_path());
      std::ofstream(dir / name) << content;
    }
    LoadOptions lo;
    lo.path = dir.string();
    std::string error;
    REQUIRE(LoadProject(lo, Knowledge::Embedded(), project, error));
  }
  ~Stack() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  const ComposeService& Service(std::string_view name) const {
    const ComposeService* s = project.compose.Service(name);
    REQUIRE(s != nullptr);
    return *s;
  }
};

}  // namespace

TEST_CASE("endpoint URLs parse into scheme, host, port and path") {
  struct Row {
    const char* text;
    bool ok;
    const char* scheme;
    const char* host;
    int port;
    const char* path;
  };
  const Row rows[] = {
      {"http://loki:3100/loki/api/v1/push", true, "http", "loki", 3100, "/loki/api/v1/push"},
      {"jaeger:4317", true, "", "jaeger", 4317, ""},
      {"https://Tempo.example.com", true, "https", "tempo.example.com", 443, ""},
      {"http://victoriametrics", true, "http", "victoriametrics", 80, ""},
      {"postgres://u:secret@db/app", true, "postgres", "db", 5432, "/app"},
      {"redis://cache:6380/0", true, "redis", "cache", 6380, "/0"},
      {"http://[::1]:9093", true, "http", "::1", 9093, ""},
      {"${OTEL_ENDPOINT}", false, "", "", 0, ""},
      {"http://{{ .host }}:80", false, "", "", 0, ""},
      {"kafka1:9092,kafka2:9092", false, "", "", 0, ""},
      {"http://loki:99999", false, "", "", 0, ""},
      {"", false, "", "", 0, ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    ParsedUrl u = ParseEndpointUrl(row.text);
    CHECK(u.ok == row.ok);
    if (!row.ok) continue;
    CHECK(u.scheme == row.scheme);
    CHECK(u.host == row.host);
    CHECK(u.port == row.port);
    CHECK(u.path == row.path);
  }
  CHECK(ParseEndpointUrl("postgres://u:secret@db/app").has_userinfo);
  CHECK(IsLoopbackHost("127.0.0.1"));
  CHECK(IsLoopbackHost("localhost"));
  CHECK_FALSE(IsLoopbackHost("loki"));
}

TEST_CASE("hosts resolve by service name, container_name, hostname and alias") {
  Stack stack(std::map<std::string, std::string>{{"compose.yaml", R"(services:
  app:
    image: example/app:1.0
    environment:
      A_URL: http://jaeger-box:16686
      B_URL: http://trace-host:16686
      C_URL: http://traces:16686
      D_URL: http://localhost:8080
      E_URL: http://api.example.com
      F_URL: http://nowhere:80
      G_URL: http://${UNSET_HOST}:80
    networks: [net]
  jaeger:
    image: jaegertracing/all-in-one:1.53
    container_name: jaeger-box
    hostname: trace-host
    networks:
      net:
        aliases: [traces]
networks:
  net:
)"}});
  Analysis analysis(stack.project, Knowledge::Embedded());
  const StackEndpoints& se = analysis.Endpoints();
  std::map<std::string, const Endpoint*> by_key;
  for (const auto& e : se.endpoints()) by_key[e.component_type] = &e;
  const ComposeService* jaeger = stack.project.compose.Service("jaeger");
  for (const char* key : {"A_URL", "B_URL", "C_URL"}) {
    CAPTURE(key);
    REQUIRE(by_key.count(key));
    CHECK(by_key[key]->resolution == HostResolution::kService);
    CHECK(by_key[key]->target == jaeger);
  }
  REQUIRE(by_key.count("D_URL"));
  CHECK(by_key["D_URL"]->resolution == HostResolution::kSelf);
  REQUIRE(by_key.count("E_URL"));
  CHECK(by_key["E_URL"]->resolution == HostResolution::kExternal);
  REQUIRE(by_key.count("F_URL"));
  CHECK(by_key["F_URL"]->resolution == HostResolution::kUnknown);
  CHECK(by_key.count("G_URL") == 0);  // unresolved variable: skipped
}

TEST_CASE("listening ports follow Loki, VictoriaMetrics, Grafana and Jaeger settings") {
  Stack stack(std::map<std::string, std::string>{{"compose.yaml", R"(services:
  loki:
    image: grafana/loki:2.9.3
    command: -config.file=/etc/loki/loki.yaml
    volumes:
      - ./loki.yaml:/etc/loki/loki.yaml:ro
  vm:
    image: victoriametrics/victoria-metrics:v1.96.0
    command: ["-httpListenAddr=:9428"]
  grafana:
    image: grafana/grafana:10.2.3
    environment:
      GF_SERVER_HTTP_PORT: "3300"
  jaeger:
    image: jaegertracing/all-in-one:1.53
    environment:
      - COLLECTOR_OTLP_ENABLED=false
  mystery:
    image: example/unknown:1.0
)"},
               {"loki.yaml", "auth_enabled: false\nserver:\n  http_listen_port: 3200\n"}});
  Analysis analysis(stack.project, Knowledge::Embedded());
  const StackEndpoints& se = analysis.Endpoints();
  const ListenInfo& loki = se.Listening(stack.Service("loki"));
  CHECK(loki.complete);
  CHECK(loki.Find(3200) != nullptr);
  CHECK(loki.Find(3100) == nullptr);
  const ListenInfo& vm = se.Listening(stack.Service("vm"));
  CHECK(vm.Find(9428) != nullptr);
  CHECK(vm.Find(8428) == nullptr);
  const ListenInfo& grafana = se.Listening(stack.Service("grafana"));
  CHECK(grafana.Find(3300) != nullptr);
  CHECK(grafana.Find(3000) == nullptr);
  const ListenInfo& jaeger = se.Listening(stack.Service("jaeger"));
  CHECK(jaeger.Find(4317) == nullptr);
  CHECK(jaeger.Find(16686) != nullptr);
  bool disabled = false;
  for (const auto& p : jaeger.disabled) disabled |= p.port == 4317;
  CHECK(disabled);
  CHECK_FALSE(se.Listening(stack.Service("mystery")).known);
}

TEST_CASE("collector receivers: explicit endpoints, defaults and localhost binding") {
  Stack stack(std::map<std::string, std::string>{{"compose.yaml", R"(services:
  otel-collector:
    image: otel/opentelemetry-collector-contrib:0.130.0
    command: ["--config=/etc/otelcol/config.yaml"]
    volumes:
      - ./collector.yaml:/etc/otelcol/config.yaml:ro
)"},
               {"collector.yaml", R"(receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
exporters:
  debug:
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
)"}});
  Analysis analysis(stack.project, Knowledge::Embedded());
  const StackEndpoints& se = analysis.Endpoints();
  const ListenInfo& li = se.Listening(stack.Service("otel-collector"));
  CHECK(li.complete);
  REQUIRE(li.Find(4317) != nullptr);
  CHECK_FALSE(li.Find(4317)->local_only);
  REQUIRE(li.Find(4318) != nullptr);
  CHECK(li.Find(4318)->local_only);  // no endpoint: localhost from v0.104
  REQUIRE(li.Find(8888) != nullptr);
  CHECK(li.Find(8888)->local_only);  // self metrics on localhost from v0.111
}

}  // namespace obslint
