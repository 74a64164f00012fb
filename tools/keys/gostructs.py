"""Read Go struct declarations (fields, yaml/json tags, UnmarshalYAML methods)
from a git snapshot, without a Go toolchain: a small lexer that is enough for
configuration structs (it reads declarations, never function bodies, except
to recognise the `type plain T` unmarshalling idiom).

Used by tools/keys/prometheus.py and tools/keys/grafana.py.
"""
import re


def strip_comments(src):
    """Remove // and /* */ comments, keeping string, rune and raw literals."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "/" and i + 1 < n and src[i + 1] == "/":
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif c == "/" and i + 1 < n and src[i + 1] == "*":
            j = src.find("*/", i + 2)
            chunk = src[i:n if j < 0 else j + 2]
            out.append("\n" * chunk.count("\n"))
            i = n if j < 0 else j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif c == "`":
            j = src.find("`", i + 1)
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def match_brace(s, i, open_="{", close="}"):
    """Index just past the bracket that closes the one at s[i]."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "`":
            j = s.find("`", j + 1)
        elif c in "\"'":
            k = j + 1
            while s[k] != c:
                k += 2 if s[k] == "\\" else 1
            j = k
        elif c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError("unbalanced")


class Field:
    def __init__(self, name, typ, tag, embedded):
        self.name, self.typ, self.tag, self.embedded = name, typ, tag, embedded

    def tag_value(self, key):
        m = re.search(key + r':"([^"]*)"', self.tag or "")
        return None if m is None else m.group(1)


class TypeDecl:
    def __init__(self, name, kind, body, imports, path):
        self.name = name
        self.kind = kind        # "struct" or "named" (any other type expression)
        self.body = body        # list of Field for structs, type expression otherwise
        self.imports = imports  # alias -> import path, for the file that declares it
        self.path = path        # file that declares it
        self.alias = False      # `type A = B`


IMPORT_SPEC = re.compile(r'^\s*(?:([\w.]+)\s+)?"([^"]+)"\s*$')


def parse_imports(src):
    imports = {}
    specs = []
    for m in re.finditer(r"^import\s*\(([^)]*)\)", src, re.M):
        specs.extend(m.group(1).split("\n"))
    for m in re.finditer(r'^import\s+((?:[\w.]+\s+)?"[^"]+")', src, re.M):
        specs.append(m.group(1))
    for spec in specs:
        m = IMPORT_SPEC.match(spec)
        if not m:
            continue
        alias, path = m.group(1), m.group(2)
        if alias in ("_", "."):
            continue
        if alias is None:
            last = path.rstrip("/").split("/")[-1]
            if re.match(r"^v\d+$", last):
                last = path.rstrip("/").split("/")[-2]
            alias = re.sub(r"^go-|[.-]go$|\.v\d+$", "", last).replace("-", "_")
        imports[alias] = path
    return imports


def parse_fields(body):
    """Fields of a struct body (the text between its braces)."""
    fields = []
    # Join lines that open an inline struct/interface so one field is one item.
    items, buf, depth = [], "", 0
    for line in body.split("\n"):
        buf = (buf + " " + line) if buf else line
        depth += line.count("{") - line.count("}")
        if depth <= 0:
            items.extend(x for x in buf.split(";"))
            buf, depth = "", 0
    for item in items:
        item = item.strip()
        if not item:
            continue
        tag = None
        m = re.search(r"`([^`]*)`\s*$", item)
        if m:
            tag = m.group(1)
            item = item[:m.start()].strip()
        m = re.match(r"^\*?([\w.]+)$", item)
        if m:  # embedded
            name = m.group(1).split(".")[-1]
            fields.append(Field(name, item, tag, True))
            continue
        m = re.match(r"^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+(.+)$", item)
        if not m:
            raise ValueError(f"cannot read field: {item!r}")
        for name in re.split(r"\s*,\s*", m.group(1)):
            fields.append(Field(name, m.group(2).strip(), tag, False))
    return fields


def parse_types(src, path):
    """(types, unmarshalers, methods) declared in one Go file."""
    src = strip_comments(src)
    imports = parse_imports(src)
    types = {}
    specs = []
    for m in re.finditer(r"^type\s*\(", src, re.M):
        end = match_brace(src, m.end() - 1, "(", ")")
        group = src[m.end():end - 1]
        # split the group into specs at depth 0 newlines
        depth, start = 0, 0
        for i, c in enumerate(group):
            if c in "{([":
                depth += 1
            elif c in "})]":
                depth -= 1
            elif c == "\n" and depth == 0:
                specs.append(group[start:i])
                start = i + 1
        specs.append(group[start:])
    for m in re.finditer(r"^type\s+(?=\w)", src, re.M):
        # single spec: up to the end of its struct braces or of the line
        rest = src[m.end():]
        sm = re.match(r"(\w+)(\s*\[[^\]]*\])?\s+(=\s*)?(struct|interface)\s*\{", rest)
        if sm:
            end = match_brace(rest, sm.end() - 1)
            specs.append(rest[:end])
        else:
            specs.append(rest.split("\n", 1)[0])
    for spec in specs:
        spec = spec.strip()
        if not spec:
            continue
        m = re.match(r"(\w+)(?:\s*\[[^\]]*\])?\s+(=\s*)?(.*)$", spec, re.S)
        if not m:
            continue
        name, alias, texpr = m.group(1), bool(m.group(2)), m.group(3).strip()
        sm = re.match(r"struct\s*\{", texpr)
        if sm:
            end = match_brace(texpr, sm.end() - 1)
            types[name] = TypeDecl(name, "struct", parse_fields(texpr[sm.end():end - 1]), imports, path)
        else:
            types[name] = TypeDecl(name, "named", texpr, imports, path)
            types[name].alias = alias
    methods = {}
    for m in re.finditer(r"^func\s*\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*(\w+)\s*\(", src, re.M):
        # skip the signature (parameters may hold `interface{}`): the body
        # brace comes after the parameter list and the results
        try:
            pos = match_brace(src, m.end() - 1, "(", ")")
            rest = src[pos:].lstrip()
            if rest.startswith("("):
                pos = match_brace(src, src.index("(", pos), "(", ")")
            brace = src.find("{", pos)
            while src[pos:brace].rstrip().endswith("interface"):
                brace = src.find("{", brace + 2)
            end = match_brace(src, brace)
        except ValueError:
            continue
        methods.setdefault(m.group(1), {})[m.group(2)] = src[brace:end]
    return types, methods, imports


