// OBS401 deprecated-schema: Loki writes with an index store other than
// `tsdb` or a schema older than v13.
//
// Loki 3 validates the *active* period at startup — the last one whose
// `from` is not in the future (pkg/loki/validation.go at v3.0.0): while
// structured metadata is allowed (the default from 3.0), a store other than
// tsdb or a schema below v13 there stops it. A later tsdb/v13 period does not
// help until its date. That case is an error.
//
// Otherwise the last period is judged: it is where new data will go, and
// adding a tsdb/v13 period is the documented migration. It is a warning only
// on releases that have tsdb and v13 (a fix that does not exist is no
// advice), and not at all for a tsdb period whose owner switched structured
// metadata off (a supported configuration). Which release has what comes
// from the knowledge base (`config_facts` of the Loki family).
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <string>
#include <string_view>

#include "analysis/analysis.h"
#include "rules/judged.h"
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

bool HasVariable(const Located<std::string>& v) { return v.value.find('$') != std::string::npos; }

// Today as "YYYY-MM-DD", to find the period in use.
std::string Today() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

struct Period {
  const LokiSchema* schema = nullptr;
  bool old_store = false;
  bool old_schema = false;
  bool Current() const { return !old_store && !old_schema; }
  std::string What() const {
    if (old_store && old_schema)
      return fmt::format("index store \"{}\" and schema {}", schema->store.value, schema->schema.value);
    if (old_store) return fmt::format("index store \"{}\"", schema->store.value);
    return fmt::format("schema {}", schema->schema.value);
  }
  Location Loc() const { return old_store ? schema->store.loc : schema->schema.loc; }
  std::string Name() const {
    return schema->from.present ? fmt::format("schema period from {}", schema->from.value)
                                : std::string("schema period");
  }
};

std::optional<Period> Judge(const LokiSchema& s) {
  if (HasVariable(s.store) || HasVariable(s.schema)) return std::nullopt;
  Period p;
  p.schema = &s;
  p.old_store = s.store.present && s.store.value != "tsdb";
  const int number = s.schema.present ? SchemaNumber(s.schema.value) : -1;
  p.old_schema = number >= 0 && number < 13;
  return p;
}

// Structured metadata as the config or the command line sets it.
enum class Metadata { kDefault, kOn, kOff, kUnknown };

Metadata MetadataSetting(const LokiConfig& loki, const ComposeService& s) {
  if (auto flag = s.Flag("validation.allow-structured-metadata")) {
    if (flag->value.find('$') != std::string::npos) return Metadata::kUnknown;
    return flag->value == "false" ? Metadata::kOff : Metadata::kOn;
  }
  const yaml::Node* root = loki.source ? loki.source->yaml.root : nullptr;
  const yaml::Node* limits = root && root->IsMap() ? root->Get("limits_config") : nullptr;
  const yaml::Node* sm = limits && limits->IsMap() ? limits->Get("allow_structured_metadata") : nullptr;
  if (sm == nullptr || !sm->IsScalar()) return Metadata::kDefault;
  if (sm->scalar.find('$') != std::string::npos) return Metadata::kUnknown;
  return sm->IsTrue() ? Metadata::kOn : Metadata::kOff;
}

const std::string kHelp =
    "add a new period after this one with `store: tsdb`, `schema: v13` and `from:` set to a "
    "future date (keep this period so existing logs stay readable)";

}  // namespace

