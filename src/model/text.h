// Small text helpers shared across obslint.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace obslint {

// ASCII case-insensitive equality (Grafana compares names and types with
// Go's strings.EqualFold).
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// ASCII lower case (image names, flag and variable values, hosts).
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The parts of `s` between `sep` characters (empty parts kept).
inline std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string_view::npos; start = at + 1)
    out.push_back(s.substr(start, at - start));
  out.push_back(s.substr(start));
  return out;
}

// Go's strconv.ParseBool, which Grafana applies to provisioning values
// (after expanding variables) and to its settings: 1 t T true True TRUE and
// 0 f F false False FALSE; false when `text` is none of them.
inline bool ParseGoBool(std::string_view text, bool& value) {
  static constexpr std::string_view kTrue[] = {"1", "t", "T", "true", "True", "TRUE"};
  static constexpr std::string_view kFalse[] = {"0", "f", "F", "false", "False", "FALSE"};
  for (std::string_view t : kTrue)
    if (text == t) return value = true, true;
  for (std::string_view f : kFalse)
    if (text == f) return value = false, true;
  return false;
}

}  // namespace obslint
