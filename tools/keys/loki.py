#!/usr/bin/env python3
"""Generate knowledge/keys/loki.yaml: the keys Loki's configuration file accepts, per release.

Re-run (any snapshot of github.com/grafana/loki that has the release tags;
nothing is fetched, nothing is built):

  tools/keys/loki.py /work/.mirror/grafana+loki/repo > knowledge/keys/loki.yaml
  tools/keys/loki.py SNAPSHOT --check-docs     # also compare with the generated reference

How: at every release tag vX.Y.Z from 2.8.0 on, the Go type Loki unmarshals
its configuration file into (pkg/loki.ConfigWrapper, read with yaml.v2's
UnmarshalStrict) is walked through the snapshot's own source and vendor/
tree (gosrc.py, goyaml.py); the per-release trees are merged into one table
with since/until (keytable.py) and tools/keys/loki-overlay.yaml adds the
hand-written notes. Types with their own UnmarshalYAML are classified below
(CUSTOM) or recognised by goyaml.py; any other is left open, never guessed.

--check-docs parses the configuration reference Loki generates from the same
structs (docs/sources/.../configuration) at each tag and lists every key the
reference documents that the table lacks (expected: none; the reverse,
keys the reference hides with `doc:"hidden"`, is normal).

Deterministic: the same snapshot gives the same file, byte for byte.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gogen  # noqa: E402
import keytable  # noqa: E402

REPO_URL = "https://github.com/grafana/loki"

KNOWN = {
    # UnmarshalYAML -> Set: datasize.ByteSize on the upper-cased string (B, KB, MB, GB, ...).
    "github.com/grafana/loki/pkg/util/flagext.ByteSize": {"type": "size"},
    "github.com/grafana/loki/v3/pkg/util/flagext.ByteSize": {"type": "size"},
}

# Types with an UnmarshalYAML that goyaml.py does not recognise by itself: none
# at the covered releases (the generator lists any new one on stderr, left open).
CUSTOM = {}

DOC_PATHS = ("docs/sources/shared/configuration.md", "docs/sources/configure/_index.md",
             "docs/sources/configuration/_index.md")


def doc_path(git, tag):
    root = git.sha(tag + "^{tree}")
    for p in DOC_PATHS:
        sha = git.lookup(root, p)
        if sha and b"### server" in (git.blob(sha) or b""):
            return p
    return None


def extra_sources(git, versions):
    tag = "v" + versions[-1]
    return [f"{REPO_URL}/blob/{tag}/{doc_path(git, tag)}"]


# ---------------------------------------------------------------- reference cross-check


def doc_keys(text):
    """Dotted key paths of Loki's generated configuration reference."""
    sections, cur, inyaml, prev = {}, None, False, ""
    for line in text.splitlines():
        if line.strip():
            prev, before = line.strip(), prev
        if line.startswith("```yaml") and before.endswith("Example:"):
            inyaml, cur = True, None  # an example, not the reference
            continue
        m = re.match(r"^##+ (?:Supported contents and default values of `loki.yaml`|(\w+)|.*)\s*$", line)
        if m and not inyaml:
            cur = (m.group(1) or "ROOT") if ("Supported" in line or m.group(1)) else None
            if cur:
                sections.setdefault(cur, [])
            continue
        if line.startswith("```yaml") and cur:
            inyaml = True
            continue
        if line.startswith("```"):
            if inyaml:
                cur = None  # only the first block of a section: later ones are examples
            inyaml = False
            continue
        if inyaml and cur:
            sections[cur].append(line)
    trees = {}
    for name, lines in sections.items():
        root = {}
        stack = [(-1, root)]
        for line in lines:
            if re.match(r"^\s*#", line) or not line.strip():
                continue
            mi = re.match(r"^(\s*)\[<(\w+)>\]", line)
            if mi:
                while stack[-1][0] >= len(mi.group(1)):
                    stack.pop()
                stack[-1][1].setdefault("__inline__", []).append(mi.group(2))
                continue
            m = re.match(r"^(\s*)(?:- )?\[?([A-Za-z0-9_\-.]+):\s*(.*)$", line)
            if not m:
                continue
            ind = len(m.group(1))
            while stack[-1][0] >= ind:
                stack.pop()
            node = {"k": {}}
            t = re.match(r"<([^>]*)>", m.group(3))
            if t:
                node["t"] = t.group(1)
            stack[-1][1][m.group(2)] = node
            stack.append((ind, node["k"]))
        trees[name] = root
    out = set()

    def rec(tree, prefix, depth):
        for inc in tree.get("__inline__", []):
            if inc in trees and depth < 12:
                rec(trees[inc], prefix, depth + 1)
        for k, n in tree.items():
            if k == "__inline__":
                continue
            p = prefix + [k]
            out.add(".".join(p))
            if depth > 12:
                continue
            for pat in (r"^(\w+)$", r"^list of (\w+?)s$", r"^map of string to (\w+)$"):
                mm = re.match(pat, n.get("t", ""))
                if mm and mm.group(1) in trees:
                    rec(trees[mm.group(1)], p, depth + 1)
            rec(n["k"], p, depth + 1)
    rec(trees.get("ROOT", {}), [], 0)
    return out


