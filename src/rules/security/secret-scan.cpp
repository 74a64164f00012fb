#include "rules/security/secret-scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "analysis/analysis.h"
#include "analysis/grafana.h"
#include "model/text.h"
#include "parse/interpolate.h"

namespace obslint::security {
namespace {

// The password of `scheme://user:password@host`: offset and length in `text`.
struct UrlPassword {
  size_t offset = 0;
  size_t length = 0;
};
std::vector<UrlPassword> FindUrlPasswords(std::string_view text) {
  std::vector<UrlPassword> out;
  size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string_view::npos) {
    size_t start = pos + 3;
    pos = start;
    // The authority ends at the first '/', '?', '#' or whitespace; userinfo at its last '@'.
    size_t end = text.find_first_of("/?# \t\n\"'", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view authority = text.substr(start, end - start);
    size_t at = authority.rfind('@');
    if (at == std::string_view::npos) continue;
    size_t colon = authority.find(':');
    if (colon == std::string_view::npos || colon > at) continue;
    size_t length = at - colon - 1;
    if (length == 0) continue;
    out.push_back({start + colon + 1, length});
  }
  return out;
}

// Span of a YAML scalar's text without its quotes.
Location ScalarSpan(const yaml::Node* node, const std::string& file) {
  Location loc = yaml::LocationOf(node, file);
  if (node != nullptr && node->quoted && loc.end_column > loc.column + 1) {
    loc.column += 1;
    loc.end_column -= 1;
  }
  return loc;
}

// Inside a ${...} reference's argument? Then the text is that variable's default.
const VarRef* EnclosingRef(const Interpolated& value, size_t offset) {
  for (const VarRef& ref : value.refs)
    if (offset >= ref.offset && offset < ref.offset + ref.length) return &ref;
  return nullptr;
}

class Scanner {
 public:
  Scanner(const Project& p, const SecretMatcher& m) : p_(p), m_(m) {}

  std::vector<SecretValue> Run() {
    for (const ComposeService& s : p_.compose.services) ScanService(s);
    for (const EnvFile& env : p_.env_files) ScanEnvFile(env);
    for (const GrafanaDatasourceFile& f : p_.datasource_files) ScanGrafana(f);
    for (const CollectorConfig& c : p_.collectors) ScanCollector(c);
    for (const GrafanaAlertingFile& f : p_.alerting_files) ScanContactPoints(f);
    for (const GrafanaIni& ini : p_.grafana_inis) ScanGrafanaIni(ini);
    return std::move(out_);
  }

 private:
  void ScanService(const ComposeService& s) {
    const SourceFile* file = p_.FileByPath(s.compose_file);
    for (const EnvVar& e : s.environment) {
      if (!e.from_file.empty() || !e.has_value) continue;
      const std::string& raw = e.value.raw;
      const SourceFile* vfile = p_.FileByPath(e.value_loc.file);
      if (vfile == nullptr) vfile = file;
      // URL userinfo passwords, whatever the key.
      bool is_url = raw.find("://") != std::string::npos;
      for (const UrlPassword& up : FindUrlPasswords(raw)) {
        std::string pw = raw.substr(up.offset, up.length);
        if (pw.find('$') != std::string::npos) continue;  // ${VAR}: not written here
        SecretValue v;
        v.key = e.key;
        v.value = pw;
        v.loc = SubSpan(vfile, e.value_loc, raw, up.offset, up.length);
        v.service = &s;
        v.url_password = true;
        const VarRef* ref = EnclosingRef(e.value, up.offset);
        v.origin = ref ? Origin::kComposeDefault : Origin::kComposeLiteral;
        if (ref) v.variable = ref->name;
        out_.push_back(std::move(v));
      }
      if (is_url || !m_.IsSecretKey(e.key)) continue;
      if (e.value.refs.empty()) {
        if (e.value.resolved.empty() || LooksLikeNonSecret(e.value.resolved)) continue;
        SecretValue v;
        v.key = e.key;
        v.value = e.value.resolved;
        v.loc = SubSpan(vfile, e.value_loc, raw, 0, raw.size());
        v.service = &s;
        v.origin = Origin::kComposeLiteral;
        out_.push_back(std::move(v));
        continue;
      }
      for (const VarRef& ref : e.value.refs) {
        if (ref.op != ":-" && ref.op != "-") continue;
        if (ref.arg.empty() || ref.arg.find('$') != std::string::npos) continue;
        if (LooksLikeNonSecret(ref.arg)) continue;
        size_t arg_offset = ref.offset + 2 + ref.name.size() + ref.op.size();
        if (!ref.braced || arg_offset + ref.arg.size() > raw.size()) continue;
        SecretValue v;
        v.key = e.key;
        v.value = ref.arg;
        v.loc = SubSpan(vfile, e.value_loc, raw, arg_offset, ref.arg.size());
        v.service = &s;
        v.origin = Origin::kComposeDefault;
        v.variable = ref.name;
        out_.push_back(std::move(v));
      }
    }
  }

