#include "analysis/version.h"

#include <fmt/format.h>

#include <array>
#include <algorithm>
#include <climits>

#include "model/text.h"

namespace obslint {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The numbers of the first version in a tag and how many were given:
// "2.9.3-amd64" -> {2,9,3}, 3; "15-alpine" -> {15}, 1; "v1.96.0" -> 3.
// A number starts a version only at a word start (or after a lone 'v'), so
// hashes such as "main-d528a28" give nothing.
struct TagNumbers {
  std::array<int, 3> parts{};
  int count = 0;
};

TagNumbers ReadTagNumbers(std::string_view tag) {
  TagNumbers out;
  size_t i = 0;
  auto starts = [&](size_t at) {
    if (!IsDigit(tag[at])) return false;
    if (at == 0 || !IsAlnum(tag[at - 1])) return true;
    char prev = tag[at - 1];
    return (prev == 'v' || prev == 'V') && (at == 1 || !IsAlnum(tag[at - 2]));
  };
  while (i < tag.size() && !starts(i)) ++i;
  while (i < tag.size() && out.count < 3 && IsDigit(tag[i])) {
    long long value = 0;
    while (i < tag.size() && IsDigit(tag[i])) {
      value = std::min<long long>(value * 10 + (tag[i] - '0'), INT_MAX);
      ++i;
    }
    out.parts[out.count++] = static_cast<int>(value);
    if (i + 1 < tag.size() && tag[i] == '.' && IsDigit(tag[i + 1])) ++i;
    else break;
  }
  return out;
}

}  // namespace

// Tags that follow a moving target: the newest release and anything after.
bool IsMovingTag(std::string_view tag) {
  if (tag.empty()) return true;
  static constexpr std::string_view kMoving[] = {
      "latest", "stable", "main",   "master", "nightly", "edge",     "dev",
      "develop", "head",  "snapshot", "alpine", "slim",  "ubuntu",  "debian",
      "bookworm", "bullseye", "distroless"};
  std::string lower = Lower(tag);
  for (std::string_view m : kMoving) {
    if (lower == m) return true;
    // "latest-alpine", "main-ubuntu" move too; "main-d528a28" or
    // "nightly-2024-05-01" name one fixed build whose release is not said.
    if (lower.size() > m.size() && lower.compare(0, m.size(), m) == 0 && lower[m.size()] == '-') {
      std::string_view variant = std::string_view(lower).substr(m.size() + 1);
      return !variant.empty() && std::all_of(variant.begin(), variant.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '-';
      });
    }
  }
  return false;
}

namespace {

Version Make(int major, int minor, int patch) { return Version{major, minor, patch, true}; }

// The release after the last given part: 2.9 -> 2.10.0, 3 -> 4.0.0, 2.9.3 -> 2.9.4.
Version After(const TagNumbers& n, int upto) {
  std::array<int, 3> p = n.parts;
  for (int i = upto; i < 3; ++i) p[i] = 0;
  p[upto - 1] += 1;
  return Make(p[0], p[1], p[2]);
}

}  // namespace

VersionRange VersionRange::Intersect(const Version& since,
                                     const std::optional<Version>& until) const {
  VersionRange r;
  r.low = low < since ? since : low;
  r.low.known = true;
  if (high && until) r.high = *high < *until ? *high : *until;
  else if (high) r.high = high;
  else r.high = until;
  return r;
}

bool VersionRange::Within(const Version& since, const std::optional<Version>& until) const {
  if (low < since) return false;
  if (!until) return true;
  return high && *high <= *until;
}

std::string VersionRange::Describe() const {
  if (!high) {
    if (low == Version{0, 0, 0, true}) return "every release";
    return fmt::format("{} and later", low.ToString());
  }
  const Version& h = *high;
  std::string last;  // the last release before `high`, as precisely as known
  if (h.patch > 0) last = fmt::format("{}.{}.{}", h.major, h.minor, h.patch - 1);
  else if (h.minor > 0) last = fmt::format("{}.{}.x", h.major, h.minor - 1);
  else if (h.major > 0) last = fmt::format("{}.x", h.major - 1);
  if (low == Version{0, 0, 0, true}) return fmt::format("releases before {}", h.ToString());
  if (h == Make(low.major, low.minor, low.patch + 1)) return low.ToString();
  return fmt::format("{}–{}", low.ToString(), last);
}

std::string EffectiveVersion::Describe() const {
  switch (kind) {
    case TagKind::kExact:
      return range.low.ToString();
    case TagKind::kPartial: {
      // "2.9" -> "2.9.x", "3" -> "3.x".
      TagNumbers n = ReadTagNumbers(tag);
      if (n.count == 2) return fmt::format("{}.{}.x", n.parts[0], n.parts[1]);
      return fmt::format("{}.x", n.parts[0]);
    }
    case TagKind::kNewest:
      return fmt::format("{} ({}: the newest release obslint knows)", newest.ToString(),
                         tag.empty() ? std::string("no tag") : fmt::format("tag \"{}\"", tag));
    case TagKind::kNewer:
      return fmt::format("{} (tag \"{}\" is newer than the newest release obslint knows, so it is "
                         "judged as that one)",
                         newest.ToString(), tag);
    case TagKind::kUnknown:
      break;
  }
  return tag.empty() ? std::string("an unknown version")
                     : fmt::format("an unknown version (tag \"{}\")", tag);
}

EffectiveVersion ResolveImageVersion(std::string_view tag, std::string_view digest,
                                     const Version& newest, int version_parts, bool unresolved) {
  EffectiveVersion v;
  v.tag = std::string(tag);
  v.newest = newest;
  if (unresolved || !newest.known) return v;
  if (tag.empty()) {
    if (!digest.empty()) return v;  // pinned by digest: which release is not said
    v.kind = TagKind::kNewest;
    v.range = {newest, std::nullopt};
    return v;
  }
  if (IsMovingTag(tag)) {
    v.kind = TagKind::kNewest;
    v.range = {newest, std::nullopt};
    return v;
  }
  if (tag.find_first_of(":@") != std::string_view::npos) return v;
  TagNumbers n = ReadTagNumbers(tag);
  if (n.count == 0) return v;
  const int parts = version_parts < 1 ? 3 : std::min(version_parts, 3);
  const int given = std::min(n.count, 3);
  Version low = Make(n.parts[0], given > 1 ? n.parts[1] : 0, given > 2 ? n.parts[2] : 0);
  if (given >= parts) {
    v.kind = TagKind::kExact;
    v.range = {low, After(n, given)};
  } else {
    v.kind = TagKind::kPartial;
    v.range = {low, After(n, given)};
  }
  if (newest < low) {
    // A release after the knowledge base: judged as the newest known one.
    // A number far beyond it is no release of this family (a date, a build
    // number): unknown.
    if (low.major > newest.major + 1) return EffectiveVersion{TagKind::kUnknown, {}, v.tag, newest};
    v.kind = TagKind::kNewer;
    v.range = {newest, std::nullopt};
  }
  return v;
}

Judgement Judge(const EffectiveVersion& v, const Version& since,
                const std::optional<Version>& until) {
  Judgement j;
  const bool everywhere = since == Version{0, 0, 0, since.known} && !until;
  if (!v.Known()) {
    j.kind = everywhere ? Judgement::kYes : Judgement::kNo;
    return j;
  }
  if (v.range.Within(since, until)) {
    j.kind = Judgement::kYes;
    j.where = v.range;
    return j;
  }
  VersionRange inter = v.range.Intersect(since, until);
  if (inter.Empty()) return j;
  j.kind = Judgement::kPartly;
  j.where = inter;
  return j;
}

}  // namespace obslint
