// The Compose model of a whole project, built as `docker compose config`
// builds it (Compose Specification; compose-spec/compose-go loader):
// every file is read on its own — its `include`s imported (14-include.md),
// the `extends` of its services resolved (05-services.md#extends,
// recursively, with a cycle guard) — and then merged over the files before
// it (13-merge.md), all with the one merge of parse/compose_merge.h. Then
// the active profiles decide which services start (15-profiles.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/project.h"
#include "parse/interpolate.h"

namespace obslint {

struct ComposeLoadInput {
  std::vector<std::string> files;  // absolute paths, in merge order
  std::string project_dir;         // absolute; base of relative paths of these files
  VarLookup lookup;                // the project's interpolation variables
  // Reads a file of the stack; nullptr (after reporting why, at `ref`)
  // when it cannot be read.
  std::function<const SourceFile*(const std::string& abs, FileKind kind, const Location& ref)> read;
};

// Builds project.services and the top-level declarations into `out`.
void LoadComposeModel(const ComposeLoadInput& input, ComposeProject& out, std::vector<VarUse>& uses,
                      std::vector<LoadFinding>& findings);

// Marks which services start (ComposeService::starts) for `active` profiles
// ("*" activates all), as `docker compose up` without service arguments
// does: a service without `profiles:` always starts, one with profiles when
// one of them is active. A started service's `depends_on` does not start a
// service its profiles leave out: Compose refuses the project instead
// (OBS204 reports it).
void ApplyProfiles(ComposeProject& project, std::vector<std::string> active, std::string from);

// COMPOSE_PROFILES / --profile values: comma-separated, blanks trimmed,
// empty items dropped.
std::vector<std::string> SplitProfiles(std::string_view text);

}  // namespace obslint
