// Compose files: services and top-level declarations, with interpolation
// applied the way `docker compose` does it.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "model/project.h"
#include "parse/interpolate.h"

namespace obslint {

struct ComposeParseResult {
  Located<std::string> name;  // top-level name:
  std::vector<ComposeService> services;
  std::vector<TopLevelDecl> networks, volumes, secrets, configs;
  std::vector<Location> version_keys;
  std::vector<Located<std::string>> includes;  // include: paths, resolved
};

// What reading the values of one compose file needs.
struct ComposeFileContext {
  std::string file;  // display path (for nodes that do not know theirs)
  std::string dir;   // absolute base of its relative paths
  VarLookup lookup;  // its interpolation variables
};

// The context of every file of a project, by the origin of the YAML nodes
// it wrote: a merged tree holds values of several files.
class ComposeContexts {
 public:
  // The first context set for an origin stays.
  void Set(const yaml::Origin* origin, ComposeFileContext context);
  // The context of the file `node` comes from; the first one set for nodes
  // of an unknown origin.
  const ComposeFileContext& For(const yaml::Node* node) const;
  const ComposeFileContext* Find(const yaml::Origin* origin) const;

 private:
  // A deque: references handed out stay valid while contexts are added.
  std::deque<std::pair<const yaml::Origin*, ComposeFileContext>> contexts_;
};

// Parses a compose model: the tree of one file, or several merged
// (parse/compose_merge.h). Values are interpolated and relative paths
// resolved with the context of the file each value comes from.
void ParseComposeModel(const yaml::Node* root, const ComposeContexts& contexts,
                       ComposeParseResult& out, std::vector<LoadFinding>& findings);

// Records every `${VAR}` a compose file reads in `uses` (Compose
// interpolates whole files, overridden values included), and reports the
// malformed ones.
void RecordComposeVariables(const SourceFile& file, const VarLookup& lookup,
                            std::vector<VarUse>& uses, std::vector<LoadFinding>& findings);

// One compose file on its own: RecordComposeVariables, its `!reset` values
// dropped, ParseComposeModel. `dir` is the absolute directory relative
// paths are resolved against.
void ParseComposeFile(const SourceFile& file, const std::string& dir, const VarLookup& lookup,
                      ComposeParseResult& out, std::vector<VarUse>& uses,
                      std::vector<LoadFinding>& findings);

// Port spec parsing (short syntax "127.0.0.1:8080-8081:80-81/udp"), exposed for tests.
PortMapping ParsePortSpec(std::string_view spec);
// Volume short syntax ("./a:/b:ro"), exposed for tests.
VolumeMount ParseVolumeSpec(std::string_view spec);
// Splits a command string as a POSIX shell would (quotes, backslashes), no expansion.
std::vector<std::string> SplitShellWords(std::string_view text, std::vector<size_t>* offsets = nullptr);
// Lexically normalised absolute path (no filesystem access): base/rel with . and .. folded.
std::string JoinPath(const std::string& base, std::string_view rel);

}  // namespace obslint
