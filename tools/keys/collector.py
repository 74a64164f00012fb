#!/usr/bin/env python3
"""Generate knowledge/keys/collector.yaml, the OpenTelemetry Collector key table.

Usage (snapshots are local git directories; nothing is read from the network):

  tools/keys/collector.py \\
      --core    /work/.mirror/open-telemetry+opentelemetry-collector/repo \\
      --contrib /work/.mirror/amazon-contributing+opentelemetry-collector-contrib/repo \\
      -o knowledge/keys/collector.yaml

  --core     a git directory of open-telemetry/opentelemetry-collector holding
             the release tags v0.80.0 ... (every tag from 0.80.0 on is read);
  --contrib  a git directory holding the upstream commits of
             open-telemetry/opentelemetry-collector-contrib that its release
             tags point to (the commits are pinned in collector-overlay.yaml,
             `contrib_releases`, so a fork carrying upstream history will do:
             the amazon-contributing fork has every release up to 0.115.0).

How the keys are found. Collector components decode their configuration with
mapstructure and reject unknown keys, so the accepted keys are the
`mapstructure:"name"` tags of each component's config struct, read at each
release tag with `git show`: `,squash` embedded structs are flattened,
`mapstructure:"-"` and unexported fields skipped, `,remain` opens the map,
pointers and configoptional.Optional[T] are maps of T, []T lists,
map[string]T maps whose values are T, time.Duration `duration`, types with an
UnmarshalText method strings. A type with its own Unmarshal(*confmap.Conf) is
opened (any key, nothing checked) unless the overlay (`unmarshalers`) says,
after reading that method, which keys it accepts. Before 0.92.0 a nested
conf.Unmarshal() ignored unknown keys unless told otherwise, and the tool
applies that. External types (outside the two repositories) are `any`.

Each release gives one tree per component; the trees of all releases are
merged into one table where every key carries the first release that accepts
it (`since`) and the first that no longer does (`until`). Named structs used
in more than one place become `types` entries (`ref`), keyed by their newest
Go name (deprecated aliases link the old names). Facts the sources cannot show
come from tools/keys/collector-overlay.yaml. Same snapshots, same output.
"""
import argparse
import os
import re
import subprocess
import sys
from collections import OrderedDict

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golang  # noqa: E402

CORE_MOD = "go.opentelemetry.io/collector"
CONTRIB_MOD = "github.com/open-telemetry/opentelemetry-collector-contrib"
CORE_URL = "https://github.com/open-telemetry/opentelemetry-collector"
CONTRIB_URL = "https://github.com/open-telemetry/opentelemetry-collector-contrib"
GOCONTRIB_MOD = "go.opentelemetry.io/contrib"
GOCONTRIB_TAGS = set()  # (tag, module dir) read, for the sources
FIRST = (0, 80, 0)


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def vstr(k):
    return "%d.%d.%d" % k


# --------------------------------------------------------------------------
# git access


