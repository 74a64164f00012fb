// Endpoint resolution: every connection one service of the stack makes to
// another (collector exporters, Grafana datasources, Loki's Alertmanager URL,
// Prometheus/vmagent scrape targets and remote_write, connection strings in
// compose environments), each resolved to its target service and port, plus
// what every service listens on. The link rules (OBS7xx) and `obslint graph`
// share this one engine so they never disagree.
//
// Conservative by design: anything obslint cannot be sure of (templated
// values, external hosts, images it does not know, configs it cannot read)
// resolves to "unknown", and the rules stay silent on unknown.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/listening.h"
#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint {

// A URL or "host:port" split into parts. Userinfo is dropped (never kept, so
// never printed).
struct ParsedUrl {
  bool ok = false;
  std::string scheme;  // lower-case; "" when written as host:port
  std::string host;    // lower-case; IPv6 without brackets
  int port = 0;        // explicit or scheme default; 0 = none
  bool port_explicit = false;
  std::string path;  // "" or starting with '/'
  bool has_userinfo = false;
};

// Parses `text` ("http://loki:3100/x", "jaeger:4317", "postgres://u:p@db/x").
// Values holding unexpanded templates (`${`, `{{`, `$VAR`) do not parse.
ParsedUrl ParseEndpointUrl(std::string_view text);
// Default port of a scheme: http 80, https 443, postgres 5432, redis 6379...; 0 when none.
int DefaultPortForScheme(std::string_view scheme);

// Protocol families an endpoint or a listening port speaks.
//   "otlp-grpc", "grpc", "otlp-http", "http", "zipkin", "postgres", "redis", "" (unknown)
bool IsGrpcProtocol(std::string_view protocol);
bool IsHttpProtocol(std::string_view protocol);

enum class EndpointOrigin {
  kCollectorExporter,
  kGrafanaDatasource,
  kLokiAlertmanager,
  kScrapeTarget,
  kRemoteWrite,
  kAlertmanagerTarget,
  kEnvironment,
};

enum class HostResolution {
  kService,   // a service of the stack (target set)
  kSelf,      // loopback: the source container itself (target = source, or its network_mode service)
  kExternal,  // FQDN, IP, host.docker.internal, or a host-networked source: not judged
  kUnknown,   // a bare name no service answers to
  kSkipped,   // templated, unparsable, or no host
};

struct Endpoint {
  EndpointOrigin origin = EndpointOrigin::kEnvironment;
  std::string what;            // `exporter "otlp/jaeger"`, `datasource "Loki"`, `DATABASE_URL`
  std::string component_type;  // exporter type ("otlp"), datasource type ("loki"), env key
  std::string protocol;        // what the client speaks (see IsGrpcProtocol); "" unknown
  // The protocol comes only from an http(s):// scheme of a variable the
  // application reads in its own way: many gRPC clients take http:// to
  // mean "no TLS", so it says nothing against a gRPC port.
  bool protocol_from_scheme = false;
  // What the client pushes at the URL's path, for path checks:
  // prometheus-remote-write, loki-push, otlp-http (a base path); "" = none.
  std::string payload;
  // Collector exporters: the signals of the pipelines that use it
  // ("traces", "metrics", "logs"), in pipeline order, each once.
  std::vector<std::string> signals;
  TlsState tls = TlsState::kUnknown;  // whether the client uses TLS
  std::string tls_why;                // "https scheme", "the otlp exporter's default"
  Located<std::string> value;  // as written, with its position
  ParsedUrl url;
  const ComposeService* source = nullptr;  // the service that connects
  HostResolution resolution = HostResolution::kSkipped;
  const ComposeService* target = nullptr;
  // Display form of the value with passwords masked.
  std::string Display() const;
};

// Why a connection fails although its host resolves and its port listens
// (OBS706; `obslint graph` marks the same links broken).
enum class LinkProblem {
  kNone,
  kWireProtocol,  // gRPC client at an HTTP port, or the reverse
  kTls,           // TLS client at a plain-text listener, or the reverse
  kPath,          // a push to a path the target does not serve
  kReceiverOff,   // the path exists only when the target is started with a flag
  kSignal,        // logs or metrics sent over OTLP to a backend that takes only traces
};

struct LinkDiagnosis {
  LinkProblem problem = LinkProblem::kNone;
  std::optional<ListenPort> port;           // the target's port (set when it listens)
  std::optional<PushPath> push;             // kPath, kReceiverOff
  std::vector<std::string> accepted_paths;  // kPath: with the target's path prefix
  std::string path;                         // the endpoint's path, trailing '/' dropped
  std::vector<std::string> rejected_signals;  // kSignal: "logs", "metrics"
  // Short form for the graph: "protocol mismatch", "TLS mismatch", "wrong path"...
  std::string Summary() const;
};

// Every connection of one stack, resolved to its target service and port.
// Built once per stack by the Analysis (Analysis::Endpoints()).
class StackEndpoints {
 public:
  explicit StackEndpoints(const Analysis& analysis);

  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  const ListenInfo& Listening(const ComposeService& service) const {
    return analysis_.Listening(service);
  }
  const ServiceImage& Image(const ComposeService& service) const {
    return analysis_.Image(service);
  }
  // Networks the service is attached to ("default" when none is declared);
  // empty for network_mode host / container:.
  std::vector<std::string> Networks(const ComposeService& service) const;
  // True when some unknown host may still resolve (host networking in the
  // stack, external networks on `service`, extra_hosts/links naming `host`).
  bool HostMayResolveElsewhere(const ComposeService* service, std::string_view host) const;
  // The service a name resolves to (service, container_name, hostname,
  // network alias, links alias); nullptr when none.
  const ComposeService* ServiceByHost(std::string_view host) const;
  // Whether `e` (resolved to a service, port known) can talk to its target;
  // a problem is reported only when it holds on every release the target's
  // image tag allows.
  LinkDiagnosis Diagnose(const Endpoint& e) const;

 private:
  void CollectCollector(const CollectorConfig& config);
  void CollectDatasources(const GrafanaDatasourceFile& file);
  void CollectLoki(const LokiConfig& config);
  void CollectPrometheus(const PrometheusConfig& config);
  void CollectEnvironment(const ComposeService& service);
  void CollectFlags(const ComposeService& service, const ImageInfo& info);
  void CollectConfigEndpoints(const ComposeService& service, const ImageInfo& info);
  void Add(Endpoint e);
  void Resolve(Endpoint& e) const;
  LinkDiagnosis DiagnoseAt(const Endpoint& e, const ImageInfo& info, const ListenInfo& li) const;

  const Analysis& analysis_;
  const Project& project_;
  std::vector<Endpoint> endpoints_;
  std::vector<std::pair<std::string, const ComposeService*>> names_;
  std::vector<std::string> extra_names_;  // extra_hosts / links / external_links names
  bool host_network_in_stack_ = false;
};

}  // namespace obslint
