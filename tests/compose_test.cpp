// Unit tests for compose parsing: port and volume short syntax, shell word
// splitting, path joining, and whole services parsed from inline YAML with
// exact positions and OBS103/OBS104 findings.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "parse/compose.h"
#include "parse/compose_project.h"
#include "parse/parsers.h"
#include "parse/yaml.h"

namespace obslint {
namespace {

struct PortCase {
  const char* spec;
  bool valid;
  const char* ip;
  int host_start, host_end, container_start, container_end;
  const char* protocol;
};

TEST_CASE("compose: ParsePortSpec table") {
  const PortCase cases[] = {
      {"3000", true, "", 0, 0, 3000, 3000, "tcp"},
      {"8080:80", true, "", 8080, 8080, 80, 80, "tcp"},
      {"127.0.0.1:8080:80", true, "127.0.0.1", 8080, 8080, 80, 80, "tcp"},
      {"127.0.0.1::80", true, "127.0.0.1", 0, 0, 80, 80, "tcp"},
      {"[::1]:8080:80/udp", true, "::1", 8080, 8080, 80, 80, "udp"},
      {"9000-9001:9000-9001", true, "", 9000, 9001, 9000, 9001, "tcp"},
      {"9000-9001:9000", true, "", 9000, 9001, 9000, 9000, "tcp"},  // host range onto one port
      {"6831:6831/sctp", true, "", 6831, 6831, 6831, 6831, "sctp"},
      {"0:80", false, "", 0, 0, 80, 80, "tcp"},
      {"70000:80", false, "", 0, 0, 80, 80, "tcp"},
      {"80:70000", false, "", 0, 0, 0, 0, "tcp"},
      {"8080:80/xyz", false, "", 0, 0, 0, 0, "xyz"},
      {"a:b", false, "", 0, 0, 0, 0, "tcp"},
      {"9000-9002:9000-9001", false, "", 9000, 9002, 9000, 9001, "tcp"},
      {"9001-9000:80", false, "", 0, 0, 80, 80, "tcp"},
      {"1:2:3:4", false, "", 0, 0, 0, 0, "tcp"},
      {"[::1:8080:80", false, "", 0, 0, 0, 0, "tcp"},
      {"", false, "", 0, 0, 0, 0, "tcp"},
  };
  for (const PortCase& c : cases) {
    CAPTURE(c.spec);
    PortMapping p = ParsePortSpec(c.spec);
    CHECK(p.valid == c.valid);
    CHECK(p.raw == c.spec);
    CHECK(p.protocol == c.protocol);
    if (!c.valid) {
      CHECK(!p.error.empty());
      continue;
    }
    CHECK(p.error.empty());
    CHECK(p.host_ip == c.ip);
    CHECK(p.host_start == c.host_start);
    CHECK(p.host_end == c.host_end);
    CHECK(p.container_start == c.container_start);
    CHECK(p.container_end == c.container_end);
  }
  CHECK(ParsePortSpec("3000").published_random);
  CHECK(ParsePortSpec("3000").IsPublished());
  CHECK(ParsePortSpec("70000:80").error.find("out of range") != std::string::npos);
  CHECK(ParsePortSpec("8080:80/xyz").error.find("unknown protocol") != std::string::npos);
}

TEST_CASE("compose: ParseVolumeSpec") {
  struct Case {
    const char* spec;
    const char* type;
    const char* source;
    const char* target;
    bool ro;
  };
  const Case cases[] = {
      {"data:/var/lib/x", "volume", "data", "/var/lib/x", false},
      {"./conf/a.yml:/etc/a.yml:ro", "bind", "./conf/a.yml", "/etc/a.yml", true},
      {"../shared:/shared:rw", "bind", "../shared", "/shared", false},
      {"/var/run/docker.sock:/var/run/docker.sock:ro,z", "bind", "/var/run/docker.sock",
       "/var/run/docker.sock", true},
      {"~/.aws:/root/.aws:z", "bind", "~/.aws", "/root/.aws", false},
      {"/data", "volume", "", "/data", false},  // anonymous
      {".:/app", "bind", ".", "/app", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.spec);
    VolumeMount m = ParseVolumeSpec(c.spec);
    CHECK(m.type == c.type);
    CHECK(m.source == c.source);
    CHECK(m.target == c.target);
    CHECK(m.read_only == c.ro);
    CHECK(m.raw == c.spec);
  }
}

TEST_CASE("compose: SplitShellWords") {
  std::vector<size_t> offsets;
  auto w = SplitShellWords(R"(sh -c "echo \"hi\" $X" 'a b'  c\ d)", &offsets);
  REQUIRE(w.size() == 5);
  CHECK(w[0] == "sh");
  CHECK(w[1] == "-c");
  CHECK(w[2] == R"(echo "hi" $X)");
  CHECK(w[3] == "a b");
  CHECK(w[4] == "c d");
  CHECK(offsets == std::vector<size_t>{0, 3, 6, 23, 30});
  CHECK(SplitShellWords("").empty());
  CHECK(SplitShellWords("   \t\n ").empty());
  CHECK(SplitShellWords("--config=/etc/a.yaml") == std::vector<std::string>{"--config=/etc/a.yaml"});
  CHECK(SplitShellWords("a''b") == std::vector<std::string>{"ab"});
  // Unterminated quotes keep the rest as one word rather than failing.
  CHECK(SplitShellWords("a 'b c") == std::vector<std::string>{"a", "b c"});
}

TEST_CASE("compose: JoinPath") {
  CHECK(JoinPath("/stack", "./a.yml") == "/stack/a.yml");
  CHECK(JoinPath("/stack", "a/../b") == "/stack/b");
  CHECK(JoinPath("/stack/sub", "../x") == "/stack/x");
  CHECK(JoinPath("/stack", "/etc/x") == "/etc/x");
  CHECK(JoinPath("/stack", ".") == "/stack");
  CHECK(JoinPath("/", "../..") == "/");
  CHECK(JoinPath("/stack", "a//b/") == "/stack/a/b");
}

// ------------------------------------------------------------ whole files

struct Parsed {
  SourceFile file;
  ComposeParseResult result;
  std::vector<VarUse> uses;
  std::vector<LoadFinding> findings;
  const ComposeService& Service(std::string_view name) const {
    for (const auto& s : result.services)
      if (s.name == name) return s;
    FAIL("no service " << name);
    return result.services.front();
  }
};

void Parse(Parsed& p, std::string text, std::map<std::string, std::string> vars = {}) {
  p.file.path = "compose.yaml";
  p.file.content = std::move(text);
  p.file.IndexLines();
  yaml::Parse(p.file.content, p.file.yaml);
  VarLookup lookup = [vars](std::string_view name) -> const std::string* {
    static thread_local std::string value;
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return nullptr;
    value = it->second;
    return &value;
  };
  ParseComposeFile(p.file, "/stack", lookup, p.result, p.uses, p.findings);
}

void CheckLoc(const Location& loc, int line, int column) {
  CHECK(loc.file == "compose.yaml");
  CHECK(loc.line == line);
  CHECK(loc.column == column);
}

TEST_CASE("compose: environment as list and as map, with positions") {
  Parsed p;
  Parse(p, R"(services:
  a:
    image: busybox
    environment:
      - PLAIN=1
      - "QUOTED=two words"
      - FROM_SHELL
      - REF=${HOST:-localhost}:4317
  b:
    image: busybox
    environment:
      KEY: value
      NUM: 42
      EMPTY:
)",
        {{"FROM_SHELL", "shell-value"}});
  CHECK(p.findings.empty());
  const ComposeService& a = p.Service("a");
  REQUIRE(a.environment.size() == 4);
  CHECK(a.environment[0].key == "PLAIN");
  CHECK(a.environment[0].value.resolved == "1");
  CheckLoc(a.environment[0].key_loc, 5, 9);
  CHECK(a.environment[0].key_loc.end_column == 14);
  CheckLoc(a.environment[0].value_loc, 5, 15);
  CHECK(a.environment[1].key == "QUOTED");
  CheckLoc(a.environment[1].key_loc, 6, 10);
  CheckLoc(a.environment[1].value_loc, 6, 17);
  CHECK(a.environment[1].value.resolved == "two words");
  CHECK(a.environment[2].has_value);
  CHECK(a.environment[2].value.resolved == "shell-value");
  CHECK(a.environment[3].value.raw == "${HOST:-localhost}:4317");
  CHECK(a.environment[3].value.resolved == "localhost:4317");
  CHECK(a.Env("REF") == &a.environment[3]);

