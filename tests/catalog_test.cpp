// The rule table, the rule docs, the fixtures and the public catalog must
// agree: codes are a public contract.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "embed/embedded.h"
#include "engine/registry.h"
#include "report/report.h"

namespace fs = std::filesystem;
using obslint::AllRules;
using obslint::SeverityName;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::set<std::string> kEngineCodes = {"OBS001", "OBS002", "OBS101", "OBS102",
                                            "OBS103", "OBS104", "OBS105", "OBS106"};

}  // namespace

TEST_CASE("rule table is sorted, unique and complete") {
  std::string prev;
  for (const auto& rule : AllRules()) {
    CAPTURE(rule.code);
    CHECK(std::string(rule.code) > prev);
    prev = std::string(rule.code);
    CHECK(std::regex_match(std::string(rule.code), std::regex("OBS[0-9]{3}")));
    CHECK(std::regex_match(std::string(rule.name), std::regex("[a-z0-9]+(-[a-z0-9]+)*")));
    CHECK(!rule.summary.empty());
    bool has_check = rule.check != nullptr;
    if (kEngineCodes.count(std::string(rule.code)) == 0) CHECK(has_check);
  }
}

TEST_CASE("every rule has a doc whose front matter agrees with the table") {
  for (const auto& rule : AllRules()) {
    CAPTURE(rule.code);
    std::string_view doc = obslint::RuleDoc(rule.code);
    REQUIRE_MESSAGE(!doc.empty(), "rules/" << rule.code << ".md is missing");
    CHECK(obslint::RuleDocField(doc, "code") == rule.code);
    CHECK(obslint::RuleDocField(doc, "name") == rule.name);
    CHECK(obslint::RuleDocField(doc, "severity") == SeverityName(rule.severity));
    std::string body(obslint::RuleDocBody(doc));
    for (const char* section : {"## What it does", "## Why is this bad", "## Example", "## How to fix"})
      CHECK_MESSAGE(body.find(section) != std::string::npos, "missing section " << section);
  }
}

TEST_CASE("every checked rule lives in src/rules/<area>/<name>.cpp") {
  // The area is the first tag of the rule's doc (security, link, ...).
  fs::path rules = fs::path(OBSLINT_SOURCE_DIR) / "src" / "rules";
  std::regex first_tag(R"(^\[([a-z]+))");
  for (const auto& rule : AllRules()) {
    if (rule.check == nullptr) continue;
    CAPTURE(rule.code);
    std::string tags(obslint::RuleDocField(obslint::RuleDoc(rule.code), "tags"));
    std::smatch m;
    REQUIRE(std::regex_search(tags, m, first_tag));
    fs::path file = rules / m[1].str() / (std::string(rule.name) + ".cpp");
    CHECK_MESSAGE(fs::exists(file), file.string() << " is missing");
  }
}

TEST_CASE("every rule has bad and good fixtures with expected output") {
  fs::path fixtures = fs::path(OBSLINT_SOURCE_DIR) / "tests" / "fixtures";
  for (const auto& rule : AllRules()) {
    CAPTURE(rule.code);
    for (const char* kind : {"bad", "good"}) {
      fs::path expected = fixtures / std::string(rule.code) / kind / "expected.txt";
      CHECK_MESSAGE(fs::exists(expected), expected.string() << " is missing");
      if (!fs::exists(expected)) continue;
      std::string text = ReadFile(expected);
      if (std::string(kind) == "bad") {
        // A bad fixture must show its own code (unless args select otherwise).
        CHECK_MESSAGE(text.find("[" + std::string(rule.code) + "]") != std::string::npos,
                      "bad fixture does not report " << rule.code);
      } else {
        CHECK_MESSAGE(text.find("[" + std::string(rule.code) + "]") == std::string::npos,
                      "good fixture reports " << rule.code);
      }
    }
  }
}

TEST_CASE("rule table matches the public catalog") {
  fs::path catalog = fs::path(OBSLINT_SOURCE_DIR) / ".." / "shared" / "rules-catalog.md";
  if (!fs::exists(catalog)) return;  // outside the workspace: nothing to compare with
  std::string text = ReadFile(catalog);
  std::regex row(R"(\| (OBS[0-9]{3}) \| ([a-z0-9-]+) \| (error|warning|note) \|)");
  int rows = 0;
  std::set<std::string> published;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator(); ++it) {
    ++rows;
    const auto& m = *it;
    const obslint::Rule* rule = obslint::FindRule(m[1].str());
    CAPTURE(m[1].str());
    REQUIRE(rule != nullptr);
    CHECK(rule->name == m[2].str());
    CHECK(SeverityName(rule->severity) == m[3].str());
    published.insert(m[1].str());
  }
  CHECK(rows >= 67);  // 0.1 published 67 codes; none may disappear
  // Codes added since take a number in an area the catalog defines
  // ("## 5xx Grafana"): its first digit names the area.
  for (const auto& rule : AllRules()) {
    std::string code(rule.code);
    if (published.count(code)) continue;
    CAPTURE(code);
    CHECK_MESSAGE(text.find("## " + code.substr(3, 1) + "xx") != std::string::npos,
                  code << " is outside the catalog's areas");
  }
}
