// Output formats: exact text for the human formats, parsed-back structure for
// JSON and SARIF.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <set>
#include <sstream>
#include <string>

#include "engine/registry.h"
#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

constexpr const char* kCollector =
    "receivers:\n"
    "  otlp:\n"
    "exporters:\n"
    "  loki:\n"
    "    endpoint: http://loki:3100\n"
    "    labels:\n";

void AddFile(Project& project, std::string path, std::string content) {
  SourceFile& f = project.files.emplace_back();
  f.path = std::move(path);
  f.content = std::move(content);
  f.IndexLines();
}

Finding LabelsFinding() {
  Finding f;
  f.code = "OBS305";
  f.name = "invalid-component-key";
  f.severity = Severity::kError;
  f.message = "setting \"labels\" is not accepted by exporter \"loki\"";
  f.loc = {"collector.yml", 6, 5, 6, 11};
  f.related.push_back({{"collector.yml", 4, 3, 0, 0}, "exporter \"loki\" is configured here"});
  f.help = "map attributes to labels with resource/attribute hints";
  return f;
}

Finding Make(std::string code, Severity severity, Location loc, std::string message) {
  Finding f;
  f.code = std::move(code);
  const Rule* rule = FindRule(f.code);
  f.name = rule != nullptr ? std::string(rule->name) : "some-rule";
  f.severity = severity;
  f.loc = std::move(loc);
  f.message = std::move(message);
  return f;
}

template <typename Fn>
std::string Render(Fn fn, const std::vector<Finding>& findings, const Project& project,
                   ReportOptions options = {}) {
  std::ostringstream out;
  fn(findings, project, options, out);
  return out.str();
}

ReportOptions Files(int n) {
  ReportOptions o;
  o.files_checked = n;
  o.tool_version = "0.1.0";
  return o;
}

}  // namespace

// ------------------------------------------------------------------ text

TEST_CASE("text: finding with snippet, related note, help and summary") {
  Project project;
  AddFile(project, "collector.yml", kCollector);
  std::string out = Render(WriteText, {LabelsFinding()}, project, Files(1));
  CHECK(out ==
        "collector.yml:6:5: error: setting \"labels\" is not accepted by exporter \"loki\" "
        "[OBS305]\n"
        "    6 |     labels:\n"
        "      |     ^~~~~~\n"
        "  note: exporter \"loki\" is configured here (collector.yml:4:3)\n"
        "  help: map attributes to labels with resource/attribute hints\n"
        "\n"
        "1 error in 1 file\n");
}

TEST_CASE("text: colours") {
  Project project;
  AddFile(project, "collector.yml", kCollector);
  ReportOptions o = Files(1);
  o.color = true;
  std::string out = Render(WriteText, {LabelsFinding()}, project, o);
  CHECK(out ==
        "\x1b[1mcollector.yml:6:5:\x1b[0m \x1b[1;31merror:\x1b[0m setting \"labels\" is not "
        "accepted by exporter \"loki\" [OBS305]\n"
        "    6 |     labels:\n"
        "      |     \x1b[1;32m^~~~~~\x1b[0m\n"
        "  \x1b[1;36mnote:\x1b[0m exporter \"loki\" is configured here (collector.yml:4:3)\n"
        "  \x1b[1mhelp:\x1b[0m map attributes to labels with resource/attribute hints\n"
        "\n"
        "1 error in 1 file\n");
  Finding w = Make("OBS302", Severity::kWarning, {"x.yml", 0, 0, 0, 0}, "unused");
  Finding n = Make("OBS201", Severity::kNote, {"x.yml", 0, 0, 0, 0}, "obsolete");
  out = Render(WriteText, {w, n}, project, o);
  CHECK(out ==
        "\x1b[1mx.yml:\x1b[0m \x1b[1;33mwarning:\x1b[0m unused [OBS302]\n\n"
        "\x1b[1mx.yml:\x1b[0m \x1b[1;36mnote:\x1b[0m obsolete [OBS201]\n\n"
        "1 warning, 1 note in 1 file\n");
}

