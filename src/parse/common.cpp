#include <fmt/format.h>

#include "parse/parsers.h"

namespace obslint {

Located<std::string> LocatedScalar(const yaml::Node* node, const std::string& file) {
  if (node == nullptr || node->kind != yaml::Kind::kScalar) return {};
  return Located<std::string>(node->scalar, yaml::LocationOf(node, file));
}

void ReportWrongType(const yaml::Node* node, const std::string& file, std::string_view what,
                     std::string_view expected, std::vector<LoadFinding>& findings) {
  LoadFinding f;
  f.code = "OBS103";
  f.loc = yaml::LocationOf(node, file);
  f.message = fmt::format("\"{}\" must be {}, not {}", what, expected,
                          node ? node->KindName() : std::string_view("missing"));
  findings.push_back(std::move(f));
}

}  // namespace obslint
