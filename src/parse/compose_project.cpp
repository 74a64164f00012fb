#include "parse/compose_project.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_set>

#include "parse/compose.h"
#include "parse/compose_merge.h"
#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Kind;
using yaml::Node;

constexpr std::string_view kResourceSections[] = {"services", "volumes", "networks",
                                                  "secrets",  "configs", "models"};

std::string ParentDir(const std::string& abs) {
  return std::filesystem::path(abs).parent_path().string();
}

// Last line a node's text reaches (its deepest, latest descendant).
int LastLine(const Node* node) {
  int last = 0;
  std::unordered_set<const Node*> seen;
  std::vector<const Node*> stack{node};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (n == nullptr || !seen.insert(n).second) continue;
    int end =
        n->line + (n->IsScalar()
                       ? static_cast<int>(std::count(n->scalar.begin(), n->scalar.end(), '\n'))
                       : 0);
    last = std::max(last, end);
    for (const Node* item : n->items) stack.push_back(item);
    for (const auto& [k, v] : n->entries) {
      stack.push_back(k);
      stack.push_back(v);
    }
  }
  return last;
}

class ModelBuilder {
 public:
  ModelBuilder(const ComposeLoadInput& input, ComposeProject& out, std::vector<VarUse>& uses,
               std::vector<LoadFinding>& findings)
      : in_(input), out_(out), uses_(uses), findings_(findings) {
    merge_.arena = &out_.merged_nodes;
    merge_.text = [this](const Node* n) {
      return Interpolate(n->scalar, contexts_.For(n).lookup).resolved;
    };
    extends_merge_ = merge_;
    extends_merge_.keep_resets = true;
  }

  void Run() {
    const Node* model = nullptr;
    for (const std::string& file : in_.files) {
      const Node* tree = LoadFile(file, in_.project_dir, in_.lookup, "file", Location{}, {});
      if (tree == nullptr) continue;
      if (!tree->IsMap()) {
        // The parser reports it (OBS103); nothing of it can merge.
        if (model == nullptr) model = tree;
        continue;
      }
      compose::ModelPath path;
      model =
          compose::Merge(model != nullptr && model->IsMap() ? model : nullptr, tree, path, merge_);
    }
    ComposeParseResult r;
    ParseComposeModel(model, contexts_, r, findings_);
    out_.services = std::move(r.services);
    out_.networks = std::move(r.networks);
    out_.volumes = std::move(r.volumes);
    out_.secrets = std::move(r.secrets);
    out_.configs = std::move(r.configs);
    if (r.name.present) out_.name = r.name.value;
    for (ExtendsLink& link : links_)
      if (out_.Service(link.service) != nullptr) out_.extends.push_back(std::move(link));
    DropDuplicateFindings();
  }

 private:
  struct Resolved {
    const Node* node = nullptr;
    std::vector<ExtendsLink> links;  // `service` and `extends_loc` not set
    bool cycle = false;              // part of an `extends` cycle: nothing inherited
  };

  const Node* LoadFile(const std::string& abs, const std::string& dir, const VarLookup& lookup,
                       const std::string& role, const Location& ref,
                       std::vector<std::string> include_chain) {
    const SourceFile* src = in_.read(abs, FileKind::kCompose, ref);
    if (src == nullptr) return nullptr;
    Register(*src, role, dir, lookup);
    const Node* root = src->yaml.root;
    if (root == nullptr || !root->IsMap()) return root;
    if (role != "extends")
      if (const Node* version = root->KeyNode("version"))
        out_.version_keys.push_back(yaml::LocationOf(version, src->path));
    const Node* tree = root;
    include_chain.push_back(src->abs_path);
    if (const Node* include = root->Get("include"))
      tree = Include(tree, include, dir, lookup, include_chain);
    return ResolveExtends(tree);
  }

  // First read of a compose file: listed, its variables recorded, its
  // values read with `dir` and `lookup`.
  void Register(const SourceFile& src, const std::string& role, const std::string& dir,
                const VarLookup& lookup) {
    contexts_.Set(src.yaml.origin.get(), ComposeFileContext{src.path, dir, lookup});
    if (!registered_.insert(&src).second) return;
    out_.files.push_back({src.path, &src, role});
    RecordComposeVariables(src, lookup, uses_, findings_);
  }

  const ComposeFileContext& ContextOf(const Node* n) const { return contexts_.For(n); }

  Location Loc(const Node* n) const { return yaml::LocationOf(n, ContextOf(n).file); }

