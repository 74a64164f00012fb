#include "parse/compose_merge.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "parse/compose.h"

namespace obslint::compose {
namespace {

using yaml::Kind;
using yaml::Node;

constexpr std::string_view kReset = "!reset";
constexpr std::string_view kOverride = "!override";

// How the value at a path merges (compose-go override/merge.go mergeSpecials).
enum class Rule {
  kDefault,     // mappings merge, sequences append, scalars are replaced
  kReplace,     // the later value wins whole (command, entrypoint, healthcheck.test)
  kKeyed,       // KEY=VALUE lists or KEY: VALUE mappings, merged by key (environment, labels)
  kToSequence,  // a string or a list, appended (dns, env_file, tmpfs)
  kDependsOn,   // names or a mapping of name to {condition, required}
  kNetworks,    // names or a mapping of name to settings
  kBuild,       // a context string or a mapping
  kLogging,     // options merge only when the driver stays the same
};

// What makes two items of a merged sequence the same (compose-go
// override/uncity.go): the later one replaces the earlier in its place.
enum class Unique { kNone, kValue, kKey, kPort, kMountTarget, kSecret, kConfig, kEnvFile, kDevice };

struct PathRule {
  Rule rule = Rule::kDefault;
  Unique unique = Unique::kNone;
  std::string_view separators = "=";  // kKeyed: between key and value in list form
};

PathRule RuleAt(const ModelPath& path) {
  PathRule r;
  if (path.empty()) return r;
  if ((path[0] == "networks" || path[0] == "volumes") && path.size() == 3 && path[2] == "labels") {
    r.rule = Rule::kKeyed;
    return r;
  }
  if (path[0] != "services" || path.size() < 3) return r;
  std::string_view key = path[2];
  if (path.size() == 3) {
    if (key == "command" || key == "entrypoint")
      r.rule = Rule::kReplace;
    else if (key == "environment" || key == "labels" || key == "annotations" || key == "sysctls")
      r.rule = Rule::kKeyed;
    else if (key == "extra_hosts")
      r = {Rule::kKeyed, Unique::kNone, "=:"};
    else if (key == "dns" || key == "dns_opt" || key == "dns_search" || key == "tmpfs")
      r = {Rule::kToSequence, Unique::kValue};
    else if (key == "env_file" || key == "label_file")
      r = {Rule::kToSequence, Unique::kEnvFile};
    else if (key == "depends_on")
      r.rule = Rule::kDependsOn;
    else if (key == "networks")
      r.rule = Rule::kNetworks;
    else if (key == "build")
      r.rule = Rule::kBuild;
    else if (key == "logging")
      r.rule = Rule::kLogging;
    else if (key == "ports")
      r.unique = Unique::kPort;
    else if (key == "volumes")
      r.unique = Unique::kMountTarget;
    else if (key == "devices")
      r.unique = Unique::kDevice;
    else if (key == "secrets")
      r.unique = Unique::kSecret;
    else if (key == "configs")
      r.unique = Unique::kConfig;
    else if (key == "expose" || key == "cap_add" || key == "cap_drop" || key == "profiles")
      r.unique = Unique::kValue;
    else if (key == "links")
      r.unique = Unique::kKey;
    return r;
  }
  if (path.size() == 4) {
    std::string_view sub = path[3];
    if (key == "healthcheck" && sub == "test")
      r.rule = Rule::kReplace;
    else if (key == "build" && (sub == "args" || sub == "labels" || sub == "additional_contexts"))
      r.rule = Rule::kKeyed;
    else if (key == "build" && sub == "extra_hosts")
      r = {Rule::kKeyed, Unique::kNone, "=:"};
    else if (key == "deploy" && sub == "labels")
      r.rule = Rule::kKeyed;
    return r;
  }
  if (path.size() == 5 && key == "networks" && path[4] == "aliases") r.unique = Unique::kValue;
  return r;
}

}  // namespace

void RefreshTags(Node& node);

namespace {

bool Tagged(const Node* n, std::string_view tag) { return n != nullptr && n->tag == tag; }

class Merger {
 public:
  explicit Merger(const MergeContext& context) : c_(context) {}