  const ComposeService& b = p.Service("b");
  REQUIRE(b.environment.size() == 3);
  CheckLoc(b.environment[0].key_loc, 12, 7);
  CheckLoc(b.environment[0].value_loc, 12, 12);
  CHECK(b.environment[1].value.resolved == "42");
  CHECK_FALSE(b.environment[2].has_value);  // unset in the shell: not passed at all
  REQUIRE(p.uses.size() == 1);
  CHECK(p.uses[0].ref.name == "HOST");
}

TEST_CASE("compose: depends_on, networks, long-syntax ports and volumes") {
  Parsed p;
  Parse(p, R"(services:
  app:
    image: busybox
    depends_on:
      db:
        condition: service_healthy
      cache:
    networks:
      backend:
        aliases: [api, app.internal]
      frontend:
    ports:
      - target: 80
        published: "8080"
        host_ip: 127.0.0.1
        protocol: udp
      - target: 70000
    volumes:
      - type: bind
        source: ./conf
        target: /etc/conf
        read_only: true
      - type: volume
        source: data
        target: /data
  db:
    image: postgres:16
    depends_on: [cache]
    networks: [backend]
  cache:
    image: redis:7
)");
  const ComposeService& app = p.Service("app");
  REQUIRE(app.depends_on.size() == 2);
  CHECK(app.depends_on[0].service.value == "db");
  CHECK(app.depends_on[0].condition == "service_healthy");
  CheckLoc(app.depends_on[0].condition_loc, 6, 20);
  CheckLoc(app.depends_on[0].service.loc, 5, 7);
  CHECK(app.depends_on[1].condition == "service_started");
  REQUIRE(app.networks.size() == 2);
  CHECK(app.networks_declared);
  CHECK(app.networks[0].name.value == "backend");
  REQUIRE(app.networks[0].aliases.size() == 2);
  CHECK(app.networks[0].aliases[1].value == "app.internal");
  REQUIRE(app.ports.size() == 2);
  CHECK(app.ports[0].valid);
  CHECK(app.ports[0].host_start == 8080);
  CHECK(app.ports[0].container_start == 80);
  CHECK(app.ports[0].host_ip == "127.0.0.1");
  CHECK(app.ports[0].protocol == "udp");
  CheckLoc(app.ports[0].loc, 13, 9);
  CHECK_FALSE(app.ports[1].valid);
  CheckLoc(app.ports[1].loc, 17, 17);  // at the bad target
  REQUIRE(app.volumes.size() == 2);
  CHECK(app.volumes[0].type == "bind");
  CHECK(app.volumes[0].read_only);
  CHECK(app.volumes[0].host_path == "/stack/conf");
  CheckLoc(app.volumes[0].source_loc, 20, 17);
  CHECK(app.volumes[1].type == "volume");
  CHECK(app.volumes[1].source == "data");
  CHECK(app.volumes[1].host_path.empty());
  const ComposeService& db = p.Service("db");
  REQUIRE(db.depends_on.size() == 1);
  CheckLoc(db.depends_on[0].service.loc, 28, 18);
  REQUIRE(db.networks.size() == 1);
  CheckLoc(db.networks[0].name.loc, 29, 16);
}

TEST_CASE("compose: image references") {
  struct Case {
    const char* image;
    const char* repository;
    const char* tag;
    const char* digest;
  };
  const Case cases[] = {
      {"grafana/grafana:11.2.0", "grafana/grafana", "11.2.0", ""},
      {"postgres", "postgres", "", ""},
      {"localhost:5000/img:tag", "localhost:5000/img", "tag", ""},
      {"localhost:5000/img", "localhost:5000/img", "", ""},
      {"ghcr.io/umami-software/umami:postgresql-v2.10.1", "ghcr.io/umami-software/umami",
       "postgresql-v2.10.1", ""},
      {"redis:7@sha256:abc123", "redis", "7", "sha256:abc123"},
      {"redis@sha256:abc123", "redis", "", "sha256:abc123"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.image);
    Parsed p;
    Parse(p, std::string("services:\n  s:\n    image: \"") + c.image + "\"\n");
    const ComposeService& s = p.Service("s");
    CHECK(s.image.text.value == c.image);
    CHECK(s.image.repository == c.repository);
    CHECK(s.image.tag == c.tag);
    CHECK(s.image.digest == c.digest);
    CheckLoc(s.image.text.loc, 3, 12);
  }
  Parsed p;
  Parse(p, "services:\n  s:\n    image: grafana/grafana:${TAG:-10.0.0}\n", {});
  CHECK(p.Service("s").image.tag == "10.0.0");
}

TEST_CASE("compose: command words keep their columns") {
  Parsed p;
  Parse(p, R"(services:
  loki:
    image: grafana/loki:3.1.1
    command: -config.file=/etc/loki/a.yaml -target=all
)");
  const ComposeService& s = p.Service("loki");
  REQUIRE(s.command.size() == 2);
  CHECK(s.command[1].value == "-target=all");
  CheckLoc(s.command[1].loc, 4, 44);
  auto flag = s.Flag("config.file");
  REQUIRE(flag.has_value());
  CHECK(flag->value == "/etc/loki/a.yaml");
}

TEST_CASE("compose: repeated flags, boolean flags and comma-list feature flags") {
  Parsed p;
  Parse(p, R"(services:
  vmagent:
    image: victoriametrics/vmagent:v1.102.0
    command:
      - -remoteWrite.url=http://a:8428/api/v1/write
      - -remoteWrite.url
      - http://b:8428/api/v1/write
  prom:
    image: prom/prometheus:v2.53.0
    command: ["--web.enable-remote-write-receiver", "--enable-feature=exemplar-storage,otlp-write-receiver", "--web.enable-lifecycle=false"]
)");
  const ComposeService& vm = p.Service("vmagent");
  auto urls = vm.FlagValues("remoteWrite.url");
  REQUIRE(urls.size() == 2);
  CHECK(urls[0].value == "http://a:8428/api/v1/write");
  CheckLoc(urls[0].loc, 5, 9);
  CHECK(urls[1].value == "http://b:8428/api/v1/write");
  CheckLoc(urls[1].loc, 7, 9);
  const ComposeService& prom = p.Service("prom");
  CHECK(prom.FlagEnabled("web.enable-remote-write-receiver"));
  CHECK(prom.FlagEnabled("enable-feature=otlp-write-receiver"));
  CHECK(prom.FlagEnabled("enable-feature=exemplar-storage"));
  CHECK_FALSE(prom.FlagEnabled("enable-feature=remote-write-receiver"));
  CHECK_FALSE(prom.FlagEnabled("web.enable-lifecycle"));  // =false
  CHECK_FALSE(prom.FlagEnabled("web.enable-otlp-receiver"));
}

TEST_CASE("compose: OBS103 wrong types at exact positions") {
  Parsed p;
  Parse(p, R"(services:
  web:
    image: nginx
    ports:
      http: "8080:80"
    depends_on: 3
    volumes: ./x:/y
    environment:
      - KEY=1
      - {nested: map}
    networks: default
    healthcheck: [CMD, true]
)");
  std::vector<std::pair<int, int>> where;
  for (const auto& f : p.findings) {
    CHECK(f.code == "OBS103");
    where.emplace_back(f.loc.line, f.loc.column);
  }
  CHECK(where == std::vector<std::pair<int, int>>{{5, 7}, {6, 17}, {7, 14}, {10, 9}, {11, 15}, {12, 18}});
  REQUIRE(!p.findings.empty());
  CHECK(p.findings[0].message == "\"services.web.ports\" must be a list, not a mapping");
}

TEST_CASE("compose: top-level shapes and interpolation syntax errors") {
  Parsed p;
  Parse(p, "- just\n- a list\n");
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].code == "OBS103");

  Parsed q;
  Parse(q, "services:\n  a:\n    image: \"x:${}\"\n    environment:\n      A: ${B C}\n");
  REQUIRE(q.findings.size() == 2);
  CHECK(q.findings[0].code == "OBS103");
  CheckLoc(q.findings[0].loc, 3, 12);
  CheckLoc(q.findings[1].loc, 5, 10);
}

