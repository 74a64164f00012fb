#include "analysis/grafana.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "model/sha256.h"
#include "model/text.h"

namespace obslint {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Core datasource plugins of Grafana (public/app/plugins/datasource/*/plugin.json),
// each with the ids it still answers to (`aliasIDs`):
// grafana-postgresql-datasource ["postgres"], grafana-testdata-datasource
// ["testdata"], grafana-pyroscope-datasource ["phlare"].
// source: https://github.com/grafana/grafana/blob/760076b19528fed75eea65f6d4c6b11b8131a026/public/app/plugins/datasource/grafana-postgresql-datasource/plugin.json
// Plugins outside this list (VictoriaMetrics, ClickHouse, Infinity, ...)
// often accept another plugin's queries and are never judged.
struct CoreType {
  std::string_view id;
  std::string_view alias;
};
constexpr CoreType kCoreTypes[] = {
    {"prometheus", ""},      {"loki", ""},
    {"tempo", ""},           {"jaeger", ""},
    {"zipkin", ""},          {"elasticsearch", ""},
    {"influxdb", ""},        {"graphite", ""},
    {"opentsdb", ""},        {"mysql", ""},
    {"mssql", ""},           {"cloudwatch", ""},
    {"alertmanager", ""},    {"parca", ""},
    {"grafana-postgresql-datasource", "postgres"},
    {"grafana-testdata-datasource", "testdata"},
    {"grafana-pyroscope-datasource", "phlare"},
};

const CoreType* Core(std::string_view type) {
  for (const CoreType& c : kCoreTypes)
    if (type == c.id || (!c.alias.empty() && type == c.alias)) return &c;
  return nullptr;
}

bool SameType(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const CoreType* ca = Core(a);
  return ca != nullptr && ca == Core(b);
}

const GrafanaConfigUse* ConfigUseOf(const Project& p, std::string_view service) {
  for (const GrafanaConfigUse& u : p.grafana_configs)
    if (u.service == service) return &u;
  return nullptr;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Grafana's expanders on a setting value: `$__env{V}` and `${V}` from the
// container's environment, `$__file{p}` / `$__vault{...}` from elsewhere.
// Returns false when the result cannot be known.
bool Expand(const ComposeService& s, std::string_view in, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '$') {
      out += in[i++];
      continue;
    }
    size_t open = in.find('{', i);
    std::string_view scheme = open == std::string_view::npos ? "" : in.substr(i + 1, open - i - 1);
    bool known_scheme = scheme.empty() || (scheme.starts_with("__") &&
                                           std::all_of(scheme.begin(), scheme.end(), IsNameChar));
    size_t close = open == std::string_view::npos ? open : in.find('}', open);
    if (open == std::string_view::npos || !known_scheme || close == std::string_view::npos ||
        close == open + 1) {
      out += in[i++];
      continue;
    }
    if (scheme != "" && scheme != "__env") return false;  // $__file{}, $__vault{}
    const EnvVar* e = s.Env(in.substr(open + 1, close - open - 1));
    if (e == nullptr || !e->has_value || e->value.unresolved) return false;
    out += e->value.resolved;
    i = close + 1;
  }
  return true;
}

GrafanaSettingValue Lookup(const Project& p, const ComposeService& s, const std::string& env_key,
                           std::string_view section, std::string_view key) {
  GrafanaSettingValue v;
  v.env_key = env_key;
  if (const GrafanaIni* ini = GrafanaIniOf(p, s)) {
    for (auto it = ini->entries.rbegin(); it != ini->entries.rend(); ++it) {
      bool match = section.empty() ? GrafanaEnvKey(it->section, it->key) == env_key
                                   : it->section == section && it->key == key;
      if (match) {
        v.ini = &*it;
        break;
      }
    }
  }
  // GF_*__FILE: the image's entrypoint reads the variable from that file.
  if (const EnvVar* f = s.Env(env_key + "__FILE"); f != nullptr) {
    v.from = GrafanaSettingValue::From::kEnv;
    v.env = f;
    v.loc = f->value_loc.HasPosition() ? f->value_loc : f->key_loc;
    v.opaque = true;
    return v;
  }
  if (const EnvVar* e = s.Env(env_key); e != nullptr) {
    // "KEY" alone takes the deployer's shell value; an unset ${VAR} depends on
    // the shell too. An empty value does not override (len(envValue) > 0).
    bool unknown = !e->has_value || e->value.unresolved;
    if (unknown || !e->value.resolved.empty()) {
      v.from = GrafanaSettingValue::From::kEnv;
      v.env = e;
      v.loc = e->value_loc.HasPosition() ? e->value_loc : e->key_loc;
      v.opaque = unknown || !Expand(s, e->value.resolved, v.value);
      if (v.opaque) v.value.clear();
      return v;
    }
  }
  // Empty values in the file are skipped when Grafana merges it.
  if (v.ini != nullptr && !v.ini->value.empty()) {
    v.from = GrafanaSettingValue::From::kIni;
    v.loc = v.ini->value_loc;
    v.opaque = !Expand(s, v.ini->value, v.value);
    if (v.opaque) v.value.clear();
  }
  return v;
}

}  // namespace

// ------------------------------------------------------------ datasources

std::string DerivedDatasourceUid(std::string_view name) {
  std::string hex = Sha256Hex(name).substr(0, 16);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "P" + hex;
}

bool LooksLikeDerivedUid(std::string_view uid) {
  if (uid.size() != 17 || uid[0] != 'P') return false;
  return std::all_of(uid.begin() + 1, uid.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'F');
  });
}

bool IsBuiltinDatasource(std::string_view v) {
  // public/app/plugins/datasource/{grafana,mixed,dashboard} and expressions
  // ("__expr__", formerly "-100"; "Expression" as a name).
  static constexpr std::string_view kBuiltin[] = {"grafana",        "-- Grafana --", "-- Mixed --",
                                                  "-- Dashboard --", "__expr__",     "-100",
                                                  "Expression",     "default"};
  return std::find(std::begin(kBuiltin), std::end(kBuiltin), v) != std::end(kBuiltin);
}

bool IsBuiltinDatasourceType(std::string_view type) {
  return type == "datasource" || type == "grafana" || type == "__expr__" || type == "mixed" ||
         type == "dashboard";
}

bool DatasourceTypesDiffer(std::string_view a, std::string_view b) {
  const CoreType* ca = Core(a);
  const CoreType* cb = Core(b);
  return ca != nullptr && cb != nullptr && ca != cb;
}

GrafanaDatasources::GrafanaDatasources(const Project& project, std::string_view service) {
  for (const GrafanaDatasourceFile& f : project.datasource_files) {
    if (!Contains(f.services, service)) continue;
    for (const GrafanaDatasource& ds : f.datasources) all_.push_back(&ds);
  }
}

std::string GrafanaDatasources::UidOf(const GrafanaDatasource& ds) {
  if (ds.uid.present && !ds.uid.value.empty()) return ds.uid.value;
  if (ds.name.present && !ds.name.value.empty() && ds.name.value.find('$') == std::string::npos)
    return DerivedDatasourceUid(ds.name.value);
  return {};
}

const GrafanaDatasource* GrafanaDatasources::Find(int org, std::string_view ref, By by) const {
  for (const GrafanaDatasource* ds : all_)
    if (OrgOf(*ds) == org && UidOf(*ds) == ref) return ds;
  if (by == By::kUidOrName) {
    for (const GrafanaDatasource* ds : all_)
      if (OrgOf(*ds) == org && ds->name.present && ds->name.value == ref) return ds;
  }
  return nullptr;
}

bool GrafanaDatasources::Unknowable(int org) const {
  for (const GrafanaDatasource* ds : all_) {
    if (OrgOf(*ds) != org) continue;
    if ((ds->uid.present && ds->uid.value.find('$') != std::string::npos) ||
        (ds->name.present && ds->name.value.find('$') != std::string::npos))
      return true;
  }
  return false;
}

bool GrafanaDatasources::Any(int org) const {
  return std::any_of(all_.begin(), all_.end(), [&](const GrafanaDatasource* ds) { return OrgOf(*ds) == org; });
}

bool GrafanaDatasources::HasType(int org, std::string_view type) const {
  for (const GrafanaDatasource* ds : all_) {
    if (OrgOf(*ds) != org) continue;
    if (!ds->type.present || ds->type.value.find('$') != std::string::npos) return true;
    if (SameType(ds->type.value, type)) return true;
  }
  return false;
}

const GrafanaDatasource* GrafanaDatasources::Candidate(int org, std::string_view ref) const {
  for (const GrafanaDatasource* ds : all_) {
    if (OrgOf(*ds) != org) continue;
    if ((ds->name.present && EqualsIgnoreCase(ds->name.value, ref)) ||
        (ds->type.present && EqualsIgnoreCase(ds->type.value, ref)) ||
        (ds->uid.present && EqualsIgnoreCase(ds->uid.value, ref)))
      return ds;
  }
  return nullptr;
}

std::string GrafanaDatasources::UidList(int org, size_t max) const {
  std::vector<std::string> uids;
  for (const GrafanaDatasource* ds : all_) {
    if (OrgOf(*ds) != org || !ds->uid.present || ds->uid.value.empty()) continue;
    std::string quoted = fmt::format("\"{}\"", ds->uid.value);
    if (!Contains(uids, quoted)) uids.push_back(std::move(quoted));
  }
  std::string out;
  for (size_t i = 0; i < uids.size() && i < max; ++i) out += (out.empty() ? "" : ", ") + uids[i];
  if (uids.size() > max) out += ", ...";
  return out;
}

std::vector<std::string> GrafanaServices(const Project& p) {
  std::set<std::string> names;
  for (const auto& f : p.datasource_files) names.insert(f.services.begin(), f.services.end());
  for (const auto& f : p.dashboard_files) names.insert(f.services.begin(), f.services.end());
  for (const auto& f : p.alerting_files) names.insert(f.services.begin(), f.services.end());
  for (const auto& d : p.dashboards) names.insert(d.services.begin(), d.services.end());
  for (const auto& i : p.grafana_inis) names.insert(i.services.begin(), i.services.end());
  return {names.begin(), names.end()};
}

// ------------------------------------------------------ dashboard references

std::optional<std::string> WholeVariableReference(std::string_view t) {
  std::string_view name;
  if (t.starts_with("${") && t.ends_with("}")) {
    name = t.substr(2, t.size() - 3);
    name = name.substr(0, name.find(':'));
  } else if (t.starts_with("[[") && t.ends_with("]]")) {
    name = t.substr(2, t.size() - 4);
    name = name.substr(0, name.find(':'));
  } else if (t.starts_with("$")) {
    name = t.substr(1);
  } else {
    return std::nullopt;
  }
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsNameChar)) return std::nullopt;
  return std::string(name);
}

std::vector<DashboardRefResult> ResolveDashboardRefs(const GrafanaDatasources& datasources,
                                                     const GrafanaDashboard& dash) {
  using Status = DashboardRefResult::Status;
  std::vector<DashboardRefResult> out;
  out.reserve(dash.refs.size());
  int org = dash.org_id;
  for (const GrafanaDatasourceRef& ref : dash.refs) {
    DashboardRefResult r;
    r.ref = &ref;
    const std::string& text = ref.uid.value;
    if (IsBuiltinDatasource(text) || (ref.type.present && ref.type.value == "__expr__")) {
      r.status = Status::kBuiltin;
    } else if (auto var = WholeVariableReference(text)) {
      r.variable = *var;
      bool input = std::any_of(dash.inputs.begin(), dash.inputs.end(),
                               [&](const GrafanaDashboardInput& in) { return in.name == *var; });
      if (var->starts_with("__")) r.status = Status::kUnknowable;
      else if (dash.Variable(*var) != nullptr) r.status = Status::kVariable;
      else if (input || var->starts_with("DS_")) r.status = Status::kUnresolvedInput;
      else r.status = Status::kUndefinedVariable;
    } else if (text.find('$') != std::string::npos || text.find("[[") != std::string::npos) {
      r.status = Status::kUnknowable;
    } else if (!datasources.Any(org)) {
      r.status = Status::kNoDatasources;
    } else if (const GrafanaDatasource* ds =
                   datasources.Find(org, text, GrafanaDatasources::By::kUidOrName)) {
      r.status = Status::kResolved;
      r.datasource = ds;
      r.type_mismatch = ref.object_form && ref.type.present && ds->type.present &&
                        DatasourceTypesDiffer(ref.type.value, ds->type.value);
    } else if (datasources.Unknowable(org) || LooksLikeDerivedUid(text) ||
               std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      // Derived-looking uids may belong to datasources created by hand; a
      // number is a datasource id, which files never show.
      r.status = Status::kUnknowable;
    } else {
      r.status = Status::kUnknown;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ------------------------------------------------------------- settings

std::string GrafanaEnvKey(std::string_view section, std::string_view key) {
  std::string out = "GF_";
  for (char c : section)
    out += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out += '_';
  for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool GrafanaConfigKnown(const Project& p, const ComposeService& s) {
  const GrafanaConfigUse* use = ConfigUseOf(p, s.name);
  return use == nullptr || !use->provided || use->ini >= 0;
}

const GrafanaIni* GrafanaIniOf(const Project& p, const ComposeService& s) {
  const GrafanaConfigUse* use = ConfigUseOf(p, s.name);
  if (use == nullptr || use->ini < 0 || use->ini >= static_cast<int>(p.grafana_inis.size()))
    return nullptr;
  return &p.grafana_inis[use->ini];
}

GrafanaSettingValue GrafanaSetting(const Project& p, const ComposeService& s,
                                   std::string_view section, std::string_view key) {
  return Lookup(p, s, GrafanaEnvKey(section, key), section, key);
}

GrafanaSettingValue GrafanaSettingForEnv(const Project& p, const ComposeService& s,
                                         std::string_view env_key) {
  return Lookup(p, s, std::string(env_key), {}, {});
}

std::string DescribeSetting(const GrafanaSettingValue& v) {
  if (v.from == GrafanaSettingValue::From::kIni && v.ini != nullptr)
    return fmt::format("`{}` in [{}] of {}", v.ini->key, v.ini->section,
                       v.ini->key_loc.file.substr(v.ini->key_loc.file.find_last_of('/') + 1));
  if (v.env != nullptr) return fmt::format("`{}`", v.env->key);
  return fmt::format("`{}`", v.env_key);
}

}  // namespace obslint
