// Compose's merge rules, on obslint's YAML trees. One implementation serves
// every way Compose combines definitions:
//   - a later `-f` file over an earlier one (Compose Specification,
//     13-merge.md: mappings merge, sequences append, command/entrypoint/
//     healthcheck.test are replaced, ports/volumes/secrets/configs are unique
//     by their key);
//   - `extends` (05-services.md, "Merging service definitions": the same
//     rules, the extending service over the one it extends);
//   - an `include`d resource whose name the including file also defines
//     (14-include.md; the including file's definition wins, merged);
//   - the `!reset` and `!override` tags of the overriding side (13-merge.md,
//     "Reset value" and "Replace value").
// The special keys follow the Compose reference implementation
// (compose-spec/compose-go override/merge.go and override/uncity.go).
//
// Results are new nodes in an arena; subtrees that do not change are shared,
// and every node keeps the Origin of the file that wrote it, so positions of
// merged and inherited values point at their own file.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "parse/yaml.h"

namespace obslint::compose {

struct MergeContext {
  std::deque<yaml::Node>* arena = nullptr;  // owns the nodes a merge builds
  // The text of a scalar as Compose sees it when merging (interpolated);
  // the raw text when unset.
  std::function<std::string(const yaml::Node*)> text;
  // Keep the `!reset` values of the overriding side in the result: a service
  // resolved through `extends` is merged again over the earlier files, and
  // its resets apply there too (compose-go applies a file's resets to
  // both).
  bool keep_resets = false;
};

// Where a node sits in the Compose model: "services", "web", "ports" for
// services.web.ports. The root is the empty path.
using ModelPath = std::deque<std::string_view>;

// Merges `over` onto `base` (either may be nullptr) at `path`. Applies the
// `!reset` / `!override` tags of `over`; the tags of `base` were applied when
// it was built. Never changes its inputs.
const yaml::Node* Merge(const yaml::Node* base, const yaml::Node* over, ModelPath& path,
                        const MergeContext& context);

// `node` with its `!reset` values removed (what a file means on its own).
// Returns `node` itself when it carries no tag.
const yaml::Node* ApplyTags(const yaml::Node* node, const MergeContext& context);

// Whether `node` or anything below it carries `!reset` or `!override`
// (yaml::Node::tags_below: constant time).
bool HasMergeTags(const yaml::Node* node);

// Recomputes `node.tags_below` from its children, after a merge or the
// model builder changed them.
void RefreshTags(yaml::Node& node);

}  // namespace obslint::compose