TEST_CASE("compose: OBS104 unknown keys, x- extensions allowed") {
  Parsed p;
  Parse(p, R"(version: "3.8"
x-common: &common
  restart: always
services:
  grafana:
    image: grafana/grafana
    enviroment:
      A: 1
    x-custom: 1
services2: {}
)");
  REQUIRE(p.findings.size() == 2);
  CHECK(p.findings[0].code == "OBS104");
  CheckLoc(p.findings[0].loc, 7, 5);
  CHECK(p.findings[0].message ==
        "unknown key \"enviroment\" in service \"grafana\"; did you mean \"environment\"?");
  CHECK(p.findings[1].code == "OBS104");
  CheckLoc(p.findings[1].loc, 10, 1);
  CHECK(p.findings[1].message ==
        "unknown top-level key \"services2\" in compose file; did you mean \"services\"?");
  REQUIRE(p.result.version_keys.size() == 1);
  CheckLoc(p.result.version_keys[0], 1, 1);
}

TEST_CASE("compose: healthcheck forms and deploy limits") {
  Parsed p;
  Parse(p, R"(services:
  a:
    image: busybox
    healthcheck:
      test: ["CMD-SHELL", "wget -q --spider http://localhost/ || exit 1"]
    deploy:
      resources:
        limits: {memory: 256M, cpus: "0.5"}
  b:
    image: busybox
    healthcheck:
      test: ["NONE"]
  c:
    image: busybox
    healthcheck:
      test: curl -f http://localhost/
    mem_limit: 1g
)");
  const ComposeService& a = p.Service("a");
  CHECK(a.healthcheck.present);
  CHECK(a.healthcheck.test_form == "CMD-SHELL");
  REQUIRE(a.healthcheck.test.size() == 1);
  CheckLoc(a.healthcheck.test[0].loc, 5, 27);
  CHECK(a.has_memory_limit);
  CHECK(a.has_cpu_limit);
  CHECK(p.Service("b").healthcheck.disabled);
  const ComposeService& c = p.Service("c");
  CHECK(c.healthcheck.test_form.empty());
  CHECK(c.has_memory_limit);
  CHECK_FALSE(c.has_cpu_limit);
}


