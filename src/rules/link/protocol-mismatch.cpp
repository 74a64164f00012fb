// OBS706: the client and the port speak different protocols (an OTLP/gRPC
// exporter sent to an OTLP/HTTP port, or the reverse).
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

}  // namespace

void CheckProtocolMismatch(const Project& p, const Knowledge& k, Reporter& r) {
  StackEndpoints stack(p, k);
  for (const Endpoint& e : stack.endpoints()) {
    if (e.protocol.empty() || !link::JudgePort(e)) continue;
    if (e.resolution != HostResolution::kService && e.resolution != HostResolution::kSelf) continue;
    const ListenInfo& li = stack.Listening(*e.target);
    const ListenPort* lp = li.Find(e.url.port);
    if (lp == nullptr) continue;
    bool client_grpc = IsGrpcProtocol(e.protocol), client_http = IsHttpProtocol(e.protocol);
    bool port_grpc = IsGrpcProtocol(lp->protocol), port_http = IsHttpProtocol(lp->protocol);
    if (!((client_grpc && port_http) || (client_http && port_grpc))) continue;
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
    Finding& f = r.Report(
        "OBS706", e.value.loc,
        fmt::format("{} speaks {}, but service \"{}\" serves {} on port {}{}", e.what,
                    Describe(e.protocol), e.target->name, Describe(lp->protocol), e.url.port,
                    lp->name.empty() ? "" : fmt::format(" ({})", lp->name)),
        std::move(help));
    f.related.push_back({e.target->name_loc, fmt::format("service \"{}\" is defined here", e.target->name)});
  }
}

}  // namespace obslint
