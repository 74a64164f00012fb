#include "parse/compose.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <span>
#include <unordered_set>

#include "model/suggest.h"
#include "parse/compose_merge.h"
#include "parse/parsers.h"

namespace obslint {
namespace {

using yaml::Node;

constexpr std::string_view kServiceKeys[] = {
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup",
    "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent",
    "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset",
    "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns",
    "dns_opt", "dns_search", "domainname", "driver_opts", "entrypoint", "env_file", "environment",
    "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
    "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging",
    "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models",
    "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit",
    "platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "provider",
    "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
    "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs",
    "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from",
    "working_dir"};

constexpr std::string_view kTopLevelKeys[] = {"version", "name",    "include", "services", "networks",
                                              "volumes", "secrets", "configs", "models"};

bool Contains(std::span<const std::string_view> keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// "; did you mean \"restart\"?" when one of `keys` is close to `key`, else "".
std::string DidYouMean(std::string_view key, std::span<const std::string_view> keys) {
  const std::string closest = ClosestKey(key, std::vector<std::string_view>(keys.begin(), keys.end()));
  return closest.empty() ? "" : fmt::format("; did you mean \"{}\"?", closest);
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Parses "8080" or "8080-8090" into [start, end].
bool ParseRange(std::string_view s, int& start, int& end, std::string& error) {
  size_t dash = s.find('-');
  std::string_view a = s.substr(0, dash);
  std::string_view b = dash == std::string_view::npos ? a : s.substr(dash + 1);
  if (!ParseInt(a, start) || !ParseInt(b, end)) {
    error = fmt::format("\"{}\" is not a port number or range", s);
    return false;
  }
  if (start < 1 || start > 65535 || end < 1 || end > 65535) {
    error = fmt::format("port {} is out of range 1-65535", (start < 1 || start > 65535) ? start : end);
    return false;
  }
  if (end < start) {
    error = fmt::format("port range \"{}\" ends before it starts", s);
    return false;
  }
  return true;
}

class ComposeParser {
 public:
  ComposeParser(const ComposeContexts& contexts, ComposeParseResult& out,
                std::vector<LoadFinding>& findings)
      : contexts_(contexts), out_(out), findings_(findings) {}

  void Run(const Node* root) {
    if (root == nullptr || root->IsNull()) return;
    if (!root->IsMap()) {
      WrongType(root, "compose file", "a mapping");
      return;
    }
    for (const auto& [k, v] : root->entries) {
      if (!k->IsScalar()) continue;
      const std::string& key = k->scalar;
      if (key == "version") {
        out_.version_keys.push_back(Loc(k));
      } else if (key == "name") {
        out_.name = LStr(v);
      } else if (key == "services") {
        Services(v);
      } else if (key == "networks") {
        Decls(v, "networks", out_.networks);
      } else if (key == "volumes") {
        Decls(v, "volumes", out_.volumes);
      } else if (key == "secrets") {
        Decls(v, "secrets", out_.secrets);
      } else if (key == "configs") {
        Decls(v, "configs", out_.configs);
      } else if (key == "include") {
        Includes(v);
      } else if (!key.starts_with("x-") && !Contains(kTopLevelKeys, key)) {
        Unknown(k, fmt::format("unknown top-level key \"{}\" in compose file{}", key, DidYouMean(key, kTopLevelKeys)),
                "top-level keys are version, name, include, services, networks, volumes, "
                "secrets, configs and x-* extensions");
      }
    }
  }

 private:
  const ComposeFileContext& Context(const Node* n) const { return contexts_.For(n); }
  const std::string& File(const Node* n) const {
    const std::string& origin = yaml::FileOf(n);
    return origin.empty() ? Context(n).file : origin;
  }
  const std::string& Dir(const Node* n) const { return Context(n).dir; }
  const VarLookup& Lookup(const Node* n) const { return Context(n).lookup; }
  Location Loc(const Node* n) const { return yaml::LocationOf(n, File(n)); }

  Interpolated Str(const Node* n) {
    if (n == nullptr || !n->IsScalar()) return {};
    return Interpolate(n->scalar, Lookup(n));
  }

  Located<std::string> LStr(const Node* n) {
    if (n == nullptr || !n->IsScalar()) return {};
    return Located<std::string>(Str(n).resolved, Loc(n));
  }

  void WrongType(const Node* n, std::string_view what, std::string_view expected) {
    ReportWrongType(n, File(n), what, expected, findings_);
  }

  void Unknown(const Node* key, std::string message, std::string help) {
    LoadFinding f;
    f.code = "OBS104";
    f.loc = Loc(key);
    f.message = std::move(message);
    f.help = std::move(help);
    findings_.push_back(std::move(f));
  }

  void Decls(const Node* v, std::string_view what, std::vector<TopLevelDecl>& out) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsMap()) {
      WrongType(v, what, "a mapping");
      return;
    }
    for (const auto& [k, def] : v->entries) {
      if (!k->IsScalar()) continue;
      TopLevelDecl d;
      d.name = k->scalar;
      d.loc = Loc(k);
      if (def && def->IsMap()) {
        const Node* ext = def->Get("external");
        d.external = ext && (ext->IsTrue() || ext->IsMap());
        if (const Node* file = def->Get("file"); file && file->IsScalar()) {
          Interpolated path = Str(file);
          if (!path.unresolved && !path.resolved.empty()) d.file = JoinPath(Dir(file), path.resolved);
        }
        // The local driver's bind of a host directory (mount -o bind).
        const Node* opts = def->Get("driver_opts");
        const Node* device = opts && opts->IsMap() ? opts->Get("device") : nullptr;
        const Node* o = opts && opts->IsMap() ? opts->Get("o") : nullptr;
        if (device && device->IsScalar() && o && o->IsScalar()) {
          Interpolated dev = Str(device);
          Interpolated flags = Str(o);
          // Compose resolves a relative device only for exactly `o: bind`
          // (compose-go paths/resolve.go, v2.13.0).
          if (flags.resolved == "bind" && !dev.resolved.empty()) {
            d.bind_device = dev.resolved;
            d.bind_device_loc = Loc(device);
            if (!dev.unresolved) d.bind_device_path = JoinPath(Dir(device), dev.resolved);
          }
        }
      }
      out.push_back(std::move(d));
    }
  }

  void Includes(const Node* v) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsSequence()) {
      WrongType(v, "include", "a list");
      return;
    }
    for (const Node* item : v->items) {
      if (item->IsScalar()) {
        out_.includes.push_back(LStr(item));
      } else if (item->IsMap()) {
        const Node* p = item->Get("path");
        if (p && p->IsScalar()) out_.includes.push_back(LStr(p));
        if (p && p->IsSequence())
          for (const Node* q : p->items) out_.includes.push_back(LStr(q));
      }
    }
  }

