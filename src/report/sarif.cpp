// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Checked
// with Sarif.Multitool (`validate --rule-kind "Sarif;Gh"`) by
// tests/e2e/sarif_validate.sh.
//
// Columns: obslint counts 1-based bytes; SARIF's default columnKind is
// utf16CodeUnits (what GitHub and VS Code assume), so columns are converted
// with the source line and the run says "utf16CodeUnits" explicitly.
#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "engine/registry.h"
#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

// Written to a buffer and flushed once: rapidjson's OStreamWrapper calls
// ostream::put for every character.
using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
using report_internal::Utf16Column;

constexpr std::string_view kInformationUri = "https://github.com/obslint/obslint";

void String(Writer& w, std::string_view s) {
  std::string valid = report_internal::ValidUtf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void Text(Writer& w, std::string_view key, std::string_view text) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.StartObject();
  w.Key("text");
  String(w, text);
  w.EndObject();
}

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "warning";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Percent-encodes a path for a URI (RFC 3986 path characters kept). ':' is
// encoded too: in a relative reference it would read as a scheme.
std::string EncodePath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (c == '\\') c = '/';
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) !=
                    std::string_view::npos;
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string BaseUri(const ReportOptions& options) {
  std::string base = options.uri_base;
  if (base.empty()) {
    // The CLI normally passes the working directory; display paths are
    // relative to it, so it is the right fallback.
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).generic_string();
    if (ec) cwd = "/";
    // Built by appending: GCC 12 warns (-Wrestrict, a false positive) on
    // "literal" + std::string here.
    base = "file://";
    base += EncodePath(cwd);
  }
  if (base.empty() || base.back() != '/') base += '/';
  return base;
}

// Flow list from a doc's front matter: "[compose, hygiene]" -> items.
std::vector<std::string> ParseTags(std::string_view value) {
  std::vector<std::string> tags;
  value = Trim(value);
  if (value.starts_with('[') && value.ends_with(']')) value = value.substr(1, value.size() - 2);
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = Trim(value.substr(0, comma));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') &&
        item.back() == item.front())
      item = item.substr(1, item.size() - 2);
    if (!item.empty()) tags.emplace_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return tags;
}

// First paragraph under the "What it does" heading of a rule doc body.
std::string WhatItDoes(std::string_view body) {
  size_t heading = body.find("What it does");
  if (heading == std::string_view::npos) return {};
  size_t pos = body.find('\n', heading);
  if (pos == std::string_view::npos) return {};
  std::string para;
  ++pos;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = Trim(body.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) {
      if (para.empty()) continue;
      break;
    }
    if (line.starts_with('#')) break;
    if (!para.empty()) para += ' ';
    para += line;
  }
  return para;
}

void WriteRule(Writer& w, const Rule& rule) {
  std::string_view doc = RuleDoc(rule.code);
  std::string_view body = RuleDocBody(doc);
  std::string full = doc.empty() ? std::string() : WhatItDoes(body);
  if (full.empty()) full = std::string(rule.summary);

  w.StartObject();
  w.Key("id");
  String(w, rule.code);
  w.Key("name");
  String(w, rule.name);
  Text(w, "shortDescription", rule.summary);
  Text(w, "fullDescription", full);
  w.Key("help");
  w.StartObject();
  w.Key("text");
  String(w, body.empty() ? rule.summary : body);
  w.Key("markdown");
  String(w, body.empty() ? rule.summary : body);
  w.EndObject();
  w.Key("helpUri");
  String(w, fmt::format("{}/blob/main/rules/{}.md", kInformationUri, rule.code));
  w.Key("defaultConfiguration");
  w.StartObject();
  w.Key("level");
  String(w, Level(rule.severity));
  w.EndObject();

  std::vector<std::string> tags = ParseTags(RuleDocField(doc, "tags"));
  bool security = rule.code.starts_with("OBS8");
  if (security && std::find(tags.begin(), tags.end(), "security") == tags.end())
    tags.emplace_back("security");
  std::string precision = RuleDocField(doc, "precision");
  if (precision.empty()) precision = rule.severity == Severity::kError ? "high" : "medium";
  w.Key("properties");
  w.StartObject();
  w.Key("tags");
  w.StartArray();
  for (const std::string& t : tags) String(w, t);
  w.EndArray();
  w.Key("precision");
  String(w, precision);
  if (security) {
    // GitHub maps security-severity to critical/high/medium/low.
    w.Key("security-severity");
    String(w, rule.severity == Severity::kError     ? "8.0"
              : rule.severity == Severity::kWarning ? "5.0"
                                                    : "2.0");
  }
  w.EndObject();
  w.EndObject();
}

