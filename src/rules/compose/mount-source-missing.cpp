// OBS207: a relative bind-mount source that does not exist. Docker creates
// a missing short-syntax source as an empty directory (so a config file
// mount becomes a directory and the service fails to read it); the long
// syntax fails with "bind source path does not exist". Missing directories
// of the short syntax are fine (data and log directories are created so).
#include <fmt/format.h>

#include <filesystem>

#include "rules/rules.h"

namespace obslint {

void CheckMountSourceMissing(const Project& p, const Knowledge&, Reporter& r) {
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
      if (!long_syntax && !file_like) continue;
      std::string compose_name = std::filesystem::path(s.compose_file).filename().string();
      r.Report("OBS207", m.source_loc,
               fmt::format("bind-mount source \"{}\" of service \"{}\" does not exist: nothing at "
                           "{} (relative to the directory of {}); {}",
                           m.source, s.name, rel, compose_name,
                           long_syntax ? "Docker refuses to create the container (\"bind source "
                                         "path does not exist\")"
                                       : "Docker creates an empty directory in its place, so the "
                                         "container sees a directory instead of the file"),
               fmt::format("create {}, or fix the path (relative sources are resolved against "
                           "the directory of the compose file, not the working directory)",
                           rel));
    }
  }
}

}  // namespace obslint
