"""Merge per-release key trees into one key table (knowledge/keys/README.md).

Every generator builds one tree per release (nodes as in the table, plus
`ref` to per-release named types); this module turns them into the table:

- Merger.merge(): {release: node} -> one node. Its shape is the union of its
  shapes over the releases (a key that was a string and became a map accepts
  both); `any` or open in one release is open in all (the table cannot say
  "open only in 2.9", and must not cry wolf there); every key gets
  since/until (or ranges) from Merger.span(), relative to its parent's
  releases.
- merge_trees(): whole per-release trees ({"types", "roots"}) at once, named
  types renamed between releases followed to their newest name.
- factor(): identical sub-trees seen at least twice moved into `types`.
- node_at(), patch(), apply_overlay(), apply_additions(): hand-written facts
  added to the merged table.
"""
import json
import re

import yaml

SCALARS = ["string", "int", "float", "bool", "duration", "prom_duration", "size"]
TYPE_ORDER = ["map", "list"] + SCALARS + ["any"]


def vkey(v):
    """Sort key of a version string ("v0.92.0", "2.8.10")."""
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


# ---------------------------------------------------------------- merge


def node_types(node):
    t = node.get("type")
    if t is None:
        t = "map" if ("keys" in node or "values" in node or node.get("open")) else "any"
    return t if isinstance(t, list) else [t]


class Merger:
    """Merges per-release nodes. releases: every release id, oldest first.

    refs: what a key whose `ref` differs between releases becomes:
      "newest": the newest release's ref (merge_trees() renames the older
      types when they are the same structure under an older name);
      "expand": each release's own type (shapes[release][name]) merged in
      place, unless every release has the same ref.
    bounds: the releases a key's since/until are relative to: "keyed", those
      where its parent has keys (a parent that was something else in other
      releases says nothing there), or "parent", every release of the parent.
    loose: a list collecting (path, releases, of) where a permissive shape of
      some releases (any, open, any key) had to be applied to all of them.
    """

    def __init__(self, releases, refs="newest", shapes=None, bounds="keyed", loose=None):
        self.releases = list(releases)
        self.index = {r: i for i, r in enumerate(self.releases)}
        self.refs, self.shapes, self.bounds, self.loose = refs, shapes, bounds, loose
        self.aliases = {}  # older ref -> {newer refs seen in its place}

    def span(self, present, domain):
        """since/until (or ranges) of a key present at `present`, judged only at
        `domain` (the releases where its parent has keys): a key present
        whenever its parent is gets none, and releases without the parent
        never split a run."""
        order = sorted(set(domain), key=self.index.__getitem__)
        runs = []
        for pos, r in enumerate(order):
            if r in present:
                if runs and runs[-1][1] == pos:
                    runs[-1][1] = pos + 1
                else:
                    runs.append([pos, pos + 1])
        out = {}
        if len(runs) == 1:
            a, b = runs[0]
            if a > 0:
                out["since"] = order[a]
            if b < len(order):
                out["until"] = order[b]
        elif runs:
            out["ranges"] = [[order[a], order[b] if b < len(order) else None] for a, b in runs]
        return out

    def merge(self, per_version, path=()):
        """per_version: {release: node}. Returns one node for all of them."""
        rs = sorted(per_version, key=self.index.__getitem__)
        nodes = [per_version[r] for r in rs]
        if self.loose is not None:
            loose = [n for n in nodes if "any" in node_types(n) or n.get("open") or "values" in n]
            if loose and len(loose) < len(nodes):
                self.loose.append((".".join(path), len(loose), len(nodes)))
        refs = [n.get("ref") for n in nodes]
        if any(refs):
            if self.refs == "newest":
                if refs[-1]:
                    for r in set(refs) - {refs[-1], None}:
                        self.aliases.setdefault(r, set()).add(refs[-1])
                    return {"ref": refs[-1]}
                if any("any" in node_types(n) for n in nodes if "ref" not in n):
                    return {"type": "any"}
                return {"ref": [r for r in refs if r][-1]}
            if len(set(refs)) == 1:
                return {"ref": refs[0]}
            per_version = {r: (self.shapes[r].get(n["ref"], {"type": "any"}) if "ref" in n else n)
                           for r, n in zip(rs, nodes)}
            nodes = [per_version[r] for r in rs]
        types = sorted({t for n in nodes for t in node_types(n)}, key=TYPE_ORDER.index)
        gos = [n["_go"] for n in nodes if n.get("_go")]  # the Go type, to name shared types
        if "any" in types:
            return {"type": "any", "_go": gos[-1]} if gos else {"type": "any"}
        out = {"type": types[0] if len(types) == 1 else types}
        if any(n.get("open") for n in nodes):
            out["open"] = True
        else:
            patterns = {}
            for r, n in zip(rs, nodes):
                for p, pn in (n.get("pattern_keys") or {}).items():
                    patterns.setdefault(p, {})[r] = pn
            if patterns:
                out["pattern_keys"] = {p: self.merge(sub, path + (p,)) for p, sub in patterns.items()}
            keyed = [r for r, n in zip(rs, nodes) if "keys" in n]
            names = []
            for r in reversed(keyed):  # in the newest release's order, older names after
                names += [k for k in per_version[r]["keys"] if k not in names]
            keys = {}
            for k in names:
                present = {r: per_version[r]["keys"][k] for r in keyed if k in per_version[r]["keys"]}
                child = self.merge(present, path + (k,))
                child.update(self.span(present, keyed if self.bounds == "keyed" else rs))
                keys[k] = child
            if keyed and (keys or not any("values" in n or "pattern_keys" in n for n in nodes)):
                out["keys"] = keys
            values = {r: n["values"] for r, n in zip(rs, nodes) if "values" in n}
            if values:
                out["values"] = self.merge(values, path + ("*",))
        items = {r: n["items"] for r, n in zip(rs, nodes) if "items" in n}
        if items:
            out["items"] = self.merge(items, path + ("[]",))
        enums = [n.get("enum") for n in nodes]
        if all(e is not None for e in enums):
            out["enum"] = sorted({x for e in enums for x in e}, key=str)
        if gos:
            out["_go"] = gos[-1]
        return out


