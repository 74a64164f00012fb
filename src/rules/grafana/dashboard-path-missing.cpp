// OBS504 dashboard-path-missing: a file dashboard provider's `options.path`
// is not inside any mount of the Grafana service that reads it, or it lies
// below a bind-mounted directory but its subdirectory does not exist on the
// host (a mount source that is missing altogether is reported by OBS207). Grafana then logs a warning and
// provisions no dashboards; the stock image ships none at such paths.
//
// Silent when the answer depends on things obslint cannot see: a path in a
// named volume (filled by another container or by hand), a service built from
// a Dockerfile (dashboards may be baked in), a path with `$VAR`, a relative
// path, or a mount outside the stack root.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

#include "rules/rules.h"

namespace obslint {
namespace {

namespace fs = std::filesystem;

std::string Normal(const std::string& path) {
  std::string out = fs::path(path).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

void CheckDashboardPathMissing(const Project& p, const Knowledge&, Reporter& r) {
  for (const GrafanaDashboardFile& file : p.dashboard_files) {
    for (const std::string& name : file.services) {
      const ComposeService* s = p.compose.Service(name);
      if (s == nullptr || s->has_build) continue;
      for (const GrafanaDashboardProvider& provider : file.providers) {
        if (provider.type.present && provider.type.value != "file") continue;
        const Located<std::string>& raw = provider.path;
        if (!raw.present || !raw.value.starts_with("/") ||
            raw.value.find('$') != std::string::npos)
          continue;
        std::string path = Normal(raw.value);
        std::string label = provider.name.present
                                ? fmt::format("dashboard provider \"{}\"", provider.name.value)
                                : std::string("dashboard provider");

        const VolumeMount* m = s->MountFor(path);
        if (m == nullptr) {
          Finding& f = r.Report(
              "OBS504", raw.loc,
              fmt::format("{} reads {}, which is not inside any volume or bind mount of service "
                          "\"{}\"; Grafana finds no dashboards there",
                          label, raw.value, name),
              fmt::format("mount your dashboards directory there, e.g. `- ./dashboards:{}:ro` "
                          "under the service's volumes, or point options.path at a mounted "
                          "directory",
                          path));
          f.related.push_back({s->name_loc, fmt::format("service \"{}\" is defined here", name)});
          continue;
        }
        if (m->type != "bind") continue;
        std::string rest = path.substr(Normal(m->target).size());
        std::string source = m->source;
        while (source.size() > 1 && source.back() == '/') source.pop_back();
        std::string shown = source + rest;
        // A missing mount source is OBS207's finding; here only a missing
        // directory below an existing one.
        if (m->host_state != VolumeMount::HostState::kDirectory || rest.empty()) continue;
        std::error_code ec;
        if (fs::exists(m->host_path + rest, ec) || ec) continue;
        Finding& f = r.Report(
            "OBS504", raw.loc,
            fmt::format("{} reads {}, which service \"{}\" mounts from {}, but that directory "
                        "does not exist; Grafana finds no dashboards there",
                        label, raw.value, name, shown),
            fmt::format("create {} and put the dashboard JSON files in it, or point options.path "
                        "at the directory that holds them",
                        shown));
        f.related.push_back({m->loc, "bind mount is here"});
      }
    }
  }
}

}  // namespace obslint
