// OBS403 storage-not-persisted: a directory Loki writes chunks, index or WAL
// to (common.path_prefix and the explicit data directories) is not on a
// volume or bind mount of the service that runs the config, so the logs
// vanish when the container is recreated (the grafana/loki image declares no
// VOLUME).
//
// When the newest schema period keeps chunks in an object store (s3, gcs,
// azure, ...), the local directories only hold caches and the not-yet-shipped
// index, and the rule stays silent.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "rules/rules.h"

namespace obslint {
namespace {

std::string TrimSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

void CheckStorageNotPersisted(const Project& p, const Knowledge&, Reporter& r) {
  for (const LokiConfig& loki : p.lokis) {
    if (loki.services.empty()) continue;
    if (!loki.schemas.empty()) {
      const Located<std::string>& store = loki.schemas.back().object_store;
      if (store.present && store.value != "filesystem") continue;
    }

    std::vector<const Located<std::string>*> dirs;
    if (loki.path_prefix.present && !loki.path_prefix.value.empty())
      dirs.push_back(&loki.path_prefix);
    for (const auto& d : loki.data_paths) dirs.push_back(&d);

    for (const std::string& name : loki.services) {
      const ComposeService* s = p.compose.Service(name);
      if (s == nullptr) continue;
      std::vector<std::string> reported;  // directories already reported for this service
      for (const Located<std::string>* dir : dirs) {
        // Relative paths depend on the working directory; variables on the environment.
        if (!dir->value.starts_with("/") || dir->value.find('$') != std::string::npos) continue;
        std::string path = TrimSlashes(dir->value);
        bool covered = false;
        for (const std::string& done : reported) covered = covered || PathInside(path, done);
        if (covered) continue;

        const VolumeMount* m = s->MountFor(path);
        if (m != nullptr && m->type != "tmpfs" &&
            !(m->type == "bind" && m->host_state == VolumeMount::HostState::kFile))
          continue;

        reported.push_back(path);
        std::string why =
            m != nullptr && m->type == "tmpfs"
                ? fmt::format("is on the tmpfs mount {} of service \"{}\"", m->target, name)
                : fmt::format("is not on a volume or bind mount of service \"{}\"", name);
        // Named volumes the service does have: the usual slip is a config
        // writing to /tmp/loki while the volume sits at /loki.
        std::string elsewhere;
        for (const VolumeMount& v : s->volumes) {
          if (v.type != "volume" || v.target.empty()) continue;  // binds: mostly config dirs
          elsewhere += (elsewhere.empty() ? "" : ", ") + v.target;
        }
        std::string message = fmt::format(
            "Loki data directory \"{}\" {}; its logs are lost whenever the container is recreated",
            dir->value, why);
        std::string help =
            fmt::format("mount a named volume there, e.g. `- loki_data:{}` under the service's "
                        "volumes (and declare `loki_data:` under top-level volumes)",
                        path);
        if (!elsewhere.empty()) {
          message += fmt::format(" (it persists {} instead)", elsewhere);
          help = fmt::format("point the directory at a persisted path, or mount a volume at {}",
                             path);
        }
        Finding& f = r.Report("OBS403", dir->loc, std::move(message), std::move(help));
        f.related.push_back({s->name_loc, fmt::format("service \"{}\" runs this config", name)});
      }
    }
  }
}

}  // namespace obslint
