// `obslint init`: a starting .obslint.yaml that matches the stack as it is,
// so the first run does not fail on the analytics policy.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>

#include "analysis/analysis.h"
#include "discover/discover.h"
#include "engine/config.h"
#include "knowledge/knowledge.h"

namespace obslint {

std::string InitConfigText(const Project& project, const Knowledge& knowledge) {
  std::vector<std::string> posthog, umami;
  std::set<std::string> roles;
  const auto analysis = Analysis::Of(project, knowledge);
  for (const ComposeService& s : project.compose.services) {
    const ImageInfo* info = analysis->Image(s).Info();
    if (!info) continue;
    for (const auto& r : info->roles) roles.insert(r);
    if (info->family == "posthog") posthog.push_back(s.name);
    if (info->family == "umami") umami.push_back(s.name);
  }
  std::string text;
  text += "# obslint configuration (written by `obslint init`; edit freely).\n";
  text += "# Reference: docs/configuration.md; schema: schemas/obslint-config.schema.json\n";
  text += "# (editors validate this file when the schema is mapped to .obslint.yaml).\n\n";
  text += "# rules:\n";
  text += "#   select: [ALL]          # only these rules: codes, prefixes (OBS8) or names\n";
  text += "#   ignore: [OBS808]       # skip these rules; --select/--ignore on the command line win\n";
  text += "#   severity:\n";
  text += "#     OBS807: error        # change a rule's severity (error | warning | note)\n\n";
  text += "# paths:\n";
  text += "#   exclude: ['^examples/']  # RE2 on paths relative to the stack root; not read\n\n";
  text += "policy:\n";
  bool enabled = !posthog.empty() || !umami.empty();
  std::vector<std::string> seen;
  if (!posthog.empty()) seen.push_back(fmt::format("PostHog ({})", fmt::join(posthog, ", ")));
  if (!umami.empty()) seen.push_back(fmt::format("Umami ({})", fmt::join(umami, ", ")));
  text += "  # Analytics decides which services belong in the stack (OBS901-OBS903):\n";
  text += "  # web -> Umami; product -> PostHog (self-hosted), Mixpanel or Amplitude (cloud).\n";
  if (enabled) {
    text += fmt::format("  # Found: {}.\n", fmt::join(seen, "; "));
  } else {
    text += "  # Found no analytics service, so analytics is declared disabled.\n";
  }
  text += "  analytics:\n";
  text += fmt::format("    enabled: {}\n", enabled ? "true" : "false");
  if (enabled) {
    std::vector<std::string> types;
    if (!umami.empty()) types.push_back("web");
    if (!posthog.empty()) types.push_back("product");
    text += fmt::format("    types: [{}]\n", fmt::join(types, ", "));
    if (!posthog.empty()) {
      text += "    provider: posthog      # posthog | mixpanel | amplitude | umami\n";
      text += "    hosting: self-hosted   # self-hosted | cloud (cloud needs no container)\n";
    } else {
      text += "    # provider: posthog    # posthog | mixpanel | amplitude | umami\n";
      text += "    # hosting: cloud       # self-hosted | cloud (cloud needs no container)\n";
    }
  } else {
    text += "    # types: [web, product]\n    # provider: posthog\n    # hosting: self-hosted\n";
  }
  std::vector<std::string> required;
  for (const char* r : {"traces", "metrics", "logs", "errors"})
    if (roles.count(r)) required.push_back(r);
  text += "  # Roles (traces, metrics, logs, errors, ...) or image patterns the stack must keep (OBS904).\n";
  if (required.empty()) text += "  # require: [traces, metrics, logs]\n";
  else text += fmt::format("  require: [{}]\n", fmt::join(required, ", "));
  text += "  # Image patterns (RE2) that must not be used (OBS905).\n";
  text += "  # forbid: ['.*:latest$']\n";
  return text;
}

int InitConfig(const std::string& path, bool force, const Knowledge& knowledge, std::ostream& out,
               std::ostream& err) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = path.empty() ? fs::path(".") : fs::path(path);
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  fs::path target = dir / kConfigFileName;
  if (fs::exists(target, ec) && !force) {
    err << fmt::format("obslint: {} already exists; pass --force to overwrite it\n",
                       target.lexically_normal().string());
    return 2;
  }
  LoadOptions lo;
  lo.path = path.empty() ? "." : path;
  Project project;
  std::string error;
  if (!LoadProject(lo, knowledge, project, error)) {
    err << "obslint: " << error << "\n";
    return 2;
  }
  std::string text = InitConfigText(project, knowledge);
  std::ofstream file(target, std::ios::binary | std::ios::trunc);
  file << text;
  file.flush();
  if (!file) {
    err << fmt::format("obslint: cannot write {}\n", target.string());
    return 2;
  }
  out << fmt::format("# wrote {}\n", target.lexically_normal().string()) << text;
  return 0;
}

}  // namespace obslint
