"""Merge per-release key trees into one key table and write it as YAML.

Shared by tools/keys/loki.py and tools/keys/tempo.py; the format is the one
of knowledge/keys/README.md.

- merge(): one tree per release (nodes as goyaml.py makes them) -> one tree
  whose keys know the releases they exist in. A node's shape is the union of
  its shapes over the releases (a key that was a string and became a map
  accepts both); a node that is `any` or open in one release is open in all
  (the table cannot say "open only in 2.9", and must not cry wolf there).
- emit(): since/until/ranges relative to the parent's releases, shared
  sub-structures factored out into `types` (identical sub-trees seen at least
  twice), deterministic YAML (keys sorted) so that a re-run is byte-identical.
"""
import json
import re

import yaml

SCALARS = ["string", "int", "float", "bool", "duration", "prom_duration", "size"]
TYPE_ORDER = ["map", "list"] + SCALARS + ["any"]


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


# ---------------------------------------------------------------- merge


def node_types(node):
    t = node.get("type")
    if t is None:
        t = "map" if ("keys" in node or "values" in node or node.get("open")) else "any"
    return t if isinstance(t, list) else [t]


def merge(per_version, path=(), notes=None):
    """per_version: list of (version index, node). Returns a merged node.

    notes (a list) collects the places where a permissive shape of some releases
    (any, open, any key accepted) had to be applied to all of them."""
    if notes is not None:
        loose = [vi for vi, n in per_version
                 if "any" in node_types(n) or n.get("open") or "values" in n]
        if loose and len(loose) < len(per_version):
            notes.append((".".join(path), len(loose), len(per_version)))
    types = set()
    for _, n in per_version:
        types.update(node_types(n))
    m = {"vers": {vi for vi, _ in per_version}}
    gos = [n.get("_go") for _, n in sorted(per_version, key=lambda x: x[0]) if n.get("_go")]
    if gos:
        m["go"] = gos[-1]
    if "any" in types:
        m["types"] = ["any"]
        return m
    m["types"] = sorted(types, key=TYPE_ORDER.index)
    if any(n.get("open") for _, n in per_version if "map" in node_types(n)):
        m["open"] = True
        return m
    keyed = {}
    for vi, n in per_version:
        for k, child in (n.get("keys") or {}).items():
            keyed.setdefault(k, []).append((vi, child))
    if keyed:
        m["keys"] = {k: merge(v, path + (k,), notes) for k, v in keyed.items()}
    vals = [(vi, n["values"]) for vi, n in per_version if "values" in n]
    if vals:
        m["values"] = merge(vals, path + ("*",), notes)
    items = [(vi, n["items"]) for vi, n in per_version if "items" in n]
    if items:
        m["items"] = merge(items, path + ("[]",), notes)
    enums = [n.get("enum") for _, n in per_version if set(node_types(n)) & set(SCALARS)]
    if enums and all(enums):
        m["enum"] = sorted(set(e for en in enums for e in en))
    return m


# ---------------------------------------------------------------- presence


def presence(sub, parent, versions):
    """since/until (or ranges) for a key present in `sub` of its parent's `parent` releases."""
    order = sorted(parent)
    runs = []
    start = None
    for i, vi in enumerate(order):
        if vi in sub and start is None:
            start = i
        if vi not in sub and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(order)))
    out = {}
    if len(runs) == 1:
        a, b = runs[0]
        if a > 0:
            out["since"] = versions[order[a]]
        if b < len(order):
            out["until"] = versions[order[b]]
    elif runs:
        out["ranges"] = [[versions[order[a]], versions[order[b]] if b < len(order) else None] for a, b in runs]
    return out


# ---------------------------------------------------------------- emit


BODY_FIELDS = ("type", "keys", "values", "items", "open", "enum")


