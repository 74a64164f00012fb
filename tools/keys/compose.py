#!/usr/bin/env python3
"""Generate knowledge/keys/compose.yaml: the keys of a Compose file (root
`compose`), for every Docker Compose release from 2.0.0 on whose schema can be
read exactly.

Versions are Docker Compose releases (the program a user runs), because the
Compose Specification itself is not released: each docker/compose tag's go.mod
names the compose-spec/compose-go version it embeds, and compose-go validates
every file against its schema/compose-spec.json (go:embed). A release whose
compose-go version is not in the snapshot is left out (not judged).

Sources, read from local git snapshots (never the network):

  --compose      github.com/docker/compose          go.mod at each v2.x / v5.x tag
  --compose-go   github.com/compose-spec/compose-go  schema/compose-spec.json at that version
  --spec         github.com/compose-spec/compose-spec (optional) schema/compose-spec.json at HEAD:
                 only compared, to report keys the spec has that no release does yet

  tools/keys/compose.py --compose D --compose-go G [--spec S] > knowledge/keys/compose.yaml

JSON Schema to key table: `properties` -> keys; `patternProperties` "^x-" ->
pattern_keys (extensions, any value); other patternProperties (service,
network, volume names, label and env maps) -> values; `additionalProperties`
false closes a map, a schema gives `values`, true or absent leaves it open;
oneOf/anyOf alternatives are united (long and short syntaxes become a type
list: a port is [string, int, map]); `enum` is kept only when every
alternative of a value is an enum; "$ref" -> a named type (definitions).

Deterministic: the same snapshots give the same file byte for byte.
"""
import argparse
import copy
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from tables_pcg import GitSnapshot, dump, merge_nodes, merge_versions, vkey  # noqa: E402

SCALARS = {"string": "string", "integer": "int", "number": "float", "boolean": "bool"}


class SchemaConverter:
    def __init__(self, schema):
        self.schema = schema
        self.defs = schema.get("definitions") or schema.get("$defs") or {}
        self.types = {}

    def ref(self, ref):
        name = ref.split("/")[-1]
        if name not in self.types:
            self.types[name] = {"type": "any"}  # placeholder for recursion
            self.types[name] = self.node(self.defs[name])
        return {"ref": name}

    def node(self, s):
        if s is True or s == {} or s is None:
            return {"type": "any"}
        if s is False:
            return {"type": "any"}
        alts = []
        base = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf", "allOf")}
        for key in ("oneOf", "anyOf"):
            if key in s:
                for alt in s[key]:
                    merged = dict(base)
                    merged.update(alt)
                    if merged.get("type") == "null":
                        continue  # null is accepted everywhere anyway
                    alts.append(self.node(merged))
        if alts:
            return union(alts, self.types)
        if "$ref" in s:
            return self.ref(s["$ref"])
        types = s.get("type")
        if types is None:
            if "properties" in s or "patternProperties" in s or "additionalProperties" in s:
                types = "object"
            elif "items" in s:
                types = "array"
            elif "enum" in s:
                types = "string"
            else:
                return {"type": "any"}
        types = types if isinstance(types, list) else [types]
        nodes = []
        for t in types:
            if t == "null":
                continue
            if t == "object":
                nodes.append(self.obj(s))
            elif t == "array":
                items = s.get("items")
                nd = {"type": "list"}
                if isinstance(items, dict) and items:
                    nd["items"] = self.node(items)
                nodes.append(nd)
            else:
                nd = {"type": SCALARS[t]}
                if "enum" in s and t == "string":
                    nd["enum"] = [str(x) for x in s["enum"] if x is not None]
                nodes.append(nd)
        if not nodes:
            return {"type": "any"}
        return union(nodes, self.types)

    def obj(self, s):
        nd = {"type": "map"}
        props = s.get("properties") or {}
        keys = {k: self.node(v) for k, v in props.items()}
        values = []
        patterns = {}
        for pat, sub in (s.get("patternProperties") or {}).items():
            if pat == "^x-":
                patterns[pat] = {"type": "any"}
            else:
                values.append(self.node(sub))
        add = s.get("additionalProperties", True)
        if add is True or add == {}:
            if not values:
                nd["open"] = True
        elif isinstance(add, dict):
            values.append(self.node(add))
        if keys or not (values or nd.get("open")):
            nd["keys"] = keys
        if values:
            nd["values"] = union(values, self.types)
        if patterns:
            nd["pattern_keys"] = patterns
        return nd


def union(nodes, types=None):
    """One node accepting what any of the alternatives accepts (types: the
    definitions converted so far, to copy a $ref in)."""
    if len(nodes) == 1:
        return nodes[0]
    kinds = []
    for nd in nodes:
        t = nd.get("type", "any" if "ref" not in nd else "ref")
        for x in (t if isinstance(t, list) else [t]):
            if x not in kinds:
                kinds.append(x)
    if "any" in kinds:
        return {"type": "any"}
    refs = [nd for nd in nodes if "ref" in nd]
    if refs:
        if len(nodes) == len(refs) and len({r["ref"] for r in refs}) == 1:
            return refs[0]
        if types is None:
            return {"type": "any"}
        # A $ref next to other shapes (depends_on: a list_of_strings or a
        # map): the referenced definition is copied in and united.
        nodes = [copy.deepcopy(types[nd["ref"]]) if "ref" in nd else nd for nd in nodes]
        if any("ref" in nd or nd.get("type") == "any" for nd in nodes):
            return {"type": "any"}
    # merge_nodes unites shapes, keys, items, values and enums across "versions".
    per = {i: nd for i, nd in enumerate(nodes)}
    merged = merge_nodes(per, [str(i) for i in range(len(nodes))])
    # Keys present in one alternative only would get since/until from the
    # union; strip them (all alternatives hold at the same time).
    strip_bounds(merged)
    # An enum survives only when every scalar alternative was an enum.
    scalar_alts = [nd for nd in nodes if nd.get("type") in SCALARS.values()]
    if scalar_alts and not all("enum" in nd for nd in scalar_alts):
        merged.pop("enum", None)
    if any(nd.get("open") for nd in nodes):
        merged.pop("keys", None)
        merged.pop("values", None)
        merged.pop("pattern_keys", None)
        merged["open"] = True
    return merged


