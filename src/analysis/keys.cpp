#include "analysis/keys.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <re2/re2.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

#include "embed/embedded.h"

namespace obslint {

namespace {

enum KeyType : unsigned {
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
constexpr unsigned kScalars = kString | kInt | kFloat | kBool | kDuration | kPromDuration | kSize;

unsigned TypeBit(std::string_view name) {
  static const std::map<std::string_view, unsigned> kTypes = {
      {"map", kMap},          {"list", kList},       {"string", kString},
      {"int", kInt},          {"float", kFloat},     {"bool", kBool},
      {"duration", kDuration}, {"prom_duration", kPromDuration}, {"size", kSize},
      {"any", kAny}};
  auto it = kTypes.find(name);
  if (it == kTypes.end()) throw std::runtime_error(fmt::format("key table: unknown type \"{}\"", name));
  return it->second;
}

using Ranges = std::vector<std::pair<Version, std::optional<Version>>>;

}  // namespace

struct KeyNode {
  unsigned types = 0;  // 0: decided by the fields (map when keys/values/open, else any)
  std::vector<std::pair<std::string, const KeyNode*>> keys;  // sorted by name
  const KeyNode* values = nullptr;
  const KeyNode* items = nullptr;
  std::vector<std::pair<std::shared_ptr<const RE2>, const KeyNode*>> patterns;
  bool open = false;
  std::vector<std::string> enum_values;
  std::string ref_name;
  const KeyNode* ref = nullptr;
  Ranges ranges;  // releases that accept the key; empty = every one
  std::string note;

  const KeyNode* Child(std::string_view name) const {
    auto it = std::lower_bound(keys.begin(), keys.end(), name,
                               [](const auto& entry, std::string_view n) { return entry.first < n; });
    return it != keys.end() && it->first == name ? it->second : nullptr;
  }
};

// Roots and shared types are built from the parsed JSON when first asked
// for: a stack that runs three collector components builds those three, not
// the hundred the table knows.
struct KeyTable::Impl {
  std::string text;            // the JSON, parsed in place: `doc` points into it
  rapidjson::Document doc;
  const rapidjson::Value* json_types = nullptr;
  const rapidjson::Value* json_roots = nullptr;
  std::mutex mutex;            // guards everything below (stacks lint in parallel)
  std::deque<KeyNode> nodes;
  std::map<std::string, const KeyNode*, std::less<>> types;
  std::map<std::string, const KeyNode*, std::less<>> roots;  // built so far (nullptr: absent)
};

namespace {

using rapidjson::Value;

std::string Text(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsDouble()) return fmt::format("{}", v.GetDouble());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return "";
}

class Parser {
 public:
  explicit Parser(KeyTable::Impl& impl) : impl_(impl) {}

  const KeyNode* Node(const Value& v) {
    KeyNode& n = impl_.nodes.emplace_back();
    Fill(n, v);
    return &n;
  }

  // The shared type `name`, built once; registered before it is filled, so
  // a type that refers to itself resolves to itself.
  const KeyNode* Type(const std::string& name) {
    if (auto it = impl_.types.find(name); it != impl_.types.end()) return it->second;
    const Value* types = impl_.json_types;
    auto m = types ? types->FindMember(name.c_str()) : Value::ConstMemberIterator();
    if (types == nullptr || m == types->MemberEnd())
      throw std::runtime_error("key table: unknown ref \"" + name + "\"");
    KeyNode& n = impl_.nodes.emplace_back();
    impl_.types.emplace(name, &n);
    Fill(n, m->value);
    return &n;
  }

