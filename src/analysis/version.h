// The version model: what range of releases an image reference can run, and
// how far a version-dependent fact holds over that range. Every rule asks
// here; no rule parses a tag or decides on its own how far to trust one.
//
//   exact    "0.92.0", "v1.96.0", "2.9.3-amd64", "15.10-alpine", "postgresql-v2.10.1"
//   partial  "2.9" -> 2.9.x, "3" -> 3.x, "15-alpine" -> 15.x (Postgres counts
//            two version parts, so "15.10" is exact there)
//   newest   "latest", no tag, "main", "nightly", "edge" -> the newest release
//            the knowledge base knows and anything after it
//   newer    an exact or partial tag above the newest known release: linted
//            as the newest release (the report says so once, OBS003)
//   unknown  digest only, unrecognised tags, unresolved `${TAG}`: nothing
//            version-dependent is judged
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "knowledge/knowledge.h"

namespace obslint {

// A half-open range of releases [low, high); no `high` = no upper bound.
struct VersionRange {
  Version low;
  std::optional<Version> high;

  bool Contains(const Version& v) const { return low <= v && (!high || v < *high); }
  bool Empty() const { return high && !(low < *high); }
  // The part of this range inside [since, until).
  VersionRange Intersect(const Version& since, const std::optional<Version>& until) const;
  // Every release of this range is inside [since, until).
  bool Within(const Version& since, const std::optional<Version>& until) const;
  friend bool operator==(const VersionRange& a, const VersionRange& b) {
    return a.low == b.low && a.high.has_value() == b.high.has_value() &&
           (!a.high || *a.high == *b.high);
  }
  // "2.9.0 – 2.9.2", "3.6.0 and later", "before 0.104.0", "0.92.0" (one
  // release: a range [x, x+1 patch)).
  std::string Describe() const;
};

enum class TagKind { kExact, kPartial, kNewest, kNewer, kUnknown };

// The releases one image reference may run.
struct EffectiveVersion {
  TagKind kind = TagKind::kUnknown;
  VersionRange range;   // meaningless when kind == kUnknown
  std::string tag;      // as written ("" = none)
  Version newest;       // the newest release the knowledge base knows for the family

  bool Known() const { return kind != TagKind::kUnknown; }
  // A single release: exact tags only.
  bool Exact() const { return kind == TagKind::kExact; }
  // The release the facts are read at when one must be picked: the exact
  // version, the start of a partial range, the newest known release for
  // latest and newer tags.
  Version Representative() const { return range.low; }
  // For messages: "0.92.0", "2.9.x", "0.159.0 (tag \"latest\": the newest
  // release obslint knows)", "0.170.0 (newer than the newest release obslint
  // knows, 0.159.0: judged as that)", "an unknown version (tag \"...\")".
  std::string Describe() const;
};

// Whether a tag follows a moving target rather than naming a release:
// "latest", "" (no tag), "main", "nightly", "edge", "stable", "latest-alpine"...
// Any image, known to obslint or not.
bool IsMovingTag(std::string_view tag);

// `version_parts`: how many numbers a full version of the family has (3 for
// most images, 2 for Postgres). `newest`: the family's newest known release.
// An empty `tag` with a `digest` is unknown; an empty tag without one is
// "latest". `unresolved`: the reference held a variable Compose could not
// resolve ("image: x:${TAG}" with TAG unset): unknown.
EffectiveVersion ResolveImageVersion(std::string_view tag, std::string_view digest,
                                     const Version& newest, int version_parts,
                                     bool unresolved = false);

// How far a fact that holds on [since, until) holds over the releases an
// image may run.
struct Judgement {
  enum Kind { kNo, kYes, kPartly } kind = kNo;
  VersionRange where;  // kPartly: the releases it holds on
  explicit operator bool() const { return kind != kNo; }
  bool Fully() const { return kind == kYes; }
};

// kYes when every release of `v` is inside [since, until); kPartly when some
// are and the version is known (a partial range); kNo otherwise. An unknown
// version gets kYes only for a fact that holds on every release.
Judgement Judge(const EffectiveVersion& v, const Version& since,
                const std::optional<Version>& until);

}  // namespace obslint
