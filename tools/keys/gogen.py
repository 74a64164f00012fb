"""The part of tools/keys/loki.py and tools/keys/tempo.py that is the same for both.

A Program says where the root configuration struct is, which Go types decode
in a known way, and how to cite; generate() walks every release tag, merges,
applies the overlay and writes the table to stdout, with everything it could
not resolve (left open) on stderr.
"""
import os
import re
import sys

import yaml

import gitsnap
import gosource
import goyaml
import keytable
import keyyaml

LOG_LEVEL = {"type": "string", "enum": ["debug", "info", "warn", "error"]}

# Go types whose yaml decoding is known, shared by Loki and Tempo (both build on dskit).
# Each was read at the release tags: the UnmarshalYAML (or yaml.v2's own rule) named.
KNOWN = {
    # yaml.v2 decodes time.Duration itself: time.ParseDuration on strings, also plain integers.
    "time.Duration": {"type": "duration"},
    # UnmarshalYAML: model.ParseDuration (ms s m h d w y; no fractions).
    "github.com/prometheus/common/model.Duration": {"type": "prom_duration"},
    # UnmarshalYAML -> Set: units.ParseBase2Bytes (KB/KiB/MB/MiB ... as powers of 1024).
    "github.com/grafana/dskit/flagext.Bytes": {"type": "size"},
    # UnmarshalYAML -> Set: exactly debug, info, warn, error.
    "github.com/grafana/dskit/log.Level": LOG_LEVEL,
    "github.com/weaveworks/common/logging.Level": LOG_LEVEL,
}


class Program:
    def __init__(self, **kw):
        self.fmt = kw["fmt"]                  # loki | tempo
        self.name = kw["name"]                # Loki | Tempo
        self.repo_url = kw["repo_url"]
        self.oldest = kw["oldest"]
        self.root_pkg = kw["root_pkg"]        # path below the module
        self.root_type = kw["root_type"]
        # More roots (a second file format the program reads, strictly too):
        # [(root name, path below the module, type name, [(file, regex)] to cite)]
        self.extra_roots = kw.get("extra_roots", [])
        self.known = dict(KNOWN, **kw.get("known", {}))
        self.custom = kw.get("custom", {})
        self.closed_inline = kw.get("closed_inline", ())
        self.strict_cite = kw["strict_cite"]  # [(path, regex)] cited at the oldest and newest tag
        self.root_file = kw["root_file"]      # the root struct's file, cited per minor
        self.header = kw["header"]
        self.strict_comment = kw["strict_comment"]
        self.overlay = kw["overlay"]
        self.extra_sources = kw.get("extra_sources", lambda git, versions: [])
        self.check = kw.get("check")          # (git, tag, node, table_text?) -> [problems]


def release_tags(git, oldest):
    out = git.tags("v*")
    tags = [t for t in out if re.fullmatch(r"v\d+\.\d+\.\d+", t)]
    tags = [t for t in tags if keytable.vkey(t) >= keytable.vkey(oldest)]
    return sorted(tags, key=keytable.vkey)


def line_of(git, tag, path, pattern):
    for i, line in enumerate((git.read(tag, path) or "").splitlines(), 1):
        if re.search(pattern, line):
            return i
    return None


def sources(prog, git, versions):
    out = []
    for tag in ("v" + versions[0], "v" + versions[-1]):
        for path, pattern in prog.strict_cite + [c for r in prog.extra_roots for c in r[3]]:
            ln = line_of(git, tag, path, pattern)
            if ln:  # a file some releases do not have is cited where it is
                out.append(f"{prog.repo_url}/blob/{tag}/{path}#L{ln}")
    minors = {}
    for v in versions:
        minors.setdefault(v.rsplit(".", 1)[0], []).append(v)
    for vs in minors.values():
        for v in sorted({vs[0], vs[-1]}, key=keytable.vkey):
            out.append(f"{prog.repo_url}/blob/v{v}/{prog.root_file}")
    return out + prog.extra_sources(git, versions)


