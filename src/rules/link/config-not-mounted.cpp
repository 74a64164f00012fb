// OBS707: a service is started with a config path (--config, -config.file,
// --config.file, -promscrape.config) that none of its mounts provides, so
// the container fails at start or runs a config the user never wrote; or a
// config obslint recognises lies in the tree but no service mounts it, so
// edits to it change nothing.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

std::string Canonical(const std::filesystem::path& path) {
  std::error_code ec;
  std::string out = std::filesystem::weakly_canonical(path, ec).string();
  return ec ? path.lexically_normal().string() : out;
}

// Host paths that may bring a file into some container: bind mounts (files
// and directories), build contexts (a Dockerfile may COPY it) and top-level
// `configs:`/`secrets:` with `file:`.
std::vector<std::string> ClaimedHostPaths(const Project& p) {
  std::vector<std::string> claimed;
  auto dir_of = [&](const std::string& compose_display) -> std::filesystem::path {
    for (const auto& f : p.compose.files)
      if (f.path == compose_display && f.source != nullptr)
        return std::filesystem::path(f.source->abs_path).parent_path();
    return {};
  };
  for (const auto& s : p.compose.services) {
    for (const auto& m : s.volumes)
      if (m.type == "bind" && !m.host_path.empty()) claimed.push_back(Canonical(m.host_path));
    const yaml::Node* build = s.node != nullptr ? s.node->Get("build") : nullptr;
    if (build == nullptr) continue;
    std::string context = ".";
    if (build->IsScalar()) context = build->scalar;
    else if (const yaml::Node* c = build->IsMap() ? build->Get("context") : nullptr; c && c->IsScalar())
      context = c->scalar;
    if (context.find("://") != std::string::npos || context.find('$') != std::string::npos) continue;
    std::filesystem::path dir = dir_of(s.compose_file);
    if (!dir.empty()) claimed.push_back(Canonical(dir / context));
  }
  for (const auto* decls : {&p.compose.configs, &p.compose.secrets})
    for (const TopLevelDecl& d : *decls)
      if (!d.file.empty()) claimed.push_back(Canonical(d.file));
  return claimed;
}

// Whether a service of `image` reads configs of `kind`.
bool ReadsKind(const ImageInfo& image, FileKind kind) {
  if (kind == FileKind::kGrafanaDatasources || kind == FileKind::kGrafanaDashboards)
    return image.config_kind == "grafana";
  return KindFromConfigKind(image.config_kind) == kind;
}

std::string_view Describe(FileKind kind) {
  switch (kind) {
    case FileKind::kCollector: return "collector config";
    case FileKind::kLoki: return "Loki config";
    case FileKind::kPrometheus: return "scrape config";
    case FileKind::kGrafanaDatasources: return "Grafana datasource provisioning file";
    case FileKind::kGrafanaDashboards: return "Grafana dashboard provider file";
    default: return "config";
  }
}

// A known config in the tree that no mount, build context or `configs:`
// entry brings into any container, with the service that would read it.
struct StrayConfig {
  const SourceFile* file = nullptr;
  const ComposeService* reader = nullptr;
  bool explained = false;  // named in a finding about a missing config path instead
};

std::vector<StrayConfig> StrayConfigs(const Project& p, const Knowledge& k) {
  const auto analysis = Analysis::Of(p, k);
  std::vector<StrayConfig> out;
  if (p.compose.services.empty()) return out;
  std::vector<std::string> claimed;
  bool claimed_built = false;
  for (const SourceFile& f : p.files) {
    if (!f.used_by.empty() || f.kind == FileKind::kCompose || f.kind == FileKind::kEnv ||
        f.kind == FileKind::kOther)
      continue;
    // The services that would read it: none means the file belongs to
    // another deployment (Kubernetes, a different compose file).
    const ComposeService* reader = nullptr;
    for (const auto& s : p.compose.services) {
      const ImageInfo* info = analysis->Image(s).Info();
      if (info && ReadsKind(*info, f.kind)) {
        reader = &s;
        break;
      }
    }
    if (reader == nullptr) continue;
    if (!claimed_built) {
      claimed = ClaimedHostPaths(p);
      claimed_built = true;
    }
    if (std::any_of(claimed.begin(), claimed.end(),
                    [&](const std::string& c) { return PathInside(f.abs_path, c); }))
      continue;
    out.push_back({&f, reader});
  }
  return out;
}

void ReportStray(const Project& p, const StrayConfig& stray, Reporter& r) {
  const SourceFile& f = *stray.file;
  const ComposeService& reader = *stray.reader;
  // What the reader runs instead, for the message.
  std::string instead = "the image's built-in config";
  for (const SourceFile& g : p.files)
    if (g.used_by == reader.name && g.kind == f.kind) {
      instead = g.path;
      break;
    }
  Finding& finding = r.Report(
      "OBS707", Location{f.path, 0, 0},
      fmt::format("{} {} is mounted by no service, so the stack never reads it (service \"{}\" "
                  "reads {})",
                  Describe(f.kind), f.path, reader.name, instead),
      fmt::format("mount it into service \"{}\" (or delete it, or exclude it with "
                  "`paths.exclude` in .obslint.yaml if it belongs to another deployment)",
                  reader.name));
  const bool has_volumes = reader.node != nullptr && reader.node->Get("volumes") != nullptr;
  finding.related.push_back({link::ServiceKeyLoc(reader, "volumes"),
                             has_volumes ? fmt::format("volumes of service \"{}\"", reader.name)
                                         : fmt::format("service \"{}\" mounts nothing", reader.name)});
}

