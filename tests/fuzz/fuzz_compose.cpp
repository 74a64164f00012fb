// libFuzzer: compose parsing with interpolation.
#include "fuzz_common.h"
#include "parse/compose.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  obslint::SourceFile file;
  obslint::fuzz::Load(data, size, file);
  std::string value = "v";
  obslint::VarLookup lookup = [&](std::string_view name) -> const std::string* {
    return name.size() % 2 ? &value : nullptr;
  };
  obslint::ComposeParseResult result;
  std::vector<obslint::VarUse> uses;
  std::vector<obslint::LoadFinding> findings;
  obslint::ParseComposeFile(file, "/fuzz", lookup, result, uses, findings);
  return 0;
}
