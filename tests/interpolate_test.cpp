// Compose interpolation as the Compose specification defines it: a table of
// raw values, variables and resolved results, plus reference offsets and
// the variables read through nested defaults.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "parse/interpolate.h"

namespace obslint {
namespace {

const std::map<std::string, std::string, std::less<>> kVars = {
    {"SET", "value"}, {"EMPTY", ""}, {"B", "bee"}, {"PORT", "4317"}};

VarLookup Lookup() {
  return [](std::string_view name) -> const std::string* {
    auto it = kVars.find(name);
    return it == kVars.end() ? nullptr : &it->second;
  };
}

struct Case {
  const char* raw;
  const char* resolved;
  bool unresolved;
  int syntax_problems;
  int required_problems;
};

TEST_CASE("interpolate: Compose specification table") {
  const Case cases[] = {
      {"plain", "plain", false, 0, 0},
      {"${SET}", "value", false, 0, 0},
      {"$SET", "value", false, 0, 0},
      {"$SET.x", "value.x", false, 0, 0},
      {"${UNSET}", "", true, 0, 0},
      {"$UNSET", "", true, 0, 0},
      {"${EMPTY}", "", false, 0, 0},
      // :- uses the default when unset or empty; - only when unset.
      {"${UNSET:-d}", "d", false, 0, 0},
      {"${EMPTY:-d}", "d", false, 0, 0},
      {"${SET:-d}", "value", false, 0, 0},
      {"${UNSET-d}", "d", false, 0, 0},
      {"${EMPTY-d}", "", false, 0, 0},
      {"${SET-d}", "value", false, 0, 0},
      // :? and ? fail when unset (:? also when empty).
      {"${UNSET:?need it}", "", true, 0, 1},
      {"${EMPTY:?need it}", "", true, 0, 1},
      {"${SET:?need it}", "value", false, 0, 0},
      {"${UNSET?need it}", "", true, 0, 1},
      {"${EMPTY?need it}", "", false, 0, 0},
      // :+ and + give the alternative when set (:+ also needs non-empty).
      {"${SET:+alt}", "alt", false, 0, 0},
      {"${EMPTY:+alt}", "", false, 0, 0},
      {"${UNSET:+alt}", "", false, 0, 0},
      {"${SET+alt}", "alt", false, 0, 0},
      {"${EMPTY+alt}", "alt", false, 0, 0},
      {"${UNSET+alt}", "", false, 0, 0},
      // $$ is a literal dollar, never a reference.
      {"$$", "$", false, 0, 0},
      {"$$SET", "$SET", false, 0, 0},
      {"$${SET}", "${SET}", false, 0, 0},
      {"a$$$SET", "a$value", false, 0, 0},
      // Nested defaults.
      {"${UNSET:-${B:-x}}", "bee", false, 0, 0},
      {"${UNSET:-${UNSET2:-x}}", "x", false, 0, 0},
      {"${UNSET:-$B}", "bee", false, 0, 0},
      {"${UNSET:-$UNSET2}", "", true, 0, 0},
      {"${SET:-${UNSET2}}", "value", false, 0, 0},
      {"http://${HOST:-localhost}:${PORT}/v1", "http://localhost:4317/v1", false, 0, 0},
      // A lone $ and $<digit> stay as written.
      {"$", "$", false, 0, 0},
      {"cost: 5$", "cost: 5$", false, 0, 0},
      {"$1", "$1", false, 0, 0},
      {"$ SET", "$ SET", false, 0, 0},
      // Malformed.
      {"${SET", "${SET", false, 1, 0},
      {"${}", "${}", false, 1, 0},
      {"${A B}", "${A B}", false, 1, 0},
      {"${1A}", "${1A}", false, 1, 0},
      {"${SET}${", "value${", false, 1, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.raw);
    std::vector<InterpolationProblem> problems;
    Interpolated r = Interpolate(c.raw, Lookup(), &problems);
    CHECK(r.raw == c.raw);
    CHECK(r.resolved == c.resolved);
    CHECK(r.unresolved == c.unresolved);
    int syntax = 0, required = 0;
    for (const auto& p : problems) {
      if (p.type == InterpolationProblem::Type::kSyntax) ++syntax;
      else ++required;
    }
    CHECK(syntax == c.syntax_problems);
    CHECK(required == c.required_problems);
  }
}

TEST_CASE("interpolate: problems carry the variable, message and offset") {
  std::vector<InterpolationProblem> problems;
  Interpolate("x=${UNSET:?set UNSET in .env} y=${", Lookup(), &problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].type == InterpolationProblem::Type::kRequiredUnset);
  CHECK(problems[0].variable == "UNSET");
  CHECK(problems[0].message == "set UNSET in .env");
  CHECK(problems[0].offset == 2);
  CHECK(problems[1].type == InterpolationProblem::Type::kSyntax);
  CHECK(problems[1].offset == 32);
}

TEST_CASE("interpolate: top-level references with offsets, ops and args") {
  Interpolated r = Interpolate("a $SET b ${UNSET:-${B}} $$X ${PORT?no port}", Lookup());
  REQUIRE(r.refs.size() == 3);
  CHECK(r.refs[0].name == "SET");
  CHECK(r.refs[0].offset == 2);
  CHECK(r.refs[0].length == 4);
  CHECK_FALSE(r.refs[0].braced);
  CHECK(r.refs[1].name == "UNSET");
  CHECK(r.refs[1].op == ":-");
  CHECK(r.refs[1].arg == "${B}");
  CHECK(r.refs[1].offset == 9);
  CHECK(r.refs[1].length == 14);
  CHECK(r.refs[1].braced);
  CHECK(r.refs[2].name == "PORT");
  CHECK(r.refs[2].op == "?");
  CHECK(r.refs[2].arg == "no port");
  CHECK(r.refs[2].offset == 28);
  CHECK(r.HasVars());
  CHECK_FALSE(Interpolate("no vars", Lookup()).HasVars());
}

TEST_CASE("interpolate: CollectVariables reads nested defaults") {
  std::vector<VarRef> refs;
  CollectVariables("${A:-${B:-$C}} $$D ${E:+x${F}}", refs);
  std::vector<std::string> names;
  std::vector<size_t> offsets;
  for (const auto& r : refs) {
    names.push_back(r.name);
    offsets.push_back(r.offset);
  }
  CHECK(names == std::vector<std::string>{"A", "B", "C", "E", "F"});
  CHECK(offsets == std::vector<size_t>{0, 5, 10, 19, 25});
  refs.clear();
  CollectVariables("nothing here", refs);
  CHECK(refs.empty());
}

}  // namespace
}  // namespace obslint
