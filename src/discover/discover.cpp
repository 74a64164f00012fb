#include "discover/discover.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include "knowledge/knowledge.h"
#include "model/text.h"
#include "parse/compose.h"
#include "parse/compose_project.h"
#include "parse/parsers.h"
#include "parse/yaml.h"

extern char** environ;  // POSIX; declared here because <unistd.h> hides it without _GNU_SOURCE

namespace obslint {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kComposeNames[] = {"compose.yaml", "compose.yml", "docker-compose.yaml",
                                              "docker-compose.yml"};
// Templates a project commits instead of its .env, in the order they are
// looked for.
constexpr std::string_view kExampleEnvNames[] = {".env.example", ".env.sample", ".env.template",
                                                 ".env.dist"};
constexpr int kMaxTreeDepth = 6;
constexpr size_t kMaxTreeFiles = 5000;
constexpr size_t kMaxDashboards = 5000;

bool IsYamlName(std::string_view name) {
  return name.ends_with(".yaml") || name.ends_with(".yml");
}

// Where the first invalid UTF-8 sequence starts, or npos.
size_t InvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // ASCII fast path, 8 bytes at a time (a 10 MB dashboard directory is mostly ASCII).
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

bool HasStandardComposeFile(const fs::path& dir) {
  std::error_code ec;
  for (auto name : kComposeNames)
    if (fs::is_regular_file(dir / name, ec)) return true;
  return false;
}

// Directories that hold no stack of the project's own: dependencies, build
// output, tool caches.
bool SkippedWhenSearching(std::string_view name) {
  static constexpr std::string_view kSkipped[] = {
      "node_modules", "vendor", "build", "dist", "target", "out", "_build", "__pycache__",
      "site-packages", "venv", "bower_components", "third_party", "third-party"};
  if (name.starts_with(".")) return true;
  return std::find(std::begin(kSkipped), std::end(kSkipped), name) != std::end(kSkipped);
}

// A `*compose*.y?ml` file that is not a standard name but defines services
// (docker-compose-otel.yml): the first lines say so.
bool DefinesServices(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (int i = 0; i < 400 && std::getline(in, line); ++i)
    if (line.starts_with("services:")) return true;
  return false;
}

class Loader {
 public:
  Loader(const LoadOptions& options, const Knowledge& knowledge, Project& project)
      : options_(options), knowledge_(knowledge), project_(project) {
    for (const auto& pattern : options.exclude) {
      auto re = std::make_unique<RE2>(pattern);
      if (re->ok()) exclude_.push_back(std::move(re));
    }
  }

  bool Run(std::string& error) {
    std::error_code ec;
    fs::path given = options_.path.empty() ? fs::path(".") : fs::path(options_.path);
    if (!fs::exists(given, ec)) {
      error = fmt::format("{}: no such file or directory", options_.path);
      return false;
    }
    std::vector<std::string> compose_abs;
    fs::path root_dir;
    if (fs::is_directory(given, ec)) {
      root_dir = given;
    } else {
      root_dir = given.parent_path().empty() ? fs::path(".") : given.parent_path();
      compose_abs.push_back(fs::absolute(given, ec).lexically_normal().string());
    }
    root_ = fs::weakly_canonical(fs::absolute(root_dir, ec), ec).string();
    project_.root = root_;
    for (const auto& f : options_.compose_files)
      compose_abs.push_back(fs::absolute(f, ec).lexically_normal().string());
    // Compose reads .env (or --env-file) before it knows its files: from the
    // directory of the first -f file, else from where it runs.
    project_dir_ = compose_abs.empty() ? root_ : fs::path(compose_abs.front()).parent_path().string();
    LoadVariables();
    if (compose_abs.empty()) {
      if (const std::string* list = Variable("COMPOSE_FILE"); list && !list->empty()) {
        ComposeFileVariable(*list, compose_abs);
      } else {
        FindComposeFiles(compose_abs);
      }
      if (compose_abs.empty()) {
        error = fmt::format(
            "{}: no compose file found (looked for compose.yaml, compose.yml, docker-compose.yaml, "
            "docker-compose.yml); pass one with -f",
            options_.path.empty() ? "." : options_.path);
        return false;
      }
      project_dir_ = fs::path(compose_abs.front()).parent_path().string();
    }
    LoadCompose(compose_abs);
    LoadServiceEnvFiles();
    LoadServiceConfigs();
    LoadTreeConfigs();
    ParseConfigs();
    LoadGrafanaDashboards();
    return true;
  }

 private:
  const std::string* Variable(std::string_view name) const {
    auto it = project_.variables.find(std::string(name));
    return it == project_.variables.end() ? nullptr : &it->second;
  }

  // Where a variable was set, for messages: "COMPOSE_PROFILES in .env".
  std::string VariableOrigin(std::string_view name) const {
    auto it = variable_files_.find(std::string(name));
    if (it == variable_files_.end()) return fmt::format("{} in the shell environment", name);
    return fmt::format("{} in {}", name, it->second);
  }

