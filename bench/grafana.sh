#!/bin/sh
# Benchmarks a Grafana stack provisioned from files at scale: 50 dashboards
# of about 200 KB each (10 MB of JSON: 60 panels of 8 queries per dashboard,
# object and legacy datasource references, variables, annotations), one
# datasource file, one alerting file and a grafana.ini, generated in a
# temporary directory and linted with every rule. The target is under 100 ms.
# Usage: sh bench/grafana.sh [path/to/obslint]   (default build/obslint)
set -eu
cd "$(dirname "$0")/.."
bin=$(readlink -f "${1:-build/obslint}")
command -v hyperfine >/dev/null || OBSLINT_EXTRA_PACKAGES="hyperfine" sh scripts/deps.sh
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import json, os, sys
root = sys.argv[1]
def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

write("compose.yaml", """services:
  grafana:
    image: grafana/grafana:11.2.0
    volumes:
      - ./grafana/grafana.ini:/etc/grafana/grafana.ini:ro
      - ./grafana/provisioning:/etc/grafana/provisioning:ro
      - ./grafana/dashboards:/var/lib/grafana/dashboards:ro
  prometheus:
    image: prom/prometheus:v2.53.0
  loki:
    image: grafana/loki:3.1.0
""")
write("grafana/grafana.ini", "[server]\nroot_url = https://grafana.example.com/\n[users]\nallow_sign_up = false\n")
write("grafana/provisioning/datasources/ds.yaml", """apiVersion: 1
datasources:
  - {name: Prometheus, type: prometheus, uid: prometheus, url: http://prometheus:9090, isDefault: true}
  - {name: Loki, type: loki, uid: loki, url: http://loki:3100}
""")
write("grafana/provisioning/dashboards/dashboards.yaml", """apiVersion: 1
providers:
  - name: all
    type: file
    options: {path: /var/lib/grafana/dashboards, foldersFromFilesStructure: true}
""")
write("grafana/provisioning/alerting/rules.yaml", """apiVersion: 1
groups:
  - name: g
    folder: f
    interval: 1m
    rules:
      - uid: r
        title: r
        condition: B
        data:
          - {refId: A, datasourceUid: prometheus, model: {expr: up}}
          - {refId: B, datasourceUid: __expr__, model: {type: math, expression: "$A > 0"}}
""")
for d in range(50):
    panels = []
    for p in range(60):
        ds = {"type": "prometheus", "uid": "prometheus"} if p % 3 else ("Loki" if p % 2 else "${ds}")
        panels.append({
            "datasource": ds, "id": p + 1, "title": "Panel %d" % p, "type": "timeseries",
            "gridPos": {"h": 8, "w": 12, "x": (p % 2) * 12, "y": p * 8},
            "fieldConfig": {"defaults": {"unit": "short", "color": {"mode": "palette-classic"},
                                         "thresholds": {"mode": "absolute", "steps": [
                                             {"color": "green", "value": None}, {"color": "red", "value": 80}]}},
                            "overrides": []},
            "options": {"legend": {"calcs": ["mean", "max"], "displayMode": "table", "placement": "bottom"},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [{"datasource": ds, "refId": chr(65 + t), "legendFormat": "{{instance}} {{job}}",
                         "expr": 'sum by (instance, job) (rate(http_requests_total{job="$job",instance=~"$instance",code=~"%dxx"}[$__rate_interval]))' % (t % 5 + 1)}
                        for t in range(8)],
        })
    dash = {
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                   "enable": True, "name": "Annotations & Alerts", "type": "dashboard"}]},
        "panels": panels, "schemaVersion": 39, "title": "Dashboard %d" % d, "uid": "dash-%d" % d,
        "templating": {"list": [
            {"name": "ds", "type": "datasource", "query": "prometheus"},
            {"name": "job", "type": "query", "datasource": {"type": "prometheus", "uid": "${ds}"},
             "query": "label_values(up, job)"},
            {"name": "instance", "type": "query", "datasource": {"type": "prometheus", "uid": "${ds}"},
             "query": "label_values(up{job=\"$job\"}, instance)"}]},
        "time": {"from": "now-6h", "to": "now"}, "version": 1}
    write("grafana/dashboards/team-%d/dashboard-%d.json" % (d % 5, d), json.dumps(dash, indent=2) + "\n")
PY

bytes=$(cat "$work"/grafana/dashboards/*/*.json | wc -c)
echo "generated: $(ls "$work"/grafana/dashboards/*/*.json | wc -l) dashboards, $bytes bytes of JSON"
echo "obslint: $("$bin" --version)"
"$bin" --format json --output /dev/null "$work" || true
hyperfine --warmup 3 --min-runs 20 -N --ignore-failure \
  -n "50 dashboards x 200 KB, all rules" "$bin --format json --output /dev/null $work"
/usr/bin/time -f "peak memory: %M KiB" "$bin" --format json --output /dev/null "$work" || true