class Git:
    def __init__(self, gitdir):
        self.gitdir = gitdir
        self.proc = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.trees = {}

    def run(self, *args):
        return subprocess.run(["git", "--git-dir", self.gitdir] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def has(self, ref):
        return subprocess.run(["git", "--git-dir", self.gitdir, "rev-parse", "-q", "--verify", ref + "^{commit}"],
                              capture_output=True).returncode == 0

    def tree(self, ref):
        """{dir: {file name: blob sha}} of the .go and metadata files of ref."""
        if ref not in self.trees:
            dirs = {}
            out = self.run("ls-tree", "-r", ref)
            for line in out.splitlines():
                meta, path = line.split("\t", 1)
                if not (path.endswith(".go") or path.endswith("go.mod")) or path.endswith("_test.go"):
                    continue
                d, _, f = path.rpartition("/")
                dirs.setdefault(d, {})[f] = meta.split()[2]
            self.trees[ref] = dirs
        return self.trees[ref]

    def tree_all(self, ref):
        return self.tree(ref)

    def blob(self, sha):
        self.proc.stdin.write((sha + "\n").encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        size = int(header[2])
        data = self.proc.stdout.read(size + 1)[:-1]
        return data.decode("utf-8", "replace")


# --------------------------------------------------------------------------
# packages


class Package:
    def __init__(self, repo, ref, dir_, files, git):
        self.repo, self.ref, self.dir = repo, ref, dir_
        self.name = ""
        self.decls = {}
        self.methods = {}
        self.bodies = {}
        self.imports = {}  # file -> {ident: path}
        self.type_literals = set()
        for fname in sorted(files):
            if not fname.endswith(".go"):
                continue
            src = git.blob(files[fname])
            if "//go:build ignore" in src[:2000]:
                continue
            pkg, imports, decls, methods, bodies = parse_cached(files[fname], src, fname)
            if pkg.endswith("_test") or pkg == "main" and self.name:
                continue
            self.name = self.name or pkg
            self.imports[fname] = imports
            for d in decls:
                if d.name in self.decls and self.decls[d.name].type[0] == "struct" and d.type[0] == "struct":
                    # the same type under different build tags: accept the keys of both
                    merged = list(self.decls[d.name].type[1]) + [f for f in d.type[1] if f.name not in
                                                                 {x.name for x in self.decls[d.name].type[1]}]
                    d = golang.TypeDecl(d.name, d.params, ("struct", merged), d.alias, d.file)
                self.decls[d.name] = d
            for t, ms in methods.items():
                self.methods.setdefault(t, set()).update(ms)
            self.bodies.update(bodies)
            for m in re.finditer(r'(?:MustNewType|NewType|typeStr|TypeStr|\bType|DeprecatedType)\s*(?:\(|=)\s*(?:component\.Type\()?"([a-z0-9_]+)"', src):
                self.type_literals.add(m.group(1))
            for m in re.finditer(r'component\.Type\s*=\s*"([a-z0-9_]+)"', src):
                self.type_literals.add(m.group(1))


_parse_cache = {}


def parse_cached(sha, src, fname):
    if sha not in _parse_cache:
        _parse_cache[sha] = golang.parse_file(src, fname)
    pkg, imports, decls, methods, bodies = _parse_cache[sha]
    for d in decls:
        d.file = fname
    return pkg, imports, decls, methods, bodies


class Release:
    """The sources of one collector release: core and (optionally) contrib refs."""

    def __init__(self, version, core, core_ref, contrib, contrib_ref, gocontrib):
        self.version = version
        self.core, self.core_ref = core, core_ref
        self.contrib, self.contrib_ref = contrib, contrib_ref
        self.gocontrib = gocontrib
        self.pkgs = {}
        self.gomods = {}

    def requires(self, repo, dir_):
        """Module requirements of the go.mod that holds dir_ (nearest parent)."""
        git, ref = (self.core, self.core_ref) if repo == "core" else (self.contrib, self.contrib_ref)
        d = dir_
        while True:
            key = (repo, d)
            if key in self.gomods:
                return self.gomods[key]
            files = git.tree_all(ref).get(d, {})
            if "go.mod" in files:
                req = dict(re.findall(r"^\s*(?:require\s+)?([\w./-]+)\s+(v[\w.+-]+)", git.blob(files["go.mod"]), re.M))
                self.gomods[key] = req
                return req
            if not d:
                return {}
            d = d.rpartition("/")[0]

    def locate(self, path, importer=None):
        if path == CORE_MOD or path.startswith(CORE_MOD + "/"):
            return "core", path[len(CORE_MOD) + 1:], None
        if path.startswith(CONTRIB_MOD + "/"):
            return "contrib", path[len(CONTRIB_MOD) + 1:], None
        if path.startswith(GOCONTRIB_MOD + "/") and importer is not None and self.gocontrib is not None:
            req = self.requires(importer.repo, importer.dir)
            mods = [m for m in req if path == m or path.startswith(m + "/")]
            if mods:
                mod = max(mods, key=len)
                tag = mod[len(GOCONTRIB_MOD) + 1:] + "/" + req[mod]
                if self.gocontrib.has("refs/tags/" + tag):
                    GOCONTRIB_TAGS.add((tag, path[len(GOCONTRIB_MOD) + 1:].split("/")[0]))
                    return "gocontrib@" + tag, path[len(GOCONTRIB_MOD) + 1:], tag
        return None, None, None

    def package(self, repo, dir_):
        key = (repo, dir_)
        if key not in self.pkgs:
            if repo.startswith("gocontrib@"):
                git, ref = self.gocontrib, "refs/tags/" + repo.split("@", 1)[1]
            else:
                git, ref = (self.core, self.core_ref) if repo == "core" else (self.contrib, self.contrib_ref)
            pkg = None
            if git is not None and ref is not None:
                files = git.tree(ref).get(dir_)
                if files and any(f.endswith(".go") for f in files):
                    pkg = Package(repo, ref, dir_, files, git)
            self.pkgs[key] = pkg
        return self.pkgs[key]

    def import_package(self, path, importer=None):
        repo, dir_, _ = self.locate(path, importer)
        if repo is None:
            return None
        return self.package(repo, dir_)


# --------------------------------------------------------------------------
# resolution of Go types into key-table nodes (one release)

# A per-release node is a dict, as in the table, plus "_go" (the canonical Go
# name of a named struct) on maps built from one. Named structs are kept as
# {"ref": canon} and their bodies in Resolver.shapes.

BUILTIN = {
    "string": "string", "bool": "bool", "byte": "int", "rune": "int",
    "int": "int", "int8": "int", "int16": "int", "int32": "int", "int64": "int",
    "uint": "int", "uint8": "int", "uint16": "int", "uint32": "int", "uint64": "int", "uintptr": "int",
    "float32": "float", "float64": "float",
}


class Resolver:
    def __init__(self, release, overlay, aliases):
        self.rel = release
        self.overlay = overlay
        self.aliases = aliases  # canon -> canon (old name -> new name), shared by all releases
        self.shapes = {}  # canon -> node
        self.stack = []
        self.unmarshalers = overlay.get("unmarshalers") or {}
        self.opened = set()  # (canon, reason), for the log
        self.lenient_default = vkey(release.version) < (0, 92, 0)

    def canon(self, pkg, name):
        return "%s:%s.%s" % (pkg.repo, pkg.dir, name)

    def qualified(self, pkg, fname, qual):
        imports = pkg.imports.get(fname, {})
        if qual in imports:
            return self.rel.import_package(imports[qual], pkg)
        # an import whose package clause differs from its last path element
        for k, path in imports.items():
            if k.startswith("\0"):
                p = self.rel.import_package(path, pkg)
                if p is not None and p.name == qual:
                    return p
        return None

    def external(self, pkg, fname, qual, name):
        path = pkg.imports.get(fname, {}).get(qual, qual)
        full = path + "." + name
        ext = {
            "time.Duration": {"type": "duration"},
            "time.Time": {"type": "string"},
            "go.uber.org/zap/zapcore.Level": {"type": "string"},
            "go.uber.org/zap.AtomicLevel": {"type": "string"},
            "github.com/prometheus/common/model.Duration": {"type": "prom_duration"},
            "github.com/prometheus/common/model.LabelName": {"type": "string"},
            "regexp.Regexp": {"type": "string"},
        }.get(full)
        return dict(ext) if ext else {"type": "any"}

    def node(self, t, pkg, fname, bind=None):
        bind = bind or {}
        kind = t[0]
        if kind == "ptr":
            return self.node(t[1], pkg, fname, bind)
        if kind == "list":
            inner = t[1]
            if inner[0] == "name" and inner[2] == "byte" and not inner[1]:
                return {"type": "string"}
            return {"type": "list", "items": self.node(inner, pkg, fname, bind)}
        if kind == "map":
            return {"type": "map", "values": self.node(t[2], pkg, fname, bind)}
        if kind == "struct":
            return self.struct_node(t[1], pkg, fname, bind, None)
        if kind in ("iface", "unknown"):
            return {"type": "any"}
        if kind in ("func", "chan"):
            return {"type": "any"}
        if kind == "name":
            _, qual, name, args = t
            if not qual and name in bind:
                return bind[name]
            if not qual:
                if name in BUILTIN and name not in pkg.decls:
                    return {"type": BUILTIN[name]}
                if name in ("any", "error") and name not in pkg.decls:
                    return {"type": "any"}
                target = pkg
            else:
                target = self.qualified(pkg, fname, qual)
                if target is None:
                    return self.external(pkg, fname, qual, name)
            argnodes = [self.node(a, pkg, fname, bind) for a in args]
            return self.named(target, name, argnodes)
        return {"type": "any"}

    def named(self, pkg, name, args):
        decl = pkg.decls.get(name)
        if decl is None:
            return {"type": "any"}
        canon = self.canon(pkg, name)
        if canon == "core:config/configoptional.Optional" and args:
            inner = dict(args[0])
            if self.optional_enabled():
                inner = self.with_enabled(inner)
            return inner
        if decl.alias:
            if not decl.params:
                target = self.alias_target(pkg, decl)
                if target:
                    self.aliases.setdefault(canon, target)
            return self.node(decl.type, pkg, decl.file, self.bindings(decl, args))
        methods = pkg.methods.get(name, set())
        if "UnmarshalText" in methods:
            return {"type": "string"}
        unmarshal = "Unmarshal" in methods
        if decl.type[0] == "struct":
            if unmarshal:
                return self.custom(pkg, name, decl, args)
            if args:  # an instantiated generic struct: not shared
                return self.struct_node(decl.type[1], pkg, decl.file, self.bindings(decl, args), canon)
            if canon not in self.shapes:
                if canon in self.stack:
                    return {"type": "any"}  # recursive structure: stop here
                self.stack.append(canon)
                self.shapes[canon] = self.struct_node(decl.type[1], pkg, decl.file, {}, canon)
                self.stack.pop()
            return {"ref": canon}
        if unmarshal:
            return self.custom(pkg, name, decl, args)
        return self.node(decl.type, pkg, decl.file, self.bindings(decl, args))

    def alias_target(self, pkg, decl):
        t = decl.type
        if t[0] != "name":
            return None
        target = pkg if not t[1] else self.qualified(pkg, decl.file, t[1])
        if target is None:
            return None
        return self.canon(target, t[2])

    def bindings(self, decl, args):
        return dict(zip(decl.params, args)) if decl.params else {}

    def optional_enabled(self):
        p = self.rel.package("core", "config/configoptional")
        if p is None:
            return False
        return ("Optional", "Unmarshal") in p.bodies and '"enabled"' in p.bodies[("Optional", "Unmarshal")]

    def with_enabled(self, node):
        """configoptional.Optional[T] accepts `enabled: bool` on top of T's keys."""
        if "ref" in node:
            shape = self.shapes.get(node["ref"])
            if shape is None or shape.get("open") or "keys" not in shape:
                return node
            node = {k: v for k, v in shape.items()}
        if "keys" not in node or node.get("open"):
            return node
        node = dict(node)
        keys = OrderedDict(node["keys"])
        keys["enabled"] = {"type": "bool"}
        node["keys"] = keys
        node.pop("_go", None)
        return node

    def rule_for(self, canon):
        """The overlay's reading of a custom Unmarshal, by package.Type (a
        leading `*/` matches any directory prefix)."""
        short = canon.split(":", 1)[1]
        if short in self.unmarshalers:
            return self.unmarshalers[short]
        for pat, rule in self.unmarshalers.items():
            if pat.startswith("*/") and short.endswith(pat[1:]):
                return rule
        return None

    def custom(self, pkg, name, decl, args):
        """A type with its own Unmarshal(*confmap.Conf)."""
        canon = self.canon(pkg, name)
        rule = self.rule_for(canon)
        body = pkg.bodies.get((name, "Unmarshal"), "")
        if rule is None or rule.get("mode") == "open":
            self.opened.add((canon, "custom Unmarshal" if rule is None else "opened by the overlay"))
            return {"type": "any"} if decl.type[0] != "struct" else {"type": "map", "open": True}
        mode = rule["mode"]
        if mode == "node":
            return copy_node(rule["node"])
        bind = self.bindings(decl, args)
        if decl.type[0] != "struct":
            return self.node(decl.type, pkg, decl.file, bind)
        node = self.struct_node(decl.type[1], pkg, decl.file, bind, None)
        if mode == "union":
            # tries its own struct, then each of these (each strict): any of their keys is accepted
            for other in rule.get("with", []):
                od = pkg.decls.get(other)
                if od is None or od.type[0] != "struct":
                    continue
                alt = self.struct_node(od.type[1], pkg, od.file, {}, None)
                if alt.get("open"):
                    node["open"] = True
                for k, v in alt["keys"].items():
                    node["keys"].setdefault(k, v)
        elif mode != "keys":
            raise SystemExit("unknown unmarshaler mode %r for %s" % (mode, canon))
        lenient = "WithIgnoreUnused" in body or (self.lenient_default and "WithErrorUnused" not in body)
        if lenient and not rule.get("embedded"):
            self.opened.add((canon, "custom Unmarshal ignores unknown keys"))
            node["pattern_keys"] = {".*": {"type": "any"}}
        if canon not in self.shapes and not args:
            self.shapes[canon] = node
        return {"ref": canon} if not args else node

    def struct_node(self, fields, pkg, fname, bind, canon):
        keys = OrderedDict()
        node = {"type": "map", "keys": keys}
        if canon:
            node["_go"] = canon
        for f in fields:
            name, opts = golang.parse_tag(f.tag)
            if name == "-":
                continue
            if "remain" in opts:
                node["open"] = True
                continue
            squash = "squash" in opts
            if not squash and (f.name == "_" or not f.name[:1].isupper()):
                continue
            if squash:
                sub = self.node(f.type, pkg, fname, bind)
                sub = self.expand(sub)
                if sub.get("open"):
                    node["open"] = True
                for k, v in (sub.get("keys") or {}).items():
                    keys.setdefault(k, v)
                if "pattern_keys" in sub:
                    node["pattern_keys"] = sub["pattern_keys"]
                if sub.get("type") == "any":
                    node["open"] = True
                continue
            if f.type[0] in ("func", "chan"):
                continue  # never decoded from a configuration
            key = name if name else f.name
            keys[key] = self.node(f.type, pkg, fname, bind)
        return node

    def expand(self, node):
        if "ref" in node:
            return self.shapes.get(node["ref"], {"type": "any"})
        return node


# --------------------------------------------------------------------------
# merging releases


class Merger:
    """Merges per-release nodes into one node with since/until on keys."""

    def __init__(self, versions):
        self.versions = versions  # ascending list of version strings
        self.index = {v: i for i, v in enumerate(versions)}

    def span(self, present, domain):
        """since/until (or ranges) for a key present in `present`, judged only
        within `domain` (the releases where its container exists)."""
        out = {}
        if set(domain) <= set(present):
            return out
        order = [v for v in self.versions if v in domain]
        runs = []
        cur = None
        for v in order:
            if v in present:
                if cur is None:
                    cur = [v, None]
                    runs.append(cur)
            elif cur is not None:
                cur[1] = v
                cur = None
        if len(runs) == 1:
            a, b = runs[0]
            if a != order[0]:
                out["since"] = a
            if b is not None:
                out["until"] = b
        else:
            out["ranges"] = [[a, b] for a, b in runs]
        return out


# --------------------------------------------------------------------------


def copy_node(n):
    if isinstance(n, dict):
        return OrderedDict((k, copy_node(v)) for k, v in n.items())
    if isinstance(n, list):
        return [copy_node(x) for x in n]
    return n


def load_overlay(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def component_names(pkgs):
    names = set()
    for p in pkgs:
        if p is not None:
            names |= p.type_literals
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--core", required=True)
    ap.add_argument("--contrib", required=True)
    ap.add_argument("--gocontrib", required=True,
                    help="git directory of open-telemetry/opentelemetry-go-contrib (the otelconf/config modules "
                         "that the service telemetry section embeds, at the tags the core go.mod files require)")
    ap.add_argument("--overlay", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "collector-overlay.yaml"))
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--log", default=None, help="write what was opened and why to this file")
    args = ap.parse_args()
    overlay = load_overlay(args.overlay)
    core = Git(args.core)
    contrib = Git(args.contrib)
    gocontrib = Git(args.gocontrib)

    core_tags = sorted({t[1:] for t in core.run("tag", "--list", "v0.*").split()
                        if re.fullmatch(r"v0\.\d+\.\d+", t) and vkey(t) >= FIRST}, key=vkey)
    contrib_pins = {str(k): v for k, v in (overlay.get("contrib_releases") or {}).items()}
    for v, c in contrib_pins.items():
        if not contrib.has(c):
            sys.exit("contrib snapshot lacks %s (release %s)" % (c, v))
    versions = sorted(set(core_tags) | set(contrib_pins), key=vkey)

    def core_ref(v):
        same = [t for t in core_tags if vkey(t)[:2] == vkey(v)[:2] and vkey(t) <= vkey(v)]
        return "v" + same[-1] if same else None

    def contrib_ref(v):
        same = [t for t in contrib_pins if vkey(t)[:2] == vkey(v)[:2] and vkey(t) <= vkey(v)]
        return contrib_pins[max(same, key=vkey)] if same else None

    components = overlay["components"]
    aliases = {}
    per_root = OrderedDict()  # root -> OrderedDict(version -> node)
    shapes_by_version = {}
    opened = set()
    for v in versions:
        rel = Release(v, core, core_ref(v), contrib, contrib_ref(v), gocontrib)
        res = Resolver(rel, overlay, aliases)
        for root, spec in components.items():
            repo = spec["repo"]
            kind, cname = root.split("/", 1)
            dirs = spec["dir"] if isinstance(spec["dir"], list) else [spec["dir"]]
            pkg = tname = None
            for d in dirs:  # the first package that declares the type name and the config struct
                p = rel.package(repo, d)
                if p is None:
                    continue
                names = component_names([p, rel.package(repo, d + "/internal/metadata")])
                if cname not in names:
                    continue
                tname = next((c for c in spec.get("type", ["Config"]) if c in p.decls), None)
                if tname is not None:
                    pkg = p
                    break
            if pkg is None:
                continue
            node = res.named(pkg, tname, [])
            per_root.setdefault(root, OrderedDict())[v] = node
        # the service section and the top level
        svc = rel.package("core", "service")
        if svc is not None:
            tel = None
            for d, t in (("service/telemetry/otelconftelemetry", "Config"), ("service/telemetry", "Config")):
                p = rel.package("core", d)
                if p is not None and t in p.decls:
                    tel = res.named(p, t, [])
                    break
            node = res.named(svc, "Config", [])
            shape = res.shapes[node["ref"]]
            if tel is not None:
                shape["keys"]["telemetry"] = tel
            per_root.setdefault("service", OrderedDict())[v] = node
        otelcol = rel.package("core", "otelcol")
        if otelcol is not None and "configSettings" in otelcol.decls:
            per_root.setdefault("config", OrderedDict())[v] = res.named(otelcol, "configSettings", [])
        shapes_by_version[v] = res.shapes
        opened |= {(c, r, v) for c, r in res.opened}
        sys.stderr.write("%s: core %s contrib %s, %d types\n" % (v, rel.core_ref, (rel.contrib_ref or "-")[:12], len(res.shapes)))

    table = build_table(versions, per_root, shapes_by_version, aliases, overlay)
    write(table, versions, overlay, core_tags, contrib_pins, args.output)
    if args.log:
        with open(args.log, "w") as f:
            seen = {}
            for c, r, v in sorted(opened, key=lambda x: (x[0], vkey(x[2]))):
                seen.setdefault((c, r), []).append(v)
            for (c, r), vs in sorted(seen.items()):
                f.write("%s: %s (%s … %s)\n" % (c, r, vs[0], vs[-1]))


def canon_name(canon, aliases):
    seen = set()
    while canon in aliases and canon not in seen:
        seen.add(canon)
        canon = aliases[canon]
    return canon


def rename_refs(node, aliases):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "ref":
                out[k] = canon_name(v, aliases)
            elif k == "_go":
                out[k] = canon_name(v, aliases)
            else:
                out[k] = rename_refs(v, aliases)
        return out if not isinstance(node, OrderedDict) else OrderedDict(out.items())
    if isinstance(node, list):
        return [rename_refs(x, aliases) for x in node]
    return node


def build_table(versions, per_root, shapes_by_version, aliases, overlay):
    merger = Merger(versions)
    # canonical shapes per version, with old names mapped to the newest
    shapes = {}
    for v in versions:
        for canon, shape in shapes_by_version[v].items():
            c = canon_name(canon, aliases)
            shapes.setdefault(c, OrderedDict())[v] = rename_refs(shape, aliases)
    merger.shapes_by_version = {v: {canon_name(c, aliases): rename_refs(s, aliases) for c, s in shapes_by_version[v].items()}
                                for v in versions}

    def merge_with(per_version):
        # deref needs the release of each node: merge one release at a time
        vs = list(per_version)
        refs = {per_version[v].get("ref") for v in vs}
        if len(refs) == 1 and None not in refs:
            return {"ref": refs.pop()}
        expanded = OrderedDict()
        for v in vs:
            n = per_version[v]
            if "ref" in n:
                n = merger.shapes_by_version[v].get(n["ref"], {"type": "any"})
            expanded[v] = n
        return plain_merge(expanded)

    def plain_merge(per_version):
        vs = list(per_version)
        nodes = [per_version[v] for v in vs]
        types = []
        for n in nodes[::-1]:
            t = n.get("type", "map" if "keys" in n else "any")
            for x in (t if isinstance(t, list) else [t]):
                if x not in types:
                    types.append(x)
        if "any" in types:
            return {"type": "any"}
        out = OrderedDict()
        out["type"] = types[0] if len(types) == 1 else types
        if any(n.get("open") for n in nodes):
            out["open"] = True
        pats = OrderedDict()
        for n in nodes:
            for p, pn in (n.get("pattern_keys") or {}).items():
                pats[p] = pn
        if pats:
            out["pattern_keys"] = pats
        with_keys = [(v, n) for v, n in per_version.items() if "keys" in n]
        if with_keys and not out.get("open"):
            domain = [v for v, _ in with_keys]
            names = []
            for _, n in reversed(with_keys):
                for k in n["keys"]:
                    if k not in names:
                        names.append(k)
            keys = OrderedDict()
            for k in names:
                present = OrderedDict((v, n["keys"][k]) for v, n in with_keys if k in n["keys"])
                child = merge_with(present)
                child = OrderedDict(child)
                child.update(merger.span(list(present), domain))
                keys[k] = child
            out["keys"] = keys
        vals = OrderedDict((v, n["values"]) for v, n in per_version.items() if "values" in n)
        if vals:
            out["values"] = merge_with(vals)
        items = OrderedDict((v, n["items"]) for v, n in per_version.items() if "items" in n)
        if items:
            out["items"] = merge_with(items)
        enums = [n.get("enum") for n in nodes]
        if enums and all(enums):
            allv = []
            for e in enums:
                for x in e:
                    if x not in allv:
                        allv.append(x)
            out["enum"] = allv
        return out

    types = OrderedDict()
    for c in sorted(shapes):
        types[c] = plain_merge(shapes[c])
    roots = OrderedDict()
    for root, pv in per_root.items():
        pv = OrderedDict((v, rename_refs(n, aliases)) for v, n in pv.items())
        node = OrderedDict(merge_with(pv))
        span = merger.span(list(pv), versions)
        node.update(span)
        roots[root] = node
    return {"types": types, "roots": roots}


# --------------------------------------------------------------------------
# output


def write(table, versions, overlay, core_tags, contrib_pins, output):
    types, roots = table["types"], table["roots"]
    # count references; inline types used once, name the rest
    counts = {}

    def count(node):
        if isinstance(node, dict):
            if "ref" in node:
                counts[node["ref"]] = counts.get(node["ref"], 0) + 1
            for v in node.values():
                count(v)
        elif isinstance(node, list):
            for x in node:
                count(x)

    for r in roots.values():
        count(r)
    # reachable types (through other types too)
    reach = set()

    def visit(node):
        if isinstance(node, dict):
            if "ref" in node and node["ref"] not in reach:
                reach.add(node["ref"])
                visit(types.get(node["ref"], {}))
            for v in node.values():
                visit(v)
        elif isinstance(node, list):
            for x in node:
                visit(x)

    for r in roots.values():
        visit(r)
    counts = {}
    for c in reach:
        count(types[c])
    for r in roots.values():
        count(r)
    inline = {c for c in reach if counts.get(c, 0) <= 1}

    def subst(node):
        if isinstance(node, dict):
            if "ref" in node and node["ref"] in inline:
                extra = {k: v for k, v in node.items() if k != "ref"}
                base = OrderedDict(subst(types[node["ref"]]))
                base.update(extra)
                return base
            return OrderedDict((k, subst(v)) for k, v in node.items())
        if isinstance(node, list):
            return [subst(x) for x in node]
        return node

    kept = sorted(c for c in reach if c not in inline)
    # display names: package.Type, longer when ambiguous
    display = {}
    for c in kept:
        repo, rest = c.split(":", 1)
        d, name = rest.rsplit(".", 1)
        parts = d.split("/")
        for n in range(1, len(parts) + 1):
            cand = "/".join(parts[-n:]) + "." + name
            if all(display.get(o) != cand for o in display):
                display[c] = cand
                break

    def rename(node):
        if isinstance(node, dict):
            out = OrderedDict()
            for k, v in node.items():
                if k == "_go":
                    continue
                out[k] = display[v] if k == "ref" else rename(v)
            return out
        if isinstance(node, list):
            return [rename(x) for x in node]
        return node

    out_types = OrderedDict((display[c], tidy(rename(subst(types[c])))) for c in kept)
    out_types = OrderedDict(sorted(out_types.items()))
    out_roots = OrderedDict()
    order = ["config", "service"] + sorted(r for r in roots if "/" in r)
    for r in order:
        if r in roots:
            out_roots[r] = tidy(rename(subst(roots[r])))
    # identical types (generated metadata structs, ...) share one entry
    while True:
        same = {}
        for name, body in out_types.items():
            same.setdefault(repr(body), []).append(name)
        dup = {}
        for names in same.values():
            keep = min(names, key=lambda n: (len(n), n))
            dup.update({n: keep for n in names if n != keep})
        if not dup:
            break

        def redirect(node):
            if isinstance(node, dict):
                return OrderedDict((k, dup.get(v, v) if k == "ref" else redirect(v)) for k, v in node.items())
            if isinstance(node, list):
                return [redirect(x) for x in node]
            return node

        out_types = OrderedDict((n, redirect(b)) for n, b in out_types.items() if n not in dup)
        out_roots = OrderedDict((n, redirect(b)) for n, b in out_roots.items())

    apply_overlay(out_types, out_roots, overlay)
    contrib_versions = sorted(contrib_pins, key=vkey)
    head = [
        "# Generated by tools/keys/collector.py from open-telemetry/opentelemetry-collector at",
        "# v%s … v%s (every tag) and open-telemetry/opentelemetry-collector-contrib at its" % (core_tags[0], core_tags[-1]),
        "# release commits %s … %s (pinned in tools/keys/collector-overlay.yaml). Do not edit." % (contrib_versions[0], contrib_versions[-1]),
        "#",
        "# Verified ranges: core components (otlp, otlp_grpc, otlphttp, otlp_http, debug, logging,",
        "# batch, memory_limiter, zpages, forward) and `service` %s … %s; contrib components" % (core_tags[0], core_tags[-1]),
        "# %s … %s (each root's until is the first release not read: outside it is not judged)." % (contrib_versions[0], contrib_versions[-1]),
        "# The service telemetry section also reads open-telemetry/opentelemetry-go-contrib (config, otelconf)",
        "# at the tags the core go.mod files require. Regenerate: see the top of tools/keys/collector.py.",
    ]
    doc = OrderedDict()
    doc["format"] = "collector"
    doc["program"] = "OpenTelemetry Collector"
    doc["strict"] = True
    doc["versions"] = versions
    sources = ["%s/tree/v%s/%s" % (CORE_URL, t, d) for t in (core_tags[0], core_tags[-1])
               for d in ("config", "service", "receiver", "processor", "exporter", "extension", "connector")]
    sources += ["%s/tree/%s/%s" % (CONTRIB_URL, contrib_pins[v], d) for v in (contrib_versions[0], contrib_versions[-1])
                for d in ("receiver", "processor", "exporter", "extension", "connector", "pkg", "internal")]
    used = sorted(GOCONTRIB_TAGS, key=lambda t: (t[1], vkey(t[0])))
    for mod in sorted({m for _, m in used}):
        tags = [t for t, m in used if m == mod]
        sources += ["https://github.com/open-telemetry/opentelemetry-go-contrib/tree/%s/%s" % (t, mod) for t in (tags[0], tags[-1])]
    sources += overlay.get("sources") or []
    doc["sources"] = sorted(set(sources), key=sources.index)
    doc["types"] = out_types
    doc["roots"] = out_roots
    text = "\n".join(head) + "\n" + dump(doc)
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w") as f:
            f.write(text)


def tidy(node):
    """Drop what the format implies: type: map next to keys/values/open."""
    if isinstance(node, dict):
        out = OrderedDict()
        for k, v in node.items():
            out[k] = tidy(v)
        if out.get("type") == "map" and ("keys" in out or "values" in out or out.get("open")):
            del out["type"]
        if out.get("open"):
            out.pop("keys", None)
            out.pop("pattern_keys", None)
            out.pop("values", None)
        return out
    if isinstance(node, list):
        return [tidy(x) for x in node]
    return node


def apply_overlay(types, roots, overlay):
    """Hand-written facts: notes, deprecations, and replaced subtrees."""
    for path, patch in (overlay.get("patches") or {}).items():
        where, _, rest = path.partition(" ")
        base = types if where.startswith("type:") else roots
        name = where.split(":", 1)[1]
        if name not in base:
            continue
        node = base[name]
        for part in [p for p in rest.split(".") if p]:
            if "ref" in node and "keys" not in node:
                node = types[node["ref"]]
            node = node.setdefault("keys", OrderedDict()).get(part)
            if node is None:
                break
        if node is None:
            continue
        replace = patch.pop("replace", None) if isinstance(patch, dict) else None
        if replace is not None:
            node.clear()
            node.update(replace)
        for k, v in (patch or {}).items():
            if k == "keys":
                node.setdefault("keys", OrderedDict()).update(v)
            else:
                node[k] = v


def dump(doc):
    """Compact YAML: leaves and small nodes in flow style, one key a line."""
    lines = []

    def scalar(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return "null"
        if isinstance(v, int):
            return str(v)
        s = str(v)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_./-]*", s) and s not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n") \
                and not re.fullmatch(r"[0-9.]+", s):
            return s
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def flow(v):
        if isinstance(v, dict):
            return "{" + ", ".join("%s: %s" % (scalar(k), flow(x)) for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(flow(x) for x in v) + "]"
        return scalar(v)

    def block(d, indent):
        pad = "  " * indent
        for k, v in d.items():
            if isinstance(v, dict) and v and (len(flow(v)) + len(pad) + len(str(k)) > 100):
                lines.append("%s%s:" % (pad, scalar(k)))
                block(v, indent + 1)
            elif isinstance(v, list) and v and (k == "sources" or any(isinstance(x, (dict, list)) for x in v)) \
                    and len(flow(v)) > 100:
                lines.append("%s%s:" % (pad, scalar(k)))
                for x in v:
                    lines.append("%s  - %s" % (pad, flow(x)))
            else:
                lines.append("%s%s: %s" % (pad, scalar(k), flow(v)))

    block(doc, 0)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
