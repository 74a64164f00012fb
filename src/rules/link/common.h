// Helpers shared by the link rules (OBS7xx).
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "analysis/endpoints.h"
#include "model/project.h"

namespace obslint::link {

// Location of the key `key` of a service (e.g. its `depends_on:`), or the
// service name when the key is absent.
inline Location ServiceKeyLoc(const ComposeService& s, std::string_view key) {
  if (s.node != nullptr)
    if (const yaml::Node* k = s.node->KeyNode(key)) return yaml::LocationOf(k, s.compose_file);
  return s.name_loc;
}

// "service \"victoriametrics\"".
inline std::string ServiceRef(const ComposeService& s) { return "service \"" + s.name + "\""; }

// What the source of an endpoint is, for messages: `exporter "otlp"` of the
// collector, `datasource "Loki"`...
inline std::string_view OriginNoun(EndpointOrigin o) {
  switch (o) {
    case EndpointOrigin::kCollectorExporter: return "exporter";
    case EndpointOrigin::kGrafanaDatasource: return "datasource";
    case EndpointOrigin::kLokiAlertmanager: return "Loki ruler";
    case EndpointOrigin::kScrapeTarget: return "scrape target";
    case EndpointOrigin::kRemoteWrite: return "remote_write";
    case EndpointOrigin::kAlertmanagerTarget: return "alertmanager target";
    case EndpointOrigin::kEnvironment: return "environment variable";
  }
  return "endpoint";
}

// Whether endpoints from this origin are precise enough to judge a port.
inline bool JudgePort(const Endpoint& e) {
  return e.url.ok && e.url.port > 0 && e.target != nullptr;
}

}  // namespace obslint::link

namespace obslint::link {

// The port of `target` that speaks a protocol compatible with `protocol`
// (for "use port N instead" hints); 0 when none or ambiguous.
inline int PortForProtocol(const ListenInfo& target, std::string_view protocol) {
  int found = 0;
  for (const auto& p : target.ports) {
    bool match = p.protocol == protocol ||
                 (protocol == "grpc" && p.protocol == "otlp-grpc");
    if (!match || p.local_only) continue;
    if (found != 0 && found != p.port) return 0;
    found = p.port;
  }
  return found;
}

// "service \"jaeger\" (Jaeger all-in-one 1.53.0)".
inline std::string TargetName(const ComposeService& s, const ServiceImage& image) {
  if (!image.Known()) return "service \"" + s.name + "\"";
  return fmt::format("service \"{}\" ({})", s.name, image.Describe());
}

}  // namespace obslint::link
