"""What a yaml decoder accepts for a Go type, with nothing guessed.

Used by tools/keys/prometheus.py and tools/keys/grafana.py (goyaml.py is the
automatic walker of loki and tempo, which reads UnmarshalYAML bodies itself
and leaves what it cannot classify open). The Go sources are read with
gosource.py; struct fields follow yaml.v2's rules (gosource.YAML: `yaml`
tags, `,inline` fields flattened). A type with its own UnmarshalYAML keeps its
struct's keys only when the method uses the `type plain T` idiom; any other
custom unmarshaler, and every type from a module that is not read, must be
listed in the caller's overrides, or the walk stops (NeedsOverride).
"""
import re

import gosource


class NeedsOverride(Exception):
    pass


def is_plain_idiom(body, tname):
    """An UnmarshalYAML that decodes the struct's own fields (`type plain T`)
    and accepts no other shape."""
    m = re.search(r"type\s+(\w+)\s+" + re.escape(tname) + r"\b", body)
    if not m:
        return False
    plain = m.group(1)
    aux = re.search(r"var\s+(\w+)\s+" + plain + r"\b", body)
    if not re.search(r"\(\s*\*\s*" + plain + r"\s*\)\s*\(", body) and not (
            aux and re.search(r"unmarshal\(\s*&\s*" + aux.group(1) + r"\s*\)", body)):
        return False
    if re.search(r"var\s+\w+\s+string\b|\(\s*&\s*str\w*\s*\)", body):
        return False
    if re.search(r"\.UnmarshalYAML\(\s*unmarshal\s*\)", body):
        return False  # also hands the whole value to another decoder
    return True


