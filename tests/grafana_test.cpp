// Unit tests for the Grafana model: SHA-256 and the uid Grafana derives from a
// datasource name, the positioned JSON tree, dashboards, alerting files,
// grafana.ini, and the merged setting view (GF_* over grafana.ini).
#include <doctest/doctest.h>

#include <string>

#include "analysis/grafana.h"
#include "model/json.h"
#include "model/sha256.h"
#include "parse/parsers.h"
#include "parse/yaml.h"

namespace obslint {
namespace {

void Load(SourceFile& file, std::string content, std::string path, bool yaml) {
  file.path = std::move(path);
  file.content = std::move(content);
  file.IndexLines();
  if (yaml) yaml::Parse(file.content, file.yaml);
}

// ---------------------------------------------------------------- SHA-256

TEST_CASE("sha256: FIPS 180-4 test vectors") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits in the first padding block.
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Two full blocks and a tail.
  CHECK(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Exactly one block of input: the padding takes a block of its own.
  CHECK(Sha256Hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("derived datasource uid: Grafana's own test vectors") {
  // pkg/services/provisioning/datasources/types_test.go TestUIDFromNames
  CHECK(DerivedDatasourceUid("Hello world") == "P64EC88CA00B268E5");
  CHECK(DerivedDatasourceUid("Hello World") == "PA591A6D40BF42040");
  CHECK(DerivedDatasourceUid("AAA") == "PCB1AD2119D8FAFB6");
  CHECK(LooksLikeDerivedUid("P64EC88CA00B268E5"));
  CHECK_FALSE(LooksLikeDerivedUid("p64ec88ca00b268e5"));
  CHECK_FALSE(LooksLikeDerivedUid("P64EC88CA00B268E"));
}

// ------------------------------------------------------------------- JSON

TEST_CASE("json: every value knows where it is written") {
  std::string text = "{\n  \"a\": [1, -2.5e3, true, null],\n  \"s\": \"x\\\"y\\u00e9\",\n  \"o\": {}\n}";
  json::Document doc;
  json::Parse(text, doc);
  REQUIRE(doc.Root() != nullptr);
  const json::Node& root = *doc.Root();
  CHECK(root.begin == 0);
  CHECK(root.end == text.size());
  const json::Node* a = doc.Get(root, "a");
  REQUIRE(a != nullptr);
  CHECK(a->size == 4);
  CHECK(text.substr(a->key_begin, a->key_end - a->key_begin) == "\"a\"");
  CHECK(text.substr(a->begin, a->end - a->begin) == "[1, -2.5e3, true, null]");
  const json::Node* n = doc.FirstChild(*a);
  CHECK(doc.Text(*n) == "1");
  n = doc.Next(*n);
  CHECK(doc.Text(*n) == "-2.5e3");
  CHECK(text.substr(n->begin, n->end - n->begin) == "-2.5e3");
  n = doc.Next(*n);
  CHECK(n->kind == json::Kind::kBool);
  CHECK(n->boolean);
  CHECK(text.substr(n->begin, n->end - n->begin) == "true");
  n = doc.Next(*n);
  CHECK(n->IsNull());
  CHECK(text.substr(n->begin, n->end - n->begin) == "null");
  const json::Node* s = doc.Get(root, "s");
  CHECK(doc.Text(*s) == "x\"y\xC3\xA9");  // decoded
  CHECK(doc.Key(*s) == "s");
  CHECK(text.substr(s->begin, s->end - s->begin) == "\"x\\\"y\\u00e9\"");  // as written
  const json::Node* o = doc.Get(root, "o");
  CHECK(o->IsObject());
  CHECK(o->size == 0);
  CHECK(text.substr(o->begin, o->end - o->begin) == "{}");
}

TEST_CASE("json: syntax errors and hostile input") {
  json::Document doc;
  json::Parse("{\"a\": 1,}", doc);
  CHECK(doc.error.failed);
  CHECK(doc.Root() == nullptr);
  CHECK(doc.error.offset == 8);
  json::Parse("", doc);
  CHECK(doc.error.failed);
  // Deep nesting is refused, not recursed into.
  json::Parse(std::string(100000, '['), doc);
  CHECK(doc.error.failed);
  CHECK(doc.error.message.find("nesting") != std::string::npos);
  // Escapes in keys and before closing quotes: positions from the written text.
  std::string esc = "{\"k\\\"ey\": \"a\\\\\", \"n\": \"\\\"\"}";
  json::Parse(esc, doc);
  REQUIRE(doc.Root() != nullptr);
  const json::Node* k = doc.FirstChild(*doc.Root());
  CHECK(doc.Key(*k) == "k\"ey");
  CHECK(doc.Text(*k) == "a\\");
  CHECK(esc.substr(k->key_begin, k->key_end - k->key_begin) == "\"k\\\"ey\"");
  CHECK(esc.substr(k->begin, k->end - k->begin) == "\"a\\\\\"");
  CHECK(doc.Text(*doc.Next(*k)) == "\"");
  // A repeated key: the last one wins, as in Go's encoding/json.
  json::Parse("{\"k\": 1, \"k\": 2}", doc);
  REQUIRE(doc.Root() != nullptr);
  CHECK(doc.Text(*doc.Get(*doc.Root(), "k")) == "2");
}

// -------------------------------------------------------------- dashboards

TEST_CASE("dashboard: uid, title, inputs, variables and every datasource reference") {
  SourceFile file;
  Load(file, R"({
  "__inputs": [{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}],
  "uid": "node",
  "title": "Node",
  "templating": {"list": [
    {"name": "ds", "type": "datasource", "query": "prometheus"},
    {"name": "job", "type": "query", "datasource": {"type": "prometheus", "uid": "${ds}"}}
  ]},
  "annotations": {"list": [{"name": "Annotations", "datasource": {"type": "grafana", "uid": "-- Grafana --"}}]},
  "panels": [
    {"title": "CPU", "datasource": "${DS_PROM}", "targets": [{"refId": "A", "datasource": null}]},
    {"type": "row", "title": "More", "collapsed": true, "panels": [
      {"id": 7, "targets": [{"refId": "B", "datasource": {"type": "loki", "uid": "logs"}}]}
    ]}
  ]
})", "d.json", false);
  GrafanaDashboard d;
  std::vector<LoadFinding> findings;
  ParseGrafanaDashboard(file, d, findings);
  CHECK(findings.empty());
  CHECK(d.uid.value == "node");
  CHECK(d.uid.loc.line == 3);
  CHECK(d.uid.loc.column == 10);
  CHECK(d.title.value == "Node");
  REQUIRE(d.inputs.size() == 1);
  CHECK(d.inputs[0].plugin_id == "prometheus");
  CHECK(d.inputs_loc.line == 2);
  REQUIRE(d.variables.size() == 2);
  CHECK(d.variables[0].query == "prometheus");
  REQUIRE(d.refs.size() == 4);
  CHECK(d.refs[0].where == "variable \"job\"");
  CHECK(d.refs[0].uid.value == "${ds}");
  CHECK(d.refs[1].where == "annotation \"Annotations\"");
  CHECK(d.refs[2].where == "panel \"CPU\"");
  CHECK(!d.refs[2].object_form);
  CHECK(d.refs[2].uid.loc.line == 11);
  CHECK(d.refs[2].uid.loc.column == 36);
  CHECK(d.refs[2].uid.loc.end_column == 48);
  CHECK(d.refs[3].where == "query B of panel 7");
  CHECK(d.refs[3].type.value == "loki");
  CHECK(d.refs[3].uid.value == "logs");
}

TEST_CASE("dashboard: a JSON syntax error is OBS101 at its position") {
  SourceFile file;
  Load(file, "{\n  \"title\": \"x\"\n  \"uid\": \"y\"\n}", "d.json", false);
  GrafanaDashboard d;
  std::vector<LoadFinding> findings;
  ParseGrafanaDashboard(file, d, findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "OBS101");
  CHECK(findings[0].loc.line == 3);
  CHECK(findings[0].loc.column == 3);
}

TEST_CASE("dashboard references: Grafana's lookup") {
  SourceFile ds_file;
  Load(ds_file, R"(apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    uid: prom
  - name: Loki
    type: loki
)", "ds.yaml", true);
  Project p;
  GrafanaDatasourceFile& f = p.datasource_files.emplace_back();
  std::vector<LoadFinding> findings;
  ParseGrafanaDatasources(ds_file, f, findings);
  f.services = {"grafana"};
  GrafanaDatasources datasources(p, "grafana");
  using By = GrafanaDatasources::By;
  CHECK(datasources.Find(1, "prom", By::kUid) != nullptr);
  CHECK(datasources.Find(1, "Prometheus", By::kUid) == nullptr);
  CHECK(datasources.Find(1, "Prometheus", By::kUidOrName) != nullptr);
  CHECK(datasources.Find(1, "prometheus", By::kUidOrName) == nullptr);  // case-sensitive
  CHECK(datasources.Find(1, DerivedDatasourceUid("Loki"), By::kUid) != nullptr);
  CHECK(datasources.Find(2, "prom", By::kUid) == nullptr);
  CHECK(datasources.HasType(1, "loki"));
  CHECK_FALSE(datasources.HasType(1, "tempo"));

  CHECK(WholeVariableReference("$ds") == "ds");
  CHECK(WholeVariableReference("${ds}") == "ds");
  CHECK(WholeVariableReference("${ds:text}") == "ds");
  CHECK(WholeVariableReference("[[ds]]") == "ds");
  CHECK_FALSE(WholeVariableReference("prom-$env"));
  CHECK(DatasourceTypesDiffer("prometheus", "loki"));
  CHECK_FALSE(DatasourceTypesDiffer("postgres", "grafana-postgresql-datasource"));
  CHECK_FALSE(DatasourceTypesDiffer("prometheus", "victoriametrics-metrics-datasource"));
}

// ---------------------------------------------------------------- alerting

TEST_CASE("alerting: rules, contact points, policies and delete lists") {
  SourceFile file;
  Load(file, R"(apiVersion: 1
groups:
  - orgId: 2
    name: g
    folder: f
    rules:
      - uid: r1
        title: High
        condition: C
        data:
          - refId: A
            datasourceUid: prom
          - refId: C
            datasourceUid: __expr__
        notification_settings:
          receiver: team
      - uid: r2
        title: Rec
        record:
          metric: m
          from: A
        data:
          - refId: A
contactPoints:
  - name: team
    receivers:
      - uid: t1
        type: slack
        settings:
          url: https://hooks.slack.com/x
policies:
  - receiver: team
    routes:
      - receiver: other
        routes:
          - receiver: deep
deleteContactPoints:
  - uid: old
resetPolicies: [3]
)", "a.yaml", true);
  GrafanaAlertingFile f;
  std::vector<LoadFinding> findings;
  ParseGrafanaAlerting(file, f, findings);
  CHECK(findings.empty());
  REQUIRE(f.rules.size() == 2);
  CHECK(f.rules[0].org_id == 2);
  CHECK(f.rules[0].folder == "f");
  CHECK(f.rules[0].condition.value == "C");
  CHECK(f.rules[0].condition.loc.line == 9);
  REQUIRE(f.rules[0].data.size() == 2);
  CHECK(f.rules[0].data[1].datasource_uid.value == "__expr__");
  CHECK(f.rules[0].receiver.value == "team");
  CHECK(f.rules[1].condition.value == "A");  // record.from
  REQUIRE(f.contact_points.size() == 1);
  CHECK(f.contact_points[0].org_id == 1);
  CHECK(f.contact_points[0].receivers[0].type.value == "slack");
  REQUIRE(f.policy_receivers.size() == 3);
  CHECK(f.policy_receivers[2].name.value == "deep");
  CHECK(f.delete_contact_points.size() == 1);
  REQUIRE(f.reset_policies.size() == 1);
  CHECK(f.reset_policies[0].value == 3);
}

// ------------------------------------------------------------ grafana.ini

TEST_CASE("grafana.ini: sections, comments, quotes, positions") {
  SourceFile file;
  Load(file, "app_mode = production\n"
             "; comment\n"
             "[security]\n"
             "admin_user = admin ; inline comment\n"
             "  admin_password = \"s3cret\"\n"
             "secret_key = \"\"\"a#b;c\"\"\"\n"
             "[auth.anonymous]\n"
             "enabled: true\n"
             "[security]\n"
             "admin_user = root\n",
       "grafana.ini", false);
  GrafanaIni ini;
  std::vector<LoadFinding> findings;
  ParseGrafanaIni(file, ini, findings);
  CHECK(findings.empty());
  REQUIRE(ini.entries.size() == 6);
  CHECK(ini.entries[0].section == "DEFAULT");
  CHECK(ini.Find("security", "admin_user")->value == "root");  // a later one wins
  const GrafanaIniEntry* pw = ini.Find("security", "admin_password");
  REQUIRE(pw != nullptr);
  CHECK(pw->value == "s3cret");
  CHECK(pw->key_loc.line == 5);
  CHECK(pw->key_loc.column == 3);
  CHECK(pw->value_loc.column == 21);
  CHECK(pw->value_loc.end_column == 27);
  CHECK(ini.Find("security", "secret_key")->value == "a#b;c");
  CHECK(ini.Find("auth.anonymous", "enabled")->value == "true");
  CHECK(GrafanaEnvKey("auth.generic-oauth", "client.id") == "GF_AUTH_GENERIC_OAUTH_CLIENT_ID");
  CHECK(GrafanaEnvKey("DEFAULT", "app_mode") == "GF_DEFAULT_APP_MODE");
}

TEST_CASE("grafana.ini: a line go-ini cannot read is OBS101") {
  SourceFile file;
  Load(file, "[server]\nhttp_port 3000\n", "grafana.ini", false);
  GrafanaIni ini;
  std::vector<LoadFinding> findings;
  ParseGrafanaIni(file, ini, findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "OBS101");
  CHECK(findings[0].loc.line == 2);
}

TEST_CASE("settings: GF_* wins over grafana.ini, expanders, opaque values") {
  SourceFile file;
  Load(file, "[security]\nadmin_password = from-ini\nsecret_key = $__file{/run/secrets/k}\n"
             "[users]\nallow_sign_up = $__env{SIGNUP}\n[server]\nroot_url =\n",
       "grafana.ini", false);
  Project p;
  GrafanaIni& ini = p.grafana_inis.emplace_back();
  std::vector<LoadFinding> findings;
  ParseGrafanaIni(file, ini, findings);
  ini.services = {"grafana"};
  p.grafana_configs.push_back({"grafana", "/etc/grafana/grafana.ini", true, 0});
  ComposeService s;
  s.name = "grafana";
  auto env = [&](std::string key, std::string value) {
    EnvVar e;
    e.key = std::move(key);
    e.has_value = true;
    e.value.raw = e.value.resolved = std::move(value);
    s.environment.push_back(std::move(e));
  };

  GrafanaSettingValue v = GrafanaSetting(p, s, "security", "admin_password");
  CHECK(v.from == GrafanaSettingValue::From::kIni);
  CHECK(v.value == "from-ini");
  CHECK(v.loc.line == 2);
  CHECK(GrafanaSetting(p, s, "security", "secret_key").opaque);
  CHECK(GrafanaSetting(p, s, "users", "allow_sign_up").opaque);  // SIGNUP unset
  CHECK_FALSE(GrafanaSetting(p, s, "server", "root_url").IsSet());  // empty: the default
  CHECK_FALSE(GrafanaSetting(p, s, "auth.anonymous", "enabled").IsSet());

  env("GF_SECURITY_ADMIN_PASSWORD", "from-env");
  env("SIGNUP", "true");
  env("GF_SERVER_ROOT_URL", "");  // empty: does not override
  v = GrafanaSettingForEnv(p, s, "GF_SECURITY_ADMIN_PASSWORD");
  CHECK(v.from == GrafanaSettingValue::From::kEnv);
  CHECK(v.value == "from-env");
  CHECK(v.ini != nullptr);  // the entry it overrides
  v = GrafanaSetting(p, s, "users", "allow_sign_up");
  CHECK_FALSE(v.opaque);
  CHECK(v.value == "true");
  CHECK_FALSE(GrafanaSetting(p, s, "server", "root_url").IsSet());
  env("GF_SECURITY_ADMIN_PASSWORD__FILE", "/run/secrets/pw");
  CHECK(GrafanaSetting(p, s, "security", "admin_password").opaque);
  CHECK(GrafanaConfigKnown(p, s));
  p.grafana_configs[0].ini = -1;  // supplied but not read
  CHECK_FALSE(GrafanaConfigKnown(p, s));
}

}  // namespace
}  // namespace obslint
