"""Read Go declarations from source text, without a Go toolchain.

Enough of Go to list configuration keys: package clauses, imports, type
declarations (structs with their fields and tags, defined types, aliases,
type parameters) and methods (receiver, name, parameter text and, for the
method names a caller asks for, the body). Function bodies are otherwise
skipped and nothing is type-checked or evaluated.

- tokenize() / Parser: a Go lexer (with semicolon insertion) and a parser of
  type expressions and top-level declarations. Type expressions are tuples:
    ("name", qualifier or None, name, [type args])   ("ptr", T)
    ("slice", T)  ("array", T)  ("map", K, V)  ("chan", T)
    ("struct", [Field])  ("iface", empty)  ("func", parameter text)
- Package: the files of one directory, merged with a policy for names
  declared twice (build-tag variants); files a build would leave out are the
  caller's choice (build_excluded()).
- FileScope.resolve(): the import path a qualifier (`yaml.`) stands for.
- TagRule: how a decoder names a struct field (mapstructure, yaml.v2).
- Vendored: the packages of a module that vendors its dependencies, at a
  revision of a git snapshot (gitsnap.Repo).
"""
import re

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
    """[(kind, value, offset)], with `;` inserted at line ends as Go does, then `;` and eof."""
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
                last = ("op", ";", m.start())
                toks.append(last)
            continue
        if kind == "bad":
            kind = "op"
        last = (kind, val, m.start())
        toks.append(last)
    toks.append(("op", ";", len(text)))
    toks.append(("eof", "", len(text)))
    return toks


def strip_comments(src):
    """The source without comments (a block comment leaves its line breaks)."""
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
            j = n - 1 if j < 0 else j
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------- declarations


class Field:
    __slots__ = ("names", "type", "tag")

    def __init__(self, names, typ, tag):
        self.names = names      # None for an embedded field
        self.type = typ
        self.tag = tag          # the tag's text (unquoted), "" when there is none

    @property
    def embedded(self):
        return self.names is None

    def field_names(self):
        """The names the field declares; an embedded field is named after its type."""
        if self.names is not None:
            return self.names
        t = self.type[1] if self.type[0] == "ptr" else self.type
        return [t[2]] if t[0] == "name" else []


class TypeDecl:
    __slots__ = ("name", "type", "alias", "params", "scope")

    def __init__(self, name, typ, alias, params, scope):
        self.name, self.type, self.alias, self.params = name, typ, alias, params
        self.scope = scope  # the FileScope of the declaring file


class Method:
    __slots__ = ("recv", "name", "params", "source", "file")

    def __init__(self, recv, name, params, source, file):
        self.recv, self.name, self.params, self.file = recv, name, params, file
        self.source = source  # body without comments (None unless asked for)

    @property
    def body(self):
        """The body's tokens joined by single spaces (`unmarshal ( & x )`), or None."""
        if self.source is None:
            return None
        return " ".join(t[1] for t in tokenize(self.source)[:-2])


class FileScope:
    """The imports of one source file."""
    __slots__ = ("aliases", "plain", "path")

    def __init__(self, path):
        self.aliases = {}  # explicit name -> import path
        self.plain = []    # import paths without a name
        self.path = path   # the file, for messages

    def resolve(self, qual, package_name=None):
        """The import path that `qual.` stands for, or None. An import is guessed
        from its path (default_name); package_name(path), the package clause of
        a path that can be read (else None), confirms the guess or finds the
        import whose package name differs from its path."""
        if qual in self.aliases:
            return self.aliases[qual]
        guesses = [p for p in self.plain if default_name(p) == qual]
        if package_name is not None:
            for path in guesses:
                name = package_name(path)
                if name == qual or name is None:  # confirmed, or cannot be read: taken
                    return path
            for path in self.plain:
                if path not in guesses and package_name(path) == qual:
                    return path
        if guesses:
            return guesses[0]
        if qual in STDLIB_QUALIFIERS:
            return STDLIB_QUALIFIERS[qual]
        return None


def default_name(path):
    """The package name an import path usually declares (`gopkg.in/yaml.v2` -> yaml)."""
    parts = path.split("/")
    last = parts[-1]
    if re.fullmatch(r"v\d+", last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v\d+$", "", last)
    last = re.sub(r"^go-|-go$", "", last)
    return last.replace("-", "_").replace(".", "_")


# Standard library packages are not in the snapshots; their types are named by path.
STDLIB_QUALIFIERS = {"time": "time", "url": "net/url", "net": "net", "regexp": "regexp",
                     "tls": "crypto/tls", "x509": "crypto/x509", "http": "net/http",
                     "flag": "flag", "big": "math/big", "json": "encoding/json",
                     "template": "text/template", "os": "os", "fs": "io/fs", "sync": "sync"}


# Go's predeclared types that a decoder fills from a scalar, by table type.
BUILTIN = {"string": "string", "bool": "bool", "float32": "float", "float64": "float",
           **{t: "int" for t in ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
                                 "uint32", "uint64", "uintptr", "byte", "rune")}}


