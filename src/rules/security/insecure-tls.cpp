// OBS809 insecure-tls: a collector exporter sends telemetry in plaintext, or
// without verifying the certificate, to a host outside the stack.
//
// source: https://github.com/open-telemetry/opentelemetry-collector/blob/main/config/configtls/README.md
//   (client `insecure`: no TLS at all; `insecure_skip_verify`: TLS without certificate checks)
#include <fmt/format.h>

#include "rules/rules.h"
#include "rules/security/common.h"

namespace obslint {

void CheckInsecureTls(const Project& p, const Knowledge&, Reporter& r) {
  for (const CollectorConfig& c : p.collectors) {
    if (c.source == nullptr || c.services.empty()) continue;
    const std::string& file = c.source->path;
    for (const CollectorComponent& comp : c.components) {
      if (comp.kind != "exporters" || comp.config == nullptr || !comp.config->IsMap()) continue;
      const yaml::Node* endpoint = comp.config->Get("endpoint");
      if (endpoint == nullptr || !endpoint->IsScalar() ||
          endpoint->scalar.find('$') != std::string::npos)
        continue;
      std::string host = security::HostOf(endpoint->scalar);
      if (host.empty() || security::IsLocalOrPrivateHost(host) || security::IsStackHost(p, host))
        continue;
      // A bare name that is no service is an unknown host (OBS702), not a
      // host outside the stack: only names with a dot or IP addresses leave it.
      if (host.find('.') == std::string::npos && host.find(':') == std::string::npos) continue;
      const yaml::Node* tls = comp.config->Get("tls");
      if (tls == nullptr || !tls->IsMap()) continue;
      struct Key {
        const char* name;
        const char* what;
      };
      for (Key key : {Key{"insecure", "without TLS, in plaintext"},
                      Key{"insecure_skip_verify", "over TLS without checking the certificate"}}) {
        const yaml::Node* v = tls->Get(key.name);
        if (v == nullptr || !v->IsTrue()) continue;
        Finding& f = r.Report(
            "OBS809", yaml::LocationOf(tls->KeyNode(key.name), file),
            fmt::format("exporter \"{}\" sends telemetry to \"{}\", outside the stack, {}: anyone "
                        "on the path can read or alter it{}",
                        comp.id, host, key.what,
                        std::string_view(key.name) == "insecure" ? " (and see any auth headers)" : ""),
            fmt::format("remove `tls.{}` (TLS with verification is the default) and set "
                        "`tls.ca_file` if the server uses a private CA",
                        key.name));
        f.related.push_back({yaml::LocationOf(endpoint, file), "the endpoint is here"});
      }
    }
  }
}

}  // namespace obslint
