// OBS205: two services publish the same host ip:port/protocol. The second
// container fails with "port is already allocated" / "address already in use".
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "rules/rules.h"

namespace obslint {
namespace {

bool IsIpv6(std::string_view ip) { return ip.find(':') != std::string_view::npos; }

// Whether two host addresses can collide. "" binds every interface of both
// families; 0.0.0.0 and :: every interface of their own family.
bool AddressesOverlap(std::string_view a, std::string_view b) {
  if (a == b || a.empty() || b.empty()) return true;
  if (IsIpv6(a) != IsIpv6(b)) return false;
  return a == "0.0.0.0" || b == "0.0.0.0" || a == "::" || b == "::";
}

// Services that never run together (disjoint profiles) cannot collide.
bool CanRunTogether(const ComposeService& a, const ComposeService& b) {
  if (a.profiles.empty() || b.profiles.empty()) return true;
  return std::any_of(a.profiles.begin(), a.profiles.end(), [&](const std::string& x) {
    return std::find(b.profiles.begin(), b.profiles.end(), x) != b.profiles.end();
  });
}

std::string PortText(const PortMapping& m) {
  std::string port = m.host_start == m.host_end ? fmt::format("{}", m.host_start)
                                                : fmt::format("{}-{}", m.host_start, m.host_end);
  if (m.host_ip.empty()) return fmt::format("{}/{} on all interfaces", port, m.protocol);
  std::string ip = IsIpv6(m.host_ip) ? "[" + m.host_ip + "]:" : m.host_ip + ":";
  return fmt::format("{}{}/{}", ip, port, m.protocol);
}

struct Published {
  const ComposeService* service;
  const PortMapping* port;
};

}  // namespace

void CheckHostPortConflict(const Project& p, const Knowledge&, Reporter& r) {
  // Earlier mappings indexed by host port, so a stack with thousands of
  // published ports is not compared pairwise; wide ranges (rare) are kept
  // aside and compared with everything.
  constexpr int kWideRange = 1024;
  std::vector<Published> seen;
  std::unordered_map<int, std::vector<size_t>> by_port;
  std::vector<size_t> wide;
  std::vector<size_t> candidates;
  for (const ComposeService& s : p.compose.services) {
    for (const PortMapping& m : s.ports) {
      if (!m.valid || m.host_start <= 0) continue;
      const bool m_wide = m.host_end - m.host_start >= kWideRange;
      candidates.clear();
      if (m_wide) {
        for (size_t i = 0; i < seen.size(); ++i) candidates.push_back(i);
      } else {
        for (int port = m.host_start; port <= m.host_end; ++port)
          if (auto it = by_port.find(port); it != by_port.end())
            candidates.insert(candidates.end(), it->second.begin(), it->second.end());
        candidates.insert(candidates.end(), wide.begin(), wide.end());
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      }
      for (size_t i : candidates) {  // in publication order: the first collision is reported
        const Published& prev = seen[i];
        const PortMapping& o = *prev.port;
        if (o.protocol != m.protocol || !AddressesOverlap(o.host_ip, m.host_ip)) continue;
        if (o.host_end < m.host_start || m.host_end < o.host_start) continue;
        if (prev.service == &s) {
          // The same mapping twice (e.g. repeated by an override file) is
          // merged by Compose; only a second target on one host port collides.
          if (o.container_start == m.container_start && o.host_ip == m.host_ip) continue;
        } else if (!CanRunTogether(*prev.service, s)) {
          continue;
        }
        std::string who = prev.service == &s ? "this service" : fmt::format("service \"{}\"", prev.service->name);
        Finding& f = r.Report(
            "OBS205", m.loc,
            fmt::format("host port {} of service \"{}\" is already published by {} ({}); the "
                        "second container fails to start with \"port is already allocated\"",
                        PortText(m), s.name, who, PortText(o)),
            "publish one of them on another host port (the left side of HOST:CONTAINER), or bind "
            "them to different host addresses");
        f.related.push_back({o.loc, fmt::format("{} publishes {} here", who, PortText(o))});
        break;  // one finding per port entry
      }
      const size_t index = seen.size();
      seen.push_back({&s, &m});
      if (m_wide) {
        wide.push_back(index);
      } else {
        for (int port = m.host_start; port <= m.host_end; ++port) by_port[port].push_back(index);
      }
    }
  }
}

}  // namespace obslint
