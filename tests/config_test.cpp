#include <doctest/doctest.h>

#include "engine/config.h"

using obslint::Config;
using obslint::ParseConfig;

TEST_CASE("config: a valid .obslint.yaml fills selection, severity, exclude and policy") {
  Config c;
  ParseConfig(R"(rules:
  select: [OBS8, unpinned-image]
  ignore: [OBS808]
  severity:
    OBS807: error
paths:
  exclude: ['^vendor/']
policy:
  analytics:
    enabled: true
    types: [web, product]
    provider: posthog
    hosting: self-hosted
  require: [traces]
  forbid: ['.*:latest$']
)", ".obslint.yaml", c);
  REQUIRE(c.ok());
  CHECK(c.select.size() == 2);
  CHECK(c.ignore == std::vector<std::string>{"OBS808"});
  CHECK(c.severity.at("OBS807") == obslint::Severity::kError);
  CHECK(c.exclude == std::vector<std::string>{"^vendor/"});
  CHECK(c.policy.analytics.declared);
  CHECK(c.policy.analytics.enabled);
  CHECK(c.policy.analytics.provider == "posthog");
  CHECK(c.policy.analytics.loc.line == 9);
  REQUIRE(c.policy.forbid.size() == 1);
  CHECK(c.policy.forbid[0].loc.line == 15);
  CHECK(c.policy.forbid[0].loc.column == 12);
}

TEST_CASE("config: every schema error is OBS002 at its exact position") {
  Config c;
  ParseConfig(R"(policy:
  analytics:
    enabled: yes
    provider: posthogg
  requir: [x]
rules:
  select: [OBS999]
  severity:
    OBS807: fatal
paths:
  exclude: ['(']
)", "cfg.yaml", c);
  REQUIRE(c.errors.size() == 6);
  auto at = [&](size_t i) {
    return std::to_string(c.errors[i].loc.line) + ":" + std::to_string(c.errors[i].loc.column);
  };
  CHECK(at(0) == "3:14");  // enabled: yes (a string)
  CHECK(c.errors[0].message.find("must be true or false") != std::string::npos);
  CHECK(at(1) == "4:15");  // provider enum
  CHECK(at(2) == "5:3");   // unknown key requir
  CHECK(c.errors[2].message.find("unknown key \"requir\"") != std::string::npos);
  CHECK(at(3) == "7:12");  // unknown rule
  CHECK(at(4) == "9:13");  // severity enum
  CHECK(at(5) == "11:13");  // bad RE2
  for (const auto& e : c.errors) CHECK(e.code == "OBS002");
  CHECK(c.policy.analytics.declared == false);  // a broken config changes nothing
}

TEST_CASE("config: policy.analytics.profiles names a Compose profile per type") {
  Config ok;
  ParseConfig(R"(policy:
  analytics:
    enabled: true
    types: [web]
    profiles:
      web: analytics
      product: analytics-product
)", "cfg.yaml", ok);
  REQUIRE(ok.ok());
  CHECK(ok.policy.analytics.web_profile.value == "analytics");
  CHECK(ok.policy.analytics.web_profile.loc.line == 6);
  CHECK(ok.policy.analytics.web_profile.loc.column == 12);
  CHECK(ok.policy.analytics.product_profile.value == "analytics-product");

  Config bad;
  ParseConfig(R"(policy:
  analytics:
    enabled: true
    profiles:
      web: "not a profile"
      mobile: x
)", "cfg.yaml", bad);
  REQUIRE(bad.errors.size() == 2);
  auto at = [&](size_t i) {
    return std::to_string(bad.errors[i].loc.line) + ":" + std::to_string(bad.errors[i].loc.column);
  };
  CHECK(at(0) == "5:12");
  CHECK(bad.errors[0].message.find("not a Compose profile name") != std::string::npos);
  CHECK(at(1) == "6:7");
  CHECK(bad.errors[1].message.find("unknown key \"mobile\"") != std::string::npos);

  Config empty;
  ParseConfig("policy:\n  analytics:\n    enabled: true\n    profiles: {}\n", "cfg.yaml", empty);
  REQUIRE(empty.errors.size() == 1);
  CHECK(empty.errors[0].message.find("at least one profile") != std::string::npos);
}

TEST_CASE("config: YAML syntax errors and missing required keys") {
  Config broken;
  ParseConfig("policy: [unclosed\n", "cfg.yaml", broken);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.errors[0].loc.line >= 1);

  Config missing;
  ParseConfig("policy:\n  analytics:\n    types: [web]\n", "cfg.yaml", missing);
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].loc.line == 2);
  CHECK(missing.errors[0].message.find("required key \"enabled\"") != std::string::npos);

  Config empty;
  ParseConfig("# nothing yet\n", "cfg.yaml", empty);
  CHECK(empty.ok());
}