def strip_bounds(nd):
    if isinstance(nd, dict):
        for k in ("since", "until", "ranges"):
            nd.pop(k, None)
        for k in ("keys", "pattern_keys"):
            for v in (nd.get(k) or {}).values():
                strip_bounds(v)
        for k in ("items", "values"):
            if k in nd:
                strip_bounds(nd[k])


def convert(schema):
    conv = SchemaConverter(schema)
    root = conv.node({k: v for k, v in schema.items() if k not in ("definitions", "$defs")})
    return {"types": conv.types, "roots": {"compose": root}}


def go_module_version(gomod):
    m = re.search(r"^\s*github\.com/compose-spec/compose-go(/v2)?\s+(v\S+)", gomod, re.M)
    if re.search(r"^\s*replace\s+github\.com/compose-spec/compose-go|^\s*github\.com/compose-spec/compose-go\S*\s+=>", gomod, re.M):
        raise SystemExit("go.mod replaces compose-go; not handled")
    return m.group(2)


def rev_of(version):
    m = re.search(r"\d{14}-([0-9a-f]{12})$", version)
    return m.group(1) if m else version


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compose", required=True)
    ap.add_argument("--compose-go", required=True)
    ap.add_argument("--spec")
    args = ap.parse_args()
    dc, cg = GitSnapshot(args.compose), GitSnapshot(args.compose_go)
    cg_tags = set(cg.tags())
    tags = sorted((t for t in dc.tags() if re.fullmatch(r"v[25]\.\d+\.\d+", t)), key=vkey)
    trees, versions, used, skipped = [], [], {}, []
    cache = {}
    for tag in tags:
        ver = go_module_version(dc.read(tag, "go.mod"))
        rev = rev_of(ver)
        if rev == ver and rev not in cg_tags:
            skipped.append(f"{tag} (compose-go {ver} not in the snapshot)")
            continue
        if rev not in cache:
            text = cg.read(rev, "schema/compose-spec.json")
            if text is None:
                skipped.append(f"{tag} (compose-go {ver}: no schema)")
                continue
            cache[rev] = json.loads(text)
        trees.append(convert(cache[rev]))
        versions.append(tag[1:])
        used[tag] = (ver, rev)
    types, roots = merge_versions(trees, versions)
    sources = [f"https://github.com/docker/compose/blob/{t}/go.mod" for t in (tags[0], sorted(used, key=vkey)[-1])]
    seen = set()
    for tag in sorted(used, key=vkey):
        ver, rev = used[tag]
        if rev in seen:
            continue
        seen.add(rev)
        ref = rev if rev in cg_tags else cg.commit_of(rev)
        sources.append(f"https://github.com/compose-spec/compose-go/blob/{ref}/schema/compose-spec.json")
    if args.spec:
        spec = GitSnapshot(args.spec)
        head = spec.commit_of("HEAD")
        sources.append(f"https://github.com/compose-spec/compose-spec/blob/{head}/04-version-and-name.md")
        spec_tree = convert(json.loads(spec.read(head, "schema/compose-spec.json")))
        extra = compare(spec_tree, trees[-1])
        if extra:
            print("keys in compose-spec HEAD that the newest release does not accept:\n  " +
                  "\n  ".join(extra), file=sys.stderr)
    if skipped:
        print("releases left out: " + ", ".join(skipped), file=sys.stderr)
    header = [
        f"Generated by tools/keys/compose.py from docker/compose {tags[0]} … v{versions[-1]}",
        "(go.mod) and the compose-spec/compose-go schema/compose-spec.json each release embeds. Do not edit.",
        "Versions are Docker Compose releases; root `compose`: a compose file.",
    ]
    meta = {"format": "compose", "program": "Docker Compose", "strict": False,
            "versions": versions, "sources": sources}
    sys.stdout.write(dump(header, meta, types, roots))


def compare(a, b):
    """Key paths accepted by tree a and not by tree b (both single-release trees)."""
    out = []

    def res(tree, nd):
        while "ref" in nd:
            nd = tree["types"][nd["ref"]]
        return nd

    def walk(na, nb, path, depth):
        if depth > 12:
            return
        na, nb = res(a, na), res(b, nb)
        if nb.get("open") or nb.get("type") == "any":
            return
        for k, sub in (na.get("keys") or {}).items():
            if k not in (nb.get("keys") or {}):
                if "values" not in nb:
                    out.append(path + k)
                continue
            walk(sub, nb["keys"][k], path + k + ".", depth + 1)
        for k in ("items", "values"):
            if k in na and k in nb:
                walk(na[k], nb[k], path + ("[]." if k == "items" else "*."), depth + 1)
    walk(a["roots"]["compose"], b["roots"]["compose"], "", 0)
    return sorted(set(out))


if __name__ == "__main__":
    main()
