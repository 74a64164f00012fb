#!/usr/bin/env python3
"""Generate knowledge/keys/grafana.yaml: the keys of Grafana's file
provisioning (provisioning/<kind>/*.yaml), one root per kind:

  datasources     apiVersion >= 1 files (camelCase keys)
  datasources-v0  files without apiVersion (snake_case keys: Grafana reads
                  a file with no apiVersion, or apiVersion 0, with the v0 struct)
  dashboards      dashboard providers, apiVersion >= 1 (`providers:` list)
  dashboards-v0   dashboard providers without apiVersion (a bare list)
  plugins         app plugins (`apps:`)
  alerting        alerting file provisioning (groups, contactPoints, policies, ...)
  notifiers       legacy alert notification channels (`notifiers:`)

Sources, read from local snapshots (never the network):

  --grafana   a git snapshot holding Grafana's release tags v9.0.0 ... v9.3.2
              (github.com/grafana/grafana is over the snapshot size limit; the
              fork De30/grafana carries the upstream tags up to v9.3.2)
  tools/keys/grafana-overlay.yaml
              keys added after 9.3.2, read by hand in grafana/grafana at the
              commit each entry cites (pkg/services/provisioning/...), and notes.
              Those keys carry no since: the release that added each one is not
              known here, so they are accepted at every release (never a false
              alarm), and no key of 9.3.2 is marked as removed.

  tools/keys/grafana.py --grafana G > knowledge/keys/grafana.yaml

Grafana decodes these files with gopkg.in/yaml.v2 `yaml.Unmarshal` (not
UnmarshalStrict): unknown keys are ignored, hence `strict: false`.
Plugin-specific blocks (jsonData, secureJsonData, contact point settings,
dashboard provider options, query models) are open.

Deterministic: the same snapshot and overlay give the same file byte for byte.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import gostructs  # noqa: E402
from tables_pcg import GitSnapshot, apply_additions, apply_overlay, dump, merge_versions, vkey  # noqa: E402

G = "github.com/grafana/grafana"
PROV = f"{G}/pkg/services/provisioning"
OPEN = {"type": "map", "open": True}
STRING = {"type": "string"}

# pkg/services/provisioning/values/values.go: every value is read as a
# string, environment variables are expanded, then it is parsed.
OVERRIDES = {
    f"{PROV}/values.StringValue": STRING,
    f"{PROV}/values.IntValue": {"type": ["int", "string"]},
    f"{PROV}/values.Int64Value": {"type": ["int", "string"]},
    f"{PROV}/values.BoolValue": {"type": ["bool", "string"]},
    f"{PROV}/values.JSONValue": OPEN,
    f"{PROV}/values.StringMapValue": {"type": "map", "values": STRING},
    f"{PROV}/values.JSONSliceValue": {"type": "list"},
    # alerting/notification_policy_types.go: the whole item is decoded a
    # second time as a JSON notification policy (definitions.Route):
    # receiver, group_by, matchers, routes, ... Left open.
    f"{PROV}/alerting.NotificiationPolicyV1": OPEN,
    # ngalert/models: Duration in seconds (or a duration string).
    f"{G}/pkg/services/ngalert/models.Duration": {"type": ["int", "string"]},
    # definitions.MuteTimeInterval: alertmanager's config.MuteTimeInterval
    # (name, time_intervals: list of weekday/time/month ranges) inline, plus
    # provenance.
    f"{G}/pkg/services/ngalert/api/tooling/definitions.MuteTimeInterval": {"type": "map", "keys": {
        "name": STRING, "time_intervals": {"type": "list", "items": OPEN}, "provenance": STRING}},
    f"{G}/pkg/services/ngalert/models.Provenance": STRING,
    f"{G}/pkg/services/ngalert/api/tooling/definitions.EmbeddedContactPoint": OPEN,
}

ROOTS = {
    "datasources": ("datasources", "configsV1"),
    "datasources-v0": ("datasources", "configsV0"),
    "dashboards": ("dashboards", "configV1"),
    "dashboards-v0": ("dashboards", "configV0"),
    "plugins": ("plugins", "pluginsAsConfigV0"),
    "alerting": ("alerting", "AlertingFileV1"),
    "notifiers": ("notifiers", "notificationsAsConfigV0"),
}


class Release:
    def __init__(self, snap, tag, cache):
        self.snap, self.tag, self.cache = snap, tag, cache

    def load(self, ip):
        if not ip.startswith(G + "/"):
            return None
        d = ip[len(G) + 1:]
        key = (self.tag, d)
        if key not in self.cache:
            pkg = gostructs.Package(ip)
            for name in gostructs.go_files(self.snap.ls(self.tag, d)):
                src = self.snap.read(self.tag, f"{d}/{name}")
                if src and gostructs.build_constraint_ok(src):
                    pkg.add_file(name, src)
            self.cache[key] = pkg if pkg.files else None
        return self.cache[key]


def build(rel):
    conv = gostructs.Converter(rel.load, OVERRIDES, tag="yaml", inline_embedded=True)
    roots = {}
    for root, (pkg, tname) in ROOTS.items():
        if not rel.snap.ls(rel.tag, f"pkg/services/provisioning/{pkg}"):
            continue
        node = conv.named(f"{PROV}/{pkg}", tname)
        node = dict(conv.resolve(node))
        if root == "dashboards-v0":
            node = {"type": "list", "items": conv.named(f"{PROV}/{pkg}", tname)}
        else:
            # apiVersion is read from every file in a first pass (configVersion).
            node["keys"] = dict(node.get("keys", {}))
            node["keys"].setdefault("apiVersion", {"type": ["int", "string"]})
        roots[root] = node
    return {"types": conv.types, "roots": roots}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grafana", required=True)
    ap.add_argument("--since", default="9.0.0")
    ap.add_argument("--until", default="9.3.2", help="newest tag read from the snapshot")
    args = ap.parse_args()
    snap = GitSnapshot(args.grafana)
    tags = sorted((t for t in snap.tags() if re.fullmatch(r"v\d+\.\d+\.\d+", t)
                   and vkey(args.since) <= vkey(t) <= vkey(args.until)), key=vkey)
    cache, trees = {}, []
    for tag in tags:
        trees.append(build(Release(snap, tag, cache)))
    versions = [t[1:] for t in tags]
    types, roots = merge_versions(trees, versions)
    newest = tags[-1]
    base = "https://github.com/grafana/grafana/blob"
    sources = [f"{base}/{newest}/pkg/services/provisioning/{p}" for p in (
        "datasources/types.go", "datasources/config_reader.go", "dashboards/types.go",
        "plugins/types.go", "alerting/types.go", "alerting/rules_types.go",
        "alerting/contact_point_types.go", "notifiers/types.go", "values/values.go")]
    sources.append(f"{base}/{tags[0]}/pkg/services/provisioning/datasources/types.go")
    overlay = os.path.join(os.path.dirname(__file__), "grafana-overlay.yaml")
    sources += apply_additions(types, roots, overlay)
    sources += apply_overlay(types, roots, overlay)
    header = [
        f"Generated by tools/keys/grafana.py from grafana/grafana {tags[0]} … {newest} (Go structs at each tag)",
        "and tools/keys/grafana-overlay.yaml (keys of later releases, no since). Do not edit.",
        "Roots: datasources, datasources-v0, dashboards, dashboards-v0, plugins, alerting, notifiers.",
    ]
    meta = {"format": "grafana", "program": "Grafana", "strict": False,
            "versions": versions, "sources": sources}
    sys.stdout.write(dump(header, meta, types, roots))


if __name__ == "__main__":
    main()
