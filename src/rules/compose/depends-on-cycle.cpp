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
  // Iterative depth-first search: a chain of thousands of services must not
  // overflow the call stack.
  void Visit(const ComposeService& root) {
    struct Frame {
      const ComposeService* service;
      size_t next_edge;
    };
    std::vector<Frame> frames{{&root, 0}};
    state_[root.name] = 1;
    stack_.push_back(&root);
    while (!frames.empty()) {
      Frame& top = frames.back();
      if (top.next_edge == top.service->depends_on.size()) {
        state_[top.service->name] = 2;
        stack_.pop_back();
        frames.pop_back();
        continue;
      }
      const DependsOn& d = top.service->depends_on[top.next_edge++];
      auto it = index_.find(d.service.value);
      if (it == index_.end()) continue;  // OBS204
      const ComposeService& next = *it->second;
      int st = state_[next.name];
      if (st == 0) {
        state_[next.name] = 1;
        stack_.push_back(&next);
        frames.push_back({&next, 0});  // `top` is not used past this point
      } else if (st == 1) {
        Report(next, d);
      }
    }
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
    // Long cycles are shortened in the message; the notes show the first links.
    constexpr size_t kShown = 12;
    std::string cycle;
    for (size_t i = 0; i < names.size() && i < kShown; ++i) cycle += names[i] + " → ";
    if (names.size() > kShown) cycle += fmt::format("… ({} services) → ", names.size());
    cycle += start.name;
    Finding& f = r_.Report(
        "OBS208", d.service.loc,
        fmt::format("depends_on cycle: {}; Compose cannot order these services and refuses to "
                    "start the project",
                    cycle),
        names.size() == 1 ? "remove the service from its own depends_on"
                          : "remove one of these depends_on entries; if two services talk to each "
                            "other, let one of them retry instead of waiting");
    for (size_t i = 0; i + 1 < names.size() && i < kShown; ++i) {
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
