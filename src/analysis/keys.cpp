#include "analysis/keys.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "analysis/key_blob.h"
#include "embed/embedded.h"

namespace obslint {

namespace kb = keyblob;
using kb::kAny, kb::kBool, kb::kDuration, kb::kFloat, kb::kInt, kb::kList, kb::kMap,
    kb::kPromDuration, kb::kSize, kb::kString;

// A node is a place in the compiled table (analysis/key_blob.h): pointers to
// KeyNode point into the blob and are only read through the functions below.
struct KeyNode {};

namespace {

constexpr unsigned kScalars = kString | kInt | kFloat | kBool | kDuration | kPromDuration | kSize;

using Ranges = std::vector<std::pair<Version, std::optional<Version>>>;

std::uint32_t Load(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 |
         std::uint32_t{b[3]} << 24;
}

// Reads one compiled table. Offsets were written by tools/embed.cpp and are
// checked once by KeyTable::Validate (tests), not on every read.
class Blob {
 public:
  explicit Blob(std::string_view data) : data_(data) {}

  std::uint32_t Word(std::uint32_t off) const { return Load(data_.data() + off); }
  std::string_view Str(std::uint32_t off) const {
    return off == 0 ? std::string_view() : std::string_view(data_.data() + off + 4, Word(off));
  }
  const KeyNode* Node(std::uint32_t off) const {
    return off == 0 ? nullptr : reinterpret_cast<const KeyNode*>(data_.data() + off);
  }
  static std::uint32_t Field(const KeyNode* n, kb::NodeWord w) {
    return Load(reinterpret_cast<const char*>(n) + 4 * w);
  }
  const KeyNode* Child(const KeyNode* n, kb::NodeWord w) const { return Node(Field(n, w)); }

  // The entry `name` of the index at `off` (0 when absent).
  std::uint32_t Find(std::uint32_t off, std::string_view name) const {
    if (off == 0) return 0;
    std::uint32_t lo = 0, hi = Word(off);
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const std::string_view key = Str(Word(off + 4 + 8 * mid));
      if (key < name) lo = mid + 1;
      else hi = mid;
    }
    if (lo < Word(off) && Str(Word(off + 4 + 8 * lo)) == name) return Word(off + 8 + 8 * lo);
    return 0;
  }
  // Calls f(name, node) for each entry of an index or pattern list.
  template <typename F>
  void Entries(std::uint32_t off, F&& f) const {
    if (off == 0) return;
    const std::uint32_t n = Word(off);
    for (std::uint32_t i = 0; i < n; ++i) f(Str(Word(off + 4 + 8 * i)), Word(off + 8 + 8 * i));
  }
  std::vector<std::string_view> Strings(std::uint32_t off) const {
    std::vector<std::string_view> out;
    if (off == 0) return out;
    for (std::uint32_t i = 0, n = Word(off); i < n; ++i) out.push_back(Str(Word(off + 4 + 4 * i)));
    return out;
  }

  std::string_view data() const { return data_; }

