// libFuzzer: the YAML tree builder (positions, duplicate keys, merges, limits).
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  obslint::SourceFile file;
  obslint::fuzz::Load(data, size, file);
  for (const auto& issue : file.yaml.issues)
    if (issue.line < 0 || issue.column < 0) __builtin_trap();
  return 0;
}