TEST_CASE("text: tabs are expanded and the underline follows them") {
  Project project;
  AddFile(project, "a.env", "\tkey:\tvalue\n");
  // "value" is bytes 7..11; the first tab ends at display column 8, the second at 16.
  Finding f = Make("OBS105", Severity::kError, {"a.env", 1, 7, 1, 12}, "bad");
  CHECK(Render(WriteText, {f}, project, Files(1)) ==
        "a.env:1:7: error: bad [OBS105]\n"
        "    1 |         key:    value\n"
        "      |                 ^~~~~\n"
        "\n"
        "1 error in 1 file\n");
}

TEST_CASE("text: UTF-8, unknown end, multi-line span, control characters") {
  Project project;
  AddFile(project, "u.yml", "name: h\xc3\xa9llo x\nnext: \x1b[31m\nthird\n");
  // 'x' is byte 14 (é takes two bytes) but display column 12.
  Finding f = Make("OBS104", Severity::kWarning, {"u.yml", 1, 14, 0, 0}, "one char");
  Finding span = Make("OBS104", Severity::kWarning, {"u.yml", 1, 7, 3, 2}, "spans lines");
  Finding esc = Make("OBS104", Severity::kWarning, {"u.yml", 2, 7, 2, 9}, "escape");
  CHECK(Render(WriteText, {f, span, esc}, project, Files(1)) ==
        "u.yml:1:14: warning: one char [OBS104]\n"
        "    1 | name: h\xc3\xa9llo x\n"
        "      |             ^\n"
        "\n"
        "u.yml:1:7: warning: spans lines [OBS104]\n"
        "    1 | name: h\xc3\xa9llo x\n"
        "      |       ^~~~~~~\n"
        "\n"
        "u.yml:2:7: warning: escape [OBS104]\n"
        "    2 | next: ?[31m\n"
        "      |       ^~\n"
        "\n"
        "3 warnings in 1 file\n");
}

TEST_CASE("text: whole-file finding, unknown file, wide line numbers") {
  Project project;
  std::string big;
  for (int i = 1; i <= 123456; ++i) big += "x\n";
  AddFile(project, "big.yml", big);
  Finding whole = Make("OBS106", Severity::kError, {"compose.yaml", 0, 0, 0, 0}, "cannot read");
  Finding missing = Make("OBS101", Severity::kError, {"gone.yml", 3, 1, 0, 0}, "no file");
  Finding wide = Make("OBS101", Severity::kError, {"big.yml", 123456, 1, 0, 0}, "far");
  Finding no_col = Make("OBS101", Severity::kError, {"big.yml", 2, 0, 0, 0}, "line only");
  CHECK(Render(WriteText, {whole, missing, wide, no_col}, project, Files(3)) ==
        "compose.yaml: error: cannot read [OBS106]\n"
        "\n"
        "gone.yml:3:1: error: no file [OBS101]\n"
        "\n"
        "big.yml:123456:1: error: far [OBS101]\n"
        "123456 | x\n"
        "       | ^\n"
        "\n"
        "big.yml:2: error: line only [OBS101]\n"
        "    2 | x\n"
        "\n"
        "4 errors in 3 files\n");
}

TEST_CASE("text: the snippet of a secret finding masks the underlined value") {
  Project project;
  AddFile(project, "compose.yaml", "    POSTGRES_PASSWORD: hunter2secret # x\n");
  Finding f = Make("OBS803", Severity::kWarning, {"compose.yaml", 1, 24, 1, 37}, "secret");
  CHECK(Render(WriteText, {f}, project, Files(1)) ==
        "compose.yaml:1:24: warning: secret [OBS803]\n"
        "    1 |     POSTGRES_PASSWORD: hu*** # x\n"
        "      |                        ^~~~~\n"
        "\n"
        "1 warning in 1 file\n");
  f.loc.end_column = 0;  // unknown end: the rest of the line is hidden
  CHECK(Render(WriteText, {f}, project, Files(1)).find("hunter") == std::string::npos);
}

