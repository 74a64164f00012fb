// libFuzzer: .env parsing.
#include "fuzz_common.h"
#include "parse/parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  obslint::SourceFile file;
  obslint::fuzz::Load(data, size, file, /*yaml=*/false);
  obslint::EnvFile env;
  std::vector<obslint::LoadFinding> findings;
  obslint::ParseDotenv(file, env, findings);
  return 0;
}
