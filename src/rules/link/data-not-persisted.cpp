// OBS709: a stateful image keeps its data in a directory that no volume or
// bind mount covers, so `docker compose down` (or a recreate) loses it.
#include <fmt/format.h>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckDataNotPersisted(const Project& p, const Knowledge& k, Reporter& r) {
  for (const auto& s : p.compose.services) {
    if (s.image.text.value.empty()) continue;
    auto info = k.Image(s.image.text.value);
    // Loki's storage paths come from its config: OBS403 judges them.
    if (!info || info->data_dirs.empty() || info->config_kind == "loki") continue;
    // A cache (Redis as Celery broker or page cache) loses nothing that matters.
    if (info->roles.size() == 1 && info->roles.front() == "cache") continue;
    std::vector<std::string> dirs = info->data_dirs;
    if (!info->data_dir_flag.empty()) {
      if (auto f = s.Flag(info->data_dir_flag)) {
        if (f->value.empty() || f->value.front() != '/') continue;  // relative: not judged
        dirs = {f->value};
      }
    }
    for (const auto& dir : dirs) {
      bool covered = false;
      for (const auto& m : s.volumes) {
        if (m.target.empty() || m.type == "tmpfs") continue;
        if (PathInside(dir, m.target) || PathInside(m.target, dir)) covered = true;
      }
      // The data dir may be moved by an environment variable (PGDATA=...):
      // any absolute path in the environment that a mount covers counts.
      for (const auto& e : s.environment) {
        const std::string& v = e.value.resolved;
        if (v.empty() || v.front() != '/') continue;
        for (const auto& m : s.volumes)
          if (m.type != "tmpfs" && !m.target.empty() && PathInside(v, m.target)) covered = true;
      }
      if (covered) continue;
      r.Report(
          "OBS709", s.image.text.present ? s.image.text.loc : s.name_loc,
          fmt::format("{} keeps its data in {}, but service \"{}\" mounts no volume there, so "
                      "the data does not survive `docker compose down`",
                      info->display, dir, s.name),
          fmt::format("add a named volume: `- {}_data:{}` under volumes: of service \"{}\" (and "
                      "declare it under the top-level volumes:)",
                      s.name, dir, s.name));
    }
  }
}

}  // namespace obslint
