// The rule table. One sorted array, no self-registration: what runs is what
// is listed here.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"

namespace obslint {

struct Project;
class Knowledge;
class Reporter;
struct Config;

using CheckFn = void (*)(const Project&, const Knowledge&, Reporter&);

struct Rule {
  std::string_view code;
  std::string_view name;
  Severity severity;
  CheckFn check;  // nullptr: reported by the loader or the engine itself (OBS001, OBS1xx)
  std::string_view summary;  // one line, as in the catalog
};

std::span<const Rule> AllRules();
const Rule* FindRule(std::string_view code);  // by code ("OBS201") or name ("obsolete-version")

}  // namespace obslint
