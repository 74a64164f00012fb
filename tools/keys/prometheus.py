#!/usr/bin/env python3
"""Generate knowledge/keys/prometheus.yaml: the keys of prometheus.yml (root
`config`) and of rule files (root `rules`), for every Prometheus release from
--since (default 2.20.0) to the newest tag of the snapshot.

Sources, all read from local git snapshots (`fetch` leaves them under
/work/.mirror/<owner>+<repo>/repo), never from the network:

  --prometheus  github.com/prometheus/prometheus   config/, discovery/, model|pkg/relabel,
                                                    model|pkg/rulefmt, storage/remote/..., at each vX.Y.Z tag
  --common      github.com/prometheus/common        config/ (HTTPClientConfig, TLS, OAuth2, ...),
                                                    model/, at the version the release's go.mod requires
  --sigv4       github.com/prometheus/sigv4         at the version go.mod requires (3.1+; before
                                                    that sigv4 lived in prometheus/common/sigv4)

  tools/keys/prometheus.py --prometheus P --common C --sigv4 S > knowledge/keys/prometheus.yaml

How: the Go structs are read with tools/keys/gostructs.py (yaml tags; `,inline`
fields flattened; UnmarshalYAML methods that use the `type plain T` idiom
keep the struct's keys). Every other custom unmarshaler, and every type from
a module not read here, must be listed in OVERRIDES below, or the tool stops:
nothing is guessed. Service discovery: each package that discovery/install
(2.x) or plugins/ (3.x) links in registers `<Name()>_sd_configs` through
discovery.RegisterConfig; those keys are added to every struct whose
UnmarshalYAML calls discovery.UnmarshalYAMLWithInlineConfigs (scrape and
alertmanager configs), with `static_configs`. SD blocks whose structs come
from modules not read here are left open.

Prometheus decodes prometheus.yml with yaml.UnmarshalStrict (config/config.go,
LoadFile) and rule files with a yaml.v3 decoder with KnownFields(true)
(rulefmt.Parse): unknown keys stop it, hence `strict: true`.

Deterministic: the same snapshots give the same file byte for byte.
"""
import argparse
import os
import pickle
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import gostructs  # noqa: E402
from tables_pcg import GitSnapshot, apply_overlay, dump, merge_versions, vkey  # noqa: E402

PROM = "github.com/prometheus/prometheus"
COMMON = "github.com/prometheus/common"
SIGV4 = "github.com/prometheus/sigv4"

STRING = {"type": "string"}
LABELS = {"type": "map", "values": {"type": "string"}}

