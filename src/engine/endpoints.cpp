#include "engine/endpoints.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>

#include "engine/redact.h"
#include "model/text.h"

namespace obslint {
namespace {

using yaml::Node;

bool ParsePort(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0 || v > 65535) return false;
  port = v;
  return true;
}

bool LooksTemplated(std::string_view text) {
  return text.find('$') != std::string_view::npos || text.find("{{") != std::string_view::npos ||
         text.find('%') != std::string_view::npos;
}

// "[host]:port", "host:port", ":port", "port" -> port; host in `host`.
bool SplitBind(std::string_view text, std::string& host, int& port) {
  if (text.starts_with("[")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(text.substr(1, close - 1));
    text.remove_prefix(close + 1);
    if (!text.starts_with(":")) return false;
    return ParsePort(text.substr(1), port);
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    host.clear();
    return ParsePort(text, port);
  }
  host = std::string(text.substr(0, colon));
  return ParsePort(text.substr(colon + 1), port);
}

// Walks a dotted key ("server.http_listen_port") below `root`.
const Node* AtDotted(const Node* root, std::string_view dotted) {
  const Node* node = root;
  while (node != nullptr && !dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view key = dotted.substr(0, dot);
    node = node->IsMap() ? node->Get(key) : nullptr;
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return node;
}

// Protocol an exporter type speaks; "" for exporters that open no connection
// obslint can judge.
std::string ExporterProtocol(std::string_view type, std::string_view scheme) {
  if (type == "otlp" || type == "jaeger" || type == "opencensus") return "otlp-grpc";
  if (type == "otlphttp") return "otlp-http";
  if (type == "loki" || type == "prometheusremotewrite" || type == "zipkin" ||
      type == "elasticsearch" || type == "opensearch" || type == "influxdb" ||
      type == "splunk_hec" || type == "datadog" || type == "logzio")
    return "http";
  if (type == "clickhouse") return scheme == "tcp" || scheme == "clickhouse" ? "tcp" : "http";
  return "";
}

// Exporters whose `endpoint` is a listening address, not a destination.
bool ExporterListens(std::string_view type) { return type == "prometheus"; }

// Grafana datasource types that are queried over HTTP at `url`.
std::string DatasourceProtocol(std::string_view type) {
  static const std::set<std::string_view> kHttp = {
      "prometheus", "loki", "jaeger", "tempo", "zipkin", "elasticsearch", "alertmanager",
      "victoriametrics-metrics-datasource", "victoriametrics-logs-datasource",
      "grafana-pyroscope-datasource", "grafana-opensearch-datasource", "graphite", "influxdb",
      "opentsdb"};
  if (kHttp.count(type)) return "http";
  if (type == "postgres" || type == "grafana-postgresql-datasource") return "postgres";
  return "";
}

// Environment variable names that hold a public/browser URL rather than an
// address the container connects to.
bool IsPublicUrlKey(std::string_view key) {
  static const RE2 kPublic(
      "(^|_)(ROOT|PUBLIC|SITE|EXTERNAL|APP|CALLBACK|REDIRECT|ORIGIN|DOMAIN|CORS|ALLOWED|NEXTAUTH|"
      "FRONTEND|BROWSER|WEBSITE|HOMEPAGE|ISSUER|LOGIN|LOGOUT|BASE|WEBHOOK|EMAIL|SMTP|MAIL|DSN|"
      "PROXY|HEALTH|LISTEN|BIND|CDN|STATIC|MEDIA|DOCS|SUPPORT|PRIVACY|TERMS|IMAGE|REGISTRY|REPO|"
      "GIT|DOWNLOAD|UPDATE|OAUTH|AUTH|SSO|OIDC|SENTRY|SLACK|DISCORD|TEAMS)(_|$)");
  return RE2::PartialMatch(key, kPublic);
}

bool IsEndpointKey(std::string_view key) {
  static const RE2 kKey("(^|_)(URL|URI|ENDPOINT|ADDR|ADDRESS|DSN)$");
  return RE2::PartialMatch(key, kKey);
}

std::string SchemeProtocol(std::string_view scheme) {
  if (scheme == "http" || scheme == "https") return "http";
  if (scheme == "postgres" || scheme == "postgresql") return "postgres";
  if (scheme == "redis" || scheme == "rediss") return "redis";
  if (scheme == "grpc" || scheme == "grpcs") return "grpc";
  return "";
}

// TLS as the URL scheme says (https, grpcs, rediss); unknown without one.
TlsState SchemeTls(std::string_view scheme) {
  if (scheme == "https" || scheme == "grpcs" || scheme == "rediss") return TlsState::kTls;
  if (scheme == "http" || scheme == "grpc" || scheme == "redis") return TlsState::kPlain;
  return TlsState::kUnknown;
}

// An endpoint with the fields every source sets; `url_text` is what is
// parsed (the value, or the value with the scheme its source implies).
Endpoint MakeEndpoint(EndpointOrigin origin, std::string what, std::string component_type,
                      std::string protocol, Located<std::string> value, std::string_view url_text,
                      const ComposeService* source) {
  Endpoint e;
  e.origin = origin;
  e.what = std::move(what);
  e.component_type = std::move(component_type);
  e.protocol = std::move(protocol);
  e.value = std::move(value);
  e.url = ParseEndpointUrl(url_text);
  e.source = source;
  return e;
}

// TLS of a collector gRPC exporter (configgrpc client): an https:// scheme
// forces TLS; otherwise TLS is on unless `tls.insecure: true`. With an
// http:// scheme and no `insecure` the outcome differs between releases,
// so it is left unknown.
// `why` is always set: the exporter decided, the scheme is not consulted again.
TlsState GrpcExporterTls(const Node* config, std::string_view scheme, std::string& why) {
  why = "its https:// scheme";
  if (scheme == "https") return TlsState::kTls;
  const Node* tls = config->Get("tls");
  const Node* insecure = tls && tls->IsMap() ? tls->Get("insecure") : nullptr;
  why = "`tls: {insecure: true}`";
  if (insecure != nullptr) {
    if (!insecure->IsScalar()) return TlsState::kUnknown;
    if (insecure->scalar == "true")  // ... unless a CA is given: then TLS after all
      return tls->Get("ca_file") || tls->Get("ca_pem") ? TlsState::kUnknown : TlsState::kPlain;
    if (insecure->scalar != "false") return TlsState::kUnknown;  // templated
  } else if (scheme == "http" || (tls != nullptr && !tls->IsMap() && !tls->IsNull())) {
    return TlsState::kUnknown;
  }
  why = "gRPC exporters use TLS unless `tls: {insecure: true}` is set";
  return TlsState::kTls;
}

}  // namespace

// ------------------------------------------------------------------ parsing

int DefaultPortForScheme(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "postgres" || scheme == "postgresql") return 5432;
  if (scheme == "redis" || scheme == "rediss") return 6379;
  if (scheme == "mysql" || scheme == "mariadb") return 3306;
  if (scheme == "mongodb") return 27017;
  if (scheme == "amqp") return 5672;
  if (scheme == "nats") return 4222;
  if (scheme == "clickhouse") return 9000;
  return 0;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "0.0.0.0" || host.starts_with("127.") ||
         host == "ip6-localhost";
}