def to_out(m, versions, overlay_at):
    """Merged node -> output dict (not yet factored). overlay_at(path) gives hand-written fields."""
    def rec(m, path):
        out = {}
        t = m["types"]
        out["type"] = t[0] if len(t) == 1 else list(t)
        if m.get("open"):
            out["open"] = True
        if "keys" in m:
            out["keys"] = {}
            for k in sorted(m["keys"]):
                child = m["keys"][k]
                node = rec(child, path + [k])
                node.update(presence(child["vers"], m["vers"], versions))
                extra = overlay_at(path + [k])
                if extra:
                    node.update(extra)
                out["keys"][k] = node
        if "values" in m:
            out["values"] = rec(m["values"], path + ["*"])
        if "items" in m:
            out["items"] = rec(m["items"], path + ["[]"])
        if "enum" in m:
            out["enum"] = m["enum"]
        if "go" in m:
            out["_go"] = m["go"]
        return out
    return rec(m, [])


def body_key(node):
    return json.dumps({k: node[k] for k in BODY_FIELDS if k in node}, sort_keys=True)


def factor(roots, min_chars=120, min_count=2):
    """Moves sub-trees seen at least min_count times into `types`; returns (types, roots)."""
    counts = {}
    gonames = {}

    def count(node):
        for k in ("keys",):
            for child in (node.get(k) or {}).values():
                count(child)
        for k in ("values", "items"):
            if k in node:
                count(node[k])
        if "keys" in node:
            b = body_key(node)
            counts[b] = counts.get(b, 0) + 1
            if "_go" in node:
                gonames.setdefault(b, node["_go"])
    for r in roots.values():
        count(r)
    chosen = {b for b, c in counts.items() if c >= min_count and len(b) >= min_chars}

    names = {}
    used = set()
    types = {}

    def type_name(b):
        if b in names:
            return names[b]
        go = gonames.get(b, "")
        if go:
            pkg, _, tname = go.rpartition(".")
            base = pkg.rsplit("/", 1)[-1] + "." + tname
            base = re.sub(r"^v\d+\.", "", base)
        else:
            base = "anon"
        name = base
        i = 2
        while name in used:
            name = f"{base}_{i}"
            i += 1
        used.add(name)
        names[b] = name
        return name

    def replace(node, top=False):
        b = body_key(node) if "keys" in node else None
        if "keys" in node:
            for k, child in node["keys"].items():
                node["keys"][k] = replace(child)
        for k in ("values", "items"):
            if k in node:
                node[k] = replace(node[k])
        if top or b not in chosen:
            return node
        name = type_name(b)
        if name not in types:
            types[name] = {k: node[k] for k in BODY_FIELDS if k in node}
        ref = {"ref": name}
        for k, v in node.items():
            if k not in BODY_FIELDS and k != "_go":
                ref[k] = v
        return ref

    # Deterministic naming: name types in a fixed traversal order (roots sorted, keys sorted).
    out_roots = {}
    for rname in sorted(roots):
        out_roots[rname] = replace(roots[rname], top=True)
    return dict(sorted(types.items())), out_roots


def strip_go(node):
    node.pop("_go", None)
    for child in (node.get("keys") or {}).values():
        strip_go(child)
    for k in ("values", "items"):
        if k in node:
            strip_go(node[k])


# ---------------------------------------------------------------- YAML writer

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$")
_YAML11_SPECIAL = {"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~"}


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _YAML11_SPECIAL and not re.match(r"^[\d.]", s):
        return s
    return json.dumps(s)


FIELD_ORDER = ["ref", "type", "enum", "open", "since", "until", "ranges", "deprecated", "note", "values", "items", "keys"]


def ordered(node):
    return sorted(node.items(), key=lambda kv: FIELD_ORDER.index(kv[0]) if kv[0] in FIELD_ORDER else 99)


def is_leaf(node):
    return "keys" not in node and all(not isinstance(node.get(k), dict) or is_leaf(node[k]) for k in ("values", "items"))


def flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(x)}" for k, x in ordered(v)) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    if isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)*", v):
        return json.dumps(v)
    return scalar(v)


def write_node(lines, node, indent):
    pad = "  " * indent
    for k, v in ordered(node):
        if k == "keys":
            lines.append(f"{pad}keys:")
            for name, child in v.items():
                write_entry(lines, name, child, indent + 1)
        elif k in ("values", "items") and isinstance(v, dict) and not is_leaf(v):
            lines.append(f"{pad}{k}:")
            write_node(lines, v, indent + 1)
        else:
            lines.append(f"{pad}{k}: {flow(v)}")