# Types whose YAML form is not their Go struct. Each entry was read in the
# source named in the comment.
OVERRIDES = {
    # common/model/time.go: Duration.UnmarshalYAML -> ParseDuration (y, w, d, h, m, s, ms).
    f"{COMMON}/model.Duration": {"type": "prom_duration"},
    # common/model/labelset.go, labels.go: label maps and names are plain strings.
    f"{COMMON}/model.LabelSet": LABELS,
    f"{COMMON}/model.LabelName": STRING,
    f"{COMMON}/model.LabelValue": STRING,
    # common/model: "legacy" | "utf8" (and "" = default); validated, case-sensitive.
    f"{COMMON}/model.ValidationScheme": STRING,
    f"{COMMON}/model.EscapingScheme": STRING,
    # common/config/config.go: Secret is a string that marshals as <secret>.
    f"{COMMON}/config.Secret": STRING,
    # common/config/http_config.go: URL parses a string; TLSVersion is "TLS10".."TLS13".
    f"{COMMON}/config.URL": STRING,
    f"{COMMON}/config.TLSVersion": STRING,
    # common/config/headers.go: map of header name -> {values, secrets, files}.
    f"{COMMON}/config.ProxyHeader": {"type": "map", "values": {"type": "list", "items": STRING}},
    # github.com/alecthomas/units: Base2Bytes parses "512MB", "1GiB".
    "github.com/alecthomas/units.Base2Bytes": {"type": "size"},
    # model/labels (pkg/labels before 2.31): Labels unmarshal from a map of strings.
    f"{PROM}/model/labels.Labels": LABELS,
    f"{PROM}/pkg/labels.Labels": LABELS,
    # model/relabel: Regexp parses a string; Action is lower-cased before matching.
    f"{PROM}/model/relabel.Regexp": STRING,
    f"{PROM}/pkg/relabel.Regexp": STRING,
    f"{PROM}/model/relabel.Action": STRING,
    f"{PROM}/pkg/relabel.Action": STRING,
    # discovery/targetgroup/targetgroup.go: Group.UnmarshalYAML reads {targets, labels}.
    f"{PROM}/discovery/targetgroup.Group": {"type": "map", "keys": {
        "targets": {"type": "list", "items": STRING}, "labels": LABELS}},
    # config/config.go: ScrapeProtocol is a string validated against a list;
    # AlertmanagerAPIVersion "v1"/"v2"; TracingClientType "grpc"/"http".
    f"{PROM}/config.ScrapeProtocol": STRING,
    f"{PROM}/config.AlertmanagerAPIVersion": STRING,
    f"{PROM}/config.TracingClientType": STRING,
    f"{PROM}/config.TranslationStrategyOption": STRING,
    # storage/remote: protobuf message names ("prometheus.WriteRequest", "io.prometheus.write.v2.Request").
    f"{PROM}/config.RemoteWriteProtoMsg": STRING,
    "github.com/prometheus/client_golang/exp/api/remote.WriteMessageType": STRING,
    # otlptranslator: "UnderscoreEscapingWithSuffixes", "NoUTF8EscapingWithSuffixes", ...
    "github.com/prometheus/otlptranslator.TranslationStrategyOption": STRING,
    # discovery/*: role names parsed from a string (each SD validates its own list).
    **{f"{PROM}/discovery/{sd}.{t}": STRING for sd, t in [
        ("aws", "Role"), ("digitalocean", "Role"), ("hetzner", "Role"), ("kubernetes", "Role"),
        ("openstack", "Role"), ("scaleway", "role"), ("linode", "Role"), ("vultr", "Role"),
        ("ionos", "Role"), ("ovhcloud", "Role"), ("stackit", "Role"), ("hetzner", "role")]},
    # digitalocean.SDConfig has an untagged test-only field `HTTPClient *http.Client`, which
    # yaml.v2 would accept as `httpclient`: accepted, not checked below.
    "net/http.Client": {"type": "any"},
    # standard library
    "net/url.URL": STRING,
    "net/url.Values": {"type": "map", "values": {"type": "list", "items": STRING}},
    "time.Duration": {"type": "duration"},
    "regexp.Regexp": STRING,
    # yaml.v3 node of a rule's record/alert/expr (rulefmt.RuleNode): a scalar.
    "gopkg.in/yaml.v3.Node": STRING,
    "go.yaml.in/yaml/v3.Node": STRING,
}

# SD blocks that embed types from modules not read here (cloud SDKs) stay open:
# filled in from the prometheus sources where the struct is self-contained.
OPEN_SD = set()
LENIENT = False
MISSING = set()


def parse_gomod(text):
    req = {}
    for m in re.finditer(r"^\s*(?:require\s+)?([\w./-]+)\s+(v[\w.+-]+)", text, re.M):
        req.setdefault(m.group(1), m.group(2))
    rep = {}
    for m in re.finditer(r"^\s*(?:replace\s+)?([\w./-]+)(?:\s+v\S+)?\s+=>\s+(\S+)\s+(v\S+)", text, re.M):
        rep[m.group(1)] = (m.group(2), m.group(3))
    return req, rep


def rev_of(version):
    """Git revision for a Go module version (tag, or the commit of a pseudo-version)."""
    m = re.match(r"^v\d+\.\d+\.\d+-(?:0\.)?\d{14}-([0-9a-f]{12})$", version) or \
        re.match(r"^v\d+\.\d+\.\d+-[\w.]*\.?\d{14}-([0-9a-f]{12})$", version)
    return m.group(1) if m else version


