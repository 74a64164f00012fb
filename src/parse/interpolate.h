// Compose variable interpolation, as the Compose specification defines it:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
// ${VAR?error}, ${VAR:+alt}, ${VAR+alt}, $$ (a literal $), and nested
// interpolation inside default/alternative values.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/project.h"

namespace obslint {

// Returns the value of a variable, or nullptr when it is unset.
using VarLookup = std::function<const std::string*(std::string_view name)>;

struct InterpolationProblem {
  enum class Type { kSyntax, kRequiredUnset } type;
  std::string variable;  // kRequiredUnset
  std::string message;   // the ${VAR:?message} text, or what is malformed
  size_t offset = 0;     // byte offset of the '$' in the raw text
};

// Interpolates `raw`. `refs` lists the top-level references; unset variables
// without default resolve to "" and set `unresolved`.
Interpolated Interpolate(std::string_view raw, const VarLookup& lookup,
                         std::vector<InterpolationProblem>* problems = nullptr);

// Every variable name read by `raw`, including those inside defaults
// (`${A:-${B}}` reads A and B), with the offset of its '$'.
void CollectVariables(std::string_view raw, std::vector<VarRef>& out);

}  // namespace obslint
