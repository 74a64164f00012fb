// What a Grafana service sees, decided once for every rule: which
// datasources it provisions and how a reference finds one, what each
// dashboard reference resolves to, and the effective value of a setting
// (grafana.ini merged with GF_* variables).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/project.h"

namespace obslint {

// ------------------------------------------------------------ datasources

// The uid Grafana 8.3+ gives a datasource provisioned without one: "P" and
// the first 8 bytes of sha256(name) in upper-case hex.
// source: https://github.com/grafana/grafana/blob/01c834234982c8ae5eba61acd1313c1c4443e9dd/pkg/services/provisioning/datasources/types.go
//   (safeUIDFromName, used by createInsertCommand when uid is empty)
// source: https://github.com/grafana/grafana/pull/41769 (added for 8.3)
std::string DerivedDatasourceUid(std::string_view name);
// "P" + 16 upper-case hex digits: the shape of such a uid.
bool LooksLikeDerivedUid(std::string_view uid);
// A uid or name every Grafana resolves without provisioning: the Grafana,
// Mixed and Dashboard datasources and server-side expressions.
bool IsBuiltinDatasource(std::string_view uid_or_name);
// Plugin types of those built-ins ("datasource", "grafana", "__expr__"...).
bool IsBuiltinDatasourceType(std::string_view type);
// Whether two plugin types name different core plugins for certain: both
// known core types (aliases such as postgres / grafana-postgresql-datasource
// taken into account) and not the same. Unknown plugin types are never judged.
bool DatasourceTypesDiffer(std::string_view a, std::string_view b);

// The datasources one Grafana service provisions, from all its datasource files.
class GrafanaDatasources {
 public:
  GrafanaDatasources(const Project& project, std::string_view service);

  enum class By {
    kUid,        // alert rules: by uid only
    kUidOrName,  // dashboards and links (the frontend's DatasourceSrv): uid, then exact name
  };
  // The datasource `ref` names in `org`; nullptr when none does. A datasource
  // without uid is found by the uid Grafana derives from its name.
  const GrafanaDatasource* Find(int org, std::string_view ref, By by) const;
  // A uid or name in `org` holds a `$VARIABLE`: references cannot be judged.
  bool Unknowable(int org) const;
  // Datasources are provisioned in `org` at all.
  bool Any(int org) const;
  // One of `org` has plugin type `type` (or its alias); also true when unknowable.
  bool HasType(int org, std::string_view type) const;
  // A datasource whose name or type equals `ref` in another letter case (a hint).
  const GrafanaDatasource* Candidate(int org, std::string_view ref) const;
  // `"uid"` of each datasource of `org` (derived ones included), for messages.
  std::string UidList(int org, size_t max = 6) const;
  // The uid Grafana gives `ds`: its own, or the derived one ("" when neither is known).
  static std::string UidOf(const GrafanaDatasource& ds);
  static int OrgOf(const GrafanaDatasource& ds) { return ds.org_id.value == 0 ? 1 : ds.org_id.value; }

  const std::vector<const GrafanaDatasource*>& All() const { return all_; }

 private:
  std::vector<const GrafanaDatasource*> all_;
};

// Grafana services that read any provisioning file, dashboard or grafana.ini, sorted.
std::vector<std::string> GrafanaServices(const Project& project);

// ------------------------------------------------------ dashboard references

struct DashboardRefResult {
  enum class Status {
    kResolved,          // a provisioned datasource (see `datasource`)
    kBuiltin,           // -- Grafana --, -- Mixed --, expressions...
    kVariable,          // $var of a variable the dashboard defines
    kUnknowable,        // `$` elsewhere in the text, a derived-looking uid, `$` among the datasources
    kNoDatasources,     // the service provisions no datasource in that org (made by hand)
    kUnresolvedInput,   // ${DS_X} of `__inputs` ("Export for sharing externally")
    kUndefinedVariable, // $var the dashboard does not define
    kUnknown,           // no provisioned datasource has that uid or name
  };
  const GrafanaDatasourceRef* ref = nullptr;
  Status status = Status::kUnknown;
  const GrafanaDatasource* datasource = nullptr;  // kResolved
  std::string variable;                           // kUnresolvedInput / kUndefinedVariable / kVariable
  bool type_mismatch = false;                     // kResolved with a `type` of another plugin
};

// Every datasource reference of `dash`, as service `service` resolves it.
std::vector<DashboardRefResult> ResolveDashboardRefs(const GrafanaDatasources& datasources,
                                                     const GrafanaDashboard& dash);

// `$name`, `${name}`, `${name:format}` or `[[name]]` as a whole string: the name.
std::optional<std::string> WholeVariableReference(std::string_view text);

// ------------------------------------------------------------- settings

// GF_<SECTION>_<KEY>: section upper-cased with `.` and `-` as `_`, key
// upper-cased with `.` as `_` (keys keep their `-`).
// source: https://github.com/grafana/grafana/blob/7895d8a69233d3fa6c04e5684661a0d3b797fbf2/pkg/setting/setting.go
//   (EnvKey; loadConfiguration: defaults.ini, then the config file without its
//   empty values, then non-empty GF_* variables, then cfg: arguments, then the
//   expanders)
// source: https://github.com/grafana/grafana/blob/c265af27ff621c44027bd9fa09a63a840aa37911/pkg/setting/expanders.go
//   (`${V}` and `$__env{V}` read the environment, `$__file{p}` a file)
std::string GrafanaEnvKey(std::string_view section, std::string_view key);

// The effective value of a Grafana setting for one service: a non-empty
// GF_<SECTION>_<KEY> variable wins over grafana.ini, which wins over the
// built-in default. `$__env{V}` / `${V}` are expanded from the service's
// environment; `$__file{...}`, `$__vault{...}`, `*__FILE` variables and
// unset references leave the value unknown (`opaque`).
struct GrafanaSettingValue {
  enum class From { kDefault, kIni, kEnv };
  From from = From::kDefault;
  std::string value;               // the effective text ("" when default or opaque)
  bool opaque = false;             // set, but obslint cannot know the value
  Location loc;                    // where the value is written (ini value or env value)
  const EnvVar* env = nullptr;     // kEnv
  const GrafanaIniEntry* ini = nullptr;  // kIni, or the entry the variable overrides
  std::string env_key;             // GF_... of the setting
  bool IsSet() const { return from != From::kDefault; }
};

// Whether obslint knows the service's configuration file: none is supplied
// (the image's own grafana.ini holds only defaults), or the supplied one
// was read. False when a mount supplies a file obslint could not read.
bool GrafanaConfigKnown(const Project& project, const ComposeService& service);
// The grafana.ini the service runs with, when obslint read it.
const GrafanaIni* GrafanaIniOf(const Project& project, const ComposeService& service);

GrafanaSettingValue GrafanaSetting(const Project& project, const ComposeService& service,
                                   std::string_view section, std::string_view key);
// The same, for rules that know the setting by its variable
// (GF_SECURITY_ADMIN_PASSWORD, from image knowledge): the ini entry is the
// one whose GrafanaEnvKey is `env_key`.
GrafanaSettingValue GrafanaSettingForEnv(const Project& project, const ComposeService& service,
                                         std::string_view env_key);

// "`admin_password` in [security] of grafana/grafana.ini" or "`GF_X`".
std::string DescribeSetting(const GrafanaSettingValue& v);

}  // namespace obslint