class Release:
    def __init__(self, tag, prom, common, sigv4, pkg_cache):
        self.tag = tag
        self.prom, self.common, self.sigv4 = prom, common, sigv4
        self.cache = pkg_cache
        req, rep = parse_gomod(prom.read(tag, "go.mod"))
        for mod in (COMMON, SIGV4, COMMON + "/sigv4"):
            if mod in rep:
                raise SystemExit(f"{tag}: go.mod replaces {mod}; not handled")
        self.common_rev = rev_of(req[COMMON])
        self.common_ver = req[COMMON]
        self.sigv4_rev = rev_of(req[SIGV4]) if SIGV4 in req else None
        self.common_sigv4_rev = ("sigv4/" + req[COMMON + "/sigv4"]) if COMMON + "/sigv4" in req else None
        self.versions = {"common": req[COMMON], "sigv4": req.get(SIGV4), "common/sigv4": req.get(COMMON + "/sigv4")}

    def locate(self, ip):
        if ip == PROM or ip.startswith(PROM + "/"):
            return self.prom, self.tag, ip[len(PROM) + 1:]
        if ip == COMMON + "/sigv4":
            return (self.common, self.common_sigv4_rev, "sigv4") if self.common_sigv4_rev else None
        if ip.startswith(COMMON + "/"):
            return self.common, self.common_rev, ip[len(COMMON) + 1:]
        if ip == SIGV4 and self.sigv4_rev:
            return self.sigv4, self.sigv4_rev, ""
        return None

    def load(self, ip):
        loc = self.locate(ip)
        if loc is None:
            return None
        snap, rev, d = loc
        key = (snap.gitdir, rev, d)
        if key in self.cache:
            return self.cache[key]
        pkg = gostructs.Package(ip)
        for name in gostructs.go_files(snap.ls(rev, d)):
            src = snap.read(rev, f"{d}/{name}" if d else name)
            if src and gostructs.build_constraint_ok(src):
                pkg.add_file(name, src)
        self.cache[key] = pkg if pkg.files else None
        return self.cache[key]

    def sd_packages(self):
        paths = set()
        for d in ("discovery/install", "plugins"):
            for name in gostructs.go_files(self.prom.ls(self.tag, d)):
                src = self.prom.read(self.tag, f"{d}/{name}")
                paths.update(re.findall(r'"(' + re.escape(PROM) + r'/discovery/[\w/]+)"', src))
        return sorted(paths)

    def sd_configs(self):
        """[(yaml key, import path, struct name)] registered by the linked-in SD packages."""
        out = []
        for ip in self.sd_packages():
            pkg = self.load(ip)
            if pkg is None:
                continue
            for fname in sorted(pkg.files):
                src = pkg.files[fname]
                for m in re.finditer(r"RegisterConfig\(\s*&(\w+)\{\s*\}\s*\)", src):
                    tname = m.group(1)
                    body = pkg.methods.get(tname, {}).get("Name")
                    if body is None:
                        raise SystemExit(f"{self.tag}: {ip}.{tname} has no Name()")
                    rm = re.search(r'return\s+"(\w+)"', body) or re.search(r"return\s+(\w+)", body)
                    name = rm.group(1)
                    if not re.search(r'return\s+"', body):
                        name = pkg.consts[name]
                    out.append((f"{name}_sd_configs", ip, tname))
        return sorted(out)