// A project of several in-memory files under /stack, loaded as the
// discoverer loads one: files[0..] merged in order.
struct Model {
  std::deque<SourceFile> files;
  ComposeProject project;
  std::vector<VarUse> uses;
  std::vector<LoadFinding> findings;
  std::map<std::string, std::string> vars;

  void Add(const std::string& name, std::string text) {
    SourceFile& f = files.emplace_back();
    f.path = name;
    f.abs_path = "/stack/" + name;
    f.content = std::move(text);
    f.IndexLines();
    f.yaml.origin = std::make_shared<yaml::Origin>(yaml::Origin{name});
    yaml::Parse(f.content, f.yaml);
  }

  void Load(std::vector<std::string> names) {
    ComposeLoadInput in;
    for (const auto& n : names) in.files.push_back("/stack/" + n);
    in.project_dir = "/stack";
    in.lookup = [this](std::string_view name) -> const std::string* {
      auto it = vars.find(std::string(name));
      return it == vars.end() ? nullptr : &it->second;
    };
    in.read = [this](const std::string& abs, FileKind kind, const Location& ref) -> const SourceFile* {
      for (SourceFile& f : files) {
        if (f.abs_path != abs) continue;
        f.kind = kind;
        return &f;
      }
      LoadFinding lf;
      lf.code = "OBS106";
      lf.loc = ref;
      lf.message = "cannot read " + abs;
      findings.push_back(lf);
      return nullptr;
    };
    LoadComposeModel(in, project, uses, findings);
  }

