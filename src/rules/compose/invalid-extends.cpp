// OBS212 invalid-extends: an `extends` Compose cannot resolve — the service
// or the file it names does not exist, or services extend each other in a
// cycle. The model builder (parse/compose_project.cpp) finds them while it
// resolves `extends`; Compose refuses the project for each.
#include "rules/rules.h"

namespace obslint {

void CheckInvalidExtends(const Project& p, const Knowledge&, Reporter& r) {
  for (const ExtendsProblem& problem : p.compose.extends_problems)
    r.Report("OBS212", problem.loc, problem.message, problem.help);
}

}  // namespace obslint
