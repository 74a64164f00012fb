#include "engine/baseline.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>


namespace obslint {
namespace {

namespace fs = std::filesystem;

// Path of a finding's file relative to the baseline's directory, so the
// baseline works from any working directory.
std::string RelativeToBaseline(const std::string& baseline_path, const std::string& display_path) {
  if (display_path.empty()) return display_path;
  std::error_code ec;
  fs::path base = fs::absolute(baseline_path, ec).parent_path();
  fs::path file = fs::absolute(display_path, ec);
  fs::path rel = file.lexically_normal().lexically_relative(base.lexically_normal());
  return rel.empty() ? display_path : rel.generic_string();
}

std::string HashOf(const std::string& code, const std::string& rel_file, const Finding& f,
                   const Project& project) {
  std::string_view line;
  if (f.loc.line > 0) {
    if (const SourceFile* file = project.FileByPath(f.loc.file)) line = file->Line(f.loc.line);
  }
  // Findings without a line (whole file) hash the message instead.
  return LineHash(code, rel_file, f.loc.line > 0 ? line : std::string_view(f.message));
}

}  // namespace

bool WriteBaseline(const std::string& path, const std::vector<Finding>& findings,
                   const Project& project, std::string& error) {
  std::vector<BaselineEntry> entries;
  for (const Finding& f : findings) {
    std::string rel = RelativeToBaseline(path, f.loc.file);
    entries.push_back({f.code, rel, HashOf(f.code, rel, f, project)});
  }
  std::sort(entries.begin(), entries.end(), [](const BaselineEntry& a, const BaselineEntry& b) {
    return std::tie(a.file, a.code, a.hash) < std::tie(b.file, b.code, b.hash);
  });
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("version");
  w.Int(1);
  w.Key("tool");
  w.String("obslint");
  w.Key("findings");
  w.StartArray();
  for (const BaselineEntry& e : entries) {
    w.StartObject();
    w.Key("code");
    w.String(e.code.c_str());
    w.Key("file");
    w.String(e.file.c_str());
    w.Key("hash");
    w.String(e.hash.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  out << sb.GetString() << "\n";
  out.flush();
  if (!out) {
    error = fmt::format("cannot write {}", path);
    return false;
  }
  return true;
}

bool ReadBaseline(const std::string& path, std::vector<BaselineEntry>& entries, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read baseline {}: {}", path, std::strerror(errno));
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("findings") ||
      !doc["findings"].IsArray()) {
    error = fmt::format("{} is not an obslint baseline (write one with --write-baseline)", path);
    return false;
  }
  for (const auto& item : doc["findings"].GetArray()) {
    if (!item.IsObject()) continue;
    auto str = [&](const char* key) -> std::string {
      auto it = item.FindMember(key);
      return it != item.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
    };
    BaselineEntry e{str("code"), str("file"), str("hash")};
    if (!e.code.empty() && !e.hash.empty()) entries.push_back(std::move(e));
  }
  return true;
}

size_t ApplyBaseline(const std::string& path, const std::vector<BaselineEntry>& entries,
                     const Project& project, std::vector<Finding>& findings) {
  std::map<std::tuple<std::string, std::string, std::string>, int> budget;
  for (const BaselineEntry& e : entries) ++budget[{e.code, e.file, e.hash}];
  size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& f) {
    std::string rel = RelativeToBaseline(path, f.loc.file);
    auto it = budget.find({f.code, rel, HashOf(f.code, rel, f, project)});
    if (it == budget.end() || it->second == 0) return false;
    --it->second;
    return true;
  });
  return before - findings.size();
}

}  // namespace obslint