void CheckDeprecatedSchema(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const std::string today = Today();
  for (const LokiConfig& loki : p.lokis) {
    if (loki.schemas.empty()) continue;
    // The period in use today: the last one whose `from` has come.
    const LokiSchema* active_schema = nullptr;
    for (const LokiSchema& s : loki.schemas)
      if (!s.from.present || HasVariable(s.from) || s.from.value <= today) active_schema = &s;
    const std::optional<Period> last = Judge(loki.schemas.back());
    const std::optional<Period> active =
        active_schema != nullptr ? Judge(*active_schema) : std::nullopt;
    bool reported = false;
    for (const std::string& name : loki.services) {
      const ComposeService* s = p.compose.Service(name);
      if (s == nullptr || reported) continue;
      const ServiceImage& image = analysis->Image(*s);
      const ImageInfo* info = image.Info();
      if (info == nullptr || !info->loki_schema) continue;
      const Metadata metadata = MetadataSetting(loki, *s);
      if (metadata == Metadata::kUnknown) continue;
      // Loki refuses to start: the active period is old and structured
      // metadata is allowed.
      if (active && !active->Current()) {
        Judgement j = image.Holds([&](const ImageInfo& i) {
          if (!i.loki_schema) return false;
          const LokiSchemaFacts& f = *i.loki_schema;
          const bool checked = f.structured_metadata_check_since.known &&
                               i.version >= f.structured_metadata_check_since;
          const bool allowed = metadata == Metadata::kOn ||
                               (metadata == Metadata::kDefault &&
                                f.structured_metadata_default_since.known &&
                                i.version >= f.structured_metadata_default_since);
          return checked && allowed;
        });
        std::string later;
        if (active->schema != &loki.schemas.back() && last && last->Current())
          later = fmt::format(" (the later period from {} does not count until that date)",
                              loki.schemas.back().from.value);
        if (Finding* f = ReportJudged(
                r, "OBS401", j, image, active->Loc(),
                fmt::format("{} is the period in use and uses {}; {} refuses to start: with "
                            "structured metadata enabled (the default since 3.0) the active "
                            "period needs store \"tsdb\" and schema v13{}",
                            active->Name(), active->What(), image.Describe(), later),
                kHelp + "; until that date, set `limits_config.allow_structured_metadata: false`")) {
          if (f->severity == Severity::kWarning) f->severity = Severity::kError;
          reported = j.Fully();
          if (reported) continue;
        }
      }
      // A deprecated store or schema where new data goes, on releases that
      // offer the fix.
      if (!last || last->Current()) continue;
      if (!last->old_store && metadata == Metadata::kOff) continue;  // tsdb, v12, no metadata: supported
      auto fix_available = [](const ImageInfo& i) {
        if (!i.loki_schema) return false;
        const LokiSchemaFacts& f = *i.loki_schema;
        return f.schema_v13_since.known && i.version >= f.schema_v13_since &&
               f.tsdb_store_since.known && i.version >= f.tsdb_store_since;
      };
      // Deprecated from 3.0; on 2.9 the fix exists and the old store and
      // schemas are still supported: worded so.
      Judgement j = image.Holds([&](const ImageInfo& i) {
        const LokiSchemaFacts* f = i.loki_schema ? &*i.loki_schema : nullptr;
        return fix_available(i) && f->old_schema_deprecated_since.known &&
               i.version >= f->old_schema_deprecated_since;
      });
      if (ReportJudged(r, "OBS401", j, image, last->Loc(),
                       fmt::format("{} uses deprecated {}; structured metadata and native OTLP "
                                   "ingestion need store \"tsdb\" and schema v13, which Loki 3 "
                                   "requires by default",
                                   last->Name(), last->What()),
                       kHelp)) {
        reported = true;
      } else if (Judgement fix = image.Holds(fix_available)) {
        // Loki 2.9.x: the old store is not deprecated yet, but the release
        // already writes tsdb/v13, so the next period can switch now.
        if (ReportJudged(r, "OBS401", fix, image, last->Loc(),
                         fmt::format("{} uses {}, which Loki 3 deprecates; structured metadata "
                                     "and native OTLP ingestion need store \"tsdb\" and schema "
                                     "v13, which {} can already write",
                                     last->Name(), last->What(),
                                     fix.Fully() ? image.Describe() : std::string("it")),
                         kHelp))
          reported = true;
      }
    }
  }
}

}  // namespace obslint