 private:
  void Fill(KeyNode& n, const Value& v) {
    if (!v.IsObject()) throw std::runtime_error("key table: a node is not an object");
    std::optional<Version> since, until;
    for (const auto& m : v.GetObject()) {
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      const Value& x = m.value;
      if (key == "type") {
        if (x.IsArray()) {
          for (const Value& t : x.GetArray()) n.types |= TypeBit(Text(t));
        } else {
          n.types |= TypeBit(Text(x));
        }
      } else if (key == "keys" && x.IsObject()) {
        for (const auto& k : x.GetObject())
          n.keys.emplace_back(std::string(k.name.GetString(), k.name.GetStringLength()), Node(k.value));
        std::sort(n.keys.begin(), n.keys.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
      } else if (key == "values") {
        n.values = Node(x);
      } else if (key == "items") {
        n.items = Node(x);
      } else if (key == "pattern_keys" && x.IsObject()) {
        for (const auto& p : x.GetObject()) {
          auto re = std::make_shared<const RE2>(std::string(p.name.GetString(), p.name.GetStringLength()));
          if (!re->ok()) throw std::runtime_error("key table: bad pattern " + re->pattern());
          n.patterns.emplace_back(std::move(re), Node(p.value));
        }
      } else if (key == "open") {
        n.open = x.IsBool() && x.GetBool();
      } else if (key == "enum" && x.IsArray()) {
        for (const Value& e : x.GetArray()) n.enum_values.push_back(Text(e));
      } else if (key == "ref") {
        n.ref_name = Text(x);
        n.ref = Type(n.ref_name);
      } else if (key == "since") {
        since = Version::Parse(Text(x));
      } else if (key == "until") {
        until = Version::Parse(Text(x));
      } else if (key == "ranges" && x.IsArray()) {
        for (const Value& r : x.GetArray()) {
          if (!r.IsArray() || r.Size() != 2) continue;
          std::optional<Version> hi;
          if (!r[1].IsNull()) hi = Version::Parse(Text(r[1]));
          n.ranges.emplace_back(Version::Parse(Text(r[0])), hi);
        }
      } else if (key == "note") {
        n.note = Text(x);
      }
    }
    if (n.ranges.empty() && (since || until))
      n.ranges.emplace_back(since ? *since : Version{0, 0, 0, true}, until);
  }

  KeyTable::Impl& impl_;
};

// The node that describes the shape (a ref's target); ranges and notes stay
// with the referring node.
const KeyNode& Shape(const KeyNode& n) {
  const KeyNode* s = &n;
  for (int guard = 0; s->ref != nullptr && guard < 64; ++guard) s = s->ref;
  return *s;
}

unsigned TypesOf(const KeyNode& shape) {
  if (shape.types != 0) return shape.types;
  if (!shape.keys.empty() || shape.values || shape.open || !shape.patterns.empty()) return kMap;
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

std::string Expected(unsigned types, const std::vector<std::string>& enum_values) {
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
  Walker(const VersionRange& range, const KeyCheckOptions& options, std::vector<KeyIssue>& out)
      : range_(range), options_(options), out_(out) {}

  void Walk(const KeyNode& node, const yaml::Node* v, const std::string& path, int depth) {
    if (v == nullptr || v->IsNull() || depth > 64) return;
    const KeyNode& shape = Shape(node);
    const unsigned types = TypesOf(shape);
    if (types & kAny) return;
    if (v->IsMap()) {
      if (!(types & kMap)) {
        ReportShape(v, path, types, shape.enum_values);
        return;
      }
      if (shape.open) return;
      for (const auto& [k, val] : v->entries) {
        if (k == nullptr || !k->IsScalar()) continue;
        Key(shape, k, val, path, depth);
      }
    } else if (v->IsSequence()) {
      if (!(types & kList)) {
        ReportShape(v, path, types, shape.enum_values);
        return;
      }
      if (shape.items != nullptr)
        for (size_t i = 0; i < v->items.size(); ++i)
          Walk(*shape.items, v->items[i], fmt::format("{}[{}]", path, i), depth + 1);
    } else if (v->IsScalar()) {
      if (Templated(v->scalar)) return;  // expanded at run time: any shape
      if (!(types & kScalars)) {
        if ((types & kList) && options_.scalar_to_list) return;
        // A scalar where only a map or a list is accepted. An empty string
        // decodes as "nothing set" in the programs covered.
        if (!v->scalar.empty()) ReportShape(v, path, types, shape.enum_values);
        return;
      }
      if (!options_.check_values) return;
      if (!shape.enum_values.empty()) {
        if (std::find(shape.enum_values.begin(), shape.enum_values.end(), v->scalar) ==
            shape.enum_values.end()) {
          KeyIssue issue;
          issue.kind = KeyIssue::Kind::kValue;
          issue.value = v;
          issue.path = path;
          issue.expected = Expected(types, shape.enum_values);
          issue.suggestion = ClosestKey(v->scalar, shape.enum_values);
          out_.push_back(std::move(issue));
        }
        return;
      }
      if (!ScalarFits(v->scalar, v->quoted, types)) {
        KeyIssue issue;
        issue.kind = KeyIssue::Kind::kValue;
        issue.value = v;
        issue.path = path;
        issue.expected = Expected(types, shape.enum_values);
        out_.push_back(std::move(issue));
      }
    }
  }

 private:
  void ReportShape(const yaml::Node* v, const std::string& path, unsigned types,
                   const std::vector<std::string>& enum_values) {
    if (!options_.check_values) return;
    KeyIssue issue;
    issue.kind = KeyIssue::Kind::kShape;
    issue.value = v;
    issue.path = path;
    issue.expected = Expected(types, enum_values);
    out_.push_back(std::move(issue));
  }

  void Key(const KeyNode& shape, const yaml::Node* k, const yaml::Node* val,
           const std::string& parent, int depth) {
    const std::string& name = k->scalar;
    const std::string path = parent.empty() ? name : parent + "." + name;
    const KeyNode* child = shape.Child(name);
    if (child != nullptr) {
      const Judgement::Kind presence = Presence(child->ranges, range_);
      if (presence == Judgement::kYes) {
        Walk(*child, val, path, depth + 1);
        return;
      }
      if (presence == Judgement::kPartly) {
        if (options_.report_partly) {
          KeyIssue issue;
          issue.kind = KeyIssue::Kind::kPartly;
          issue.key = k;
          issue.path = path;
          issue.accepted_in = child->ranges;
          for (const auto& [since, until] : child->ranges) {
            VersionRange part = range_.Intersect(since, until);
            if (!part.Empty()) {
              issue.where = part;
              break;
            }
          }
          issue.note = child->note;
          out_.push_back(std::move(issue));
        }
        Walk(*child, val, path, depth + 1);
        return;
      }
      // Not accepted at these releases: it may still be one of the keys a
      // pattern or `values` accepts.
    }
    for (const auto& [re, node] : shape.patterns) {
      if (RE2::PartialMatch(name, *re)) {
        Walk(*node, val, path, depth + 1);
        return;
      }
    }
    if (shape.values != nullptr) {
      Walk(*shape.values, val, path, depth + 1);
      return;
    }
    if (shape.open) return;
    KeyIssue issue;
    issue.key = k;
    issue.path = path;
    if (child != nullptr) {
      // A key of other releases: what to use instead is the note's to say,
      // not a look-alike's.
      issue.kind = KeyIssue::Kind::kOtherReleases;
      issue.accepted_in = child->ranges;
      issue.note = child->note;
      out_.push_back(std::move(issue));
      return;
    }
    issue.kind = KeyIssue::Kind::kUnknown;
    std::vector<std::string> candidates;
    for (const auto& [key, node] : shape.keys)
      if (Presence(node->ranges, range_) != Judgement::kNo) candidates.push_back(key);
    issue.suggestion = ClosestKey(name, candidates);
    out_.push_back(std::move(issue));
  }

  const VersionRange& range_;
  const KeyCheckOptions& options_;
  std::vector<KeyIssue>& out_;
};

}  // namespace

KeyTable::KeyTable() : impl_(std::make_unique<Impl>()) {}
KeyTable::~KeyTable() = default;

std::unique_ptr<KeyTable> KeyTable::FromJson(std::string_view json) {
  auto table = std::make_unique<KeyTable>();
  // Parsed in place in the table's own copy (the document's strings point
  // into it and both live as long as the table): no string is copied twice.
  KeyTable::Impl& impl = *table->impl_;
  impl.text = std::string(json);
  impl.doc.ParseInsitu(impl.text.data());
  table->Index();
  return table;
}

std::unique_ptr<KeyTable> KeyTable::FromStatic(const char* json) {
  // Text that outlives the process's use of it (the embedded tables): read
  // where it lies with rapidjson's string stream, no copy of the whole text;
  // short strings are kept inside the values.
  auto table = std::make_unique<KeyTable>();
  table->impl_->doc.Parse(json);
  table->Index();
  return table;
}

void KeyTable::Index() {
  const rapidjson::Document& doc = impl_->doc;
  if (doc.HasParseError() || !doc.IsObject()) throw std::runtime_error("key table: malformed JSON");
  if (auto it = doc.FindMember("program"); it != doc.MemberEnd()) program_ = Text(it->value);
  if (auto it = doc.FindMember("strict"); it != doc.MemberEnd())
    strict_ = it->value.IsBool() && it->value.GetBool();
  if (auto it = doc.FindMember("versions"); it != doc.MemberEnd() && it->value.IsArray())
    for (const Value& v : it->value.GetArray()) versions_.push_back(Version::Parse(Text(v)));
  std::sort(versions_.begin(), versions_.end());
  if (auto it = doc.FindMember("types"); it != doc.MemberEnd() && it->value.IsObject())
    impl_->json_types = &it->value;
  if (auto it = doc.FindMember("roots"); it != doc.MemberEnd() && it->value.IsObject())
    impl_->json_roots = &it->value;
}

const KeyTable* KeyTable::Get(std::string_view format) {
  static std::mutex mutex;
  // Never destroyed: the tables live until the process ends, and freeing
  // thousands of nodes at exit would only cost time.
  static auto& tables = *new std::map<std::string, std::unique_ptr<KeyTable>, std::less<>>();
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = tables.find(format); it != tables.end()) return it->second.get();
  std::string_view json = embedded::Get(fmt::format("knowledge/keys/{}.json", format));
  // Embedded files end with a NUL byte after their last character.
  std::unique_ptr<KeyTable> table = json.empty() ? nullptr : FromStatic(json.data());
  const KeyTable* out = table.get();
  tables.emplace(std::string(format), std::move(table));
  return out;
}

const KeyNode* KeyTable::Root(std::string_view name) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto it = impl_->roots.find(name); it != impl_->roots.end()) return it->second;
  const KeyNode* node = nullptr;
  if (const Value* roots = impl_->json_roots) {
    const std::string key(name);
    if (auto m = roots->FindMember(key.c_str()); m != roots->MemberEnd())
      node = Parser(*impl_).Node(m->value);
  }
  impl_->roots.emplace(std::string(name), node);
  return node;
}

