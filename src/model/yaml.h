// obslint's own YAML tree: the nodes every model and rule reads, with exact
// positions (parse/yaml.h builds them from yaml-cpp parser events).
//
// Why not YAML::Node: yaml-cpp silently keeps one of two duplicate keys
// (OBS102 needs both), copies aliases when iterating (alias bombs), and has no
// end positions. Building the tree from events gives positions for keys and
// values, shares aliased nodes instead of expanding them, applies merge keys
// (`<<`) by reference, and bounds depth and size.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/location.h"

namespace obslint::yaml {

enum class Kind { kNull, kScalar, kSequence, kMap };

// The file a node was written in. Every node of a parsed document points at
// its document's Origin, so a tree merged from several files (Compose `-f`,
// `extends`, `include`) still knows where each of its values comes from.
struct Origin {
  std::string file;  // display path; "" until the loader names it
};

struct Node {
  Kind kind = Kind::kNull;
  std::string scalar;   // kScalar: the text (also "" for kNull)
  bool quoted = false;  // scalar written with quotes / block style (always a string)
  int line = 0;         // 1-based start
  int column = 0;       // 1-based start
  // Explicit local tag ("!reset", "!override"); "" when none. Standard tags
  // (!!str ...) are not kept: they only decide `quoted`.
  std::string tag;
  bool tags_below = false;  // some value or item below carries an explicit tag
  const Origin* origin = nullptr;  // the document's; nullptr for nodes built by hand
  std::vector<const Node*> items;                            // kSequence
  std::vector<std::pair<const Node*, const Node*>> entries;  // kMap (key, value), merges applied

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  // Value of key `key` in a map; nullptr when absent or not a map.
  const Node* Get(std::string_view key) const;
  // Key node of `key` (for positions); nullptr when absent.
  const Node* KeyNode(std::string_view key) const;
  // Scalar text when this is an unquoted "true"/"false"/... boolean.
  bool IsTrue() const;
  // Human name of the kind for messages: "a mapping", "a list", ...
  std::string_view KindName() const;
};

struct Issue {
  enum class Type { kSyntax, kDuplicateKey, kTooDeep, kTooLarge };
  Type type;
  int line = 0;
  int column = 0;
  std::string message;
  int other_line = 0;  // duplicate key: the first occurrence
  int other_column = 0;
};

struct Document {
  const Node* root = nullptr;  // nullptr for an empty document or a syntax error
  std::vector<Issue> issues;
  std::deque<Node> arena;  // owns every node; deque keeps addresses stable
  // Shared by every node of the document; a pointer so that moving or
  // copying the document keeps the nodes' origin valid.
  std::shared_ptr<Origin> origin;
};

// Location of a node, with the end column of a one-line scalar. The file is
// the node's origin when it has one (merged trees), else `file`.
Location LocationOf(const Node* node, const std::string& file);
// The display path of the file a node comes from ("" when unknown).
const std::string& FileOf(const Node* node);

}  // namespace obslint::yaml
