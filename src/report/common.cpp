#include <cstdint>

#include <fmt/format.h>

#include "model/project.h"
#include "report/internal.h"

#include "knowledge/knowledge.h"
#include "knowledge/secret_matcher.h"
#include "report/report.h"

namespace obslint {

namespace report_internal {

Counts CountFindings(const std::vector<Finding>& findings) {
  Counts counts;
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::kError: ++counts.errors; break;
      case Severity::kWarning: ++counts.warnings; break;
      case Severity::kNote: ++counts.notes; break;
    }
  }
  return counts;
}

std::string Plural(int n, std::string_view singular) {
  return fmt::format("{} {}{}", n, singular, n == 1 ? "" : "s");
}

std::vector<std::string> StackNotes(const std::vector<StackSummary>& stacks) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  std::vector<std::string> lines;
  for (const StackSummary& s : stacks) {
    if (s.env_example && !s.env_files.empty())
      lines.push_back(fmt::format("{}: no .env; variables for interpolation read from {}", s.path,
                                  join(s.env_files)));
    if (!s.files_from.empty())
      lines.push_back(fmt::format("{}: compose files {} ({})", s.path, join(s.compose_files),
                                  s.files_from));
    if (s.declared_profiles.empty() && s.active_profiles.empty()) continue;
    std::string active;
    if (s.active_profiles == std::vector<std::string>{"*"}) active = "all";
    else active = s.active_profiles.empty() ? "none" : join(s.active_profiles);
    std::string line = fmt::format("{}: active profiles: {}", s.path, active);
    if (!s.profiles_from.empty()) line += fmt::format(" ({})", s.profiles_from);
    if (!s.not_started.empty()) line += fmt::format("; not started: {}", join(s.not_started));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string SummaryLine(const Counts& counts, int files) {
  std::string text;
  auto add = [&text](int n, std::string_view what) {
    if (n == 0) return;
    if (!text.empty()) text += ", ";
    text += Plural(n, what);
  };
  add(counts.errors, "error");
  add(counts.warnings, "warning");
  add(counts.notes, "note");
  if (text.empty()) text = "no findings";
  return fmt::format("{} in {}", text, Plural(files, "file"));
}

std::string_view LineText(const Project& project, const Location& loc) {
  if (loc.line <= 0) return {};
  const SourceFile* file = project.FileByPath(loc.file);
  if (file == nullptr) return {};
  return file->Line(loc.line);
}

std::string Fingerprint(const Finding& finding, const Project& project) {
  if (!finding.line_hash.empty()) return finding.line_hash;
  return LineHash(finding.code, finding.loc.file, LineText(project, finding.loc));
}

std::string ValidUtf8(std::string_view text) {
  // Valid runs are copied whole: most text (rule docs, messages) is ASCII.
  std::string out;
  size_t run = 0;  // start of the valid run not yet copied
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok) {
      // Reject overlong forms, surrogates and values past U+10FFFF.
      uint32_t cp = c & (0x7F >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
      static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      i += len;
      continue;
    }
    out.append(text.substr(run, i - run));
    out += "\xEF\xBF\xBD";
    run = ++i;
  }
  if (run == 0) return std::string(text);
  out.append(text.substr(run));
  return out;
}

int Utf16Column(std::string_view line, int byte_column) {
  if (byte_column <= 0) return byte_column;
  int units = 0;
  for (size_t i = 0; i + 1 < static_cast<size_t>(byte_column); ++i) {
    if (i >= line.size()) {
      ++units;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += c >= 0xF0 ? 2 : 1;         // 4-byte sequences need a surrogate pair
  }
  return units + 1;
}

int EndByteColumn(std::string_view line, int column, int end_column) {
  if (end_column > column) return end_column;
  // Unknown end: one whole character, which may span several bytes.
  int end = column + 1;
  while (end - 1 < static_cast<int>(line.size()) &&
         (static_cast<unsigned char>(line[end - 1]) & 0xC0) == 0x80)
    ++end;
  return end;
}

namespace {

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool SecretKey(std::string_view key) { return SecretMatcher::Embedded().IsSecretKey(key); }

}  // namespace

std::string RedactSecretsInLine(std::string_view line, size_t keep_from, size_t keep_to) {
  std::string out(line);
  auto blank = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && i < out.size(); ++i)
      if (i < keep_from || i >= keep_to) out[i] = '*';
  };
  // URL userinfo: scheme://user:password@host
  for (size_t pos = out.find("://"); pos != std::string::npos; pos = out.find("://", pos + 3)) {
    size_t start = pos + 3;
    size_t end = start;
    while (end < out.size() && out[end] != '@' && out[end] != '/' && out[end] != ' ' &&
           out[end] != '"' && out[end] != '\'') {
      ++end;
    }
    if (end >= out.size() || out[end] != '@') continue;
    size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < end) blank(colon + 1, end);
  }
  // KEY: value / KEY=value with a secret-like key.
  size_t i = 0;
  while (i < out.size()) {
    if (!IsKeyChar(out[i]) || (i > 0 && IsKeyChar(out[i - 1]))) {
      ++i;
      continue;
    }
    size_t k = i;
    while (k < out.size() && IsKeyChar(out[k])) ++k;
    std::string_view key(out.data() + i, k - i);
    size_t sep = k;
    if (sep < out.size() && (out[sep] == '"' || out[sep] == '\'')) ++sep;
    // INI style (grafana.ini): `admin_password = secret`.
    size_t spaced = sep;
    while (spaced < out.size() && (out[spaced] == ' ' || out[spaced] == '\t')) ++spaced;
    if (spaced > sep && spaced < out.size() && out[spaced] == '=') sep = spaced;
    if (sep >= out.size() || (out[sep] != ':' && out[sep] != '=') || !SecretKey(key)) {
      i = k;
      continue;
    }
    size_t v = sep + 1;
    while (v < out.size() && (out[v] == ' ' || out[v] == '\t')) ++v;
    char quote = 0;
    if (v < out.size() && (out[v] == '"' || out[v] == '\'')) quote = out[v++];
    if (out.compare(v, 2, "${") == 0) {
      // A reference shows no secret; only a default (`:-`, `-`) may.
      size_t close = out.find('}', v);
      if (close == std::string::npos) close = out.size();
      size_t name_end = v + 2;
      while (name_end < close && IsKeyChar(out[name_end]) && out[name_end] != '-') ++name_end;
      size_t op = name_end;
      if (op < close && out[op] == ':') ++op;
      if (op < close && out[op] == '-') blank(op + 1, close);
      i = close;
      continue;
    }
    size_t end = v;
    while (end < out.size() && (quote ? out[end] != quote : (out[end] != ' ' && out[end] != '#')))
      ++end;
    blank(v, end);
    i = end;
  }
  return out;
}

}  // namespace report_internal
}  // namespace obslint