  const Node* Value(const Node* base, const Node* over, ModelPath& path) {
    if (over == nullptr) return base;
    if (Tagged(over, kOverride)) return over;
    if (base == nullptr) return Tags(over);
    PathRule rule = RuleAt(path);
    switch (rule.rule) {
      case Rule::kReplace:
        return Tags(over);
      case Rule::kKeyed:
        return over->IsNull() ? base : Keyed(base, over, rule.separators);
      case Rule::kToSequence:
        if (over->IsNull()) return base;
        return Sequence(AsSequence(base), AsSequence(over), rule.unique);
      case Rule::kDependsOn:
      case Rule::kNetworks:
        if (over->IsNull()) return base;
        return Named(base, over, path, rule.rule == Rule::kDependsOn);
      case Rule::kBuild:
        if (over->IsNull()) return base;
        return Map(AsBuildMap(base), AsBuildMap(over), path);
      case Rule::kLogging:
        if (base->IsMap() && over->IsMap()) {
          const Node* a = base->Get("driver");
          const Node* b = over->Get("driver");
          if (a && b && Text(a) != Text(b)) return Tags(over);
        }
        break;
      case Rule::kDefault:
        break;
    }
    if (over->IsNull()) return base;
    if (base->IsMap() && over->IsMap()) return Map(base, over, path);
    if (base->IsSequence() && over->IsSequence()) return Sequence(base, over, rule.unique);
    return Tags(over);  // scalars, and a change of kind (Compose refuses that; the later wins here)
  }

  // `n` without its `!reset` values (kept as they are for a later merge
  // when the context says so).
  const Node* Tags(const Node* n) {
    if (n == nullptr || c_.keep_resets || !HasMergeTags(n)) return n;
    if (n->IsMap()) {
      Node& out = Copy(n);
      out.entries.clear();
      for (const auto& [k, v] : n->entries) {
        if (Tagged(v, kReset)) continue;
        out.entries.emplace_back(k, Tagged(v, kOverride) ? v : Tags(v));
      }
      return Done(out);
    }
    if (n->IsSequence()) {
      Node& out = Copy(n);
      out.items.clear();
      for (const Node* item : n->items)
        if (!Tagged(item, kReset)) out.items.push_back(Tagged(item, kOverride) ? item : Tags(item));
      return Done(out);
    }
    return n;
  }

 private:
  // A node this merge built, its tag flag brought up to date.
  static const Node* Done(Node& n) {
    RefreshTags(n);
    return &n;
  }

  Node& Copy(const Node* n) {
    Node& out = c_.arena->emplace_back(*n);
    out.tag.clear();
    return out;
  }

  Node& Synthetic(Kind kind, const Node* at) {
    Node& n = c_.arena->emplace_back();
    n.kind = kind;
    n.line = at->line;
    n.column = at->column;
    n.origin = at->origin;
    return n;
  }

  std::string Text(const Node* n) const {
    if (n == nullptr || !n->IsScalar()) return {};
    return c_.text ? c_.text(n) : n->scalar;
  }

  // Mappings: entries of `base` in order, each merged with the same key of
  // `over`; keys only `over` has are appended. `!reset` removes a key.
  const Node* Map(const Node* base, const Node* over, ModelPath& path) {
    Node& out = Copy(base);
    // Keys of the result, for a lookup per key of `over` (a services
    // mapping may hold thousands).
    std::unordered_map<std::string_view, size_t> index;
    index.reserve(out.entries.size() + over->entries.size());
    for (size_t i = 0; i < out.entries.size(); ++i)
      if (out.entries[i].first->IsScalar()) index.emplace(out.entries[i].first->scalar, i);
    std::vector<bool> removed(out.entries.size(), false);
    for (const auto& [k, v] : over->entries) {
      if (!k->IsScalar()) continue;
      auto it = index.find(k->scalar);
      if (Tagged(v, kReset)) {
        if (it != index.end()) {
          removed[it->second] = true;
          index.erase(it);
        }
        if (c_.keep_resets) {
          out.entries.emplace_back(k, v);
          removed.push_back(false);
        }
        continue;
      }
      if (it == index.end()) {
        index.emplace(k->scalar, out.entries.size());
        out.entries.emplace_back(k, Tagged(v, kOverride) ? v : Tags(v));
        removed.push_back(false);
        continue;
      }
      path.push_back(k->scalar);
      out.entries[it->second].second = Value(out.entries[it->second].second, v, path);
      path.pop_back();
    }
    size_t kept = 0;
    for (size_t i = 0; i < out.entries.size(); ++i)
      if (!removed[i]) out.entries[kept++] = out.entries[i];
    out.entries.resize(kept);
    return Done(out);
  }

  const Node* AsSequence(const Node* n) {
    if (n->IsSequence()) return n;
    Node& seq = Synthetic(Kind::kSequence, n);
    if (!n->IsNull()) seq.items.push_back(n);
    return Done(seq);
  }

  const Node* AsBuildMap(const Node* n) {
    if (!n->IsScalar()) return n;
    Node& map = Synthetic(Kind::kMap, n);
    Node& key = Synthetic(Kind::kScalar, n);
    key.scalar = "context";
    map.entries.emplace_back(&key, n);
    return Done(map);
  }