  // Position of a variable's value in the env file that set it (none when
  // it came from the shell).
  Location VariableLoc(std::string_view name) const {
    Location loc;
    for (const EnvFile& env : project_.env_files)
      if (env.is_project_env)
        if (const EnvEntry* e = env.Find(name)) loc = e->value_loc;
    if (options_.use_env && std::getenv(std::string(name).c_str()) != nullptr) return {};
    return loc;
  }

  // COMPOSE_FILE: the compose files, separated by COMPOSE_PATH_SEPARATOR
  // (default ':'), relative to where Compose runs (the stack directory).
  void ComposeFileVariable(const std::string& list, std::vector<std::string>& out) {
    std::string separator = ":";
    if (const std::string* sep = Variable("COMPOSE_PATH_SEPARATOR"); sep && !sep->empty())
      separator = *sep;
    compose_files_from_ = VariableOrigin("COMPOSE_FILE");
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t next = list.find(separator, pos);
      std::string item = list.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      if (!item.empty()) {
        std::string abs = JoinPath(root_, item);
        std::error_code ec;
        if (fs::exists(abs, ec)) {
          out.push_back(abs);
        } else {
          Location ref = VariableLoc("COMPOSE_FILE");
          LoadFinding f;
          f.code = "OBS106";
          f.loc = ref.HasPosition() ? ref : Location{DisplayPath(root_), 0, 0, 0, 0};
          f.message = fmt::format("cannot read {} ({} names it): it does not exist",
                                  DisplayPath(abs), compose_files_from_);
          f.help = "fix the path (relative to the stack directory), or remove it from COMPOSE_FILE";
          project_.load_findings.push_back(std::move(f));
        }
      }
      if (next == std::string::npos) break;
      pos = next + separator.size();
    }
  }

