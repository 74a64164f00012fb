// Helpers shared by the reporters in src/report/ only (not part of the
// public contract in report.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"

namespace obslint {

struct Project;
struct StackSummary;

namespace report_internal {

struct Counts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
  int total() const { return errors + warnings + notes; }
};
Counts CountFindings(const std::vector<Finding>& findings);

// "1 error", "2 errors".
std::string Plural(int n, std::string_view singular);
// "3 errors, 1 note in 7 files" / "no findings in 7 files".
std::string SummaryLine(const Counts& counts, int files);

// What text-like reports say about the stacks before the findings: the
// example .env read in place of a missing .env, the compose files
// COMPOSE_FILE chose, the active profiles and the services they leave out.
// Nothing for a stack where none of that applies.
std::vector<std::string> StackNotes(const std::vector<StackSummary>& stacks);

// Text of `loc`'s line from the project ("" when unknown).
std::string_view LineText(const Project& project, const Location& loc);
// finding.line_hash, or LineHash computed from the offending line.
std::string Fingerprint(const Finding& finding, const Project& project);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, so JSON and
// SARIF stay parseable whatever bytes a file held.
std::string ValidUtf8(std::string_view text);

// 1-based byte column on `line` -> 1-based UTF-16 code unit column. Bytes
// past the end of the line count one unit each.
int Utf16Column(std::string_view line, int byte_column);
// Exclusive end byte column of a location on its last line: end_column, or
// one character after `column` when the end is unknown.
int EndByteColumn(std::string_view line, int column, int end_column);

// `line` with every secret it shows replaced by '*' of the same length, so
// columns stay put: URL userinfo passwords, and values of secret-like keys
// (`POSTGRES_PASSWORD: x`, `- SECRET_KEY=x`, `TOKEN=x`). References such as
// `${VAR}` are kept: they show no secret.
// Bytes in [keep_from, keep_to) are left alone (the caller masks them itself).
std::string RedactSecretsInLine(std::string_view line, size_t keep_from = 0, size_t keep_to = 0);

}  // namespace report_internal
}  // namespace obslint