  void Services(const Node* v) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsMap()) {
      WrongType(v, "services", "a mapping of service names to definitions");
      return;
    }
    for (const auto& [k, def] : v->entries) {
      if (!k->IsScalar()) continue;
      ComposeService s;
      s.name = k->scalar;
      s.name_loc = Loc(k);
      s.compose_file = File(k);
      s.compose_dir = Dir(k);
      s.node = def;
      if (def != nullptr && !def->IsNull()) {
        if (!def->IsMap()) {
          WrongType(def, "services." + s.name, "a mapping");
          continue;
        }
        Service(def, s);
      }
      out_.services.push_back(std::move(s));
    }
  }

  void Service(const Node* def, ComposeService& s) {
    for (const auto& [k, v] : def->entries) {
      if (!k->IsScalar()) continue;
      const std::string& key = k->scalar;
      std::string path = "services." + s.name + "." + key;
      if (key == "image") {
        Image(v, s);
      } else if (key == "build") {
        s.has_build = true;
      } else if (key == "command") {
        s.command_present = true;
        s.command_loc = Loc(v);
        Words(v, path, s.command);
      } else if (key == "entrypoint") {
        s.entrypoint_loc = Loc(v);
        Words(v, path, s.entrypoint);
      } else if (key == "environment") {
        Environment(v, path, s);
      } else if (key == "env_file") {
        EnvFiles(v, path, s);
      } else if (key == "ports") {
        Ports(v, path, s);
      } else if (key == "expose") {
        if (v && v->IsSequence()) {
          for (const Node* item : v->items) s.expose.push_back(LStr(item));
        } else if (v && !v->IsNull()) {
          WrongType(v, path, "a list");
        }
      } else if (key == "volumes") {
        Volumes(v, path, s);
      } else if (key == "networks") {
        Networks(v, path, s);
      } else if (key == "network_mode") {
        s.network_mode = LStr(v);
      } else if (key == "depends_on") {
        DependsOnList(v, path, s);
      } else if (key == "healthcheck") {
        HealthcheckDef(v, path, s);
      } else if (key == "container_name") {
        s.container_name = LStr(v);
      } else if (key == "hostname") {
        s.hostname = LStr(v);
      } else if (key == "mem_limit") {
        s.has_memory_limit = v && v->IsScalar();
      } else if (key == "cpus") {
        s.has_cpu_limit = v && v->IsScalar();
      } else if (key == "deploy") {
        Deploy(v, s);
      } else if (key == "profiles") {
        s.profiles_loc = Loc(k);
        if (v && v->IsSequence()) {
          for (const Node* p : v->items)
            if (p->IsScalar()) s.profiles.push_back(Str(p).resolved);
        } else if (v && !v->IsNull()) {
          WrongType(v, path, "a list");
        }
      } else if (!key.starts_with("x-") && !Contains(kServiceKeys, key)) {
        Unknown(k, fmt::format("unknown key \"{}\" in service \"{}\"{}", key, s.name, DidYouMean(key, kServiceKeys)),
                "see the Compose specification for service keys; custom data goes under an x- key");
      }
    }
  }

  void Image(const Node* v, ComposeService& s) {
    if (v == nullptr || !v->IsScalar()) {
      if (v && !v->IsNull()) WrongType(v, "services." + s.name + ".image", "a string");
      return;
    }
    s.image.text = LStr(v);
    std::string ref = s.image.text.value;
    size_t at = ref.find('@');
    if (at != std::string::npos) {
      s.image.digest = ref.substr(at + 1);
      ref.resize(at);
    }
    size_t colon = ref.rfind(':');
    size_t slash = ref.rfind('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      s.image.tag = ref.substr(colon + 1);
      ref.resize(colon);
    }
    s.image.repository = ref;
  }

  void Words(const Node* v, const std::string& path, std::vector<Located<std::string>>& out) {
    if (v == nullptr || v->IsNull()) return;
    if (v->IsSequence()) {
      for (const Node* item : v->items) {
        if (item->IsScalar()) out.push_back(LStr(item));
        else WrongType(item, path + " item", "a string");
      }
      return;
    }
    if (!v->IsScalar()) {
      WrongType(v, path, "a string or a list");
      return;
    }
    std::string resolved = Str(v).resolved;
    std::vector<size_t> offsets;
    std::vector<std::string> words = SplitShellWords(resolved, &offsets);
    bool exact = !v->quoted && v->scalar == resolved && resolved.find('\n') == std::string::npos;
    for (size_t i = 0; i < words.size(); ++i) {
      Location loc = Loc(v);
      if (exact) {
        loc.column = v->column + static_cast<int>(offsets[i]);
        loc.end_line = v->line;
        loc.end_column = loc.column + static_cast<int>(words[i].size());
      }
      out.push_back(Located<std::string>(words[i], loc));
    }
  }

  void Environment(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    if (v->IsSequence()) {
      for (const Node* item : v->items) {
        if (!item->IsScalar()) {
          WrongType(item, path + " item", "a \"KEY=VALUE\" string");
          continue;
        }
        EnvVar e;
        const std::string& text = item->scalar;
        size_t eq = text.find('=');
        Location loc = Loc(item);
        int col = item->column + (item->quoted ? 1 : 0);
        e.key = text.substr(0, eq);
        e.key_loc = Location{File(item), item->line, col, item->line, col + static_cast<int>(e.key.size())};
        if (eq != std::string::npos) {
          e.has_value = true;
          e.value = Interpolate(std::string_view(text).substr(eq + 1), Lookup(item));
          e.value_loc = Location{File(item), item->line, col + static_cast<int>(eq) + 1, item->line,
                                 col + static_cast<int>(text.size())};
          if (text.find('\n') != std::string::npos) e.value_loc = loc;
        } else {
          const std::string* shell = Lookup(item)(e.key);
          if (shell) {
            e.has_value = true;
            e.value.raw = e.value.resolved = *shell;
          }
          e.value_loc = loc;
        }
        s.environment.push_back(std::move(e));
      }
      return;
    }
    if (!v->IsMap()) {
      WrongType(v, path, "a mapping or a list");
      return;
    }
    for (const auto& [k, val] : v->entries) {
      if (!k->IsScalar()) continue;
      EnvVar e;
      e.key = k->scalar;
      e.key_loc = Loc(k);
      e.value_loc = Loc(val);
      if (val && val->IsScalar()) {
        e.has_value = true;
        e.value = Interpolate(val->scalar, Lookup(val));
      } else if (val == nullptr || val->IsNull()) {
        const std::string* shell = Lookup(k)(e.key);
        if (shell) {
          e.has_value = true;
          e.value.raw = e.value.resolved = *shell;
        }
      } else {
        WrongType(val, path + "." + e.key, "a string, number or boolean");
        continue;
      }
      s.environment.push_back(std::move(e));
    }
  }

  // A host path, absolute: relative to the directory of the file that wrote it.
  Located<std::string> LPath(const Node* n) {
    Located<std::string> value = LStr(n);
    if (!value.value.empty()) value.value = JoinPath(Dir(n), value.value);
    return value;
  }

  void EnvFiles(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    if (v->IsScalar()) {
      s.env_files.push_back(LPath(v));
      return;
    }
    if (!v->IsSequence()) {
      WrongType(v, path, "a string or a list");
      return;
    }
    for (const Node* item : v->items) {
      if (item->IsScalar()) s.env_files.push_back(LPath(item));
      else if (item->IsMap() && item->Get("path")) {
        const Node* req = item->Get("required");
        if (req && req->IsScalar() && !req->IsTrue()) continue;  // optional: may be absent
        s.env_files.push_back(LPath(item->Get("path")));
      }
    }
  }

  void Ports(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsSequence()) {
      WrongType(v, path, "a list");
      return;
    }
    for (const Node* item : v->items) {
      if (item->IsScalar()) {
        PortMapping p = ParsePortSpec(Str(item).resolved);
        p.loc = Loc(item);
        s.ports.push_back(std::move(p));
      } else if (item->IsMap()) {
        PortMapping p;
        p.loc = Loc(item);
        const Node* target = item->Get("target");
        if (target == nullptr || !target->IsScalar()) {
          p.valid = false;
          p.error = "long-syntax port has no \"target\"";
          if (target) p.loc = Loc(target);
        } else if (!ParseRange(Str(target).resolved, p.container_start, p.container_end, p.error)) {
          p.valid = false;
          p.loc = Loc(target);
        }
        if (const Node* pub = item->Get("published"); pub && pub->IsScalar() && p.valid) {
          std::string text = Str(pub).resolved;
          if (!text.empty() && !ParseRange(text, p.host_start, p.host_end, p.error)) {
            p.valid = false;
            p.loc = Loc(pub);
          }
        }
        if (const Node* ip = item->Get("host_ip"); ip && ip->IsScalar()) p.host_ip = Str(ip).resolved;
        if (const Node* proto = item->Get("protocol"); proto && proto->IsScalar())
          p.protocol = Str(proto).resolved;
        p.raw = fmt::format("{}", p.container_start);
        s.ports.push_back(std::move(p));
      } else {
        WrongType(item, path + " item", "a string, number or mapping");
      }
    }
  }

  void Volumes(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsSequence()) {
      WrongType(v, path, "a list");
      return;
    }
    for (const Node* item : v->items) {
      VolumeMount m;
      if (item->IsScalar()) {
        m = ParseVolumeSpec(Str(item).resolved);
        m.loc = Loc(item);
        m.source_loc = m.loc;
        if (!item->quoted && item->scalar == m.raw) {
          m.source_loc.end_line = item->line;
          m.source_loc.end_column = item->column + static_cast<int>(m.source.size());
        }
      } else if (item->IsMap()) {
        m.loc = Loc(item);
        const Node* type = item->Get("type");
        m.type = type && type->IsScalar() ? Str(type).resolved : "volume";
        if (const Node* src = item->Get("source"); src && src->IsScalar()) {
          m.source = Str(src).resolved;
          m.source_loc = Loc(src);
        } else {
          m.source_loc = m.loc;
        }
        if (const Node* t = item->Get("target"); t && t->IsScalar()) m.target = Str(t).resolved;
        if (const Node* ro = item->Get("read_only")) m.read_only = ro->IsTrue();
        m.raw = m.source + ":" + m.target;
      } else {
        WrongType(item, path + " item", "a string or a mapping");
        continue;
      }
      if (m.type == "bind" && !m.source.empty()) {
        std::string src = m.source;
        if (src.starts_with("~")) {
          m.host_path.clear();  // home directory: outside the stack, not judged
        } else {
          m.host_path = JoinPath(Dir(item), src);
        }
      }
      s.volumes.push_back(std::move(m));
    }
  }

  // Compose's "list of names or mapping of name to definition" fields
  // (networks, depends_on): calls fn(name, definition-or-null) per entry.
  template <typename Fn>
  void ForEachNamed(const Node* v, const std::string& path, std::string_view item_kind, Fn&& fn) {
    if (v->IsSequence()) {
      for (const Node* item : v->items) {
        if (!item->IsScalar()) {
          WrongType(item, path + " item", item_kind);
          continue;
        }
        fn(LStr(item), nullptr);
      }
      return;
    }
    if (!v->IsMap()) {
      WrongType(v, path, "a list or a mapping");
      return;
    }
    for (const auto& [k, def] : v->entries) {
      if (!k->IsScalar()) continue;
      fn(Located<std::string>(k->scalar, Loc(k)),
         def && def->IsMap() ? def : nullptr);
    }
  }

  void Networks(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    s.networks_declared = true;
    ForEachNamed(v, path, "a network name", [&](Located<std::string> name, const Node* def) {
      ServiceNetwork n;
      n.name = std::move(name);
      if (def != nullptr)
        if (const Node* aliases = def->Get("aliases"); aliases && aliases->IsSequence())
          for (const Node* a : aliases->items)
            if (a->IsScalar()) n.aliases.push_back(LStr(a));
      s.networks.push_back(std::move(n));
    });
  }

  void DependsOnList(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    ForEachNamed(v, path, "a service name", [&](Located<std::string> name, const Node* def) {
      DependsOn d;
      d.service = std::move(name);
      if (def != nullptr) {
        if (const Node* c = def->Get("condition"); c && c->IsScalar()) {
          d.condition = Str(c).resolved;
          d.condition_loc = Loc(c);
        }
        if (const Node* req = def->Get("required"); req && req->IsScalar()) d.required = req->IsTrue();
      }
      s.depends_on.push_back(std::move(d));
    });
  }

  void HealthcheckDef(const Node* v, const std::string& path, ComposeService& s) {
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsMap()) {
      WrongType(v, path, "a mapping");
      return;
    }
    s.healthcheck.present = true;
    s.healthcheck.loc = Loc(v);
    if (const Node* d = v->Get("disable"); d && d->IsTrue()) s.healthcheck.disabled = true;
    const Node* test = v->Get("test");
    if (test == nullptr) return;
    s.healthcheck.loc = Loc(test);
    if (test->IsSequence()) {
      for (size_t i = 0; i < test->items.size(); ++i) {
        const Node* item = test->items[i];
        if (!item->IsScalar()) continue;
        if (i == 0) {
          s.healthcheck.test_form = item->scalar;
          continue;
        }
        s.healthcheck.test.push_back(LStr(item));
      }
      if (s.healthcheck.test_form == "NONE") s.healthcheck.disabled = true;
    } else if (test->IsScalar()) {
      s.healthcheck.test_form = "";
      s.healthcheck.test.push_back(LStr(test));
    }
  }

  void Deploy(const Node* v, ComposeService& s) {
    if (v == nullptr || !v->IsMap()) return;
    const Node* res = v->Get("resources");
    const Node* limits = res ? res->Get("limits") : nullptr;
    if (limits && limits->IsMap()) {
      if (limits->Get("memory")) s.has_memory_limit = true;
      if (limits->Get("cpus")) s.has_cpu_limit = true;
    }
  }

  const ComposeContexts& contexts_;
  ComposeParseResult& out_;
  std::vector<LoadFinding>& findings_;
};

}  // namespace

