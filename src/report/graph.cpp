#include "report/graph.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/endpoints.h"
#include "analysis/grafana.h"
#include "model/project.h"

namespace obslint {
namespace {

struct Edge {
  std::string from, to;  // node ids
  std::string label;
  std::string broken;  // reason; "" = fine
  auto Key() const { return std::tie(from, to, label, broken); }
  bool operator<(const Edge& o) const { return Key() < o.Key(); }
};

std::string NodeId(std::string_view name) {
  std::string id = "n_";
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

std::string Escape(std::string_view text, bool dot) {
  std::string out;
  for (char c : text) {
    if (c == '"') out += dot ? "\\\"" : "#quot;";
    else if (dot && c == '\\') out += "\\\\";
    else if (dot && c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

void WriteGraph(const Project& project, const Knowledge& knowledge, std::string_view format,
                std::ostream& out) {
  Analysis analysis(project, knowledge);
  const StackEndpoints& stack = analysis.Endpoints();
  bool dot = format == "dot";
  std::set<Edge> edges;
  std::map<std::string, std::string> extra_nodes;  // id -> label (unknown hosts)
  for (const Endpoint& e : stack.endpoints()) {
    if (e.source == nullptr) continue;
    std::string label = e.protocol.empty() ? "" : e.protocol;
    if (e.url.port > 0) label += (label.empty() ? ":" : " :") + std::to_string(e.url.port);
    Edge edge{NodeId(e.source->name), "", label, ""};
    if (e.resolution == HostResolution::kUnknown) {
      edge.to = NodeId("unknown " + e.url.host);
      extra_nodes[edge.to] = e.url.host + " (unknown host)";
      edge.broken = "unknown host";
    } else if ((e.resolution == HostResolution::kService || e.resolution == HostResolution::kSelf) &&
               e.target != nullptr) {
      edge.to = NodeId(e.target->name);
      const ListenInfo& li = stack.Listening(*e.target);
      if (e.url.port > 0 && li.known) {
        const ListenPort* lp = li.Find(e.url.port);
        if (lp == nullptr && li.complete)
          edge.broken = fmt::format("port {} not listening", e.url.port);
        else if (lp != nullptr && lp->local_only && e.target != e.source)
          edge.broken = fmt::format("port {} on localhost only", e.url.port);
      }
      if (edge.broken.empty()) edge.broken = stack.Diagnose(e).Summary();
      if (e.resolution == HostResolution::kSelf && !edge.broken.empty())
        edge.broken = "localhost: " + edge.broken;
    } else {
      continue;  // external or not judged
    }
    edges.insert(std::move(edge));
  }

  // Grafana: dashboards whose datasource references are broken, linked from
  // the service that provisions them to what they name.
  std::map<std::string, std::string> dashboard_nodes;   // id -> label
  std::map<std::string, std::string> datasource_nodes;  // id -> label (provisioned datasources)
  for (const GrafanaDashboard& dash : project.dashboards) {
    // Named by where Grafana reads it: the same whatever directory obslint runs in.
    std::string dash_id = NodeId("dashboard " + dash.container_path);
    std::string dash_label = "dashboard " + (dash.title.present ? dash.title.value : dash.container_path);
    for (const std::string& service : dash.services) {
      GrafanaDatasources datasources(project, service);
      for (const DashboardRefResult& res : ResolveDashboardRefs(datasources, dash)) {
        using Status = DashboardRefResult::Status;
        Edge edge{dash_id, "", res.ref->type.present ? res.ref->type.value : "", ""};
        const std::string& uid = res.ref->uid.value;
        if (res.status == Status::kUnknown) {
          edge.to = NodeId("datasource " + uid);
          extra_nodes[edge.to] = "datasource " + uid + " (not provisioned)";
          edge.broken = "unknown datasource";
        } else if (res.status == Status::kUnresolvedInput) {
          edge.to = NodeId("input " + res.variable);
          extra_nodes[edge.to] = "${" + res.variable + "} (import input)";
          edge.broken = "unresolved input";
        } else if (res.status == Status::kUndefinedVariable) {
          edge.to = NodeId("variable " + res.variable);
          extra_nodes[edge.to] = "$" + res.variable + " (undefined variable)";
          edge.broken = "undefined variable";
        } else if (res.status == Status::kResolved && res.type_mismatch) {
          const GrafanaDatasource& ds = *res.datasource;
          edge.to = NodeId("datasource " + GrafanaDatasources::UidOf(ds));
          datasource_nodes[edge.to] = "datasource " + ds.name.value + " (" + ds.type.value + ")";
          edge.broken = "type mismatch";
        } else {
          continue;
        }
        dashboard_nodes[dash_id] = dash_label;
        edges.insert(Edge{NodeId(service), dash_id, "provisions", ""});
        edges.insert(std::move(edge));
      }
    }
  }

  auto node_label = [](const ComposeService& s) {
    return s.image.text.value.empty() ? s.name : s.name + "\n" + s.image.text.value;
  };
  if (dot) {
    out << "digraph stack {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
    for (const auto& s : project.compose.services)
      out << fmt::format("  {} [label=\"{}\"];\n", NodeId(s.name), Escape(node_label(s), true));
    for (const auto& [id, label] : dashboard_nodes)
      out << fmt::format("  {} [label=\"{}\", shape=note];\n", id, Escape(label, true));
    for (const auto& [id, label] : datasource_nodes)
      out << fmt::format("  {} [label=\"{}\", shape=cylinder];\n", id, Escape(label, true));
    for (const auto& [id, label] : extra_nodes)
      out << fmt::format("  {} [label=\"{}\", style=dashed, color=red];\n", id, Escape(label, true));
    for (const Edge& e : edges) {
      std::string label = e.broken.empty() ? e.label : e.label + " (" + e.broken + ")";
      out << fmt::format("  {} -> {} [label=\"{}\"{}];\n", e.from, e.to, Escape(label, true),
                         e.broken.empty() ? "" : ", style=dashed, color=red, fontcolor=red");
    }
    out << "}\n";
    return;
  }
  out << "graph LR\n";
  for (const auto& s : project.compose.services) {
    std::string label = Escape(node_label(s), false);
    size_t nl = label.find('\n');
    if (nl != std::string::npos) label.replace(nl, 1, "<br/>");
    out << fmt::format("  {}[\"{}\"]\n", NodeId(s.name), label);
  }
  for (const auto& [id, label] : dashboard_nodes)
    out << fmt::format("  {}[/\"{}\"/]\n", id, Escape(label, false));
  for (const auto& [id, label] : datasource_nodes)
    out << fmt::format("  {}[(\"{}\")]\n", id, Escape(label, false));
  for (const auto& [id, label] : extra_nodes)
    out << fmt::format("  {}[\"{}\"]\n", id, Escape(label, false));
  int index = 0;
  std::vector<int> broken;
  for (const Edge& e : edges) {
    std::string label = e.broken.empty() ? e.label : e.label + " (" + e.broken + ")";
    std::string arrow = e.broken.empty() ? "-->" : "-.->";
    if (label.empty()) out << fmt::format("  {} {} {}\n", e.from, arrow, e.to);
    else out << fmt::format("  {} {}|\"{}\"| {}\n", e.from, arrow, Escape(label, false), e.to);
    if (!e.broken.empty()) broken.push_back(index);
    ++index;
  }
  for (const auto& [id, label] : extra_nodes) out << fmt::format("  style {} stroke:red,stroke-dasharray:5\n", id);
  for (int i : broken) out << fmt::format("  linkStyle {} stroke:red,color:red\n", i);
}

}  // namespace obslint
