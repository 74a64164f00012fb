// OBS208: a cycle in `depends_on`. Compose refuses the project
// ("dependency cycle detected").
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "rules/rules.h"

namespace obslint {
namespace {

class CycleFinder {
 public:
  CycleFinder(const Project& p, Reporter& r) : p_(p), r_(r) {
    for (const ComposeService& s : p.compose.services) index_[s.name] = &s;
  }

  void Run() {
    for (const ComposeService& s : p_.compose.services)
      if (state_[s.name] == 0) Visit(s);
  }

 private:
  void Visit(const ComposeService& s) {
    state_[s.name] = 1;
    stack_.push_back(&s);
    for (const DependsOn& d : s.depends_on) {
      auto it = index_.find(d.service.value);
      if (it == index_.end()) continue;  // OBS204
      const ComposeService& next = *it->second;
      int st = state_[next.name];
      if (st == 0) {
        Visit(next);
      } else if (st == 1) {
        Report(next, d);
      }
    }
    stack_.pop_back();
    state_[s.name] = 2;
  }

  // `d` (an entry of the service on top of the stack) closes a cycle back to `start`.
  void Report(const ComposeService& start, const DependsOn& d) {
    auto from = std::find(stack_.begin(), stack_.end(), &start);
    std::vector<std::string> names;
    for (auto it = from; it != stack_.end(); ++it) names.push_back((*it)->name);
    // Report a cycle once, whichever service it was entered from.
    std::vector<std::string> key = names;
    std::rotate(key.begin(), std::min_element(key.begin(), key.end()), key.end());
    if (!reported_.insert(key).second) return;
    std::string cycle;
    for (const auto& n : names) cycle += n + " → ";
    cycle += start.name;
    Finding& f = r_.Report(
        "OBS208", d.service.loc,
        fmt::format("depends_on cycle: {}; Compose cannot order these services and refuses to "
                    "start the project",
                    cycle),
        names.size() == 1 ? "remove the service from its own depends_on"
                          : "remove one of these depends_on entries; if two services talk to each "
                            "other, let one of them retry instead of waiting");
    for (size_t i = 0; i + 1 < names.size(); ++i) {
      const ComposeService* s = index_[names[i]];
      for (const DependsOn& e : s->depends_on)
        if (e.service.value == names[i + 1])
          f.related.push_back({e.service.loc, fmt::format("{} depends on {} here", names[i], names[i + 1])});
    }
  }

  const Project& p_;
  Reporter& r_;
  std::map<std::string, const ComposeService*> index_;
  std::map<std::string, int> state_;  // 0 new, 1 on the stack, 2 done
  std::vector<const ComposeService*> stack_;
  std::set<std::vector<std::string>> reported_;
};

}  // namespace

void CheckDependsOnCycle(const Project& p, const Knowledge&, Reporter& r) {
  CycleFinder(p, r).Run();
}

}  // namespace obslint