bool IsGrpcProtocol(std::string_view p) { return p == "grpc" || p == "otlp-grpc"; }
bool IsHttpProtocol(std::string_view p) { return p == "http" || p == "otlp-http" || p == "zipkin"; }

ParsedUrl ParseEndpointUrl(std::string_view text) {
  ParsedUrl u;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty() || LooksTemplated(text)) return u;
  std::string_view rest = text;
  size_t sep = rest.find("://");
  if (sep != std::string_view::npos) {
    u.scheme = Lower(rest.substr(0, sep));
    static const RE2 kScheme("[a-z][a-z0-9+.-]*");
    if (u.scheme.empty() || !RE2::FullMatch(u.scheme, kScheme)) return u;
    rest.remove_prefix(sep + 3);
  }
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (end != std::string_view::npos) {
    std::string_view path = rest.substr(end);
    u.path = std::string(path.substr(0, path.find_first_of("?#")));
  }
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    u.has_userinfo = true;
    authority.remove_prefix(at + 1);
  }
  // Several hosts ("h1:1,h2:2"): not one endpoint.
  if (authority.empty() || authority.find(',') != std::string_view::npos) return u;
  std::string host;
  int port = 0;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return u;
    host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(":") || !ParsePort(after.substr(1), port)) return u;
      u.port_explicit = true;
    }
  } else {
    size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      if (authority.find(':', colon + 1) != std::string_view::npos) return u;  // bare IPv6
      if (!ParsePort(authority.substr(colon + 1), port)) return u;
      u.port_explicit = true;
      host = std::string(authority.substr(0, colon));
    } else {
      host = std::string(authority);
    }
  }
  if (host.empty()) {
    // ":4317" binds every interface; no host to resolve.
    if (!u.port_explicit) return u;
  } else if (static const RE2 kHost("[A-Za-z0-9_.:-]+"); !RE2::FullMatch(host, kHost)) {
    return u;
  }
  u.host = Lower(host);
  u.port = u.port_explicit ? port : DefaultPortForScheme(u.scheme);
  u.ok = !u.host.empty();
  return u;
}

std::string Endpoint::Display() const { return RedactUrl(value.value); }

const ListenPort* ListenInfo::Find(int port) const {
  for (const auto& p : ports)
    if (p.port == port) return &p;
  return nullptr;
}

std::string ListenInfo::Describe() const {
  std::vector<ListenPort> sorted = ports;
  std::sort(sorted.begin(), sorted.end(),
            [](const ListenPort& a, const ListenPort& b) { return a.port < b.port; });
  std::string out;
  int last = -1;
  for (const auto& p : sorted) {
    if (p.port == last) continue;
    last = p.port;
    if (!out.empty()) out += ", ";
    out += std::to_string(p.port);
    if (!p.name.empty()) out += fmt::format(" ({})", p.name);
    if (p.local_only) out += " on localhost only";
  }
  return out.empty() ? "no port" : out;
}

size_t ServiceIndex(const Project& project, const ComposeService& service) {
  return static_cast<size_t>(&service - project.compose.services.data());
}

// ------------------------------------------------------------------ stack

StackEndpoints::StackEndpoints(const Project& project, const Knowledge& knowledge)
    : project_(project), knowledge_(knowledge) {
  const auto& services = project.compose.services;
  images_.reserve(services.size());
  for (const auto& s : services) {
    images_.push_back(s.image.text.value.empty() ? nullptr : knowledge.Image(s.image.text.value));
    if (s.network_mode.present && s.network_mode.value == "host") host_network_in_stack_ = true;
  }
  // Names: service names first (they win), then container_name, hostname, aliases.
  for (const auto& s : services) names_.emplace_back(Lower(s.name), &s);
  for (const auto& s : services) {
    if (s.container_name.present) names_.emplace_back(Lower(s.container_name.value), &s);
    if (s.hostname.present) names_.emplace_back(Lower(s.hostname.value), &s);
    for (const auto& n : s.networks)
      for (const auto& a : n.aliases) names_.emplace_back(Lower(a.value), &s);
    if (s.node == nullptr) continue;
    for (std::string_view key : {"links", "external_links"}) {
      const Node* links = s.node->Get(key);
      if (links == nullptr || !links->IsSequence()) continue;
      for (const Node* l : links->items) {
        if (!l->IsScalar()) continue;
        std::string_view v = l->scalar;
        size_t colon = v.find(':');
        extra_names_.push_back(Lower(colon == std::string_view::npos ? v : v.substr(colon + 1)));
        if (colon != std::string_view::npos) extra_names_.push_back(Lower(v.substr(0, colon)));
      }
    }
    if (const Node* eh = s.node->Get("extra_hosts")) {
      if (eh->IsSequence()) {
        for (const Node* h : eh->items) {
          if (!h->IsScalar()) continue;
          std::string_view v = h->scalar;
          size_t sep = v.find_first_of(":=");
          extra_names_.push_back(Lower(v.substr(0, sep)));
        }
      } else if (eh->IsMap()) {
        for (const auto& [k, v] : eh->entries) extra_names_.push_back(Lower(k->scalar));
      }
    }
  }
  listening_.reserve(services.size());
  for (const auto& s : services) listening_.push_back(ComputeListening(s));

  for (const auto& c : project.collectors) CollectCollector(c);
  for (const auto& f : project.datasource_files) CollectDatasources(f);
  for (const auto& l : project.lokis) CollectLoki(l);
  for (const auto& p : project.prometheus) CollectPrometheus(p);
  for (const auto& s : services) {
    CollectEnvironment(s);
    if (const auto& info = images_[ServiceIndex(project_, s)]) {
      CollectFlags(s, *info);
      CollectConfigEndpoints(s, *info);
    }
  }
}