  const ComposeService& Service(std::string_view name) const {
    const ComposeService* s = project.Service(name);
    REQUIRE_MESSAGE(s != nullptr, "no service " << name);
    return *s;
  }
};

std::string At(const Location& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

std::vector<std::string> EnvOf(const ComposeService& s) {
  std::vector<std::string> out;
  for (const EnvVar& e : s.environment)
    if (s.Env(e.key) == &e) out.push_back(e.key + "=" + (e.has_value ? e.value.resolved : "<unset>") + "@" + At(e.key_loc));
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("compose merge: a later -f file over an earlier one (13-merge.md)") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  a:\n"
        "    image: x:1\n"
        "    command: [run, --fast]\n"
        "    environment: [A=1, B=2]\n"
        "    ports: [\"80:80\", \"443:443\"]\n"
        "    volumes: [\"data:/data\", \"./conf:/etc/conf:ro\"]\n"
        "    depends_on: [db]\n"
        "    networks: [front]\n"
        "  db:\n"
        "    image: postgres:16.4\n");
  m.Add("compose.override.yaml",
        "services:\n"
        "  a:\n"
        "    image: x:2\n"
        "    command: serve\n"
        "    environment:\n"
        "      B: three\n"
        "      C: '4'\n"
        "    ports: [\"80:80\", \"8080:8080\"]\n"
        "    volumes: [\"other:/data\"]\n"
        "    depends_on:\n"
        "      db: {condition: service_healthy}\n"
        "    networks:\n"
        "      back: {aliases: [api]}\n"
        "  b:\n"
        "    image: y\n");
  m.Load({"compose.yaml", "compose.override.yaml"});
  CHECK(m.findings.empty());
  REQUIRE(m.project.services.size() == 3);
  const ComposeService& a = m.Service("a");
  CHECK(a.image.text.value == "x:2");
  CHECK(At(a.image.text.loc) == "compose.override.yaml:3:12");
  CHECK(At(a.name_loc) == "compose.yaml:2:3");  // where the service was first declared
  // command is replaced, not appended.
  REQUIRE(a.command.size() == 1);
  CHECK(a.command[0].value == "serve");
  // A list on one side and a mapping on the other merge by key.
  CHECK(EnvOf(a) == std::vector<std::string>{"A=1@compose.yaml:5:19", "B=three@compose.override.yaml:6:7",
                                             "C=4@compose.override.yaml:7:7"});
  // ports append; the same published port is not repeated.
  REQUIRE(a.ports.size() == 3);
  CHECK(a.ports[2].host_start == 8080);
  // volumes are unique by target: the override's /data replaces the base's in place.
  REQUIRE(a.volumes.size() == 2);
  CHECK(a.volumes[0].source == "other");
  CHECK(At(a.volumes[0].loc) == "compose.override.yaml:9:15");
  CHECK(a.volumes[1].target == "/etc/conf");
  REQUIRE(a.depends_on.size() == 1);
  CHECK(a.depends_on[0].condition == "service_healthy");
  REQUIRE(a.networks.size() == 2);
  CHECK(a.networks[1].name.value == "back");
  REQUIRE(a.networks[1].aliases.size() == 1);
  CHECK(m.project.files.size() == 2);
}