  void ScanEnvFile(const EnvFile& env) {
    // A template standing in for .env (.env.example) holds placeholders by
    // design; the deploy's real values are elsewhere.
    if (env.source == nullptr || env.is_example) return;
    // Who reads each entry: services that interpolate it (project .env) or
    // that load the file with env_file:.
    for (const EnvEntry& entry : env.entries) {
      std::vector<Consumer> consumers;
      bool secret_consumer = false;
      for (const ComposeService& s : p_.compose.services) {
        for (const EnvVar& e : s.environment) {
          bool reads = false;
          if (e.from_file.empty()) {
            if (env.is_project_env && e.value.raw.find(entry.key) != std::string::npos) {
              std::vector<VarRef> refs;
              CollectVariables(e.value.raw, refs);
              reads = std::any_of(refs.begin(), refs.end(),
                                  [&](const VarRef& r) { return r.name == entry.key; });
            }
          } else {
            reads = e.from_file == env.source->path && e.key == entry.key;
          }
          if (!reads) continue;
          consumers.push_back({&s, e.key});
          if (m_.IsSecretKey(e.key)) secret_consumer = true;
        }
      }
      if (entry.value.empty() || entry.value.find("${") != std::string::npos) continue;
      const std::string& raw = entry.value;
      bool is_url = raw.find("://") != std::string::npos;
      for (const UrlPassword& up : FindUrlPasswords(raw)) {
        SecretValue v;
        v.key = entry.key;
        v.value = raw.substr(up.offset, up.length);
        v.loc = SubSpan(env.source, entry.value_loc, raw, up.offset, up.length);
        v.origin = Origin::kEnvFile;
        v.url_password = true;
        v.consumers = consumers;
        out_.push_back(std::move(v));
      }
      if (is_url || !(m_.IsSecretKey(entry.key) || secret_consumer)) continue;
      if (LooksLikeNonSecret(raw)) continue;
      SecretValue v;
      v.key = entry.key;
      v.value = raw;
      v.loc = SubSpan(env.source, entry.value_loc, raw, 0, raw.size());
      v.origin = Origin::kEnvFile;
      v.consumers = std::move(consumers);
      out_.push_back(std::move(v));
    }
  }

  void AddNode(const yaml::Node* node, const std::string& key, const SourceFile* file, Origin origin,
               bool whole_value) {
    if (node == nullptr || !node->IsScalar() || node->scalar.empty()) return;
    const std::string& text = node->scalar;
    if (text.find('$') != std::string::npos) return;  // environment reference
    Location span = ScalarSpan(node, file->path);
    bool single_line = text.find('\n') == std::string::npos;
    for (const UrlPassword& up : FindUrlPasswords(text)) {
      SecretValue v;
      v.key = key;
      v.value = text.substr(up.offset, up.length);
      v.loc = single_line ? SubSpan(file, span, text, up.offset, up.length) : span;
      v.origin = origin;
      v.url_password = true;
      out_.push_back(std::move(v));
    }
    if (!whole_value || text.find("://") != std::string::npos || LooksLikeNonSecret(text)) return;
    SecretValue v;
    v.key = key;
    v.value = text;
    v.loc = span;
    v.origin = origin;
    out_.push_back(std::move(v));
  }