namespace {

struct SharedEndpoints {
  int depth = 0;  // open EndpointsScopes
  const Project* project = nullptr;
  const Knowledge* knowledge = nullptr;
  std::shared_ptr<const StackEndpoints> endpoints;
};
thread_local SharedEndpoints tl_shared;

}  // namespace

EndpointsScope::EndpointsScope() { ++tl_shared.depth; }

EndpointsScope::~EndpointsScope() {
  if (--tl_shared.depth == 0) tl_shared = SharedEndpoints{};
}

std::shared_ptr<const StackEndpoints> StackEndpoints::For(const Project& project,
                                                          const Knowledge& knowledge) {
  if (tl_shared.depth == 0) return std::make_shared<const StackEndpoints>(project, knowledge);
  if (tl_shared.project != &project || tl_shared.knowledge != &knowledge || !tl_shared.endpoints) {
    tl_shared.project = &project;
    tl_shared.knowledge = &knowledge;
    tl_shared.endpoints = std::make_shared<const StackEndpoints>(project, knowledge);
  }
  return tl_shared.endpoints;
}

const ListenInfo& StackEndpoints::Listening(const ComposeService& service) const {
  return listening_[ServiceIndex(project_, service)];
}

const std::shared_ptr<const ImageInfo>& StackEndpoints::Image(const ComposeService& service) const {
  return images_[ServiceIndex(project_, service)];
}

const ComposeService* StackEndpoints::ServiceByHost(std::string_view host) const {
  std::string h = Lower(host);
  for (const auto& [name, s] : names_)
    if (name == h) return s;
  return nullptr;
}

std::vector<std::string> StackEndpoints::Networks(const ComposeService& service) const {
  const ComposeService* s = &service;
  if (s->network_mode.present) {
    std::string_view mode = s->network_mode.value;
    if (mode.starts_with("service:")) {
      s = project_.compose.Service(mode.substr(8));
      if (s == nullptr || s->network_mode.present) return {};
    } else if (mode != "bridge" && mode != "default") {
      return {};
    } else {
      return {"default"};
    }
  }
  if (!s->networks_declared) return {"default"};
  std::vector<std::string> out;
  for (const auto& n : s->networks) out.push_back(n.name.value);
  std::sort(out.begin(), out.end());
  return out;
}

bool StackEndpoints::HostMayResolveElsewhere(const ComposeService* service,
                                             std::string_view host) const {
  if (host_network_in_stack_) return true;
  std::string h = Lower(host);
  if (std::find(extra_names_.begin(), extra_names_.end(), h) != extra_names_.end()) return true;
  if (service == nullptr) return false;
  if (service->network_mode.present && service->network_mode.value != "bridge" &&
      service->network_mode.value != "default")
    return true;
  for (const auto& n : service->networks) {
    const TopLevelDecl* decl = project_.compose.Network(n.name.value);
    if (decl == nullptr || decl->external) return true;
  }
  // Only a service with build: or an unknown image might have its own
  // /etc/hosts tricks; that is too rare to give up on.
  return false;
}

void StackEndpoints::Add(Endpoint e) {
  // A service the active profiles leave out connects to nothing.
  if (e.source != nullptr && !e.source->starts) return;
  if (e.tls_why.empty()) {  // not decided by the source: the scheme says
    e.tls = SchemeTls(e.url.scheme);
    if (e.tls != TlsState::kUnknown) e.tls_why = fmt::format("its {}:// scheme", e.url.scheme);
  }
  Resolve(e);
  endpoints_.push_back(std::move(e));
}

