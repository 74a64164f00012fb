// OBS706: the client and the port do not speak the same protocol: an
// OTLP/gRPC exporter sent to an OTLP/HTTP port (or the reverse), a TLS client
// at a plain-text listener (or the reverse), or a push to a path the target
// does not serve (remote write without /api/v1/write, Prometheus without its
// remote-write receiver switched on).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "rules/link/common.h"
#include "rules/rules.h"

namespace obslint {
namespace {

std::string_view Describe(std::string_view protocol) {
  if (protocol == "otlp-grpc") return "OTLP/gRPC";
  if (protocol == "otlp-http") return "OTLP/HTTP";
  if (protocol == "grpc") return "gRPC";
  if (protocol == "http") return "HTTP";
  if (protocol == "zipkin") return "Zipkin HTTP";
  return protocol;
}

std::string PortLabel(const ListenPort& lp) {
  return lp.name.empty() ? fmt::format("port {}", lp.port)
                         : fmt::format("port {} ({})", lp.port, lp.name);
}

void AddTarget(Finding& f, const Endpoint& e) {
  f.related.push_back(
      {e.target->name_loc, fmt::format("service \"{}\" is defined here", e.target->name)});
}

// gRPC exporter to an HTTP port, or the reverse. True when reported.
bool CheckWireProtocol(const Endpoint& e, const ListenInfo& li, const ListenPort& lp, Reporter& r) {
  bool client_grpc = IsGrpcProtocol(e.protocol), client_http = IsHttpProtocol(e.protocol);
  bool port_grpc = IsGrpcProtocol(lp.protocol), port_http = IsHttpProtocol(lp.protocol);
  if (!((client_grpc && port_http) || (client_http && port_grpc))) return false;
  // The port of the same target that would fit.
  int better = 0;
  for (const auto& q : li.ports)
    if (!q.local_only && (client_grpc ? IsGrpcProtocol(q.protocol) : IsHttpProtocol(q.protocol)) &&
        (q.protocol == e.protocol || better == 0))
      better = q.port;
  std::string help;
  if (e.origin == EndpointOrigin::kCollectorExporter && e.component_type == "otlp")
    help = better ? fmt::format("send to port {} ({}:{}), or use the otlphttp exporter for "
                                "port {}",
                                better, e.url.host, better, e.url.port)
                  : "use the otlphttp exporter for an OTLP/HTTP port";
  else if (e.origin == EndpointOrigin::kCollectorExporter && e.component_type == "otlphttp")
    help = better ? fmt::format("send to port {} ({}:{}), or use the otlp (gRPC) exporter for "
                                "port {}",
                                better, e.url.host, better, e.url.port)
                  : "use the otlp exporter for an OTLP/gRPC port";
  else
    help = better ? fmt::format("send to port {} instead", better)
                  : std::string("point it at a port that speaks its protocol");
  Finding& f = r.Report("OBS706", e.value.loc,
                        fmt::format("{} speaks {}, but service \"{}\" serves {} on {}", e.what,
                                    Describe(e.protocol), e.target->name, Describe(lp.protocol),
                                    PortLabel(lp)),
                        std::move(help));
  AddTarget(f, e);
  return true;
}

// TLS client at a plain listener, or a plain client at a TLS listener.
bool CheckTls(const Endpoint& e, const ListenPort& lp, Reporter& r) {
  if (e.tls == TlsState::kUnknown || lp.tls == TlsState::kUnknown || e.tls == lp.tls) return false;
  if (!IsGrpcProtocol(lp.protocol) && !IsHttpProtocol(lp.protocol)) return false;
  const bool client_tls = e.tls == TlsState::kTls;
  std::string help;
  if (client_tls && e.origin == EndpointOrigin::kCollectorExporter &&
      IsGrpcProtocol(e.protocol) && e.url.scheme != "https")
    help = "add `tls: {insecure: true}` to the exporter, or configure TLS on the receiving side";
  else if (client_tls)
    help = e.url.scheme == "https"
               ? std::string("use http:// for a plain-text listener, or configure TLS on the "
                             "receiving side")
               : std::string("configure TLS on the receiving side, or make the client plain text");
  else
    help = "use https:// (and trust the listener's certificate), or drop TLS on the listener";
  Finding& f = r.Report(
      "OBS706", e.value.loc,
      client_tls
          ? fmt::format("{} uses TLS ({}), but service \"{}\" serves plain text on {}, so the "
                        "TLS handshake fails",
                        e.what, e.tls_why, e.target->name, PortLabel(lp))
          : fmt::format("{} connects in plain text ({}), but service \"{}\" requires TLS on {}",
                        e.what, e.tls_why, e.target->name, PortLabel(lp)),
      std::move(help));
  AddTarget(f, e);
  return true;
}

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += " or ";
    out += p;
  }
  return out;
}

