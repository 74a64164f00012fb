#!/usr/bin/env python3
"""Generates knowledge/collector-components.yaml.

Which component types each OpenTelemetry Collector distribution ships, per
release, is published in machine-readable form: the builder manifests
distributions/<dist>/manifest.yaml of opentelemetry-collector-releases at
every release tag. This tool reads them from a local snapshot (a git
directory, read with `git show TAG:PATH`, never copied), maps each Go module
to its component type(s) with the module's metadata.yaml (from snapshots of
opentelemetry-collector and of opentelemetry-collector-contrib), and merges
the hand-written overlay tools/collector-components-overlay.yaml (behaviour
thresholds, deprecations the snapshots cannot show, replacements, removed
settings, listening facts, citations).

  tools/gen-collector-components.py \\
      --releases /work/.mirror/open-telemetry+opentelemetry-collector-releases/repo \\
      --core /work/.mirror/open-telemetry+opentelemetry-collector/repo \\
      --contrib /work/.mirror/amazon-contributing+opentelemetry-collector-contrib/repo \\
      [--check]

--contrib is any clone that holds contrib's upstream history (a fork will
do): its release commits are found by tag (vX.Y.Z) or, when the clone has no
tags, as the first commit whose CHANGELOG.md starts with that release. Its
metadata is used up to the newest release it holds; later renames and
deprecations come from the overlay.

The output is deterministic: the same snapshots and overlay give the same
file byte for byte. --check compares instead of writing (exit 1 on a diff).
"""
import argparse
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVERLAY = os.path.join(ROOT, "tools", "collector-components-overlay.yaml")
OUTPUT = os.path.join(ROOT, "knowledge", "collector-components.yaml")

RELEASES_REPO = "https://github.com/open-telemetry/opentelemetry-collector-releases"
DISTS = [("otelcol", "core"), ("otelcol-contrib", "contrib"), ("otelcol-k8s", "k8s"),
         ("otelcol-otlp", "otlp")]
KINDS = [("receivers", "receiver"), ("processors", "processor"), ("exporters", "exporter"),
         ("extensions", "extension"), ("connectors", "connector")]
KIND_ORDER = {k: i for i, (_, k) in enumerate(KINDS)}
CORE_PREFIX = "go.opentelemetry.io/collector/"
CONTRIB_PREFIX = "github.com/open-telemetry/opentelemetry-collector-contrib/"
BASELINE = (0, 80, 0)  # the oldest release obslint reasons about; "0.0.0" = present there
SIGNALS = ("traces", "metrics", "logs")  # the pipeline signals obslint checks


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def vstr(t):
    return "%d.%d.%d" % t