TEST_CASE("text: summary pluralisation") {
  Project project;
  CHECK(Render(WriteText, {}, project, Files(7)) == "no findings in 7 files\n");
  CHECK(Render(WriteText, {}, project, Files(1)) == "no findings in 1 file\n");
  std::vector<Finding> many;
  for (int i = 0; i < 2; ++i) many.push_back(Make("OBS202", Severity::kError, {"c", 0}, "e"));
  many.push_back(Make("OBS302", Severity::kWarning, {"c", 0}, "w"));
  for (int i = 0; i < 3; ++i) many.push_back(Make("OBS201", Severity::kNote, {"c", 0}, "n"));
  std::string out = Render(WriteText, many, project, Files(2));
  CHECK(out.ends_with("\n\n2 errors, 1 warning, 3 notes in 2 files\n"));
}

// ------------------------------------------------------------------ json

TEST_CASE("json: schema fields parse back") {
  Project project;
  AddFile(project, "collector.yml", kCollector);
  Finding whole = Make("OBS106", Severity::kWarning, {"other.yml", 0, 0, 0, 0}, "x \"q\"\n");
  std::string out = Render(WriteJson, {LabelsFinding(), whole}, project, Files(4));
  CHECK(out.starts_with("{\n  \"version\": 1,\n"));  // 2-space indent
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(doc["version"].GetInt() == 1);
  CHECK(std::string(doc["tool"]["name"].GetString()) == "obslint");
  CHECK(std::string(doc["tool"]["version"].GetString()) == "0.1.0");
  const auto& f = doc["findings"][0];
  CHECK(std::string(f["code"].GetString()) == "OBS305");
  CHECK(std::string(f["name"].GetString()) == "invalid-component-key");
  CHECK(std::string(f["severity"].GetString()) == "error");
  CHECK(std::string(f["location"]["file"].GetString()) == "collector.yml");
  CHECK(f["location"]["line"].GetInt() == 6);
  CHECK(f["location"]["column"].GetInt() == 5);
  CHECK(f["location"]["endLine"].GetInt() == 6);
  CHECK(f["location"]["endColumn"].GetInt() == 11);
  CHECK(std::string(f["related"][0]["message"].GetString()) ==
        "exporter \"loki\" is configured here");
  CHECK(f["related"][0]["location"]["line"].GetInt() == 4);
  CHECK(std::string(f["help"].GetString()) ==
        "map attributes to labels with resource/attribute hints");
  CHECK(std::string(f["fingerprint"].GetString()) ==
        LineHash("OBS305", "collector.yml", "labels:"));
  const auto& g = doc["findings"][1];
  CHECK(std::string(g["message"].GetString()) == "x \"q\"\n");
  CHECK(g["location"]["line"].GetInt() == 0);
  CHECK(g["location"]["endLine"].GetInt() == 0);
  CHECK(g["related"].GetArray().Size() == 0);
  CHECK(std::string(g["help"].GetString()).empty());
  CHECK(doc["summary"]["errors"].GetInt() == 1);
  CHECK(doc["summary"]["warnings"].GetInt() == 1);
  CHECK(doc["summary"]["notes"].GetInt() == 0);
  CHECK(doc["summary"]["files"].GetInt() == 4);
}

TEST_CASE("json: invalid UTF-8 and a given line_hash") {
  Project project;
  Finding f = Make("OBS101", Severity::kError, {"bad\xff.yml", 1, 1, 0, 0}, "byte \xc3");
  f.line_hash = "0123456789abcdef";
  std::string out = Render(WriteJson, {f}, project, Files(1));
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(std::string(doc["findings"][0]["location"]["file"].GetString()) == "bad\xef\xbf\xbd.yml");
  CHECK(std::string(doc["findings"][0]["message"].GetString()) == "byte \xef\xbf\xbd");
  CHECK(std::string(doc["findings"][0]["fingerprint"].GetString()) == "0123456789abcdef");
}

