// OBS703: an endpoint's port is not one its target service listens on.
#include <fmt/format.h>

#include <cctype>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// The port number appears in the target's environment or command line
// (KAFKA_LISTENERS=PLAINTEXT://:29092, --port 6380): a setting the knowledge
// base does not model may open it, so the port is not judged.
bool MentionsPort(const ComposeService& s, int port) {
  std::string p = std::to_string(port);
  auto mentions = [&](std::string_view text) {
    for (size_t at = text.find(p); at != std::string_view::npos; at = text.find(p, at + 1)) {
      bool left = at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]));
      size_t end = at + p.size();
      bool right = end == text.size() || !std::isdigit(static_cast<unsigned char>(text[end]));
      if (left && right) return true;
    }
    return false;
  };
  for (const auto& e : s.environment)
    if (mentions(e.value.resolved)) return true;
  for (const auto* a : s.Args())
    if (mentions(a->value)) return true;
  return false;
}

}  // namespace

void CheckPortNotListening(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
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
    if (off == nullptr && (!li.complete || MentionsPort(target, e.url.port))) continue;
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
