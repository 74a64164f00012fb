// OBS201: a top-level `version:` key. Compose v2 ignores it and prints
// "the attribute `version` is obsolete" on every run.
#include "rules/rules.h"

namespace obslint {

void CheckObsoleteVersion(const Project& p, const Knowledge&, Reporter& r) {
  for (const Location& loc : p.compose.version_keys) {
    r.Report("OBS201", loc,
             "top-level \"version\" is obsolete: Compose v2 ignores it and prints a warning",
             "delete the `version:` line; the Compose specification has no file versions");
  }
}

}  // namespace obslint
