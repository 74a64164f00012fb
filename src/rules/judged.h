// Findings about a fact of a service's image that may hold on only some of
// the releases its tag allows (issue 11's version model): reported at the
// rule's severity when it holds on every release, as a note that names the
// releases when it holds on some, not at all otherwise.
#pragma once

#include <fmt/format.h>

#include <string>

#include "analysis/analysis.h"
#include "engine/reporter.h"

namespace obslint {

// `message` is written for the case where the fact holds: "image x does not
// ship wget". Returns the finding, or nullptr when nothing was reported.
inline Finding* ReportJudged(Reporter& r, std::string_view code, const Judgement& j,
                             const ServiceImage& image, Location loc, std::string message,
                             std::string help = {}) {
  if (j.kind == Judgement::kYes) return &r.Report(code, loc, std::move(message), std::move(help));
  if (j.kind != Judgement::kPartly || image.family == nullptr) return nullptr;
  return &r.Report(code, Severity::kNote, loc,
                   fmt::format("on {} {} (which the tag \"{}\" allows): {}", image.family->display,
                               j.where.Describe(), image.version.tag, message),
                   std::move(help));
}

}  // namespace obslint
