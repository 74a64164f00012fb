// Output formats. Every reporter takes the same sorted findings; none
// recomputes anything. Files are looked up only to print snippets.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"

namespace obslint {

struct Project;

// What a report says about each stack besides its findings (text and
// markdown only when it matters; json and sarif always).
struct StackSummary {
  std::string path;                         // as given or found
  std::vector<std::string> compose_files;   // display paths, in merge order
  std::string files_from;                   // "COMPOSE_FILE in .env" when that chose them
  std::vector<std::string> active_profiles; // "*" = every profile
  std::string profiles_from;                // "--profile", "COMPOSE_PROFILES in .env", ...
  std::vector<std::string> declared_profiles;
  std::vector<std::string> not_started;     // services the active profiles leave out
  std::vector<std::string> env_files;       // read for interpolation
  bool env_example = false;                 // env_files is a template standing in for .env
};

struct ReportOptions {
  bool color = false;
  std::string tool_version;   // "0.1.0"
  std::string automation_id;  // SARIF automationDetails.id ("obslint/" + stack root)
  std::string uri_base;       // SARIF originalUriBaseIds SRCROOT (file:///abs/dir/)
  int files_checked = 0;      // summary line
  std::vector<StackSummary> stacks;
};

void WriteText(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out);
void WriteJson(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out);
void WriteSarif(const std::vector<Finding>& findings, const Project& project,
                const ReportOptions& options, std::ostream& out);
// GitHub workflow-command escaping of a message (actions/toolkit escapeData:
// %, CR, LF), shared by the github format and `obslint github-action`.
std::string GithubEscapeData(std::string_view s);

void WriteGithub(const std::vector<Finding>& findings, const Project& project,
                 const ReportOptions& options, std::ostream& out);
void WriteMarkdown(const std::vector<Finding>& findings, const Project& project,
                   const ReportOptions& options, std::ostream& out);

// The Compose model as obslint resolved it (`obslint compose-config`): JSON
// with the services (started or not) and the position of every value.
void WriteComposeModel(const Project& project, std::ostream& out);


// Rule documentation embedded from rules/OBSnnn.md ("" when missing).
std::string_view RuleDoc(std::string_view code);
// Front matter value of a rule doc ("severity", "tags", ...).
std::string RuleDocField(std::string_view doc, std::string_view field);
// Body of a rule doc without its front matter.
std::string_view RuleDocBody(std::string_view doc);

}  // namespace obslint