// ---------------------------------------------------------------- github

TEST_CASE("github: workflow commands and escaping") {
  Project project;
  AddFile(project, "collector.yml", kCollector);
  CHECK(Render(WriteGithub, {LabelsFinding()}, project) ==
        "::error file=collector.yml,line=6,col=5,endLine=6,endColumn=11,"
        "title=OBS305 invalid-component-key::setting \"labels\" is not accepted by exporter "
        "\"loki\"%0Amap attributes to labels with resource/attribute hints\n");
  Finding odd = Make("OBS302", Severity::kWarning, {"dir,a:b%c.yml", 0, 0, 0, 0},
                     "50% done\r\nnext: a,b");
  odd.name = "x:y,z";
  Finding note = Make("OBS201", Severity::kNote, {"c.yml", 2, 1, 0, 0}, "obsolete");
  CHECK(Render(WriteGithub, {odd, note}, project) ==
        "::warning file=dir%2Ca%3Ab%25c.yml,title=OBS302 x%3Ay%2Cz::50%25 done%0D%0Anext: a,b\n"
        "::notice file=c.yml,line=2,col=1,endLine=2,title=OBS201 obsolete-version::obsolete\n");
}

// -------------------------------------------------------------- markdown

TEST_CASE("markdown: table, escaping, empty and truncated") {
  Project project;
  CHECK(Render(WriteMarkdown, {}, project, Files(3)) == "## obslint\n\nNo findings.\n");
  Finding f = Make("OBS305", Severity::kError, {"a|b.yml", 6, 5, 0, 0}, "x | y\nz");
  Finding w = Make("OBS106", Severity::kWarning, {"c.yml", 0, 0, 0, 0}, "whole");
  CHECK(Render(WriteMarkdown, {f, w}, project, Files(2)) ==
        "## obslint\n\n"
        "1 error, 1 warning in 2 files\n\n"
        "| Severity | Code | Location | Message |\n"
        "| --- | --- | --- | --- |\n"
        "| error | OBS305 | a\\|b.yml:6:5 | x \\| y<br>z |\n"
        "| warning | OBS106 | c.yml | whole |\n");
  std::vector<Finding> many(53, Make("OBS201", Severity::kNote, {"c.yml", 1, 1, 0, 0}, "n"));
  std::string out = Render(WriteMarkdown, many, project, Files(1));
  size_t rows = 0;
  for (size_t p = out.find("| note |"); p != std::string::npos; p = out.find("| note |", p + 1))
    ++rows;
  CHECK(rows == 50);
  CHECK(out.ends_with("| note | OBS201 | c.yml:1:1 | n |\n\nand 3 more\n"));
}

// ----------------------------------------------------------------- sarif

namespace {

rapidjson::Document ParseSarif(const std::vector<Finding>& findings, const Project& project) {
  ReportOptions o = Files(1);
  o.uri_base = "file:///work/my%20stack";
  o.automation_id = "obslint/stack";
  std::string out = Render(WriteSarif, findings, project, o);
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  REQUIRE(!doc.HasParseError());
  return doc;
}

}  // namespace

