// Small text helpers shared across obslint.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace obslint {

// ASCII lower case (image names, flag and variable values, hosts).
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace obslint
