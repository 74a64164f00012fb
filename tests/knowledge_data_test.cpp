// The knowledge files themselves: every field is one the format defines
// (schemas/knowledge-images.schema.json), and every fact cites a precise
// source (knowledge/keys/README.md, "Citations").
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "analysis/keys.h"
#include "embed/embedded.h"

namespace fs = std::filesystem;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path Source() { return fs::path(OBSLINT_SOURCE_DIR); }

// A citation names a release: a file at a tag or commit, a release, pull
// request, issue or commit, or a documentation page whose URL carries a
// version. Branch and "latest" URLs move and are rejected.
bool PreciseCitation(const std::string& url) {
  static const RE2 kMoving(R"(/(main|master|latest|next|develop|HEAD)(/|$|#))");
  if (RE2::PartialMatch(url, kMoving)) return false;
  static const RE2 kGithubAtRef(
      R"(^https://github\.com/[^/]+/[^/]+/(blob|tree|raw)/([^/]*[0-9][^/]*)/.+)");
  static const RE2 kGithubThing(
      R"(^https://github\.com/[^/]+/[^/]+/(pull|issues|commit|releases/tag)/[^/]+)");
  static const RE2 kVersionedDocs(R"(^https://[^/]+/.*/v?[0-9]+(\.[0-9]+|\.x)+(\.x)?/)");
  return RE2::PartialMatch(url, kGithubAtRef) || RE2::PartialMatch(url, kGithubThing) ||
         RE2::PartialMatch(url, kVersionedDocs);
}

// Every "source"/"sources" value below `node`, with a path for messages.
void CollectCitations(const YAML::Node& node, const std::string& path,
                      std::vector<std::pair<std::string, std::string>>& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const std::string here = path + "." + key;
      if ((key == "source" || key.ends_with("_source")) && kv.second.IsScalar()) {
        out.emplace_back(here, kv.second.as<std::string>());
      } else if ((key == "sources" || key.ends_with("_sources")) && kv.second.IsSequence()) {
        for (const auto& s : kv.second) out.emplace_back(here, s.as<std::string>());
      } else {
        CollectCitations(kv.second, here, out);
      }
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i)
      CollectCitations(node[i], path + "[" + std::to_string(i) + "]", out);
  }
}

bool HasCitation(const YAML::Node& node) {
  return (node["source"] && node["source"].IsScalar()) ||
         (node["sources"] && node["sources"].IsSequence() && node["sources"].size() > 0);
}

// Files whose every fact was re-verified at its source (issue 11); the rest
// still carry the 0.1 citations and join this list as they are reviewed.
const std::set<std::string> kReviewed = {"grafana-labs.yaml", "traces-metrics.yaml",
                                         "apps-data.yaml", "platform.yaml", "collector.yaml"};

}  // namespace

TEST_CASE("knowledge/images files use only the fields the format defines") {
  rapidjson::Document schema_doc;
  const std::string schema_text = ReadFile(Source() / "schemas" / "knowledge-images.schema.json");
  REQUIRE_FALSE(schema_doc.Parse(schema_text.c_str()).HasParseError());
  const rapidjson::SchemaDocument schema(schema_doc);
  int files = 0;
  for (std::size_t i = 0; i < obslint::embedded::kFileCount; ++i) {
    const auto& file = obslint::embedded::kFiles[i];
    if (!file.name.starts_with("knowledge/images/")) continue;
    ++files;
    CAPTURE(file.name);
    rapidjson::Document doc;
    REQUIRE_FALSE(doc.Parse(file.content.data(), file.content.size()).HasParseError());
    rapidjson::SchemaValidator validator(schema);
    if (!doc.Accept(validator)) {
      rapidjson::StringBuffer where, what;
      validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
      validator.GetInvalidSchemaPointer().StringifyUriFragment(what);
      FAIL_CHECK("invalid at " << std::string(where.GetString()) << " (schema "
                              << std::string(what.GetString()) << ", "
                              << std::string(validator.GetInvalidSchemaKeyword()) << ")");
    }
  }
  CHECK(files >= 4);
}