  // Sequences append; with a uniqueness key a later item replaces the
  // earlier one in its place.
  const Node* Sequence(const Node* base, const Node* over, Unique unique) {
    Node& out = Copy(base);
    std::vector<std::string> keys;
    if (unique != Unique::kNone)
      for (const Node* item : out.items) keys.push_back(UniqueKey(item, unique));
    for (const Node* item : over->items) {
      if (Tagged(item, kReset)) continue;
      const Node* value = Tagged(item, kOverride) ? item : Tags(item);
      if (unique != Unique::kNone) {
        std::string key = UniqueKey(value, unique);
        auto same = std::find(keys.begin(), keys.end(), key);
        if (!key.empty() && same != keys.end()) {
          out.items[static_cast<size_t>(same - keys.begin())] = value;
          continue;
        }
        keys.push_back(std::move(key));
      }
      out.items.push_back(value);
    }
    return Done(out);
  }

  std::string UniqueKey(const Node* item, Unique unique) {
    auto field = [&](std::string_view name) { return item->IsMap() ? Text(item->Get(name)) : ""; };
    switch (unique) {
      case Unique::kNone:
        return {};
      case Unique::kValue:
        return item->IsScalar() ? Text(item) : std::string();
      case Unique::kKey: {
        std::string text = Text(item);
        return text.substr(0, text.find('='));
      }
      case Unique::kPort:
        if (item->IsScalar()) return Text(item);
        if (item->IsMap()) {
          std::string ip = field("host_ip"), protocol = field("protocol");
          return (ip.empty() ? "0.0.0.0" : ip) + ":" + field("published") + ":" + field("target") +
                 "/" + (protocol.empty() ? "tcp" : protocol);
        }
        return {};
      case Unique::kMountTarget:
        if (item->IsScalar()) return ParseVolumeSpec(Text(item)).target;
        return field("target");
      case Unique::kDevice: {
        if (item->IsMap()) return field("target");
        std::string text = Text(item);
        size_t colon = text.find(':');
        if (colon == std::string::npos) return text;
        return text.substr(colon + 1, text.find(':', colon + 1) - colon - 1);
      }
      case Unique::kSecret:
      case Unique::kConfig: {
        std::string dir = unique == Unique::kSecret ? "/run/secrets/" : "/";
        if (item->IsScalar()) return dir + Text(item);
        std::string target = field("target");
        return target.empty() ? dir + field("source") : target;
      }
      case Unique::kEnvFile:
        return item->IsMap() ? field("path") : Text(item);
    }
    return {};
  }

  // One entry of a KEY=VALUE list or a KEY: VALUE mapping.
  struct KeyedEntry {
    std::string key;
    const Node* key_node = nullptr;    // mapping form
    const Node* value_node = nullptr;  // mapping form (may be null)
    const Node* item = nullptr;        // list form
  };

  std::vector<KeyedEntry> Entries(const Node* n, std::string_view separators) {
    std::vector<KeyedEntry> out;
    if (n->IsMap()) {
      for (const auto& [k, v] : n->entries)
        if (k->IsScalar()) out.push_back({k->scalar, k, v, nullptr});
    } else if (n->IsSequence()) {
      for (const Node* item : n->items) {
        if (!item->IsScalar()) continue;
        std::string text = Text(item);
        out.push_back({text.substr(0, text.find_first_of(separators)), nullptr, nullptr, item});
      }
    }
    return out;
  }

  // A list item `KEY=VALUE` as a mapping entry, positioned on the item's text.
  std::pair<const Node*, const Node*> AsEntry(const KeyedEntry& e, std::string_view separators) {
    if (e.key_node != nullptr) return {e.key_node, e.value_node};
    const Node* item = e.item;
    const std::string& text = item->scalar;
    size_t sep = text.find_first_of(separators);
    int column = item->column + (item->quoted ? 1 : 0);
    Node& key = Synthetic(Kind::kScalar, item);
    key.scalar = text.substr(0, sep);
    key.column = column;
    key.quoted = true;
    Node& value = Synthetic(sep == std::string::npos ? Kind::kNull : Kind::kScalar, item);
    if (sep != std::string::npos) {
      value.scalar = text.substr(sep + 1);
      value.column = column + static_cast<int>(sep) + 1;
      value.quoted = true;
      if (text.find('\n') != std::string::npos) value.column = item->column;
    }
    return {&key, &value};
  }

