#include "model/project.h"

#include <algorithm>
#include <cstring>

namespace obslint {

FileKind KindFromConfigKind(std::string_view kind) {
  if (kind == "collector") return FileKind::kCollector;
  if (kind == "loki") return FileKind::kLoki;
  if (kind == "prometheus" || kind == "vmagent") return FileKind::kPrometheus;
  return FileKind::kOther;
}

std::string_view FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kCompose: return "compose";
    case FileKind::kEnv: return "env";
    case FileKind::kCollector: return "collector";
    case FileKind::kLoki: return "loki";
    case FileKind::kGrafanaDatasources: return "grafana-datasources";
    case FileKind::kGrafanaDashboards: return "grafana-dashboards";
    case FileKind::kPrometheus: return "prometheus";
    case FileKind::kGrafanaDashboard: return "grafana-dashboard";
    case FileKind::kGrafanaAlerting: return "grafana-alerting";
    case FileKind::kGrafanaIni: return "grafana-ini";
    case FileKind::kOther: return "other";
  }
  return "other";
}

std::string ComposeService::GrafanaProvisioningDir() const {
  if (const EnvVar* e = Env("GF_PATHS_PROVISIONING"); e && e->has_value) return e->value.resolved;
  return "/etc/grafana/provisioning";
}

bool PathInside(std::string_view path, std::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir == "/") return !path.empty() && path.front() == '/';
  return path == dir || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

void SourceFile::IndexLines() {
  line_starts.clear();
  line_starts.push_back(0);
  const char* data = content.data();
  const size_t size = content.size();
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', size - (p - data)))); ++p)
    if (static_cast<size_t>(p - data) + 1 < size) line_starts.push_back(static_cast<size_t>(p - data) + 1);
}

std::string_view SourceFile::Line(int line) const {
  if (line < 1 || line > LineCount()) return {};
  size_t start = line_starts[line - 1];
  size_t end = content.find('\n', start);
  if (end == std::string::npos) end = content.size();
  if (end > start && content[end - 1] == '\r') --end;
  return std::string_view(content).substr(start, end - start);
}

Location OffsetLocation(const SourceFile& file, size_t begin, size_t end) {
  auto line_of = [&](size_t offset) {
    auto it = std::upper_bound(file.line_starts.begin(), file.line_starts.end(), offset);
    return static_cast<int>(it - file.line_starts.begin());
  };
  Location loc;
  loc.file = file.path;
  if (file.line_starts.empty()) return loc;
  loc.line = std::max(line_of(begin), 1);
  loc.column = static_cast<int>(begin - file.line_starts[loc.line - 1]) + 1;
  if (end > begin) {
    loc.end_line = std::max(line_of(end - 1), 1);
    loc.end_column = static_cast<int>(end - file.line_starts[loc.end_line - 1]) + 1;
    if (loc.end_line == loc.line) loc.end_line = 0;
  }
  return loc;
}

const SourceFile* Project::FileByPath(std::string_view display_path) const {
  for (const SourceFile& f : files)
    if (f.path == display_path) return &f;
  return nullptr;
}

const EnvVar* ComposeService::Env(std::string_view key) const {
  for (auto it = environment.rbegin(); it != environment.rend(); ++it)
    if (it->key == key) return &*it;
  return nullptr;
}

std::vector<const Located<std::string>*> ComposeService::Args() const {
  std::vector<const Located<std::string>*> args;
  for (const auto& a : entrypoint) args.push_back(&a);
  for (const auto& a : command) args.push_back(&a);
  return args;
}

std::vector<Located<std::string>> ComposeService::FlagValues(std::string_view name) const {
  std::vector<Located<std::string>> values;
  auto args = Args();
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view word = args[i]->value;
    size_t dashes = 0;
    while (dashes < word.size() && dashes < 2 && word[dashes] == '-') ++dashes;
    if (dashes == 0) continue;
    std::string_view rest = word.substr(dashes);
    if (rest.substr(0, name.size()) != name) continue;
    rest.remove_prefix(name.size());
    if (rest.empty()) {
      if (i + 1 < args.size() && !args[i + 1]->value.starts_with("-")) {
        values.push_back(*args[i + 1]);
        ++i;
      } else {
        values.push_back(Located<std::string>{"", args[i]->loc});
      }
    } else if (rest[0] == '=') {
      Located<std::string> v = *args[i];
      v.value = std::string(rest.substr(1));
      values.push_back(std::move(v));
    }
  }
  return values;
}

std::optional<Located<std::string>> ComposeService::Flag(std::string_view name) const {
  std::vector<Located<std::string>> values = FlagValues(name);
  if (values.empty()) return std::nullopt;
  return std::move(values.front());
}

