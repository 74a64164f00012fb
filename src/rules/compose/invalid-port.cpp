// OBS211: a `ports:` or `expose:` entry that does not parse or is out of
// range. Compose rejects the whole project.
#include <fmt/format.h>

#include <charconv>

#include "rules/rules.h"

namespace obslint {
namespace {

// True when the value at `loc` reads a variable that is unset and has no
// default: the broken text is an effect of that, and OBS206 reports it.
bool HasUnsetVariable(const Project& p, const Location& loc) {
  for (const VarUse& u : p.var_uses) {
    if (u.loc.file != loc.file || u.loc.line != loc.line || u.loc.column != loc.column) continue;
    if (!p.variables.contains(u.ref.name)) return true;
  }
  return false;
}

bool ParsePort(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && out >= 1 && out <= 65535;
}

// `expose:` takes "PORT", "START-END", optionally "/tcp|udp|sctp".
std::string ExposeError(std::string_view text) {
  std::string_view s = text;
  if (size_t slash = s.rfind('/'); slash != std::string_view::npos) {
    std::string_view proto = s.substr(slash + 1);
    if (proto != "tcp" && proto != "udp" && proto != "sctp")
      return fmt::format("unknown protocol \"{}\" (tcp, udp or sctp)", proto);
    s = s.substr(0, slash);
  }
  size_t dash = s.find('-');
  int a = 0, b = 0;
  std::string_view first = s.substr(0, dash);
  std::string_view second = dash == std::string_view::npos ? first : s.substr(dash + 1);
  if (!ParsePort(first, a) || !ParsePort(second, b))
    return fmt::format("\"{}\" is not a container port or range (1-65535)", text);
  if (b < a) return fmt::format("port range \"{}\" ends before it starts", text);
  return {};
}

}  // namespace

void CheckInvalidPort(const Project& p, const Knowledge&, Reporter& r) {
  for (const ComposeService& s : p.compose.services) {
    for (const PortMapping& m : s.ports) {
      if (m.valid || HasUnsetVariable(p, m.loc)) continue;
      r.Report("OBS211", m.loc,
               fmt::format("invalid port in service \"{}\": {}", s.name, m.error),
               "write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] with ports 1-65535, e.g. "
               "\"127.0.0.1:8080:80\"; quote it so YAML does not read it as a number");
    }
    for (const Located<std::string>& e : s.expose) {
      if (!e.present || HasUnsetVariable(p, e.loc)) continue;
      std::string error = ExposeError(e.value);
      if (error.empty()) continue;
      r.Report("OBS211", e.loc,
               fmt::format("invalid expose entry \"{}\" in service \"{}\": {}", e.value, s.name,
                           error),
               "expose takes container ports only (\"8080\", \"9000-9001\", \"53/udp\"); publish "
               "host ports under ports:");
    }
  }
}

}  // namespace obslint
