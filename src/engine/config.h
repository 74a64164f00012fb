// .obslint.yaml: rule selection, severity overrides, path exclusions and the
// stack policy. Validated against schemas/obslint-config.schema.json (the
// same schema editors use through yaml-language-server); every problem is an
// OBS002 finding with the file:line:column of the offending key or value.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/finding.h"
#include "model/project.h"

namespace obslint {

inline constexpr const char* kConfigFileName = ".obslint.yaml";

struct Config {
  std::string path;                // display path ("" = no config file)
  std::string abs_path;
  std::vector<std::string> select;  // rules.select
  std::vector<std::string> ignore;  // rules.ignore
  std::map<std::string, Severity, std::less<>> severity;  // rules.severity
  std::vector<std::string> exclude;  // paths.exclude (RE2)
  Policy policy;                     // policy:, with positions into the file
  std::vector<Finding> errors;       // OBS002, sorted
  // The file itself, kept for snippets of OBS002 and policy findings.
  std::shared_ptr<SourceFile> source;

  bool ok() const { return errors.empty(); }
};

// The .obslint.yaml that applies to a stack at `start` (a directory or a
// compose file): the nearest one in that directory or above, stopping at the
// directory that holds `.git` (a repository's root). "" when there is none.
std::string FindConfig(const std::string& start);

// Reads and validates `path`. Returns false only when the file cannot be
// read (`error` says why); schema problems are OBS002 findings in `out.errors`.
bool LoadConfig(const std::string& path, Config& out, std::string& error);

// Validates already-read text (for tests). `display_path` names it in findings.
void ParseConfig(std::string_view text, const std::string& display_path, Config& out);

}  // namespace obslint

namespace obslint {

class Knowledge;

// `obslint init [PATH] [--force]`: writes a commented .obslint.yaml for the
// stack at `path`, with an analytics policy matching the services it runs.
// Never overwrites an existing file unless `force`. Prints what it wrote to
// `out`, problems to `err`; returns the exit code.
int InitConfig(const std::string& path, bool force, const Knowledge& knowledge, std::ostream& out,
               std::ostream& err);

// The text InitConfig writes for `project` (for tests).
std::string InitConfigText(const Project& project, const Knowledge& knowledge);

}  // namespace obslint
