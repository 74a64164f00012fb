"""The part of tools/keys/loki.py and tools/keys/tempo.py that is the same for both.

A Program says where the root configuration struct is, which Go types decode
in a known way, and how to cite; generate() walks every release tag, merges,
applies the overlay and writes the table to stdout, with everything it could
not resolve (left open) on stderr.
"""
import os
import re
import subprocess
import sys

import gosrc
import goyaml
import keytable

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
    out = subprocess.run(["git", "--git-dir", git.gitdir, "tag", "-l", "v*"],
                         capture_output=True, text=True).stdout.split()
    tags = [t for t in out if re.fullmatch(r"v\d+\.\d+\.\d+", t)]
    tags = [t for t in tags if keytable.vkey(t) >= keytable.vkey(oldest)]
    return sorted(tags, key=keytable.vkey)


def line_of(git, tag, path, pattern):
    data = git.blob(git.lookup(git.sha(tag + "^{tree}"), path) or "") or b""
    for i, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
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
    snap = gosrc.Snapshot(git, tag)
    w = goyaml.Walker(snap, prog.known, prog.custom, prog.closed_inline)
    node = w.root(snap.module + "/" + (root_pkg or prog.root_pkg), root_type or prog.root_type)
    for fq, where in w.unclassified.items():
        problems.setdefault(("unclassified UnmarshalYAML (left open)", f"{fq}  ({where})"), []).append(tag)
    for fq in w.unresolved:
        problems.setdefault(("unresolved type (left open)", fq), []).append(tag)
    for (sha, path), pkg in gosrc.Snapshot._pkg_cache.items():
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

    git = gosrc.Git(args.snapshot)
    tags = args.tags.split(",") if args.tags else release_tags(git, prog.oldest)
    versions = [t[1:] for t in tags]
    problems = {}
    per_version = []
    per_root = {r[0]: [] for r in prog.extra_roots}
    for vi, tag in enumerate(tags):
        per_version.append((vi, walk(prog, git, tag, problems)))
        for name, pkg, typ, _ in prog.extra_roots:
            try:
                per_root[name].append((vi, walk(prog, git, tag, problems, pkg, typ)))
            except ValueError:
                pass  # not in this release: the root gets since/until

    notes = []
    overlay = keytable.load_overlay(args.overlay) if os.path.exists(args.overlay) else {}
    roots_out = {}
    unused = []
    all_vers = set(range(len(tags)))
    for name, pv in [("config", per_version)] + list(per_root.items()):
        merged = keytable.merge(pv, (name,), notes)
        at = keytable.overlay_lookup(overlay, name)
        out = keytable.to_out(merged, versions, at)
        out.update(keytable.presence(merged["vers"], all_vers, versions))
        unused += sorted(at.entries - at.used)
        unused += keytable.overlay_add(overlay, name, out, versions)
        roots_out[name] = out
    types, roots = keytable.factor(roots_out)
    for t in types.values():
        keytable.strip_go(t)
    for r in roots.values():
        keytable.strip_go(r)
    header = [line.format(first=versions[0], last=versions[-1], n=len(versions)) for line in prog.header]
    srcs = sources(prog, git, versions) + keytable.overlay_sources(overlay)
    text = keytable.render(header, prog.fmt, prog.name, True, prog.strict_comment, versions, srcs, types, roots)
    sys.stdout.write(text)

    for path, loose, total in notes:
        print(f"permissive in {loose} of {total} releases, so in all: {path}", file=sys.stderr)
    for p in unused:
        print("overlay problem (entry matches no key, or cannot be added): " + p, file=sys.stderr)
    for (kind, what), vs in sorted(problems.items()):
        rng = vs[0] if len(vs) == 1 else f"{vs[0]} … {vs[-1]} ({len(vs)} of {len(tags)} releases)"
        print(f"{kind}: {what} [{rng}]", file=sys.stderr)
    if args.check_docs and prog.check:
        for vi, tag in enumerate(tags):
            for line in prog.check(git, tag, per_version[vi][1], text):
                print(line, file=sys.stderr)
    return 0
