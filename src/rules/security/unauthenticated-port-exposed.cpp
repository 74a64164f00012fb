// OBS806 unauthenticated-port-exposed: a service publishes on every host
// interface a port on which it answers anyone. Which ports listen, on which
// address and with what authentication is the listening model's answer
// (src/analysis/listening.h); a published port that does not listen, or
// listens only on localhost, is OBS710's, never "exposed".
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "rules/rules.h"

namespace obslint {
namespace {

bool BindsAllInterfaces(const PortMapping& port) {
  const std::string& ip = port.host_ip;
  return ip.empty() || ip == "0.0.0.0" || ip == "::" || ip == "[::]";
}

// The port of a published range that listens on all interfaces without
// authentication, if any (the first one).
const ListenPort* ExposedPort(const ListenInfo& li, const PortMapping& pm) {
  for (int port = pm.container_start; port <= pm.container_end; ++port) {
    const ListenPort* lp = li.Find(port);
    if (lp == nullptr || !lp->certain || lp->local_only || li.Varies(port)) continue;
    if (lp->auth == AuthState::kNone) return lp;
  }
  return nullptr;
}

}  // namespace

void CheckUnauthenticatedPortExposed(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    if (s.ports.empty() || s.network_mode.present) continue;  // host networking publishes nothing
    const ListenInfo& li = analysis->Listening(s);
    const ImageInfo* info = analysis->Image(s).Info();
    if (!li.known || info == nullptr) continue;
    for (const PortMapping& port : s.ports) {
      if (!port.valid || !port.IsPublished() || !BindsAllInterfaces(port)) continue;
      if (port.container_start <= 0) continue;
      const ListenPort* lp = ExposedPort(li, port);
      if (lp == nullptr) continue;
      std::string host = port.host_start > 0 ? fmt::format("as host port {}", port.host_start)
                                             : "on a random host port";
      std::string what = port.container_end > port.container_start
                             ? fmt::format("ports {}-{} ({} listens on {})", port.container_start,
                                           port.container_end, lp->name, lp->port)
                             : fmt::format("port {}{}", lp->port,
                                           lp->name.empty() ? "" : " (" + lp->name + ")");
      std::string bind = port.host_start > 0
                             ? fmt::format("\"127.0.0.1:{}:{}\"", port.host_start, port.container_start)
                             : fmt::format("\"127.0.0.1::{}\"", port.container_start);
      // Why nothing authenticates: the image's default, or a setting.
      std::string why = lp->auth_why.empty()
                            ? fmt::format("{} does not authenticate requests", info->display)
                            : fmt::format("{} does not authenticate requests ({})", info->display,
                                          lp->auth_why);
      r.Report("OBS806", port.loc,
               fmt::format("service \"{}\" publishes {} on all host interfaces ({}), and {}",
                           s.name, what, host, why),
               fmt::format("bind it to the loopback interface ({}) or drop the mapping and use the "
                           "compose network; put an authenticating proxy in front if it must be "
                           "reachable from outside",
                           bind));
    }
  }
}

}  // namespace obslint