void StackEndpoints::Resolve(Endpoint& e) const {
  if (!e.url.ok) {
    e.resolution = HostResolution::kSkipped;
    return;
  }
  const std::string& host = e.url.host;
  if (IsLoopbackHost(host)) {
    if (e.source == nullptr) {
      e.resolution = HostResolution::kSkipped;
      return;
    }
    // (A ternary with "" would build a temporary std::string: dangling view.)
    std::string_view mode;
    if (e.source->network_mode.present) mode = e.source->network_mode.value;
    if (mode == "host") {
      e.resolution = HostResolution::kExternal;
    } else if (mode.starts_with("service:")) {
      e.target = project_.compose.Service(mode.substr(8));
      e.resolution = e.target ? HostResolution::kService : HostResolution::kSkipped;
    } else if (mode.starts_with("container:")) {
      e.resolution = HostResolution::kSkipped;
    } else {
      e.target = e.source;
      e.resolution = HostResolution::kSelf;
    }
    return;
  }
  if (const ComposeService* s = ServiceByHost(host)) {
    // A target the active profiles leave out is not there to answer; the
    // rules do not judge the link (its name is no typo either).
    e.target = s->starts ? s : nullptr;
    e.resolution = s->starts ? HostResolution::kService : HostResolution::kSkipped;
    return;
  }
  if (host.find('.') != std::string::npos || host.find(':') != std::string::npos ||
      std::all_of(host.begin(), host.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    e.resolution = HostResolution::kExternal;
    return;
  }
  e.resolution = HostResolution::kUnknown;
}

// ---------------------------------------------------------------- sources

void StackEndpoints::CollectCollector(const CollectorConfig& config) {
  if (config.services.empty() || config.source == nullptr) return;
  std::set<std::string> used;
  for (const auto& p : config.pipelines)
    for (const auto& r : p.exporters) used.insert(r.id);
  const std::string& file = config.source->path;
  for (const auto& c : config.components) {
    if (c.kind != "exporters" || !used.count(c.id) || c.config == nullptr || !c.config->IsMap())
      continue;
    if (ExporterListens(c.type)) continue;
    std::vector<std::pair<std::string_view, const Node*>> values;  // (key, value)
    for (std::string_view key : {"endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint"})
      if (const Node* n = c.config->Get(key); n && n->IsScalar()) values.emplace_back(key, n);
    if (const Node* n = c.config->Get("endpoints"); n && n->IsSequence())
      for (const Node* item : n->items)
        if (item->IsScalar()) values.emplace_back("endpoints", item);
    for (const auto& [key, v] : values) {
      for (const auto& service_name : config.services) {
        Endpoint e = MakeEndpoint(EndpointOrigin::kCollectorExporter,
                                  fmt::format("exporter \"{}\"", c.id), c.type, "",
                                  Located<std::string>(v->scalar, yaml::LocationOf(v, file)),
                                  v->scalar, project_.compose.Service(service_name));
        e.protocol = ExporterProtocol(c.type, e.url.scheme);
        if (IsGrpcProtocol(e.protocol)) {
          // gRPC targets have no scheme default port ("jaeger" alone is not 80).
          if (!e.url.port_explicit) e.url.port = 0;
          e.tls = GrpcExporterTls(c.config, e.url.scheme, e.tls_why);
        }
        if (key == "endpoint") {
          if (c.type == "prometheusremotewrite") e.payload = "prometheus-remote-write";
          else if (c.type == "loki") e.payload = "loki-push";
          else if (c.type == "otlphttp") e.payload = "otlp-http";
        }
        Add(std::move(e));
      }
    }
  }
}

void StackEndpoints::CollectDatasources(const GrafanaDatasourceFile& file) {
  if (file.services.empty()) return;
  for (const auto& ds : file.datasources) {
    if (!ds.url.present || ds.url.value.empty()) continue;
    // access: direct makes the browser fetch the URL, from outside the stack.
    if (ds.access.present && ds.access.value == "direct") continue;
    std::string protocol = DatasourceProtocol(ds.type.value);
    if (protocol.empty()) continue;
    for (const auto& service_name : file.services) {
      Endpoint e = MakeEndpoint(EndpointOrigin::kGrafanaDatasource,
                                fmt::format("datasource \"{}\"", ds.name.value), ds.type.value,
                                protocol, ds.url, ds.url.value,
                                project_.compose.Service(service_name));
      if (e.url.ok && e.url.scheme.empty() && !e.url.port_explicit && protocol == "postgres")
        e.url.port = 5432;
      Add(std::move(e));
    }
  }
}

void StackEndpoints::CollectLoki(const LokiConfig& config) {
  if (config.services.empty() || !config.alertmanager_url.present) return;
  std::string_view value = config.alertmanager_url.value;
  // Several comma-separated URLs (or DNS SRV forms): not one endpoint.
  if (value.find(',') != std::string_view::npos || value.starts_with("dns")) return;
  for (const auto& service_name : config.services) {
    Add(MakeEndpoint(EndpointOrigin::kLokiAlertmanager, "ruler alertmanager_url", "alertmanager",
                     "http", config.alertmanager_url, value,
                     project_.compose.Service(service_name)));
  }
}

void StackEndpoints::CollectPrometheus(const PrometheusConfig& config) {
  if (config.services.empty()) return;
  for (const auto& service_name : config.services) {
    const ComposeService* source = project_.compose.Service(service_name);
    for (const auto& t : config.targets) {
      Add(MakeEndpoint(EndpointOrigin::kScrapeTarget,
                       fmt::format("scrape target of job \"{}\"", t.job), "scrape", "http",
                       t.target, t.scheme + "://" + t.target.value, source));
    }
    for (const auto& u : config.remote_write_urls) {
      Endpoint e = MakeEndpoint(EndpointOrigin::kRemoteWrite, "remote_write url", "remote_write",
                                "http", u, u.value, source);
      e.payload = "prometheus-remote-write";
      Add(std::move(e));
    }
    for (const auto& t : config.alertmanager_targets) {
      Add(MakeEndpoint(EndpointOrigin::kAlertmanagerTarget, "alertmanager target", "alertmanager",
                       "http", t, "http://" + t.value, source));
    }
  }
}

void StackEndpoints::CollectEnvironment(const ComposeService& service) {
  std::set<std::string> seen;
  const EnvVar* otlp_protocol = service.Env("OTEL_EXPORTER_OTLP_PROTOCOL");
  for (auto it = service.environment.rbegin(); it != service.environment.rend(); ++it) {
    const EnvVar& v = *it;
    if (!seen.insert(v.key).second || !v.has_value) continue;  // later entries win
    if (v.value.unresolved || v.value.resolved.empty()) continue;
    std::string key = v.key;
    for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string& text = v.value.resolved;
    bool otlp = key.starts_with("OTEL_EXPORTER_OTLP_") && key.ends_with("ENDPOINT");
    if (!otlp && (!IsEndpointKey(key) || IsPublicUrlKey(key))) continue;
    ParsedUrl url = ParseEndpointUrl(text);
    if (!url.ok) continue;
    // Without a scheme only "host:port" counts; a bare word is too vague.
    if (url.scheme.empty() && !url.port_explicit) continue;
    std::string protocol = SchemeProtocol(url.scheme);
    if (!url.scheme.empty() && protocol.empty() && DefaultPortForScheme(url.scheme) == 0) continue;
    if (otlp) {
      // The SDK's protocol decides, not the scheme (http:// means plaintext gRPC too).
      protocol.clear();
      if (otlp_protocol && otlp_protocol->has_value) {
        std::string p = Lower(otlp_protocol->value.resolved);
        if (p == "grpc") protocol = "otlp-grpc";
        else if (p.starts_with("http/")) protocol = "otlp-http";
      }
      if (url.scheme.empty() && !url.port_explicit) continue;
    }
    Location loc = v.value_loc.HasPosition() ? v.value_loc : v.key_loc;
    Add(MakeEndpoint(EndpointOrigin::kEnvironment, fmt::format("environment variable {}", v.key),
                     v.key, protocol, Located<std::string>(text, loc), text, &service));
  }
  // *_HOST + *_PORT pairs (DB_HOST=postgres, DB_PORT=5432).
  for (const auto& v : service.environment) {
    if (!v.key.ends_with("_HOST") || !v.has_value || v.value.unresolved) continue;
    std::string prefix = v.key.substr(0, v.key.size() - 5);
    if (IsPublicUrlKey(prefix)) continue;
    const EnvVar* host = service.Env(v.key);
    const EnvVar* port = service.Env(prefix + "_PORT");
    if (host != &v || port == nullptr || !port->has_value || port->value.unresolved) continue;
    int p = 0;
    if (!ParsePort(port->value.resolved, p)) continue;
    std::string h = host->value.resolved;
    static const RE2 kHostName("[A-Za-z0-9_.-]+");
    if (h.empty() || !RE2::FullMatch(h, kHostName)) continue;
    std::string text = h + ":" + port->value.resolved;
    Add(MakeEndpoint(EndpointOrigin::kEnvironment,
                     fmt::format("environment variables {} and {}_PORT", v.key, prefix), v.key, "",
                     Located<std::string>(text, host->value_loc.HasPosition() ? host->value_loc
                                                                              : host->key_loc),
                     text, &service));
  }
}

void StackEndpoints::CollectFlags(const ComposeService& service, const ImageInfo& info) {
  for (const EndpointFlag& ef : info.endpoint_flags) {
    for (const Located<std::string>& v : service.FlagValues(ef.flag)) {
      Endpoint e = MakeEndpoint(EndpointOrigin::kRemoteWrite,
                                fmt::format("-{} of service \"{}\"", ef.flag, service.name), ef.flag,
                                "http", v, v.value, &service);
      e.payload = ef.payload;
      Add(std::move(e));
    }
  }
}

void StackEndpoints::CollectConfigEndpoints(const ComposeService& service, const ImageInfo& info) {
  if (info.config_endpoints.empty()) return;
  bool readable = true;
  const SourceFile* file = nullptr;
  const Node* root = ServiceConfigRoot(service, info, readable, &file);
  if (root == nullptr || file == nullptr) return;
  for (const ConfigEndpoint& ce : info.config_endpoints) {
    // Walk the dotted path; "key[]" fans out over the items of a list.
    std::vector<const Node*> nodes{root};
    std::string_view path = ce.path;
    while (!path.empty() && !nodes.empty()) {
      size_t dot = path.find('.');
      std::string_view key = path.substr(0, dot);
      path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
      const bool each = key.ends_with("[]");
      if (each) key.remove_suffix(2);
      std::vector<const Node*> next;
      for (const Node* n : nodes) {
        const Node* child = n->IsMap() ? n->Get(key) : nullptr;
        if (child == nullptr) continue;
        if (!each) next.push_back(child);
        else if (child->IsSequence()) next.insert(next.end(), child->items.begin(), child->items.end());
      }
      nodes = std::move(next);
    }
    for (const Node* n : nodes) {
      if (!n->IsScalar()) continue;
      std::string key = ce.path;
      for (size_t at; (at = key.find("[]")) != std::string::npos;) key.erase(at, 2);
      Endpoint e = MakeEndpoint(EndpointOrigin::kRemoteWrite,
                                fmt::format("{} of service \"{}\"", key, service.name), ce.path,
                                "http", Located<std::string>(n->scalar, yaml::LocationOf(n, file->path)),
                                n->scalar, &service);
      e.payload = ce.payload;
      Add(std::move(e));
    }
  }
}

TlsState StackEndpoints::ImageTls(const ComposeService& service, const ImageInfo& info,
                                  const Node* config_root, bool config_readable) const {
  if (!info.tls) return TlsState::kUnknown;
  const TlsSpec& spec = *info.tls;
  auto mentions_tls = [](std::string_view name) {
    return Lower(name).find("tls") != std::string::npos;
  };
  for (const EnvVar& e : service.environment)
    if (mentions_tls(e.key) || std::find(spec.env.begin(), spec.env.end(), e.key) != spec.env.end())
      return TlsState::kUnknown;
  for (const auto* a : service.Args()) {
    std::string_view w = a->value;
    if (!w.starts_with("-")) continue;
    if (mentions_tls(w.substr(0, w.find('=')))) return TlsState::kUnknown;
  }
  for (const std::string& f : spec.flags)
    if (service.Flag(f)) return TlsState::kUnknown;
  // A config obslint cannot read may turn TLS on; one it reads must not.
  if (!config_readable) return TlsState::kUnknown;
  if (!info.default_config_path.empty() && config_root == nullptr &&
      service.MountFor(info.default_config_path) != nullptr)
    return TlsState::kUnknown;
  if (config_root != nullptr && !spec.config_keys.empty()) {
    // Aliases share nodes, so the walk is bounded rather than exhaustive.
    std::vector<const Node*> stack{config_root};
    for (int budget = 100000; !stack.empty(); --budget) {
      if (budget == 0) return TlsState::kUnknown;
      const Node* n = stack.back();
      stack.pop_back();
      if (n->IsMap()) {
        for (const auto& [k, v] : n->entries) {
          if (std::find(spec.config_keys.begin(), spec.config_keys.end(), k->scalar) !=
              spec.config_keys.end())
            return TlsState::kUnknown;
          if (v != nullptr) stack.push_back(v);
        }
      } else if (n->IsSequence()) {
        for (const Node* item : n->items) stack.push_back(item);
      }
    }
  }
  return TlsState::kPlain;
}

// ---------------------------------------------------------------- diagnosis

namespace {

// The prefix the target serves every HTTP path under ("" = none); nullopt
// when a flag sets one obslint cannot read.
std::optional<std::string> PathPrefix(const ComposeService& target, const ImageInfo& info) {
  for (const std::string& flag : info.path_prefix_flags) {
    std::optional<Located<std::string>> v = target.Flag(flag);
    if (!v) continue;
    std::string prefix = v->value;
    if (prefix.find('$') != std::string::npos) return std::nullopt;
    if (prefix.find("://") != std::string::npos) {
      ParsedUrl u = ParseEndpointUrl(prefix);
      if (!u.ok) return std::nullopt;
      prefix = u.path;
    }
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty() && prefix.front() != '/') prefix = "/" + prefix;
    return prefix;
  }
  return std::string();
}

}  // namespace

