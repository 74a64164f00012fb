// OBS712: an image needs other services the stack does not run (self-hosted
// PostHog without ClickHouse/Kafka/Zookeeper/object storage, GlitchTip
// without its migrate step). One finding per image family.
#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <string>
#include <vector>

#include "model/regex_cache.h"
#include "rules/judged.h"
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
  const auto analysis = Analysis::Of(p, k);
  struct Family {
    std::vector<const ComposeService*> services;
    const ServiceImage* image = nullptr;  // of the first service
  };
  std::vector<std::string> order;
  std::map<std::string, Family> families;
  std::vector<std::string> repositories;
  for (const auto& s : p.compose.services) {
    if (s.image.text.value.empty()) continue;
    repositories.push_back(ParseImageReference(s.image.text.value).repository);
    const ServiceImage& image = analysis->Image(s);
    if (!image.Known()) continue;
    auto [it, inserted] = families.try_emplace(image.family->id);
    if (inserted) {
      order.push_back(image.family->id);
      it->second.image = &image;
    }
    it->second.services.push_back(&s);
  }
  for (const auto& name : order) {
    const Family& fam = families[name];
    const ServiceImage& image = *fam.image;
    // Every requirement of some release the tag allows, once.
    std::vector<const Requirement*> requirements;
    for (const ImagePiece& piece : image.pieces)
      for (const Requirement& req : piece.info->requires_services)
        if (std::none_of(requirements.begin(), requirements.end(),
                         [&](const Requirement* q) { return q->what == req.what; }))
          requirements.push_back(&req);
    std::vector<const Requirement*> missing, missing_partly;
    Judgement partly;
    for (const Requirement* req : requirements) {
      bool ok = false;
      for (const auto& pattern : req->image_patterns) {
        const RE2& re = CompiledPattern(pattern);
        for (const auto& repo : repositories)
          if (re.ok() && RE2::PartialMatch(repo, re)) ok = true;
      }
      for (const auto& pattern : req->command_patterns) {
        const RE2& re = CompiledPattern(pattern);
        for (const ComposeService* s : fam.services)
          if (re.ok() && RE2::PartialMatch(CommandText(*s), re)) ok = true;
      }
      if (ok) continue;
      Judgement j = image.Holds([&](const ImageInfo& info) {
        return std::any_of(info.requires_services.begin(), info.requires_services.end(),
                           [&](const Requirement& q) { return q.what == req->what; });
      });
      if (j.Fully()) {
        missing.push_back(req);
      } else if (j) {
        missing_partly.push_back(req);
        partly = j;
      }
    }
    auto list_of = [](const std::vector<const Requirement*>& reqs) {
      std::string list;
      for (size_t i = 0; i < reqs.size(); ++i) {
        if (i > 0) list += i + 1 == reqs.size() ? " and " : ", ";
        list += reqs[i]->what;
      }
      return list;
    };
    auto help_of = [](const std::vector<const Requirement*>& reqs) {
      std::string help;
      for (const Requirement* m : reqs) {
        if (m->help.empty()) continue;
        if (!help.empty()) help += "; ";
        help += m->help;
      }
      return help;
    };
    const ComposeService& first = *fam.services.front();
    const std::string display = image.family->display;
    Location loc = first.image.text.present ? first.image.text.loc : first.name_loc;
    auto add_related = [&](Finding& f) {
      for (size_t i = 1; i < fam.services.size(); ++i) {
        const ComposeService& s = *fam.services[i];
        f.related.push_back({s.image.text.present ? s.image.text.loc : s.name_loc,
                             fmt::format("service \"{}\" runs {} too", s.name, display)});
      }
    };
    if (!missing.empty()) {
      Finding& f = r.Report("OBS712", loc,
                            fmt::format("the stack does not run what {} needs: {}", display,
                                        list_of(missing)),
                            help_of(missing));
      add_related(f);
    }
    if (!missing_partly.empty()) {
      if (Finding* f = ReportJudged(r, "OBS712", partly, image, loc,
                                    fmt::format("the stack does not run what {} needs: {}",
                                                display, list_of(missing_partly)),
                                    help_of(missing_partly)))
        add_related(*f);
    }
  }
}

}  // namespace obslint
