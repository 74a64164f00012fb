// OBS710: compose publishes a container port the service does not listen on
// (or listens on only inside the container): the published port answers
// nothing. Judged only where obslint knows every port: collectors whose
// config it read, and knowledge-base ports switched off by settings.
#include <fmt/format.h>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckPublishedPortNotListening(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const auto& s : p.compose.services) {
    if (s.network_mode.present) continue;
    const ListenInfo& li = analysis->Listening(s);
    if (!li.known) continue;
    const ServiceImage& image = analysis->Image(s);
    bool collector = image.Info() != nullptr && image.Info()->config_kind == "collector";
    for (const auto& pm : s.ports) {
      if (!pm.valid || pm.container_start <= 0 || pm.container_end != pm.container_start) continue;
      if (!pm.IsPublished()) continue;
      int port = pm.container_start;
      const ListenPort* lp = li.Find(port);
      std::string name = link::TargetName(s, image);
      if (lp != nullptr) {
        if (!lp->local_only || !lp->certain) continue;
        r.Report("OBS710", pm.loc,
                 fmt::format("port {} is published, but {} listens on it only on localhost "
                             "inside the container ({}), so connections through the published "
                             "port are refused",
                             port, name, lp->name),
                 lp->name == "self metrics"
                     ? std::string("expose self metrics on all interfaces under "
                                   "service.telemetry.metrics (a pull prometheus reader with "
                                   "host: 0.0.0.0), or drop the mapping")
                 : collector ? fmt::format("bind it on all interfaces in the collector config "
                                         "(e.g. `endpoint: 0.0.0.0:{}`), or drop the mapping",
                                         port)
                           : fmt::format("make the service listen on 0.0.0.0:{}, or drop the "
                                         "mapping",
                                         port));
        continue;
      }
      const ListenPort* off = nullptr;
      for (const auto& d : li.disabled)
        if (d.port == port) off = &d;
      if (off != nullptr) {
        r.Report("OBS710", pm.loc,
                 fmt::format("port {} is published, but {} has it ({}) switched off by its "
                             "settings",
                             port, name, off->name),
                 fmt::format("enable {} on service \"{}\", or drop the mapping", off->name, s.name));
        continue;
      }
      if (!collector || !li.complete) continue;
      r.Report("OBS710", pm.loc,
               fmt::format("port {} is published, but {} does not listen on it; it listens on {}",
                           port, name, li.Describe()),
               "drop the mapping, or enable the receiver/extension that should serve it");
    }
  }
}

}  // namespace obslint