std::string LinkDiagnosis::Summary() const {
  switch (problem) {
    case LinkProblem::kNone: return "";
    case LinkProblem::kWireProtocol: return "protocol mismatch";
    case LinkProblem::kTls: return "TLS mismatch";
    case LinkProblem::kPath: return "wrong path";
    case LinkProblem::kReceiverOff: return "receiver off";
  }
  return "";
}

LinkDiagnosis StackEndpoints::Diagnose(const Endpoint& e) const {
  LinkDiagnosis d;
  if (e.protocol.empty() || e.target == nullptr || !e.url.ok || e.url.port <= 0) return d;
  if (e.resolution != HostResolution::kService && e.resolution != HostResolution::kSelf) return d;
  d.port = Listening(*e.target).Find(e.url.port);
  if (d.port == nullptr) return d;
  const ListenPort& lp = *d.port;
  // gRPC vs HTTP.
  const bool client_grpc = IsGrpcProtocol(e.protocol), client_http = IsHttpProtocol(e.protocol);
  if ((client_grpc && IsHttpProtocol(lp.protocol)) || (client_http && IsGrpcProtocol(lp.protocol))) {
    d.problem = LinkProblem::kWireProtocol;
    return d;
  }
  // TLS vs plain text.
  if (e.tls != TlsState::kUnknown && lp.tls != TlsState::kUnknown && e.tls != lp.tls &&
      (IsGrpcProtocol(lp.protocol) || IsHttpProtocol(lp.protocol))) {
    d.problem = LinkProblem::kTls;
    return d;
  }
  // The path of a push.
  const auto& info = Image(*e.target);
  if (e.payload.empty() || info == nullptr || !IsHttpProtocol(lp.protocol)) return d;
  auto it = std::find_if(info->push_paths.begin(), info->push_paths.end(),
                         [&](const PushPath& p) { return p.payload == e.payload; });
  if (it == info->push_paths.end() || it->paths.empty()) return d;
  std::optional<std::string> prefix = PathPrefix(*e.target, *info);
  if (!prefix) return d;
  d.push = &*it;
  d.path = e.url.path;
  while (!d.path.empty() && d.path.back() == '/') d.path.pop_back();
  for (const std::string& p : it->paths) d.accepted_paths.push_back(*prefix + p);
  if (std::find(d.accepted_paths.begin(), d.accepted_paths.end(), d.path) ==
      d.accepted_paths.end()) {
    d.problem = LinkProblem::kPath;
    return d;
  }
  if (!it->enabled_by_flag.empty() &&
      std::none_of(it->enabled_by_flag.begin(), it->enabled_by_flag.end(),
                   [&](const std::string& spec) { return e.target->FlagEnabled(spec); }))
    d.problem = LinkProblem::kReceiverOff;
  return d;
}

