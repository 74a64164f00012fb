// OBS204: `depends_on` names a service that does not exist. Compose refuses
// the project ("depends on undefined service").
#include <fmt/format.h>

#include <algorithm>

#include "rules/rules.h"

namespace obslint {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

void CheckDependsOnUnknown(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    for (const DependsOn& d : s.depends_on) {
      const std::string& name = d.service.value;
      if (name.empty() || p.compose.Service(name) != nullptr) continue;
      // Suggest the closest service name when the difference looks like a typo.
      const ComposeService* best = nullptr;
      size_t best_distance = 0;
      for (const ComposeService& other : p.compose.services) {
        size_t dist = EditDistance(name, other.name);
        if (best == nullptr || dist < best_distance) {
          best = &other;
          best_distance = dist;
        }
      }
      std::string help = "list an existing service, or add the missing service";
      if (best != nullptr && best_distance <= std::max<size_t>(2, name.size() / 4))
        help = fmt::format("did you mean \"{}\"?", best->name);
      // A container_name is not a service name: say so when that is the mix-up.
      for (const ComposeService& other : p.compose.services) {
        if (other.container_name.present && other.container_name.value == name) {
          help = fmt::format("\"{}\" is the container_name of service \"{}\"; depends_on takes "
                             "service names",
                             name, other.name);
        }
      }
      r.Report("OBS204", d.service.loc,
               fmt::format("service \"{}\" depends on \"{}\", which is not a service in this "
                           "project; Compose refuses to start it",
                           s.name, name),
               help);
    }
  }
}

}  // namespace obslint