  void ScanGrafana(const GrafanaDatasourceFile& f) {
    if (f.source == nullptr || f.services.empty()) return;
    for (const GrafanaDatasource& ds : f.datasources) {
      if (ds.secure_json_data && ds.secure_json_data->IsMap()) {
        for (const auto& [k, v] : ds.secure_json_data->entries)
          if (k->IsScalar()) AddNode(v, "secureJsonData." + k->scalar, f.source, Origin::kGrafana, true);
      }
      if (ds.node && ds.node->IsMap()) {
        AddNode(ds.node->Get("basicAuthPassword"), "basicAuthPassword", f.source, Origin::kGrafana,
                true);
        AddNode(ds.node->Get("password"), "password", f.source, Origin::kGrafana, true);
        AddNode(ds.node->Get("url"), "url", f.source, Origin::kGrafana, false);
      }
    }
  }

  // Contact point settings: keys that name a secret, and the settings
  // Grafana keeps secret for that integration (a Slack webhook URL).
  void ScanContactPoints(const GrafanaAlertingFile& f) {
    if (f.source == nullptr || f.services.empty()) return;
    for (const GrafanaContactPoint& cp : f.contact_points) {
      for (const GrafanaContactPointReceiver& rec : cp.receivers) {
        if (rec.settings == nullptr) continue;
        std::string context = fmt::format("contact point \"{}\"{}", cp.name.value,
                                          rec.type.present ? fmt::format(" ({})", rec.type.value) : "");
        size_t first = out_.size();
        WalkSettings(rec.settings, "", rec.type.value, f.source, 0);
        for (size_t i = first; i < out_.size(); ++i) out_[i].context = context;
      }
    }
  }

  void WalkSettings(const yaml::Node* node, const std::string& path, const std::string& type,
                    const SourceFile* file, int depth) {
    if (node == nullptr || depth > 16) return;
    if (node->IsSequence()) {
      for (const yaml::Node* item : node->items) WalkSettings(item, path, type, file, depth + 1);
      return;
    }
    if (!node->IsMap()) return;
    for (const auto& [k, v] : node->entries) {
      if (!k->IsScalar()) continue;
      std::string key_path = path.empty() ? k->scalar : path + "." + k->scalar;
      if (v != nullptr && v->IsScalar()) {
        // A webhook URL Grafana keeps secret carries its token: the whole URL is the secret.
        if (m_.IsContactPointSecret(type, key_path) && v->scalar.find("://") != std::string::npos &&
            v->scalar.find('$') == std::string::npos) {
          SecretValue sv;
          sv.key = "settings." + key_path;
          sv.value = v->scalar;
          sv.loc = ScalarSpan(v, file->path);
          sv.origin = Origin::kGrafanaAlerting;
          out_.push_back(std::move(sv));
          continue;
        }
        bool secret = m_.IsSecretKey(k->scalar) || m_.IsContactPointSecret(type, key_path);
        AddNode(v, "settings." + key_path, file, Origin::kGrafanaAlerting, secret);
      } else {
        WalkSettings(v, key_path, type, file, depth + 1);
      }
    }
  }

  // grafana.ini values under secret-like keys, where they are what Grafana
  // uses (a GF_* variable that overrides them makes the file's value moot).
  void ScanGrafanaIni(const GrafanaIni& ini) {
    if (ini.source == nullptr) return;
    for (const GrafanaIniEntry& e : ini.entries) {
      if (ini.Find(e.section, e.key) != &e || e.value.empty()) continue;
      const ComposeService* user = nullptr;
      bool overridden = false;
      for (const std::string& name : ini.services) {
        const ComposeService* s = p_.compose.Service(name);
        if (s == nullptr) continue;
        if (user == nullptr) user = s;
        if (GrafanaSetting(p_, *s, e.section, e.key).from == GrafanaSettingValue::From::kEnv)
          overridden = true;
      }
      if (user == nullptr || overridden) continue;
      const std::string& text = e.value;
      if (text.find('$') != std::string::npos) continue;  // $__env{}, $__file{}
      bool single_line = e.value_loc.end_line == 0 && e.value_loc.end_column > 0;
      for (const UrlPassword& up : FindUrlPasswords(text)) {
        SecretValue v;
        v.key = e.key;
        v.value = text.substr(up.offset, up.length);
        v.loc = e.value_loc;
        if (single_line) {
          v.loc.column += static_cast<int>(up.offset);
          v.loc.end_column = v.loc.column + static_cast<int>(up.length);
        }
        v.origin = Origin::kGrafanaIni;
        v.url_password = true;
        v.service = user;
        v.context = fmt::format("[{}]", e.section);
        v.setting_env = GrafanaEnvKey(e.section, e.key);
        out_.push_back(std::move(v));
      }
      if (!m_.IsSecretKey(e.key) || text.find("://") != std::string::npos || LooksLikeNonSecret(text))
        continue;
      SecretValue v;
      v.key = e.key;
      v.value = text;
      v.loc = e.value_loc;
      v.origin = Origin::kGrafanaIni;
      v.service = user;
      v.context = fmt::format("[{}]", e.section);
      v.setting_env = GrafanaEnvKey(e.section, e.key);
      out_.push_back(std::move(v));
    }
  }