def write_entry(lines, name, node, indent):
    pad = "  " * indent
    if is_leaf(node):
        lines.append(f"{pad}{scalar(name)}: {flow(node)}")
    else:
        lines.append(f"{pad}{scalar(name)}:")
        write_node(lines, node, indent + 1)


def render(header_comment, fmt, program, strict, strict_comment, versions, sources, types, roots):
    lines = [f"# {line}" if line else "#" for line in header_comment]
    lines.append(f"format: {fmt}")
    lines.append(f"program: {program}")
    for c in strict_comment:
        lines.append(f"# {c}")
    lines.append(f"strict: {'true' if strict else 'false'}")
    lines.append("versions: [" + ", ".join(json.dumps(v) for v in versions) + "]")
    lines.append("sources:")
    for s in sources:
        lines.append(f"  - {s}")
    lines.append("types:")
    for name, node in types.items():
        write_entry(lines, name, node, 1)
    lines.append("roots:")
    for name, node in roots.items():
        write_entry(lines, name, node, 1)
    text = "\n".join(lines) + "\n"
    # The table must read back as YAML exactly as written.
    yaml.safe_load(text)
    return text


# ---------------------------------------------------------------- overlay


def load_overlay(path):
    """The hand-written overlay (tools/keys/<format>-overlay.yaml):

    keys:
      - path: "config:compactor.shared_store"    # root:dotted path; `*` = one segment,
                                                  # `**` = any number (map values are `*`,
                                                  # list items `[]` in the path)
        note: "use ..."                           # added to every matching key
        source: https://github.com/...            # cited in the table's sources
      - path: "config:search_enabled"
        add: {type: bool, until: "2.0.0"}          # a key the snapshots do not show
        note: ...
        source: ...
    """
    with open(path) as f:
        return yaml.safe_load(f) or {}


def glob_re(pattern):
    parts = []
    for seg in pattern.split("."):
        if seg == "**":
            parts.append(r"(?:[^.]+\.)*")
        elif seg == "*":
            parts.append(r"[^.]+\.")
        else:
            parts.append(re.escape(seg) + r"\.")
    return re.compile("^" + "".join(parts)[:-2] + "$") if not pattern.endswith("**") else re.compile("^" + "".join(parts))


def overlay_lookup(overlay, root):
    """at(path) -> hand-written fields for the key at `path` (a list of segments), or None."""
    entries = []
    for spec in overlay.get("keys") or []:
        r, _, p = spec["path"].partition(":")
        if r == root and "add" not in spec:
            fields = {k: v for k, v in spec.items() if k in ("note", "enum", "deprecated")}
            entries.append((spec["path"], glob_re(p), fields))
    used = set()

    def at(path):
        dotted = ".".join(path)
        out = {}
        for name, rx, fields in entries:
            if rx.match(dotted):
                used.add(name)
                out.update(fields)
        return out or None
    at.entries = {name for name, _, _ in entries}
    at.used = used
    return at


def overlay_add(overlay, root, out, versions):
    """Inserts the overlay's `add` keys into an output tree; returns problems."""
    problems = []
    for spec in overlay.get("keys") or []:
        r, _, p = spec["path"].partition(":")
        if r != root or "add" not in spec:
            continue
        node = dict(spec["add"])
        if "note" in spec:
            node["note"] = spec["note"]
        for f in ("since", "until"):
            if f in node and node[f] not in versions:
                problems.append(f"{spec['path']}: {f} {node[f]} is not a covered release")
        parts = p.split(".")
        parent = out
        for seg in parts[:-1]:
            parent = (parent.get("values") if seg == "*" else parent.get("items") if seg == "[]"
                      else (parent.get("keys") or {}).get(seg)) or {}
        keys = parent.get("keys")
        if keys is None:
            problems.append(f"{spec['path']}: parent not found")
        elif parts[-1] in keys:
            problems.append(f"{spec['path']}: already in the generated table")
        else:
            keys[parts[-1]] = node
            parent["keys"] = dict(sorted(keys.items()))
    return problems


def overlay_sources(overlay):
    out = list(overlay.get("sources") or [])
    for spec in overlay.get("keys") or []:
        if spec.get("source") and spec["source"] not in out:
            out.append(spec["source"])
    return out
