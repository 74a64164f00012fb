"""A small reader of Go type declarations, enough to list configuration keys.

It reads the source files of one Go package (from a git snapshot, through a
callback) and records, per package: the imports of each file, every `type`
declaration (structs with their fields and tags, defined types, aliases,
type parameters) and the names of the methods declared on each type. It does
not type-check anything: the collector extractor (collector.py) walks these
declarations the way mapstructure walks the values.
"""
import re

PUNCT = [
    "...", "<-", ":=", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "&^", "++", "--",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
]


class Tok:
    __slots__ = ("kind", "val", "nl")

    def __init__(self, kind, val, nl):
        self.kind, self.val, self.nl = kind, val, nl

    def __repr__(self):
        return f"{self.kind}:{self.val}"


_ident = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*")
_number = re.compile(r"[0-9][0-9a-zA-Z_.]*")


def tokenize(src):
    """Go tokens; `nl` is set on a token preceded by a line break."""
    out = []
    i, n, nl = 0, len(src), False
    while i < n:
        c = src[i]
        if c == "\n":
            nl = True
            i += 1
        elif c in " \t\r":
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            if "\n" in src[i:j]:
                nl = True
            i = j
        elif c == "`":
            j = src.find("`", i + 1)
            j = n if j < 0 else j
            out.append(Tok("str", src[i + 1:j], nl))
            nl = False
            i = j + 1
        elif c == '"' or c == "'":
            j = i + 1
            buf = []
            while j < n and src[j] != c:
                if src[j] == "\\" and j + 1 < n:
                    nxt = src[j + 1]
                    buf.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}.get(nxt, "\\" + nxt))
                    j += 2
                    continue
                buf.append(src[j])
                j += 1
            out.append(Tok("str" if c == '"' else "rune", "".join(buf), nl))
            nl = False
            i = j + 1
        else:
            m = _ident.match(src, i)
            if m:
                out.append(Tok("id", m.group(0), nl))
                nl = False
                i = m.end()
                continue
            m = _number.match(src, i)
            if m:
                out.append(Tok("num", m.group(0), nl))
                nl = False
                i = m.end()
                continue
            for p in PUNCT:
                if src.startswith(p, i):
                    out.append(Tok("p", p, nl))
                    i += len(p)
                    break
            else:
                out.append(Tok("p", c, nl))
                i += 1
            nl = False
    return out


# Type expressions, as tuples:
#   ("name", qualifier or "", name, [type args])
#   ("ptr", T) ("list", T) ("map", K, V) ("struct", [Field]) ("iface",) ("func",) ("chan",)
class Field:
    __slots__ = ("name", "type", "tag", "embedded")

    def __init__(self, name, typ, tag, embedded):
        self.name, self.type, self.tag, self.embedded = name, typ, tag, embedded


class TypeDecl:
    __slots__ = ("name", "params", "type", "alias", "file")

    def __init__(self, name, params, typ, alias, file):
        self.name, self.params, self.type, self.alias, self.file = name, params, typ, alias, file


