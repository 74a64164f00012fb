// OBS712: an image needs other services the stack does not run (self-hosted
// PostHog without ClickHouse/Kafka/Zookeeper/object storage, GlitchTip
// without its migrate step). One finding per image family.
#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <string>
#include <vector>

#include "model/regex_cache.h"
#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

std::string CommandText(const ComposeService& s) {
  std::string out;
  for (const auto* a : s.Args()) {
    if (!out.empty()) out += ' ';
    out += a->value;
  }
  return out;
}

}  // namespace

void CheckIncompleteDependencySet(const Project& p, const Knowledge& k, Reporter& r) {
  struct Family {
    std::vector<const ComposeService*> services;
    ImageInfo info;
  };
  std::vector<std::string> order;
  std::map<std::string, Family> families;
  std::vector<std::string> repositories;
  // What the stack runs: services its active profiles leave out neither
  // need nor provide anything.
  for (const ComposeService* s : p.compose.Running()) {
    if (s->image.text.value.empty()) continue;
    repositories.push_back(ParseImageReference(s->image.text.value).repository);
    auto info = k.Image(s->image.text.value);
    if (!info) continue;
    auto [it, inserted] = families.try_emplace(info->family);
    if (inserted) {
      order.push_back(info->family);
      it->second.info = *info;
    }
    it->second.services.push_back(s);
  }
  for (const auto& name : order) {
    const Family& fam = families[name];
    if (fam.info.requires_services.empty()) continue;
    std::vector<const Requirement*> missing;
    for (const Requirement& req : fam.info.requires_services) {
      bool ok = false;
      for (const auto& pattern : req.image_patterns) {
        const RE2& re = CompiledPattern(pattern);
        for (const auto& repo : repositories)
          if (re.ok() && RE2::PartialMatch(repo, re)) ok = true;
      }
      for (const auto& pattern : req.command_patterns) {
        const RE2& re = CompiledPattern(pattern);
        for (const ComposeService* s : fam.services)
          if (re.ok() && RE2::PartialMatch(CommandText(*s), re)) ok = true;
      }
      if (!ok) missing.push_back(&req);
    }
    if (missing.empty()) continue;
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i) {
      if (i > 0) list += i + 1 == missing.size() ? " and " : ", ";
      list += missing[i]->what;
    }
    std::string help;
    for (const Requirement* m : missing) {
      if (m->help.empty()) continue;
      if (!help.empty()) help += "; ";
      help += m->help;
    }
    const ComposeService& first = *fam.services.front();
    Location loc = first.image.text.present ? first.image.text.loc : first.name_loc;
    Finding& f = r.Report(
        "OBS712", loc,
        fmt::format("the stack does not run what {} needs: {}", fam.info.display, list),
        std::move(help));
    for (size_t i = 1; i < fam.services.size(); ++i) {
      const ComposeService& s = *fam.services[i];
      f.related.push_back({s.image.text.present ? s.image.text.loc : s.name_loc,
                           fmt::format("service \"{}\" runs {} too", s.name, fam.info.display)});
    }
  }
}

}  // namespace obslint