def is_stdlib(path):
    return "." not in path.split("/", 1)[0]


class ParseError(Exception):
    pass


class Parser:
    def __init__(self, toks, text="", bodies=()):
        self.t = toks
        self.i = 0
        self.text = text
        self.bodies = bodies  # method names whose bodies are kept

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
            inner = self.skip_balanced()
            return ("iface", all(t[1] == ";" for t in inner))
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
                tag = unquote(self.next()[1])
            fields.append(Field(names, typ, tag))
            if not self.accept(";"):
                if self.peek()[1] != "}":
                    raise ParseError("field end: " + self.peek()[1])
        return fields

    # -- declarations

    def parse_file(self, scope):
        """-> (package name, [TypeDecl], [Method]); imports go into scope."""
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
                        types.append(self.type_spec(scope))
                        self.accept(";")
                else:
                    types.append(self.type_spec(scope))
                self.accept(";")
            elif tok[1] == "func":
                self.i += 1
                m = self.func_decl(scope)
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

    def type_spec(self, scope):
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
        return TypeDecl(name, typ, alias, params, scope)

    def func_decl(self, scope):
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
        source = None
        if self.peek()[1] == "{":
            start = self.peek()[2] + 1
            self.skip_balanced()
            if recv is not None and name in self.bodies:
                source = strip_comments(self.text[start:self.t[self.i - 1][2]])
        self.accept(";")
        if recv is None:
            return None
        return Method(recv, name, " ".join(t[1] for t in params), source, scope)


def unquote(lit):
    if lit.startswith("`"):
        return lit[1:-1]
    if lit.startswith('"'):
        s = lit[1:-1]
        return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
    return lit


def parse_type_text(text):
    """The Go type at the start of `text`, or None."""
    try:
        return Parser(tokenize(text)).parse_type()
    except (ParseError, IndexError):
        return None


def struct_tag(tag, key):
    """Value of `key:"..."` in a Go struct tag, or None."""
    m = re.search(r'(?:^|\s)' + re.escape(key) + r':"((?:\\.|[^"\\])*)"', tag)
    return m.group(1) if m else None


class TagRule:
    """How a decoder names struct fields: the tag key it reads and the key an
    untagged field gets (mapstructure: the field name; yaml.v2: the field name
    in lower case, and a tag without any `key:"..."` is the name itself)."""

    def __init__(self, key, lower, bare):
        self.key, self.lower, self.bare = key, lower, bare

    def parse(self, field):
        """(name from the tag, [options]) of a field; (None, []) when it has no such tag."""
        v = struct_tag(field.tag, self.key)
        if v is None and self.bare and field.tag and ":" not in field.tag:
            v = field.tag
        if v is None:
            return None, []
        name, *opts = v.split(",")
        return name, opts

    def default(self, go_name):
        return go_name.lower() if self.lower else go_name


MAPSTRUCTURE = TagRule("mapstructure", lower=False, bare=False)
YAML = TagRule("yaml", lower=True, bare=True)


# ---------------------------------------------------------------- packages


def build_excluded(text, other_systems=False):
    """Whether a default build leaves the file out: `//go:build ignore` (near the
    top); with other_systems also files for one other OS (windows, darwin, ...)
    or the `tools` tag."""
    if not other_systems:
        return "//go:build ignore" in text[:2000]
    for m in re.finditer(r"^//go:build (.*)$", text, re.M):
        expr = m.group(1)
        if "ignore" in expr.split() or re.fullmatch(r"\s*(windows|darwin|plan9|js|wasm|tools)\s*", expr):
            return True
    return False


_parsed = {}  # (blob id, directory, file, bodies) -> parse: a file shared by releases is parsed once