void WritePhysicalLocation(Writer& w, const Location& loc, const Project& project) {
  w.Key("physicalLocation");
  w.StartObject();
  w.Key("artifactLocation");
  w.StartObject();
  std::string file = loc.file;
  while (file.starts_with("./")) file.erase(0, 2);
  w.Key("uri");
  if (file.starts_with('/')) {
    String(w, "file://" + EncodePath(file));
  } else {
    String(w, EncodePath(file));
    w.Key("uriBaseId");
    w.String("SRCROOT");
  }
  w.EndObject();
  if (loc.line > 0) {
    std::string_view first = report_internal::LineText(project, loc);
    int end_line = loc.end_line > 0 ? loc.end_line : loc.line;
    Location last_loc = loc;
    last_loc.line = end_line;
    std::string_view last = end_line == loc.line ? first
                                                 : report_internal::LineText(project, last_loc);
    w.Key("region");
    w.StartObject();
    w.Key("startLine");
    w.Int(loc.line);
    if (loc.column > 0) {
      w.Key("startColumn");
      w.Int(Utf16Column(first, loc.column));
    }
    w.Key("endLine");
    w.Int(end_line);
    if (loc.column > 0 || loc.end_column > 0) {
      int end_column = loc.end_column;
      if (end_line == loc.line)
        end_column = report_internal::EndByteColumn(first, loc.column, loc.end_column);
      if (end_column > 0) {
        w.Key("endColumn");
        w.Int(Utf16Column(last, end_column));
      }
    }
    w.EndObject();
  } else {
    // A whole-file finding. Viewers (and Sarif.Multitool's SARIF2017) want
    // a region; the whole file is the honest one.
    const SourceFile* source = project.FileByPath(loc.file);
    w.Key("region");
    w.StartObject();
    w.Key("startLine");
    w.Int(1);
    w.Key("endLine");
    w.Int(source != nullptr && source->LineCount() > 0 ? source->LineCount() : 1);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

void WriteSarif(const std::vector<Finding>& findings, const Project& project,
                const ReportOptions& options, std::ostream& out) {
  std::span<const Rule> rules = AllRules();
  std::map<std::string_view, int> rule_index;
  for (size_t i = 0; i < rules.size(); ++i) rule_index[rules[i].code] = static_cast<int>(i);
  std::string version =
      options.tool_version.empty() ? std::string(OBSLINT_VERSION) : options.tool_version;

  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("$schema");
  w.String("https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("version");
  w.String("2.1.0");
  w.Key("runs");
  w.StartArray();
  w.StartObject();

  w.Key("tool");
  w.StartObject();
  w.Key("driver");
  w.StartObject();
  w.Key("name");
  w.String("obslint");
  w.Key("informationUri");
  String(w, kInformationUri);
  w.Key("version");
  String(w, version);
  w.Key("semanticVersion");
  String(w, version);
  // Every rule, not only those reported: GitHub closes alerts of rules that
  // ran and found nothing, and shows rule help for all.
  w.Key("rules");
  w.StartArray();
  for (const Rule& rule : rules) WriteRule(w, rule);
  w.EndArray();
  w.EndObject();
  w.EndObject();

  if (!options.automation_id.empty()) {
    w.Key("automationDetails");
    w.StartObject();
    w.Key("id");
    String(w, options.automation_id);
    w.EndObject();
  }
  w.Key("originalUriBaseIds");
  w.StartObject();
  w.Key("SRCROOT");
  w.StartObject();
  w.Key("uri");
  String(w, BaseUri(options));
  w.EndObject();
  w.EndObject();
  w.Key("columnKind");
  w.String("utf16CodeUnits");
  if (!options.stacks.empty()) {
    // What obslint read for each stack (profiles, example .env): a property
    // bag, so SARIF viewers that do not know it ignore it.
    w.Key("properties");
    w.StartObject();
    w.Key("stacks");
    w.StartArray();
    for (const StackSummary& s : options.stacks) {
      w.StartObject();
      w.Key("path");
      String(w, s.path);
      w.Key("activeProfiles");
      w.StartArray();
      for (const auto& p : s.active_profiles) String(w, p);
      w.EndArray();
      w.Key("servicesNotStarted");
      w.StartArray();
      for (const auto& n : s.not_started) String(w, n);
      w.EndArray();
      w.Key("envFiles");
      w.StartArray();
      for (const auto& e : s.env_files) String(w, e);
      w.EndArray();
      w.Key("envExample");
      w.Bool(s.env_example);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }

  // Same code and line text twice in a file (e.g. two identical lines):
  // GitHub's convention is "hash:occurrence" so both alerts survive.
  std::map<std::string, int> occurrences;
  w.Key("results");
  w.StartArray();
  for (const Finding& f : findings) {
    w.StartObject();
    w.Key("ruleId");
    String(w, f.code);
    if (auto it = rule_index.find(f.code); it != rule_index.end()) {
      w.Key("ruleIndex");
      w.Int(it->second);
    }
    w.Key("level");
    String(w, Level(f.severity));
    Text(w, "message", f.message);
    w.Key("locations");
    w.StartArray();
    w.StartObject();
    WritePhysicalLocation(w, f.loc, project);
    w.EndObject();
    w.EndArray();
    if (!f.related.empty()) {
      w.Key("relatedLocations");
      w.StartArray();
      int id = 1;
      for (const Related& r : f.related) {
        w.StartObject();
        w.Key("id");
        w.Int(id++);
        WritePhysicalLocation(w, r.loc, project);
        Text(w, "message", r.message);
        w.EndObject();
      }
      w.EndArray();
    }
    std::string hash = report_internal::Fingerprint(f, project);
    int n = ++occurrences[f.code + '\n' + f.loc.file + '\n' + hash];
    w.Key("partialFingerprints");
    w.StartObject();
    w.Key("primaryLocationLineHash");
    String(w, fmt::format("{}:{}", hash, n));
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();

  w.EndObject();
  w.EndArray();
  w.EndObject();
  out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
  out << '\n';
}

}  // namespace obslint