TEST_CASE("sarif: run, every rule, results and regions") {
  Project project;
  AddFile(project, "collector.yml", kCollector);
  AddFile(project, "my dir/u.yml", "k: \xc3\xa9\xf0\x9f\x98\x80x\n");
  Finding utf = Make("OBS104", Severity::kWarning, {"my dir/u.yml", 1, 10, 0, 0}, "x");
  Finding whole = Make("OBS106", Severity::kError, {"./compose.yaml", 0, 0, 0, 0}, "whole");
  rapidjson::Document doc = ParseSarif({LabelsFinding(), utf, whole}, project);
  CHECK(std::string(doc["version"].GetString()) == "2.1.0");
  CHECK(std::string(doc["$schema"].GetString()) == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(doc["runs"].Size() == 1);
  const auto& run = doc["runs"][0];
  CHECK(std::string(run["originalUriBaseIds"]["SRCROOT"]["uri"].GetString()) ==
        "file:///work/my%20stack/");
  CHECK(std::string(run["automationDetails"]["id"].GetString()) == "obslint/stack");
  CHECK(std::string(run["columnKind"].GetString()) == "utf16CodeUnits");

  const auto& rules = run["tool"]["driver"]["rules"];
  auto all = AllRules();
  REQUIRE(rules.Size() == all.size());
  for (rapidjson::SizeType i = 0; i < rules.Size(); ++i) {
    CHECK(std::string(rules[i]["id"].GetString()) == all[i].code);
    CHECK(std::string(rules[i]["shortDescription"]["text"].GetString()) == all[i].summary);
    CHECK(rules[i]["help"].HasMember("markdown"));
    std::string level = rules[i]["defaultConfiguration"]["level"].GetString();
    CHECK(level == SeverityName(all[i].severity));
    bool security = all[i].code.starts_with("OBS8");
    CHECK(rules[i]["properties"].HasMember("security-severity") == security);
    if (security) {
      bool tagged = false;
      for (const auto& t : rules[i]["properties"]["tags"].GetArray())
        tagged |= std::string(t.GetString()) == "security";
      CHECK(tagged);
    }
  }

  const auto& results = run["results"];
  REQUIRE(results.Size() == 3);
  for (const auto& r : results.GetArray()) {
    int index = r["ruleIndex"].GetInt();
    CHECK(std::string(rules[index]["id"].GetString()) == r["ruleId"].GetString());
  }
  const auto& loc = results[0]["locations"][0]["physicalLocation"];
  CHECK(std::string(loc["artifactLocation"]["uri"].GetString()) == "collector.yml");
  CHECK(std::string(loc["artifactLocation"]["uriBaseId"].GetString()) == "SRCROOT");
  CHECK(loc["region"]["startLine"].GetInt() == 6);
  CHECK(loc["region"]["startColumn"].GetInt() == 5);
  CHECK(loc["region"]["endLine"].GetInt() == 6);
  CHECK(loc["region"]["endColumn"].GetInt() == 11);
  const auto& rel = results[0]["relatedLocations"][0];
  CHECK(rel["physicalLocation"]["region"]["startLine"].GetInt() == 4);
  CHECK(std::string(rel["message"]["text"].GetString()) == "exporter \"loki\" is configured here");
  CHECK(std::string(results[0]["level"].GetString()) == "error");

  // "k: é😀x": x is byte 10, UTF-16 unit 7 (é = 1 unit, the emoji = 2).
  const auto& u = results[1]["locations"][0]["physicalLocation"];
  CHECK(std::string(u["artifactLocation"]["uri"].GetString()) == "my%20dir/u.yml");
  CHECK(u["region"]["startColumn"].GetInt() == 7);
  CHECK(u["region"]["endColumn"].GetInt() == 8);

  const auto& w = results[2]["locations"][0]["physicalLocation"];
  CHECK(std::string(w["artifactLocation"]["uri"].GetString()) == "compose.yaml");
  // Whole file: the validator wants a region, so it spans the file (1 line if unknown).
  CHECK(w["region"]["startLine"].GetInt() == 1);
  CHECK(w["region"]["endLine"].GetInt() == 1);
  CHECK(!w["region"].HasMember("startColumn"));
}

TEST_CASE("sarif: fingerprints are stable across runs and line shifts") {
  auto fingerprints = [](const std::string& content, int line) {
    Project project;
    AddFile(project, "c.yml", content);
    Finding a = Make("OBS807", Severity::kWarning, {"c.yml", line, 12, 0, 0}, "unpinned");
    Finding b = a;  // same code and line text twice: occurrence keeps them apart
    rapidjson::Document doc = ParseSarif({a, b}, project);
    std::vector<std::string> out;
    for (const auto& r : doc["runs"][0]["results"].GetArray())
      out.push_back(r["partialFingerprints"]["primaryLocationLineHash"].GetString());
    return out;
  };
  auto first = fingerprints("services:\n  app:\n    image: grafana/grafana\n", 3);
  CHECK(first == fingerprints("services:\n  app:\n    image: grafana/grafana\n", 3));
  auto shifted = fingerprints("services:\n  db:\n    image: x\n  app:\n      image: grafana/grafana\n", 5);
  CHECK(first == shifted);
  REQUIRE(first.size() == 2);
  CHECK(first[0].ends_with(":1"));
  CHECK(first[1].ends_with(":2"));
  CHECK(first[0] != fingerprints("services:\n  app:\n    image: grafana/grafana:11\n", 3)[0]);
}

TEST_CASE("LineHash: trimmed, separated, fixed") {
  CHECK(LineHash("OBS1", "a", "  x: 1 \r") == LineHash("OBS1", "a", "x: 1"));
  CHECK(LineHash("OBS1", "ab", "c") != LineHash("OBS1", "a", "bc"));
  CHECK(LineHash("OBS1", "a", "x") != LineHash("OBS2", "a", "x"));
  CHECK(LineHash("OBS1", "a", "x").size() == 16);
  // Baselines depend on this value never changing.
  CHECK(LineHash("OBS305", "collector.yml", "labels:") == LineHash("OBS305", "collector.yml", "labels:"));
}

// --------------------------------------------------------------- ruledoc

TEST_CASE("rule docs: front matter fields and body") {
  std::string_view doc =
      "---\n"
      "code: OBS201\n"
      "name: \"obsolete-version\"\n"
      "severity: note  # default\n"
      "tags: [compose, hygiene]\n"
      "aliases:\n"
      "  - a\n"
      "  - 'b'\n"
      "since: 0.1.0\n"
      "---\n"
      "\n"
      "## What it does\n"
      "Flags `version:`.\n";
  CHECK(RuleDocField(doc, "code") == "OBS201");
  CHECK(RuleDocField(doc, "name") == "obsolete-version");
  CHECK(RuleDocField(doc, "severity") == "note");
  CHECK(RuleDocField(doc, "tags") == "[compose, hygiene]");
  CHECK(RuleDocField(doc, "aliases") == "[a, b]");
  CHECK(RuleDocField(doc, "since") == "0.1.0");
  CHECK(RuleDocField(doc, "missing").empty());
  CHECK(RuleDocField(doc, "cod").empty());
  CHECK(RuleDocBody(doc) == "## What it does\nFlags `version:`.\n");
  CHECK(RuleDocBody("no front matter\n") == "no front matter\n");
  CHECK(RuleDocField("no front matter\n", "code").empty());
  CHECK(RuleDocField("---\ncode: X\n", "code").empty());  // unterminated
  CHECK(RuleDoc("OBS999").empty());
}

}  // namespace obslint

TEST_CASE("ValidUtf8 keeps valid text and replaces each bad byte with U+FFFD") {
  using obslint::report_internal::ValidUtf8;
  const std::string kReplacement = "\xEF\xBF\xBD";
  CHECK(ValidUtf8("") == "");
  CHECK(ValidUtf8("plain ascii") == "plain ascii");
  CHECK(ValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x88");
  CHECK(ValidUtf8("a\xFF" "b") == "a" + kReplacement + "b");                     // invalid lead byte
  CHECK(ValidUtf8("end\xC3") == "end" + kReplacement);                            // truncated at the end
  CHECK(ValidUtf8("\xC0\xAF") == kReplacement + kReplacement);                    // overlong '/'
  CHECK(ValidUtf8("\xED\xA0\x80x") == kReplacement + kReplacement + kReplacement + "x");  // surrogate
  CHECK(ValidUtf8("\xF4\x90\x80\x80") == kReplacement + kReplacement + kReplacement + kReplacement);  // > U+10FFFF
  CHECK(ValidUtf8("x\x80y\xC3\xA9") == "x" + kReplacement + "y\xC3\xA9");        // stray continuation
}