// ---------------------------------------------------------------- listening

const Node* StackEndpoints::ServiceConfigRoot(const ComposeService& service, const ImageInfo& info,
                                              bool& readable, const SourceFile** file) const {
  readable = true;
  if (file != nullptr) *file = nullptr;
  std::string flag = info.config_flag;
  while (flag.starts_with("-")) flag.erase(0, 1);
  std::string host;
  if (std::optional<Located<std::string>> path; !flag.empty() && (path = service.Flag(flag))) {
    host = service.HostFileFor(project_.compose, path->value);
  } else if (!info.default_config_path.empty() &&
             !(host = service.HostFileFor(project_.compose, info.default_config_path)).empty()) {
    // the default location, mounted over
  } else if (!info.default_config_path.empty() && service.MountFor(info.default_config_path)) {
    readable = false;  // a volume over the default location: contents unknown
    return nullptr;
  } else {
    return nullptr;  // the image's built-in config: knowledge defaults apply
  }
  // The file as discovery found it (bind mount or `configs:`).
  if (host.empty()) {
    readable = false;
    return nullptr;
  }
  std::error_code ec;
  std::string canon = std::filesystem::weakly_canonical(host, ec).string();
  for (const auto& f : project_.files) {
    if (f.abs_path == host || f.abs_path == canon) {
      if (f.yaml.root == nullptr) break;
      if (file != nullptr) *file = &f;
      return f.yaml.root;
    }
  }
  readable = false;
  return nullptr;
}

