"""Shared helpers for the key-table generators in tools/keys/.

- GitSnapshot reads files of a fetched upstream repository at a tag or commit
  (one `git cat-file --batch` process, no work tree, no network).
- merge_versions() turns one key tree per release into a single tree whose
  keys carry since/until/ranges (knowledge/keys/README.md).
- dump() writes a table as compact, deterministic YAML: keys sorted, leaf
  nodes in flow style, versions always quoted.
"""
import json
import re
import subprocess


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


class GitSnapshot:
    """Read-only access to a bare git directory (as `fetch` leaves it)."""

    def __init__(self, gitdir):
        self.gitdir = gitdir
        self._proc = subprocess.Popen(
            ["git", "--git-dir", gitdir, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._cache = {}
        self._ls = {}

    def git(self, *args):
        return subprocess.run(["git", "--git-dir", self.gitdir, *args], check=True,
                              capture_output=True, text=True).stdout

    def read(self, rev, path):
        key = (rev, path)
        if key not in self._cache:
            self._proc.stdin.write(f"{rev}:{path}\n".encode())
            self._proc.stdin.flush()
            header = self._proc.stdout.readline().decode()
            if header.endswith("missing\n"):
                self._cache[key] = None
            else:
                size = int(header.split()[2])
                data = self._proc.stdout.read(size + 1)[:-1]
                self._cache[key] = data.decode("utf-8", "replace")
        return self._cache[key]

    def ls(self, rev, directory):
        """Names of the entries of a directory at rev (files and subdirectories)."""
        if rev not in self._ls:
            listing = {}
            out = self.git("ls-tree", "-r", "-t", "--name-only", rev)
            for path in out.split("\n")[:-1]:
                parent, _, name = path.rpartition("/")
                listing.setdefault(parent, []).append(name)
            self._ls[rev] = listing
        return sorted(self._ls[rev].get(directory.strip("/"), []))

    def tags(self):
        return self.git("tag").split()

    def commit_of(self, rev):
        return self.git("rev-parse", f"{rev}^{{commit}}").strip()


# ---------------------------------------------------------------- merging

def _presence(indices, n, versions):
    """since/until/ranges fields for a key present at the given version indices."""
    idx = sorted(indices)
    runs = []
    for i in idx:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    if len(runs) == 1:
        a, b = runs[0]
        out = {}
        if a > 0:
            out["since"] = versions[a]
        if b < n - 1:
            out["until"] = versions[b + 1]
        return out
    return {"ranges": [[versions[a], versions[b + 1] if b < n - 1 else None] for a, b in runs]}


def _types(node):
    t = node.get("type")
    if t is None:
        return []
    return t if isinstance(t, list) else [t]


TYPE_ORDER = ["map", "list", "string", "int", "float", "bool", "duration", "prom_duration", "size", "any"]


def merge_nodes(per_version, versions):
    """per_version: {version index: node}. Returns one node for all of them.

    Shapes are united (a key that was a string and became a map accepts
    both), so an older release never gets a wrong-type report from a newer
    shape. Enums are united too. Everything else comes from the newest.
    """
    n = len(versions)
    newest = per_version[max(per_version)]
    refs = {nd["ref"] for nd in per_version.values() if "ref" in nd}
    if "ref" in newest:
        for r in refs - {newest["ref"]}:
            ALIASES.setdefault(r, set()).add(newest["ref"])
        out = {"ref": newest["ref"]}
        return out
    kinds = []
    for i in sorted(per_version):
        for t in _types(per_version[i]):
            if t not in kinds:
                kinds.append(t)
    out = {}
    if "any" in kinds:
        out["type"] = "any"
        return out
    if any("ref" in per_version[i] for i in per_version):
        # A ref in some releases and an inline node in others: keep the ref
        # (the shared structure) of the newest release that has one.
        i = max(i for i in per_version if "ref" in per_version[i])
        return {"ref": per_version[i]["ref"]}
    kinds.sort(key=TYPE_ORDER.index)
    if kinds:
        out["type"] = kinds[0] if len(kinds) == 1 else kinds
    if any(per_version[i].get("open") for i in per_version):
        out["open"] = True
    else:
        keyed = {i: nd for i, nd in per_version.items() if "keys" in nd}
        if keyed:
            names = sorted({k for nd in keyed.values() for k in nd["keys"]})
            keys = {}
            for name in names:
                sub = {i: nd["keys"][name] for i, nd in keyed.items() if name in nd["keys"]}
                child = merge_nodes(sub, versions)
                # Presence is judged over the releases where the parent is a
                # map with fixed keys; a parent absent at a release says nothing.
                pres = _relative_presence(set(sub), set(keyed), versions)
                extra = {k: v for k, v in sub[max(sub)].items() if k in ("note", "deprecated")}
                child.update(extra)
                child.update(pres)
                keys[name] = child
            if keys or not any(("values" in nd or "pattern_keys" in nd) for nd in per_version.values()):
                out["keys"] = keys
        vals = {i: nd["values"] for i, nd in per_version.items() if "values" in nd}
        if vals:
            out["values"] = merge_nodes(vals, versions)
        pats = {}
        for i, nd in per_version.items():
            for p, pn in (nd.get("pattern_keys") or {}).items():
                pats.setdefault(p, {})[i] = pn
        if pats:
            out["pattern_keys"] = {p: merge_nodes(sub, versions) for p, sub in sorted(pats.items())}
    items = {i: nd["items"] for i, nd in per_version.items() if "items" in nd}
    if items:
        out["items"] = merge_nodes(items, versions)
    enums = [nd.get("enum") for nd in per_version.values()]
    if all(e is not None for e in enums):
        merged = []
        for e in enums:
            for x in e:
                if x not in merged:
                    merged.append(x)
        out["enum"] = sorted(merged, key=str)
    for k in ("note",):
        if k in newest:
            out[k] = newest[k]
    return out


def _relative_presence(present, parent, versions):
    """since/until/ranges of a key, judged only at the releases where its
    parent exists: a key present whenever its parent is gets no bounds (the
    parent's own bounds say it), and releases without the parent never split
    a run."""
    order = sorted(parent)
    runs = []
    for pos, i in enumerate(order):
        if i in present:
            if runs and runs[-1][1] == pos - 1:
                runs[-1][1] = pos
            else:
                runs.append([pos, pos])
    def bounds(a, b):
        return (versions[order[a]] if a > 0 else None,
                versions[order[b + 1]] if b + 1 < len(order) else None)
    if len(runs) == 1:
        since, until = bounds(*runs[0])
        out = {}
        if since:
            out["since"] = since
        if until:
            out["until"] = until
        return out
    out = []
    for a, b in runs:
        since, until = bounds(a, b)
        out.append([since or versions[order[a]], until])
    return {"ranges": out}


def prune(types, roots):
    """Drop the types no root reaches."""
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


ALIASES = {}


def _rename_refs(node, old, new):
    if isinstance(node, dict):
        if node.get("ref") == old:
            node["ref"] = new
        for v in node.values():
            _rename_refs(v, old, new)
    elif isinstance(node, list):
        for v in node:
            _rename_refs(v, old, new)


def merge_versions(trees, versions):
    """trees: list (one per version, ascending) of {"types": {...}, "roots": {...}}.

    A key whose structure changed name between releases (a Go type renamed or
    moved: ec2.SDConfig -> aws.EC2SDConfig) points at the newest name; the
    older releases' structure is merged under that name, so its keys keep
    their own history."""
    while True:
        ALIASES.clear()
        types, roots = _merge_once(trees, versions)
        renames = {}
        for old, news in sorted(ALIASES.items()):
            if len(news) != 1:
                continue
            new = next(iter(news))
            if any(old in t["types"] and new in t["types"] for t in trees):
                continue  # both exist in one release: two different structures
            renames[old] = new
        if not renames:
            return types, roots
        for tree in trees:
            for old, new in renames.items():
                if old in tree["types"]:
                    tree["types"][new] = tree["types"].pop(old)
                _rename_refs(tree, old, new)


def _merge_once(trees, versions):
    n = len(versions)
    types = {}
    names = sorted({t for tree in trees for t in tree["types"]})
    for name in names:
        sub = {i: tree["types"][name] for i, tree in enumerate(trees) if name in tree["types"]}
        types[name] = merge_nodes(sub, versions)
    roots = {}
    for name in sorted({r for tree in trees for r in tree["roots"]}):
        sub = {i: tree["roots"][name] for i, tree in enumerate(trees) if name in tree["roots"]}
        node = merge_nodes(sub, versions)
        node.update(_presence(set(sub), n, versions))
        roots[name] = node
    return prune(types, roots), roots


# ---------------------------------------------------------------- output

PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$")
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    s = str(v)
    if PLAIN.match(s) and s.lower() not in RESERVED and not re.match(r"^[0-9]", s):
        return s
    return json.dumps(s)


def flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


FIELD_ORDER = ["ref", "type", "enum", "open", "since", "until", "ranges", "deprecated", "note",
               "values", "items", "pattern_keys", "keys"]


def _ordered(node):
    return {k: node[k] for k in sorted(node, key=lambda k: (FIELD_ORDER.index(k) if k in FIELD_ORDER else 99, k))}


def _is_leaf(node):
    def small(v):
        if isinstance(v, dict):
            return all(not isinstance(x, (dict, list)) or (isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x)) for x in v.values())
        return True
    return all(not isinstance(v, dict) or (k in ("items", "values") and small(v) and len(flow(v)) < 60)
               for k, v in node.items()) and len(flow(node)) < 110


def emit_node(node, indent, out):
    node = _ordered(node)
    pad = "  " * indent
    for k, v in node.items():
        if k in ("keys", "pattern_keys", "values", "items") and isinstance(v, dict):
            if k in ("values", "items"):
                if _is_leaf(v):
                    out.append(f"{pad}{k}: {flow(_ordered(v))}")
                else:
                    out.append(f"{pad}{k}:")
                    emit_node(v, indent + 1, out)
                continue
            if not v:
                out.append(f"{pad}{k}: {{}}")
                continue
            out.append(f"{pad}{k}:")
            for name in sorted(v):
                child = v[name]
                if _is_leaf(child):
                    out.append(f"{pad}  {scalar(name)}: {flow(_ordered(child))}")
                else:
                    out.append(f"{pad}  {scalar(name)}:")
                    emit_node(child, indent + 2, out)
        else:
            out.append(f"{pad}{k}: {flow(v)}")


def dump(header_lines, meta, types, roots):
    """meta: ordered dict of format/program/strict/versions/sources."""
    out = [f"# {line}" if line else "#" for line in header_lines]
    for k, v in meta.items():
        if isinstance(v, list) and k == "sources":
            out.append(f"{k}:")
            out.extend(f"  - {scalar(x)}" for x in v)
        elif isinstance(v, list):
            out.append(f"{k}: [" + ", ".join(json.dumps(x) for x in v) + "]")
        else:
            out.append(f"{k}: {scalar(v)}")
    out.append("types:" if types else "types: {}")
    for name in sorted(types):
        out.append(f"  {scalar(name)}:")
        emit_node(types[name], 2, out)
    out.append("roots:")
    for name in sorted(roots):
        out.append(f"  {scalar(name)}:")
        emit_node(roots[name], 2, out)
    return "\n".join(out) + "\n"


def apply_overlay(types, roots, path):
    """Merge a hand-written overlay (tools/keys/<format>-overlay.yaml):

    notes:
      - at: types/<type name>/<key>[/<key>...]   (or roots/<root>/<key>...)
        note: short hint shown with a finding
        source: citation (knowledge/keys/README.md)

    Returns the overlay's sources. A path that does not exist stops the tool:
    an overlay must never silently drift from the generated table.
    """
    import yaml
    with open(path) as f:
        doc = yaml.safe_load(f) or {}
    sources = []
    for entry in doc.get("notes") or []:
        parts = entry["at"].split("/")
        base = {"types": types, "roots": roots}[parts[0]]
        node = base[parts[1]]
        for key in parts[2:]:
            while "ref" in node and "keys" not in node:
                node = types[node["ref"]]
            if key == "[]":
                node = node["items"]
            else:
                node = node["keys"][key]
        node["note"] = entry["note"]
        if entry.get("source") and entry["source"] not in sources:
            sources.append(entry["source"])
    return sources


def apply_additions(types, roots, path):
    """Keys added by hand (overlay `add:` entries): {at, keys: {name: node}, source}."""
    import yaml
    with open(path) as f:
        doc = yaml.safe_load(f) or {}
    sources = []
    for entry in doc.get("add") or []:
        parts = entry["at"].split("/")
        node = {"types": types, "roots": roots}[parts[0]][parts[1]]
        for key in parts[2:]:
            while "ref" in node and "keys" not in node:
                node = types[node["ref"]]
            node = node["items"] if key == "[]" else node["keys"][key]
        while "ref" in node and "keys" not in node:
            node = types[node["ref"]]
        for name, child in entry["keys"].items():
            if name not in node.setdefault("keys", {}):
                node["keys"][name] = child
        if entry.get("source") and entry["source"] not in sources:
            sources.append(entry["source"])
    return sources