PortMapping ParsePortSpec(std::string_view spec) {
  PortMapping p;
  p.raw = std::string(spec);
  std::string_view s = spec;
  size_t slash = s.rfind('/');
  if (slash != std::string_view::npos) {
    p.protocol = std::string(s.substr(slash + 1));
    s = s.substr(0, slash);
    if (p.protocol != "tcp" && p.protocol != "udp" && p.protocol != "sctp") {
      p.valid = false;
      p.error = fmt::format("unknown protocol \"{}\" (tcp, udp or sctp)", p.protocol);
      return p;
    }
  }
  // Host IP: IPv6 in brackets, or everything before the second-to-last ':'.
  if (s.starts_with("[")) {
    size_t close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      p.valid = false;
      p.error = "malformed IPv6 host address";
      return p;
    }
    p.host_ip = std::string(s.substr(1, close - 1));
    s = s.substr(close + 2);
  }
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ':') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  std::string_view host_port, container;
  if (parts.size() == 1) {
    container = parts[0];
  } else if (parts.size() == 2) {
    host_port = parts[0];
    container = parts[1];
  } else if (parts.size() == 3 && p.host_ip.empty()) {
    p.host_ip = std::string(parts[0]);
    host_port = parts[1];
    container = parts[2];
  } else {
    p.valid = false;
    p.error = fmt::format("\"{}\" is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]", spec);
    return p;
  }
  if (!ParseRange(container, p.container_start, p.container_end, p.error)) {
    p.valid = false;
    return p;
  }
  if (host_port.empty()) {
    p.published_random = parts.size() == 1 || parts.size() == 3;
    if (parts.size() == 1) p.published_random = true;
    return p;
  }
  if (!ParseRange(host_port, p.host_start, p.host_end, p.error)) {
    p.valid = false;
    return p;
  }
  int host_len = p.host_end - p.host_start;
  int container_len = p.container_end - p.container_start;
  if (host_len != container_len && container_len != 0) {
    p.valid = false;
    p.error = fmt::format("host range {} and container range {} have different lengths", host_port,
                          container);
  }
  return p;
}