TEST_CASE("compose merge: !reset and !override (13-merge.md)") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  app:\n"
        "    image: x:1\n"
        "    ports: [\"8080:80\"]\n"
        "    environment:\n"
        "      FOO: bar\n"
        "      KEEP: 'yes'\n"
        "    command: [a, b]\n"
        "  tools:\n"
        "    image: alpine:3.20\n");
  m.Add("compose.override.yaml",
        "services:\n"
        "  app:\n"
        "    ports: !override\n"
        "      - \"8443:443\"\n"
        "    environment:\n"
        "      FOO: !reset null\n"
        "    command: !reset []\n"
        "  tools: !reset\n");
  m.Load({"compose.yaml", "compose.override.yaml"});
  REQUIRE(m.project.services.size() == 1);
  const ComposeService& app = m.Service("app");
  REQUIRE(app.ports.size() == 1);
  CHECK(app.ports[0].host_start == 8443);
  CHECK(EnvOf(app) == std::vector<std::string>{"KEEP=yes@compose.yaml:7:7"});
  CHECK_FALSE(app.command_present);
}

TEST_CASE("compose merge: !reset in a single file drops the value, !override keeps it") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  app:\n"
        "    image: x:1\n"
        "    ports: !reset [\"8080:80\"]\n"
        "    expose: !override [\"9000\"]\n");
  m.Load({"compose.yaml"});
  const ComposeService& app = m.Service("app");
  CHECK(app.ports.empty());
  CHECK(app.expose.size() == 1);
}

