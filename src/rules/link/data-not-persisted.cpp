// OBS709: a stateful image keeps its data in a directory that no volume or
// bind mount covers, so `docker compose down` (or a recreate) loses it. Also
// covers storage backends switched on by settings (Jaeger's badger), which
// may run in a temporary directory unless told not to.
#include <fmt/format.h>

#include <algorithm>

#include "model/text.h"
#include "rules/judged.h"
#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

// True when a volume or bind mount holds `dir`, or when the data dir is
// moved by an environment variable (PGDATA=...) into a mounted path.
bool Covered(const ComposeService& s, const std::string& dir) {
  for (const auto& m : s.volumes) {
    if (m.target.empty() || m.type == "tmpfs") continue;
    if (PathInside(dir, m.target) || PathInside(m.target, dir)) return true;
  }
  for (const auto& e : s.environment) {
    const std::string& v = e.value.resolved;
    if (v.empty() || v.front() != '/') continue;
    for (const auto& m : s.volumes)
      if (m.type != "tmpfs" && !m.target.empty() && PathInside(v, m.target)) return true;
  }
  return false;
}

Location ImageLoc(const ComposeService& s) {
  return s.image.text.present ? s.image.text.loc : s.name_loc;
}

// A setting given as an environment variable or a flag, the variable
// winning as it does for Jaeger (its flags are read through viper).
struct Setting {
  bool set = false;
  bool known = true;  // false when templated
  std::string value;
  Location loc;
};

Setting Read(const ComposeService& s, const std::string& env, const std::string& flag) {
  Setting out;
  if (!env.empty()) {
    if (const EnvVar* e = s.Env(env); e != nullptr) {
      out.set = true;
      out.known = e->has_value && !e->value.unresolved;
      out.value = e->value.resolved;
      out.loc = e->value_loc.HasPosition() ? e->value_loc : e->key_loc;
      return out;
    }
  }
  if (!flag.empty()) {
    if (auto f = s.Flag(flag)) {
      out.set = true;
      out.known = f->value.find('$') == std::string::npos;
      out.value = f->value.empty() ? "true" : f->value;  // a bare boolean flag
      out.loc = f->loc;
    }
  }
  return out;
}

void ReportDir(const ComposeService& s, const ImageInfo& info, const std::string& dir,
               std::string_view what, Location loc, Reporter& r) {
  r.Report("OBS709", loc,
           fmt::format("{} keeps its {} in {}, but service \"{}\" mounts no volume there, so "
                       "the data does not survive `docker compose down`",
                       info.display, what, dir, s.name),
           fmt::format("add a named volume: `- {}_data:{}` under volumes: of service \"{}\" (and "
                       "declare it under the top-level volumes:)",
                       s.name, dir, s.name));
}

void CheckStorageModes(const ComposeService& s, const ImageInfo& info, Reporter& r) {
  for (const StorageMode& mode : info.storage_modes) {
    Setting select = Read(s, mode.select_env, mode.select_flag);
    if (!select.set || !select.known || Lower(select.value) != mode.select_value) continue;
    Setting eph = Read(s, mode.ephemeral_env, mode.ephemeral_flag);
    if (eph.set && !eph.known) continue;
    bool ephemeral = eph.set ? Lower(eph.value) == "true" : mode.ephemeral_default;
    if (ephemeral) {
      Finding& f = r.Report(
          "OBS709", select.loc,
          fmt::format("{} stores data in {}, but {} runs ephemeral ({}{}), keeping the data in a "
                      "temporary directory that is deleted when the container stops",
                      info.display, mode.name, mode.name, mode.ephemeral_env,
                      eph.set ? " is true" : " defaults to true"),
          fmt::format("set {}=false and mount a volume for its directories ({})",
                      mode.ephemeral_env,
                      [&] {
                        std::string dirs;
                        for (const DataDir& d : mode.dirs) {
                          if (!dirs.empty()) dirs += ", ";
                          dirs += d.env.empty() ? d.path : d.env;
                        }
                        return dirs;
                      }()));
      if (eph.set) f.related.push_back({eph.loc, fmt::format("{} is set here", mode.ephemeral_env)});
      continue;
    }
    for (const DataDir& d : mode.dirs) {
      Setting moved = Read(s, d.env, d.flag);
      if (moved.set && !moved.known) continue;
      std::string dir = moved.set ? moved.value : d.path;
      if (dir.empty() || dir.front() != '/') continue;  // relative: not judged
      if (Covered(s, dir)) continue;
      ReportDir(s, info, dir, fmt::format("{} data", mode.name), moved.set ? moved.loc : select.loc,
                r);
    }
  }
}

}  // namespace

void CheckDataNotPersisted(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const auto& s : p.compose.services) {
    const ServiceImage& image = analysis->Image(s);
    const ImageInfo* info = image.Info();
    if (info == nullptr) continue;
    CheckStorageModes(s, *info, r);
    // Loki's storage paths come from its config: OBS403 judges them.
    if (info->config_kind == "loki") continue;
    // A cache (Redis as Celery broker or page cache) loses nothing that matters.
    if (info->roles.size() == 1 && info->roles.front() == "cache") continue;
    // The data directories of a release, as the service's flag may move them
    // ("" when the flag makes them relative: not judged).
    auto dirs_of = [&](const ImageInfo& i) {
      std::vector<std::string> dirs = i.data_dirs;
      if (!i.data_dir_flag.empty()) {
        if (auto f = s.Flag(i.data_dir_flag)) {
          if (f->value.empty() || f->value.front() != '/') return std::vector<std::string>{};
          dirs = {f->value};
        }
      }
      return dirs;
    };
    // Every directory some release the tag allows keeps data in, once; the
    // finding holds where the releases keep data there (Postgres 18 moved it).
    std::vector<std::string> candidates;
    for (const ImagePiece& piece : image.pieces)
      for (const std::string& dir : dirs_of(*piece.info))
        if (std::find(candidates.begin(), candidates.end(), dir) == candidates.end())
          candidates.push_back(dir);
    for (const auto& dir : candidates) {
      if (Covered(s, dir)) continue;
      Judgement j = image.Holds([&](const ImageInfo& i) {
        auto dirs = dirs_of(i);
        // Not lost when the release keeps its data in another directory
        // that is mounted.
        bool elsewhere_mounted = std::any_of(dirs.begin(), dirs.end(), [&](const std::string& d) {
          return d != dir && Covered(s, d);
        });
        return !elsewhere_mounted && std::find(dirs.begin(), dirs.end(), dir) != dirs.end();
      });
      ReportJudged(r, "OBS709", j, image, ImageLoc(s),
                   fmt::format("{} keeps its data in {}, but service \"{}\" mounts no volume "
                               "there, so the data does not survive `docker compose down`",
                               info->display, dir, s.name),
                   fmt::format("add a named volume: `- {}_data:{}` under volumes: of service "
                               "\"{}\" (and declare it under the top-level volumes:)",
                               s.name, dir, s.name));
    }
  }
}

}  // namespace obslint