  void FindComposeFiles(std::vector<std::string>& out) {
    std::error_code ec;
    for (auto name : kComposeNames) {
      fs::path p = fs::path(root_) / name;
      if (fs::exists(p, ec)) {
        out.push_back(p.string());
        std::string base(name.substr(0, name.rfind('.')));
        for (auto ext : {".yaml", ".yml"}) {
          fs::path o = fs::path(root_) / (base + ".override" + ext);
          if (fs::exists(o, ec)) {
            out.push_back(o.string());
            break;
          }
        }
        return;
      }
    }
    // No standard name: a single `*compose*.y?ml` (docker-compose-otel.yml ...).
    std::vector<std::string> candidates;
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
      std::string name = entry.path().filename().string();
      if (name.find("compose") != std::string::npos && IsYamlName(name) &&
          name.find(".override.") == std::string::npos && entry.is_regular_file(ec))
        candidates.push_back(entry.path().string());
    }
    std::sort(candidates.begin(), candidates.end());
    if (!candidates.empty()) out.push_back(candidates.front());
  }

  // Reads a file the stack refers to. Returns nullptr (after reporting
  // OBS106 at `ref` when it has a position) when it cannot be read.
  SourceFile* Read(const std::string& abs, FileKind kind, const Location& ref, bool must_exist,
                   bool quiet = false) {
    std::error_code ec;
    quiet_ = quiet;
    fs::path canon = fs::canonical(abs, ec);
    if (ec) {
      if (ec.value() == ELOOP) {
        Unreadable(ref, abs, "it is a symbolic link loop");
      } else if (must_exist) {
        Unreadable(ref, abs, "it does not exist");
      }
      return nullptr;
    }
    std::string c = canon.string();
    if (!PathInside(c, root_)) {
      Unreadable(ref, abs, fmt::format("it resolves to {}, outside the stack root {}", c, root_));
      return nullptr;
    }
    if (auto it = loaded_.find(c); it != loaded_.end()) return it->second;
    fs::file_status st = fs::status(canon, ec);
    if (ec || !fs::is_regular_file(st)) {
      Unreadable(ref, abs, fs::is_directory(st) ? "it is a directory" : "it is not a regular file");
      return nullptr;
    }
    uintmax_t size = fs::file_size(canon, ec);
    if (ec || size > options_.max_file_size) {
      Unreadable(ref, abs, fmt::format("it is too large ({} bytes; the limit is {})", size,
                                       options_.max_file_size));
      return nullptr;
    }
    std::ifstream in(canon, std::ios::binary);
    if (!in) {
      Unreadable(ref, abs, "permission denied");
      return nullptr;
    }
    SourceFile& file = project_.files.emplace_back();
    file.abs_path = c;
    file.path = DisplayPath(abs);
    file.kind = kind;
    file.content.resize(size);
    in.read(file.content.data(), static_cast<std::streamsize>(size));
    file.content.resize(static_cast<size_t>(in.gcount()));
    file.IndexLines();
    loaded_[c] = &file;
    if (file.content.find('\0') != std::string::npos) {
      const bool utf16 = file.content.starts_with("\xff\xfe") || file.content.starts_with("\xfe\xff");
      FileProblem(file, 0,
                  utf16 ? "file is encoded as UTF-16 (it starts with a UTF-16 byte-order mark); "
                          "the programs of the stack and obslint read UTF-8"
                        : "file is binary (contains NUL bytes)");
      file.kind = FileKind::kOther;
      file.content.clear();
      file.IndexLines();
      return nullptr;
    }
    if (size_t bad = InvalidUtf8(file.content); bad != std::string::npos) {
      int line = static_cast<int>(std::count(file.content.begin(), file.content.begin() + bad, '\n')) + 1;
      FileProblem(file, line, fmt::format("file is not valid UTF-8 (byte offset {})", bad));
      file.kind = FileKind::kOther;
      return nullptr;
    }
    // JSON dashboards and grafana.ini have parsers of their own.
    if (kind != FileKind::kEnv && kind != FileKind::kGrafanaDashboard && kind != FileKind::kGrafanaIni)
      ParseYaml(file);
    return &file;
  }

  void ParseYaml(SourceFile& file) {
    file.yaml.origin = std::make_shared<yaml::Origin>(yaml::Origin{file.path});
    yaml::Parse(file.content, file.yaml);
    for (const auto& issue : file.yaml.issues) {
      LoadFinding f;
      f.loc = Location{file.path, std::max(issue.line, 1), std::max(issue.column, 1), 0, 0};
      switch (issue.type) {
        case yaml::Issue::Type::kDuplicateKey:
          f.code = "OBS102";
          f.message = issue.message + fmt::format(" (first defined on line {}); the earlier value is "
                                                  "silently dropped", issue.other_line);
          f.related.push_back({Location{file.path, issue.other_line, issue.other_column, 0, 0},
                               "first definition"});
          f.help = "remove one of the two keys";
          break;
        case yaml::Issue::Type::kSyntax:
          f.code = "OBS101";
          f.message = "YAML syntax error: " + issue.message;
          break;
        case yaml::Issue::Type::kTooDeep:
        case yaml::Issue::Type::kTooLarge:
          f.code = "OBS101";
          f.message = "YAML refused: " + issue.message;
          break;
      }
      // Highlight the whole duplicate key.
      if (issue.type == yaml::Issue::Type::kDuplicateKey) {
        std::string_view line = file.Line(issue.line);
        size_t end = static_cast<size_t>(issue.column - 1);
        while (end < line.size() && line[end] != ':' ) ++end;
        f.loc.end_line = issue.line;
        f.loc.end_column = static_cast<int>(end) + 1;
      }
      project_.load_findings.push_back(std::move(f));
    }
  }

  void Unreadable(const Location& ref, const std::string& abs, std::string why) {
    if (quiet_) return;
    LoadFinding f;
    f.code = "OBS106";
    f.loc = ref;
    if (f.loc.file.empty()) f.loc.file = DisplayPath(abs);
    f.message = fmt::format("cannot read {}: {}", DisplayPath(abs), why);
    project_.load_findings.push_back(std::move(f));
  }

  void FileProblem(const SourceFile& file, int line, std::string message) {
    if (quiet_) return;
    LoadFinding f;
    f.code = "OBS106";
    f.loc = Location{file.path, line, line > 0 ? 1 : 0, 0, 0};
    f.message = std::move(message);
    project_.load_findings.push_back(std::move(f));
  }

  void LoadVariables() {
    std::vector<std::string> env_paths;
    bool example = false;
    std::error_code ec;
    const char* compose_env_files = options_.use_env ? std::getenv("COMPOSE_ENV_FILES") : nullptr;
    if (!options_.env_files.empty()) {
      for (const auto& e : options_.env_files) env_paths.push_back(fs::absolute(e, ec).string());
    } else if (compose_env_files != nullptr && *compose_env_files != '\0') {
      // Compose reads it from the shell only: it chooses the files that
      // would otherwise set it.
      std::string_view list = compose_env_files;
      size_t pos = 0;
      while (pos <= list.size()) {
        size_t comma = list.find(',', pos);
        std::string item(list.substr(pos, comma == std::string_view::npos ? list.npos : comma - pos));
        if (!item.empty()) env_paths.push_back(fs::absolute(item, ec).string());
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
      }
    } else {
      fs::path dot = fs::path(project_dir_) / ".env";
      if (fs::exists(dot, ec) || fs::is_symlink(dot, ec)) {
        env_paths.push_back(dot.string());
      } else {
        // No .env: the template committed in its place says what a deploy
        // interpolates (its placeholders are not judged as secrets).
        for (std::string_view name : kExampleEnvNames) {
          fs::path candidate = fs::path(project_dir_) / name;
          if (fs::is_regular_file(candidate, ec)) {
            env_paths.push_back(candidate.string());
            example = true;
            break;
          }
        }
      }
    }
    for (const auto& p : env_paths) {
      SourceFile* file = Read(p, FileKind::kEnv, Location{DisplayPath(p), 0, 0, 0, 0}, true);
      if (file == nullptr) continue;
      EnvFile& env = project_.env_files.emplace_back();
      env.is_project_env = true;
      env.is_example = example;
      ParseDotenv(*file, env, project_.load_findings);
      for (const auto& e : env.entries) {
        project_.variables[e.key] = e.value;
        variable_files_[e.key] = file->path;
      }
    }
    if (options_.use_env) {
      for (char** e = environ; *e; ++e) {
        std::string_view kv = *e;
        size_t eq = kv.find('=');
        if (eq == std::string_view::npos) continue;
        std::string key(kv.substr(0, eq));
        project_.variables[key] = std::string(kv.substr(eq + 1));
        variable_files_.erase(key);
      }
    }
  }

  void LoadCompose(const std::vector<std::string>& files) {
    ComposeLoadInput input;
    input.files = files;
    input.project_dir = project_dir_;
    input.lookup = [this](std::string_view name) { return Variable(name); };
    input.read = [this](const std::string& abs, FileKind kind, const Location& ref) -> const SourceFile* {
      return Read(abs, kind, ref, true);
    };
    LoadComposeModel(input, project_.compose, project_.var_uses, project_.load_findings);
    ComposeProject& compose = project_.compose;
    compose.files_from = compose_files_from_;
    // The project name: COMPOSE_PROJECT_NAME, else the top-level name:, else
    // the project directory's name.
    if (const std::string* name = Variable("COMPOSE_PROJECT_NAME"); name && !name->empty())
      compose.name = *name;
    else if (compose.name.empty())
      compose.name = fs::path(project_dir_).filename().string();
    // Active profiles: --profile (repeatable) or --all-profiles, else
    // COMPOSE_PROFILES (comma-separated).
    std::vector<std::string> profiles;
    std::string from;
    if (options_.all_profiles) {
      profiles = {"*"};
      from = "--all-profiles";
    } else if (!options_.profiles.empty()) {
      for (const auto& p : options_.profiles)
        for (auto& item : SplitProfiles(p))
          if (std::find(profiles.begin(), profiles.end(), item) == profiles.end()) profiles.push_back(item);
      from = "--profile";
    } else if (const std::string* env = Variable("COMPOSE_PROFILES")) {
      profiles = SplitProfiles(*env);
      from = VariableOrigin("COMPOSE_PROFILES");
    }
    ApplyProfiles(compose, std::move(profiles), std::move(from));
    // Bind-mount sources: what is on the host.
    for (auto& s : project_.compose.services) {
      for (auto& m : s.volumes) {
        if (m.type != "bind" || m.host_path.empty()) continue;
        std::error_code ec;
        fs::file_status st = fs::status(m.host_path, ec);
        if (!PathInside(fs::weakly_canonical(m.host_path, ec).string(), root_) &&
            !PathInside(m.host_path, root_)) {
          m.host_state = VolumeMount::HostState::kOutsideRoot;
        } else if (!fs::exists(st)) {
          m.host_state = VolumeMount::HostState::kMissing;
        } else if (fs::is_directory(st)) {
          m.host_state = VolumeMount::HostState::kDirectory;
        } else if (fs::is_regular_file(st)) {
          m.host_state = VolumeMount::HostState::kFile;
        } else {
          m.host_state = VolumeMount::HostState::kOther;
        }
      }
    }
  }

  void LoadServiceEnvFiles() {
    for (auto& s : project_.compose.services) {
      if (s.env_files.empty()) continue;
      std::vector<EnvVar> from_files;
      for (const auto& ef : s.env_files) {
        std::string abs = JoinPath(s.compose_dir, ef.value);
        SourceFile* file = nullptr;
        std::error_code ec;
        // `env_file: .env` in a stack that commits only its template: the
        // deploy copies the template to .env, so the template says what the
        // container gets (as it does for interpolation).
        if (abs == JoinPath(project_dir_, ".env") && !fs::exists(abs, ec))
          for (const EnvFile& e : project_.env_files)
            if (e.is_example && e.source != nullptr)
              if (auto it = loaded_.find(e.source->abs_path); it != loaded_.end()) file = it->second;
        if (file == nullptr) file = Read(abs, FileKind::kEnv, ef.loc, true);
        if (file == nullptr) continue;
        EnvFile* env = nullptr;
        for (auto& e : project_.env_files)
          if (e.source == file) env = &e;
        if (env == nullptr) {
          env = &project_.env_files.emplace_back();
          ParseDotenv(*file, *env, project_.load_findings);
        }
        for (const auto& entry : env->entries) {
          EnvVar v;
          v.key = entry.key;
          v.key_loc = entry.key_loc;
          v.value_loc = entry.value_loc;
          v.has_value = true;
          v.value.raw = v.value.resolved = entry.value;
          v.from_file = file->path;
          from_files.push_back(std::move(v));
        }
      }
      // environment: wins over env_file.
      for (auto& e : s.environment) from_files.push_back(std::move(e));
      s.environment = std::move(from_files);
    }
  }

  struct ConfigUse {
    FileKind kind = FileKind::kOther;
    std::string flag;          // without dashes: "config", "config.file"
    std::string default_path;  // used when the flag is absent
    bool grafana = false;
  };

  ConfigUse UseOf(const ComposeService& s) {
    ConfigUse use;
    std::string repo = s.image.repository;
    // Loading precedes the analysis: only the family's config kind and
    // paths are read here, which do not change between its releases.
    if (auto info = knowledge_.Image(s.image.text.value)) {
      if (info->config_kind == "grafana") {
        use.grafana = true;
        return use;
      }
      use.kind = KindFromConfigKind(info->config_kind);
      use.flag = info->config_flag;
      while (!use.flag.empty() && use.flag.front() == '-') use.flag.erase(0, 1);
      use.default_path = info->default_config_path;
      return use;
    }
    // Images the knowledge base does not list: judge by name.
    if (repo.find("opentelemetry-collector") != std::string::npos || repo.find("otelcol") != std::string::npos) {
      use = {FileKind::kCollector, "config", "", false};
    } else if (repo.ends_with("/loki") || repo == "loki") {
      use = {FileKind::kLoki, "config.file", "/etc/loki/local-config.yaml", false};
    } else if (repo.ends_with("prometheus") && repo.find("exporter") == std::string::npos) {
      use = {FileKind::kPrometheus, "config.file", "/etc/prometheus/prometheus.yml", false};
    } else if (repo.ends_with("vmagent")) {
      use = {FileKind::kPrometheus, "promscrape.config", "", false};
    } else if (repo.ends_with("grafana/grafana") || repo.ends_with("grafana/grafana-oss") ||
               repo.ends_with("grafana/grafana-enterprise")) {
      use.grafana = true;
    }
    return use;
  }

  void Use(SourceFile* file, const std::string& service) {
    auto& users = users_[file];
    if (std::find(users.begin(), users.end(), service) == users.end()) users.push_back(service);
    if (file->used_by.empty()) file->used_by = service;
  }

  void LoadServiceConfigs() {
    for (const auto& s : project_.compose.services) {
      ConfigUse use = UseOf(s);
      if (use.grafana) {
        LoadGrafana(s);
      } else if (use.kind != FileKind::kOther) {
        std::vector<Located<std::string>> paths = s.ConfigPaths(use.flag);
        if (paths.empty() && !use.default_path.empty())
          paths.push_back(Located<std::string>(use.default_path, s.name_loc));
        for (const auto& p : paths) {
          std::string host = s.HostFileFor(project_.compose, p.value);
          if (host.empty()) continue;  // not mounted: OBS707 decides whether that matters
          std::error_code ec;
          if (!fs::exists(host, ec)) continue;  // OBS207 reports the missing mount source
          SourceFile* file = Read(host, use.kind, p.loc, true);
          if (file) Use(file, s.name);
        }
      }
      // Every other file the service mounts: classified by content.
      for (const auto& m : s.volumes) {
        if (m.type != "bind" || m.host_state != VolumeMount::HostState::kFile) continue;
        if (!IsYamlName(m.host_path) || Excluded(m.host_path)) continue;
        SourceFile* file = Read(m.host_path, FileKind::kOther, m.source_loc, true);
        if (file) Use(file, s.name);
      }
      for (const auto& [target, host] : s.ConfigFiles(project_.compose)) {
        std::error_code ec;
        if (!IsYamlName(host) || Excluded(host) || !fs::is_regular_file(host, ec)) continue;
        SourceFile* file = Read(host, FileKind::kOther, s.name_loc, true, /*quiet=*/true);
        if (file) Use(file, s.name);
      }
    }
  }

  void LoadGrafana(const ComposeService& s) {
    const std::string prov = s.GrafanaProvisioningDir();
    for (const auto& sub_kind : {std::pair{"/datasources", FileKind::kGrafanaDatasources},
                                 std::pair{"/dashboards", FileKind::kGrafanaDashboards},
                                 std::pair{"/alerting", FileKind::kGrafanaAlerting}}) {
      // Not a structured binding: clang 14 cannot capture one in a lambda.
      const FileKind kind = sub_kind.second;
      std::string container_dir = prov + sub_kind.first;
      std::string host_dir = s.HostFileFor(project_.compose, container_dir);
      // Alerting files may also be JSON (pkg/services/provisioning/alerting/config_reader.go).
      auto wanted = [kind](const std::string& name) {
        return IsYamlName(name) || (kind == FileKind::kGrafanaAlerting && name.ends_with(".json"));
      };
      std::error_code ec;
      if (!host_dir.empty() && fs::is_directory(host_dir, ec)) {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(host_dir, ec))
          if (wanted(entry.path().filename().string())) names.push_back(entry.path().string());
        std::sort(names.begin(), names.end());
        for (const auto& n : names) {
          if (Excluded(n)) continue;
          SourceFile* file = Read(n, kind, Location{}, true);
          if (file) Use(file, s.name);
        }
      }
      // Single files mounted straight into the directory.
      for (const auto& m : s.volumes) {
        if (m.type != "bind" || m.host_state != VolumeMount::HostState::kFile) continue;
        if (!PathInside(m.target, container_dir) || m.target == container_dir) continue;
        if (kind == FileKind::kGrafanaAlerting && !wanted(m.target)) continue;
        SourceFile* file = Read(m.host_path, kind, m.source_loc, true);
        if (file) Use(file, s.name);
      }
    }
    LoadGrafanaIni(s);
  }

  // The grafana.ini the service runs with, when a mount or `configs:` entry
  // supplies it. The image starts `grafana server --config=$GF_PATHS_CONFIG`
  // (default /etc/grafana/grafana.ini); `--config` in the command wins.
  void LoadGrafanaIni(const ComposeService& s) {
    GrafanaConfigUse use;
    use.service = s.name;
    use.container_path = "/etc/grafana/grafana.ini";
    Location ref = s.name_loc;
    if (const EnvVar* e = s.Env("GF_PATHS_CONFIG"); e && e->has_value && !e->value.resolved.empty()) {
      use.container_path = e->value.resolved;
      ref = e->value_loc;
    }
    if (auto paths = s.ConfigPaths("config"); !paths.empty()) {
      use.container_path = paths.front().value;
      ref = paths.front().loc;
    }
    std::string host = use.container_path.starts_with("/")
                           ? s.HostFileFor(project_.compose, use.container_path)
                           : std::string();
    // Any mount over the path (a named volume, a bind source missing from the
    // checkout) supplies a file obslint may not see: the config is then unknown.
    // A relative path (to Grafana's home) cannot be followed: unknown too.
    use.provided = !host.empty() || !use.container_path.starts_with("/") ||
                   s.MountFor(use.container_path) != nullptr;
    std::error_code ec;
    if (!host.empty() && fs::is_regular_file(host, ec) && !Excluded(host)) {
      if (SourceFile* file = Read(host, FileKind::kGrafanaIni, ref, true)) {
        Use(file, s.name);
        for (size_t i = 0; i < project_.grafana_inis.size(); ++i)
          if (project_.grafana_inis[i].source == file) use.ini = static_cast<int>(i);
        if (use.ini < 0) {
          use.ini = static_cast<int>(project_.grafana_inis.size());
          ParseGrafanaIni(*file, project_.grafana_inis.emplace_back(), project_.load_findings);
        }
        project_.grafana_inis[use.ini].services.push_back(s.name);
      }
    }
    project_.grafana_configs.push_back(std::move(use));
  }

  // Dashboard JSON files each file provider loads: every `*.json` below its
  // options.path (recursively, skipping directories whose name starts with
  // "."), as Grafana's file reader walks it
  // (pkg/services/provisioning/dashboards/file_reader.go), found through the
  // service's bind mounts and `configs:` entries.
  void LoadGrafanaDashboards() {
    std::vector<std::pair<const GrafanaDashboardFile*, std::string>> work;
    for (const GrafanaDashboardFile& f : project_.dashboard_files)
      for (const std::string& service : f.services) work.emplace_back(&f, service);
    for (auto& [file, service] : work) {
      const ComposeService* s = project_.compose.Service(service);
      if (s == nullptr) continue;
      for (const GrafanaDashboardProvider& p : file->providers) {
        if (p.type.present && p.type.value != "file") continue;
        if (!p.path.present || !p.path.value.starts_with("/") ||
            p.path.value.find('$') != std::string::npos)
          continue;
        std::string root = fs::path(p.path.value).lexically_normal().string();
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        for (const auto& [container, host] : DashboardFilesUnder(*s, root)) {
          if (project_.dashboards.size() >= kMaxDashboards) return;
          if (Excluded(host)) continue;
          SourceFile* src = Read(host, FileKind::kGrafanaDashboard, p.path.loc, true);
          if (src == nullptr) continue;
          Use(src, s->name);
          GrafanaDashboard* dash = nullptr;
          for (GrafanaDashboard& d : project_.dashboards)
            if (d.source == src && d.provider_loc == p.loc) dash = &d;
          if (dash != nullptr) {
            dash->services.push_back(s->name);
            continue;
          }
          GrafanaDashboard& d = project_.dashboards.emplace_back();
          d.services.push_back(s->name);
          d.container_path = container;
          d.provider = p.name.value;
          d.provider_loc = p.loc;
          d.org_id = p.org_id.value > 0 ? p.org_id.value : 1;
          d.folder_uid = p.folder_uid.value;
          d.folder = p.folder.value;
          if (p.folders_from_files_structure.present && p.folders_from_files_structure.value) {
            // The folder is the name of the file's directory; files at the
            // top of the path go to General.
            std::string dir = fs::path(container).parent_path().string();
            d.folder = dir == root ? std::string() : fs::path(dir).filename().string();
            d.folder_uid.clear();
          }
          ParseGrafanaDashboard(*src, d, project_.load_findings);
        }
      }
    }
  }

  // (container path, host path) of every *.json below container dir `root`,
  // sorted by container path. Each container path comes from the mount that
  // provides it (the deepest one), as in the running container.
  std::vector<std::pair<std::string, std::string>> DashboardFilesUnder(const ComposeService& s,
                                                                       const std::string& root) {
    std::map<std::string, std::string> found;
    auto add = [&](const std::string& container, const std::string& host) {
      if (!PathInside(container, root) || !container.ends_with(".json")) return;
      // A dot-directory between the root and the file is skipped by Grafana.
      std::string rel = container.substr(std::min(container.size(), root.size() + 1));
      for (const auto& part : fs::path(rel).parent_path())
        if (part.string().starts_with(".")) return;
      found.emplace(container, host);
    };
    for (const VolumeMount& m : s.volumes) {
      if (m.type != "bind" || m.host_path.empty()) continue;
      std::string target = fs::path(m.target).lexically_normal().string();
      while (target.size() > 1 && target.back() == '/') target.pop_back();
      // The mount lies below the provider path, or the path below the mount.
      bool below_root = PathInside(target, root);
      if (!below_root && !PathInside(root, target)) continue;
      std::error_code ec;
      if (m.host_state == VolumeMount::HostState::kFile) {
        if (s.MountFor(target) == &m) add(target, m.host_path);
        continue;
      }
      if (m.host_state != VolumeMount::HostState::kDirectory) continue;
      // Walk the part of the host directory that lies below `root`.
      std::string start = below_root ? m.host_path : m.host_path + root.substr(target.size());
      if (!fs::is_directory(start, ec)) continue;
      std::vector<std::string> files;
      WalkJson(start, 0, files);
      for (const std::string& host : files) {
        std::string container = target + host.substr(m.host_path.size());
        if (s.MountFor(container) == &m) add(container, host);
      }
    }
    for (const auto& [target, host] : s.ConfigFiles(project_.compose)) {
      std::error_code ec;
      if (s.MountFor(target) == nullptr && fs::is_regular_file(host, ec)) add(target, host);
    }
    return {found.begin(), found.end()};
  }

  void WalkJson(const std::string& dir, int depth, std::vector<std::string>& out) {
    if (depth > kMaxTreeDepth * 2 || out.size() > kMaxDashboards) return;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) return;
    for (const auto& entry : it) {
      std::string name = entry.path().filename().string();
      if (entry.is_directory(ec)) {
        if (name.starts_with(".") || entry.is_symlink(ec)) continue;
        WalkJson(entry.path().string(), depth + 1, out);
      } else if (name.ends_with(".json") && entry.is_regular_file(ec)) {
        out.push_back(entry.path().string());
      }
    }
  }

  bool Excluded(const std::string& abs) {
    if (exclude_.empty()) return false;
    std::string rel = fs::path(abs).lexically_relative(root_).string();
    for (const auto& re : exclude_)
      if (RE2::PartialMatch(rel, *re)) return true;
    return false;
  }

  // YAML files in the tree that no service uses, when they are configs
  // obslint knows (an unmounted config is worth a look: OBS707).
  void LoadTreeConfigs() {
    std::vector<std::string> found;
    Walk(root_, 0, found);
    std::sort(found.begin(), found.end());
    for (const auto& f : found) {
      std::error_code ec;
      std::string c = fs::weakly_canonical(f, ec).string();
      if (loaded_.count(c) || Excluded(f)) continue;
      // Peek first: a YAML file that is no config obslint knows is not part
      // of the stack, and nothing is reported about it.
      std::ifstream in(c, std::ios::binary);
      std::string head(4096, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
      if (!LooksLikeKnownConfig(head)) {
        // Named like a config of the stack but not readable as one (UTF-16,
        // binary, not UTF-8, empty): reported, since no tool here can read it.
        std::string name = fs::path(f).filename().string();
        if (!NamedLikeConfig(name)) continue;
        const bool empty = head.find_first_not_of(" \t\r\n") == std::string::npos;
        if (!empty && head.find('\0') == std::string::npos &&
            InvalidUtf8(head.substr(0, head.size() > 4 ? head.size() - 4 : 0)) == std::string::npos)
          continue;
        SourceFile* file = Read(f, FileKind::kOther, Location{}, true);
        if (file != nullptr && empty && file->content.find_first_not_of(" \t\r\n") == std::string::npos)
          FileProblem(*file, 0, "file is empty, though its name is that of a configuration file "
                                "of the stack; a service given it would start without settings "
                                "or refuse to start");
        continue;
      }
      SourceFile* file = Read(f, FileKind::kOther, Location{}, true, /*quiet=*/true);
      quiet_ = false;
      if (file == nullptr) continue;
      FileKind k = file->yaml.root ? SniffKind(file->yaml.root) : FileKind::kOther;
      file->kind = k == FileKind::kCompose ? FileKind::kOther : k;
    }
  }

  // A YAML file whose name says which program of the stack reads it.
  static bool NamedLikeConfig(std::string_view name) {
    std::string lower = Lower(name);
    for (std::string_view word : {"otel", "collector", "loki", "tempo", "prometheus", "promtail",
                                  "datasource", "vmagent", "alertmanager", "mimir"})
      if (lower.find(word) != std::string::npos) return true;
    return false;
  }

  // Cheap pre-filter on the first bytes before a full YAML parse.
  static bool LooksLikeKnownConfig(std::string_view head) {
    for (std::string_view key : {"receivers:", "exporters:", "schema_config:", "datasources:",
                                 "providers:", "scrape_configs:", "remote_write:", "auth_enabled:"})
      if (head.find(key) != std::string_view::npos) return true;
    return false;
  }

  void Walk(const std::string& dir, int depth, std::vector<std::string>& out) {
    if (depth > kMaxTreeDepth || out.size() > kMaxTreeFiles) return;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) return;
    for (const auto& entry : it) {
      std::string name = entry.path().filename().string();
      if (entry.is_symlink(ec)) continue;  // never followed while walking
      if (entry.is_directory(ec)) {
        if (name.starts_with(".") || name == "node_modules" || name == "vendor") continue;
        // Another stack below this one (its own compose file, which this
        // project does not read): its files are its own.
        if (HasStandardComposeFile(entry.path()) && !ReadsComposeFileIn(entry.path().string()))
          continue;
        Walk(entry.path().string(), depth + 1, out);
      } else if (entry.is_regular_file(ec) && IsYamlName(name) &&
                 name.find("compose") == std::string::npos) {
        out.push_back(entry.path().string());
      }
    }
  }

  bool ReadsComposeFileIn(const std::string& dir) const {
    std::error_code ec;
    std::string canonical = fs::weakly_canonical(dir, ec).string();
    for (const ComposeFile& f : project_.compose.files)
      if (f.source != nullptr && PathInside(f.source->abs_path, canonical)) return true;
    return false;
  }

  // One parsed config of a kind, with the services that read it.
  template <typename Config, typename Parse>
  void ParseInto(std::vector<Config>& list, const SourceFile& file,
                 const std::vector<std::string>& users, Parse parse) {
    Config& c = list.emplace_back();
    c.services = users;
    parse(file, c, project_.load_findings);
  }

  void ParseConfigs() {
    for (auto& file : project_.files) {
      if (file.path.empty() || file.kind == FileKind::kCompose || file.kind == FileKind::kEnv) continue;
      if (file.yaml.root == nullptr) continue;
      if (file.kind == FileKind::kOther) {
        file.kind = SniffKind(file.yaml.root);
        if (file.kind == FileKind::kCompose) file.kind = FileKind::kOther;
      }
      std::vector<std::string>& users = users_[&file];
      switch (file.kind) {
        case FileKind::kCollector: ParseInto(project_.collectors, file, users, ParseCollector); break;
        case FileKind::kLoki: ParseInto(project_.lokis, file, users, ParseLoki); break;
        case FileKind::kGrafanaDatasources:
          ParseInto(project_.datasource_files, file, users, ParseGrafanaDatasources);
          break;
        case FileKind::kGrafanaDashboards:
          ParseInto(project_.dashboard_files, file, users, ParseGrafanaDashboards);
          break;
        case FileKind::kPrometheus: ParseInto(project_.prometheus, file, users, ParsePrometheus); break;
        case FileKind::kGrafanaAlerting:
          ParseInto(project_.alerting_files, file, users, ParseGrafanaAlerting);
          break;
        default: break;
      }
    }
  }

  const LoadOptions& options_;
  const Knowledge& knowledge_;
  Project& project_;
  std::string root_;
  std::string project_dir_;
  std::string compose_files_from_;  // "COMPOSE_FILE in .env" when it chose the files
  std::map<std::string, std::string> variable_files_;  // variable -> env file that set it
  std::map<std::string, SourceFile*> loaded_;
  std::map<const SourceFile*, std::vector<std::string>> users_;
  std::vector<std::unique_ptr<RE2>> exclude_;
  bool quiet_ = false;
};

}  // namespace

