#include "parse/yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <unordered_map>

namespace obslint::yaml {
namespace {

struct Stop {
  Issue issue;
};

// A tag written in the file ("!reset"), as opposed to yaml-cpp's "?" (plain)
// and "!" (quoted or block) markers and resolved standard tags.
bool IsLocalTag(const std::string& tag) { return tag.size() > 1 && tag[0] == '!' && tag[1] != '!'; }

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(Document& doc, const Limits& limits) : doc_(doc), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node& n = NewNode(Kind::kNull, mark);
    Remember(anchor, &n);
    Add(&n);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Node& n = NewNode(Kind::kNull, mark);
      Add(&n);
      return;
    }
    Add(it->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node& n = NewNode(Kind::kScalar, mark);
    n.scalar = value;
    // yaml-cpp tags plain scalars "?" and quoted or block scalars "!"; an
    // explicit local tag hides the style, and reads as plain.
    if (IsLocalTag(tag)) {
      n.tag = tag;
    } else {
      n.quoted = tag != "?";
    }
    if (!n.quoted && (value == "~" || value == "null" || value == "Null" || value == "NULL")) {
      n.kind = Kind::kNull;
      n.scalar.clear();
    }
    Remember(anchor, &n);
    Add(&n);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Node& n = NewNode(Kind::kSequence, mark);
    if (IsLocalTag(tag)) n.tag = tag;
    Remember(anchor, &n);
    Push(&n);
  }
  void OnSequenceEnd() override { Pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Node& n = NewNode(Kind::kMap, mark);
    if (IsLocalTag(tag)) n.tag = tag;
    Remember(anchor, &n);
    Push(&n);
  }
  void OnMapEnd() override {
    Frame& f = stack_.back();
    ApplyMerges(*f.node);
    Pop();
  }

 private:
  struct Frame {
    Node* node = nullptr;
    const Node* pending_key = nullptr;
    bool expect_key = true;
    std::unordered_map<std::string_view, const Node*> seen;  // map keys, for duplicates
  };

  Node& NewNode(Kind kind, const YAML::Mark& mark) {
    if (doc_.arena.size() >= limits_.max_nodes) {
      throw Stop{{Issue::Type::kTooLarge, mark.line + 1, mark.column + 1,
                  "document has more than " + std::to_string(limits_.max_nodes) + " nodes", 0, 0}};
    }
    Node& n = doc_.arena.emplace_back();
    n.kind = kind;
    n.line = mark.line + 1;
    n.column = mark.column + 1;
    n.origin = doc_.origin.get();
    return n;
  }

  void Remember(YAML::anchor_t anchor, const Node* node) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
  }

  void Push(Node* node) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      throw Stop{{Issue::Type::kTooDeep, node->line, node->column,
                  "nesting deeper than " + std::to_string(limits_.max_depth) + " levels", 0, 0}};
    }
    Add(node);
    Frame frame;
    frame.node = node;
    stack_.push_back(std::move(frame));
  }

  void Pop() {
    Node& n = *stack_.back().node;
    auto tagged = [](const Node* c) { return !c->tag.empty() || c->tags_below; };
    n.tags_below = std::any_of(n.items.begin(), n.items.end(), tagged) ||
                   std::any_of(n.entries.begin(), n.entries.end(),
                               [&](const auto& e) { return tagged(e.second); });
    stack_.pop_back();
  }

  void Add(const Node* node) {
    if (stack_.empty()) {
      if (doc_.root == nullptr) doc_.root = node;
      return;
    }
    Frame& f = stack_.back();
    if (f.node->kind == Kind::kSequence) {
      f.node->items.push_back(node);
      return;
    }
    if (f.expect_key) {
      f.pending_key = node;
      f.expect_key = false;
      return;
    }
    const Node* key = f.pending_key;
    f.expect_key = true;
    if (key->kind == Kind::kScalar && !(key->scalar == "<<" && !key->quoted)) {
      auto [it, inserted] = f.seen.emplace(key->scalar, key);
      if (!inserted) {
        doc_.issues.push_back({Issue::Type::kDuplicateKey, key->line, key->column,
                               "duplicate key \"" + key->scalar + "\"", it->second->line,
                               it->second->column});
        // Keep the last value, as yaml-cpp and Compose do, but only once.
        for (auto& entry : f.node->entries) {
          if (entry.first == it->second) {
            entry = {key, node};
            it->second = key;
            return;
          }
        }
      }
    }
    f.node->entries.emplace_back(key, node);
  }

  // `<<: *anchor` / `<<: [*a, *b]`: keys already in the map win, earlier
  // merge sources win over later ones. Entries are shared, not copied deeply.
  void ApplyMerges(Node& map) {
    std::vector<const Node*> sources;
    std::vector<std::pair<const Node*, const Node*>> kept;
    for (const auto& entry : map.entries) {
      if (entry.first->kind == Kind::kScalar && entry.first->scalar == "<<" && !entry.first->quoted) {
        if (entry.second->kind == Kind::kMap) sources.push_back(entry.second);
        if (entry.second->kind == Kind::kSequence)
          for (const Node* item : entry.second->items)
            if (item->kind == Kind::kMap) sources.push_back(item);
      } else {
        kept.push_back(entry);
      }
    }
    if (sources.empty()) return;
    std::unordered_map<std::string_view, bool> present;
    for (const auto& entry : kept)
      if (entry.first->kind == Kind::kScalar) present.emplace(entry.first->scalar, true);
    for (const Node* source : sources) {
      for (const auto& entry : source->entries) {
        if (entry.first->kind != Kind::kScalar) continue;
        if (present.emplace(entry.first->scalar, true).second) kept.push_back(entry);
      }
    }
    map.entries = std::move(kept);
  }

  Document& doc_;
  const Limits& limits_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, const Node*> anchors_;
};

// yaml-cpp messages start lower-case and sometimes end with a period.
std::string CleanMessage(std::string msg) {
  while (!msg.empty() && (msg.back() == '.' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

}  // namespace

void Parse(std::string_view text, Document& doc, const Limits& limits) {
  // yaml-cpp reads from a stream; this copy is the one unavoidable one.
  std::istringstream in{std::string(text)};
  if (!doc.origin) doc.origin = std::make_shared<Origin>();
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(doc, limits);
    parser.HandleNextDocument(builder);
  } catch (const Stop& stop) {
    doc.root = nullptr;
    doc.issues.push_back(stop.issue);
  } catch (const YAML::Exception& e) {
    doc.root = nullptr;
    doc.issues.push_back({Issue::Type::kSyntax, e.mark.line + 1, e.mark.column + 1,
                          CleanMessage(e.msg), 0, 0});
  } catch (const std::exception& e) {
    doc.root = nullptr;
    doc.issues.push_back({Issue::Type::kSyntax, 1, 1, CleanMessage(e.what()), 0, 0});
  }
}

}  // namespace obslint::yaml
