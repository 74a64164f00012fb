// Data files compiled into the binary by tools/embed.cpp (knowledge/*.yaml
// as JSON, rules/*.md as text).
#pragma once

#include <cstddef>
#include <string_view>

namespace obslint::embedded {

struct File {
  std::string_view name;     // "knowledge/images.json", "rules/OBS201.md"
  std::string_view content;
};

extern const File kFiles[];
extern const std::size_t kFileCount;

// Content of the embedded file `name`, or an empty view.
inline std::string_view Get(std::string_view name) {
  for (std::size_t i = 0; i < kFileCount; ++i)
    if (kFiles[i].name == name) return kFiles[i].content;
  return {};
}

}  // namespace obslint::embedded