VolumeMount ParseVolumeSpec(std::string_view spec) {
  VolumeMount m;
  m.raw = std::string(spec);
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= spec.size(); ++i) {
    if (i == spec.size() || spec[i] == ':') {
      parts.push_back(spec.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() == 1) {
    m.type = "volume";  // anonymous volume
    m.target = std::string(parts[0]);
    return m;
  }
  m.source = std::string(parts[0]);
  m.target = std::string(parts[1]);
  if (parts.size() >= 3) {
    std::string_view mode = parts[2];
    size_t pos = 0;
    while (pos <= mode.size()) {
      size_t comma = mode.find(',', pos);
      std::string_view opt = mode.substr(pos, comma == std::string_view::npos ? mode.npos : comma - pos);
      if (opt == "ro") m.read_only = true;
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  bool path_like = m.source.starts_with(".") || m.source.starts_with("/") || m.source.starts_with("~");
  m.type = path_like ? "bind" : "volume";
  return m;
}

std::vector<std::string> SplitShellWords(std::string_view text, std::vector<size_t>* offsets) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  size_t word_start = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < text.size()) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) {
        words.push_back(cur);
        if (offsets) offsets->push_back(word_start);
        cur.clear();
        in_word = false;
      }
      continue;
    }
    if (!in_word) {
      in_word = true;
      word_start = i;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '\\' && i + 1 < text.size()) cur += text[++i];
    else cur += c;
  }
  if (in_word) {
    words.push_back(cur);
    if (offsets) offsets->push_back(word_start);
  }
  return words;
}