TEST_CASE("compose extends: same file and file:, recursive, positions in the base file") {
  Model m;
  m.Add("common.yml",
        "services:\n"
        "  root:\n"
        "    image: postgres:16.4\n"
        "    environment: [POSTGRES_USER=app]\n"
        "  base:\n"
        "    extends: root\n"
        "    environment:\n"
        "      POSTGRES_PASSWORD: postgres\n"
        "    ports: [\"5432:5432\"]\n"
        "    volumes: [\"./init:/docker-entrypoint-initdb.d:ro\"]\n");
  m.Add("compose.yaml",
        "services:\n"
        "  db:\n"
        "    extends:\n"
        "      file: common.yml\n"
        "      service: base\n"
        "    environment:\n"
        "      POSTGRES_DB: app\n"
        "  replica:\n"
        "    extends: db\n"
        "    ports: !reset []\n");
  m.Load({"compose.yaml"});
  CHECK(m.findings.empty());
  REQUIRE(m.project.services.size() == 2);
  const ComposeService& db = m.Service("db");
  CHECK(db.image.text.value == "postgres:16.4");
  CHECK(At(db.image.text.loc) == "common.yml:3:12");
  CHECK(EnvOf(db) == std::vector<std::string>{"POSTGRES_DB=app@compose.yaml:7:7",
                                              "POSTGRES_PASSWORD=postgres@common.yml:8:7",
                                              "POSTGRES_USER=app@common.yml:4:19"});
  REQUIRE(db.ports.size() == 1);
  CHECK(At(db.ports[0].loc) == "common.yml:9:13");
  REQUIRE(db.volumes.size() == 1);
  CHECK(db.volumes[0].host_path == "/stack/init");  // relative to common.yml's directory
  CHECK(db.node->Get("extends") == nullptr);
  const ComposeService& replica = m.Service("replica");
  CHECK(replica.ports.empty());  // !reset in the extending service
  CHECK(EnvOf(replica).size() == 3);
  // Links for the notes on inherited findings: db inherits base and root.
  int db_links = 0;
  for (const ExtendsLink& l : m.project.extends) {
    if (l.service != "db") continue;
    ++db_links;
    CHECK(l.base_file == "common.yml");
    CHECK(At(l.extends_loc) == "compose.yaml:3:5");
  }
  CHECK(db_links == 2);
  REQUIRE(m.project.files.size() == 2);
  CHECK(m.project.files[1].role == "extends");
}

TEST_CASE("compose extends in an override file: its !reset also clears the earlier files") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  app:\n"
        "    image: x:1\n"
        "    ports: [\"80:80\"]\n"
        "    environment: {A: '1', B: '2'}\n");
  m.Add("compose.override.yaml",
        "services:\n"
        "  base:\n"
        "    image: y:2\n"
        "  app:\n"
        "    extends: base\n"
        "    ports: !reset []\n"
        "    environment:\n"
        "      B: !reset\n");
  m.Load({"compose.yaml", "compose.override.yaml"});
  const ComposeService& app = m.Service("app");
  CHECK(app.image.text.value == "y:2");
  CHECK(app.ports.empty());
  CHECK(EnvOf(app) == std::vector<std::string>{"A=1@compose.yaml:5:19"});
}

