#include "analysis/config_keys.h"

#include <fmt/format.h>

#include <set>
#include <tuple>

#include "analysis/analysis.h"

namespace obslint {
namespace {

class Checker {
 public:
  Checker(const Analysis& analysis, std::vector<KeyCoverage>* coverage)
      : a_(analysis), p_(analysis.project()), coverage_(coverage) {}

  std::vector<KeyFinding> Run() {
    Compose();
    Collector();
    Loki();
    ConfigsOf("tempo", "tempo");
    Prometheus();
    Grafana();
    return std::move(out_);
  }

 private:
  // Checks `value` against root `root` of `format` at the releases of
  // `image` (or, with image == nullptr, at every release of the table).
  void Check(std::string_view format, std::string_view root, const SourceFile* file,
             const yaml::Node* value, const ServiceImage* image, std::string reader,
             KeyCheckOptions options = {}, std::string component_kind = {},
             std::string component_id = {}) {
    const KeyTable* table = KeyTable::Get(format);
    if (file == nullptr || value == nullptr) return;
    const std::string part =
        component_id.empty() ? std::string(root) : fmt::format("{}/{}", component_kind, component_id);
    if (table == nullptr) return Skip(file, part, reader, fmt::format("no {} key table", format));
    const KeyNode* node = table->Root(root);
    if (node == nullptr) return Skip(file, part, reader, "a part the key table does not cover");
    VersionRange range;
    if (image == nullptr) {
      if (table->versions().empty()) return Skip(file, part, reader, "the key table is empty");
      range = {table->versions().front(), std::nullopt};
    } else {
      std::optional<VersionRange> covered = table->Coverage(image->version);
      if (!covered)
        return Skip(file, part, reader,
                    fmt::format("the {} key table covers {} to {}, not this version", format,
                                table->versions().front().ToString(),
                                table->versions().back().ToString()));
      range = *covered;
    }
    // A root the table has for part of these releases only (a component
    // verified up to some release) is not judged.
    if (KeyTable::Presence(node, range) != Judgement::kYes)
      return Skip(file, part, reader, "its keys are known for part of these releases only");
    Skip(file, part, reader, "");
    for (KeyIssue& issue : CheckKeys(*table, node, value, range, options)) {
      const yaml::Node* at = issue.key ? issue.key : issue.value;
      auto id = std::make_tuple(file->path, at ? at->line : 0, at ? at->column : 0,
                                static_cast<int>(issue.kind), issue.path);
      if (!seen_.insert(id).second) continue;
      KeyFinding f;
      f.format = std::string(format);
      f.table = table;
      f.file = file;
      f.component_kind = component_kind;
      f.component_id = component_id;
      f.reader = reader;
      f.tag = image ? image->version.tag : std::string();
      f.range = range;
      f.issue = std::move(issue);
      out_.push_back(std::move(f));
    }
  }

  // Records what happened to one part (skipped == "": checked).
  void Skip(const SourceFile* file, std::string part, std::string reader, std::string skipped) {
    if (coverage_ == nullptr || file == nullptr) return;
    coverage_->push_back({file->path, std::move(part), std::move(reader), std::move(skipped)});
  }

  std::string Reader(const ServiceImage& image) const {
    return fmt::format("{} {}", image.family->display, image.version.Describe());
  }

  void Compose() {
    KeyCheckOptions options;
    options.report_partly = false;  // which Compose release runs the file is not known
    options.check_values = false;   // the compose parser reports wrong types itself
    for (const ComposeFile& f : p_.compose.files)
      if (f.source != nullptr)
        Check("compose", "compose", f.source, f.source->yaml.root, nullptr, "Compose", options);
  }