  std::string Text(const Node* n) const {
    if (n == nullptr || !n->IsScalar()) return {};
    return Interpolate(n->scalar, ContextOf(n).lookup).resolved;
  }

  Node& Copy(const Node* n) { return out_.merged_nodes.emplace_back(*n); }

  const Node* Without(const Node* map, std::string_view key) {
    if (map->KeyNode(key) == nullptr) return map;
    Node& out = Copy(map);
    std::erase_if(out.entries,
                  [&](const auto& e) { return e.first->IsScalar() && e.first->scalar == key; });
    compose::RefreshTags(out);
    return &out;
  }

  const Node* With(const Node* map, const Node* key, const Node* value) {
    Node& out = Copy(map);
    for (auto& e : out.entries) {
      if (e.first->IsScalar() && e.first->scalar == key->scalar) {
        e.second = value;
        compose::RefreshTags(out);
        return &out;
      }
    }
    out.entries.emplace_back(key, value);
    compose::RefreshTags(out);
    return &out;
  }

  void ExtendsError(const Node* at, std::string message, std::string help) {
    out_.extends_problems.push_back({Loc(at), std::move(message), std::move(help)});
  }

  void Report(std::string code, const Node* at, std::string message, std::string help = {}) {
    LoadFinding f;
    f.code = std::move(code);
    f.loc = Loc(at);
    f.message = std::move(message);
    f.help = std::move(help);
    findings_.push_back(std::move(f));
  }

  // ------------------------------------------------------------- include

