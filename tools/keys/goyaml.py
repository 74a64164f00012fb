"""What gopkg.in/yaml.v2 (and its fork go.yaml.in/yaml/v2) accepts for a Go type.

Loki and Tempo read their configuration file with `yaml.UnmarshalStrict`
(yaml.v2). This module walks a Go type, as read by gosrc.py, with yaml.v2's
rules and returns a key-table node (knowledge/keys/README.md):

- a struct field's key is its `yaml:"name"` tag, else the field name in lower
  case; unexported fields and `yaml:"-"` are skipped; `,inline` merges a
  struct's fields (its own UnmarshalYAML is not consulted there) or, on a map,
  accepts every other key; an embedded struct without `,inline` is an
  ordinary key named after its type, in lower case (yaml.v2 does not inline
  embedded structs by itself);
- a type with a yaml.v2 `UnmarshalYAML(func(interface{}) error) error` method
  (its own or promoted from an embedded field) decides itself what it accepts:
  the caller's `known`/`custom` tables say it for the types reviewed by hand;
  otherwise the method body is read, and when every `unmarshal(...)` call in it
  decodes into a recognisable type (`type plain T; unmarshal((*plain)(x))`,
  `var s string; unmarshal(&s)`, a local struct, ...) the type accepts what
  those accept (their union); anything else is left open and reported;
- time.Duration takes Go duration strings; maps take any key; slices take lists.

Nodes carry `_go` (the Go type's name) for naming shared types later.
"""
import re

import gosrc

INT_TYPES = {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32",
             "uint64", "uintptr", "byte", "rune"}
FLOAT_TYPES = {"float32", "float64"}


def yaml_tag(tag):
    """The yaml tag of a field the way yaml.v2 reads it (a tag without `:` is taken whole)."""
    v = gosrc.struct_tag(tag, "yaml")
    if v is None:
        v = tag if (tag and ":" not in tag) else ""
    return v


def parse_type_text(text):
    """Parses the Go type at the start of `text` (token text from a method body)."""
    try:
        return gosrc.Parser(gosrc.tokenize(text), set()).parse_type()
    except (gosrc.ParseError, IndexError):
        return None


def call_args(body, fname):
    """Argument texts of every call `fname(...)` in a method body (token text)."""
    out = []
    for m in re.finditer(r"\b" + re.escape(fname) + r" \( ", body):
        i, depth = m.end(), 1
        j = i
        while j < len(body) and depth:
            if body[j] == "(":
                depth += 1
            elif body[j] == ")":
                depth -= 1
            j += 1
        out.append(body[i:j - 1].strip())
    return out


def union(a, b):
    """A node accepting what either node accepts."""
    ta = a.get("type", "any")
    tb = b.get("type", "any")
    ta = ta if isinstance(ta, list) else [ta]
    tb = tb if isinstance(tb, list) else [tb]
    if "any" in ta or "any" in tb:
        return {"type": "any"}
    types = ta + [t for t in tb if t not in ta]
    out = {"type": types[0] if len(types) == 1 else types}
    if a.get("open") or b.get("open"):
        out["open"] = True
        return out
    keys = dict(a.get("keys") or {})
    for k, v in (b.get("keys") or {}).items():
        keys[k] = union(keys[k], v) if k in keys else v
    if keys or "keys" in a or "keys" in b:
        out["keys"] = keys
    for f in ("values", "items"):
        if f in a and f in b:
            out[f] = union(a[f], b[f])
        elif f in a or f in b:
            out[f] = a.get(f) or b.get(f)
    if a.get("_go"):
        out["_go"] = a["_go"]
    return out