class Converter:
    """Turns Go types into key-table nodes.

    loader(import_path) -> Package or None. overrides: {"<import path>.<Type>":
    node} for types that are not plain structs (custom unmarshalers, scalars
    with their own syntax, types from modules we do not read). hooks: list of
    functions (converter, package, decl, unmarshal_body) -> extra keys or None,
    for UnmarshalYAML methods that add keys of their own (Prometheus SD).
    """

    def __init__(self, loader, overrides, hooks=(), lenient=False, inline_embedded=False):
        # inline_embedded: flatten untagged embedded structs. yaml.v2 would
        # read them as one key named after the type (`configversion`), which
        # nobody writes; Grafana reads `apiVersion` from them in a first pass.
        self.inline_embedded = inline_embedded
        self.lenient = lenient  # debugging: record unknown types as `any` instead of stopping
        self.loader = loader
        self.overrides = overrides
        self.hooks = list(hooks)
        self.types = {}
        self.origin = {}
        self.missing = set()

    def short_name(self, import_path, tname):
        base = import_path.rstrip("/").split("/")[-1]
        if re.match(r"^v\d+$", base):
            base = import_path.rstrip("/").split("/")[-2]
        return f"{base}.{tname}"

    def named(self, import_path, tname):
        try:
            return self._named(import_path, tname)
        except NeedsOverride as e:
            if not self.lenient:
                raise
            self.missing.add(str(e))
            return {"type": "any"}

    def _named(self, import_path, tname):
        key = f"{import_path}.{tname}"
        if key in self.overrides:
            ov = self.overrides[key]
            return ov(self) if callable(ov) else dict(ov)
        pkg = self.loader(import_path)
        if pkg is None or tname not in pkg.types:
            raise NeedsOverride(key)
        decl = pkg.types[tname]
        um = unmarshal_yaml(pkg, tname)
        names = [tname]
        t = decl.type
        if decl.alias and t[0] == "name" and t[1] is None and not t[3] and t[2] in pkg.types:
            # `type A = B`: methods declared on A are B's; keep A's name.
            names.append(t[2])
            decl = pkg.types[t[2]]
            um = um or unmarshal_yaml(pkg, decl.name)
        if decl.type[0] == "struct":
            extra = None
            if um is not None:
                for hook in self.hooks:
                    extra = hook(self, pkg, decl, um)
                    if extra is not None:
                        break
                if extra is None and not any(is_plain_idiom(um, n) for n in names):
                    raise NeedsOverride(key + " (custom UnmarshalYAML)")
            name = self.short_name(import_path, tname)
            if name in self.origin and self.origin[name] != key:
                raise ValueError(f"type name clash: {name}: {self.origin[name]} and {key}")
            if name not in self.types:
                self.origin[name] = key
                self.types[name] = {"type": "map"}  # placeholder for recursion
                node = self.struct(decl.type[1], pkg, decl.scope)
                if extra:
                    node.setdefault("keys", {}).update(extra)
                self.types[name] = node
            return {"ref": name}
        if um is not None:
            raise NeedsOverride(key + " (custom UnmarshalYAML)")
        return self.expr(decl.type, pkg, decl.scope)

    def struct(self, fields, pkg, scope):
        keys = {}
        node = {"type": "map", "keys": keys}
        for f in fields:
            for go_name in f.field_names():
                name, opts = gosource.YAML.parse(f)
                if name == "-":
                    continue
                if not f.embedded and not go_name[0].isupper():
                    continue
                if "inline" in opts or (f.embedded and name is None and self.inline_embedded):
                    sub = self.resolve(self.expr(f.type, pkg, scope))
                    if sub.get("open"):
                        node["open"] = True
                    if "values" in sub:
                        node["values"] = sub["values"]
                    keys.update(sub.get("keys", {}))
                    continue
                keys[name or gosource.YAML.default(go_name)] = self.expr(f.type, pkg, scope)
        return node

    def resolve(self, node):
        while "ref" in node:
            node = self.types[node["ref"]]
        return node

    def expr(self, t, pkg, scope):
        kind = t[0]
        if kind == "ptr":
            return self.expr(t[1], pkg, scope)
        if kind == "slice" and t[1] == ("name", None, "byte", []):
            return {"type": "string"}
        if kind in ("slice", "array"):
            return {"type": "list", "items": self.expr(t[1], pkg, scope)}
        if kind == "map":
            if t[2] == ("name", None, "any", []) or t[2] == ("iface", True):
                return {"type": "map", "open": True}
            return {"type": "map", "values": self.expr(t[2], pkg, scope)}
        if kind in ("iface", "func", "chan"):
            return {"type": "any"}
        if kind == "struct":
            return self.struct(t[1], pkg, scope)
        _, qual, name, _ = t  # type arguments are not followed
        if qual is None and name == "any":
            return {"type": "any"}
        if qual is None and name in gosource.BUILTIN:
            return {"type": gosource.BUILTIN[name]}
        if qual is not None:
            path = scope.resolve(qual, self.package_name)
            if path is None:
                raise ValueError(f"unknown package {qual} in {qual}.{name} ({pkg.path})")
            return self.named(path, name)
        return self.named(pkg.path, name)

    def package_name(self, import_path):
        pkg = self.loader(import_path)
        return pkg.name if pkg is not None else None


_packages = {}  # (git dir, tree id, import path) -> Package or None


def read_package(git, rev, directory, import_path):
    """The package in `directory` at revision `rev` of a gitsnap.Repo, or None.
    Files for other systems are left out; a name declared twice is the later one."""
    tree = git.lookup(rev, directory)
    if tree is None:
        return None
    key = (git.gitdir, tree, import_path)
    if key not in _packages:
        pkg = gosource.Package(import_path, duplicates="last", bodies={"UnmarshalYAML", "Name"},
                               exclude=lambda text: gosource.build_excluded(text, other_systems=True),
                               keep_sources=True)
        pkg.read(git, tree)
        _packages[key] = pkg if pkg.files else None
    return _packages[key]


def unmarshal_yaml(pkg, tname):
    """The (comment-free) body of a type's UnmarshalYAML, or None."""
    m = pkg.methods.get((tname, "UnmarshalYAML"))
    return m.source if m is not None else None