  const Node* Include(const Node* tree, const Node* include, const std::string& dir,
                      const VarLookup& lookup, const std::vector<std::string>& chain) {
    tree = Without(tree, "include");
    if (include->IsNull()) return tree;
    if (!include->IsSequence()) {
      ReportWrongType(include, ContextOf(include).file, "include", "a list", findings_);
      return tree;
    }
    for (const Node* item : include->items) {
      std::vector<const Node*> paths;
      const Node* project_directory = nullptr;
      std::vector<const Node*> env_files;
      if (item->IsScalar()) {
        paths.push_back(item);
      } else if (item->IsMap()) {
        if (const Node* p = item->Get("path")) {
          if (p->IsScalar()) paths.push_back(p);
          for (const Node* q : p->items) paths.push_back(q);
        }
        project_directory = item->Get("project_directory");
        if (const Node* e = item->Get("env_file")) {
          if (e->IsScalar()) env_files.push_back(e);
          for (const Node* f : e->items) env_files.push_back(f);
        }
      }
      if (paths.empty()) continue;
      std::vector<std::string> abs;
      for (const Node* p : paths) abs.push_back(JoinPath(dir, Text(p)));
      std::error_code ec;
      std::string canonical = std::filesystem::weakly_canonical(abs.front(), ec).string();
      if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
        Report("OBS106", paths.front(),
               fmt::format("include of {} closes a cycle: that file is already being included",
                           Text(paths.front())),
               "remove one of the includes; Compose refuses an include cycle");
        continue;
      }
      std::string project_dir = project_directory != nullptr && project_directory->IsScalar()
                                    ? JoinPath(dir, Text(project_directory))
                                    : ParentDir(abs.front());
      VarLookup sub_lookup = IncludeLookup(lookup, env_files, dir, project_dir);
      const Node* sub = nullptr;
      for (size_t i = 0; i < abs.size(); ++i) {
        const Node* m = LoadFile(abs[i], project_dir, sub_lookup, "include", Loc(paths[i]), chain);
        if (m == nullptr || !m->IsMap()) continue;
        compose::ModelPath path;
        sub = compose::Merge(sub, m, path, merge_);
      }
      if (sub != nullptr) tree = Import(tree, sub);
    }
    return tree;
  }

  // An included project reads its own .env (or `env_file:`), and the
  // including project's variables win over it (14-include.md).
  VarLookup IncludeLookup(const VarLookup& parent, const std::vector<const Node*>& env_files,
                          const std::string& dir, const std::string& project_dir) {
    std::vector<std::string> files;
    for (const Node* f : env_files) files.push_back(JoinPath(dir, Text(f)));
    std::error_code ec;
    if (env_files.empty() && std::filesystem::is_regular_file(project_dir + "/.env", ec))
      files.push_back(project_dir + "/.env");
    if (files.empty()) return parent;
    auto values = std::make_shared<std::map<std::string, std::string, std::less<>>>();
    for (size_t i = 0; i < files.size(); ++i) {
      Location ref = i < env_files.size() ? Loc(env_files[i]) : Location{};
      const SourceFile* file = in_.read(files[i], FileKind::kEnv, ref);
      if (file == nullptr) continue;
      EnvFile env;
      ParseDotenv(*file, env, findings_);
      for (const EnvEntry& e : env.entries) (*values)[e.key] = e.value;
    }
    return [parent, values](std::string_view name) -> const std::string* {
      if (const std::string* v = parent(name)) return v;
      auto it = values->find(name);
      return it == values->end() ? nullptr : &it->second;
    };
  }

  // The resources of an included model join the including one; a name both
  // define is merged, the including file's definition over the included.
  const Node* Import(const Node* tree, const Node* sub) {
    for (std::string_view section : kResourceSections) {
      const Node* from = sub->Get(section);
      if (from == nullptr || !from->IsMap() || from->entries.empty()) continue;
      const Node* to = tree->Get(section);
      Node& merged = Copy(to != nullptr && to->IsMap() ? to : from);
      if (to == nullptr || !to->IsMap()) merged.entries.clear();
      for (const auto& [k, v] : from->entries) {
        if (!k->IsScalar()) continue;
        const std::string& name = k->scalar;  // clang 14 cannot capture a binding
        auto it = std::find_if(merged.entries.begin(), merged.entries.end(), [&](const auto& e) {
          return e.first->IsScalar() && e.first->scalar == name;
        });
        if (it == merged.entries.end()) {
          merged.entries.emplace_back(k, v);
        } else {
          compose::ModelPath path{section, k->scalar};
          it->second = compose::Merge(v, it->second, path, merge_);
        }
      }
      compose::RefreshTags(merged);
      const Node* key = sub->KeyNode(section);
      tree = With(tree, tree->KeyNode(section) ? tree->KeyNode(section) : key, &merged);
    }
    return tree;
  }

  // ------------------------------------------------------------- extends

  const Node* ResolveExtends(const Node* tree) {
    const Node* services = tree->Get("services");
    if (services == nullptr || !services->IsMap()) return tree;
    Node* resolved = nullptr;
    for (size_t i = 0; i < services->entries.size(); ++i) {
      const auto& [k, v] = services->entries[i];
      if (!k->IsScalar() || v == nullptr || !v->IsMap() || v->Get("extends") == nullptr) continue;
      Resolved r = Resolve(services, k->scalar, {});
      if (resolved == nullptr) resolved = &Copy(services);
      resolved->entries[i].second = r.node;
      Location at = Loc(v->KeyNode("extends"));
      for (ExtendsLink link : r.links) {
        link.service = k->scalar;
        link.extends_loc = at;
        links_.push_back(std::move(link));
      }
    }
    if (resolved != nullptr) compose::RefreshTags(*resolved);
    return resolved == nullptr ? tree : With(tree, tree->KeyNode("services"), resolved);
  }

  // Service `name` of the `services` mapping with its `extends` applied.
  Resolved Resolve(const Node* services, const std::string& name,
                   std::vector<std::pair<const Node*, std::string>> chain) {
    auto cached = resolved_.find({services, name});
    if (cached != resolved_.end()) return cached->second;
    const Node* service = services->Get(name);
    Resolved r{service, {}};
    const Node* extends =
        service != nullptr && service->IsMap() ? service->Get("extends") : nullptr;
    if (extends == nullptr) return r;
    const Node* own = Without(service, "extends");
    r.node = own;
    const Node* ref_node = nullptr;
    const Node* file_node = nullptr;
    if (extends->IsScalar()) {
      ref_node = extends;
    } else if (extends->IsMap()) {
      ref_node = extends->Get("service");
      file_node = extends->Get("file");
    }
    std::string where = fmt::format("services.{}.extends", name);
    if (ref_node == nullptr || !ref_node->IsScalar() || Text(ref_node).empty()) {
      if (extends->IsMap() || extends->IsScalar()) {
        ExtendsError(
            extends, fmt::format("`extends` of service \"{}\" names no service", name),
            "write `extends: {service: NAME}`, with `file: PATH` when NAME is in another file");
      } else {
        ReportWrongType(extends, ContextOf(extends).file, where, "a mapping", findings_);
      }
      return r;
    }
    std::string ref = Text(ref_node);
    const Node* base_services = services;
    std::string base_file = ContextOf(service).file;
    if (file_node != nullptr) {
      if (!file_node->IsScalar()) {
        ReportWrongType(file_node, ContextOf(file_node).file, where + ".file", "a string",
                        findings_);
        return r;
      }
      const ComposeFileContext& declaring = ContextOf(file_node);
      std::string abs = JoinPath(declaring.dir, Text(file_node));
      const SourceFile* src = in_.read(abs, FileKind::kCompose, Loc(file_node));
      if (src == nullptr) return r;  // OBS106 says why
      Register(*src, "extends", ParentDir(src->abs_path), declaring.lookup);
      base_file = src->path;
      const Node* root = src->yaml.root;
      base_services = root != nullptr && root->IsMap() ? root->Get("services") : nullptr;
      if (base_services == nullptr || !base_services->IsMap()) {
        ExtendsError(file_node,
                     fmt::format("service \"{}\" extends \"{}\" from {}, which has no services",
                                 name, ref, src->path),
                     "point `extends.file` at the compose file that defines the service");
        return r;
      }
    }
    const Node* base_key = base_services->KeyNode(ref);
    if (base_key == nullptr) {
      std::string defined;
      for (const auto& [k, v] : base_services->entries)
        if (k->IsScalar() && !(services == base_services && k->scalar == name))
          defined += (defined.empty() ? "" : ", ") + ("\"" + k->scalar + "\"");
      std::string help =
          file_node != nullptr
              ? fmt::format("name a service {} defines ({})", base_file, defined)
              : fmt::format(
                    "name a service of this file ({}), or add `file:` naming the compose "
                    "file that defines \"{}\"",
                    defined.empty() ? "it has no other" : defined, ref);
      ExtendsError(ref_node,
                   fmt::format("service \"{}\" extends \"{}\", which {} does not define", name, ref,
                               base_file),
                   std::move(help));
      return r;
    }
    chain.emplace_back(services, name);
    auto loop = std::find(chain.begin(), chain.end(), std::pair{base_services, ref});
    if (loop != chain.end()) {
      std::string cycle;
      for (auto it = loop; it != chain.end(); ++it) cycle += "\"" + it->second + "\" -> ";
      ExtendsError(ref_node,
                   fmt::format("service \"{}\" extends \"{}\", which closes a cycle ({}\"{}\")",
                               name, ref, cycle, ref),
                   "break the cycle: a service cannot inherit from itself");
      r.cycle = true;
      resolved_[{services, name}] = r;
      return r;
    }
    Resolved base = Resolve(base_services, ref, chain);
    if (base.cycle) {
      // Compose refuses the cycle; nothing of it is inherited.
      r.cycle = true;
      resolved_[{services, name}] = r;
      return r;
    }
    compose::ModelPath path{"services", name};
    r.node = compose::Merge(base.node, own, path, extends_merge_);
    const Node* base_raw = base_services->Get(ref);
    r.links.push_back(
        {"", {}, ref, base_file, base_key->line, std::max(base_key->line, LastLine(base_raw))});
    for (const ExtendsLink& l : base.links) r.links.push_back(l);
    resolved_[{services, name}] = r;
    return r;
  }

  // A base extended by several services is parsed once per service.
  void DropDuplicateFindings() {
    std::set<std::tuple<std::string, std::string, int, int, std::string>> seen;
    std::erase_if(findings_, [&](const LoadFinding& f) {
      return !seen.emplace(f.code, f.loc.file, f.loc.line, f.loc.column, f.message).second;
    });
  }

  const ComposeLoadInput& in_;
  ComposeProject& out_;
  std::vector<VarUse>& uses_;
  std::vector<LoadFinding>& findings_;
  ComposeContexts contexts_;
  compose::MergeContext merge_;
  compose::MergeContext extends_merge_;
  std::set<const SourceFile*> registered_;
  std::map<std::pair<const Node*, std::string>, Resolved> resolved_;
  std::vector<ExtendsLink> links_;
};

}  // namespace

void LoadComposeModel(const ComposeLoadInput& input, ComposeProject& out, std::vector<VarUse>& uses,
                      std::vector<LoadFinding>& findings) {
  ModelBuilder(input, out, uses, findings).Run();
}

std::vector<std::string> SplitProfiles(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item =
        text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end())
      out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

void ApplyProfiles(ComposeProject& project, std::vector<std::string> active, std::string from) {
  bool all = std::find(active.begin(), active.end(), "*") != active.end();
  for (ComposeService& s : project.services) {
    s.starts = s.profiles.empty() || all ||
               std::any_of(s.profiles.begin(), s.profiles.end(), [&](const std::string& p) {
                 return std::find(active.begin(), active.end(), p) != active.end();
               });
  }
  project.active_profiles = std::move(active);
  project.profiles_from = std::move(from);
}

}  // namespace obslint
