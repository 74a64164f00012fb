// OBS806 unauthenticated-port-exposed: a service that answers anyone publishes
// a port on every host interface.
#include <fmt/format.h>

#include <set>

#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {
namespace {

bool BindsAllInterfaces(const PortMapping& port) {
  const std::string& ip = port.host_ip;
  return ip.empty() || ip == "0.0.0.0" || ip == "::" || ip == "[::]";
}

int PortOf(std::string_view endpoint) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return 0;
  int port = 0;
  for (char c : endpoint.substr(colon + 1)) {
    if (c < '0' || c > '9') break;
    port = port * 10 + (c - '0');
  }
  return port;
}

// Collector receiver ports: container port -> (label, authenticated).
struct ReceiverPort {
  std::string label;
  bool authenticated = false;
};

void AddReceiverPorts(const CollectorComponent& c, const Knowledge& k,
                      std::map<int, ReceiverPort>& out) {
  const yaml::Node* cfg = c.config;
  auto add = [&](const yaml::Node* proto, std::string_view proto_name, int default_port) {
    int port = default_port;
    bool auth = false;
    if (proto && proto->IsMap()) {
      if (const yaml::Node* ep = proto->Get("endpoint"); ep && ep->IsScalar()) {
        if (ep->scalar.find('$') != std::string::npos) return;  // unknown port
        if (int p = PortOf(ep->scalar)) port = p;
      }
      auth = proto->Get("auth") != nullptr;
    }
    if (port <= 0) return;
    std::string label = proto_name.empty() ? fmt::format("receiver \"{}\"", c.id)
                                           : fmt::format("receiver \"{}\" {}", c.id, proto_name);
    out[port] = {label, auth};
  };
  const yaml::Node* protocols = cfg && cfg->IsMap() ? cfg->Get("protocols") : nullptr;
  const ComponentInfo* info = k.Component(ComponentKind::kReceiver, c.type);
  if (protocols && protocols->IsMap()) {
    for (const auto& [key, value] : protocols->entries) {
      if (!key->IsScalar()) continue;
      int def = 0;
      if (info) {
        for (const std::string& dp : info->default_ports) {
          size_t colon = dp.find(':');
          std::string proto = dp.substr(0, colon);
          if (proto == key->scalar || proto == c.type + "-" + key->scalar ||
              proto.ends_with("-" + key->scalar))
            def = std::atoi(dp.c_str() + colon + 1);
        }
      }
      add(value, key->scalar, def);
    }
    return;
  }
  int def = 0;
  if (info && info->default_ports.size() == 1)
    def = std::atoi(info->default_ports[0].c_str() + info->default_ports[0].find(':') + 1);
  add(cfg, "", def);
}

}  // namespace

void CheckUnauthenticatedPortExposed(const Project& p, const Knowledge& k, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    if (s.image.text.value.empty() || s.ports.empty()) continue;
    auto info = k.Image(s.image.text.value);
    if (!info || info->authenticates) continue;
    if (info->auth_config_key == "auth_enabled") {
      // Loki: enforces tenants only with auth_enabled: true in the config it runs.
      bool all_auth = false;
      for (const LokiConfig& l : p.lokis) {
        if (std::find(l.services.begin(), l.services.end(), s.name) == l.services.end()) continue;
        all_auth = l.auth_enabled.present && l.auth_enabled.value;
        if (!all_auth) break;
      }
      if (all_auth) continue;
    }
    std::map<int, ReceiverPort> receivers;
    if (info->config_kind == "collector") {
      for (const CollectorConfig& c : p.collectors) {
        if (std::find(c.services.begin(), c.services.end(), s.name) == c.services.end()) continue;
        for (const CollectorComponent& comp : c.components)
          if (comp.kind == "receivers") AddReceiverPorts(comp, k, receivers);
      }
    }
    for (const PortMapping& port : s.ports) {
      if (!port.valid || !port.IsPublished() || !BindsAllInterfaces(port)) continue;
      if (port.container_start <= 0) continue;
      std::string label;
      if (auto it = receivers.find(port.container_start); it != receivers.end()) {
        if (it->second.authenticated) continue;
        label = it->second.label;
      } else {
        for (const PortSpec& spec : info->ports)
          if (spec.port == port.container_start) label = spec.name;
      }
      std::string host = port.host_start > 0 ? fmt::format("as host port {}", port.host_start) : "on a random host port";
      std::string what = port.container_end > port.container_start
                             ? fmt::format("ports {}-{}", port.container_start, port.container_end)
                             : fmt::format("port {}{}", port.container_start,
                                           label.empty() ? "" : " (" + label + ")");
      std::string bind = port.host_start > 0
                             ? fmt::format("\"127.0.0.1:{}:{}\"", port.host_start, port.container_start)
                             : fmt::format("\"127.0.0.1::{}\"", port.container_start);
      r.Report("OBS806", port.loc,
               fmt::format("service \"{}\" publishes {} on all host interfaces ({}), and {} "
                           "does not authenticate requests",
                           s.name, what, host, info->display),
               fmt::format("bind it to the loopback interface ({}) or drop the mapping and use the "
                           "compose network; put an authenticating proxy in front if it must be "
                           "reachable from outside",
                           bind));
    }
  }
}

}  // namespace obslint