def walk(prog, git, tag, problems, root_pkg=None, root_type=None):
    snap = gosource.Vendored(git, tag, bodies={"UnmarshalYAML"})
    w = goyaml.Walker(snap, prog.known, prog.custom, prog.closed_inline)
    node = w.root(snap.module + "/" + (root_pkg or prog.root_pkg), root_type or prog.root_type)
    for fq, where in w.unclassified.items():
        problems.setdefault(("unclassified UnmarshalYAML (left open)", f"{fq}  ({where})"), []).append(tag)
    for fq in w.unresolved:
        problems.setdefault(("unresolved type (left open)", fq), []).append(tag)
    for (sha, path), pkg in gosource.Vendored._packages.items():
        if pkg is not None and pkg.errors and path in w.visited_pkgs:
            for e in pkg.errors:
                problems.setdefault(("Go parse error (declarations after it unread)", f"{path}: {e}"), []).append(tag)
    return node


def generate(prog, argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("snapshot", help=f"git directory of a {prog.repo_url} snapshot")
    ap.add_argument("--overlay", default=prog.overlay)
    ap.add_argument("--check-docs", action="store_true",
                    help="cross-check every release against upstream's own reference (see the top of this file)")
    ap.add_argument("--tags", help="comma-separated subset of release tags (for trying things out)")
    args = ap.parse_args(argv)

    git = gitsnap.Repo(args.snapshot)
    tags = args.tags.split(",") if args.tags else release_tags(git, prog.oldest)
    versions = [t[1:] for t in tags]
    problems = {}
    per_root = {"config": {}}
    per_root.update({r[0]: {} for r in prog.extra_roots})
    for v, tag in zip(versions, tags):
        per_root["config"][v] = walk(prog, git, tag, problems)
        for name, pkg, typ, _ in prog.extra_roots:
            try:
                per_root[name][v] = walk(prog, git, tag, problems, pkg, typ)
            except ValueError:
                pass  # not in this release: the root gets since/until

    notes = []
    merger = keytable.Merger(versions, bounds="parent", loose=notes)
    overlay = load_overlay(args.overlay) if os.path.exists(args.overlay) else {}
    roots_out = {}
    unused = []
    for name, pv in per_root.items():
        out = merger.merge(pv, (name,))
        at = overlay_lookup(overlay, name)
        finish(out, at)
        out.update(merger.span(pv, versions))
        unused += sorted(at.entries - at.used)
        unused += overlay_add(overlay, name, out, versions)
        roots_out[name] = out
    types, roots = keytable.factor(roots_out)
    for t in types.values():
        keytable.strip_go(t)
    for r in roots.values():
        keytable.strip_go(r)
    header = [line.format(first=versions[0], last=versions[-1], n=len(versions)) for line in prog.header]
    srcs = sources(prog, git, versions) + overlay_sources(overlay)
    meta = {"format": prog.fmt, "program": prog.name, "strict": True, "versions": versions, "sources": srcs}
    text = keyyaml.dump(keyyaml.LEAVES, header, meta, types, roots, comments={"strict": prog.strict_comment})
    sys.stdout.write(text)

    for path, loose, total in notes:
        print(f"permissive in {loose} of {total} releases, so in all: {path}", file=sys.stderr)
    for p in unused:
        print("overlay problem (entry matches no key, or cannot be added): " + p, file=sys.stderr)
    for (kind, what), vs in sorted(problems.items()):
        rng = vs[0] if len(vs) == 1 else f"{vs[0]} … {vs[-1]} ({len(vs)} of {len(tags)} releases)"
        print(f"{kind}: {what} [{rng}]", file=sys.stderr)
    if args.check_docs and prog.check:
        for v, tag in zip(versions, tags):
            for line in prog.check(git, tag, per_root["config"][v], text):
                print(line, file=sys.stderr)
    return 0


# ---------------------------------------------------------------- overlay


def finish(node, overlay_at, path=()):
    """Sorts the keys of a merged tree by name and adds the overlay's fields
    (overlay_at(path) -> fields or None) to each key."""
    if "keys" in node:
        keys = {}
        for k in sorted(node["keys"]):
            child = finish(node["keys"][k], overlay_at, path + (k,))
            child.update(overlay_at(list(path + (k,))) or {})
            keys[k] = child
        node["keys"] = keys
    for k, seg in (("values", "*"), ("items", "[]")):
        if k in node:
            finish(node[k], overlay_at, path + (seg,))
    return node


def load_overlay(path):
    """The hand-written overlay of loki and tempo (tools/keys/<format>-overlay.yaml):

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
