"""Read Go type declarations straight out of a git snapshot (no Go toolchain).

Shared by tools/keys/loki.py and tools/keys/tempo.py. Both programs vendor
their dependencies, so every type a configuration struct reaches can be found
inside the snapshot at the release tag: `<module path>/...` in the repository
itself, everything else under `vendor/`.

What is parsed: package clauses, imports, type declarations (structs with
their field tags, named types, aliases, generic parameters) and method
declarations (receiver, name, parameter text, body text). Function bodies are
skipped except for the methods a caller asks for. This is a declaration
reader, not a Go compiler: build tags are ignored (the first declaration of a
name wins) and constant expressions are not evaluated.

Blobs are read through one `git cat-file --batch` process; packages are
parsed once per tree id, so releases that share a package share the parse.
"""
import re
import subprocess


# ---------------------------------------------------------------- git access


class Git:
    def __init__(self, gitdir):
        self.gitdir = gitdir
        self.proc = subprocess.Popen(
            ["git", "--git-dir", gitdir, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.tree_cache = {}

    def read(self, name):
        """Returns (type, bytes) of an object name (`TAG:path`, a sha), or (None, None)."""
        self.proc.stdin.write(name.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None, None
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return header[1].decode(), data

    def sha(self, name):
        out = subprocess.run(["git", "--git-dir", self.gitdir, "rev-parse", "--verify", "-q", name],
                             capture_output=True, text=True)
        return out.stdout.strip() or None

    def tree(self, sha):
        """Entries of a tree object: {name: (mode, sha)}."""
        if sha in self.tree_cache:
            return self.tree_cache[sha]
        kind, data = self.read(sha)
        entries = {}
        if kind == "tree":
            i = 0
            while i < len(data):
                sp = data.index(b" ", i)
                nul = data.index(b"\0", sp)
                mode = data[i:sp].decode()
                name = data[sp + 1:nul].decode("utf-8", "replace")
                entries[name] = (mode, data[nul + 1:nul + 21].hex())
                i = nul + 21
        self.tree_cache[sha] = entries
        return entries

    def lookup(self, root_tree, path):
        """sha of the tree or blob at `path` below root_tree, or None."""
        sha = root_tree
        for part in [p for p in path.split("/") if p]:
            ent = self.tree(sha).get(part)
            if ent is None:
                return None
            sha = ent[1]
        return sha

    def blob(self, sha):
        kind, data = self.read(sha)
        return data if kind == "blob" else None


# ---------------------------------------------------------------- lexer

_TOKEN = re.compile(r"""
    (?P<nl>\n)
  | (?P<ws>[ \t\r\f]+)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*.*?\*/)
  | (?P<raw>`[^`]*`)
  | (?P<str>"(?:\\.|[^"\\\n])*")
  | (?P<rune>'(?:\\.|[^'\\\n])*')
  | (?P<id>[^\W\d]\w*)
  | (?P<num>\.?\d(?:[\w.]|[eEpP][+-])*)
  | (?P<op>\.\.\.|\+\+|--|<-|:=|&&|\|\||[-+*/%&|^<>=!~(){}\[\],;:.])
  | (?P<bad>.)
""", re.S | re.X)

_SEMI_AFTER = {"id", "num", "str", "raw", "rune"}


def tokenize(text):
    toks = []
    last = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        val = m.group()
        if kind in ("ws", "lc"):
            continue
        if kind == "bc":
            if "\n" not in val:
                continue
            kind, val = "nl", "\n"
        if kind == "nl":
            if last is not None and (last[0] in _SEMI_AFTER or last[1] in (")", "]", "}", "++", "--")):
                last = ("op", ";")
                toks.append(last)
            continue
        if kind == "bad":
            kind = "op"
        last = (kind, val)
        toks.append(last)
    toks.append(("op", ";"))
    toks.append(("eof", ""))
    return toks


# ---------------------------------------------------------------- type AST
# ("name", qualifier or None, name, [type args])
# ("ptr", t) ("slice", t) ("array", t) ("map", k, v) ("chan", t)
# ("struct", [Field]) ("iface",) ("func", params_text)


class Field:
    __slots__ = ("names", "type", "tag")

    def __init__(self, names, typ, tag):
        self.names = names      # None for an embedded field
        self.type = typ
        self.tag = tag          # raw tag string (without quotes) or ""


class TypeDecl:
    __slots__ = ("name", "type", "alias", "params", "pkg")

    def __init__(self, name, typ, alias, params, pkg):
        self.name, self.type, self.alias, self.params, self.pkg = name, typ, alias, params, pkg


class Method:
    __slots__ = ("recv", "name", "params", "body", "file")

    def __init__(self, recv, name, params, body, file):
        self.recv, self.name, self.params, self.body, self.file = recv, name, params, body, file


class FileScope:
    """Imports of one source file: qualifier -> import path (aliases), plus unaliased paths."""
    __slots__ = ("aliases", "plain", "path")

    def __init__(self, path):
        self.aliases = {}
        self.plain = []
        self.path = path


class ParseError(Exception):
    pass


class Parser:
    def __init__(self, toks, want_bodies):
        self.t = toks
        self.i = 0
        self.want_bodies = want_bodies

    def peek(self, k=0):
        return self.t[self.i + k]

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def accept(self, val):
        if self.t[self.i][1] == val and self.t[self.i][0] in ("op", "id"):
            self.i += 1
            return True
        return False

    def expect(self, val):
        tok = self.next()
        if tok[1] != val:
            raise ParseError(f"expected {val!r}, got {tok[1]!r} at token {self.i}")
        return tok

    def skip_balanced(self):
        """Skips from an opening bracket to its match; returns the tokens inside."""
        open_tok = self.next()[1]
        start = self.i
        depth = 1
        while depth:
            tok = self.next()
            if tok[0] == "eof":
                raise ParseError("unbalanced " + open_tok)
            if tok[0] == "op":
                if tok[1] in "([{":
                    depth += 1
                elif tok[1] in ")]}":
                    depth -= 1
        return self.t[start:self.i - 1]

    def skip_to_semi(self):
        depth = 0
        while True:
            tok = self.peek()
            if tok[0] == "eof":
                return
            if tok[0] == "op":
                if tok[1] in "([{":
                    depth += 1
                elif tok[1] in ")]}":
                    if depth == 0:
                        return
                    depth -= 1
                elif tok[1] == ";" and depth == 0:
                    self.i += 1
                    return
            self.i += 1

    # -- types

    def parse_type(self):
        tok = self.peek()
        v = tok[1]
        if tok[0] == "op":
            if v == "*":
                self.i += 1
                return ("ptr", self.parse_type())
            if v == "(":
                self.i += 1
                t = self.parse_type()
                self.expect(")")
                return t
            if v == "[":
                self.i += 1
                if self.accept("]"):
                    return ("slice", self.parse_type())
                while not self.accept("]"):  # array length expression
                    if self.peek()[0] == "eof":
                        raise ParseError("array")
                    self.i += 1
                return ("array", self.parse_type())
            if v == "<-":
                self.i += 1
                self.expect("chan")
                return ("chan", self.parse_type())
            raise ParseError(f"type starts with {v!r}")
        if tok[0] != "id":
            raise ParseError(f"type starts with {v!r}")
        if v == "map":
            self.i += 1
            self.expect("[")
            k = self.parse_type()
            self.expect("]")
            return ("map", k, self.parse_type())
        if v == "chan":
            self.i += 1
            self.accept("<-")
            return ("chan", self.parse_type())
        if v == "func":
            self.i += 1
            params = self.skip_balanced()
            self.parse_results()
            return ("func", " ".join(t[1] for t in params))
        if v == "struct":
            self.i += 1
            return ("struct", self.parse_struct_body())
        if v == "interface":
            self.i += 1
            self.skip_balanced()
            return ("iface",)
        self.i += 1
        qual, name = None, v
        if self.peek()[1] == "." and self.peek(1)[0] == "id":
            self.i += 1
            qual, name = v, self.next()[1]
        args = []
        # `Name[` inside a type is an instantiation in the declarations we read.
        if self.peek()[1] == "[" and self.peek(1)[1] != "]":
            self.i += 1
            while True:
                args.append(self.parse_type())
                if self.accept("]"):
                    break
                self.expect(",")
        return ("name", qual, name, args)

    def parse_results(self):
        tok = self.peek()
        if tok[1] == "(" and tok[0] == "op":
            self.skip_balanced()
        elif tok[0] == "id" or tok[1] in ("*", "[", "<-"):
            if tok[1] not in ("{",):
                self.parse_type()

    def embedded_generic(self):
        """At `Name [`: an embedded instantiation `T[K, V]` rather than a field `Name [N]T`?"""
        save = self.i
        self.i += 1
        self.skip_balanced()
        after = self.peek()
        self.i = save
        return after[1] in (";", "}") or after[0] in ("str", "raw")

    def parse_struct_body(self):
        self.expect("{")
        fields = []
        while not self.accept("}"):
            if self.accept(";"):
                continue
            # Embedded: `T`, `*T`, `pkg.T`, `T[...]` followed by tag or `;` or `}`.
            start = self.i
            names = None
            if self.peek()[0] == "id" and self.peek(1)[1] in (",",):
                names = [self.next()[1]]
                while self.accept(","):
                    names.append(self.next()[1])
                typ = self.parse_type()
            elif self.peek()[0] == "id" and self.peek(1)[1] == "[" and self.embedded_generic():
                typ = self.parse_type()
            elif self.peek()[0] == "id" and self.peek(1)[1] not in (";", "}", ".") and self.peek(1)[0] not in ("str", "raw"):
                names = [self.next()[1]]
                typ = self.parse_type()
            else:
                self.i = start
                typ = self.parse_type()
            tag = ""
            if self.peek()[0] in ("str", "raw"):
                lit = self.next()[1]
                tag = unquote(lit)
            fields.append(Field(names, typ, tag))
            if not self.accept(";"):
                if self.peek()[1] != "}":
                    raise ParseError("field end: " + self.peek()[1])
        return fields

    # -- declarations

    def parse_file(self, pkg, scope):
        self.expect("package")
        pkgname = self.next()[1]
        self.accept(";")
        while self.peek()[1] == "import":
            self.i += 1
            if self.accept("("):
                while not self.accept(")"):
                    if self.accept(";"):
                        continue
                    self.import_spec(scope)
            else:
                self.import_spec(scope)
            self.accept(";")
        types, methods = [], []
        while self.peek()[0] != "eof":
            tok = self.peek()
            if tok[1] == "type":
                self.i += 1
                if self.accept("("):
                    while not self.accept(")"):
                        if self.accept(";"):
                            continue
                        types.append(self.type_spec(pkg))
                        self.accept(";")
                else:
                    types.append(self.type_spec(pkg))
                self.accept(";")
            elif tok[1] == "func":
                self.i += 1
                m = self.func_decl()
                if m is not None:
                    methods.append(m)
            elif tok[1] == ";":
                self.i += 1
            else:
                self.skip_to_semi()
                if self.peek()[1] in (")", "]", "}"):
                    self.i += 1
        return pkgname, types, methods

    def import_spec(self, scope):
        alias = None
        if self.peek()[0] == "id" or self.peek()[1] == ".":
            alias = self.next()[1]
        path = unquote(self.next()[1])
        if alias is None:
            scope.plain.append(path)
        elif alias not in ("_", "."):
            scope.aliases[alias] = path

    def type_spec(self, pkg):
        name = self.next()[1]
        params = []
        if self.peek()[1] == "[" and self.peek(1)[0] == "id" and self.peek(2)[1] != "]":
            inner = self.skip_balanced()
            # type parameter names: identifiers at depth 0 that precede a constraint
            depth, expect_name = 0, True
            for tok in inner:
                if tok[1] in "([{":
                    depth += 1
                elif tok[1] in ")]}":
                    depth -= 1
                elif depth == 0 and tok[1] == ",":
                    expect_name = True
                elif depth == 0 and expect_name and tok[0] == "id":
                    params.append(tok[1])
                    expect_name = False
        alias = self.accept("=")
        typ = self.parse_type()
        return TypeDecl(name, typ, alias, params, pkg)

    def func_decl(self):
        recv = None
        if self.peek()[1] == "(":
            inner = self.skip_balanced()
            ids = [t[1] for t in inner if t[0] == "id"]
            # receiver `(c *Config)`, `(Config)`, `(c *Config[T])`: the type name is the
            # first identifier after the optional receiver name.
            names = [t for t in inner if t[0] == "id"]
            if len(names) >= 2 and inner[0][0] == "id" and inner[1][1] != "[":
                recv = names[1][1]
            elif ids:
                recv = ids[0]
        name = self.next()[1]
        if self.peek()[1] == "[":
            self.skip_balanced()
        params = self.skip_balanced()
        # results
        if self.peek()[1] == "(":
            self.skip_balanced()
        else:
            while self.peek()[1] not in ("{", ";") and self.peek()[0] != "eof":
                if self.peek()[1] in "([":
                    self.skip_balanced()
                else:
                    self.i += 1
        body = None
        if self.peek()[1] == "{":
            inner = self.skip_balanced()
            if recv is not None and name in self.want_bodies:
                body = " ".join(t[1] for t in inner)
        self.accept(";")
        if recv is None:
            return None
        return Method(recv, name, " ".join(t[1] for t in params), body, None)


def unquote(lit):
    if lit.startswith("`"):
        return lit[1:-1]
    if lit.startswith('"'):
        s = lit[1:-1]
        return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
    return lit


def struct_tag(tag, key):
    """Value of `key:"..."` in a Go struct tag, or None."""
    m = re.search(r'(?:^|\s)' + re.escape(key) + r':"((?:\\.|[^"\\])*)"', tag)
    return m.group(1) if m else None


# ---------------------------------------------------------------- packages


class Package:
    def __init__(self, path, name):
        self.path = path
        self.name = name
        self.types = {}      # name -> TypeDecl
        self.scopes = {}     # type name -> FileScope of its file
        self.methods = {}    # (recv type name, method name) -> Method
        self.errors = []


WANT_BODIES = {"UnmarshalYAML"}


def parse_package(git, tree_sha, path):
    pkg = None
    entries = git.tree(tree_sha)
    for fname in sorted(entries):
        mode, sha = entries[fname]
        if not fname.endswith(".go") or fname.endswith("_test.go") or mode.startswith("04"):
            continue
        data = git.blob(sha)
        if data is None:
            continue
        text = data.decode("utf-8", "replace")
        scope = FileScope(path + "/" + fname)
        try:
            p = Parser(tokenize(text), WANT_BODIES)
            pkgname, types, methods = p.parse_file(None, scope)
        except (ParseError, IndexError) as e:
            if pkg is None:
                pkg = Package(path, None)
            pkg.errors.append(f"{fname}: {e}")
            continue
        if pkgname.endswith("_test"):
            continue
        if pkg is None:
            pkg = Package(path, pkgname)
        if pkg.name is None:
            pkg.name = pkgname
        for td in types:
            if td.name not in pkg.types:
                td.pkg = pkg
                pkg.types[td.name] = td
                pkg.scopes[td.name] = scope
        for m in methods:
            m.file = scope
            pkg.methods.setdefault((m.recv, m.name), m)
    return pkg


def package_clause(git, tree_sha):
    """The package name of a directory, from the first non-test file's clause."""
    entries = git.tree(tree_sha)
    for fname in sorted(entries):
        if fname.endswith(".go") and not fname.endswith("_test.go"):
            data = git.blob(entries[fname][1])
            m = re.search(rb"^\s*package\s+(\w+)", re.sub(rb"//[^\n]*|/\*.*?\*/", b"", data, flags=re.S), re.M)
            if m and not m.group(1).endswith(b"_test"):
                return m.group(1).decode()
    return None


class Snapshot:
    """One release tag of a repository: resolves import paths to parsed packages."""

    _pkg_cache = {}       # (tree sha, import path) -> Package
    _clause_cache = {}    # tree sha -> package name

    def __init__(self, git, tag):
        self.git = git
        self.tag = tag
        self.root = git.sha(tag + "^{tree}")
        if self.root is None:
            raise ValueError("no such tag: " + tag)
        gomod = git.blob(git.lookup(self.root, "go.mod") or "") or b""
        m = re.search(rb"^module\s+(\S+)", gomod, re.M)
        self.module = m.group(1).decode() if m else ""
        self.local_replaces = {}
        mods = git.blob(git.lookup(self.root, "vendor/modules.txt") or "") or b""
        for line in mods.decode().splitlines():
            m = re.match(r"#\s+(\S+)(?:\s+\S+)?\s+=>\s+(\.\S*)$", line)
            if m:
                self.local_replaces[m.group(1)] = m.group(2).lstrip("./")

    def dir_of(self, importpath):
        if self.module and (importpath == self.module or importpath.startswith(self.module + "/")):
            return importpath[len(self.module):].lstrip("/")
        return "vendor/" + importpath

    def tree_of(self, importpath):
        sha = self.git.lookup(self.root, self.dir_of(importpath))
        if sha is None:
            for mod, local in self.local_replaces.items():
                if importpath == mod or importpath.startswith(mod + "/"):
                    sha = self.git.lookup(self.root, local + importpath[len(mod):])
                    break
        return sha

    def package(self, importpath):
        sha = self.tree_of(importpath)
        if sha is None:
            return None
        key = (sha, importpath)
        if key not in Snapshot._pkg_cache:
            Snapshot._pkg_cache[key] = parse_package(self.git, sha, importpath)
        return Snapshot._pkg_cache[key]

    def package_name(self, importpath):
        sha = self.tree_of(importpath)
        if sha is None:
            return None
        if sha not in Snapshot._clause_cache:
            Snapshot._clause_cache[sha] = package_clause(self.git, sha)
        return Snapshot._clause_cache[sha]

    def resolve_qualifier(self, scope, qual):
        if qual in scope.aliases:
            return scope.aliases[qual]
        guesses = []
        for path in scope.plain:
            last = path.rsplit("/", 1)[-1]
            if re.fullmatch(r"v\d+", last) and "/" in path:
                last = path.rsplit("/", 2)[-2]
            last = re.sub(r"\.v\d+$", "", last)
            last = re.sub(r"^go-|-go$", "", last).replace("-", "_").replace(".", "_")
            if last == qual:
                guesses.append(path)
        for path in guesses:
            if self.package_name(path) == qual:
                return path
        for path in scope.plain:
            if self.package_name(path) == qual:
                return path
        if guesses:
            return guesses[0]
        if "/" not in qual and qual in STDLIB_QUALIFIERS:
            return STDLIB_QUALIFIERS[qual]
        return None


# Standard library packages are not in the snapshot; their types are named by path.
STDLIB_QUALIFIERS = {"time": "time", "url": "net/url", "net": "net", "regexp": "regexp",
                     "tls": "crypto/tls", "x509": "crypto/x509", "http": "net/http",
                     "flag": "flag", "big": "math/big", "json": "encoding/json",
                     "template": "text/template", "os": "os", "fs": "io/fs", "sync": "sync"}


def is_stdlib(path):
    first = path.split("/", 1)[0]
    return "." not in first
