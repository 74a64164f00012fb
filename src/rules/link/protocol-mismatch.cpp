// OBS706: the client and the port do not speak the same protocol: an
// OTLP/gRPC exporter sent to an OTLP/HTTP port (or the reverse), a TLS client
// at a plain-text listener (or the reverse), or a push to a path the target
// does not serve (remote write without /api/v1/write, Prometheus without its
// remote-write receiver switched on). The decision is the endpoint engine's
// (StackEndpoints::Diagnose, shared with `obslint graph`); this file words it.
#include <fmt/format.h>

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

std::string_view PayloadName(std::string_view payload) {
  if (payload == "prometheus-remote-write") return "Prometheus remote write";
  if (payload == "loki-push") return "Loki push";
  return "OTLP/HTTP";
}

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += " or ";
    out += p;
  }
  return out;
}

void AddTarget(Finding& f, const Endpoint& e) {
  f.related.push_back(
      {e.target->name_loc, fmt::format("service \"{}\" is defined here", e.target->name)});
}

void ReportWireProtocol(const Endpoint& e, const ListenInfo& li, const ListenPort& lp,
                        Reporter& r) {
  const bool client_grpc = IsGrpcProtocol(e.protocol);
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
}

void ReportTls(const Endpoint& e, const ListenPort& lp, Reporter& r) {
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
}

void ReportPath(const Endpoint& e, const ImageInfo& info, const LinkDiagnosis& d, Reporter& r) {
  const std::string want = JoinPaths(d.accepted_paths);
  Finding& f = r.Report(
      "OBS706", e.value.loc,
      e.payload == "otlp-http"
          ? fmt::format("{} sends OTLP/HTTP to {}/v1/<signal>, but {} (service \"{}\") "
                        "accepts OTLP under {}",
                        e.what, d.path, info.display, e.target->name, want)
          : fmt::format("{} sends {} requests to path \"{}\", but {} (service \"{}\") "
                        "accepts them at {}",
                        e.what, PayloadName(e.payload), d.path.empty() ? "/" : d.path,
                        info.display, e.target->name, want),
      fmt::format("use {}://{}:{}{}", e.url.scheme.empty() ? "http" : e.url.scheme, e.url.host,
                  e.url.port, d.accepted_paths.front()));
  AddTarget(f, e);
}

void ReportReceiverOff(const Endpoint& e, const ImageInfo& info, const LinkDiagnosis& d,
                       Reporter& r) {
  const std::string& flag = d.push->enabled_by_flag.front();
  Finding& f = r.Report(
      "OBS706", e.value.loc,
      fmt::format("{} sends {} requests to {} (service \"{}\"), which does not serve {} unless "
                  "started with --{}",
                  e.what, PayloadName(e.payload), info.display, e.target->name, d.path, flag),
      fmt::format("add `--{}` to the command of service \"{}\"", flag, e.target->name));
  f.related.push_back({link::ServiceKeyLoc(*e.target, "command"),
                       fmt::format("command of service \"{}\"", e.target->name)});
}

void ReportSignal(const Endpoint& e, const ImageInfo& info, const LinkDiagnosis& d, Reporter& r) {
  std::string signals;
  for (size_t i = 0; i < d.rejected_signals.size(); ++i)
    signals += (i == 0 ? std::string() : std::string(" and ")) + d.rejected_signals[i];
  Finding& f = r.Report(
      "OBS706", e.value.loc,
      fmt::format("{} is used by {} {} {}, but {} (service \"{}\") accepts only traces over "
                  "OTLP, so every {} export fails and the data is dropped",
                  e.what, d.rejected_signals.size() == 1 ? "a" : "the", signals,
                  d.rejected_signals.size() == 1 ? "pipeline" : "pipelines", info.display,
                  e.target->name, signals),
      fmt::format("export {} to a backend that stores them, and keep this exporter in traces "
                  "pipelines only",
                  signals));
  AddTarget(f, e);
}

}  // namespace

void CheckProtocolMismatch(const Project& p, const Knowledge& k, Reporter& r) {
  const auto analysis = Analysis::Of(p, k);
  const StackEndpoints& stack = analysis->Endpoints();
  for (const Endpoint& e : stack.endpoints()) {
    const LinkDiagnosis d = stack.Diagnose(e);
    switch (d.problem) {
      case LinkProblem::kNone: break;
      case LinkProblem::kWireProtocol:
        ReportWireProtocol(e, stack.Listening(*e.target), *d.port, r);
        break;
      case LinkProblem::kTls: ReportTls(e, *d.port, r); break;
      case LinkProblem::kPath: ReportPath(e, *stack.Image(*e.target).Info(), d, r); break;
      case LinkProblem::kReceiverOff: ReportReceiverOff(e, *stack.Image(*e.target).Info(), d, r); break;
      case LinkProblem::kSignal: ReportSignal(e, *stack.Image(*e.target).Info(), d, r); break;
    }
  }
}

}  // namespace obslint
