// OBS401 deprecated-schema: the schema period Loki writes new data with uses
// an index store other than `tsdb` or a schema older than v13.
//
// Only the last period is judged: older periods must stay in the file so Loki
// can read the data written under them, and adding a new tsdb/v13 period is
// the documented migration (grafana.com/docs/loki/latest/setup/migrate/migrate-to-tsdb).
//
// Loki 3 validates the active period at startup (pkg/loki/validation.go,
// validateSchemaRequirements): while `limits_config.allow_structured_metadata`
// is true — the default since 3.0 — a store other than tsdb or a schema below
// v13 stops it with "CONFIG ERROR: `tsdb` index type is required to store
// Structured Metadata ..." / "schema v13 is required ...". That case is an
// error; everything else is a warning.
#include <fmt/format.h>

#include <charconv>
#include <string>
#include <string_view>

#include "rules/rules.h"

namespace obslint {
namespace {

// "v11" -> 11; -1 when the text is no schema version obslint can read.
int SchemaNumber(std::string_view text) {
  if (text.size() < 2 || (text[0] != 'v' && text[0] != 'V')) return -1;
  int value = -1;
  auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return -1;
  return value;
}

bool HasVariable(const Located<std::string>& v) {
  return v.value.find('$') != std::string::npos;
}

// What the Loki services running a config say about the Loki 3 startup check.
struct LokiRuntime {
  bool v3 = false;           // some service runs Loki >= 3.0
  std::string version;       // "Loki 3.0.0" / "grafana/loki:latest (Loki 3)"
  bool sm_disabled = false;  // structured metadata switched off (config or flag)
  bool sm_unknown = false;   // set through a variable: cannot tell
};

LokiRuntime RuntimeOf(const Project& p, const Knowledge& k, const LokiConfig& loki) {
  LokiRuntime rt;
  const yaml::Node* root = loki.source ? loki.source->yaml.root : nullptr;
  const yaml::Node* limits = root && root->IsMap() ? root->Get("limits_config") : nullptr;
  const yaml::Node* sm = limits && limits->IsMap() ? limits->Get("allow_structured_metadata")
                                                   : nullptr;
  if (sm != nullptr && sm->IsScalar()) {
    if (sm->scalar.find('$') != std::string::npos) rt.sm_unknown = true;
    else if (!sm->IsTrue()) rt.sm_disabled = true;
  }
  bool all_flagged = !loki.services.empty();
  for (const std::string& name : loki.services) {
    const ComposeService* s = p.compose.Service(name);
    if (s == nullptr) continue;
    auto flag = s->Flag("validation.allow-structured-metadata");
    if (!flag || flag->value != "false") all_flagged = false;
    auto info = k.Image(s->image.text.value);
    if (!info || info->family != "loki" || !info->version.known) continue;
    // An assumed version is only trusted for `latest` or no tag at all (Loki 3
    // today); not for a digest or a tag left empty by an unset variable.
    const ImageRef& image = s->image;
    bool untagged = image.tag.empty() && image.digest.empty() && !image.text.value.ends_with(':');
    bool trusted = !info->version_assumed || image.tag == "latest" || untagged;
    if (trusted && info->version >= Version{3, 0, 0, true}) {
      rt.v3 = true;
      rt.version = info->version_assumed
                       ? fmt::format("{} (Loki {})", image.text.value, info->version.major)
                       : fmt::format("Loki {}", info->version.ToString());
    }
  }
  if (all_flagged) rt.sm_disabled = true;
  return rt;
}

}  // namespace

void CheckDeprecatedSchema(const Project& p, const Knowledge& k, Reporter& r) {
  for (const LokiConfig& loki : p.lokis) {
    if (loki.schemas.empty()) continue;
    const LokiSchema& last = loki.schemas.back();
    if (HasVariable(last.store) || HasVariable(last.schema)) continue;

    bool old_store = last.store.present && last.store.value != "tsdb";
    int number = last.schema.present ? SchemaNumber(last.schema.value) : -1;
    bool old_schema = number >= 0 && number < 13;
    if (!old_store && !old_schema) continue;

    std::string what;
    if (old_store && old_schema) {
      what = fmt::format("index store \"{}\" and schema {}", last.store.value, last.schema.value);
    } else if (old_store) {
      what = fmt::format("index store \"{}\"", last.store.value);
    } else {
      what = fmt::format("schema {}", last.schema.value);
    }
    std::string period =
        last.from.present ? fmt::format("schema period from {}", last.from.value) : "schema period";
    Location loc = old_store ? last.store.loc : last.schema.loc;

    LokiRuntime rt = RuntimeOf(p, k, loki);
    std::string help =
        "add a new period after this one with `store: tsdb`, `schema: v13` and `from:` set to a "
        "future date (keep this period so existing logs stay readable)";
    if (rt.v3 && !rt.sm_disabled && !rt.sm_unknown) {
      r.Report("OBS401", Severity::kError, loc,
               fmt::format("{} uses {}; {} refuses to start: with structured metadata "
                           "enabled (the default since 3.0) the active period needs store "
                           "\"tsdb\" and schema v13",
                           period, what, rt.version),
               help + "; until that date, set `limits_config.allow_structured_metadata: false`");
    } else {
      r.Report("OBS401", loc,
               fmt::format("{} uses deprecated {}; structured metadata and native OTLP ingestion "
                           "need store \"tsdb\" and schema v13, which Loki 3 requires by default",
                           period, what),
               help);
    }
  }
}

}  // namespace obslint
