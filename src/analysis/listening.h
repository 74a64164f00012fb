// The listening model: for every service, which ports listen, on which
// address (all interfaces or localhost only), speaking which protocol, with
// or without TLS and authentication. Decided once per service from the image
// facts at each release its tag allows, its flags, its environment and its
// own config file (collector receivers, extensions and telemetry; Loki's
// server block; ports moved by variables and flags). OBS703, OBS706, OBS710,
// OBS806 and `obslint graph` all read it; none decides on its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "knowledge/knowledge.h"
#include "model/project.h"

namespace obslint {

// True for localhost, 127.0.0.1 (any 127/8), ::1 and 0.0.0.0.
bool IsLoopbackHost(std::string_view host);

// Whether a connection or a listener uses TLS.
enum class TlsState { kUnknown, kPlain, kTls };

// Whether a listener requires clients to authenticate.
enum class AuthState { kUnknown, kNone, kRequired };

struct ListenPort {
  int port = 0;
  std::string protocol;  // as in the knowledge base: http, otlp-grpc, ...
  std::string name;      // "OTLP gRPC", `receiver "otlp"`
  bool local_only = false;  // bound to localhost inside the container
  TlsState tls = TlsState::kUnknown;
  AuthState auth = AuthState::kUnknown;
  std::string auth_why;  // what authenticates: "the basicauth/server authenticator", ...
  // false when settings obslint cannot read may move or switch off the port:
  // listed with its default, but nothing is concluded from it.
  bool certain = true;
};

struct ListenInfo {
  bool known = false;     // the image is known (or the collector config read)
  bool complete = false;  // every port is known: a port not listed does not listen
  std::vector<ListenPort> ports;
  // Ports the knowledge base lists but that are switched off by the
  // service's environment or flags (Jaeger COLLECTOR_OTLP_ENABLED=false).
  std::vector<ListenPort> disabled;
  // Ports whose state differs between the releases the image tag allows
  // (on localhost in some, on all interfaces in others): nothing is
  // concluded about them.
  std::vector<int> varying;
  std::string why_incomplete;  // for debugging and the graph

  // The listener of `port`; when several share it, one reachable from other
  // containers (not bound to localhost) if any.
  const ListenPort* Find(int port) const;
  bool Varies(int port) const;
  // "3100 (HTTP), 9096 (gRPC)".
  std::string Describe() const;
};

// The config file a service runs: the one its config flag names, else one
// mounted over the image's default path. nullptr for the image's built-in
// config, or (with `readable` false) when the file exists but was not read.
const yaml::Node* ServiceConfigRoot(const Project& project, const ComposeService& service,
                                    const ImageInfo& info, bool& readable,
                                    const SourceFile** file = nullptr);

// What `service` listens on when its image has the facts `info` (one
// release, or a stretch of releases with the same facts).
ListenInfo ComputeListening(const Project& project, const Knowledge& knowledge,
                            const ComposeService& service, const ImageInfo& info);

// One answer for several stretches of releases: ports on which they agree
// are kept; ports on which they differ are `varying`.
ListenInfo MergeListening(const std::vector<ListenInfo>& per_release);

// Small parsers shared by the analysis layer.
bool ParsePort(std::string_view text, int& port);
// "[host]:port", "host:port", ":port", "port" -> port; host in `host`.
bool SplitBind(std::string_view text, std::string& host, int& port);
// Walks a dotted key ("server.http_listen_port") below `root`.
const yaml::Node* AtDotted(const yaml::Node* root, std::string_view dotted);

}  // namespace obslint
