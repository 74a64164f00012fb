// OBS203: a named volume that no top-level `volumes:` declares. Compose
// refuses the project ("service refers to undefined volume").
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void CheckUndefinedVolume(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    for (const VolumeMount& m : s.volumes) {
      // Anonymous volumes (no source), binds, tmpfs and npipes need no declaration.
      if (m.type != "volume" || m.source.empty()) continue;
      if (p.compose.Volume(m.source) != nullptr) continue;
      r.Report("OBS203", m.source_loc,
               fmt::format("service \"{}\" mounts named volume \"{}\", which is not declared "
                           "under the top-level \"volumes:\"; Compose refuses to start the project",
                           s.name, m.source),
               fmt::format("declare it under the top-level `volumes:` (`{}: {{}}`), or write a path starting with "
                           "./ if a bind mount of a host directory was meant",
                           m.source));
    }
  }
}

}  // namespace obslint
