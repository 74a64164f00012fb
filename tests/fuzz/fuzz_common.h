// Shared by the libFuzzer targets: wraps fuzz input as a SourceFile the way
// the loader does (index lines, parse YAML).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/project.h"
#include "parse/yaml.h"

namespace obslint::fuzz {

inline void Load(const uint8_t* data, size_t size, SourceFile& file, bool yaml = true) {
  file.path = "fuzz.yaml";
  file.abs_path = "/fuzz/fuzz.yaml";
  file.content.assign(reinterpret_cast<const char*>(data), size);
  file.IndexLines();
  if (yaml) obslint::yaml::Parse(file.content, file.yaml);
}

}  // namespace obslint::fuzz
