// OBS703: an endpoint's port is not one its target service listens on.
#include <fmt/format.h>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckPortNotListening(const Project& p, const Knowledge& k, Reporter& r) {
  StackEndpoints stack(p, k);
  for (const Endpoint& e : stack.endpoints()) {
    if (e.resolution != HostResolution::kService || !link::JudgePort(e)) continue;
    const ComposeService& target = *e.target;
    if (target.network_mode.present) continue;  // host / service: networking: not modelled
    const ListenInfo& li = stack.Listening(target);
    if (!li.known) continue;
    std::string name = link::TargetName(target, stack.Image(target));
    const ListenPort* lp = li.Find(e.url.port);
    std::string message;
    if (lp != nullptr) {
      if (!lp->local_only || &target == e.source) continue;
      message = fmt::format("{} sends to {}:{}, but {} listens on port {} only on localhost "
                            "inside its container, so other containers cannot reach it",
                            e.what, e.url.host, e.url.port, name, e.url.port);
      Finding& f = r.Report("OBS703", e.value.loc, std::move(message),
                            fmt::format("make {} bind 0.0.0.0:{} (e.g. `endpoint: "
                                        "0.0.0.0:{}`)",
                                        lp->name.empty() ? "the listener" : lp->name, e.url.port,
                                        e.url.port));
      f.related.push_back({target.name_loc, fmt::format("service \"{}\"", target.name)});
      continue;
    }
    const ListenPort* off = nullptr;
    for (const auto& d : li.disabled)
      if (d.port == e.url.port) off = &d;
    if (off == nullptr && !li.complete) continue;
    if (off != nullptr) {
      message = fmt::format("{} sends to {}:{}, but {} has port {} ({}) switched off by its "
                            "settings",
                            e.what, e.url.host, e.url.port, name, e.url.port, off->name);
    } else {
      message = fmt::format("{} sends to {}:{}, but {} does not listen on port {}; it listens "
                            "on {}",
                            e.what, e.url.host, e.url.port, name, e.url.port, li.Describe());
    }
    int better = e.protocol.empty() ? 0 : link::PortForProtocol(li, e.protocol);
    std::string help =
        off != nullptr ? fmt::format("enable {} on service \"{}\" or send to another port",
                                     off->name, target.name)
        : better != 0  ? fmt::format("use port {}: {}:{}", better, e.url.host, better)
                       : fmt::format("use one of the ports service \"{}\" listens on, or change "
                                     "its listening port",
                                     target.name);
    Finding& f = r.Report("OBS703", e.value.loc, std::move(message), std::move(help));
    f.related.push_back({target.name_loc, fmt::format("service \"{}\" is defined here", target.name)});
  }
}

}  // namespace obslint
