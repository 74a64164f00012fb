// Key tables: which configuration keys each program accepts, per release
// (knowledge/keys/<format>.yaml; format in knowledge/keys/README.md),
// compiled at build time (analysis/key_blob.h) and read where they lie in the
// binary: nothing is parsed at run time, and a check touches only the nodes
// of the keys the config holds.
//
// CheckKeys walks a YAML value against a table node at the releases a
// service may run and reports what the program would reject or ignore:
// unknown keys (with "did you mean"), keys of other releases, wrong shapes,
// values outside an enum, durations the program cannot parse.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/version.h"
#include "model/project.h"
#include "model/suggest.h"

namespace obslint {

struct KeyNode;

class KeyTable {
 public:
  // The embedded table of `format` ("collector", "loki", "tempo",
  // "prometheus", "compose", "grafana"); nullptr when there is none.
  // Thread-safe.
  static const KeyTable* Get(std::string_view format);
  // A compiled table that lives as long as the returned one; throws when the
  // header is not one (the rest is trusted: see Validate).
  static std::unique_ptr<KeyTable> FromBlob(std::string_view blob);
  // Every node reachable from the roots and types checked: offsets inside the
  // table, indexes sorted, patterns that compile, ranges that are not empty.
  // The problems found; empty for a sound table. For tests (a run trusts
  // the tables the build compiled).
  std::vector<std::string> Validate() const;

  const std::string& program() const { return program_; }
  // true: the program refuses to start on an unknown key.
  bool strict() const { return strict_; }
  // Releases the table was built from, ascending.
  const std::vector<Version>& versions() const { return versions_; }
  // The root `name` ("config", "receivers/otlp"); nullptr when the table
  // has none.
  const KeyNode* Root(std::string_view name) const;
  // Every root the table has, for tests and tools.
  std::vector<std::string> RootNames() const;
  // Whether a root (or key) is in the table over all, part or none of `r`.
  static Judgement::Kind Presence(const KeyNode* node, const VersionRange& r);

  // The releases of `v` the table can judge: from its oldest release on
  // (a release after its newest is judged as the newest, like images newer
  // than the knowledge base). nullopt when none (older than the table, or
  // an unknown version).
  std::optional<VersionRange> Coverage(const EffectiveVersion& v) const;

  // The compiled table (analysis/key_blob.h).
  std::string_view blob() const { return blob_; }

 private:
  explicit KeyTable(std::string_view blob) : blob_(blob) {}
  void Index();  // reads program, strict and versions from the header
  std::string_view blob_;
  std::string program_;
  bool strict_ = false;
  std::vector<Version> versions_;
};

// One problem CheckKeys found.
struct KeyIssue {
  enum class Kind {
    kUnknown,        // no covered release accepts the key
    kOtherReleases,  // accepted only outside the releases the service runs
    kPartly,         // accepted on part of the releases the service may run
    kShape,          // a value of the wrong kind (a list where a map is expected)
    kValue,          // a scalar the program rejects (enum, duration, number)
  };
  Kind kind = Kind::kUnknown;
  const yaml::Node* key = nullptr;    // the offending key (kUnknown, kOtherReleases, kPartly)
  const yaml::Node* value = nullptr;  // the offending value (kShape, kValue)
  std::string path;                   // dotted path from the root ("server.http_listen_port")
  std::string suggestion;             // "did you mean" target; "" when none is close
  std::string expected;               // kShape/kValue: what is accepted ("a map", "one of a, b")
  // kOtherReleases / kPartly: the releases that accept the key.
  std::vector<std::pair<Version, std::optional<Version>>> accepted_in;
  VersionRange where;  // kPartly: the releases of the service that accept it
  std::string note;    // the table's hand-written hint for the key
};

struct KeyCheckOptions {
  // Report keys accepted on only part of the releases (a partial tag). Off
  // when the range is not the service's own (Compose: any release).
  bool report_partly = true;
  // Check scalar values (durations, numbers, enums). Off for releases that
  // convert loosely.
  bool check_values = true;
  // A scalar is accepted where a list is expected (the collector splits a
  // string on commas into a list of strings).
  bool scalar_to_list = false;
};

// Walks `value` against `node` at the releases `range`.
std::vector<KeyIssue> CheckKeys(const KeyTable& table, const KeyNode* node,
                                const yaml::Node* value, const VersionRange& range,
                                const KeyCheckOptions& options = {});

// "0.144.0 or newer", "releases before 3.0.0", "2.9.0 to 2.9.2".
std::string DescribeReleases(const std::vector<std::pair<Version, std::optional<Version>>>& ranges);

}  // namespace obslint
