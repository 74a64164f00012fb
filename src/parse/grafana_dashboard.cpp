// Grafana dashboard JSON: parsed into the positioned JSON tree, then the
// parts the rules read are collected: uid, title, `__inputs`, templating
// variables, and every datasource reference of panels (rows, collapsed rows'
// `panels`, the pre-5.0 `rows[].panels`), of their queries (`targets`), of
// query variables and of annotations.
//
// A reference is written as an object `{"type": "...", "uid": "..."}` (8.3
// and later), as a string (a datasource name before 8.3, or `${var}` /
// `$var` of a datasource variable), or null (the default datasource).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "parse/parsers.h"

namespace obslint {
namespace {

using json::Document;
using json::Kind;
using json::Node;

class DashboardReader {
 public:
  DashboardReader(const SourceFile& file, GrafanaDashboard& out) : file_(file), out_(out) {}

  void Run() {
    const Document& doc = out_.json;
    const Node* root = doc.Root();
    if (root == nullptr || !root->IsObject()) return;
    if (const Node* uid = doc.Get(*root, "uid"); uid && uid->IsString())
      out_.uid = Located<std::string>(std::string(doc.Text(*uid)), At(*uid));
    if (const Node* title = doc.Get(*root, "title"); title && title->IsString())
      out_.title = Located<std::string>(std::string(doc.Text(*title)), At(*title));

    if (const Node* inputs = doc.Get(*root, "__inputs"); inputs && inputs->IsArray()) {
      out_.inputs_loc = KeyAt(*inputs);
      for (const Node& in : doc.Children(*inputs)) {
        if (!in.IsObject()) continue;
        GrafanaDashboardInput input;
        input.name = std::string(doc.String(in, "name"));
        input.type = std::string(doc.String(in, "type"));
        input.plugin_id = std::string(doc.String(in, "pluginId"));
        input.loc = At(in);
        if (!input.name.empty()) out_.inputs.push_back(std::move(input));
      }
    }

    // Variables first: references are judged against them.
    if (const Node* templating = doc.Get(*root, "templating"); templating && templating->IsObject()) {
      if (const Node* list = doc.Get(*templating, "list"); list && list->IsArray()) {
        for (const Node& v : doc.Children(*list)) {
          if (!v.IsObject()) continue;
          const Node* name = doc.Get(v, "name");
          if (name == nullptr || !name->IsString()) continue;
          GrafanaDashboardVariable var;
          var.name = std::string(doc.Text(*name));
          var.type = std::string(doc.String(v, "type"));
          var.query = std::string(doc.String(v, "query"));
          var.loc = At(*name);
          out_.variables.push_back(var);
          if (var.type == "query" || var.type == "adhoc")
            Ref(v, [&] { return fmt::format("variable \"{}\"", var.name); });
        }
      }
    }
    if (const Node* annotations = doc.Get(*root, "annotations"); annotations && annotations->IsObject()) {
      if (const Node* list = doc.Get(*annotations, "list"); list && list->IsArray()) {
        for (const Node& a : doc.Children(*list)) {
          if (!a.IsObject()) continue;
          std::string_view name = doc.String(a, "name");
          Ref(a, [&] {
            return name.empty() ? std::string("an annotation") : fmt::format("annotation \"{}\"", name);
          });
        }
      }
    }
    Panels(doc.Get(*root, "panels"), 0);
    // Dashboards older than schema 16 keep panels in rows.
    if (const Node* rows = doc.Get(*root, "rows"); rows && rows->IsArray())
      for (const Node& row : doc.Children(*rows))
        if (row.IsObject()) Panels(doc.Get(row, "panels"), 1);
  }

 private:
  Location At(uint32_t begin, uint32_t end) const { return OffsetLocation(file_, begin, end); }
  Location At(const Node& n) const { return At(n.begin, n.end); }
  Location KeyAt(const Node& n) const { return At(n.key_begin, n.key_end); }

