// Machine-readable output; the schema is documented in docs/output-formats.md
// and versioned by the top-level "version" (bumped only on incompatible change).
#include <ostream>
#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "model/project.h"
#include "report/internal.h"
#include "report/report.h"

namespace obslint {
namespace {

// Written to a buffer and flushed once: rapidjson's OStreamWrapper calls
// ostream::put for every character.
using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void String(Writer& w, std::string_view s) {
  std::string valid = report_internal::ValidUtf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void WriteLocation(Writer& w, const Location& loc) {
  w.StartObject();
  w.Key("file");
  String(w, loc.file);
  w.Key("line");
  w.Int(loc.line);
  w.Key("column");
  w.Int(loc.column);
  // Resolved here so consumers need not know that 0 means "same line".
  w.Key("endLine");
  w.Int(loc.line > 0 && loc.end_line == 0 ? loc.line : loc.end_line);
  w.Key("endColumn");
  w.Int(loc.end_column);
  w.EndObject();
}

}  // namespace

void WriteJson(const std::vector<Finding>& findings, const Project& project,
               const ReportOptions& options, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("version");
  w.Int(1);
  w.Key("tool");
  w.StartObject();
  w.Key("name");
  w.String("obslint");
  w.Key("version");
  String(w, options.tool_version.empty() ? std::string_view(OBSLINT_VERSION)
                                         : std::string_view(options.tool_version));
  w.EndObject();
  // Added in obslint 0.2 (schema version 1: fields are only ever added).
  w.Key("stacks");
  w.StartArray();
  auto strings = [&](const std::vector<std::string>& items) {
    w.StartArray();
    for (const auto& item : items) String(w, item);
    w.EndArray();
  };
  for (const StackSummary& s : options.stacks) {
    w.StartObject();
    w.Key("path");
    String(w, s.path);
    w.Key("composeFiles");
    strings(s.compose_files);
    w.Key("composeFilesFrom");
    String(w, s.files_from);
    w.Key("activeProfiles");
    strings(s.active_profiles);
    w.Key("profilesFrom");
    String(w, s.profiles_from);
    w.Key("declaredProfiles");
    strings(s.declared_profiles);
    w.Key("servicesNotStarted");
    strings(s.not_started);
    w.Key("envFiles");
    strings(s.env_files);
    w.Key("envExample");
    w.Bool(s.env_example);
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const Finding& f : findings) {
    w.StartObject();
    w.Key("code");
    String(w, f.code);
    w.Key("name");
    String(w, f.name);
    w.Key("severity");
    String(w, SeverityName(f.severity));
    w.Key("message");
    String(w, f.message);
    w.Key("location");
    WriteLocation(w, f.loc);
    w.Key("related");
    w.StartArray();
    for (const Related& r : f.related) {
      w.StartObject();
      w.Key("message");
      String(w, r.message);
      w.Key("location");
      WriteLocation(w, r.loc);
      w.EndObject();
    }
    w.EndArray();
    w.Key("help");
    String(w, f.help);
    w.Key("fingerprint");
    String(w, report_internal::Fingerprint(f, project));
    w.EndObject();
  }
  w.EndArray();
  report_internal::Counts counts = report_internal::CountFindings(findings);
  w.Key("summary");
  w.StartObject();
  w.Key("errors");
  w.Int(counts.errors);
  w.Key("warnings");
  w.Int(counts.warnings);
  w.Key("notes");
  w.Int(counts.notes);
  w.Key("files");
  w.Int(options.files_checked);
  w.EndObject();
  w.EndObject();
  out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
  out << '\n';
}

}  // namespace obslint
