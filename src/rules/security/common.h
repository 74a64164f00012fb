// Small helpers shared by the OBS804-OBS810 rules (private to src/rules/security).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "analysis/analysis.h"
#include "model/project.h"
#include "model/text.h"

namespace obslint::security {

using obslint::Lower;

// How the images read boolean variables (Grafana, Django's env.bool): true/1/yes/on.
inline bool Truthy(std::string_view value) {
  std::string v = Lower(value);
  return v == "true" || v == "1" || v == "yes" || v == "on" || v == "t" || v == "y";
}

// The variable is set to a truthy value.
inline const EnvVar* TrueVar(const ComposeService& s, std::string_view key) {
  const EnvVar* e = s.Env(key);
  return e && e->has_value && Truthy(e->value.resolved) ? e : nullptr;
}

// Host part of "scheme://user@host:port/path", "host:port" or "[::1]:4317".
inline std::string HostOf(std::string_view endpoint) {
  size_t scheme = endpoint.find("://");
  if (scheme != std::string_view::npos) endpoint.remove_prefix(scheme + 3);
  size_t end = endpoint.find_first_of("/?#");
  if (end != std::string_view::npos) endpoint = endpoint.substr(0, end);
  size_t at = endpoint.rfind('@');
  if (at != std::string_view::npos) endpoint.remove_prefix(at + 1);
  if (endpoint.starts_with("[")) {
    size_t close = endpoint.find(']');
    return std::string(endpoint.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  size_t colon = endpoint.find(':');
  return Lower(endpoint.substr(0, colon));
}

// The host is this machine, a private network, or a name that only resolves
// locally: not "outside" in the sense of the security rules.
inline bool IsLocalOrPrivateHost(std::string_view host) {
  std::string h = Lower(host);
  if (h.empty() || h == "localhost" || h == "::1" || h == "0.0.0.0" || h == "::" ||
      h == "host.docker.internal" || h.ends_with(".localhost") || h.ends_with(".local") ||
      h.ends_with(".internal") || h.ends_with(".lan") || h.ends_with(".home.arpa") ||
      h.starts_with("127.") || h.starts_with("10.") || h.starts_with("192.168.") ||
      h.starts_with("169.254.") || h.starts_with("fd") || h.starts_with("fe80:"))
    return true;
  if (h.starts_with("172.")) {
    int second = std::atoi(h.c_str() + 4);
    if (second >= 16 && second <= 31) return true;
  }
  return false;
}

// A compose service reachable under `host` (service name, container_name,
// hostname or network alias).
inline bool IsStackHost(const Project& p, std::string_view host) {
  std::string h = Lower(host);
  for (const ComposeService& s : p.compose.services) {
    if (Lower(s.name) == h || Lower(s.container_name.value) == h || Lower(s.hostname.value) == h)
      return true;
    for (const ServiceNetwork& n : s.networks)
      for (const auto& a : n.aliases)
        if (Lower(a.value) == h) return true;
  }
  return false;
}

// Image family of a service ("" when obslint does not know the image).
inline std::string FamilyOf(const Analysis& a, const ComposeService& s) {
  const ImageInfo* info = a.Image(s).Info();
  return info ? info->family : std::string();
}

}  // namespace obslint::security
