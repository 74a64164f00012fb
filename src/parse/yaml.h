// Parses YAML text into obslint's own tree (model/yaml.h) from yaml-cpp
// parser events, bounding depth and size.
#pragma once

#include <cstddef>
#include <string_view>

#include "model/yaml.h"

namespace obslint::yaml {

struct Limits {
  int max_depth = 256;          // nesting guarded before yaml-cpp recurses deeper
  size_t max_nodes = 2'000'000;  // nodes built (aliases are shared, never copied)
};

// Parses the first document of `text`. Never throws.
void Parse(std::string_view text, Document& doc, const Limits& limits = {});

}  // namespace obslint::yaml
