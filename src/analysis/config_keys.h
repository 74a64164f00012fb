// Every configuration file of a stack checked against the key table of the
// program that reads it, at the releases the service running it may be:
// compose files (any Compose release), collector configs (top level,
// `service` and each component), Loki, Tempo and Prometheus configs, Grafana
// provisioning files. A file no service runs, an image of unknown version or
// a release older than a table is not judged (never guessed at).
#pragma once

#include <string>
#include <vector>

#include "analysis/keys.h"

namespace obslint {

class Analysis;

struct KeyFinding {
  std::string format;   // the table: collector, loki, tempo, prometheus, compose, grafana
  const KeyTable* table = nullptr;
  const SourceFile* file = nullptr;
  // Collector components: "receivers", "otlp/in"; empty for other parts.
  std::string component_kind;
  std::string component_id;
  // Who reads the file at which releases, for messages: "otelcol-contrib
  // 0.92.0", "Grafana Loki 3.0.0"; for Compose "Compose".
  std::string reader;
  std::string tag;  // the image tag, for notes about part of its releases
  VersionRange range;  // the releases judged
  KeyIssue issue;
};

// What was checked and what was not, for `--verbose`: one entry per file
// part and reader.
struct KeyCoverage {
  std::string file;     // display path
  std::string part;     // "config", "receivers/otlp", "datasources"...
  std::string reader;   // "Grafana Loki 3.0.0", "Compose"; "" when no reader
  std::string skipped;  // why it was not judged; "" when it was
};

// The key findings of the whole stack, deduplicated (a file run by two
// services of the same release is reported once). With `coverage`, also
// records what was checked and what was skipped, and why.
std::vector<KeyFinding> CheckConfigKeys(const Analysis& analysis,
                                        std::vector<KeyCoverage>* coverage = nullptr);

}  // namespace obslint
