// Compose files: services and top-level declarations, with interpolation
// applied the way `docker compose` does it.
#pragma once

#include <string>
#include <vector>

#include "model/project.h"
#include "parse/interpolate.h"

namespace obslint {

struct ComposeParseResult {
  std::vector<ComposeService> services;
  std::vector<TopLevelDecl> networks, volumes, secrets, configs;
  std::vector<Location> version_keys;
  std::vector<Located<std::string>> includes;  // include: paths, resolved
};

// Parses one compose file. `dir` is the absolute directory relative paths
// are resolved against. Every interpolation is recorded in `uses`.
void ParseComposeFile(const SourceFile& file, const std::string& dir, const VarLookup& lookup,
                      ComposeParseResult& out, std::vector<VarUse>& uses,
                      std::vector<LoadFinding>& findings);

// Merges `overlay` services into `base` as `docker compose -f a -f b` does.
void MergeComposeServices(std::vector<ComposeService>& base, std::vector<ComposeService>&& overlay);

// Port spec parsing (short syntax "127.0.0.1:8080-8081:80-81/udp"), exposed for tests.
PortMapping ParsePortSpec(std::string_view spec);
// Volume short syntax ("./a:/b:ro"), exposed for tests.
VolumeMount ParseVolumeSpec(std::string_view spec);
// Splits a command string as a POSIX shell would (quotes, backslashes), no expansion.
std::vector<std::string> SplitShellWords(std::string_view text, std::vector<size_t>* offsets = nullptr);
// Lexically normalised absolute path (no filesystem access): base/rel with . and .. folded.
std::string JoinPath(const std::string& base, std::string_view rel);

}  // namespace obslint