  void WalkCollector(const yaml::Node* node, const std::string& path, const SourceFile* file,
                     int depth) {
    if (node == nullptr || depth > 32) return;
    if (node->IsSequence()) {
      for (const yaml::Node* item : node->items) WalkCollector(item, path, file, depth + 1);
      return;
    }
    if (!node->IsMap()) return;
    for (const auto& [k, v] : node->entries) {
      if (!k->IsScalar()) continue;
      std::string key_path = path.empty() ? k->scalar : path + "." + k->scalar;
      if (v && v->IsScalar()) {
        if (k->scalar == "inline" && path.ends_with("htpasswd")) {
          AddHtpasswd(v, key_path, file);
        } else {
          AddNode(v, key_path, file, Origin::kCollector, m_.IsSecretKey(k->scalar));
        }
      } else {
        WalkCollector(v, key_path, file, depth + 1);
      }
    }
  }

  // basicauth htpasswd.inline: "user:password" lines (a block scalar).
  void AddHtpasswd(const yaml::Node* node, const std::string& key, const SourceFile* file) {
    const std::string& text = node->scalar;
    size_t start = 0;
    int search_from = node->line;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      std::string_view entry = std::string_view(text).substr(start, nl == std::string::npos ? nl : nl - start);
      start = nl == std::string::npos ? text.size() : nl + 1;
      size_t colon = entry.find(':');
      if (colon == std::string_view::npos || colon + 1 >= entry.size()) continue;
      if (entry.find('$') != std::string_view::npos) continue;  // hashed ($2y$...) or ${env:...}
      std::string_view pw = entry.substr(colon + 1);
      SecretValue v;
      v.key = key;
      v.value = std::string(pw);
      v.origin = Origin::kCollector;
      v.loc = yaml::LocationOf(node, file->path);
      // Find the line that holds this entry to point at the password itself.
      for (int line = search_from; line <= file->LineCount() && line < search_from + 200; ++line) {
        std::string_view text_line = file->Line(line);
        size_t at = text_line.find(entry);
        if (at == std::string_view::npos) continue;
        int col = static_cast<int>(at + colon + 2);
        v.loc = Location{file->path, line, col, line, col + static_cast<int>(pw.size())};
        search_from = line + 1;
        break;
      }
      out_.push_back(std::move(v));
    }
  }

  void ScanCollector(const CollectorConfig& c) {
    if (c.source == nullptr || c.services.empty()) return;
    for (const CollectorComponent& comp : c.components) {
      if (comp.kind == "processors" || comp.kind == "connectors") continue;
      WalkCollector(comp.config, "", c.source, 0);
    }
  }

  const Project& p_;
  const SecretMatcher& m_;
  std::vector<SecretValue> out_;
};

}  // namespace

bool LooksLikeNonSecret(std::string_view value) {
  if (value.empty()) return true;
  static const char* kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "none"};
  std::string lower = Lower(value);
  for (const char* w : kWords)
    if (lower == w) return true;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      value.size() < 6)
    return true;  // a count or a length, not a PIN worth reporting
  if (value.front() == '/' || value.starts_with("./") || value.starts_with("file:")) return true;
  return false;
}