TEST_CASE("compose extends: unknown service and cycles are OBS212, nothing inherited") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  a:\n"
        "    extends: b\n"
        "  b:\n"
        "    image: x:1\n"
        "    extends: {service: a}\n"
        "  c:\n"
        "    extends: nope\n");
  m.Load({"compose.yaml"});
  REQUIRE(m.project.extends_problems.size() == 2);
  CHECK(m.project.extends_problems[0].message.find("cycle") != std::string::npos);
  CHECK(m.project.extends_problems[1].message.find("\"nope\"") != std::string::npos);
  CHECK_FALSE(m.Service("a").image.text.present);
}

TEST_CASE("compose include: own directory and .env, the including file wins (14-include.md)") {
  Model m;
  m.vars["TAG"] = "from-project";
  m.Add("compose.yaml",
        "include:\n"
        "  - sub/compose.yaml\n"
        "services:\n"
        "  loki:\n"
        "    ports: [\"127.0.0.1:3100:3100\"]\n");
  m.Add("sub/compose.yaml",
        "services:\n"
        "  loki:\n"
        "    image: grafana/loki:${TAG}\n"
        "    volumes: [\"./data:/loki\"]\n"
        "  promtail:\n"
        "    image: grafana/promtail:${PROMTAIL}\n");
  m.Load({"compose.yaml"});
  const ComposeService& loki = m.Service("loki");
  CHECK(loki.image.text.value == "grafana/loki:from-project");
  REQUIRE(loki.volumes.size() == 1);
  CHECK(loki.volumes[0].host_path == "/stack/sub/data");
  CHECK(loki.ports.size() == 1);
  CHECK(m.project.Service("promtail") != nullptr);
  CHECK(m.project.files[1].role == "include");
}

TEST_CASE("compose profiles: which services start") {
  Model m;
  m.Add("compose.yaml",
        "services:\n"
        "  web: {image: x}\n"
        "  posthog: {image: posthog/posthog:1, profiles: [analytics, all]}\n"
        "  debug: {image: y, profiles: [debug]}\n");
  m.Load({"compose.yaml"});
  ApplyProfiles(m.project, {}, "");
  CHECK(m.project.Running().size() == 1);
  ApplyProfiles(m.project, SplitProfiles(" analytics , ,debug"), "COMPOSE_PROFILES in .env");
  CHECK(m.project.Running().size() == 3);
  ApplyProfiles(m.project, {"all"}, "--profile");
  CHECK(m.Service("posthog").starts);
  CHECK_FALSE(m.Service("debug").starts);
  ApplyProfiles(m.project, {"*"}, "--all-profiles");
  CHECK(m.project.Running().size() == 3);
  CHECK(m.project.DeclaredProfiles() == std::vector<std::string>{"all", "analytics", "debug"});
}

}  // namespace
TEST_CASE("compose: OBS104 suggests the closest key of the same place") {
  Parsed p;
  Parse(p, R"(services:
  grafana:
    image: grafana/grafana
    restrat: always
volume:
  data: {}
telemetry: {}
)");
  REQUIRE(p.findings.size() == 3);
  CHECK(p.findings[0].message == "unknown key \"restrat\" in service \"grafana\"; did you mean \"restart\"?");
  CheckLoc(p.findings[0].loc, 4, 5);
  CHECK(p.findings[1].message == "unknown top-level key \"volume\" in compose file; did you mean \"volumes\"?");
  CheckLoc(p.findings[1].loc, 5, 1);
  // Nothing close enough to suggest.
  CHECK(p.findings[2].message == "unknown top-level key \"telemetry\" in compose file");
}

}  // namespace obslint
