// libFuzzer: Compose interpolation and the port / volume / shell-word parsers.
#include <string>

#include "parse/compose.h"
#include "parse/interpolate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string value = "x${B:-y}";
  obslint::VarLookup lookup = [&](std::string_view name) -> const std::string* {
    return name == "A" ? &value : nullptr;
  };
  std::vector<obslint::InterpolationProblem> problems;
  obslint::Interpolated r = obslint::Interpolate(text, lookup, &problems);
  for (const auto& ref : r.refs)
    if (ref.offset + ref.length > text.size()) __builtin_trap();
  std::vector<obslint::VarRef> refs;
  obslint::CollectVariables(text, refs);
  obslint::ParsePortSpec(text);
  obslint::ParseVolumeSpec(text);
  std::vector<size_t> offsets;
  auto words = obslint::SplitShellWords(text, &offsets);
  if (words.size() != offsets.size()) __builtin_trap();
  obslint::JoinPath("/base", text);
  return 0;
}
