// obslint's positioned JSON tree (Grafana dashboards).
//
// Every value knows the byte range it was written at, so a rule can point at
// a panel's `datasource` exactly like it points at a YAML key. The tree is
// built from rapidjson SAX events and views the text it was parsed from (the
// SourceFile's content, which outlives it): a string without escapes is not
// copied at all, one with escapes is decoded once into `decoded`. A node is
// 48 bytes in one flat vector, so a 200 KB dashboard costs a few hundred KB.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace obslint::json {

enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

// One value. Children of an array or object are linked through
// `first_child` / `next_sibling` (indexes into Document::nodes, kNone = end);
// an object's children carry their member key. Key and text are read through
// Document::Key / Document::Text.
struct Node {
  static constexpr uint32_t kNone = UINT32_MAX;

  Kind kind = Kind::kNull;
  bool boolean = false;       // kBool
  bool text_decoded = false;  // the text had escapes: it lives in Document::decoded
  bool key_decoded = false;
  uint32_t begin = 0;         // byte offset of the value's first character
  uint32_t end = 0;           // byte offset just past its last character
  uint32_t key_begin = 0;     // member of an object: offset of the key's opening quote
  uint32_t key_end = 0;       //   ... and just past its closing quote
  uint32_t text_offset = 0;   // kString / kNumber: where the text is (source or decoded)
  uint32_t text_size = 0;
  uint32_t key_offset = 0;
  uint32_t key_size = 0;
  uint32_t first_child = kNone;
  uint32_t next_sibling = kNone;
  uint32_t size = 0;          // kArray / kObject: number of children

  bool IsObject() const { return kind == Kind::kObject; }
  bool IsArray() const { return kind == Kind::kArray; }
  bool IsString() const { return kind == Kind::kString; }
  bool IsNull() const { return kind == Kind::kNull; }
};

struct Error {
  bool failed = false;
  uint32_t offset = 0;
  std::string message;
};

struct Document {
  std::string_view source;  // the text it was parsed from (not owned)
  std::string decoded;      // strings and keys that held escapes, decoded
  std::vector<Node> nodes;  // nodes[0] is the root when parsing succeeded
  Error error;

  const Node* Root() const { return nodes.empty() || error.failed ? nullptr : &nodes[0]; }
  const Node* At(uint32_t index) const { return index == Node::kNone ? nullptr : &nodes[index]; }
  const Node* FirstChild(const Node& n) const { return At(n.first_child); }
  const Node* Next(const Node& n) const { return At(n.next_sibling); }
  // A member's key, decoded.
  std::string_view Key(const Node& n) const {
    return (n.key_decoded ? std::string_view(decoded) : source).substr(n.key_offset, n.key_size);
  }
  // A string's text, decoded; a number as written; "" for other kinds.
  std::string_view Text(const Node& n) const {
    return (n.text_decoded ? std::string_view(decoded) : source).substr(n.text_offset, n.text_size);
  }
  // Member `key` of an object (the last one when a key repeats, as Go's
  // encoding/json keeps); nullptr when absent or `n` is no object.
  const Node* Get(const Node& n, std::string_view key) const;
  // Member `key` when it is a string; "" otherwise.
  std::string_view String(const Node& n, std::string_view key) const;

  // Iteration over children: for (const Node& c : doc.Children(n)).
  struct Iterator {
    const Document* doc;
    const Node* node;
    const Node& operator*() const { return *node; }
    Iterator& operator++() {
      node = doc->Next(*node);
      return *this;
    }
    bool operator!=(const Iterator& o) const { return node != o.node; }
  };
  struct Range {
    const Document* doc;
    const Node* first;
    Iterator begin() const { return {doc, first}; }
    Iterator end() const { return {doc, nullptr}; }
  };
  Range Children(const Node& n) const { return {this, FirstChild(n)}; }
};

struct Limits {
  int max_depth = 512;
  size_t max_nodes = 4'000'000;
};

// Parses `text` (one JSON value, RFC 8259; no comments, no trailing commas,
// as Go's encoding/json). `text` must stay alive and unchanged as long as
// the document is used, and be followed by a NUL byte (std::string data()
// is). Never throws; on error `doc.error` holds the offset and rapidjson's
// message and `doc.Root()` is nullptr.
void Parse(std::string_view text, Document& doc, const Limits& limits = {});

}  // namespace obslint::json
