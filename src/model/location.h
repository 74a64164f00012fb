// Positions. Every value a rule reads carries where it came from, so every
// finding can point at an exact file:line:column.
#pragma once

#include <string>
#include <utility>

namespace obslint {

struct Location {
  std::string file;    // path as displayed (relative to the working directory)
  int line = 0;        // 1-based; 0 = no position (whole file)
  int column = 0;      // 1-based
  int end_line = 0;    // 0 = same as line
  int end_column = 0;  // exclusive; 0 = unknown (one character)

  bool HasPosition() const { return line > 0; }
  friend bool operator==(const Location&, const Location&) = default;
};

template <typename T>
struct Located {
  T value{};
  Location loc;
  bool present = false;

  Located() = default;
  Located(T v, Location l) : value(std::move(v)), loc(std::move(l)), present(true) {}
};

}  // namespace obslint
