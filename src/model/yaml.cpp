#include "model/yaml.h"

namespace obslint::yaml {

const Node* Node::Get(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries)
    if (k->kind == Kind::kScalar && k->scalar == key) return v;
  return nullptr;
}

const Node* Node::KeyNode(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries)
    if (k->kind == Kind::kScalar && k->scalar == key) return k;
  return nullptr;
}

bool Node::IsTrue() const {
  if (kind != Kind::kScalar) return false;
  return scalar == "true" || scalar == "True" || scalar == "TRUE" ||
         (!quoted && (scalar == "yes" || scalar == "on"));
}

std::string_view Node::KindName() const {
  switch (kind) {
    case Kind::kNull: return "empty";
    case Kind::kScalar: return "a scalar";
    case Kind::kSequence: return "a list";
    case Kind::kMap: return "a mapping";
  }
  return "?";
}

const std::string& FileOf(const Node* node) {
  static const std::string kNone;
  return node != nullptr && node->origin != nullptr ? node->origin->file : kNone;
}

Location LocationOf(const Node* node, const std::string& file) {
  Location loc;
  const std::string& origin = FileOf(node);
  loc.file = origin.empty() ? file : origin;
  if (node == nullptr) return loc;
  loc.line = node->line;
  loc.column = node->column;
  if (node->kind == Kind::kScalar && node->scalar.find('\n') == std::string::npos) {
    loc.end_line = node->line;
    loc.end_column = node->column + static_cast<int>(node->scalar.size()) + (node->quoted ? 2 : 0);
  }
  return loc;
}

}  // namespace obslint::yaml