def merge_trees(trees, releases):
    """trees: {release: {"types": {name: node}, "roots": {name: node}}}, refs by
    name. A named type whose name changed between releases (a Go type renamed
    or moved: ec2.SDConfig -> aws.EC2SDConfig) is merged under its newest
    name, so its keys keep their own history. Returns (types, roots): roots
    with since/until over all releases; types no root reaches are dropped."""
    while True:
        merger = Merger(releases, refs="newest")
        types = {}
        for name in sorted({t for tree in trees.values() for t in tree["types"]}):
            types[name] = merger.merge({r: tree["types"][name] for r, tree in trees.items() if name in tree["types"]})
        roots = {}
        for name in sorted({t for tree in trees.values() for t in tree["roots"]}):
            present = {r: tree["roots"][name] for r, tree in trees.items() if name in tree["roots"]}
            roots[name] = merger.merge(present)
            roots[name].update(merger.span(present, releases))
        renames = {}
        for old, news in sorted(merger.aliases.items()):
            new = next(iter(news))
            if len(news) == 1 and not any(old in t["types"] and new in t["types"] for t in trees.values()):
                renames[old] = new
        if not renames:
            return prune(types, roots), roots
        for tree in trees.values():
            for old, new in renames.items():
                if old in tree["types"]:
                    tree["types"][new] = tree["types"].pop(old)
                rename_refs(tree, old, new)


def rename_refs(node, old, new):
    if isinstance(node, dict):
        if node.get("ref") == old:
            node["ref"] = new
        for v in node.values():
            rename_refs(v, old, new)
    elif isinstance(node, list):
        for v in node:
            rename_refs(v, old, new)


def prune(types, roots):
    """The types some root reaches."""
    seen = set()

    def walk(node):
        if isinstance(node, dict):
            if "ref" in node and node["ref"] not in seen:
                seen.add(node["ref"])
                walk(types[node["ref"]])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(roots)
    return {k: v for k, v in types.items() if k in seen}


# ---------------------------------------------------------------- shared types


BODY_FIELDS = ("type", "keys", "values", "items", "open", "enum")


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


# ---------------------------------------------------------------- hand-written overlays


def node_at(types, roots, section, name, path):
    """The node at `path` (key names, "[]" for a list's items) below
    types[name] (section "types") or roots[name], following refs; None when
    there is none."""
    node = (types if section == "types" else roots).get(name)
    for key in path:
        if node is None:
            return None
        while "ref" in node and "keys" not in node:
            node = types[node["ref"]]
        node = node.get("items") if key == "[]" else (node.get("keys") or {}).get(key)
    return node


def patch(node, fields):
    """Adds hand-written fields to a node: `replace` swaps the whole node,
    `keys` adds (or replaces) keys, any other field is set."""
    fields = dict(fields or {})
    replace = fields.pop("replace", None)
    if replace is not None:
        node.clear()
        node.update(replace)
    for k, v in fields.items():
        if k == "keys":
            node.setdefault("keys", {}).update(v)
        else:
            node[k] = v


def apply_overlay(types, roots, path):
    """The `notes` of an overlay (prometheus, grafana):

    notes:
      - at: types/<type name>/<key>[/<key>...]   (or roots/<root>/<key>...)
        note: short hint shown with a finding
        source: citation (knowledge/keys/README.md)

    Returns the overlay's sources. A path that does not exist stops the tool:
    an overlay must never silently drift from the generated table.
    """
    with open(path) as f:
        doc = yaml.safe_load(f) or {}
    sources = []
    for entry in doc.get("notes") or []:
        section, name, *keys = entry["at"].split("/")
        node = node_at(types, roots, section, name, keys)
        if node is None:
            raise SystemExit(f"{path}: no node at {entry['at']}")
        patch(node, {"note": entry["note"]})
        if entry.get("source") and entry["source"] not in sources:
            sources.append(entry["source"])
    return sources


def apply_additions(types, roots, path):
    """The `add` entries of an overlay (grafana): keys the snapshots do not show,
    {at, keys: {name: node}, source}; a key already there is kept."""
    with open(path) as f:
        doc = yaml.safe_load(f) or {}
    sources = []
    for entry in doc.get("add") or []:
        section, name, *keys = entry["at"].split("/")
        node = node_at(types, roots, section, name, keys)
        if node is None:
            raise SystemExit(f"{path}: no node at {entry['at']}")
        while "ref" in node and "keys" not in node:
            node = types[node["ref"]]
        for name, child in entry["keys"].items():
            if name not in node.setdefault("keys", {}):
                node["keys"][name] = child
        if entry.get("source") and entry["source"] not in sources:
            sources.append(entry["source"])
    return sources