class Walker:
    """Derives nodes for one snapshot.

    known: {fq type name: node or callable(walker, decl) -> node} checked before anything else.
    custom: {fq type name: "struct" | node} for types with their own UnmarshalYAML.
    closed_inline: {"importpath:FieldName"} inline maps whose keys the program rejects
    itself after decoding (yaml.v2 accepts any key there, the program then refuses).
    """

    def __init__(self, snap, known, custom, closed_inline=()):
        self.snap = snap
        self.closed_inline = set(closed_inline)
        self.known = known
        self.custom = custom
        self.cache = {}
        self.active = set()
        self.unclassified = {}   # fq name -> file of its UnmarshalYAML
        self.unresolved = set()  # qualified names we could not find
        self.plain_detected = set()
        self.visited_pkgs = set()

    # -- entry points

    def root(self, importpath, name):
        pkg = self.snap.package(importpath)
        if pkg is None or name not in pkg.types:
            raise ValueError(f"root type {importpath}.{name} not found at {self.snap.tag}")
        return self.named(pkg, name, [], {})

    # -- types

    def node(self, typ, pkg, scope, env, ignore_custom=False):
        kind = typ[0]
        if kind == "ptr":
            return self.node(typ[1], pkg, scope, env, ignore_custom)
        if kind in ("slice", "array"):
            elem = typ[1]
            if elem == ("name", None, "byte", []):
                return {"type": "any"}
            return {"type": "list", "items": self.node(elem, pkg, scope, env)}
        if kind == "map":
            return {"type": "map", "values": self.node(typ[2], pkg, scope, env)}
        if kind == "struct":
            return self.struct(typ[1], pkg, scope, env)
        if kind in ("iface", "func", "chan"):
            return {"type": "any"}
        # named
        _, qual, name, args = typ
        if qual is None:
            if name in env:
                return env[name]
            if name == "string":
                return {"type": "string"}
            if name == "bool":
                return {"type": "bool"}
            if name in INT_TYPES:
                return {"type": "int"}
            if name in FLOAT_TYPES:
                return {"type": "float"}
            if name in ("any", "error", "complex64", "complex128"):
                return {"type": "any"}
            if name not in pkg.types:
                self.unresolved.add(f"{pkg.path}.{name}")
                return {"type": "any"}
            target_pkg = pkg
        else:
            path = self.snap.resolve_qualifier(scope, qual)
            if path is None:
                self.unresolved.add(f"{scope.path}: {qual}.{name}")
                return {"type": "any"}
            fq = f"{path}.{name}"
            if fq in self.known:
                return self.apply_known(fq, None)
            if gosrc.is_stdlib(path):
                return {"type": "any"}
            target_pkg = self.snap.package(path)
            if target_pkg is None or name not in target_pkg.types:
                self.unresolved.add(fq)
                return {"type": "any"}
        argnodes = [self.node(a, pkg, scope, env) for a in args]
        return self.named(target_pkg, name, argnodes, env, ignore_custom)

    def apply_known(self, fq, decl):
        k = self.known[fq]
        if callable(k):
            return k(self, decl)
        return dict(k)

    def named(self, pkg, name, argnodes, env, ignore_custom=False):
        fq = f"{pkg.path}.{name}"
        self.visited_pkgs.add(pkg.path)
        if fq in self.known:
            return self.apply_known(fq, pkg.types.get(name))
        key = (fq, repr(argnodes), ignore_custom)
        if key in self.cache:
            return self.cache[key]
        if key in self.active:
            return {"type": "any", "_go": fq}
        self.active.add(key)
        try:
            result = self._named(pkg, name, argnodes, ignore_custom, fq)
        finally:
            self.active.discard(key)
        self.cache[key] = result
        return result

    def _named(self, pkg, name, argnodes, ignore_custom, fq):
        decl = pkg.types[name]
        scope = pkg.scopes[name]
        env = dict(zip(decl.params, argnodes))
        if not ignore_custom and not decl.alias:
            m = self.unmarshaler(pkg, name) or self.promoted_unmarshaler(decl, pkg, scope)
            if m is not None:
                how = self.custom.get(fq)
                if how is None:
                    auto = self.unmarshal_shape(m, name, pkg)
                    if auto is not None:
                        self.plain_detected.add(fq)
                        auto = dict(auto)
                        auto.setdefault("_go", fq)
                        return auto
                if how is None:
                    self.unclassified[fq] = m.file.path
                    return {"type": "any", "_go": fq}
                if how != "struct":
                    node = how(self, decl) if callable(how) else dict(how)
                    node.setdefault("_go", fq)
                    return node
        # A defined type does not inherit the methods of the type it is defined from;
        # an alias is the same type.
        node = dict(self.node(decl.type, pkg, scope, env,
                              ignore_custom=ignore_custom if decl.alias else True))
        if decl.type[0] == "struct" or "keys" in node:
            node["_go"] = fq
        return node

    def unmarshaler(self, pkg, name):
        m = pkg.methods.get((name, "UnmarshalYAML"))
        if m is None:
            return None
        # yaml.v2's Unmarshaler takes a func; yaml.v3's takes a *yaml.Node and is
        # never called by a yaml.v2 decoder.
        if "func" not in m.params:
            return None
        return m

    def promoted_unmarshaler(self, decl, pkg, scope, depth=0):
        """An UnmarshalYAML promoted from an embedded field (Go method promotion)."""
        if decl.type[0] != "struct" or depth > 5:
            return None
        for f in decl.type[1]:
            if f.names is not None:
                continue
            t = f.type[1] if f.type[0] == "ptr" else f.type
            if t[0] != "name":
                continue
            if t[1] is None:
                epkg = pkg
            else:
                path = self.snap.resolve_qualifier(scope, t[1])
                if path is None or gosrc.is_stdlib(path):
                    continue
                epkg = self.snap.package(path)
            if epkg is None or t[2] not in epkg.types:
                continue
            m = self.unmarshaler(epkg, t[2]) or self.promoted_unmarshaler(
                epkg.types[t[2]], epkg, epkg.scopes[t[2]], depth + 1)
            if m is not None:
                return m
        return None

    def unmarshal_shape(self, m, name, pkg):
        """What an UnmarshalYAML accepts when every `unmarshal` call in it is recognised, or None.

        Recognised arguments: `&v` with `var v T`, `v := struct{...}{}`, `v := T{...}` or
        `v := &T{...}` (accepts what T accepts), and `(*T)(x)` / `(*T)(&x)` (accepts what
        T accepts). A type declared in the body (`type plain X`) is a defined type: it has
        X's shape without X's methods. With several calls (try one shape, fall back to
        another) the result is the union of the shapes: permissive, never stricter than
        the program.
        """
        if not m.body:
            return None
        body = m.body
        fn = re.match(r"\s*(\w+)", m.params)
        f = fn.group(1) if fn else "unmarshal"
        args = call_args(body, f)
        if not args:
            return None
        scope = m.file
        local = {}
        for lm in re.finditer(r"\btype (\w+) ", body):
            typ = parse_type_text(body[lm.end():])
            if typ is not None:
                local[lm.group(1)] = typ

        def type_node(text):
            typ = parse_type_text(text)
            if typ is None:
                return None
            if typ[0] == "name" and typ[1] is None and typ[2] in local:
                return self.node(local[typ[2]], pkg, scope, {}, ignore_custom=True)
            return self.node(typ, pkg, scope, {})

        nodes = []
        for arg in args:
            node = None
            conv = re.fullmatch(r"\( \* ((?:\w+ \. )?\w+) \) \( (?:& )?[\w .]+ \)", arg)
            ref = re.fullmatch(r"&? ?(\w+)", arg)
            if conv:
                node = type_node(conv.group(1))
            elif ref:
                v = re.escape(ref.group(1))
                decl = re.search(r"\bvar " + v + r" ([^=;]*?) ;", body)
                lit = re.search(r"\b" + v + r" := &? ?(struct \{.*|(?:\w+ \. )?\w+ \{)", body)
                made = re.search(r"\b" + v + r" := make \( (.*)", body)
                if arg.startswith("&") and decl:
                    node = type_node(decl.group(1))
                elif made:
                    node = type_node(made.group(1))
                elif lit:
                    node = type_node(lit.group(1).rstrip("{ "))
            if node is None:
                return None
            nodes.append(node)
        result = nodes[0]
        for n in nodes[1:]:
            result = union(result, n)
        return result

    def struct(self, fields, pkg, scope, env):
        keys = {}
        values = None
        for f in fields:
            tag = yaml_tag(f.tag)
            if tag == "-":
                continue
            parts = tag.split(",")
            tname, flags = parts[0], parts[1:]
            if "inline" in flags:
                if f.names and any(f"{pkg.path}:{n}" in self.closed_inline for n in f.names):
                    continue  # an inline map the program checks itself, accepting no key (see caller)
                inner = self.node(f.type, pkg, scope, env, ignore_custom=True)
                if inner.get("type") == "map" and "values" in inner and "keys" not in inner:
                    values = inner["values"]
                elif "keys" in inner:
                    for k, v in inner["keys"].items():
                        keys[k] = v
                    if "values" in inner:
                        values = inner["values"]
                    if inner.get("open"):
                        return {"type": "map", "open": True}
                else:
                    return {"type": "map", "open": True}
                continue
            if f.names is None:
                t = f.type[1] if f.type[0] == "ptr" else f.type
                if t[0] != "name":
                    continue
                names = [t[2]]
                exported = True  # yaml.v2 keeps embedded fields even when unexported
            else:
                names = f.names
                exported = None
            for n in names:
                if exported is None and not n[0].isupper():
                    continue
                key = tname or n.lower()
                keys[key] = self.node(f.type, pkg, scope, env)
        node = {"type": "map", "keys": keys}
        if values is not None:
            node["values"] = values
        return node