// Whether `path` is provided by a volume or a `configs:`/`secrets:` entry of `s`.
bool Mounted(const ComposeService& s, const std::string& path) {
  for (const auto& m : s.volumes)
    if (!m.target.empty() && PathInside(path, m.target)) return true;
  if (s.node == nullptr) return false;
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
      if (!target.empty() && (PathInside(path, target) || path.ends_with(target))) return true;
    }
  }
  return false;
}

// The path of `file` as a bind-mount source in the compose file of `s`.
std::string MountSource(const Project& p, const ComposeService& s, const SourceFile& file) {
  for (const auto& f : p.compose.files) {
    if (f.path != s.compose_file || f.source == nullptr) continue;
    std::filesystem::path rel = std::filesystem::path(file.abs_path)
                                    .lexically_relative(std::filesystem::path(f.source->abs_path)
                                                            .parent_path());
    std::string text = rel.generic_string();
    if (!text.empty() && !text.starts_with("..")) return "./" + text;
  }
  return {};
}

// A directory mounted over Grafana's dashboards or datasources provisioning
// directory that holds JSON dashboards and no provider file: Grafana reads
// only .yaml/.yml files there, so the dashboards never load.
void CheckGrafanaProvisioningDirs(const ComposeService& s, Reporter& r) {
  const std::string prov = s.GrafanaProvisioningDir();
  for (const VolumeMount& m : s.volumes) {
    if (m.type != "bind" || m.host_state != VolumeMount::HostState::kDirectory) continue;
    if (m.target != prov + "/dashboards" && m.target != prov + "/datasources") continue;
    int yaml = 0, json = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m.host_path, ec)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".yaml" || ext == ".yml") ++yaml;
      if (ext == ".json") ++json;
    }
    if (ec || yaml > 0 || json == 0) continue;
    const bool dashboards = m.target.ends_with("/dashboards");
    r.Report("OBS707", m.source_loc,
             fmt::format("directory \"{}\" mounted over {} holds {} JSON file{} and no provider "
                         "file: Grafana reads only .yaml/.yml files there, so {}",
                         m.source, m.target, json, json == 1 ? "" : "s",
                         dashboards ? "none of these dashboards is loaded"
                                    : "no datasource is provisioned"),
             dashboards ? fmt::format("mount the dashboards elsewhere (e.g. `{}:/var/lib/grafana/"
                                      "dashboards:ro`) and add a provider file under {} whose "
                                      "`options.path` is that directory",
                                      m.source, m.target)
                        : "datasources are provisioned from YAML files: convert them");
  }
}

}  // namespace

void CheckConfigNotMounted(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  std::vector<StrayConfig> strays = StrayConfigs(p, k);
  for (const auto& s : p.compose.services) {
    if (const ImageInfo* info = analysis->Image(s).Info(); info && info->config_kind == "grafana")
      CheckGrafanaProvisioningDirs(s, r);
    // A built image may bake its config in.
    if (s.has_build) continue;
    const ImageInfo* info = analysis->Image(s).Info();
    if (!info || info->config_flag.empty() || info->config_kind == "grafana") continue;
    std::string flag = info->config_flag;
    while (flag.starts_with("-")) flag.erase(0, 1);
    for (const Located<std::string>& v : s.ConfigPaths(flag)) {
      const std::string& path = v.value;
      // Relative or templated paths: not judged.
      if (path.front() != '/' || path.find('$') != std::string::npos) continue;
      if (path == info->default_config_path) continue;  // shipped in the image
      if (Mounted(s, path)) continue;
      // A config of the right kind lying unmounted in the tree is most
      // likely the one meant: name it here rather than in a second finding.
      std::string source = "./" + path.substr(path.rfind('/') + 1);
      std::string_view lead = "mount the config file, e.g.";
      for (StrayConfig& stray : strays) {
        if (stray.explained || !ReadsKind(*info, stray.file->kind)) continue;
        std::string src = MountSource(p, s, *stray.file);
        if (src.empty()) continue;
        stray.explained = true;
        source = src;
        lead = "mount the config in the tree:";
        break;
      }
      Finding& f = r.Report(
          "OBS707", v.loc,
          fmt::format("service \"{}\" starts {} with config {}, but none of its volumes mounts "
                      "that path, so the file does not exist in the container",
                      s.name, info->display, path),
          fmt::format("{} `- {}:{}:ro` under volumes: of service \"{}\"", lead, source, path,
                      s.name));
      f.related.push_back({link::ServiceKeyLoc(s, "volumes"),
                           fmt::format("volumes of service \"{}\"", s.name)});
    }
  }
  for (const StrayConfig& stray : strays)
    if (!stray.explained) ReportStray(p, stray, r);
}

}  // namespace obslint
