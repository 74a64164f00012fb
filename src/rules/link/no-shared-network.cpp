// OBS704: an endpoint's source and target services share no network, so the
// target's name does not even resolve from the source.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckNoSharedNetwork(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  std::set<std::pair<const ComposeService*, const ComposeService*>> reported;
  for (const Endpoint& e : stack.endpoints()) {
    if (e.resolution != HostResolution::kService || e.source == nullptr || e.target == nullptr ||
        e.source == e.target)
      continue;
    auto from = stack.Networks(*e.source);
    auto to = stack.Networks(*e.target);
    if (from.empty() || to.empty()) continue;
    bool shared = std::any_of(from.begin(), from.end(), [&](const std::string& n) {
      return std::find(to.begin(), to.end(), n) != to.end();
    });
    if (shared || !reported.insert({e.source, e.target}).second) continue;
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& n : v) out += (out.empty() ? "" : ", ") + n;
      return out;
    };
    Finding& f = r.Report(
        "OBS704", e.value.loc,
        fmt::format("{} of service \"{}\" points at service \"{}\", but they share no network "
                    "(\"{}\" is on {}, \"{}\" on {})",
                    e.what, e.source->name, e.target->name, e.source->name, join(from),
                    e.target->name, join(to)),
        fmt::format("attach service \"{}\" to network \"{}\" (or the other way round)",
                    e.source->name, to.front()));
    f.related.push_back({link::ServiceKeyLoc(*e.source, "networks"),
                         fmt::format("networks of service \"{}\"", e.source->name)});
    f.related.push_back({link::ServiceKeyLoc(*e.target, "networks"),
                         fmt::format("networks of service \"{}\"", e.target->name)});
  }
}

}  // namespace obslint
