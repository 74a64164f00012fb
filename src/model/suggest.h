// "Did you mean": the known name closest to a misspelt one. Shared by every
// check that reports an unknown key, type or value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace obslint {

// Damerau-Levenshtein distance (optimal string alignment), capped at 99.
int KeyDistance(std::string_view a, std::string_view b);

// The candidate closest to `key` if it is close enough to be a typo: one
// edit in a short word, two in a longer one, three past 12 characters, or
// the same letters in another case ("isdefault" / "isDefault"). "" when
// none is, or when two candidates are equally close.
std::string ClosestKey(std::string_view key, const std::vector<std::string_view>& candidates);
std::string ClosestKey(std::string_view key, const std::vector<std::string>& candidates);

}  // namespace obslint
