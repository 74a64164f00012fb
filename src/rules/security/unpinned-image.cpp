// OBS807 unpinned-image: `:latest` or no tag, so every pull may change the stack.
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void CheckUnpinnedImage(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    const ImageRef& img = s.image;
    if (!img.text.present || img.text.value.empty() || !img.digest.empty()) continue;
    if (s.has_build) continue;  // names the image it builds
    if (!img.tag.empty() && img.tag != "latest") continue;
    std::string what = img.tag.empty() ? "has no tag (so it means `:latest`)" : "uses the `latest` tag";
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