bool ComposeService::FlagEnabled(std::string_view spec) const {
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    for (const auto& v : FlagValues(spec))
      if (v.value != "false") return true;
    return false;
  }
  std::string_view item = spec.substr(eq + 1);
  for (const auto& v : FlagValues(spec.substr(0, eq))) {
    std::string_view list = v.value;
    while (!list.empty()) {
      size_t comma = list.find(',');
      if (list.substr(0, comma) == item) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return false;
}

std::vector<Located<std::string>> ComposeService::ConfigPaths(std::string_view flag) const {
  std::vector<Located<std::string>> paths;
  for (Located<std::string>& v : FlagValues(flag)) {
    if (v.value.starts_with("file:")) v.value.erase(0, 5);
    if (v.value.empty() || v.value.find(':') != std::string::npos) continue;  // env:, yaml:, http:
    paths.push_back(std::move(v));
  }
  return paths;
}

const VolumeMount* ComposeService::MountFor(std::string_view path) const {
  const VolumeMount* best = nullptr;
  size_t best_len = 0;
  for (const VolumeMount& m : volumes) {
    std::string_view target = m.target;
    while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
    if (target.empty() || !PathInside(path, target)) continue;
    if (best == nullptr || target.size() >= best_len) {
      best = &m;
      best_len = target.size();
    }
  }
  return best;
}

std::vector<std::pair<std::string, std::string>> ComposeService::ConfigFiles(
    const ComposeProject& project) const {
  std::vector<std::pair<std::string, std::string>> out;
  const yaml::Node* list = node != nullptr ? node->Get("configs") : nullptr;
  if (list == nullptr || !list->IsSequence()) return out;
  for (const yaml::Node* item : list->items) {
    std::string source, target;
    if (item->IsScalar()) {
      source = item->scalar;
    } else if (item->IsMap()) {
      if (const yaml::Node* n = item->Get("source"); n && n->IsScalar()) source = n->scalar;
      if (const yaml::Node* n = item->Get("target"); n && n->IsScalar()) target = n->scalar;
    }
    if (source.empty()) continue;
    if (target.empty()) target = "/" + source;  // Compose's default target
    std::string host;  // a later compose file's declaration wins
    for (const TopLevelDecl& d : project.configs)
      if (d.name == source && !d.file.empty()) host = d.file;
    if (!host.empty()) out.emplace_back(std::move(target), std::move(host));
  }
  return out;
}

std::string ComposeService::HostFileFor(const ComposeProject& project,
                                        std::string_view path) const {
  if (const VolumeMount* m = MountFor(path); m != nullptr) {
    if (m->type != "bind" || m->host_path.empty()) return {};
    std::string_view target = m->target;
    while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
    return m->host_path + std::string(path.substr(target.size()));
  }
  for (auto& [target, file] : ConfigFiles(project))
    if (target == path) return file;
  return {};
}

const ComposeService* ComposeProject::Service(std::string_view name) const {
  if (services.size() < 16) {
    for (const auto& s : services)
      if (s.name == name) return &s;
    return nullptr;
  }
  // Rebuilt when the vector changed (the loader appends while merging files).
  if (indexed_size_ != services.size() || indexed_data_ != services.data()) {
    index_.clear();
    for (const auto& s : services) index_.emplace(s.name, &s);
    indexed_size_ = services.size();
    indexed_data_ = services.data();
  }
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}

std::vector<const ComposeService*> ComposeProject::Running() const {
  std::vector<const ComposeService*> out;
  for (const auto& s : services)
    if (s.starts) out.push_back(&s);
  return out;
}

std::vector<std::string> ComposeProject::DeclaredProfiles() const {
  std::vector<std::string> out;
  for (const auto& s : services) out.insert(out.end(), s.profiles.begin(), s.profiles.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const TopLevelDecl* ComposeProject::Network(std::string_view name) const {
  for (const auto& n : networks)
    if (n.name == name) return &n;
  return nullptr;
}

const TopLevelDecl* ComposeProject::Volume(std::string_view name) const {
  for (const auto& v : volumes)
    if (v.name == name) return &v;
  return nullptr;
}

const EnvEntry* EnvFile::Find(std::string_view key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (it->key == key) return &*it;
  return nullptr;
}

const GrafanaDashboardVariable* GrafanaDashboard::Variable(std::string_view name) const {
  for (const auto& v : variables)
    if (v.name == name) return &v;
  return nullptr;
}

const GrafanaIniEntry* GrafanaIni::Find(std::string_view section, std::string_view key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (it->section == section && it->key == key) return &*it;
  return nullptr;
}

}  // namespace obslint