class Git:
    """`git cat-file --batch` on one repository: fast reads of REV:PATH."""

    def __init__(self, path):
        self.path = path
        self.proc = subprocess.Popen(["git", "-C", path, "cat-file", "--batch"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.cache = {}

    def show(self, rev, path):
        key = (rev, path)
        if key in self.cache:
            return self.cache[key]
        self.proc.stdin.write(("%s:%s\n" % (rev, path)).encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        text = None
        if len(header) == 3 and header[1] == "blob":
            data = self.proc.stdout.read(int(header[2]))
            self.proc.stdout.read(1)
            text = data.decode("utf-8", "replace")
        elif len(header) == 3:
            self.proc.stdout.read(int(header[2]) + 1)
        self.cache[key] = text
        return text

    def run(self, *args):
        return subprocess.run(["git", "-C", self.path] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def release_tags(self):
        tags = [t for t in self.run("tag").split() if re.fullmatch(r"v0\.\d+\.\d+", t)]
        return sorted(tags, key=vkey)


def contrib_release_commits(git):
    """version tuple -> commit of each contrib release the clone holds."""
    tags = git.release_tags()
    if len(tags) >= 20:
        return {vkey(t): t for t in tags}
    # No tags (a fork): the first commit whose CHANGELOG.md starts with a
    # release is the upstream "Prepare release" commit that release was cut from.
    out = {}
    log = git.run("log", "--all", "--format=%H %ct", "--", "CHANGELOG.md").split("\n")
    for line in log:
        if not line.strip():
            continue
        commit, when = line.split()
        text = git.show(commit, "CHANGELOG.md") or ""
        m = re.search(r"^## (v0\.\d+\.\d+)\s*$", text, re.M)
        if not m:
            continue
        v = vkey(m.group(1))
        if v not in out or (int(when), commit) < out[v][0]:
            out[v] = ((int(when), commit), commit)
    # Patch releases of a fork's own making (no upstream "Prepare release")
    # are indistinguishable here; they only ever add fixes, so keep them.
    found = {v: c for v, (_, c) in out.items()}
    found.update({vkey(t): t for t in tags})
    return found


def stability_signals(meta):
    """(signals, deprecated) from a metadata.yaml status block."""
    status = (meta or {}).get("status") or {}
    stab = status.get("stability")
    cls = status.get("class")
    signals, deprecated_signals = set(), set()
    if isinstance(stab, dict):
        for level, items in stab.items():
            for s in items or []:
                s = str(s)
                if "_to_" in s:
                    a, b = s.split("_to_", 1)
                    if a in SIGNALS and b in SIGNALS:
                        s = "%s->%s" % (a, b)
                    else:
                        continue
                elif s not in SIGNALS and s != "extension":
                    continue
                signals.add(s)
                if level == "deprecated":
                    deprecated_signals.add(s)
    deprecated = bool(signals) and signals == deprecated_signals
    if cls == "extension":
        signals = set()
    return signals, deprecated


def signal_order(s):
    parts = s.split("->")
    return tuple(SIGNALS.index(p) for p in parts)


class Resolver:
    """Maps (module, release) to the component types it provides."""

    def __init__(self, core, contrib, overlay_modules):
        self.core = core
        self.core_tags = [vkey(t) for t in core.release_tags()] if core else []
        self.contrib = contrib
        self.contrib_commits = contrib_release_commits(contrib) if contrib else {}
        self.contrib_versions = sorted(self.contrib_commits)
        self.overlay = overlay_modules
        self.missing = set()
        self.memo = {}
        self.parsed = {}

    def _candidates(self, versions, release):
        """Versions to read, the release's own (or the newest before it) first,
        then later ones, then earlier ones."""
        le = [v for v in versions if v <= release]
        gt = [v for v in versions if v > release]
        first = le[-1:] if le else []
        return first + gt + list(reversed(le[:-1]))

    def parse(self, text):
        if text not in self.parsed:
            self.parsed[text] = yaml.safe_load(text)
        return self.parsed[text]

    def metadata(self, module, release):
        """(metadata dict, citation) for the module at the release, or (None, None)."""
        if module.startswith(CORE_PREFIX) and self.core:
            path = module[len(CORE_PREFIX):]
            for v in self._candidates(self.core_tags, release):
                text = self.core.show("v" + vstr(v), path + "/metadata.yaml")
                if text:
                    return self.parse(text), v
        if module.startswith(CONTRIB_PREFIX) and self.contrib:
            path = module[len(CONTRIB_PREFIX):]
            for v in self._candidates(self.contrib_versions, release):
                text = self.contrib.show(self.contrib_commits[v], path + "/metadata.yaml")
                if text:
                    return self.parse(text), v
        return None, None

    def types(self, module, release):
        """[(type, signals, deprecated, read_at_release)] for module at release."""
        key = (module, release)
        if key not in self.memo:
            self.memo[key] = self._types(module, release)
        return self.memo[key]

    def _types(self, module, release):
        if module in self.overlay:
            entry = self.overlay[module]
            return [(t, None, False, False) for t in entry["types"]]
        meta, at = self.metadata(module, release)
        if meta is None or not meta.get("type"):
            self.missing.add(module)
            return []
        signals, deprecated = stability_signals(meta)
        # Metadata read at the release itself (or the newest release before
        # it) speaks for that release; a later or earlier one only names the type.
        versions = self.core_tags if module.startswith(CORE_PREFIX) else self.contrib_versions
        own = (at is not None and at <= release <= max(versions)
               and not any(at < v <= release for v in versions))
        return [(str(meta["type"]), signals, deprecated, own)]


def load_manifests(releases, tags):
    """{(kind, module): {dist: [release tuples]}} and the release list."""
    shipped = {}
    for tag in tags:
        rel = vkey(tag)
        for dist_dir, dist in DISTS:
            text = releases.show(tag, "distributions/%s/manifest.yaml" % dist_dir)
            if not text:
                continue
            manifest = yaml.safe_load(text)
            for section, kind in KINDS:
                for item in manifest.get(section) or []:
                    # `import:` names the package when a Go module holds several.
                    module = item.get("import") or item["gomod"].split()[0]
                    shipped.setdefault((kind, module), {}).setdefault(dist, []).append(rel)
    return shipped


def ranges(releases_present, all_releases):
    """Half-open [since, until) ranges over the release list."""
    idx = {r: i for i, r in enumerate(all_releases)}
    out = []
    for r in sorted(releases_present):
        i = idx[r]
        if out and out[-1][2] == i - 1:
            out[-1][2] = i
        else:
            out.append([r, None, i])
    result = []
    for since, _, last in out:
        until = all_releases[last + 1] if last + 1 < len(all_releases) else None
        result.append((since, until))
    return result


PLAIN = re.compile(r"[a-z][a-z0-9_]*$")
YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def q(s):
    """A YAML scalar: identifiers plain, everything else double-quoted."""
    s = str(s)
    if PLAIN.match(s) and s not in YAML_WORDS:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if v is None:
        return "null"
    if isinstance(v, list):
        return "[" + ", ".join(emit_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, emit_value(x)) for k, x in v.items()) + "}"
    return q(v)


def emit_block(obj, indent):
    """Block-style YAML for the hand-written collector section (dicts, lists)."""
    pad = " " * indent
    lines = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], dict)):
                lines.append("%s%s:" % (pad, k))
                lines.extend(emit_block(v, indent + 2))
            elif k in ("source", "sources") and isinstance(v, list):
                k = "sources"
                lines.append("%s%s:" % (pad, k))
                lines.extend("%s  - %s" % (pad, x) for x in v)
            else:
                lines.append("%s%s: %s" % (pad, k, emit_value(v)))
    elif isinstance(obj, list):
        for item in obj:
            sub = emit_block(item, indent + 2)
            sub[0] = pad + "- " + sub[0][indent + 2:]
            lines.extend(sub)
    return lines


