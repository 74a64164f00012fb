#include "analysis/endpoints.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>

#include "model/redact.h"
#include "analysis/listening.h"
#include "model/text.h"

namespace obslint {
namespace {

using yaml::Node;

bool LooksTemplated(std::string_view text) {
  return text.find('$') != std::string_view::npos || text.find("{{") != std::string_view::npos ||
         text.find('%') != std::string_view::npos;
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

// ------------------------------------------------------------------ stack

StackEndpoints::StackEndpoints(const Analysis& analysis)
    : analysis_(analysis), project_(analysis.project()) {
  const Project& project = project_;
  const auto& services = project.compose.services;
  for (const auto& s : services)
    if (s.network_mode.present && s.network_mode.value == "host") host_network_in_stack_ = true;
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
  for (const auto& c : project.collectors) CollectCollector(c);
  for (const auto& f : project.datasource_files) CollectDatasources(f);
  for (const auto& l : project.lokis) CollectLoki(l);
  for (const auto& p : project.prometheus) CollectPrometheus(p);
  for (const auto& s : services) {
    CollectEnvironment(s);
    if (const ImageInfo* info = analysis_.Image(s).Info()) {
      CollectFlags(s, *info);
      CollectConfigEndpoints(s, *info);
    }
  }
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
        for (const auto& pl : config.pipelines)
          for (const auto& ref : pl.exporters)
            if (ref.id == c.id &&
                std::find(e.signals.begin(), e.signals.end(), pl.signal) == e.signals.end())
              e.signals.push_back(pl.signal);
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
    Endpoint e = MakeEndpoint(EndpointOrigin::kEnvironment,
                              fmt::format("environment variable {}", v.key), v.key, protocol,
                              Located<std::string>(text, loc), text, &service);
    e.protocol_from_scheme = !otlp && protocol == "http";
    Add(std::move(e));
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
  const Node* root = ServiceConfigRoot(project_, service, info, readable, &file);
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
    case LinkProblem::kSignal: return "signal not accepted";
  }
  return "";
}

LinkDiagnosis StackEndpoints::Diagnose(const Endpoint& e) const {
  LinkDiagnosis d;
  if (e.protocol.empty() || e.target == nullptr || !e.url.ok || e.url.port <= 0) return d;
  if (e.resolution != HostResolution::kService && e.resolution != HostResolution::kSelf) return d;
  const ServiceImage& image = analysis_.Image(*e.target);
  if (image.pieces.empty()) return d;
  // One diagnosis per stretch of releases the target's tag allows; a problem
  // counts only when every stretch has it.
  std::optional<LinkDiagnosis> agreed;
  for (size_t i = 0; i < image.pieces.size(); ++i) {
    LinkDiagnosis at = DiagnoseAt(e, *image.pieces[i].info, analysis_.ListeningAt(*e.target, i));
    if (!agreed) agreed = std::move(at);
    else if (agreed->problem != at.problem) return d;
  }
  return *agreed;
}

LinkDiagnosis StackEndpoints::DiagnoseAt(const Endpoint& e, const ImageInfo& info,
                                         const ListenInfo& li) const {
  LinkDiagnosis d;
  if (const ListenPort* found = li.Find(e.url.port)) d.port = *found;
  if (!d.port) return d;
  const ListenPort& lp = *d.port;
  // gRPC vs HTTP.
  const bool client_grpc = IsGrpcProtocol(e.protocol), client_http = IsHttpProtocol(e.protocol);
  if ((client_grpc && IsHttpProtocol(lp.protocol)) ||
      (client_http && IsGrpcProtocol(lp.protocol) && !e.protocol_from_scheme)) {
    d.problem = LinkProblem::kWireProtocol;
    return d;
  }
  // TLS vs plain text.
  if (e.tls != TlsState::kUnknown && lp.tls != TlsState::kUnknown && e.tls != lp.tls &&
      (IsGrpcProtocol(lp.protocol) || IsHttpProtocol(lp.protocol))) {
    d.problem = LinkProblem::kTls;
    return d;
  }
  // Logs or metrics over OTLP to a backend that stores only traces (Jaeger,
  // Tempo, Zipkin): its OTLP receiver answers "unimplemented" for them.
  // Jaeger v2 given its own collector config may route them elsewhere.
  if (!e.signals.empty() && (lp.protocol == "otlp-grpc" || lp.protocol == "otlp-http") &&
      info.roles.size() == 1 && info.roles.front() == "traces" &&
      !(info.config_kind == "jaeger" && !e.target->ConfigPaths("config").empty())) {
    for (const std::string& signal : e.signals)
      if (signal != "traces") d.rejected_signals.push_back(signal);
    if (!d.rejected_signals.empty()) {
      d.problem = LinkProblem::kSignal;
      return d;
    }
  }
  // The path of a push.
  if (e.payload.empty() || !IsHttpProtocol(lp.protocol)) return d;
  auto it = std::find_if(info.push_paths.begin(), info.push_paths.end(),
                         [&](const PushPath& p) { return p.payload == e.payload; });
  if (it == info.push_paths.end() || it->paths.empty()) return d;
  std::optional<std::string> prefix = PathPrefix(*e.target, info);
  if (!prefix) return d;
  d.push = *it;
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

}  // namespace obslint
