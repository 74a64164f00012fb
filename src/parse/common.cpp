#include <fmt/format.h>

#include "parse/parsers.h"

namespace obslint {

Located<std::string> LocatedScalar(const yaml::Node* node, const std::string& file) {
  if (node == nullptr || node->kind != yaml::Kind::kScalar) return {};
  return Located<std::string>(node->scalar, yaml::LocationOf(node, file));
}

LoadFinding& ReportInvalid(const yaml::Node* node, const std::string& file, std::string message,
                           std::vector<LoadFinding>& findings) {
  LoadFinding& f = findings.emplace_back();
  f.code = "OBS103";
  f.loc = yaml::LocationOf(node, file);
  f.message = std::move(message);
  return f;
}

void ReportWrongType(const yaml::Node* node, const std::string& file, std::string_view what,
                     std::string_view expected, std::vector<LoadFinding>& findings) {
  ReportInvalid(node, file,
                fmt::format("\"{}\" must be {}, not {}", what, expected,
                            node ? node->KindName() : std::string_view("missing")),
                findings);
}

namespace {

const yaml::Node* ChildOfKind(const yaml::Node* parent, std::string_view key, yaml::Kind kind,
                              std::string_view expected, const std::string& file,
                              std::vector<LoadFinding>& findings) {
  const yaml::Node* node = parent ? parent->Get(key) : nullptr;
  if (node == nullptr || node->IsNull()) return nullptr;
  if (node->kind != kind) {
    ReportWrongType(node, file, key, expected, findings);
    return nullptr;
  }
  return node;
}

}  // namespace

const yaml::Node* MapAt(const yaml::Node* parent, std::string_view key, const std::string& file,
                        std::vector<LoadFinding>& findings) {
  return ChildOfKind(parent, key, yaml::Kind::kMap, "a mapping", file, findings);
}

const yaml::Node* ListAt(const yaml::Node* parent, std::string_view key, const std::string& file,
                         std::vector<LoadFinding>& findings) {
  return ChildOfKind(parent, key, yaml::Kind::kSequence, "a list", file, findings);
}

}  // namespace obslint