class Package:
    """The declarations of one directory.

    duplicates: what a name declared twice (in build-tag variants) means:
    "first" or "last" declaration wins, or "merge": two structs give one struct
    with the fields of both (else the last wins). bodies: method names whose
    bodies are kept (Method.source / .body). exclude(text): files a build
    leaves out (see build_excluded), or None to read every file.
    """

    def __init__(self, path, duplicates="first", bodies=(), exclude=None, keep_sources=False):
        self.path = path
        self.exclude = exclude
        self.sources = {} if keep_sources else None  # file name -> text, of the files read
        self.name = None
        self.types = {}      # name -> TypeDecl
        self.methods = {}    # (receiver type, method name) -> Method
        self._method_names = {}  # receiver type -> {method name}
        self.errors = []     # files that could not be parsed (their declarations are missing)
        self.duplicates = duplicates
        self.bodies = set(bodies)
        self.files = 0

    def read(self, git, tree):
        """Adds the non-test .go files of a directory (a tree of gitsnap.Repo git),
        in name order; returns how many there are."""
        found = 0
        for fname, (mode, sha) in sorted(git.tree(tree).items()):
            if fname.endswith(".go") and not fname.endswith("_test.go") and not mode.startswith("04"):
                text = git.text(sha)
                if text is not None:
                    found += 1
                    self.add_file(fname, text, blob=sha)
        return found

    def add_file(self, fname, text, blob=None):
        """Adds one file's declarations; False when the file is left out.
        blob: the file's git object id, when known (its parse is then shared)."""
        if self.exclude is not None and self.exclude(text):
            return False
        key = (blob, self.path, fname, frozenset(self.bodies))
        if blob is None or key not in _parsed:
            try:
                result = Parser(tokenize(text), text, self.bodies).parse_file(FileScope(self.path + "/" + fname))
            except (ParseError, IndexError) as e:
                result = e
            if blob is not None:
                _parsed[key] = result
        else:
            result = _parsed[key]
        if isinstance(result, Exception):
            self.errors.append(f"{fname}: {result}")
            return False
        pkgname, types, methods = result
        if pkgname.endswith("_test") or (pkgname == "main" and self.name):
            return False
        self.name = self.name or pkgname
        self.files += 1
        if self.sources is not None:
            self.sources[fname] = text
        for td in types:
            old = self.types.get(td.name)
            if old is not None:
                if self.duplicates == "first":
                    continue
                if self.duplicates == "merge" and old.type[0] == "struct" and td.type[0] == "struct":
                    seen = set(n for f in old.type[1] for n in f.field_names())
                    fields = list(old.type[1])
                    for f in td.type[1]:
                        if f.embedded and not set(f.field_names()) & seen:
                            fields.append(f)
                        elif not f.embedded and [n for n in f.names if n not in seen]:
                            fields.append(Field([n for n in f.names if n not in seen], f.type, f.tag))
                    td = TypeDecl(td.name, ("struct", fields), td.alias, td.params, td.scope)
            self.types[td.name] = td
        for m in methods:
            self._method_names.setdefault(m.recv, set()).add(m.name)
            if self.duplicates == "first":
                self.methods.setdefault((m.recv, m.name), m)
            else:
                self.methods[(m.recv, m.name)] = m
        return True

    def method_names(self, tname):
        return self._method_names.get(tname, set())


def parse_errors(packages):
    """Sorted `path/file: error` of the files that could not be parsed (their
    declarations are missing from the packages), for a generator's stderr."""
    return sorted({f"{p.path}/{e}" for p in packages if p is not None for e in p.errors})


# ---------------------------------------------------------------- vendored modules


class Vendored:
    """A module that vendors its dependencies, at one revision of a snapshot:
    `<module path>/...` is read from the repository itself, everything else
    from vendor/ (or a local `=> ./dir` replacement). Packages are parsed once
    per tree id and import path, so releases that share a package share it."""

    _packages = {}   # (tree id, import path) -> Package or None
    _names = {}      # tree id -> package clause

    def __init__(self, git, rev, bodies=()):
        self.git = git
        self.tag = rev
        self.bodies = bodies
        self.root = git.root(rev)
        if self.root is None:
            raise ValueError("no such tag: " + rev)
        gomod = (git.text(git.lookup_in(self.root, "go.mod")) or "")
        m = re.search(r"^module\s+(\S+)", gomod, re.M)
        self.module = m.group(1) if m else ""
        self.local_replaces = {}
        mods = git.text(git.lookup_in(self.root, "vendor/modules.txt")) or ""
        for line in mods.splitlines():
            m = re.match(r"#\s+(\S+)(?:\s+\S+)?\s+=>\s+(\.\S*)$", line)
            if m:
                self.local_replaces[m.group(1)] = m.group(2).lstrip("./")

    def dir_of(self, importpath):
        if self.module and (importpath == self.module or importpath.startswith(self.module + "/")):
            return importpath[len(self.module):].lstrip("/")
        return "vendor/" + importpath

    def tree_of(self, importpath):
        sha = self.git.lookup_in(self.root, self.dir_of(importpath))
        if sha is None:
            for mod, local in self.local_replaces.items():
                if importpath == mod or importpath.startswith(mod + "/"):
                    sha = self.git.lookup_in(self.root, local + importpath[len(mod):])
                    break
        return sha

    def package(self, importpath):
        sha = self.tree_of(importpath)
        if sha is None:
            return None
        key = (sha, importpath)
        if key not in Vendored._packages:
            pkg = Package(importpath, "first", self.bodies)
            pkg.read(self.git, sha)
            Vendored._packages[key] = pkg if (pkg.files or pkg.errors) else None
        return Vendored._packages[key]

    def package_name(self, importpath):
        """The package clause of an import path (its first non-test file's), or None."""
        sha = self.tree_of(importpath)
        if sha is None:
            return None
        if sha not in Vendored._names:
            Vendored._names[sha] = None
            for fname, (mode, blob) in sorted(self.git.tree(sha).items()):
                if fname.endswith(".go") and not fname.endswith("_test.go"):
                    m = re.search(r"^\s*package\s+(\w+)", strip_comments(self.git.text(blob) or ""), re.M)
                    if m and not m.group(1).endswith("_test"):
                        Vendored._names[sha] = m.group(1)
                        break
        return Vendored._names[sha]

    def resolve(self, scope, qual):
        return scope.resolve(qual, self.package_name)