std::string DisplayPath(const std::string& abs_path) {
  static const fs::path cwd = fs::current_path();
  fs::path p = fs::path(abs_path);
  if (p.is_relative()) return p.lexically_normal().string();
  fs::path rel = p.lexically_normal().lexically_relative(cwd);
  if (rel.empty()) return abs_path;
  std::string s = rel.string();
  return s.empty() ? "." : s;
}

bool IsStackDirectory(const std::string& dir, bool lenient) {
  std::error_code ec;
  fs::path d(dir);
  if (HasStandardComposeFile(d)) return true;
  for (const auto& entry : fs::directory_iterator(d, fs::directory_options::skip_permission_denied, ec)) {
    std::string name = entry.path().filename().string();
    if (name.find("compose") == std::string::npos || !IsYamlName(name) ||
        name.find(".override.") != std::string::npos || !entry.is_regular_file(ec))
      continue;
    if (lenient || DefinesServices(entry.path())) return true;
  }
  // COMPOSE_FILE in .env chooses the files.
  std::ifstream env(d / ".env", std::ios::binary);
  std::string line;
  while (std::getline(env, line)) {
    size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos && line.compare(start, 13, "COMPOSE_FILE=") == 0) return true;
  }
  return false;
}

namespace {

void FindStacksBelow(const fs::path& dir, const fs::path& shown, int depth, int max_depth,
                     std::vector<std::string>& out) {
  if (depth > max_depth) return;
  std::error_code ec;
  std::vector<std::pair<std::string, fs::path>> subdirs;
  for (const auto& entry : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
    if (entry.is_symlink(ec) || !entry.is_directory(ec)) continue;
    std::string name = entry.path().filename().string();
    if (SkippedWhenSearching(name)) continue;
    subdirs.emplace_back(name, entry.path());
  }
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& [name, path] : subdirs) {
    fs::path sub_shown = (shown / name).lexically_normal();
    if (IsStackDirectory(path.string(), /*lenient=*/false)) out.push_back(sub_shown.string());
    FindStacksBelow(path, sub_shown, depth + 1, max_depth, out);
  }
}

}  // namespace

std::vector<std::string> FindStacks(const std::string& dir, int max_depth) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  if (IsStackDirectory(dir, /*lenient=*/true)) out.push_back(dir);
  FindStacksBelow(fs::path(dir), fs::path(dir), 1, max_depth, out);
  return out;
}

bool LoadProject(const LoadOptions& options, const Knowledge& knowledge, Project& project,
                 std::string& error) {
  return Loader(options, knowledge, project).Run(error);
}

}  // namespace obslint