 private:
  std::string_view data_;
};

Version VersionAt(const char* p) {
  return Version{static_cast<int>(Load(p)), static_cast<int>(Load(p + 4)), static_cast<int>(Load(p + 8)), true};
}

// The releases that accept `n`; empty = every one.
Ranges RangesOf(const KeyNode* n) {
  Ranges out;
  const char* p = reinterpret_cast<const char*>(n);
  const std::uint32_t count = Load(p + 4 * kb::kNRangeCount);
  for (std::uint32_t i = 0; i < count; ++i) {
    const char* r = p + 4 * (kb::kNodeWords + kb::kRangeWords * i);
    std::optional<Version> until;
    if (Load(r + 12) != 0) until = VersionAt(r + 16);
    out.emplace_back(VersionAt(r), until);
  }
  return out;
}

// A pattern of `pattern_keys`, compiled on first use and kept (the tables
// hold a few dozen).
const RE2& Pattern(std::string_view pattern) {
  static std::mutex mutex;
  static auto& compiled = *new std::map<std::string, std::unique_ptr<RE2>, std::less<>>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = compiled.find(pattern);
  if (it == compiled.end())
    it = compiled.emplace(std::string(pattern), std::make_unique<RE2>(std::string(pattern))).first;
  return *it->second;
}

// The node that describes the shape (a ref's target); ranges and notes stay
// with the referring node.
const KeyNode* Shape(const Blob& blob, const KeyNode* n) {
  for (int guard = 0; guard < 64; ++guard) {
    const KeyNode* ref = blob.Child(n, kb::kNRef);
    if (ref == nullptr) break;
    n = ref;
  }
  return n;
}

unsigned TypesOf(const KeyNode* shape) {
  if (const unsigned types = Blob::Field(shape, kb::kNTypes)) return types;
  if (Blob::Field(shape, kb::kNKeys) || Blob::Field(shape, kb::kNValues) ||
      (Blob::Field(shape, kb::kNFlags) & kb::kOpen) || Blob::Field(shape, kb::kNPatterns))
    return kMap;
  return kAny;
}

// Whether a key with `ranges` is accepted over all, part or none of `r`.
Judgement::Kind Presence(const Ranges& ranges, const VersionRange& r) {
  if (ranges.empty()) return Judgement::kYes;
  bool some = false;
  for (const auto& [since, until] : ranges) {
    if (r.Within(since, until)) return Judgement::kYes;
    if (!r.Intersect(since, until).Empty()) some = true;
  }
  return some ? Judgement::kPartly : Judgement::kNo;
}

bool Templated(std::string_view text) { return text.find('$') != std::string_view::npos; }

std::string Expected(unsigned types, const std::vector<std::string_view>& enum_values) {
  std::vector<std::string> words;
  if (types & kMap) words.push_back("a map");
  if (types & kList) words.push_back("a list");
  if (!enum_values.empty()) {
    std::string list;
    for (const auto& e : enum_values) list += (list.empty() ? "" : ", ") + fmt::format("\"{}\"", e);
    words.push_back("one of " + list);
  } else if (types & kString) {
    words.push_back("a string");
  } else {
    if (types & (kDuration | kPromDuration)) words.push_back("a duration");
    if (types & kInt) words.push_back("an integer");
    if (types & kFloat) words.push_back("a number");
    if (types & kBool) words.push_back("true or false");
    if (types & kSize) words.push_back("a size");
  }
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  return out;
}

// Whether the program accepts scalar `text` for a node of `types`.
bool ScalarFits(std::string_view text, bool quoted, unsigned types) {
  if (types & (kString | kAny)) return true;
  static const RE2 kInteger(R"([-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F]+|0o?[0-7]+))");
  static const RE2 kNumber(R"([-+]?([0-9][0-9_]*)?\.?[0-9]+([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  static const RE2 kGoDuration(R"([-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)");
  static const RE2 kPromDurationRe(R"((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)");
  static const RE2 kSizeRe(R"([0-9]+(\.[0-9]+)?\s*[A-Za-z]*)");
  static const RE2 kBoolRe(R"(true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)");
  if ((types & kInt) && !quoted && RE2::FullMatch(text, kInteger)) return true;
  if ((types & kFloat) && !quoted && (RE2::FullMatch(text, kNumber) || RE2::FullMatch(text, kInteger)))
    return true;
  if ((types & kBool) && RE2::FullMatch(text, kBoolRe)) return true;
  if ((types & kDuration) && (text == "0" || RE2::FullMatch(text, kGoDuration) ||
                              (!quoted && RE2::FullMatch(text, kInteger))))
    return true;
  if ((types & kPromDuration) && !text.empty() &&
      (text == "0" || RE2::FullMatch(text, kPromDurationRe)))
    return true;
  if ((types & kSize) && RE2::FullMatch(text, kSizeRe)) return true;
  return false;
}

class Walker {
 public:
  Walker(const Blob& blob, const VersionRange& range, const KeyCheckOptions& options,
         std::vector<KeyIssue>& out)
      : blob_(blob), range_(range), options_(options), out_(out) {}

  void Walk(const KeyNode* node, const yaml::Node* v, const std::string& path, int depth) {
    if (v == nullptr || v->IsNull() || depth > 64) return;
    const KeyNode* shape = Shape(blob_, node);
    const unsigned types = TypesOf(shape);
    if (types & kAny) return;
    if (v->IsMap()) {
      if (!(types & kMap)) {
        ReportShape(v, path, types, shape);
        return;
      }
      if (Blob::Field(shape, kb::kNFlags) & kb::kOpen) return;
      for (const auto& [k, val] : v->entries) {
        if (k == nullptr || !k->IsScalar()) continue;
        Key(shape, k, val, path, depth);
      }
    } else if (v->IsSequence()) {
      if (!(types & kList)) {
        ReportShape(v, path, types, shape);
        return;
      }
      if (const KeyNode* items = blob_.Child(shape, kb::kNItems))
        for (size_t i = 0; i < v->items.size(); ++i)
          Walk(items, v->items[i], fmt::format("{}[{}]", path, i), depth + 1);
    } else if (v->IsScalar()) {
      if (Templated(v->scalar)) return;  // expanded at run time: any shape
      if (!(types & kScalars)) {
        if ((types & kList) && options_.scalar_to_list) return;
        // A scalar where only a map or a list is accepted. An empty string
        // decodes as "nothing set" in the programs covered.
        if (!v->scalar.empty()) ReportShape(v, path, types, shape);
        return;
      }
      if (!options_.check_values) return;
      if (Blob::Field(shape, kb::kNEnum) != 0) {
        const std::vector<std::string_view> enum_values = blob_.Strings(Blob::Field(shape, kb::kNEnum));
        if (std::find(enum_values.begin(), enum_values.end(), v->scalar) == enum_values.end()) {
          KeyIssue issue;
          issue.kind = KeyIssue::Kind::kValue;
          issue.value = v;
          issue.path = path;
          issue.expected = Expected(types, enum_values);
          issue.suggestion = ClosestKey(v->scalar, enum_values);
          out_.push_back(std::move(issue));
        }
        return;
      }
      if (!ScalarFits(v->scalar, v->quoted, types)) {
        KeyIssue issue;
        issue.kind = KeyIssue::Kind::kValue;
        issue.value = v;
        issue.path = path;
        issue.expected = Expected(types, {});
        out_.push_back(std::move(issue));
      }
    }
  }

 private:
  void ReportShape(const yaml::Node* v, const std::string& path, unsigned types, const KeyNode* shape) {
    if (!options_.check_values) return;
    KeyIssue issue;
    issue.kind = KeyIssue::Kind::kShape;
    issue.value = v;
    issue.path = path;
    issue.expected = Expected(types, blob_.Strings(Blob::Field(shape, kb::kNEnum)));
    out_.push_back(std::move(issue));
  }

  void Key(const KeyNode* shape, const yaml::Node* k, const yaml::Node* val,
           const std::string& parent, int depth) {
    const std::string& name = k->scalar;
    const std::string path = parent.empty() ? name : parent + "." + name;
    const KeyNode* child = blob_.Node(blob_.Find(Blob::Field(shape, kb::kNKeys), name));
    if (child != nullptr) {
      const Ranges ranges = RangesOf(child);
      const Judgement::Kind presence = Presence(ranges, range_);
      if (presence == Judgement::kYes) {
        Walk(child, val, path, depth + 1);
        return;
      }
      if (presence == Judgement::kPartly) {
        if (options_.report_partly) {
          KeyIssue issue;
          issue.kind = KeyIssue::Kind::kPartly;
          issue.key = k;
          issue.path = path;
          issue.accepted_in = ranges;
          for (const auto& [since, until] : ranges) {
            VersionRange part = range_.Intersect(since, until);
            if (!part.Empty()) {
              issue.where = part;
              break;
            }
          }
          issue.note = std::string(blob_.Str(Blob::Field(child, kb::kNNote)));
          out_.push_back(std::move(issue));
        }
        Walk(child, val, path, depth + 1);
        return;
      }
      // Not accepted at these releases: it may still be one of the keys a
      // pattern or `values` accepts.
    }
    const KeyNode* by_pattern = nullptr;
    blob_.Entries(Blob::Field(shape, kb::kNPatterns), [&](std::string_view pattern, std::uint32_t node) {
      if (by_pattern == nullptr && RE2::PartialMatch(name, Pattern(pattern))) by_pattern = blob_.Node(node);
    });
    if (by_pattern != nullptr) {
      Walk(by_pattern, val, path, depth + 1);
      return;
    }
    if (const KeyNode* values = blob_.Child(shape, kb::kNValues)) {
      Walk(values, val, path, depth + 1);
      return;
    }
    if (Blob::Field(shape, kb::kNFlags) & kb::kOpen) return;
    KeyIssue issue;
    issue.key = k;
    issue.path = path;
    if (child != nullptr) {
      // A key of other releases: what to use instead is the note's to say,
      // not a look-alike's.
      issue.kind = KeyIssue::Kind::kOtherReleases;
      issue.accepted_in = RangesOf(child);
      issue.note = std::string(blob_.Str(Blob::Field(child, kb::kNNote)));
      out_.push_back(std::move(issue));
      return;
    }
    issue.kind = KeyIssue::Kind::kUnknown;
    std::vector<std::string_view> candidates;
    blob_.Entries(Blob::Field(shape, kb::kNKeys), [&](std::string_view key, std::uint32_t node) {
      if (Presence(RangesOf(blob_.Node(node)), range_) != Judgement::kNo) candidates.emplace_back(key);
    });
    issue.suggestion = ClosestKey(name, candidates);
    out_.push_back(std::move(issue));
  }

  const Blob& blob_;
  const VersionRange& range_;
  const KeyCheckOptions& options_;
  std::vector<KeyIssue>& out_;
};

}  // namespace

std::unique_ptr<KeyTable> KeyTable::FromBlob(std::string_view blob) {
  std::unique_ptr<KeyTable> table(new KeyTable(blob));
  table->Index();
  return table;
}

void KeyTable::Index() {
  const std::string_view data = blob_;
  if (data.size() < 4 * kb::kHeaderWords || data.size() % 4 != 0 || Load(data.data()) != kb::kMagic)
    throw std::runtime_error("key table: not a compiled table");
  const Blob blob(data);
  program_ = std::string(blob.Str(blob.Word(4 * kb::kHProgram)));
  strict_ = blob.Word(4 * kb::kHStrict) != 0;
  if (const std::uint32_t off = blob.Word(4 * kb::kHVersions))
    for (std::uint32_t i = 0, n = blob.Word(off); i < n; ++i)
      versions_.push_back(VersionAt(data.data() + off + 4 + 12 * i));
  std::sort(versions_.begin(), versions_.end());
}

const KeyTable* KeyTable::Get(std::string_view format) {
  static std::mutex mutex;
  // Never destroyed: the tables live until the process ends.
  static auto& tables = *new std::map<std::string, std::unique_ptr<KeyTable>, std::less<>>();
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = tables.find(format); it != tables.end()) return it->second.get();
  std::string_view blob = embedded::Get(fmt::format("knowledge/keys/{}.keys", format));
  std::unique_ptr<KeyTable> table = blob.empty() ? nullptr : FromBlob(blob);
  const KeyTable* out = table.get();
  tables.emplace(std::string(format), std::move(table));
  return out;
}

const KeyNode* KeyTable::Root(std::string_view name) const {
  const Blob blob(blob_);
  return blob.Node(blob.Find(blob.Word(4 * kb::kHRoots), name));
}

std::vector<std::string> KeyTable::RootNames() const {
  const Blob blob(blob_);
  std::vector<std::string> out;
  blob.Entries(blob.Word(4 * kb::kHRoots), [&](std::string_view name, std::uint32_t) { out.emplace_back(name); });
  return out;
}

std::vector<std::string> KeyTable::Validate() const {
  const Blob blob(blob_);
  const std::string_view data = blob.data();
  std::vector<std::string> errors;
  auto in_range = [&](std::uint32_t off, std::uint64_t bytes) {
    return off % 4 == 0 && off >= 4 * kb::kHeaderWords && off + bytes <= data.size();
  };
  auto check_string = [&](std::uint32_t off, const std::string& where) {
    if (off != 0 && (!in_range(off, 4) || !in_range(off, 4 + std::uint64_t{blob.Word(off)})))
      errors.push_back(where + ": a string out of the table");
  };
  auto check_index = [&](std::uint32_t off, const std::string& where, bool sorted) {
    if (off == 0) return false;
    if (!in_range(off, 4) || !in_range(off, 4 + 8 * std::uint64_t{blob.Word(off)})) {
      errors.push_back(where + ": an index out of the table");
      return false;
    }
    std::string_view previous;
    bool first = true;
    for (std::uint32_t i = 0, n = blob.Word(off); i < n; ++i) {
      check_string(blob.Word(off + 4 + 8 * i), where);
      if (!errors.empty()) return false;
      const std::string_view name = blob.Str(blob.Word(off + 4 + 8 * i));
      if (sorted && !first && !(previous < name)) errors.push_back(where + ": index not sorted at " + std::string(name));
      previous = name;
      first = false;
    }
    return errors.empty();
  };
  std::set<std::uint32_t> seen;
  std::vector<std::pair<std::uint32_t, std::string>> todo;
  auto visit = [&](std::uint32_t off, std::string where) {
    if (off != 0 && seen.insert(off).second) todo.emplace_back(off, std::move(where));
  };
  for (kb::Header h : {kb::kHRoots, kb::kHTypes}) {
    const std::uint32_t off = blob.Word(4 * h);
    if (check_index(off, h == kb::kHRoots ? "roots" : "types", true))
      blob.Entries(off, [&](std::string_view name, std::uint32_t node) { visit(node, std::string(name)); });
  }
  while (!todo.empty() && errors.empty()) {
    const std::uint32_t off = todo.back().first;
    const std::string where = std::move(todo.back().second);
    todo.pop_back();
    if (!in_range(off, 4 * kb::kNodeWords) ||
        !in_range(off, 4 * (kb::kNodeWords + std::uint64_t{kb::kRangeWords} * blob.Word(off + 4 * kb::kNRangeCount)))) {
      errors.push_back(where + ": a node out of the table");
      break;
    }
    const KeyNode* n = blob.Node(off);
    if (Blob::Field(n, kb::kNTypes) >= 2 * kAny) errors.push_back(where + ": unknown type bits");
    check_string(Blob::Field(n, kb::kNNote), where);
    if (const std::uint32_t keys = Blob::Field(n, kb::kNKeys); check_index(keys, where, true))
      blob.Entries(keys, [&](std::string_view name, std::uint32_t node) { visit(node, where + "." + std::string(name)); });
    if (const std::uint32_t patterns = Blob::Field(n, kb::kNPatterns); check_index(patterns, where, false))
      blob.Entries(patterns, [&](std::string_view pattern, std::uint32_t node) {
        if (!Pattern(pattern).ok()) errors.push_back(where + ": bad pattern " + std::string(pattern));
        visit(node, where + "." + std::string(pattern));
      });
    if (const std::uint32_t e = Blob::Field(n, kb::kNEnum); e != 0) {
      if (!in_range(e, 4) || !in_range(e, 4 + 4 * std::uint64_t{blob.Word(e)})) errors.push_back(where + ": enum out of the table");
      else for (std::uint32_t i = 0; i < blob.Word(e); ++i) check_string(blob.Word(e + 4 + 4 * i), where);
    }
    visit(Blob::Field(n, kb::kNValues), where + ".*");
    visit(Blob::Field(n, kb::kNItems), where + "[]");
    if (Blob::Field(n, kb::kNRef) != 0 && seen.count(Blob::Field(n, kb::kNRef)) == 0 &&
        !in_range(Blob::Field(n, kb::kNRef), 4 * kb::kNodeWords))
      errors.push_back(where + ": ref out of the table");
    visit(Blob::Field(n, kb::kNRef), where + " (ref)");
    for (const auto& [since, until] : RangesOf(n))
      if (until && !(since < *until)) errors.push_back(where + ": an empty range");
  }
  return errors;
}

Judgement::Kind KeyTable::Presence(const KeyNode* node, const VersionRange& r) {
  return node == nullptr ? Judgement::kNo : obslint::Presence(RangesOf(node), r);
}

std::optional<VersionRange> KeyTable::Coverage(const EffectiveVersion& v) const {
  if (!v.Known() || versions_.empty()) return std::nullopt;
  VersionRange r = v.range;
  // Releases after the newest the table knows are judged as the newest.
  if (versions_.back() < r.low) r = {versions_.back(), std::nullopt};
  if (r.high && *r.high <= versions_.front()) return std::nullopt;
  if (r.low < versions_.front()) return std::nullopt;  // partly older than the table: not judged
  return r;
}

std::vector<KeyIssue> CheckKeys(const KeyTable& table, const KeyNode* node,
                                const yaml::Node* value, const VersionRange& range,
                                const KeyCheckOptions& options) {
  std::vector<KeyIssue> out;
  if (node == nullptr) return out;
  const Blob blob(table.blob());
  Walker(blob, range, options, out).Walk(node, value, "", 0);
  return out;
}

std::string DescribeReleases(const Ranges& ranges) {
  std::string out;
  for (const auto& [since, until] : ranges) {
    if (!out.empty()) out += " and ";
    const bool from_start = since == Version{0, 0, 0, true};
    if (from_start && until) out += fmt::format("releases before {}", until->ToString());
    else if (!until) out += fmt::format("{} or newer", since.ToString());
    else out += fmt::format("{} up to (not including) {}", since.ToString(), until->ToString());
  }
  return out;
}

}  // namespace obslint