// The prefix the target serves every HTTP path under ("" = none); nullopt
// when a flag sets one obslint cannot read.
std::optional<std::string> PathPrefix(const ComposeService& target, const ImageInfo& info) {
  for (const std::string& flag : info.path_prefix_flags) {
    std::optional<Located<std::string>> v = target.Flag(flag);
    if (!v) continue;
    std::string prefix = v->value;
    if (prefix.find('$') != std::string::npos) return std::nullopt;
    if (prefix.find("://") != std::string::npos) {
      ParsedUrl u = ParseEndpointUrl(prefix);
      if (!u.ok) return std::nullopt;
      prefix = u.path;
    }
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty() && prefix.front() != '/') prefix = "/" + prefix;
    return prefix;
  }
  return std::string();
}

// A push to a path the target does not serve, or a receiver not switched on.
void CheckPath(const Endpoint& e, const ImageInfo& info, const ListenPort& lp, Reporter& r) {
  if (e.payload.empty() || !IsHttpProtocol(lp.protocol)) return;
  auto it = std::find_if(info.push_paths.begin(), info.push_paths.end(),
                         [&](const PushPath& p) { return p.payload == e.payload; });
  if (it == info.push_paths.end() || it->paths.empty()) return;
  std::optional<std::string> prefix = PathPrefix(*e.target, info);
  if (!prefix) return;
  std::vector<std::string> accepted;
  for (const std::string& p : it->paths) accepted.push_back(*prefix + p);
  std::string path = e.url.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  const bool base = e.payload == "otlp-http";
  std::string_view kind = e.payload == "prometheus-remote-write" ? "Prometheus remote write"
                          : e.payload == "loki-push"            ? "Loki push"
                                                                : "OTLP/HTTP";
  if (std::find(accepted.begin(), accepted.end(), path) == accepted.end()) {
    std::string want = JoinPaths(accepted);
    Finding& f = r.Report(
        "OBS706", e.value.loc,
        base ? fmt::format("{} sends OTLP/HTTP to {}/v1/<signal>, but {} (service \"{}\") "
                           "accepts OTLP under {}",
                           e.what, path.empty() ? "" : path, info.display, e.target->name, want)
             : fmt::format("{} sends {} requests to path \"{}\", but {} (service \"{}\") "
                           "accepts them at {}",
                           e.what, kind, path.empty() ? "/" : path, info.display,
                           e.target->name, want),
        fmt::format("use {}://{}:{}{}", e.url.scheme.empty() ? "http" : e.url.scheme,
                    e.url.host, e.url.port, accepted.front()));
    AddTarget(f, e);
    return;
  }
  if (it->enabled_by_flag.empty()) return;
  for (const auto& spec : it->enabled_by_flag)
    if (e.target->FlagEnabled(spec)) return;
  Finding& f = r.Report(
      "OBS706", e.value.loc,
      fmt::format("{} sends {} requests to {} (service \"{}\"), which does not serve {} unless "
                  "started with --{}",
                  e.what, kind, info.display, e.target->name, path, it->enabled_by_flag.front()),
      fmt::format("add `--{}` to the command of service \"{}\"", it->enabled_by_flag.front(),
                  e.target->name));
  f.related.push_back({link::ServiceKeyLoc(*e.target, "command"),
                       fmt::format("command of service \"{}\"", e.target->name)});
}

}  // namespace

void CheckProtocolMismatch(const Project& p, const Knowledge& k, Reporter& r) {
  const auto stack = StackEndpoints::For(p, k);
  for (const Endpoint& e : stack->endpoints()) {
    if (e.protocol.empty() || !link::JudgePort(e)) continue;
    if (e.resolution != HostResolution::kService && e.resolution != HostResolution::kSelf) continue;
    const ListenInfo& li = stack->Listening(*e.target);
    const ListenPort* lp = li.Find(e.url.port);
    if (lp == nullptr) continue;
    if (CheckWireProtocol(e, li, *lp, r) || CheckTls(e, *lp, r)) continue;
    if (const auto& info = stack->Image(*e.target)) CheckPath(e, *info, *lp, r);
  }
}

}  // namespace obslint
