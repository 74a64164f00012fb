#include "analysis/listening.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "model/text.h"

namespace obslint {

using yaml::Node;

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "0.0.0.0" || host.starts_with("127.") ||
         host == "ip6-localhost";
}

bool ParsePort(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0 || v > 65535) return false;
  port = v;
  return true;
}

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

const ListenPort* ListenInfo::Find(int port) const {
  // Two listeners may share a port on different addresses (the collector's
  // self metrics on 127.0.0.1:8888 and a prometheus exporter on the
  // container's address): the port is reachable when any of them is.
  const ListenPort* found = nullptr;
  for (const auto& p : ports) {
    if (p.port != port) continue;
    if (found == nullptr || (found->local_only && !p.local_only)) found = &p;
  }
  return found;
}

bool ListenInfo::Varies(int port) const {
  return std::find(varying.begin(), varying.end(), port) != varying.end();
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

namespace {

// Exporters whose `endpoint` is a listening address, not a destination.
bool ExporterListens(std::string_view type) { return type == "prometheus"; }

TlsState ImageTls(const ComposeService& service, const ImageInfo& info, const Node* config_root,
                  bool config_readable) {
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

}  // namespace

const Node* ServiceConfigRoot(const Project& project, const ComposeService& service,
                              const ImageInfo& info, bool& readable, const SourceFile** file) {
  readable = true;
  if (file != nullptr) *file = nullptr;
  std::string flag = info.config_flag;
  while (flag.starts_with("-")) flag.erase(0, 1);
  std::string host;
  if (std::optional<Located<std::string>> path; !flag.empty() && (path = service.Flag(flag))) {
    host = service.HostFileFor(project.compose, path->value);
  } else if (!info.default_config_path.empty() &&
             !(host = service.HostFileFor(project.compose, info.default_config_path)).empty()) {
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
  for (const auto& f : project.files) {
    if (f.abs_path == host || f.abs_path == canon) {
      if (f.yaml.root == nullptr) break;
      if (file != nullptr) *file = &f;
      return f.yaml.root;
    }
  }
  readable = false;
  return nullptr;
}


namespace {

class Listener {
 public:
  Listener(const Project& project, const Knowledge& knowledge)
      : project_(project), knowledge_(knowledge) {}
  ListenInfo Compute(const ComposeService& service, const ImageInfo& info) const;

 private:
  void Collector(const ComposeService& service, const ImageInfo& info, ListenInfo& out) const;
  const Project& project_;
  const Knowledge& knowledge_;
};

ListenInfo Listener::Compute(const ComposeService& service, const ImageInfo& info) const {
  ListenInfo out;
  out.known = true;
  out.complete = true;
  if (info.config_kind == "collector") {
    Collector(service, info, out);
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
  const Node* config_root = ServiceConfigRoot(project_, service, info, config_readable);
  // Receivers declared in the config (Tempo's distributor.receivers) open
  // the ports the knowledge names for them; a receiver it does not name may
  // open others.
  for (const PortSpec& spec : info.ports) {
    if (spec.enabled_by_config.empty() || config_root == nullptr) continue;
    std::string_view path = spec.enabled_by_config;
    size_t receivers = path.find(".receivers.");
    if (receivers == std::string_view::npos) continue;
    const Node* declared = AtDotted(config_root, path.substr(0, receivers + 10));
    if (declared == nullptr || !declared->IsMap()) continue;
    for (const auto& [k, v] : declared->entries) {
      std::string prefix = fmt::format("{}.{}", path.substr(0, receivers + 10), k->scalar);
      bool named = std::any_of(info.ports.begin(), info.ports.end(), [&](const PortSpec& p) {
        return p.enabled_by_config == prefix || p.enabled_by_config.starts_with(prefix + ".");
      });
      if (!named && k->scalar != "kafka") {  // the Kafka receiver consumes, it opens no port
        out.complete = false;
        out.why_incomplete = fmt::format("receiver \"{}\" is not modelled", k->scalar);
      }
    }
    break;
  }
  if (info.config_kind == "tempo" && !config_readable) {
    out.complete = false;
    out.why_incomplete = "Tempo config not readable";
  }

  const TlsState tls = ImageTls(service, info, config_root, config_readable);
  // Authentication the image enforces: by default, or (Loki) when its config
  // says so.
  AuthState auth = AuthState::kNone;
  std::string auth_why;
  if (info.authenticates) {
    auth = AuthState::kRequired;
    auth_why = fmt::format("{} requires a login", info.display);
    // ... unless the credential is a documented default nobody changed.
    if (const auto& [env, value] = info.auth_default_token; !env.empty()) {
      const EnvVar* e = service.Env(env);
      if (e == nullptr || (e->has_value && !e->value.unresolved && e->value.resolved == value)) {
        auth = AuthState::kNone;
        auth_why = fmt::format("beyond its documented default token \"{}\": {} is {}", value,
                               env, e == nullptr ? "not set" : "left at it");
      } else if (!e->has_value || e->value.unresolved) {
        auth = AuthState::kUnknown;
      }
    }
    // ... unless a variable switches it off (POSTGRES_HOST_AUTH_METHOD=trust).
    for (const auto& [env, value] : info.auth_disabled_by_env) {
      const EnvVar* e = service.Env(env);
      if (e == nullptr) continue;
      if (!e->has_value || e->value.unresolved) {
        auth = AuthState::kUnknown;  // set from somewhere obslint cannot see
      } else if (Lower(e->value.resolved) == Lower(value)) {
        auth = AuthState::kNone;
        auth_why = fmt::format("{}={} switches authentication off", env, e->value.resolved);
      }
    }
  } else if (info.auth_config_key == "auth_enabled") {
    if (loki != nullptr && loki->auth_enabled.present && loki->auth_enabled.value) {
      auth = AuthState::kRequired;
      auth_why = "`auth_enabled: true` (every request needs a tenant)";
    } else if (loki == nullptr && (!config_readable || service.Flag("config.file"))) {
      auth = AuthState::kUnknown;  // a config obslint could not read
    }
  }
  // A proxy listens where its own config says and passes on whatever the
  // upstream demands: neither the port list nor the authentication is known.
  if (info.ports_from_config) {
    out.complete = false;
    out.why_incomplete = fmt::format("{} listens where its own config says", info.display);
    auth = AuthState::kUnknown;
    auth_why.clear();
  }
  // A flag that may switch authentication on (--web.config.file).
  for (const std::string& flag : info.auth_enabled_by_flag) {
    if (service.Flag(flag)) {
      auth = AuthState::kUnknown;
      auth_why.clear();
    }
  }
  for (const PortSpec& spec : info.ports) {
    ListenPort lp;
    lp.port = spec.port;
    lp.protocol = spec.protocol;
    lp.name = spec.name;
    lp.local_only = spec.local_by_default;
    lp.tls = tls;
    lp.auth = auth;
    lp.auth_why = auth_why;
    bool enabled = true;
    if (!spec.enabled_by_config.empty()) {
      // Listens only when the config declares it.
      if (config_root != nullptr) {
        enabled = AtDotted(config_root, spec.enabled_by_config) != nullptr;
        if (!enabled && !spec.default_when_absent.empty()) {
          // The program's defaults apply when the section says nothing.
          const Node* section = AtDotted(config_root, spec.default_when_absent);
          enabled = section == nullptr || section->IsNull() ||
                    (section->IsMap() && section->entries.empty());
        }
      } else if (!config_readable || !info.default_config_path.empty() || !info.config_flag.empty()) {
        // A config obslint could not read (or none given: the receiver
        // cannot be configured, so it does not listen unless one is, or
        // unless the program opens it by default).
        if (!config_readable) {
          out.complete = false;
          lp.certain = false;
        } else {
          enabled = !spec.default_when_absent.empty();
        }
      }
    }
    if (!spec.enabled_by_env.empty()) {
      const EnvVar* e = service.Env(spec.enabled_by_env);
      if (e && e->has_value && !e->value.unresolved) {
        std::string v = Lower(e->value.resolved);
        if (spec.enabled_when_set) enabled = !v.empty();
        else enabled = v == "true" || v == "1" || v == "yes";
      } else if (e && (e->value.unresolved || !e->has_value)) {
        out.complete = false;  // set from somewhere obslint cannot see
        lp.certain = false;
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
    // The host a variable binds the port to (Jaeger v2 JAEGER_LISTEN_HOST,
    // Elasticsearch http.host): the first one set decides.
    for (const std::string& env : spec.bind_host_env) {
      const EnvVar* e = service.Env(env);
      if (e == nullptr) continue;
      if (!e->has_value || e->value.unresolved) {
        lp.certain = false;
      } else {
        std::string host = e->value.resolved;
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        lp.local_only = IsLoopbackHost(host) && host != "0.0.0.0";
      }
      break;
    }
    // Moved ports.
    bool moved_unknown = false;
    if (!spec.override_env.empty()) {
      if (const EnvVar* e = service.Env(spec.override_env)) {
        std::string h;
        int p = 0;
        if (e->has_value && !e->value.unresolved && SplitBind(e->value.resolved, h, p)) {
          lp.port = p;
          if (!h.empty()) lp.local_only = IsLoopbackHost(h) && h != "0.0.0.0";
        } else if (!(spec.enabled_when_set && e->has_value && e->value.resolved.empty()))
          moved_unknown = true;
      }
    }
    if (!spec.override_flag.empty()) {
      if (auto f = service.Flag(spec.override_flag)) {
        std::string h;
        int p = 0;
        if (SplitBind(f->value, h, p)) {
          lp.port = p;
          if (!h.empty()) lp.local_only = IsLoopbackHost(h) && h != "0.0.0.0";
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
        std::string h;
        int p = 0;
        // A port ("3200") or an endpoint ("0.0.0.0:4317", "localhost:4317").
        if (v != nullptr && v->IsScalar() && SplitBind(v->scalar, h, p)) {
          lp.port = p;
          if (!h.empty()) lp.local_only = IsLoopbackHost(h) && h != "0.0.0.0";
        } else if (v != nullptr && !v->IsNull()) {
          moved_unknown = true;
        }
      } else if (!config_readable && info.config_kind != "loki") {
        moved_unknown = true;
      } else if (info.config_kind == "loki" && service.Flag("config.file")) {
        moved_unknown = true;  // runs a Loki config obslint could not read
      }
    }
    if (moved_unknown) {
      out.complete = false;
      out.why_incomplete = fmt::format("port {} may be moved by the service's settings", spec.port);
      lp.certain = false;
    }
    if (enabled) out.ports.push_back(lp);
    else out.disabled.push_back(lp);
  }
  return out;
}


void Listener::Collector(const ComposeService& service, const ImageInfo& info,
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
  const Version& v = info.version;  // one release: the facts are per release
  // Receivers and extensions bind localhost when no endpoint is set.
  const bool default_local = cb.localhost_default_since.known && v >= cb.localhost_default_since;
  auto make_port = [](int number, std::string protocol, std::string name, bool local,
                 TlsState tls = TlsState::kPlain) {
    ListenPort lp;
    lp.port = number;
    lp.protocol = std::move(protocol);
    lp.name = std::move(name);
    lp.local_only = local;
    lp.tls = tls;
    lp.auth = AuthState::kNone;
    return lp;
  };

  // Self metrics: the image's default listener, moved or switched off by
  // service.telemetry.metrics.
  const bool metrics_local_default =
      cb.telemetry_localhost_since.known && v >= cb.telemetry_localhost_since;
  auto default_metrics = [&] {
    if (metrics_local_default) {
      out.ports.push_back(make_port(8888, "http", "self metrics", true));
    } else {
      for (const PortSpec& spec : info.ports)
        out.ports.push_back(make_port(spec.port, spec.protocol, spec.name, false));
    }
  };
  const Node* metrics = config->telemetry ? config->telemetry->Get("metrics") : nullptr;
  if (metrics == nullptr || !metrics->IsMap()) {
    default_metrics();
  } else if (const Node* level = metrics->Get("level");
             level && level->IsScalar() && level->scalar == "none") {
    // No self metrics at all.
  } else if (const Node* readers = metrics->Get("readers")) {
    // readers: [{pull: {exporter: {prometheus: {host, port}}}}]
    if (readers->IsSequence()) {
      for (const Node* r : readers->items) {
        const Node* prom = AtDotted(r, "pull.exporter.prometheus");
        if (prom == nullptr) continue;
        const Node* p = prom->Get("port");
        const Node* host = prom->Get("host");
        int number = 0;
        if (p && p->IsScalar() && ParsePort(p->scalar, number)) {
          bool local = !host || (host->IsScalar() && IsLoopbackHost(host->scalar) &&
                                 host->scalar != "0.0.0.0");
          out.ports.push_back(make_port(number, "http", "self metrics", local));
        } else {
          out.complete = false;
        }
      }
    } else {
      out.complete = false;
    }
  } else if (const Node* addr = metrics->Get("address"); addr && addr->IsScalar()) {
    if (cb.telemetry_address_rejected_since.known && v >= cb.telemetry_address_rejected_since) {
      // The collector refuses the key and does not start (the key rules
      // report it): nothing listens, and nothing is concluded here.
      out.known = false;
      out.complete = false;
      out.why_incomplete = "the collector rejects service.telemetry.metrics.address";
      return;
    }
    if (cb.telemetry_address_ignored_since.known && v >= cb.telemetry_address_ignored_since) {
      default_metrics();  // accepted but ignored
    } else {
      std::string h;
      int number = 0;
      if (SplitBind(addr->scalar, h, number))
        out.ports.push_back(make_port(number, "http", "self metrics", IsLoopbackHost(h) && h != "0.0.0.0"));
      else
        out.complete = false;
    }
  } else {
    default_metrics();
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
  // A server authenticates with an authenticator extension (`auth:`) or by
  // requiring client certificates (`tls.client_ca_file`).
  auto auth_of = [](const Node* settings, std::string& why) {
    if (settings == nullptr || !settings->IsMap()) return AuthState::kNone;
    if (const Node* a = settings->Get("auth"); a != nullptr && !a->IsNull()) {
      const Node* name = a->IsMap() ? a->Get("authenticator") : nullptr;
      why = name && name->IsScalar() ? fmt::format("the \"{}\" authenticator", name->scalar)
                                     : std::string("an authenticator");
      return AuthState::kRequired;
    }
    const Node* t = settings->Get("tls");
    if (t != nullptr && t->IsMap() && (t->Get("client_ca_file") || t->Get("client_ca_pem"))) {
      why = "client certificates (`tls.client_ca_file`)";
      return AuthState::kRequired;
    }
    return AuthState::kNone;
  };
  // Where the component at hand binds when no endpoint is set: its own
  // threshold when the knowledge base has one (pprof and zpages always bound
  // localhost), else the collector-wide one.
  bool component_local = default_local;
  auto add_bind = [&](const Node* endpoint, int default_port, const std::string& protocol,
                      const std::string& name, const Node* settings) {
    const TlsState tls = tls_of(settings);
    std::string why;
    const AuthState auth = auth_of(settings, why);
    auto push = [&](int number, bool local) {
      ListenPort lp = make_port(number, protocol, name, local, tls);
      lp.auth = auth;
      lp.auth_why = why;
      out.ports.push_back(std::move(lp));
    };
    if (endpoint != nullptr && endpoint->IsScalar() && !endpoint->scalar.empty()) {
      std::string h;
      int p = 0;
      std::string_view text = endpoint->scalar;
      if (text.find("${") != std::string_view::npos) {
        // "${env:MY_POD_IP}:4317": the port is still known, the host is not.
        size_t colon = text.rfind(':');
        if (colon != std::string_view::npos && text.find('}', colon) == std::string_view::npos &&
            ParsePort(text.substr(colon + 1), p)) {
          push(p, false);
          out.ports.back().certain = false;  // the address is not known
          return;
        }
        out.complete = false;
        return;
      }
      if (SplitBind(text, h, p)) {
        push(p, IsLoopbackHost(h) && h != "0.0.0.0");
      } else {
        out.complete = false;
      }
      return;
    }
    if (default_port == 0) {
      out.complete = false;
      return;
    }
    push(default_port, component_local);
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
               c.config);
      continue;
    }
    const ComponentInfo* ci = knowledge_.Component(
        receiver ? ComponentKind::kReceiver : ComponentKind::kExtension, c.type);
    if (ci == nullptr) {
      out.complete = false;
      out.why_incomplete = fmt::format("{} is unknown", label);
      continue;
    }
    component_local = ci->localhost_default_since ? v >= *ci->localhost_default_since
                                                  : default_local;
    auto ports = defaults(ci);
    if (ports.empty()) {
      // Scrapers, clients and file readers open no port. One that listens
      // on an address it must be given, or that is not classified, leaves
      // the list open rather than reported as listening nowhere.
      if (ci->listens != ComponentInfo::Listens::kNo) {
        out.complete = false;
        out.why_incomplete = fmt::format("{} listens on an address obslint does not model", label);
      }
      continue;
    }
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
        add_bind(ep, port, proto.empty() ? key : proto, name, v);
      }
    } else if (protocols != nullptr && !protocols->IsNull()) {
      out.complete = false;
    } else if (ports.size() == 1 || ci->type != "otlp") {
      const Node* ep = c.config && c.config->IsMap() ? c.config->Get("endpoint") : nullptr;
      if (ports.size() == 1 || ep != nullptr) {
        add_bind(ep, ports.front().second, ports.front().first, label, c.config);
      } else {
        out.complete = false;
      }
    } else {
      out.complete = false;  // otlp without protocols fails to start anyway
    }
  }
}

}  // namespace

ListenInfo ComputeListening(const Project& project, const Knowledge& knowledge,
                            const ComposeService& service, const ImageInfo& info) {
  return Listener(project, knowledge).Compute(service, info);
}

namespace {

bool SamePort(const ListenPort& a, const ListenPort& b) {
  return a.port == b.port && a.protocol == b.protocol && a.local_only == b.local_only &&
         a.tls == b.tls && a.auth == b.auth;
}

}  // namespace

ListenInfo MergeListening(const std::vector<ListenInfo>& per_release) {
  if (per_release.empty()) return {};
  ListenInfo out = per_release.front();
  for (size_t i = 1; i < per_release.size(); ++i) {
    const ListenInfo& other = per_release[i];
    out.known = out.known && other.known;
    if (!other.complete) {
      out.complete = false;
      if (out.why_incomplete.empty()) out.why_incomplete = other.why_incomplete;
    }
    auto agree = [&](std::vector<ListenPort>& mine, const std::vector<ListenPort>& theirs) {
      std::vector<ListenPort> kept;
      for (const ListenPort& p : mine) {
        auto it = std::find_if(theirs.begin(), theirs.end(),
                               [&](const ListenPort& q) { return SamePort(p, q); });
        if (it != theirs.end()) kept.push_back(p);
        else out.varying.push_back(p.port);
      }
      for (const ListenPort& q : theirs)
        if (std::none_of(mine.begin(), mine.end(), [&](const ListenPort& p) { return SamePort(p, q); }))
          out.varying.push_back(q.port);
      mine = std::move(kept);
    };
    agree(out.ports, other.ports);
    agree(out.disabled, other.disabled);
    out.varying.insert(out.varying.end(), other.varying.begin(), other.varying.end());
  }
  std::sort(out.varying.begin(), out.varying.end());
  out.varying.erase(std::unique(out.varying.begin(), out.varying.end()), out.varying.end());
  // A port that varies is neither listed nor switched off.
  std::erase_if(out.ports, [&](const ListenPort& p) { return out.Varies(p.port); });
  std::erase_if(out.disabled, [&](const ListenPort& p) { return out.Varies(p.port); });
  if (!out.varying.empty()) {
    out.complete = false;
    if (out.why_incomplete.empty())
      out.why_incomplete = "what some ports do differs between the releases the image tag allows";
  }
  return out;
}

}  // namespace obslint
