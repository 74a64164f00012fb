// OBS003 knowledge-outdated: an image whose tag names a release newer than
// the newest one obslint knows for its family. Its facts are read at that
// newest release (the version model's kNewer); the report says so once, with
// the date of the knowledge, at the first such image and naming the others.
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "rules/rules.h"

namespace obslint {

void CheckKnowledgeOutdated(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const std::vector<const ComposeService*> newer = analysis->NewerThanKnowledge();
  if (newer.empty()) return;
  auto describe = [&](const ComposeService& s) {
    const ServiceImage& image = analysis->Image(s);
    return fmt::format("\"{}\" of service \"{}\" (linted as {})", s.image.text.value, s.name,
                       image.version.newest.ToString());
  };
  const ComposeService& first = *newer.front();
  const size_t more = newer.size() - 1;
  Finding& f = r.Report(
      "OBS003", first.image.text.loc,
      more == 0
          ? fmt::format("image {} is newer than the newest release obslint knows for its "
                        "family; its facts (ports, keys, tools, defaults) are those of that "
                        "release, from knowledge of upstream releases through {}",
                        describe(first), KnowledgeCheckedThrough())
          : fmt::format("image {} and {} more are newer than the newest releases obslint knows "
                        "for their families; their facts (ports, keys, tools, defaults) are "
                        "those of these releases, from knowledge of upstream releases through {}",
                        describe(first), more, KnowledgeCheckedThrough()),
      "upgrade obslint for knowledge of newer releases; findings about settings that release "
      "added or changed may be missing or stale");
  for (size_t i = 1; i < newer.size(); ++i)
    f.related.push_back({newer[i]->image.text.loc, fmt::format("also newer: {}", describe(*newer[i]))});
}

}  // namespace obslint