Location SubSpan(const SourceFile* file, const Location& value_loc, std::string_view raw,
                 size_t offset, size_t length) {
  if (file == nullptr || value_loc.line <= 0 || raw.find('\n') != std::string_view::npos)
    return value_loc;
  std::string_view line = file->Line(value_loc.line);
  size_t base = static_cast<size_t>(std::max(0, value_loc.column - 1));
  auto at = [&](size_t b) { return b <= line.size() && line.substr(b).starts_with(raw); };
  if (!at(base)) {
    if (base < line.size() && (line[base] == '"' || line[base] == '\'') && at(base + 1)) {
      base += 1;
    } else {
      // Escapes or quoting changed the text: find the secret itself on the line.
      std::string_view secret = raw.substr(offset, length);
      size_t found = line.find(secret, base);
      if (found == std::string_view::npos || secret.empty()) return value_loc;
      int col = static_cast<int>(found) + 1;
      return Location{value_loc.file, value_loc.line, col, value_loc.line,
                      col + static_cast<int>(length)};
    }
  }
  int col = static_cast<int>(base + offset) + 1;
  return Location{value_loc.file, value_loc.line, col, value_loc.line, col + static_cast<int>(length)};
}

std::vector<SecretValue> CollectSecrets(const Project& project, const SecretMatcher& matcher) {
  return Scanner(project, matcher).Run();
}

std::vector<SecretValue> OnePerPlace(std::vector<SecretValue> values) {
  std::vector<SecretValue> out;
  std::map<std::tuple<std::string, int, int, int>, size_t> first;
  for (SecretValue& v : values) {
    auto key = std::make_tuple(v.loc.file, v.loc.line, v.loc.column, static_cast<int>(v.origin));
    auto [it, inserted] = first.emplace(key, out.size());
    if (inserted || v.loc.line == 0 || v.service == nullptr) {
      if (!inserted) it->second = out.size();
      out.push_back(std::move(v));
      continue;
    }
    SecretValue& kept = out[it->second];
    if (v.service != kept.service &&
        std::find(kept.also.begin(), kept.also.end(), v.service) == kept.also.end())
      kept.also.push_back(v.service);
  }
  return out;
}

std::string Services(const SecretValue& v) {
  if (v.service == nullptr) return "";
  if (v.also.empty()) return fmt::format("service \"{}\"", v.service->name);
  std::string out = fmt::format("services \"{}\"", v.service->name);
  for (size_t i = 0; i < v.also.size(); ++i)
    out += fmt::format("{}\"{}\"", i + 1 == v.also.size() ? " and " : ", ", v.also[i]->name);
  return out;
}

std::optional<DefaultMatch> MatchesDefaultCredential(const SecretValue& v, const Project& p,
                                                    const Knowledge& k) {
  const auto analysis = Analysis::Of(p, k);
  auto check = [&](const ComposeService* s, const std::string& key,
                   std::string_view value) -> std::optional<DefaultMatch> {
    if (s == nullptr) return std::nullopt;
    const ImageInfo* info = analysis->Image(*s).Info();
    if (!info) return std::nullopt;
    for (const Credential& c : info->default_credentials) {
      if (c.password_env.empty() || c.password.empty()) continue;
      if (c.password_env == key && c.password == value) return DefaultMatch{s, info->display, c};
    }
    return std::nullopt;
  };
  if (v.url_password) return std::nullopt;
  switch (v.origin) {
    case Origin::kComposeLiteral:
    case Origin::kComposeDefault:
      return check(v.service, v.key, v.value);
    case Origin::kGrafanaIni:
      return check(v.service, v.setting_env, v.value);
    case Origin::kEnvFile:
      for (const Consumer& c : v.consumers) {
        const EnvVar* e = c.service->Env(c.key);
        // The service sees this entry's value only when its own value is just the reference.
        if (e == nullptr || (e->from_file.empty() && e->value.resolved != v.value)) continue;
        if (auto m = check(c.service, c.key, v.value)) return m;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string Describe(const SecretValue& v) {
  if (v.origin == Origin::kGrafanaIni) {
    std::string file = v.loc.file.substr(v.loc.file.find_last_of('/') + 1);
    std::string where = "`" + v.key + "` in " + v.context + " of " + file;
    return v.url_password ? "the password in the userinfo of " + where : where;
  }
  if (v.origin == Origin::kGrafanaAlerting) {
    std::string where = "`" + v.key + "` of " + v.context;
    return v.url_password ? "the password in the userinfo of " + where : where;
  }
  if (v.url_password) return "the password in the userinfo of `" + v.key + "`";
  if (v.origin == Origin::kComposeDefault)
    return "the default of `${" + v.variable + "}` in `" + v.key + "`";
  return "`" + v.key + "`";
}

}  // namespace obslint::security
