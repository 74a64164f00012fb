// The .env dialect Docker Compose reads: export, comments, quotes, escapes,
// multi-line values, CRLF, duplicates, interpolation of earlier keys, and
// OBS105 positions for lines Compose refuses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/parsers.h"

namespace obslint {
namespace {

struct Env {
  SourceFile file;
  EnvFile env;
  std::vector<LoadFinding> findings;
  std::string Value(std::string_view key) const {
    const EnvEntry* e = env.Find(key);
    return e ? e->value : "<unset>";
  }
};

void Parse(Env& e, std::string text) {
  e.file.path = ".env";
  e.file.content = std::move(text);
  e.file.IndexLines();
  ParseDotenv(e.file, e.env, e.findings);
}

TEST_CASE("dotenv: plain, export, comments, spaces around =") {
  Env e;
  Parse(e, "# comment\n\nA=1\nexport B=two\n  C = spaced  \nD=x # inline comment\nE=a#b\nF=\n"
           "G: yaml-style\n");
  CHECK(e.findings.empty());
  CHECK(e.Value("A") == "1");
  CHECK(e.Value("B") == "two");
  CHECK(e.Value("C") == "spaced");
  CHECK(e.Value("D") == "x");
  CHECK(e.Value("E") == "a#b");
  CHECK(e.Value("F") == "");
  CHECK(e.Value("G") == "yaml-style");
  const EnvEntry* b = e.env.Find("B");
  REQUIRE(b);
  CHECK(b->key_loc.line == 4);
  CHECK(b->key_loc.column == 8);
  CHECK(b->value_loc.column == 10);
  const EnvEntry* c = e.env.Find("C");
  REQUIRE(c);
  CHECK(c->key_loc.column == 3);
  CHECK(c->value_loc.column == 7);
}

TEST_CASE("dotenv: quotes") {
  Env e;
  Parse(e, "S='lit $A \\n # not a comment'\nD=\"tab\\tnl\\nq\\\"d\\\\\"\nM=\"line1\nline2\"\n"
           "AFTER=1\nA=a\nI=\"${A}-x\"\nJ='${A}'\nK=${A}/k\n");
  CHECK(e.findings.empty());
  CHECK(e.Value("S") == "lit $A \\n # not a comment");
  CHECK(e.Value("D") == "tab\tnl\nq\"d\\");
  CHECK(e.Value("M") == "line1\nline2");
  CHECK(e.Value("AFTER") == "1");
  const EnvEntry* after = e.env.Find("AFTER");
  REQUIRE(after);
  CHECK(after->key_loc.line == 5);
  // Interpolation of earlier keys: unquoted and double quotes, not single.
  CHECK(e.Value("I") == "a-x");
  CHECK(e.Value("J") == "${A}");
  CHECK(e.Value("K") == "a/k");
  CHECK(e.env.Find("S")->quoted);
}

TEST_CASE("dotenv: CRLF line endings") {
  Env e;
  Parse(e, "A=1\r\nB=\"two\"\r\n# c\r\nC=3\r\n");
  CHECK(e.findings.empty());
  CHECK(e.Value("A") == "1");
  CHECK(e.Value("B") == "two");
  CHECK(e.Value("C") == "3");
  CHECK(e.env.Find("C")->key_loc.line == 4);
}

TEST_CASE("dotenv: duplicates are kept in order, the last wins") {
  Env e;
  Parse(e, "A=1\nB=2\nA=3\n");
  REQUIRE(e.env.entries.size() == 3);
  CHECK(e.env.entries[0].key == "A");
  CHECK(e.env.entries[2].key == "A");
  CHECK(e.Value("A") == "3");
}

TEST_CASE("dotenv: OBS105 positions") {
  Env e;
  Parse(e, "OK=1\nBAD LINE=2\nQ=\"open\nNEXT=1\n=novalue\nK$X=1\nS='open\n");
  std::vector<std::pair<int, int>> where;
  for (const auto& f : e.findings) {
    CHECK(f.code == "OBS105");
    where.emplace_back(f.loc.line, f.loc.column);
  }
  CHECK(where == std::vector<std::pair<int, int>>{{2, 4}, {3, 3}, {5, 1}, {6, 2}, {7, 3}});
  CHECK(e.Value("OK") == "1");
  CHECK(e.Value("NEXT") == "1");  // parsing resumes after an unterminated quote
}

TEST_CASE("dotenv: a bare KEY inherits from the environment and is no error") {
  Env e;
  Parse(e, "INHERITED\nA=1\n");
  CHECK(e.findings.empty());
  CHECK(e.env.Find("INHERITED") == nullptr);
  CHECK(e.Value("A") == "1");
}

}  // namespace
}  // namespace obslint