std::string JoinPath(const std::string& base, std::string_view rel) {
  std::string joined = rel.starts_with("/") ? std::string(rel) : base + "/" + std::string(rel);
  std::vector<std::string_view> parts;
  std::string_view s = joined;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t slash = s.find('/', pos);
    std::string_view part = s.substr(pos, slash == std::string_view::npos ? s.npos : slash - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

const ComposeFileContext& ComposeContexts::For(const yaml::Node* node) const {
  static const ComposeFileContext kNone;
  if (contexts_.empty()) return kNone;
  const yaml::Origin* origin = node != nullptr ? node->origin : nullptr;
  for (const auto& [o, c] : contexts_)
    if (o == origin) return c;
  return contexts_.front().second;
}

void ComposeContexts::Set(const yaml::Origin* origin, ComposeFileContext context) {
  for (const auto& [o, c] : contexts_)
    if (o == origin) return;
  contexts_.emplace_back(origin, std::move(context));
}

const ComposeFileContext* ComposeContexts::Find(const yaml::Origin* origin) const {
  for (const auto& [o, c] : contexts_)
    if (o == origin) return &c;
  return nullptr;
}

void RecordComposeVariables(const SourceFile& file, const VarLookup& lookup,
                            std::vector<VarUse>& uses, std::vector<LoadFinding>& findings) {
  const Node* root = file.yaml.root;
  if (root == nullptr) return;
  // Every scalar once: aliases are shared nodes, and the visited set keeps
  // alias bombs linear.
  std::unordered_set<const Node*> visited;
  visited.reserve(file.yaml.arena.size());
  std::vector<const Node*> stack{root};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (!visited.insert(n).second) continue;
    if (n->IsScalar()) {
      if (n->scalar.find('$') == std::string::npos) continue;
      std::vector<VarRef> refs;
      CollectVariables(n->scalar, refs);
      std::vector<InterpolationProblem> problems;
      Interpolate(n->scalar, lookup, &problems);
      for (auto& p : problems) {
        if (p.type != InterpolationProblem::Type::kSyntax) continue;
        ReportInvalid(n, file.path,
                      fmt::format("{} (Compose refuses to interpolate this value)", p.message),
                      findings)
            .help = "write a literal '$' as '$$'";
      }
      for (VarRef& r : refs) uses.push_back(VarUse{std::move(r), yaml::LocationOf(n, file.path), true});
    } else if (n->IsSequence()) {
      for (auto it = n->items.rbegin(); it != n->items.rend(); ++it) stack.push_back(*it);
    } else if (n->IsMap()) {
      for (auto it = n->entries.rbegin(); it != n->entries.rend(); ++it) stack.push_back(it->second);
    }
  }
}

void ParseComposeModel(const yaml::Node* root, const ComposeContexts& contexts,
                       ComposeParseResult& out, std::vector<LoadFinding>& findings) {
  ComposeParser(contexts, out, findings).Run(root);
}

void ParseComposeFile(const SourceFile& file, const std::string& dir, const VarLookup& lookup,
                      ComposeParseResult& out, std::vector<VarUse>& uses,
                      std::vector<LoadFinding>& findings) {
  RecordComposeVariables(file, lookup, uses, findings);
  ComposeContexts contexts;
  contexts.Set(file.yaml.origin.get(), ComposeFileContext{file.path, dir, lookup});
  std::deque<yaml::Node> arena;
  compose::MergeContext merge{&arena, nullptr};
  ParseComposeModel(compose::ApplyTags(file.yaml.root, merge), contexts, out, findings);
}

}  // namespace obslint
