// The stack as a graph: services as nodes, resolved endpoints as edges
// (broken ones dashed and red, with the reason), and each Grafana dashboard
// with a broken datasource reference (unknown uid or name, unresolved
// `__inputs`, undefined variable, type mismatch) linked from its Grafana
// service to what it names. Mermaid or Graphviz dot.
#pragma once

#include <ostream>
#include <string_view>

namespace obslint {

struct Project;
class Knowledge;

// `format` is "mermaid" or "dot". Output is deterministic (compose order for
// nodes, sorted edges).
void WriteGraph(const Project& project, const Knowledge& knowledge, std::string_view format,
                std::ostream& out);

}  // namespace obslint
