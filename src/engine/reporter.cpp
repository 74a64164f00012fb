#include "engine/reporter.h"

#include "engine/registry.h"

namespace obslint {

Finding& Reporter::Report(std::string_view code, Location loc, std::string message, std::string help) {
  const Rule* rule = FindRule(code);
  return Report(code, rule ? rule->severity : Severity::kWarning, std::move(loc), std::move(message),
                std::move(help));
}

Finding& Reporter::Report(std::string_view code, Severity severity, Location loc, std::string message,
                          std::string help) {
  Finding& f = findings_.emplace_back();
  f.code = std::string(code);
  const Rule* rule = FindRule(code);
  if (rule) f.name = std::string(rule->name);
  f.severity = severity;
  if (auto it = overrides_.find(code); it != overrides_.end()) f.severity = it->second;
  f.loc = std::move(loc);
  f.message = std::move(message);
  f.help = std::move(help);
  return f;
}

}  // namespace obslint
