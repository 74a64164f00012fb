// OBS103 invalid-type (key tables): a value of the wrong kind, or a scalar
// the program cannot parse (a duration it does not understand, a value
// outside an enum), where the key table of the program says what it
// accepts. The parsers report the shapes the model itself needs (compose
// `ports:` a mapping); this rule adds what only the tables know.
#include <fmt/format.h>

#include <set>
#include <tuple>

#include "analysis/analysis.h"
#include "knowledge/secret_matcher.h"
#include "rules/keys.h"
#include "rules/rules.h"

namespace obslint {

void CheckInvalidType(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  std::set<std::tuple<std::string, int, int>> loaded;
  for (const LoadFinding& lf : p.load_findings)
    if (lf.code == "OBS103") loaded.emplace(lf.loc.file, lf.loc.line, lf.loc.column);
  for (const KeyFinding& f : analysis->KeyFindings()) {
    const KeyIssue& i = f.issue;
    if (i.kind != KeyIssue::Kind::kShape && i.kind != KeyIssue::Kind::kValue) continue;
    const Location loc = keys::At(f);
    if (loaded.count({loc.file, loc.line, loc.column})) continue;
    std::string subject = keys::Subject(f);
    std::string consequence = f.table->strict() ? "it refuses to start"
                                                : "it fails to load the file";
    if (i.kind == KeyIssue::Kind::kShape) {
      r.Report("OBS103", loc,
               fmt::format("{} must be {} for {}, not {}, so {}", subject, i.expected, f.reader,
                           i.value->KindName(), consequence),
               i.note);
    } else {
      // Never echo what may be a secret, nor a whole paragraph.
      std::string_view last = i.path.substr(i.path.rfind('.') + 1);
      const bool shown = i.value->scalar.size() <= 40 &&
                         !SecretMatcher::For(k.Secrets()).IsSecretKey(last);
      r.Report("OBS103", loc,
               fmt::format("{} {}, but {} expects {}, so {}{}", subject,
                           shown ? fmt::format("is \"{}\"", i.value->scalar)
                                 : std::string("has a value"),
                           f.reader, i.expected, consequence, keys::DidYouMean(i)),
               i.note);
    }
  }
}

}  // namespace obslint
