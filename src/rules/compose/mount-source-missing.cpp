// OBS207: a relative bind-mount source that does not exist. Docker creates
// a missing short-syntax source as an empty directory (so a config file
// mount becomes a directory and the service fails to read it); the long
// syntax fails with "bind source path does not exist". A missing directory
// of the short syntax is fine where the image writes (data and log
// directories are created so), not where it reads its configuration: the
// empty directory then hides what the image has there. A named volume that
// binds a host directory (`driver_opts: {type: none, o: bind, device: ./x}`)
// fails to mount when the directory is missing.
#include <fmt/format.h>

#include <filesystem>

#include "analysis/analysis.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// Why the container reads what is at `target`: the image's configuration
// path, Grafana's provisioning directory, or a path its command names; ""
// when nothing says it does.
std::string ReadsConfigAt(const ComposeService& s, const ImageInfo* info, const std::string& target) {
  // The default configuration counts only when no flag names another.
  const bool own_config = info != nullptr && !info->config_flag.empty() &&
                          !s.ConfigPaths(info->config_flag).empty();
  if (info != nullptr && !own_config && !info->default_config_path.empty() &&
      PathInside(info->default_config_path, target))
    return fmt::format("{} reads its configuration from {}", info->display,
                       info->default_config_path);
  if (info != nullptr && info->config_kind == "grafana") {
    const std::string prov = s.GrafanaProvisioningDir();
    if (PathInside(target, prov) || PathInside(prov, target))
      return fmt::format("Grafana reads its provisioning files from {}", prov);
  }
  for (const Located<std::string>* arg : s.Args()) {
    std::string_view word = arg->value;
    if (size_t eq = word.find('='); eq != std::string_view::npos) word = word.substr(eq + 1);
    if (word.starts_with("file:")) word = word.substr(5);
    if (!word.starts_with("/")) continue;
    // A file it reads (a name with an extension); bare directories in flags
    // are where it writes (`--storage.tsdb.path=/prometheus`).
    std::string_view base = word.substr(word.rfind('/') + 1);
    if (base.find('.') == std::string_view::npos || base.starts_with(".")) continue;
    if (PathInside(word, target))
      return fmt::format("the command of service \"{}\" reads {}", s.name, word);
  }
  return "";
}

}  // namespace

void CheckMountSourceMissing(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const TopLevelDecl& v : p.compose.volumes) {
    if (v.bind_device.empty() || v.bind_device_path.empty() || v.external) continue;
    if (v.bind_device.starts_with("/") || v.bind_device.starts_with("~")) continue;  // host paths
    std::error_code ec;
    if (std::filesystem::exists(v.bind_device_path, ec) || ec) continue;
    r.Report("OBS207", v.bind_device_loc,
             fmt::format("volume \"{}\" binds host directory \"{}\", which does not exist: the "
                         "local driver fails to mount it (\"no such file or directory\"), so "
                         "no service using the volume starts",
                         v.name, v.bind_device),
             fmt::format("create {} (Compose does not create it), or fix the path", v.bind_device));
  }
  for (const ComposeService& s : p.compose.services) {
    for (const VolumeMount& m : s.volumes) {
      if (m.type != "bind" || m.host_state != VolumeMount::HostState::kMissing) continue;
      // Absolute and home paths live on the host, outside the stack: never judged.
      if (m.source.empty() || m.source.starts_with("/") || m.source.starts_with("~")) continue;
      std::string rel =
          std::filesystem::path(m.host_path).lexically_relative(s.compose_dir).string();
      if (rel.empty()) rel = m.host_path;
      // The long syntax (a mapping) has its own position for `source:`.
      bool long_syntax = !(m.source_loc.line == m.loc.line && m.source_loc.column == m.loc.column);
      // The short syntax creates a missing source as an empty directory: for
      // data and log directories that is what the author wants. Only a source
      // that is plainly a file (its name has an extension) is a mistake then.
      std::string base = std::filesystem::path(m.host_path).filename().string();
      bool file_like = base.find('.') != std::string::npos && !base.starts_with(".");
      std::string reads;
      if (!long_syntax && !file_like) {
        // A directory (or a file without extension, `./htpasswd`) created
        // empty: harmless unless the image reads what it hides.
        reads = ReadsConfigAt(s, analysis->Image(s).Info(), m.target);
        if (reads.empty()) continue;
      }
      std::string compose_name = std::filesystem::path(s.compose_file).filename().string();
      r.Report("OBS207", m.source_loc,
               fmt::format("bind-mount source \"{}\" of service \"{}\" does not exist: nothing at "
                           "{} (relative to the directory of {}); {}",
                           m.source, s.name, rel, compose_name,
                           long_syntax ? std::string("Docker refuses to create the container "
                                                     "(\"bind source path does not exist\")")
                           : reads.empty()
                               ? std::string("Docker creates an empty directory in its place, so "
                                             "the container sees a directory instead of the file")
                               : fmt::format("Docker creates an empty directory in its place and "
                                             "mounts it over {}, where {}",
                                             m.target, reads)),
               fmt::format("create {}, or fix the path (relative sources are resolved against "
                           "the directory of the compose file, not the working directory)",
                           rel));
    }
  }
}

}  // namespace obslint