class Parser:
    def __init__(self, toks):
        self.t = toks
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else Tok("eof", "", True)

    def next(self):
        tok = self.peek()
        self.i += 1
        return tok

    def accept(self, val):
        if self.peek().val == val and self.peek().kind in ("p", "id"):
            self.i += 1
            return True
        return False

    def skip_balanced(self):
        """Skip from an opening bracket to its match."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack = [pairs[self.next().val]]
        while stack and self.i < len(self.t):
            tok = self.next()
            if tok.kind == "p":
                if tok.val in pairs:
                    stack.append(pairs[tok.val])
                elif tok.val == stack[-1]:
                    stack.pop()

    # --- type expressions -------------------------------------------------
    def type_expr(self):
        tok = self.peek()
        if tok.kind == "p":
            if tok.val == "*":
                self.next()
                return ("ptr", self.type_expr())
            if tok.val == "[":
                self.next()
                if self.accept("]"):
                    return ("list", self.type_expr())
                while self.peek().val != "]" and self.peek().kind != "eof":  # [N]T
                    self.next()
                self.next()
                return ("list", self.type_expr())
            if tok.val == "(":
                self.next()
                t = self.type_expr()
                self.accept(")")
                return t
            if tok.val == "<-":
                self.next()
                self.accept("chan")
                self.type_expr()
                return ("chan",)
        if tok.kind == "id":
            if tok.val == "map":
                self.next()
                self.accept("[")
                k = self.type_expr()
                self.accept("]")
                return ("map", k, self.type_expr())
            if tok.val == "struct":
                self.next()
                return ("struct", self.struct_body())
            if tok.val == "interface":
                self.next()
                if self.peek().val == "{":
                    self.skip_balanced()
                return ("iface",)
            if tok.val == "func":
                self.next()
                if self.peek().val == "(":
                    self.skip_balanced()
                # results: a type or a parenthesised list
                if self.peek().val == "(" and not self.peek().nl:
                    self.skip_balanced()
                elif self.peek().kind == "id" and not self.peek().nl or self.peek().val in ("*", "["):
                    if not self.peek().nl:
                        self.type_expr()
                return ("func",)
            if tok.val == "chan":
                self.next()
                self.accept("<-")
                self.type_expr()
                return ("chan",)
            self.next()
            qual, name = "", tok.val
            if self.peek().val == "." and self.peek(1).kind == "id":
                self.next()
                qual, name = name, self.next().val
            args = []
            if self.peek().val == "[" and not self.peek().nl:
                # generic instantiation
                self.next()
                while self.peek().val != "]" and self.peek().kind != "eof":
                    args.append(self.type_expr())
                    self.accept(",")
                self.next()
            return ("name", qual, name, args)
        self.next()
        return ("unknown",)

    def struct_body(self):
        fields = []
        if not self.accept("{"):
            return fields
        while self.peek().kind != "eof" and self.peek().val != "}":
            if self.accept(";"):
                continue
            start = self.i
            # embedded field: [*]Name[.Name][ tag]
            names = []
            tok = self.peek()
            embedded = False
            if tok.val == "*":
                embedded = True
            elif tok.kind == "id":
                nxt = self.peek(1)
                if nxt.val == "." or nxt.kind == "str" or nxt.val in (";", "}") or nxt.nl:
                    embedded = True
                elif nxt.val == "[" and not nxt.nl:
                    # either `Name [N]T` / `Name []T` or embedded generic `Name[T]`
                    embedded = False
            if embedded:
                typ = self.type_expr()
                base = typ[1] if typ[0] == "ptr" else typ
                name = base[2] if base[0] == "name" else "?"
                names = [name]
            else:
                names.append(self.next().val)
                while self.accept(","):
                    names.append(self.next().val)
                typ = self.type_expr()
            tag = ""
            if self.peek().kind == "str" and not self.peek().nl:
                tag = self.next().val
            for nm in names:
                fields.append(Field(nm, typ, tag, embedded))
            if self.i == start:
                self.next()
        self.accept("}")
        return fields

    # --- declarations -----------------------------------------------------
    def type_spec(self, fname, out):
        name = self.next().val
        params = []
        if self.peek().val == "[" and self.peek(1).kind == "id" and self.peek(2).kind in ("id", "p") \
                and self.peek(2).val not in ("]", "."):
            # type parameters: [T any, U comparable]
            self.next()
            while self.peek().val != "]" and self.peek().kind != "eof":
                params.append(self.next().val)
                while self.peek().val not in (",", "]") and self.peek().kind != "eof":
                    if self.peek().val in ("[", "(", "{"):
                        self.skip_balanced()
                    else:
                        self.next()
                self.accept(",")
            self.next()
        alias = self.accept("=")
        typ = self.type_expr()
        out.append(TypeDecl(name, params, typ, alias, fname))


def parse_file(src, fname):
    """-> (package name, imports {ident: path}, [TypeDecl], {type: set(methods)}, {(type, method): body text})"""
    toks = tokenize(src)
    p = Parser(toks)
    pkg = ""
    imports = {}
    decls = []
    methods = {}
    bodies = {}

    def one_import():
        alias = None
        if p.peek().kind == "id" or p.peek().val in (".", "_"):
            alias = p.next().val
        path = p.next().val
        imports[alias or _default_ident(path)] = path
        if alias is None:
            imports.setdefault("\0" + path, path)

    while p.peek().kind != "eof":
        tok = p.peek()
        if tok.kind == "id" and tok.val == "package":
            p.next()
            pkg = p.next().val
        elif tok.kind == "id" and tok.val == "import":
            p.next()
            if p.accept("("):
                while p.peek().val != ")" and p.peek().kind != "eof":
                    if p.accept(";"):
                        continue
                    one_import()
                p.accept(")")
            else:
                one_import()
        elif tok.kind == "id" and tok.val == "type":
            p.next()
            if p.accept("("):
                while p.peek().val != ")" and p.peek().kind != "eof":
                    if p.accept(";"):
                        continue
                    p.type_spec(fname, decls)
                p.accept(")")
            else:
                p.type_spec(fname, decls)
        elif tok.kind == "id" and tok.val == "func":
            p.next()
            recv = None
            if p.peek().val == "(":
                # receiver: (name *Type[T]) or (*Type)
                save = p.i
                p.next()
                ids = []
                while p.peek().val != ")" and p.peek().kind != "eof":
                    t = p.next()
                    if t.val == "[":
                        p.i -= 1
                        p.skip_balanced()
                        continue
                    if t.kind == "id":
                        ids.append(t.val)
                p.next()
                recv = ids[-1] if ids else None
                del save
            mname = p.next().val if p.peek().kind == "id" else ""
            # signature up to the body
            depth = 0
            while p.peek().kind != "eof":
                t = p.peek()
                if t.kind == "p" and t.val in "([":
                    p.skip_balanced()
                    continue
                if t.kind == "id" and t.val in ("interface", "struct") and p.peek(1).val == "{":
                    p.next()
                    p.skip_balanced()
                    continue
                if t.val == "{":
                    break
                if t.nl and depth == 0 and t.kind == "id" and t.val in ("func", "type", "var", "const"):
                    break
                p.next()
            body_start = p.i
            if p.peek().val == "{":
                p.skip_balanced()
            if recv:
                methods.setdefault(recv, set()).add(mname)
                if mname == "Unmarshal":
                    bodies[(recv, mname)] = " ".join(t.val if t.kind != "str" else '"' + t.val + '"'
                                                     for t in toks[body_start:p.i])
        elif tok.kind == "p" and tok.val in "([{":
            p.skip_balanced()
        else:
            p.next()
    return pkg, imports, decls, methods, bodies


def _default_ident(path):
    parts = path.split("/")
    last = parts[-1]
    if re.fullmatch(r"v[0-9]+", last) and len(parts) > 1:
        last = parts[-2]
    last = last.replace("-", "_").replace(".", "_")
    if last.startswith("go_"):
        last = last[3:]
    return last


def parse_tag(tag, key="mapstructure"):
    m = re.search(key + r':"([^"]*)"', tag or "")
    if not m:
        return None, []
    parts = m.group(1).split(",")
    return parts[0], parts[1:]