class Package:
    def __init__(self, import_path):
        self.import_path = import_path
        self.types = {}
        self.methods = {}
        self.files = {}   # path -> stripped source
        self.consts = {}

    def add_file(self, path, src):
        types, methods, _ = parse_types(src, path)
        self.types.update(types)
        for t, ms in methods.items():
            self.methods.setdefault(t, {}).update(ms)
        stripped = strip_comments(src)
        self.files[path] = stripped
        for m in re.finditer(r'^\s*(\w+)\s*(?:\w+\s*)?=\s*"([^"]*)"', stripped, re.M):
            self.consts.setdefault(m.group(1), m.group(2))


def go_files(names):
    return [n for n in names if n.endswith(".go") and not n.endswith("_test.go")]


def build_constraint_ok(src):
    """False for files that a default build leaves out (ignore, test tags, other OSes)."""
    for m in re.finditer(r"^//go:build (.*)$", src, re.M):
        expr = m.group(1)
        if "ignore" in expr.split() or re.fullmatch(r"\s*(windows|darwin|plan9|js|wasm|tools)\s*", expr):
            return False
    return True


BUILTIN = {
    "string": "string", "bool": "bool", "byte": "int", "rune": "int",
    "int": "int", "int8": "int", "int16": "int", "int32": "int", "int64": "int",
    "uint": "int", "uint8": "int", "uint16": "int", "uint32": "int", "uint64": "int",
    "float32": "float", "float64": "float",
}


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

    def __init__(self, loader, overrides, tag="yaml", hooks=(), lenient=False, inline_embedded=False):
        # inline_embedded: flatten untagged embedded structs. yaml.v2 would
        # read them as one key named after the type (`configversion`), which
        # nobody writes; Grafana reads `apiVersion` from them in a first pass.
        self.inline_embedded = inline_embedded
        self.lenient = lenient  # debugging: record unknown types as `any` instead of stopping
        self.loader = loader
        self.overrides = overrides
        self.tag = tag
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
        um = pkg.methods.get(tname, {}).get("UnmarshalYAML")
        names = [tname]
        if decl.kind == "named" and decl.alias and decl.body in pkg.types:
            # `type A = B`: methods declared on A are B's; keep A's name.
            names.append(decl.body)
            decl = pkg.types[decl.body]
            um = um or pkg.methods.get(decl.name, {}).get("UnmarshalYAML")
        if decl.kind == "struct":
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
                node = self.struct(decl, pkg)
                if extra:
                    node.setdefault("keys", {}).update(extra)
                self.types[name] = node
            return {"ref": name}
        if um is not None:
            raise NeedsOverride(key + " (custom UnmarshalYAML)")
        return self.expr(decl.body, pkg, decl.imports)

    def struct(self, decl, pkg):
        keys = {}
        node = {"type": "map", "keys": keys}
        for f in decl.body:
            tagv = f.tag_value(self.tag)
            name, _, opts = (tagv or "").partition(",")
            opts = opts.split(",") if opts else []
            if name == "-":
                continue
            if not f.embedded and not f.name[0].isupper():
                continue
            if "inline" in opts or (f.embedded and tagv is None and self.inline_embedded):
                sub = self.resolve(self.expr(f.typ, pkg, decl.imports))
                if sub.get("open"):
                    node["open"] = True
                if "values" in sub:
                    node["values"] = sub["values"]
                keys.update(sub.get("keys", {}))
                continue
            if not name:
                name = f.name.lower()
            keys[name] = self.expr(f.typ, pkg, decl.imports)
        return node

    def resolve(self, node):
        while "ref" in node:
            node = self.types[node["ref"]]
        return node

    def expr(self, t, pkg, imports):
        t = t.strip()
        if t.startswith("*"):
            return self.expr(t[1:], pkg, imports)
        if t == "[]byte":
            return {"type": "string"}
        m = re.match(r"^\[\d*\]", t)
        if m:
            return {"type": "list", "items": self.expr(t[m.end():], pkg, imports)}
        if t.startswith("map["):
            end = match_brace(t, 3, "[", "]")
            val = t[end:].strip()
            if val in ("any", "interface{}"):
                return {"type": "map", "open": True}
            return {"type": "map", "values": self.expr(val, pkg, imports)}
        if t in ("any", "interface{}") or t.startswith("interface"):
            return {"type": "any"}
        if t.startswith("func") or t.startswith("chan"):
            return {"type": "any"}
        if t.startswith("struct"):
            brace = t.index("{")
            end = match_brace(t, brace)
            decl = TypeDecl("", "struct", parse_fields(t[brace + 1:end - 1]), imports, "")
            return self.struct(decl, pkg)
        t = re.sub(r"\[.*\]$", "", t)  # generic instantiation
        if t in BUILTIN:
            return {"type": BUILTIN[t]}
        if "." in t:
            alias, name = t.split(".", 1)
            if alias not in imports:
                raise ValueError(f"unknown package alias {alias} in {t} ({pkg.import_path})")
            return self.named(imports[alias], name)
        return self.named(pkg.import_path, t)
