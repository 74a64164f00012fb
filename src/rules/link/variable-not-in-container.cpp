// OBS708: a config file expands ${VAR} at runtime, inside the container, but
// the container's environment does not set VAR. A `.env` entry does not help:
// Compose reads .env only to interpolate the compose file itself.
#include <fmt/format.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

struct RuntimeRef {
  std::string name;
  bool has_default = false;
  Location loc;
};

bool NameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool NameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Variables provided by the container runtime or the image itself.
bool RuntimeProvided(std::string_view name) {
  return name == "HOSTNAME" || name == "HOME" || name == "PATH" || name == "PWD" ||
         name == "USER" || name.starts_with("GF_PATHS_");
}

Location RefLoc(const yaml::Node* node, const std::string& file, size_t offset, size_t length) {
  Location loc = yaml::LocationOf(node, file);
  bool one_line = node->scalar.find('\n') == std::string::npos;
  if (one_line && loc.HasPosition()) {
    loc.column = node->column + (node->quoted ? 1 : 0) + static_cast<int>(offset);
    loc.end_line = 0;
    loc.end_column = loc.column + static_cast<int>(length);
  }
  return loc;
}

// Collector: ${VAR}, ${env:VAR}, ${VAR:-d}, ${env:VAR:-d}, $VAR; $$ escapes.
// Grafana: $VAR, ${VAR}, $__env{VAR}; $$ escapes.
void ScanScalar(const yaml::Node* node, const std::string& file, bool grafana,
                std::vector<RuntimeRef>& out) {
  const std::string& s = node->scalar;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') continue;
    if (i + 1 < s.size() && s[i + 1] == '$') {
      ++i;
      continue;
    }
    size_t start = i;
    if (i + 1 < s.size() && s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string::npos) break;
      std::string_view body = std::string_view(s).substr(i + 2, close - i - 2);
      i = close;
      if (body.starts_with("env:")) body.remove_prefix(4);
      size_t n = 0;
      while (n < body.size() && NameChar(body[n])) ++n;
      if (n == 0 || !NameStart(body[0]) || body.starts_with("__")) continue;
      std::string_view rest = body.substr(n);
      RuntimeRef ref{std::string(body.substr(0, n)), false, {}};
      if (!rest.empty()) {
        if (grafana) continue;
        if (!rest.starts_with(":-")) continue;  // another provider (file:, http:) or syntax
        ref.has_default = true;
      }
      ref.loc = RefLoc(node, file, start, close + 1 - start);
      out.push_back(std::move(ref));
    } else if (grafana && std::string_view(s).substr(i + 1).starts_with("__env{")) {
      size_t close = s.find('}', i + 7);
      if (close == std::string::npos) break;
      std::string name = s.substr(i + 7, close - i - 7);
      i = close;
      if (name.empty() || !NameStart(name[0])) continue;
      out.push_back({name, false, RefLoc(node, file, start, close + 1 - start)});
    } else {
      size_t n = i + 1;
      while (n < s.size() && NameChar(s[n])) ++n;
      if (n == i + 1 || !NameStart(s[i + 1]) || s[i + 1] == '_') continue;
      out.push_back({s.substr(i + 1, n - i - 1), false, RefLoc(node, file, start, n - start)});
      i = n - 1;
    }
  }
}

void Walk(const yaml::Node* node, const std::string& file, bool grafana,
          std::vector<RuntimeRef>& out, int depth = 0) {
  if (node == nullptr || depth > 64) return;
  switch (node->kind) {
    case yaml::Kind::kScalar: ScanScalar(node, file, grafana, out); break;
    case yaml::Kind::kSequence:
      for (const auto* item : node->items) Walk(item, file, grafana, out, depth + 1);
      break;
    case yaml::Kind::kMap:
      for (const auto& [k, v] : node->entries) Walk(v, file, grafana, out, depth + 1);
      break;
    case yaml::Kind::kNull: break;
  }
}

const EnvEntry* ProjectEnvEntry(const Project& p, std::string_view name) {
  for (const auto& e : p.env_files)
    if (e.is_project_env)
      if (const EnvEntry* entry = e.Find(name)) return entry;
  return nullptr;
}

void CheckFile(const Project& p, const SourceFile* source, const std::vector<std::string>& services,
               bool grafana, std::string_view reader, Reporter& r) {
  if (source == nullptr || services.empty() || source->yaml.root == nullptr) return;
  std::vector<RuntimeRef> refs;
  Walk(source->yaml.root, source->path, grafana, refs);
  for (const auto& service_name : services) {
    const ComposeService* s = p.compose.Service(service_name);
    if (s == nullptr) continue;
    for (const RuntimeRef& ref : refs) {
      if (s->Env(ref.name) != nullptr || RuntimeProvided(ref.name)) continue;
      const EnvEntry* dotenv = ProjectEnvEntry(p, ref.name);
      bool in_compose_vars = p.variables.count(ref.name) > 0;
      // An unset variable with a default is fine unless the user clearly
      // meant a value to arrive (it is set for Compose).
      if (ref.has_default && dotenv == nullptr && !in_compose_vars) continue;
      std::string message = fmt::format(
          "{} reads ${{{}}} from the container's environment at runtime, but service \"{}\" does "
          "not set {}{}",
          reader, ref.name, s->name, ref.name,
          dotenv != nullptr ? " (.env only feeds Compose interpolation, not the container)"
          : ref.has_default ? ", so the default is used"
                            : "");
      std::string help = fmt::format(
          "add `- {0}=${{{0}}}` to environment: of service \"{1}\"", ref.name, s->name);
      Finding& f = r.Report("OBS708", ref.loc, std::move(message), std::move(help));
      if (dotenv != nullptr)
        f.related.push_back({dotenv->key_loc, fmt::format("{} is set here, for Compose only", ref.name)});
      f.related.push_back({link::ServiceKeyLoc(*s, "environment"),
                           fmt::format("environment of service \"{}\"", s->name)});
    }
  }
}

}  // namespace

void CheckVariableNotInContainer(const Project& p, const Knowledge&, Reporter& r) {
  for (const auto& c : p.collectors) CheckFile(p, c.source, c.services, false, "the collector", r);
  for (const auto& g : p.datasource_files)
    CheckFile(p, g.source, g.services, true, "Grafana provisioning", r);
  for (const auto& g : p.dashboard_files)
    CheckFile(p, g.source, g.services, true, "Grafana provisioning", r);
}

}  // namespace obslint