ListenInfo StackEndpoints::ComputeListening(const ComposeService& service) const {
  ListenInfo out;
  const auto& image = images_[ServiceIndex(project_, service)];
  if (!image) {
    out.why_incomplete = "image not in the knowledge base";
    return out;
  }
  const ImageInfo& info = *image;
  out.known = true;
  out.complete = true;
  if (info.config_kind == "collector") {
    CollectorListening(service, info, out);
    return out;
  }
  // Images whose listening ports come from a config obslint does not read.
  bool roles_collector =
      std::find(info.roles.begin(), info.roles.end(), "collector") != info.roles.end();
  if ((roles_collector && info.config_kind != "vmagent") || info.config_kind == "jaeger") {
    if (info.config_kind == "jaeger" && !service.Flag("config")) {
      // Jaeger v2 without --config runs its documented default configuration.
    } else {
      out.complete = false;
      out.why_incomplete = "ports depend on a pipeline config obslint does not read";
    }
  }
  const LokiConfig* loki = nullptr;
  if (info.config_kind == "loki")
    for (const auto& l : project_.lokis)
      if (std::find(l.services.begin(), l.services.end(), service.name) != l.services.end())
        loki = &l;
  bool config_readable = true;
  const Node* config_root = ServiceConfigRoot(service, info, config_readable);
  if (info.config_kind == "tempo" && config_root != nullptr &&
      AtDotted(config_root, "distributor.receivers") != nullptr) {
    out.complete = false;
    out.why_incomplete = "Tempo receivers are not modelled";
  }
  if (info.config_kind == "tempo" && !config_readable) {
    out.complete = false;
    out.why_incomplete = "Tempo config not readable";
  }

  const TlsState tls = ImageTls(service, info, config_root, config_readable);
  for (const PortSpec& spec : info.ports) {
    ListenPort lp{spec.port, spec.protocol, spec.name, false, tls};
    bool enabled = true;
    if (!spec.enabled_by_env.empty()) {
      const EnvVar* e = service.Env(spec.enabled_by_env);
      if (e && e->has_value && !e->value.unresolved) {
        std::string v = Lower(e->value.resolved);
        if (spec.enabled_when_set) enabled = !v.empty();
        else enabled = v == "true" || v == "1" || v == "yes";
      } else if (e && (e->value.unresolved || !e->has_value)) {
        out.complete = false;  // set from somewhere obslint cannot see
      } else {
        enabled = spec.enabled_when_set ? false : spec.enabled_by_env_default;
      }
    }
    if (!spec.enabled_by_flag.empty()) {
      if (auto f = service.Flag(spec.enabled_by_flag)) {
        std::string v = Lower(f->value);
        if (spec.enabled_when_set) enabled = !v.empty();
        else enabled = v.empty() || v == "true" || v == "1";
      }
    }
    // Moved ports.
    bool moved_unknown = false;
    if (!spec.override_env.empty()) {
      if (const EnvVar* e = service.Env(spec.override_env)) {
        std::string h;
        int p = 0;
        if (e->has_value && !e->value.unresolved && SplitBind(e->value.resolved, h, p)) lp.port = p;
        else if (!(spec.enabled_when_set && e->has_value && e->value.resolved.empty()))
          moved_unknown = true;
      }
    }
    if (!spec.override_flag.empty()) {
      if (auto f = service.Flag(spec.override_flag)) {
        std::string h;
        int p = 0;
        if (SplitBind(f->value, h, p)) {
          lp.port = p;
          if (IsLoopbackHost(h) && h != "0.0.0.0") lp.local_only = true;
        } else {
          moved_unknown = true;
        }
      }
    }
    if (!spec.override_config.empty()) {
      const Node* v = nullptr;
      if (loki != nullptr) {
        if (spec.override_config == "server.http_listen_port" && loki->http_listen_port.present)
          lp.port = loki->http_listen_port.value;
        else if (spec.override_config == "server.grpc_listen_port" && loki->grpc_listen_port.present)
          lp.port = loki->grpc_listen_port.value;
      } else if (config_root != nullptr) {
        v = AtDotted(config_root, spec.override_config);
        int p = 0;
        if (v != nullptr && v->IsScalar() && ParsePort(v->scalar, p)) lp.port = p;
        else if (v != nullptr) moved_unknown = true;
      } else if (!config_readable && info.config_kind != "loki") {
        moved_unknown = true;
      } else if (info.config_kind == "loki" && service.Flag("config.file")) {
        moved_unknown = true;  // runs a Loki config obslint could not read
      }
    }
    if (moved_unknown) {
      out.complete = false;
      out.why_incomplete = fmt::format("port {} may be moved by the service's settings", spec.port);
    }
    if (enabled) out.ports.push_back(lp);
    else out.disabled.push_back(lp);
  }
  return out;
}

