// OBS104 unknown-key: a key the program reading the file does not accept at
// the releases the service may run (Compose: at any release), from the key
// tables of knowledge/keys/. Programs that refuse unknown keys (Loki, Tempo,
// Prometheus, the collector's top level and `service`) make it an error;
// those that ignore them (Compose, Grafana) a warning. Collector component
// settings are OBS305.
#include <set>
#include <tuple>

#include "analysis/analysis.h"
#include "rules/keys.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnknownKey(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  // Keys the parsers already reported (their own OBS104) are not repeated.
  std::set<std::tuple<std::string, int, int>> loaded;
  for (const LoadFinding& lf : p.load_findings)
    if (lf.code == "OBS104") loaded.emplace(lf.loc.file, lf.loc.line, lf.loc.column);
  for (const KeyFinding& f : analysis->KeyFindings()) {
    if (!f.component_kind.empty() || f.issue.key == nullptr) continue;
    const Location loc = keys::At(f);
    if (loaded.count({loc.file, loc.line, loc.column})) continue;
    keys::ReportKey(r, "OBS104", f);
  }
}

}  // namespace obslint