  void Panels(const Node* list, int depth) {
    const Document& doc = out_.json;
    if (list == nullptr || !list->IsArray() || depth > 16) return;
    for (const Node& panel : doc.Children(*list)) {
      if (!panel.IsObject()) continue;
      std::string name = PanelName(panel);
      size_t before = out_.refs.size();
      Ref(panel, [&] { return name; });
      bool has_panel_ref = out_.refs.size() > before;
      size_t panel_index = before;
      if (const Node* targets = doc.Get(panel, "targets"); targets && targets->IsArray()) {
        for (const Node& t : doc.Children(*targets)) {
          if (!t.IsObject()) continue;
          // The usual case: the query names the panel's datasource again.
          if (has_panel_ref && SameAs(t, out_.refs[panel_index])) {
            ++out_.refs[panel_index].repeats;
            continue;
          }
          std::string_view ref_id = doc.String(t, "refId");
          Ref(t, [&] {
            return ref_id.empty() ? "a query of " + name
                                  : "query " + std::string(ref_id) + " of " + name;
          });
        }
      }
      // Rows (collapsed ones keep their panels inside) and nested panels.
      Panels(doc.Get(panel, "panels"), depth + 1);
    }
  }

  std::string PanelName(const Node& panel) const {
    const Document& doc = out_.json;
    std::string_view title = doc.String(panel, "title");
    std::string_view type = doc.String(panel, "type");
    std::string what = type == "row" ? "row" : "panel";
    if (!title.empty()) return fmt::format("{} \"{}\"", what, title);
    if (const Node* id = doc.Get(panel, "id"); id && id->kind == Kind::kNumber)
      return fmt::format("{} {}", what, doc.Text(*id));
    return what;
  }

  // The `datasource` member of `owner`, when it names something.
  // The `datasource` of `owner` is written exactly like `ref`.
  bool SameAs(const Node& owner, const GrafanaDatasourceRef& ref) const {
    const Document& doc = out_.json;
    const Node* ds = doc.Get(owner, "datasource");
    if (ds == nullptr) return false;
    if (ds->IsString()) return !ref.object_form && doc.Text(*ds) == ref.uid.value;
    if (!ds->IsObject() || !ref.object_form) return false;
    const Node* uid = doc.Get(*ds, "uid");
    const Node* type = doc.Get(*ds, "type");
    if (uid == nullptr || !uid->IsString() || doc.Text(*uid) != ref.uid.value) return false;
    bool has_type = type != nullptr && type->IsString();
    return has_type == ref.type.present && (!has_type || doc.Text(*type) == ref.type.value);
  }

  // `where` describes the owner for messages; it is only built for owners
  // that have a datasource (a dashboard has thousands of queries).
  template <typename Where>
  void Ref(const Node& owner, Where&& where) {
    const Document& doc = out_.json;
    const Node* ds = doc.Get(owner, "datasource");
    if (ds == nullptr || (!ds->IsString() && !ds->IsObject())) return;
    GrafanaDatasourceRef ref;
    if (ds->IsString()) {
      if (doc.Text(*ds).empty()) return;
      ref.uid = Located<std::string>(std::string(doc.Text(*ds)), At(*ds));
    } else if (ds->IsObject()) {
      ref.object_form = true;
      const Node* uid = doc.Get(*ds, "uid");
      // Without a uid Grafana takes the default datasource (of that type).
      if (uid == nullptr || !uid->IsString() || doc.Text(*uid).empty()) return;
      ref.uid = Located<std::string>(std::string(doc.Text(*uid)), At(*uid));
      const Node* type = doc.Get(*ds, "type");
      if (type != nullptr && type->IsString())
        ref.type = Located<std::string>(std::string(doc.Text(*type)), At(*type));
    }
    ref.where = where();
    out_.refs.push_back(std::move(ref));
  }

  const SourceFile& file_;
  GrafanaDashboard& out_;
};

}  // namespace

void ParseGrafanaDashboard(const SourceFile& file, GrafanaDashboard& out,
                           std::vector<LoadFinding>& findings) {
  out.source = &file;
  json::Parse(file.content, out.json);
  if (out.json.error.failed) {
    LoadFinding& f = findings.emplace_back();
    f.code = "OBS101";
    f.loc = OffsetLocation(file, out.json.error.offset, out.json.error.offset);
    f.loc.end_line = f.loc.end_column = 0;
    f.message = fmt::format("JSON syntax error: {}; Grafana skips this dashboard",
                            out.json.error.message);
    return;
  }
  DashboardReader(file, out).Run();
}

}  // namespace obslint