def build_release(rel):
    sd = rel.sd_configs()

    def sd_hook(conv, pkg, decl, body):
        if "UnmarshalYAMLWithInlineConfigs" not in body:
            return None
        keys = {"static_configs": {"type": "list", "items": conv.named(f"{PROM}/discovery/targetgroup", "Group")}}
        for key, ip, tname in sd:
            try:
                item = conv.named(ip, tname)
            except gostructs.NeedsOverride as e:
                OPEN_SD.add(f"{key}: {e}")
                item = {"type": "map", "open": True}
            keys[key] = {"type": "list", "items": item}
        return keys

    conv = gostructs.Converter(rel.load, OVERRIDES, tag="yaml", hooks=[sd_hook], lenient=LENIENT)
    roots = {}
    roots["config"] = conv.named(f"{PROM}/config", "Config")
    rulefmt = f"{PROM}/model/rulefmt" if rel.prom.ls(rel.tag, "model/rulefmt") else f"{PROM}/pkg/rulefmt"
    roots["rules"] = conv.named(rulefmt, "RuleGroups")
    MISSING.update(f"{m} [{rel.tag}]" for m in conv.missing)
    return {"types": conv.types, "roots": roots}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--common", required=True)
    ap.add_argument("--sigv4", required=True)
    ap.add_argument("--since", default="2.20.0")
    ap.add_argument("--only", help="one tag, for debugging")
    ap.add_argument("--list-missing", action="store_true",
                    help="debugging: list every type without a rule instead of stopping at the first")
    args = ap.parse_args()
    global LENIENT
    LENIENT = args.list_missing
    prom, common, sigv4 = GitSnapshot(args.prometheus), GitSnapshot(args.common), GitSnapshot(args.sigv4)
    tags = [t for t in prom.tags() if re.fullmatch(r"v\d+\.\d+\.\d+", t) and vkey(t) >= vkey(args.since)]
    tags.sort(key=vkey)
    if args.only:
        tags = [args.only]
    cache = {}
    trees, versions, deps = [], [], {}
    dev_cache = os.environ.get("KEYS_DEV_CACHE")  # development only: reuse extracted trees
    if dev_cache and os.path.exists(dev_cache):
        with open(dev_cache, "rb") as f:
            trees, versions, deps = pickle.load(f)
        tags = []
    for tag in tags:
        rel = Release(tag, prom, common, sigv4, cache)
        try:
            trees.append(build_release(rel))
        except gostructs.NeedsOverride as e:
            raise SystemExit(f"{tag}: no rule for type {e}; add it to OVERRIDES after reading its source")
        versions.append(tag[1:])
        deps[tag] = rel.versions
    if dev_cache and not os.path.exists(dev_cache):
        with open(dev_cache, "wb") as f:
            pickle.dump((trees, versions, deps), f)
    tags = ["v" + v for v in versions]
    types, roots = merge_versions(trees, versions)
    # Each key's own table name is a Go type; shorten nothing, but drop types
    # no root reaches (none expected).
    newest = tags[-1]
    common_used = sorted({d["common"] for d in deps.values()}, key=lambda v: vkey(v))
    sources = [
        f"https://github.com/prometheus/prometheus/blob/{newest}/config/config.go",
        f"https://github.com/prometheus/prometheus/blob/{newest}/discovery/registry.go",
        f"https://github.com/prometheus/prometheus/blob/{newest}/model/rulefmt/rulefmt.go",
        f"https://github.com/prometheus/prometheus/blob/{tags[0]}/config/config.go",
        f"https://github.com/prometheus/prometheus/tree/{newest}/discovery",
    ]
    for v in common_used:
        rev = rev_of(v)
        if rev != v:
            rev = common.commit_of(rev)
        sources.append(f"https://github.com/prometheus/common/blob/{rev}/config/http_config.go")
    for v in sorted({d["sigv4"] for d in deps.values() if d["sigv4"]}, key=vkey):
        sources.append(f"https://github.com/prometheus/sigv4/blob/{v}/sigv4.go")
    sources += apply_overlay(types, roots, os.path.join(os.path.dirname(__file__), "prometheus-overlay.yaml"))
    header = [
        f"Generated by tools/keys/prometheus.py from prometheus/prometheus {tags[0]} … {newest},",
        "prometheus/common and prometheus/sigv4 at the versions each release's go.mod requires. Do not edit.",
        "Root `config`: prometheus.yml. Root `rules`: a rule file (rule_files).",
    ]
    meta = {
        "format": "prometheus",
        "program": "Prometheus",
        "strict": True,
        "versions": versions,
        "sources": sources,
    }
    sys.stdout.write(dump(header, meta, types, roots))
    if MISSING:
        print("types without a rule:\n  " + "\n  ".join(sorted(MISSING)), file=sys.stderr)
    if OPEN_SD:
        print("left open:\n  " + "\n  ".join(sorted(OPEN_SD)), file=sys.stderr)


if __name__ == "__main__":
    main()