def tree_keys(node, prefix, out, depth=0):
    for k, v in (node.get("keys") or {}).items():
        p = prefix + [k]
        out.add(".".join(p))
        if depth < 12:
            if "any" in keytable.node_types(v) or v.get("open"):
                out.add(".".join(p) + ".*")
            tree_keys(v, p, out, depth + 1)
            for sub in ("items", "values"):
                if sub in v:
                    tree_keys(v[sub], p, out, depth + 1)
                    if v[sub].get("open") or "any" in keytable.node_types(v[sub]):
                        out.add(".".join(p) + ".*")


def check_docs(git, tag, node):
    path = doc_path(git, tag)
    if path is None:
        return [f"{tag}: no configuration reference found"]
    text = git.blob(git.lookup(git.sha(tag + "^{tree}"), path)).decode("utf-8", "replace")
    documented = doc_keys(text)
    mine = set()
    tree_keys(node, [], mine)
    missing = []
    for d in sorted(documented - mine):
        parts = d.split(".")
        # covered when an ancestor is open/any in the table
        if any(".".join(parts[:i]) + ".*" in mine for i in range(1, len(parts))):
            continue
        # The reference renders Prometheus' config.URL as a struct with a `url` key; its
        # UnmarshalYAML takes a plain string (prometheus/common config/http_config.go).
        if d.endswith("proxy_url.url"):
            continue
        missing.append(f"{tag}: documented but not in table: {d}")
    return missing


def check(git, tag, node, _table):
    return check_docs(git, tag, node)


PROGRAM = gogen.Program(
    fmt="loki", name="Loki", repo_url=REPO_URL, oldest="2.8.0",
    root_pkg="pkg/loki", root_type="ConfigWrapper", root_file="pkg/loki/loki.go",
    # The runtime configuration file (runtime_config.file: per-tenant `overrides`,
    # `configs`, `multi_kv_config`), read with a strict yaml.v2 decoder too.
    extra_roots=[("runtime", "pkg/loki", "runtimeConfigValues",
                  [("pkg/loki/runtime_config.go", r"SetStrict\(true\)")])],
    known=KNOWN, custom=CUSTOM,
    strict_cite=[("pkg/util/cfg/files.go", r"yaml\.UnmarshalStrict"),
                 ("pkg/util/cfg/dynamic.go", r'ConfigFileLoader\(args, "config.file", true\)')],
    header=["Generated by tools/keys/loki.py from grafana/loki at v{first} … v{last} ({n} releases)",
            "and tools/keys/loki-overlay.yaml. Do not edit.",
            "Read from the Go structs Loki unmarshals its configuration file into (pkg/loki.ConfigWrapper),",
            "with yaml.v2's rules; keys the generated reference hides (doc:\"hidden\") are included."],
    strict_comment=["Loki reads the file with yaml.UnmarshalStrict: an unknown key stops it at startup",
                    "(\"field X not found in type Y\")."],
    overlay=os.path.join(os.path.dirname(os.path.abspath(__file__)), "loki-overlay.yaml"),
    extra_sources=extra_sources, check=check)

if __name__ == "__main__":
    sys.exit(gogen.generate(PROGRAM))