TEST_CASE("reviewed knowledge files cite a release for every fact") {
  for (const auto& entry : fs::directory_iterator(Source() / "knowledge" / "images")) {
    const std::string name = entry.path().filename().string();
    if (!kReviewed.count(name)) continue;
    CAPTURE(name);
    const YAML::Node doc = YAML::LoadFile(entry.path().string());
    for (const auto& family : doc["images"]) {
      const std::string id = family["family"].as<std::string>();
      CAPTURE(id);
      CHECK_MESSAGE(HasCitation(family), "family has no source");
      if (family["versions"])
        for (const auto& range : family["versions"])
          CHECK_MESSAGE(HasCitation(range), "version range from " << range["since"] << " has no source");
    }
    std::vector<std::pair<std::string, std::string>> citations;
    CollectCitations(doc, name, citations);
    for (const auto& citation : citations)
      CHECK_MESSAGE(PreciseCitation(citation.second),
                    citation.first << ": not a precise citation: " << citation.second);
  }
}

TEST_CASE("the citation policy itself") {
  CHECK(PreciseCitation("https://github.com/grafana/loki/blob/v3.6.0/cmd/loki/Dockerfile#L10"));
  CHECK(PreciseCitation("https://github.com/grafana/tempo/pull/4466"));
  CHECK(PreciseCitation("https://github.com/grafana/tempo/releases/tag/v3.0.3"));
  CHECK(PreciseCitation(
      "https://github.com/moby/moby/blob/759e79c4a007bb89541807e0fb1a4595e3eec287/daemon/health.go"));
  CHECK(PreciseCitation("https://grafana.com/docs/loki/v3.4.x/configure/"));
  CHECK(PreciseCitation("https://www.jaegertracing.io/docs/1.76/deployment/"));
  CHECK_FALSE(PreciseCitation("https://github.com/grafana/loki/blob/main/cmd/loki/Dockerfile"));
  CHECK_FALSE(PreciseCitation("https://github.com/grafana/loki/tree/master/docs"));
  CHECK_FALSE(PreciseCitation("https://grafana.com/docs/loki/latest/configure/"));
  CHECK_FALSE(PreciseCitation("https://hub.docker.com/_/postgres"));
  CHECK_FALSE(PreciseCitation("opentelemetry-collector v0.104.0 release notes"));
}

// A run reads the compiled tables without checking them (analysis/keys.cpp),
// so a broken node would only show on the stack that reaches it: check every
// node of every table here.
TEST_CASE("every node of every embedded key table is sound") {
  for (const char* format : {"compose", "collector", "loki", "tempo", "prometheus", "grafana"}) {
    CAPTURE(format);
    const obslint::KeyTable* table = obslint::KeyTable::Get(format);
    REQUIRE(table != nullptr);
    const std::vector<std::string> roots = table->RootNames();
    CHECK(!roots.empty());
    for (const std::string& name : roots) {
      CAPTURE(name);
      CHECK(table->Root(name) != nullptr);
    }
    CHECK(table->Root("no-such-root") == nullptr);
    CHECK(table->Validate() == std::vector<std::string>{});
    CHECK(!table->versions().empty());
  }
}

namespace {
std::string Words(std::initializer_list<std::uint32_t> words) {
  std::string out;
  for (std::uint32_t w : words)
    for (int i = 0; i < 4; ++i) out += static_cast<char>((w >> (8 * i)) & 0xFF);
  return out;
}
}  // namespace

TEST_CASE("a compiled key table that is not sound is reported, not trusted") {
  CHECK_THROWS(obslint::KeyTable::FromBlob("{\"program\": \"Loki\"}"));
  CHECK_THROWS(obslint::KeyTable::FromBlob(""));
  // Header (magic, program, strict, versions, roots, types), roots index at
  // 24: one entry named by the string at 36 ("c"), whose node lies past the
  // end of the table.
  const std::string bad = Words({0x31544B4Fu, 0, 0, 0, 24, 0, 1, 36, 400, 1, 'c'});
  auto table = obslint::KeyTable::FromBlob(bad);
  REQUIRE(table != nullptr);
  CHECK(table->RootNames() == std::vector<std::string>{"c"});
  CHECK(table->Validate() == std::vector<std::string>{"c: a node out of the table"});
  // The same entry pointing at a node inside the table (at 44: ten words, no
  // ranges) that is sound.
  const std::string good = Words({0x31544B4Fu, 0, 0, 0, 24, 0, 1, 36, 44, 1, 'c', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  auto sound = obslint::KeyTable::FromBlob(good);
  CHECK(sound->Validate().empty());
  CHECK(sound->Root("c") != nullptr);
  CHECK(sound->Root("d") == nullptr);
}