  // environment, labels, ...: the later value of a key wins, null included
  // (`KEY:` then takes it from the shell). Both lists stay a list; a mapping
  // on either side makes the result a mapping.
  const Node* Keyed(const Node* base, const Node* over, std::string_view separators) {
    std::vector<KeyedEntry> a = Entries(base, separators);
    std::vector<KeyedEntry> b = Entries(over, separators);
    for (const Node* item : over->items)
      if (Tagged(item, kReset))
        std::erase_if(b, [&](const KeyedEntry& e) { return e.item == item; });
    std::vector<KeyedEntry> reset;
    if (over->IsMap())
      for (const auto& [k, v] : over->entries)
        if (Tagged(v, kReset) && k->IsScalar()) reset.push_back({k->scalar, k, v, nullptr});
    std::erase_if(b, [&](const KeyedEntry& e) { return Tagged(e.value_node, kReset); });
    for (const KeyedEntry& r : reset)
      std::erase_if(a, [&](const KeyedEntry& e) { return e.key == r.key; });
    if (c_.keep_resets && !(base->IsSequence() && over->IsSequence()))
      for (const KeyedEntry& r : reset) a.push_back(r);
    for (KeyedEntry& e : b) {
      auto same =
          std::find_if(a.begin(), a.end(), [&](const KeyedEntry& x) { return x.key == e.key; });
      if (same != a.end())
        *same = e;
      else
        a.push_back(e);
    }
    bool list = base->IsSequence() && over->IsSequence();
    Node& out = Copy(base->IsMap() || list ? base : over);
    out.kind = list ? Kind::kSequence : Kind::kMap;
    out.items.clear();
    out.entries.clear();
    out.scalar.clear();
    for (const KeyedEntry& e : a) {
      if (list)
        out.items.push_back(e.item);
      else
        out.entries.push_back(AsEntry(e, separators));
    }
    return Done(out);
  }

  // depends_on / networks: a list of names is a mapping of each name to
  // nothing. A later plain name keeps the earlier settings for a network and
  // resets them for a dependency (compose-go gives it the default
  // condition, service_started).
  const Node* Named(const Node* base, const Node* over, ModelPath& path, bool later_name_resets) {
    if (base->IsSequence() && over->IsSequence()) return Sequence(base, over, Unique::kValue);
    const Node* a = AsNamedMap(base);
    const Node* b = AsNamedMap(over);
    Node& out = Copy(a);
    for (const auto& [k, v] : b->entries) {
      if (!k->IsScalar()) continue;
      const std::string& name = k->scalar;  // clang 14 cannot capture a binding
      auto it = std::find_if(out.entries.begin(), out.entries.end(), [&](const auto& e) {
        return e.first->IsScalar() && e.first->scalar == name;
      });
      if (Tagged(v, kReset)) {
        if (it != out.entries.end()) out.entries.erase(it);
        if (c_.keep_resets) out.entries.emplace_back(k, v);
        continue;
      }
      if (it == out.entries.end()) {
        out.entries.emplace_back(k, Tags(v));
      } else if (v->IsMap() && it->second->IsMap() && !Tagged(v, kOverride)) {
        path.push_back(k->scalar);
        it->second = Map(it->second, v, path);
        path.pop_back();
      } else if (v->IsMap() || later_name_resets) {
        *it = {k, Tags(v)};
      }
    }
    return Done(out);
  }

  const Node* AsNamedMap(const Node* n) {
    if (!n->IsSequence()) return n;
    Node& map = Synthetic(Kind::kMap, n);
    for (const Node* item : n->items) {
      if (!item->IsScalar() || Tagged(item, kReset)) continue;
      map.entries.emplace_back(item, &Synthetic(Kind::kNull, item));
    }
    return Done(map);
  }

  const MergeContext& c_;
};

}  // namespace

bool HasMergeTags(const Node* node) {
  return node != nullptr && (!node->tag.empty() || node->tags_below);
}

void RefreshTags(Node& node) {
  auto tagged = [](const Node* c) { return c != nullptr && (!c->tag.empty() || c->tags_below); };
  node.tags_below = std::any_of(node.items.begin(), node.items.end(), tagged) ||
                    std::any_of(node.entries.begin(), node.entries.end(),
                                [&](const auto& e) { return tagged(e.second); });
}

const Node* Merge(const Node* base, const Node* over, ModelPath& path,
                  const MergeContext& context) {
  Merger m(context);
  if (base == nullptr) return Tagged(over, kReset) ? nullptr : m.Tags(over);
  return m.Value(base, over, path);
}

const Node* ApplyTags(const Node* node, const MergeContext& context) {
  Merger m(context);
  return m.Tags(node);
}

}  // namespace obslint::compose
