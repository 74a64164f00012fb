#include "model/suggest.h"

#include <algorithm>

#include "model/text.h"

namespace obslint {

int KeyDistance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 99;
  // Three rows: the one before the previous serves transpositions.
  const size_t m = b.size();
  std::vector<int> before(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string ClosestKey(std::string_view key, const std::vector<std::string_view>& candidates) {
  const int allowed = key.size() <= 4 ? 1 : key.size() <= 12 ? 2 : 3;
  std::string_view best;
  int best_distance = 99;
  bool tie = false;
  const std::string key_lower = Lower(key);
  for (std::string_view c : candidates) {
    if (c == key) continue;
    int d = Lower(c) == key_lower ? 0 : KeyDistance(key, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
      tie = false;
    } else if (d == best_distance) {
      tie = true;
    }
  }
  if (best_distance > allowed || (tie && best_distance > 0)) return "";
  return std::string(best);
}

std::string ClosestKey(std::string_view key, const std::vector<std::string>& candidates) {
  return ClosestKey(key, std::vector<std::string_view>(candidates.begin(), candidates.end()));
}

}  // namespace obslint
