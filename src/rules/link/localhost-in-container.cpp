// OBS705: an endpoint inside a container points at localhost, i.e. at the
// container itself, on a port the container does not listen on.
#include <fmt/format.h>

#include "analysis/endpoints.h"
#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckLocalhostInContainer(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  for (const Endpoint& e : stack.endpoints()) {
    if (e.resolution != HostResolution::kSelf || e.source == nullptr || e.url.port <= 0) continue;
    const ComposeService& self = *e.source;
    const ListenInfo& own = stack.Listening(self);
    if (own.known && own.Find(e.url.port) != nullptr) continue;  // talks to itself on purpose
    // Who in the stack serves that port: the likely intended target.
    const ComposeService* other = nullptr;
    for (const auto& s : p.compose.services) {
      if (&s == &self) continue;
      const ListenInfo& li = stack.Listening(s);
      if (li.known && li.Find(e.url.port) != nullptr) {
        other = &s;
        break;
      }
    }
    // Unknown image: it might listen there itself; only speak up when another
    // service is clearly the one meant.
    if (!own.known || !own.complete) {
      if (other == nullptr) continue;
    }
    std::string message = fmt::format(
        "{} of service \"{}\" points at {}:{}, which inside the container is the container "
        "itself, and it does not listen on port {}",
        e.what, self.name, e.url.host, e.url.port, e.url.port);
    // A service on the host's network has no name on the compose network:
    // it is reached through the host's address.
    const bool on_host = other != nullptr && other->network_mode.present &&
                         other->network_mode.value == "host";
    std::string help =
        on_host
            ? fmt::format("service \"{}\" runs with `network_mode: host`, so its name does not "
                          "resolve here: use host.docker.internal:{} and add `extra_hosts: "
                          "[\"host.docker.internal:host-gateway\"]` to service \"{}\"",
                          other->name, e.url.port, self.name)
        : other != nullptr
            ? fmt::format("use the service name instead: {}:{} (service \"{}\" listens on {})",
                          other->name, e.url.port, other->name, e.url.port)
            : fmt::format("use the name of the service that serves port {} (containers reach "
                          "each other by service name), or remove the setting",
                          e.url.port);
    Finding& f = r.Report("OBS705", e.value.loc, std::move(message), std::move(help));
    if (other != nullptr)
      f.related.push_back({other->name_loc, fmt::format("service \"{}\" listens on port {}",
                                                       other->name, e.url.port)});
    else if (e.value.loc.file != self.compose_file)
      f.related.push_back({self.name_loc, fmt::format("the file is used by service \"{}\"", self.name)});
  }
}

}  // namespace obslint
