"""Write a key table (knowledge/keys/README.md) as compact, deterministic YAML.

One writer for every table: a leading comment, the metadata (format, program,
strict, versions, sources), then `types` and `roots`. Nodes are written as
blocks or on one line in flow style; where a line breaks is the table's
Layout (each committed table keeps the layout it was reviewed in). Strings are
quoted unless they are plain identifiers or paths that YAML cannot read as
anything but a string; versions are therefore always quoted. The text is read
back with PyYAML before it is returned.
"""
import json
import re

import yaml

PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
# YAML 1.1 reads these (in any case) as booleans or null.
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
FIELD_ORDER = ["ref", "type", "enum", "open", "since", "until", "ranges", "deprecated", "note",
               "values", "items", "pattern_keys", "keys"]


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
    if PLAIN.fullmatch(s) and s.lower() not in RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


# What a mapping holds decides how it is ordered and broken:
DOC, TOP, NODE, NAMES = "doc", "top", "node", "names"  # document, types/roots, a node, keys of a node


def child_context(context, key):
    if context == DOC:
        return TOP
    if context == NODE and key in ("keys", "pattern_keys"):
        return NAMES
    return NODE


class Layout:
    """Line breaking and ordering of one table.

    width:        a mapping or list goes on one line when it fits in `width`
                  columns (lists: only those holding mappings or lists break);
                  otherwise (None) `leaf` decides, and `keys` always break.
    leaf:         node -> True when the node is written on one line.
    top_inline:   whether `leaf` applies to the entries of types/roots too
                  (else they are always blocks).
    ordered:      nodes' fields in FIELD_ORDER and names sorted (else as built).
    quote_sources: quote the source URLs (they are valid plain scalars too).
    """

    def __init__(self, width=None, leaf=None, top_inline=True, ordered=True, quote_sources=True):
        self.width, self.leaf, self.top_inline = width, leaf, top_inline
        self.ordered, self.quote_sources = ordered, quote_sources

    def items(self, mapping, context):
        if not self.ordered or context == DOC:
            return list(mapping.items())
        if context == NODE:
            return sorted(mapping.items(), key=lambda kv: (
                FIELD_ORDER.index(kv[0]) if kv[0] in FIELD_ORDER else 99, kv[0]))
        return sorted(mapping.items())

    def flow(self, v, context=NODE):
        if isinstance(v, dict):
            return "{" + ", ".join(f"{scalar(k)}: {self.flow(x, child_context(context, k))}"
                                   for k, x in self.items(v, context)) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(self.flow(x, context) for x in v) + "]"
        return scalar(v)

    def one_line(self, key, v, indent, context):
        """Whether the (non-empty) mapping or list v under `key` is written on one line."""
        if self.width is not None:
            if isinstance(v, list):
                return not (key == "sources" or any(isinstance(x, (dict, list)) for x in v)) \
                    or len(self.flow(v, context)) <= self.width
            return len(self.flow(v, context)) + 2 * indent + len(str(key)) <= self.width
        if isinstance(v, list):
            return not (context == DOC and key == "sources")
        if context == DOC or (context == TOP and not self.top_inline):
            return False
        if context == NODE and key in ("keys", "pattern_keys"):
            return False
        return self.leaf(v)

    def write(self, lines, key, v, indent, context):
        pad = "  " * indent
        if isinstance(v, (dict, list)) and v and not self.one_line(key, v, indent, context):
            lines.append(f"{pad}{scalar(key)}:")
            if isinstance(v, list):
                for x in v:
                    text = self.flow(x, NODE) if self.quote_sources or not isinstance(x, str) else x
                    lines.append(f"{pad}  - {text}")
                return
            inner = child_context(context, key)
            for k, x in self.items(v, inner):
                self.write(lines, k, x, indent + 1, inner)
        else:
            lines.append(f"{pad}{scalar(key)}: {self.flow(v, child_context(context, key))}")


def is_leaf(node):
    """A node without keys whose values/items have none either."""
    return "keys" not in node and all(not isinstance(node.get(k), dict) or is_leaf(node[k])
                                      for k in ("values", "items"))


def flat(v):
    return not isinstance(v, dict) or all(
        not isinstance(x, (dict, list)) or (isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x))
        for x in v.values())


# collector.yaml: anything that fits in 100 columns on one line, in the order built.
WIDTH_100 = Layout(width=100, ordered=False)
# loki.yaml, tempo.yaml: every node without keys on one line; source URLs unquoted.
LEAVES = Layout(leaf=is_leaf, quote_sources=False)
# prometheus, compose, grafana: short nodes without keys on one line (values/items
# of scalars only, under 60 columns; the node under 110); types and roots as blocks.
SHORT_LEAVES = Layout(top_inline=False, leaf=lambda node: all(
    not isinstance(v, dict) or (k in ("items", "values") and flat(v) and len(SHORT_LEAVES.flow(v)) < 60)
    for k, v in node.items()) and len(SHORT_LEAVES.flow(node)) < 110)


def dump(layout, header, meta, types, roots, comments=None):
    """The table as text. header: comment lines; meta: format, program, strict,
    versions, sources (in this order); comments: {meta field: comment lines
    written above it}."""
    lines = [f"# {line}" if line else "#" for line in header]
    doc = dict(meta, types=types, roots=roots)
    for k, v in doc.items():
        lines += [f"# {c}" for c in (comments or {}).get(k, [])]
        layout.write(lines, k, v, 0, DOC)
    text = "\n".join(lines) + "\n"
    yaml.safe_load(text)  # the table must read back as YAML
    return text
