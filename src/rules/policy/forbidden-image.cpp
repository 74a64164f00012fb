// OBS905 forbidden-image: a service image matches a `policy.forbid` pattern.
#include <fmt/format.h>
#include <re2/re2.h>

#include "rules/rules.h"

namespace obslint {

void CheckForbiddenImage(const Project& p, const Knowledge&, Reporter& r) {
  for (const Located<std::string>& pattern : p.policy.forbid) {
    re2::RE2 re(pattern.value, re2::RE2::Quiet);
    if (!re.ok()) continue;  // OBS002 reports it
    for (const ComposeService* started : p.compose.Running()) {  // what the stack runs
      const ComposeService& s = *started;
      if (!s.image.text.present || s.image.text.value.empty()) continue;
      if (!re2::RE2::PartialMatch(s.image.text.value, re)) continue;
      Finding& f = r.Report("OBS905", s.image.text.loc,
                            fmt::format("image \"{}\" of service \"{}\" is forbidden by the policy "
                                        "pattern \"{}\"",
                                        s.image.text.value, s.name, pattern.value),
                            "use an allowed image, or change policy.forbid in .obslint.yaml");
      if (pattern.loc.HasPosition()) f.related.push_back({pattern.loc, "the forbidding pattern"});
    }
  }
}

}  // namespace obslint