void StackEndpoints::CollectorListening(const ComposeService& service, const ImageInfo& info,
                                        ListenInfo& out) const {
  const CollectorConfig* config = nullptr;
  for (const auto& c : project_.collectors)
    if (std::find(c.services.begin(), c.services.end(), service.name) != c.services.end())
      config = &c;
  if (config == nullptr) {
    out.complete = false;
    out.why_incomplete = "collector config not read";
    return;
  }
  const CollectorBehaviour& cb = knowledge_.Collector();
  bool version_sure = info.version.known && !info.version_assumed;
  // Binds localhost when no endpoint is set (v0.104+), if the version is sure.
  bool default_local = version_sure && info.version >= cb.localhost_default_since;

  // Fixed ports of the image (self metrics before v0.111), then telemetry settings.
  bool telemetry_set = false;
  if (config->telemetry != nullptr) {
    const Node* metrics = config->telemetry->Get("metrics");
    if (metrics != nullptr && metrics->IsMap()) {
      telemetry_set = true;
      const Node* level = metrics->Get("level");
      if (level && level->IsScalar() && level->scalar == "none") {
        // No self metrics at all.
      } else if (const Node* addr = metrics->Get("address"); addr && addr->IsScalar()) {
        std::string h;
        int p = 0;
        if (SplitBind(addr->scalar, h, p))
          out.ports.push_back({p, "http", "self metrics", IsLoopbackHost(h) && h != "0.0.0.0"});
        else
          out.complete = false;
      } else if (const Node* readers = metrics->Get("readers")) {
        // readers: [{pull: {exporter: {prometheus: {host, port}}}}]
        if (readers->IsSequence()) {
          for (const Node* r : readers->items) {
            const Node* prom = AtDotted(r, "pull.exporter.prometheus");
            if (prom == nullptr) continue;
            const Node* port = prom->Get("port");
            const Node* host = prom->Get("host");
            int p = 0;
            if (port && port->IsScalar() && ParsePort(port->scalar, p)) {
              bool local = !host || (host->IsScalar() && IsLoopbackHost(host->scalar) &&
                                     host->scalar != "0.0.0.0");
              out.ports.push_back({p, "http", "self metrics", local});
            } else {
              out.complete = false;
            }
          }
        } else {
          out.complete = false;
        }
      } else {
        telemetry_set = false;
      }
    }
  }
  if (!telemetry_set) {
    if (!version_sure) {
      out.ports.push_back({8888, "http", "self metrics", false});
    } else if (info.version >= cb.telemetry_localhost_since) {
      out.ports.push_back({8888, "http", "self metrics", true});
    } else {
      for (const PortSpec& spec : info.ports)
        out.ports.push_back({spec.port, spec.protocol, spec.name, false});
    }
  }

  // Receivers and extensions in use, and the prometheus exporter's listener.
  std::set<std::string> used_receivers, used_exporters, used_extensions;
  for (const auto& p : config->pipelines) {
    for (const auto& r : p.receivers) used_receivers.insert(r.id);
    for (const auto& r : p.exporters) used_exporters.insert(r.id);
  }
  for (const auto& r : config->service_extensions) used_extensions.insert(r.id);
  // A pipeline naming a component that is not defined: the collector does
  // not start at all (OBS301 says so); its ports are not judged.
  for (const auto& p : config->pipelines) {
    for (const auto* refs : {&p.receivers, &p.exporters}) {
      for (const auto& r : *refs) {
        if (config->Find(refs == &p.receivers ? "receivers" : "exporters", r.id) == nullptr &&
            config->Find("connectors", r.id) == nullptr) {
          out.complete = false;
          out.why_incomplete = "the collector config refers to undefined components";
        }
      }
    }
  }

  // A receiver, extension or exporter listener serves TLS only with a `tls` block.
  auto tls_of = [](const Node* settings) {
    if (settings == nullptr || !settings->IsMap()) return TlsState::kPlain;
    const Node* t = settings->Get("tls");
    return t == nullptr || t->IsNull() ? TlsState::kPlain : TlsState::kTls;
  };
  auto add_bind = [&](const Node* endpoint, int default_port, const std::string& protocol,
                      const std::string& name, TlsState tls) {
    if (endpoint != nullptr && endpoint->IsScalar() && !endpoint->scalar.empty()) {
      std::string h;
      int p = 0;
      std::string_view text = endpoint->scalar;
      if (text.find("${") != std::string_view::npos) {
        // "${env:MY_POD_IP}:4317": the port is still known, the host is not.
        size_t colon = text.rfind(':');
        if (colon != std::string_view::npos && text.find('}', colon) == std::string_view::npos &&
            ParsePort(text.substr(colon + 1), p)) {
          out.ports.push_back({p, protocol, name, false, tls});
          return;
        }
        out.complete = false;
        return;
      }
      if (SplitBind(text, h, p)) {
        out.ports.push_back({p, protocol, name, IsLoopbackHost(h) && h != "0.0.0.0", tls});
      } else {
        out.complete = false;
      }
      return;
    }
    if (default_port == 0) {
      out.complete = false;
      return;
    }
    out.ports.push_back({default_port, protocol, name, default_local, tls});
  };
  // "otlp-grpc:4317" -> (otlp-grpc, 4317).
  auto defaults = [](const ComponentInfo* ci) {
    std::vector<std::pair<std::string, int>> out;
    if (ci == nullptr) return out;
    for (const auto& d : ci->default_ports) {
      size_t colon = d.rfind(':');
      int p = 0;
      if (colon != std::string::npos && ParsePort(std::string_view(d).substr(colon + 1), p))
        out.emplace_back(d.substr(0, colon), p);
    }
    return out;
  };

  for (const auto& c : config->components) {
    bool receiver = c.kind == "receivers" && used_receivers.count(c.id);
    bool extension = c.kind == "extensions" && used_extensions.count(c.id);
    bool exporter = c.kind == "exporters" && used_exporters.count(c.id) && ExporterListens(c.type);
    if (!receiver && !extension && !exporter) continue;
    std::string label = fmt::format("{} \"{}\"", receiver ? "receiver" : extension ? "extension" : "exporter", c.id);
    if (exporter) {
      add_bind(c.config && c.config->IsMap() ? c.config->Get("endpoint") : nullptr, 0, "http", label,
               tls_of(c.config));
      continue;
    }
    const ComponentInfo* ci = knowledge_.Component(
        receiver ? ComponentKind::kReceiver : ComponentKind::kExtension, c.type);
    if (ci == nullptr) {
      out.complete = false;
      out.why_incomplete = fmt::format("{} is unknown", label);
      continue;
    }
    auto ports = defaults(ci);
    if (ports.empty()) continue;  // scrapers and the like open no port
    const Node* protocols =
        c.config && c.config->IsMap() ? c.config->Get("protocols") : nullptr;
    if (protocols != nullptr && protocols->IsMap()) {
      for (const auto& [k, v] : protocols->entries) {
        std::string key = k->scalar;
        std::string proto;
        int port = 0;
        auto pick = [&](std::string_view want, int nth) {
          int n = 0;
          for (const auto& [pp, pn] : ports)
            if (pp == want && n++ == nth) {
              proto = pp;
              port = pn;
              return;
            }
        };
        if (key == "thrift_http") pick("http", 0);
        else if (key == "thrift_compact") pick("udp", 0);
        else if (key == "thrift_binary") pick("udp", 1);
        else pick(key, 0);
        if (port == 0) pick("otlp-" + key, 0);
        const Node* ep = v && v->IsMap() ? v->Get("endpoint") : nullptr;
        if (port == 0 && ep == nullptr) {
          out.complete = false;
          continue;
        }
        std::string name = fmt::format("{} {}", label, key);
        add_bind(ep, port, proto.empty() ? key : proto, name, tls_of(v));
      }
    } else if (protocols != nullptr && !protocols->IsNull()) {
      out.complete = false;
    } else if (ports.size() == 1 || ci->type != "otlp") {
      const Node* ep = c.config && c.config->IsMap() ? c.config->Get("endpoint") : nullptr;
      if (ports.size() == 1 || ep != nullptr) {
        add_bind(ep, ports.front().second, ports.front().first, label, tls_of(c.config));
      } else {
        out.complete = false;
      }
    } else {
      out.complete = false;  // otlp without protocols fails to start anyway
    }
  }
}

}  // namespace obslint