FIELD_ORDER = ["kind", "type", "distributions", "signals", "added", "deprecated", "removed",
               "replacement", "removed_settings", "listens", "default_ports",
               "localhost_default_since", "listen_keys", "shipped", "source"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--releases", required=True)
    ap.add_argument("--core", required=True)
    ap.add_argument("--contrib")
    ap.add_argument("--overlay", default=OVERLAY)
    ap.add_argument("--output", default=OUTPUT)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    with open(args.overlay) as f:
        overlay = yaml.safe_load(f)
    releases = Git(args.releases)
    core = Git(args.core)
    contrib = Git(args.contrib) if args.contrib else None

    tags = [t for t in releases.release_tags() if vkey(t) >= BASELINE]
    all_releases = [vkey(t) for t in tags]
    newest = all_releases[-1]
    shipped = load_manifests(releases, tags)
    resolver = Resolver(core, contrib, {m["module"]: m for m in overlay.get("modules") or []})

    # (kind, type) -> {dist: set(releases)}, signals, deprecation evidence, modules
    comps = {}
    for (kind, module), per_dist in sorted(shipped.items()):
        for dist, rels in per_dist.items():
            for rel in rels:
                for typ, signals, deprecated, own in resolver.types(module, rel):
                    c = comps.setdefault((kind, typ), {"dists": {}, "signals": set(),
                                                       "dep": {}, "modules": set(),
                                                       "signals_known": True})
                    c["dists"].setdefault(dist, set()).add(rel)
                    c["modules"].add(module)
                    if signals is None:
                        c["signals_known"] = False
                    else:
                        c["signals"] |= signals
                    if own:
                        c["dep"][rel] = deprecated
    if resolver.missing:
        sys.exit("no component type for these modules; add them to `modules:` in the overlay:\n  "
                 + "\n  ".join(sorted(resolver.missing)))

    # Renames with the old type kept as a deprecated alias: the old type is
    # accepted wherever the new one ships from the rename on. `new_since` is
    # the first release that may know the new name (when unsure, the earlier
    # one: a new name listed too early only hides a finding); `deprecated`,
    # when given, the first release that warns about the old one (when
    # unsure, the later one).
    renamed = {}
    for ren in overlay.get("renames") or []:
        old, new = (ren["kind"], ren["old"]), (ren["kind"], ren["new"])
        if old not in comps:
            sys.exit("overlay renames: %s %s is in no distribution manifest" % old)
        since = vkey(ren["new_since"])
        if new not in comps:
            # The snapshots name the type by its old name after the rename
            # (metadata beyond their horizon): the new name ships alongside.
            src = comps[old]
            dists = {d: {r for r in rs if r >= since} for d, rs in src["dists"].items()}
            comps[new] = {"dists": {d: rs for d, rs in dists.items() if rs},
                          "signals": set(src["signals"]), "dep": {}, "modules": set(src["modules"]),
                          "signals_known": src["signals_known"]}
        else:
            for d, rs in comps[new]["dists"].items():
                comps[old]["dists"].setdefault(d, set()).update(r for r in rs if r >= since)
        renamed[old] = ren
        renamed[new] = ren

    overlay_comps = {}
    for entry in overlay.get("components") or []:
        key = (entry["kind"], entry["type"])
        if key in overlay_comps:
            sys.exit("overlay: %s %s twice" % key)
        if key not in comps:
            sys.exit("overlay: %s %s is in no distribution manifest" % key)
        overlay_comps[key] = entry
    not_listening = {}
    for kind, types in (overlay.get("not_listening") or {}).items():
        for t in types:
            if (kind, t) not in comps:
                sys.exit("overlay not_listening: %s %s is in no distribution manifest" % (kind, t))
            not_listening[(kind, t)] = True
    checked_signals = {}
    for kind, types in (overlay.get("signals_checked") or {}).items():
        for t in types:
            if (kind, t) not in comps:
                sys.exit("overlay signals_checked: %s %s is in no distribution manifest" % (kind, t))
            checked_signals[(kind, t)] = True
    horizon = max(resolver.contrib_versions) if resolver.contrib_versions else newest

    out_comps = []
    for key in sorted(comps, key=lambda k: (KIND_ORDER[k[0]], k[1])):
        kind, typ = key
        c = comps[key]
        ov = overlay_comps.get(key, {})
        dist_ranges = {}
        for _, dist in DISTS:
            if dist in c["dists"]:
                dist_ranges[dist] = ranges(c["dists"][dist], all_releases)
        added = min(r[0][0] for r in dist_ranges.values())
        last_until = [r[-1][1] for r in dist_ranges.values()]
        removed = None if any(u is None for u in last_until) else max(last_until)
        e = {"kind": kind, "type": typ}
        e["distributions"] = list(dist_ranges)
        signals = sorted(c["signals"], key=signal_order)
        # Metadata read only up to the contrib snapshot's horizon may miss a
        # signal added later: unless re-checked (signals_checked) or already
        # complete, leave the list empty so that no rule judges it.
        contrib_only = all(m.startswith(CONTRIB_PREFIX) for m in c["modules"])
        beyond = removed is None or removed > horizon
        full = set(signals) >= set(SIGNALS) if kind != "connector" else False
        if kind == "extension":
            signals = []
        elif not c["signals_known"]:
            signals = []
        elif contrib_only and beyond and not full and key not in checked_signals:
            signals = []
        e["signals"] = signals
        e["added"] = "0.0.0" if added == all_releases[0] else vstr(added)
        # Deprecated: the first release from which every read at a release
        # says so (all its signals deprecated), through the last read.
        dep = c["dep"]
        first_dep = None
        for rel in sorted(dep):
            if dep[rel]:
                if first_dep is None:
                    first_dep = rel
            else:
                first_dep = None
        if first_dep is not None:
            e["deprecated"] = "0.0.0" if first_dep == all_releases[0] else vstr(first_dep)
        if removed is not None:
            e["removed"] = vstr(removed)
        for field in ("deprecated", "replacement", "removed_settings", "listens", "default_ports",
                      "localhost_default_since", "listen_keys", "signals"):
            if field in ov:
                e[field] = ov[field]
        ren = renamed.get(key)
        if ren is not None and key == (ren["kind"], ren["old"]):
            if ren.get("deprecated") and "deprecated" not in ov:
                e["deprecated"] = ren["deprecated"]
            e.setdefault("replacement", "%s (the same %s under its new name)" % (ren["new"], kind))
        if key in not_listening:
            if "listens" in ov:
                sys.exit("overlay: %s %s both listening and not" % key)
            e["listens"] = False
        e["shipped"] = {d: [[vstr(s) if s != all_releases[0] else "0.0.0",
                             vstr(u) if u else None] for s, u in rs]
                        for d, rs in dist_ranges.items()}
        # Citations: the manifest that first lists it (or the baseline one),
        # the manifest of the release that dropped it, then the overlay's.
        sources = []
        for d, rs in dist_ranges.items():
            dist_dir = [dd for dd, n in DISTS if n == d][0]
            for s, u in rs:
                sources.append("%s/blob/v%s/distributions/%s/manifest.yaml" % (RELEASES_REPO, vstr(s), dist_dir))
                if u is not None:
                    sources.append("%s/blob/v%s/distributions/%s/manifest.yaml" % (RELEASES_REPO, vstr(u), dist_dir))
        ov_src = ov.get("source")
        if isinstance(ov_src, str):
            ov_src = [ov_src]
        ov_src = list(ov_src or [])
        if ren is not None:
            ov_src += [ren["source"]] if isinstance(ren["source"], str) else list(ren["source"])
        for module in sorted(c["modules"]):
            if module in resolver.overlay and resolver.overlay[module].get("source"):
                ov_src.append(resolver.overlay[module]["source"])
        seen = set()
        e["source"] = [s for s in sources + ov_src if not (s in seen or seen.add(s))]
        out_comps.append(e)

    lines = []
    lines.append("# Generated by tools/gen-collector-components.py from the distribution")
    lines.append("# manifests of opentelemetry-collector-releases v%s ... v%s, component"
                 % (vstr(all_releases[0]), vstr(newest)))
    lines.append("# metadata of opentelemetry-collector (core) and opentelemetry-collector-contrib")
    lines.append("# (read up to v%s), and tools/collector-components-overlay.yaml." % vstr(horizon))
    lines.append("# Do not edit: change the overlay and re-run the tool (docs/knowledge.md).")
    lines.append("#")
    lines.append("# shipped: per distribution, the [since, until) release ranges whose manifest")
    lines.append("# lists the component (\"0.0.0\" = already in v%s, the oldest release read)."
                 % vstr(all_releases[0]))
    lines.append("# distributions/added/removed summarise them: every distribution that ever")
    lines.append("# shipped it, the first release of any, the first release of none.")
    lines.append("")
    lines.append("# What each threshold means: tools/collector-components-overlay.yaml.")
    lines.append("collector:")
    coll = {"newest": vstr(newest)}
    coll.update(overlay["collector"])
    lines.extend(emit_block(coll, 2))
    lines.append("")
    lines.append("components:")
    for e in out_comps:
        first = True
        for field in FIELD_ORDER:
            if field not in e:
                continue
            v = e[field]
            prefix = "  - " if first else "    "
            first = False
            if field == "source":
                lines.append(prefix + "sources:")
                for s in v:
                    lines.append("      - " + s)
            else:
                lines.append(prefix + "%s: %s" % (field, emit_value(v)))
    text = "\n".join(lines) + "\n"

    if args.check:
        with open(args.output) as f:
            if f.read() != text:
                sys.exit("%s is not what the tool generates; re-run it" % args.output)
        return
    with open(args.output, "w") as f:
        f.write(text)
    print("%d component types, releases %s..%s, contrib metadata to %s"
          % (len(out_comps), vstr(all_releases[0]), vstr(newest), vstr(horizon)), file=sys.stderr)


if __name__ == "__main__":
    main()
