#!/usr/bin/env python3
"""Reference checker for key tables (knowledge/keys/<format>.yaml).

Walks a configuration file against one root of a table, at one release, and
prints every key the table does not accept there, with line:column and a
"did you mean". It is a development aid for table authors (run it over real
configs to find holes in a table before obslint reports them); obslint's own
checker lives in C++ and follows the same semantics.

  tools/keys/check.py knowledge/keys/loki.yaml --root config --version 3.0.0 loki.yaml
  tools/keys/check.py knowledge/keys/collector.yaml --collector --version 0.92.0 otel.yaml
"""
import argparse
import re
import sys

import yaml


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


class Table:
    def __init__(self, path):
        with open(path) as f:
            self.doc = yaml.safe_load(f)
        self.types = self.doc.get("types") or {}
        self.roots = self.doc.get("roots") or {}

    def resolve(self, node):
        seen = 0
        while node and "ref" in node:
            base = dict(self.types[node["ref"]])
            extra = {k: v for k, v in node.items() if k != "ref"}
            base.update(extra)
            node = base
            seen += 1
            if seen > 50:
                raise ValueError("ref loop")
        return node or {}


def present(node, version):
    v = vkey(version)
    if "ranges" in node:
        return any(vkey(a) <= v and (b is None or v < vkey(b)) for a, b in node["ranges"])
    if "since" in node and v < vkey(node["since"]):
        return False
    if "until" in node and v >= vkey(node["until"]):
        return False
    return True


def distance(a, b):
    # Damerau-Levenshtein (optimal string alignment).
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def types_of(node):
    t = node.get("type", "map" if ("keys" in node or "values" in node or node.get("open")) else "any")
    return t if isinstance(t, list) else [t]


def walk(table, node, value, version, path, out):
    node = table.resolve(node)
    kinds = types_of(node)
    if "any" in kinds or value is None:
        return
    if isinstance(value, dict):
        if "map" not in kinds:
            out.append((value, path, f"a map where {'/'.join(kinds)} is expected"))
            return
        if node.get("open"):
            return
        keys = node.get("keys") or {}
        for k, v in value.items():
            ks = str(k)
            child = keys.get(ks)
            if child is not None and present(table.resolve(child), version):
                walk(table, child, v, version, path + [ks], out)
                continue
            pat = next((n for p, n in (node.get("pattern_keys") or {}).items() if re.search(p, ks)), None)
            if pat is not None:
                walk(table, pat, v, version, path + [ks], out)
                continue
            if "values" in node:
                walk(table, node["values"], v, version, path + [ks], out)
                continue
            if child is not None:
                out.append((k, path + [ks], f"not accepted at {version} (since {child.get('since', '-')}, until {child.get('until', '-')})"))
                continue
            valid = [n for n, c in keys.items() if present(c, version)]
            best = sorted(valid, key=lambda n: distance(ks, n))
            hint = ""
            if best and distance(ks, best[0]) <= max(1, len(ks) // 3):
                hint = f' (did you mean "{best[0]}"?)'
            out.append((k, path + [ks], "unknown key" + hint))
    elif isinstance(value, list):
        if "list" not in kinds:
            out.append((value, path, f"a list where {'/'.join(kinds)} is expected"))
            return
        for i, item in enumerate(value):
            if "items" in node:
                walk(table, node["items"], item, version, path + [str(i)], out)


class Loader(yaml.SafeLoader):
    pass


def construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)  # YAML merge keys (`<<: *anchor`), common in compose files
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        k = PosStr(str(key))
        k.line, k.col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        mapping[k] = loader.construct_object(value_node, deep=deep)
    return mapping


class PosStr(str):
    line = col = 0


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
for tag in ("!reset", "!override"):
    Loader.add_constructor(tag, lambda l, n: None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("table")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--root", default="config")
    ap.add_argument("--version", required=True)
    ap.add_argument("--collector", action="store_true",
                    help="check a collector config: each component against its own root")
    args = ap.parse_args()
    table = Table(args.table)
    status = 0
    for f in args.files:
        with open(f) as fh:
            doc = yaml.load(fh, Loader=Loader)
        out = []
        if args.collector and isinstance(doc, dict):
            for kind in ("receivers", "processors", "exporters", "extensions", "connectors"):
                for cid, cfg in (doc.get(kind) or {}).items():
                    ctype = str(cid).split("/")[0]
                    root = table.roots.get(f"{kind}/{ctype}")
                    if root is None or not present(root, args.version):
                        continue
                    walk(table, root, cfg, args.version, [kind, str(cid)], out)
            if "service" in table.roots and isinstance(doc.get("service"), dict):
                walk(table, table.roots["service"], doc["service"], args.version, ["service"], out)
        else:
            walk(table, table.roots[args.root], doc, args.version, [], out)
        for key, path, msg in out:
            line, col = getattr(key, "line", 0), getattr(key, "col", 0)
            print(f"{f}:{line}:{col}: {'.'.join(path)}: {msg}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
