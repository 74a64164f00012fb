// OBS707: a service is started with a config path (--config, -config.file,
// --config.file, -promscrape.config) that none of its mounts provides, so
// the container fails at start or runs a config the user never wrote.
#include <fmt/format.h>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {

void CheckConfigNotMounted(const Project& p, const Knowledge& k, Reporter& r) {
  for (const auto& s : p.compose.services) {
    // A built image may bake its config in.
    if (s.has_build || s.image.text.value.empty()) continue;
    auto info = k.Image(s.image.text.value);
    if (!info || info->config_flag.empty() || info->config_kind == "grafana") continue;
    std::string flag = info->config_flag;
    while (flag.starts_with("-")) flag.erase(0, 1);
    for (const Located<std::string>& v : s.ConfigPaths(flag)) {
      const std::string& path = v.value;
      // Relative or templated paths: not judged.
      if (path.front() != '/' || path.find('$') != std::string::npos) continue;
      if (path == info->default_config_path) continue;  // shipped in the image
      bool mounted = false;
      for (const auto& m : s.volumes)
        if (!m.target.empty() && PathInside(path, m.target)) mounted = true;
      // configs: / secrets: entries with a target path.
      if (s.node != nullptr) {
        for (std::string_view key : {"configs", "secrets"}) {
          const yaml::Node* list = s.node->Get(key);
          if (list == nullptr || !list->IsSequence()) continue;
          for (const yaml::Node* item : list->items) {
            std::string target;
            if (item->IsMap()) {
              if (const yaml::Node* t = item->Get("target"); t && t->IsScalar()) target = t->scalar;
              else if (const yaml::Node* src = item->Get("source"); src && src->IsScalar())
                target = "/" + src->scalar;
            } else if (item->IsScalar()) {
              target = "/" + item->scalar;
            }
            if (!target.empty() && (PathInside(path, target) || path.ends_with(target))) mounted = true;
          }
        }
      }
      if (mounted) continue;
      Finding& f = r.Report(
          "OBS707", v.loc,
          fmt::format("service \"{}\" starts {} with config {}, but none of its volumes mounts "
                      "that path, so the file does not exist in the container",
                      s.name, info->display, path),
          fmt::format("mount the config file, e.g. `- ./{}:{}:ro` under volumes: of service "
                      "\"{}\"",
                      path.substr(path.rfind('/') + 1), path, s.name));
      f.related.push_back({link::ServiceKeyLoc(s, "volumes"),
                           fmt::format("volumes of service \"{}\"", s.name)});
    }
  }
}

}  // namespace obslint
