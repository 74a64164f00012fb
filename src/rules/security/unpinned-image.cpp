// OBS807 unpinned-image: `:latest` or no tag, so every pull may change the stack.
#include <fmt/format.h>

#include <set>

#include "analysis/version.h"
#include "rules/rules.h"

namespace obslint {

void CheckUnpinnedImage(const Project& p, const Knowledge&, Reporter& r) {
  // Images a `build:` of the stack produces are built here, not pulled.
  std::set<std::string> built;
  for (const ComposeService& s : p.compose.services)
    if (s.has_build && s.image.text.present) built.insert(s.image.text.value);
  for (const ComposeService& s : p.compose.services) {
    const ImageRef& img = s.image;
    if (!img.text.present || img.text.value.empty() || !img.digest.empty()) continue;
    if (s.has_build || built.count(img.text.value)) continue;
    // "image: x:${TAG}" with TAG unset: which tag is meant is not known.
    if (img.tag.empty() && img.text.value.ends_with(':')) continue;
    if (!IsMovingTag(img.tag)) continue;
    std::string what = img.tag.empty()       ? std::string("has no tag (so it means `:latest`)")
                       : img.tag == "latest" ? std::string("uses the `latest` tag")
                                             : fmt::format("uses the `{}` tag, which moves", img.tag);
    r.Report("OBS807", img.text.loc,
             fmt::format("image \"{}\" of service \"{}\" {}: every pull can bring a different "
                         "release, with changed settings or breaking migrations",
                         img.text.value, s.name, what),
             fmt::format("pin a release (`{}:<version>`), ideally with its digest "
                         "(`@sha256:...`), and upgrade on purpose",
                         img.repository));
  }
}

}  // namespace obslint
