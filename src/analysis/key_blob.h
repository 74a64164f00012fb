// The compiled form of a key table (knowledge/keys/<format>.yaml), shared by
// the build-time compiler (tools/embed.cpp, `:keys` inputs) and its reader
// (analysis/keys.cpp). A run reads the table where it lies in the binary:
// nothing is parsed or copied, and only the pages holding the nodes a config
// actually visits are touched.
//
// Layout: little-endian 32-bit words; every offset counts bytes from the
// start of the blob and is a multiple of 4; offset 0 (the magic) means
// "none".
//
//   header   kMagic, program string, strict (0/1), versions, roots index, types index
//   string   length, bytes, zero padding to a multiple of 4
//   versions count, count x (major, minor, patch)
//   index    count, count x (name string, node), sorted by name (bytes, unsigned)
//   patterns count, count x (RE2 pattern string, node), in table order
//   enum     count, count x string
//   node     types (Type bits; 0 = decided by the fields), flags (kOpen),
//            keys index, values node, items node, patterns, enum, ref node,
//            note string, range count, then per range: since (major, minor,
//            patch), has_until (0/1), until (major, minor, patch)
//
// A node without ranges is accepted by every release; a range without a
// `since` starts at 0.0.0.
#pragma once

#include <cstdint>

namespace obslint::keyblob {

constexpr std::uint32_t kMagic = 0x31544B4Fu;  // "OKT1"

enum Type : std::uint32_t {
  kMap = 1u << 0,
  kList = 1u << 1,
  kString = 1u << 2,
  kInt = 1u << 3,
  kFloat = 1u << 4,
  kBool = 1u << 5,
  kDuration = 1u << 6,
  kPromDuration = 1u << 7,
  kSize = 1u << 8,
  kAny = 1u << 9,
};

struct TypeName {
  const char* name;
  std::uint32_t bit;
};
// The type names of knowledge/keys/README.md.
inline constexpr TypeName kTypeNames[] = {
    {"map", kMap},           {"list", kList},  {"string", kString},
    {"int", kInt},           {"float", kFloat}, {"bool", kBool},
    {"duration", kDuration}, {"prom_duration", kPromDuration},
    {"size", kSize},         {"any", kAny}};

enum Header : std::uint32_t { kHMagic, kHProgram, kHStrict, kHVersions, kHRoots, kHTypes, kHeaderWords };

enum NodeWord : std::uint32_t {
  kNTypes,
  kNFlags,
  kNKeys,
  kNValues,
  kNItems,
  kNPatterns,
  kNEnum,
  kNRef,
  kNNote,
  kNRangeCount,
  kNodeWords  // the ranges follow
};
constexpr std::uint32_t kRangeWords = 7;

enum NodeFlag : std::uint32_t { kOpen = 1u << 0 };

}  // namespace obslint::keyblob
