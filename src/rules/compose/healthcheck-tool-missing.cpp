// OBS210: a healthcheck runs curl/wget (or needs /bin/sh) in an image that
// does not ship it. The check fails forever, the container stays
// "unhealthy" and every `service_healthy` dependant never starts.
#include <fmt/format.h>

#include "analysis/analysis.h"
#include "parse/compose.h"
#include "rules/judged.h"
#include "rules/rules.h"

namespace obslint {
namespace {

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Why `tool` cannot run in the image, or "" when it can (or is not judged).
std::string Missing(std::string_view tool, const ImageInfo& info) {
  std::string_view name = Basename(tool);
  if (name == "curl" && !info.has_curl) return "curl";
  if (name == "wget" && !info.has_wget) return "wget";
  return {};
}

std::string Help(const ImageInfo& info) {
  if (info.has_wget) return "use wget, which the image ships (`wget -q --spider http://localhost:PORT/...`)";
  if (info.has_curl) return "use curl, which the image ships (`curl -fsS http://localhost:PORT/...`)";
  if (!info.has_shell)
    return "the image has no shell and no HTTP client: remove the healthcheck and let dependants "
           "use `condition: service_started`, or probe the service from another container";
  return "install the tool in a derived image, or probe with a tool the image ships";
}

}  // namespace

void CheckHealthcheckToolMissing(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  for (const ComposeService& s : p.compose.services) {
    const Healthcheck& hc = s.healthcheck;
    if (!hc.present || hc.disabled || hc.test.empty() || s.has_build) continue;
    const ServiceImage& image_facts = analysis->Image(s);
    const ImageInfo* info = image_facts.Info();
    if (info == nullptr) continue;
    // The facts of the releases where the tool is missing, for the help text.
    auto missing_in = [&](auto pred) -> const ImageInfo& {
      for (const ImagePiece& piece : image_facts.pieces)
        if (pred(*piece.info)) return *piece.info;
      return *info;
    };
    // An unset tag variable leaves "repo:" behind: name the repository alone then.
    std::string image = s.image.tag.empty() ? s.image.repository : s.image.text.value;
    if (hc.test_form == "CMD") {
      auto lacks = [&](const ImageInfo& i) { return !Missing(hc.test[0].value, i).empty(); };
      Judgement j = image_facts.Holds(lacks);
      if (!j) continue;
      const ImageInfo& at = missing_in(lacks);
      ReportJudged(r, "OBS210", j, image_facts, hc.test[0].loc,
                   fmt::format("healthcheck of service \"{}\" runs {}, but image {} does not ship "
                               "it; the check always fails and the container stays unhealthy",
                               s.name, Missing(hc.test[0].value, at), image),
                   Help(at));
    } else if (hc.test_form == "CMD-SHELL" || hc.test_form.empty()) {
      const Located<std::string>& cmd = hc.test[0];
      auto no_shell = [](const ImageInfo& i) { return !i.has_shell; };
      if (Judgement j = image_facts.Holds(no_shell)) {
        ReportJudged(r, "OBS210", j, image_facts, cmd.loc,
                     fmt::format("healthcheck of service \"{}\" runs through a shell ({}), but "
                                 "image {} has no /bin/sh; the check always fails and the "
                                 "container stays unhealthy",
                                 s.name, hc.test_form.empty() ? "a string test" : "CMD-SHELL", image),
                     Help(missing_in(no_shell)));
        if (j.Fully()) continue;
      }
      // The commands of the shell line: the first word, and every word after
      // an operator (`curl -f x || exit 1`, `a && wget ...`).
      std::vector<std::string> words = SplitShellWords(cmd.value);
      bool command_position = true;
      for (const std::string& w : words) {
        if (w == "&&" || w == "||" || w == ";" || w == "|") {
          command_position = true;
          continue;
        }
        if (command_position) {
          auto lacks = [&](const ImageInfo& i) { return i.has_shell && !Missing(w, i).empty(); };
          if (Judgement j = image_facts.Holds(lacks)) {
            const ImageInfo& at = missing_in(lacks);
            ReportJudged(r, "OBS210", j, image_facts, cmd.loc,
                         fmt::format("healthcheck of service \"{}\" runs {}, but image {} does "
                                     "not ship it; the check always fails and the container "
                                     "stays unhealthy",
                                     s.name, Missing(w, at), image),
                         Help(at));
            break;
          }
        }
        command_position = w.ends_with(";");
      }
    }
  }
}

}  // namespace obslint