  void Collector() {
    const CollectorBehaviour& cb = a_.knowledge().Collector();
    for (const CollectorConfig& c : p_.collectors) {
      if (c.source == nullptr || c.source->yaml.root == nullptr) continue;
      for (const std::string& name : c.services) {
        const ComposeService* s = p_.compose.Service(name);
        if (s == nullptr) continue;
        if (s->has_build) {
          Skip(c.source, "config", s->name, "built here: its components are not known");
          continue;
        }
        const ServiceImage& image = a_.Image(*s);
        const ImageInfo* info = image.Info();
        if (info == nullptr || info->config_kind != "collector" || info->distribution.empty()) {
          Skip(c.source, "config", s->image.text.value, "not an official collector distribution");
          continue;
        }
        KeyCheckOptions options;
        options.scalar_to_list = true;  // confmap's StringToSliceHookFunc(",")
        // Until values were decoded strictly, the collector converted loosely
        // typed values ("5" for 5): values are judged from then on only.
        options.check_values =
            cb.strict_types_since.known && Judge(image.version, cb.strict_types_since, std::nullopt).Fully();
        const std::string reader = fmt::format("{} {}", info->family, image.version.Describe());
        Check("collector", "config", c.source, c.source->yaml.root, &image, reader, options);
        for (const CollectorComponent& comp : c.components) {
          if (comp.config == nullptr) continue;
          Check("collector", fmt::format("{}/{}", comp.kind, comp.type), c.source, comp.config,
                &image, reader, options, comp.kind, comp.id);
        }
      }
    }
  }

  void Loki() {
    for (const LokiConfig& l : p_.lokis) {
      if (l.source == nullptr) continue;
      for (const std::string& name : l.services) {
        const ComposeService* s = p_.compose.Service(name);
        if (s == nullptr) continue;
        const ServiceImage& image = a_.Image(*s);
        if (image.Info() == nullptr || image.Info()->config_kind != "loki") continue;
        Check("loki", "config", l.source, l.source->yaml.root, &image, Reader(image));
      }
    }
  }

  // Images of `config_kind` whose config file obslint read (Tempo).
  void ConfigsOf(std::string_view config_kind, std::string_view format) {
    for (const ComposeService& s : p_.compose.services) {
      const ServiceImage& image = a_.Image(s);
      const ImageInfo* info = image.Info();
      if (info == nullptr || info->config_kind != config_kind) continue;
      bool readable = true;
      const SourceFile* file = nullptr;
      const yaml::Node* root = ServiceConfigRoot(p_, s, *info, readable, &file);
      if (root != nullptr) Check(format, "config", file, root, &image, Reader(image));
    }
  }

  void Prometheus() {
    for (const PrometheusConfig& c : p_.prometheus) {
      if (c.source == nullptr) continue;
      for (const std::string& name : c.services) {
        const ComposeService* s = p_.compose.Service(name);
        if (s == nullptr) continue;
        const ServiceImage& image = a_.Image(*s);
        // vmagent and VictoriaMetrics read scrape configs of their own dialect.
        if (image.Info() == nullptr || image.Info()->config_kind != "prometheus") continue;
        Check("prometheus", "config", c.source, c.source->yaml.root, &image, Reader(image));
      }
    }
  }

  void Grafana() {
    auto grafana_files = [&](const SourceFile* file, const std::vector<std::string>& services,
                             std::string_view root) {
      if (file == nullptr || file->yaml.root == nullptr) return;
      // Without apiVersion Grafana reads the snake_case keys of version 0.
      const bool v0 = !file->yaml.root->IsMap() || file->yaml.root->Get("apiVersion") == nullptr;
      for (const std::string& name : services) {
        const ComposeService* s = p_.compose.Service(name);
        if (s == nullptr) continue;
        const ServiceImage& image = a_.Image(*s);
        if (image.Info() == nullptr || image.Info()->config_kind != "grafana") continue;
        Check("grafana", v0 ? fmt::format("{}-v0", root) : std::string(root), file,
              file->yaml.root, &image, Reader(image));
      }
    };
    for (const GrafanaDatasourceFile& f : p_.datasource_files)
      grafana_files(f.source, f.services, "datasources");
    for (const GrafanaDashboardFile& f : p_.dashboard_files)
      grafana_files(f.source, f.services, "dashboards");
    for (const GrafanaAlertingFile& f : p_.alerting_files)
      grafana_files(f.source, f.services, "alerting");
  }

  const Analysis& a_;
  const Project& p_;
  std::vector<KeyCoverage>* coverage_;
  std::vector<KeyFinding> out_;
  std::set<std::tuple<std::string, int, int, int, std::string>> seen_;
};

}  // namespace

std::vector<KeyFinding> CheckConfigKeys(const Analysis& analysis, std::vector<KeyCoverage>* coverage) {
  return Checker(analysis, coverage).Run();
}

}  // namespace obslint