std::vector<std::string> KeyTable::RootNames() const {
  std::vector<std::string> out;
  if (const Value* roots = impl_->json_roots)
    for (const auto& m : roots->GetObject()) out.emplace_back(m.name.GetString(), m.name.GetStringLength());
  return out;
}

Judgement::Kind KeyTable::Presence(const KeyNode* node, const VersionRange& r) {
  return node == nullptr ? Judgement::kNo : obslint::Presence(node->ranges, r);
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
  (void)table;
  std::vector<KeyIssue> out;
  if (node == nullptr) return out;
  Walker(range, options, out).Walk(*node, value, "", 0);
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

int KeyDistance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 99;
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string ClosestKey(std::string_view key, const std::vector<std::string>& candidates) {
  // Close enough to be a typo: one edit in a short word, two in a longer one,
  // or the same letters in another case ("isdefault" / "isDefault").
  const int allowed = key.size() <= 4 ? 1 : key.size() <= 12 ? 2 : 3;
  std::string best;
  int best_distance = 99;
  bool tie = false;
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string key_lower = lower(key);
  for (const std::string& c : candidates) {
    if (c == key) continue;
    int d = lower(c) == key_lower ? 0 : KeyDistance(key, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
      tie = false;
    } else if (d == best_distance) {
      tie = true;
    }
  }
  if (best_distance > allowed || (tie && best_distance > 0)) return "";
  return best;
}

}  // namespace obslint
