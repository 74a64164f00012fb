// obslint command line. The only code that knows argv.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "analysis/analysis.h"
#include "analysis/config_keys.h"
#include "cli/compose_config.h"
#include "cli/github_action.h"
#include "cli/graph.h"
#include "cli/options.h"
#include "cli/output.h"
#include "discover/discover.h"
#include "engine/baseline.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "knowledge/knowledge.h"
#include "report/report.h"

namespace obslint {
namespace {

constexpr const char* kExamples = R"(
Examples:
  obslint                                   lint the stack in the current directory
  obslint ./observability                   lint a stack directory
  obslint -f compose.yaml -f compose.prod.yaml   merge compose files like docker compose -f
  obslint --format sarif --output obslint.sarif .   SARIF for GitHub code scanning
  obslint --select OBS3,OBS7 --ignore OBS302 .      only collector and link rules, minus one
  obslint --explain OBS305                   what a rule checks and how to fix it

Exit status: 0 no finding at or above --fail-level, 1 findings, 2 bad command
line or configuration, 3 internal error (a bug: please report it).
)";

std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::stringstream ss(v);
    std::string item;
    while (std::getline(ss, item, ','))
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool UseColor(const std::string& mode, bool to_file) {
  if (mode == "always") return true;
  if (mode == "never" || to_file) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stdout)) != 0;
}

// A JSON string literal (the rule summaries hold backquotes and quotes).
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A Markdown table cell: `|` would end the cell.
std::string EscapePipes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void ListRules(const std::string& format, std::ostream& out) {
  if (format == "json") {
    out << "[\n";
    auto rules = AllRules();
    for (size_t i = 0; i < rules.size(); ++i) {
      out << fmt::format(
          "  {{\"code\": \"{}\", \"name\": \"{}\", \"severity\": \"{}\", \"summary\": {}}}{}\n",
          rules[i].code, rules[i].name, SeverityName(rules[i].severity),
          JsonString(rules[i].summary), i + 1 < rules.size() ? "," : "");
    }
    out << "]\n";
    return;
  }
  if (format == "markdown") {
    out << "| code | name | severity | checks |\n|---|---|---|---|\n";
    for (const Rule& r : AllRules())
      out << fmt::format("| {} | {} | {} | {} |\n", r.code, r.name, SeverityName(r.severity),
                         EscapePipes(r.summary));
    return;
  }
  for (const Rule& r : AllRules())
    out << fmt::format("{}  {:<38} {:<8} {}\n", r.code, r.name, SeverityName(r.severity), r.summary);
}

int Explain(const std::string& code, std::ostream& out) {
  const Rule* rule = FindRule(code);
  if (rule == nullptr) {  // `--explain obs305` as well as OBS305
    std::string upper = code;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rule = FindRule(upper);
  }
  if (rule == nullptr) {
    std::cerr << fmt::format("obslint: unknown rule \"{}\" (see obslint --list-rules)\n", code);
    return 2;
  }
  std::string_view doc = RuleDoc(rule->code);
  if (doc.empty()) {
    out << fmt::format("{} {} ({})\n\n{}\n", rule->code, rule->name, SeverityName(rule->severity),
                       rule->summary);
  } else {
    out << fmt::format("{} {} ({})\n\n", rule->code, rule->name, SeverityName(rule->severity));
    out << RuleDocBody(doc);
  }
  return 0;
}

struct StackResult {
  Project project;
  std::vector<Finding> findings;
  std::string error;
  bool ok = true;
  Config config;  // .obslint.yaml of the stack (config.errors: OBS002, exit 2)
  std::vector<std::string> coverage;  // --verbose lines
};

// --verbose: what the key checks covered in one stack, one line per file part.
std::vector<std::string> CoverageLines(const Project& p, const Knowledge& k) {
  std::vector<KeyCoverage> coverage;
  CheckConfigKeys(*Analysis::Of(p, k), &coverage);
  std::vector<std::string> out;
  for (const KeyCoverage& c : coverage) {
    std::string who = c.reader.empty() ? "" : fmt::format(" ({})", c.reader);
    out.push_back(c.skipped.empty()
                      ? fmt::format("obslint: keys checked: {} {}{}", c.file, c.part, who)
                      : fmt::format("obslint: keys not checked: {} {}{}: {}", c.file, c.part, who,
                                    c.skipped));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A stack found below another whose compose file that other stack reads
// (include, extends, COMPOSE_FILE) is part of it, not a stack of its own.
void DropStacksReadByOthers(std::vector<std::string>& stacks, std::vector<StackResult>& results) {
  std::vector<bool> drop(results.size(), false);
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok || !results[i].config.ok()) continue;
    for (const ComposeFile& own : results[i].project.compose.files) {
      if (own.role != "file" || own.source == nullptr) continue;
      for (size_t j = 0; j < results.size() && !drop[i]; ++j) {
        if (j == i || drop[j]) continue;
        for (const ComposeFile& other : results[j].project.compose.files)
          if (other.source != nullptr && other.source->abs_path == own.source->abs_path &&
              !(other.role == "file" && results[j].project.root == results[i].project.root))
            drop[i] = true;
      }
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) {
      results[kept] = std::move(results[i]);
      stacks[kept] = std::move(stacks[i]);
    }
    ++kept;
  }
  results.resize(kept);
  stacks.resize(kept);
}

// What the report says about a stack besides its findings.
StackSummary Summarize(const std::string& path, const Project& project) {
  StackSummary s;
  s.path = path;
  const ComposeProject& compose = project.compose;
  for (const ComposeFile& f : compose.files)
    if (f.role == "file") s.compose_files.push_back(f.path);
  s.files_from = compose.files_from;
  s.active_profiles = compose.active_profiles;
  s.profiles_from = compose.profiles_from;
  s.declared_profiles = compose.DeclaredProfiles();
  for (const ComposeService& service : compose.services)
    if (!service.starts) s.not_started.push_back(service.name);
  for (const EnvFile& env : project.env_files) {
    if (!env.is_project_env || env.source == nullptr) continue;
    s.env_files.push_back(env.source->path);
    if (env.is_example) s.env_example = true;
  }
  return s;
}

int Run(int argc, char** argv) {
  Options o;
  CLI::App app{"obslint: lint a self-hosted observability stack (compose, OpenTelemetry Collector, "
               "Loki, Grafana provisioning, Prometheus/vmagent, .env) as one system.",
               "obslint"};
  app.footer(kExamples);
  app.get_formatter()->column_width(34);
  DeclareOptions(app, o);
  GraphOptions graph_options;
  CLI::App* graph = DeclareGraphCommand(app, graph_options);
  ComposeConfigOptions compose_config_options;
  CLI::App* compose_config = DeclareComposeConfigCommand(app, compose_config_options);
  CLI::App* github_action = DeclareGithubActionCommand(app);
  std::string init_path;
  bool init_force = false;
  CLI::App* init = app.add_subcommand(
      "init", "Write a commented .obslint.yaml for the stack in PATH (never overwrites without --force)");
  init->add_option("PATH", init_path, "Stack directory; default: the current directory");
  init->add_flag("--force", init_force, "Overwrite an existing .obslint.yaml");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "obslint: " << e.what() << "\nRun obslint --help for usage.\n";
    return 2;
  }

  if (graph->parsed()) return RunGraph(graph_options);
  if (compose_config->parsed()) return RunComposeConfig(compose_config_options);
  if (github_action->parsed()) return RunGithubAction(Run);
  if (o.version) {
    std::cout << "obslint " << OBSLINT_VERSION << "\n"
              << "knowledge: upstream releases through " << KnowledgeCheckedThrough() << "\n";
    return 0;
  }
  if (init->parsed()) return InitConfig(init_path, init_force, Knowledge::Embedded(), std::cout, std::cerr);
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  auto open_output = [&]() -> bool { return OpenOutput(o.output, file_out, out); };
  if (o.list_rules) {
    if (!open_output()) return 2;
    ListRules(o.format == "text" ? "text" : o.format, *out);
    return 0;
  }
  if (!o.explain.empty()) {
    if (!open_output()) return 2;
    return Explain(o.explain, *out);
  }

  RuleSelection selection;
  selection.select = SplitCommas(o.select);
  selection.ignore = SplitCommas(o.ignore);
  for (const auto& list : {selection.select, selection.ignore}) {
    for (const auto& code : list) {
      bool known = code == "ALL" || code == "all";
      for (const Rule& r : AllRules())
        if (r.code.starts_with(code) || r.name == code) known = true;
      if (!known) {
        std::cerr << fmt::format("obslint: unknown rule \"{}\" in --select/--ignore (see obslint "
                                 "--list-rules)\n", code);
        return 2;
      }
    }
  }
  Severity fail_level = Severity::kWarning;
  bool fail_never = o.fail_level == "none";
  if (!fail_never) ParseSeverity(o.fail_level, fail_level);

  if (o.paths.empty()) o.paths.push_back(".");
  const Knowledge& knowledge = Knowledge::Embedded();

  // A directory given without -f is searched for stacks: itself when it is
  // one, and every stack below it (a repository root holds several).
  std::vector<std::string> stacks;
  for (const std::string& path : o.paths) {
    std::error_code ec;
    if (!o.compose_files.empty() || !std::filesystem::is_directory(path, ec)) {
      stacks.push_back(path);
      continue;
    }
    std::vector<std::string> found = FindStacks(path);
    if (found.empty()) {
      std::cerr << fmt::format(
          "obslint: {}: no compose file found in it or in its subdirectories (looked for "
          "compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml); pass one with -f\n",
          path);
      return 2;
    }
    stacks.insert(stacks.end(), found.begin(), found.end());
  }

  std::vector<StackResult> results(stacks.size());
  auto lint = [&](size_t i) {
    StackResult& r = results[i];
    LoadOptions lo;
    lo.path = stacks[i];
    lo.compose_files = o.compose_files;
    lo.env_files = o.env_files;
    lo.profiles = o.profiles;
    lo.all_profiles = o.all_profiles;
    lo.use_env = o.use_env;
    std::string config_path = !o.config.empty() ? o.config : o.no_config ? "" : FindConfig(lo.path);
    if (!config_path.empty()) {
      if (!LoadConfig(config_path, r.config, r.error)) {
        r.ok = false;
        return;
      }
      if (!r.config.ok()) return;  // OBS002: reported below, exit 2
    }
    lo.exclude = r.config.exclude;
    if (!LoadProject(lo, knowledge, r.project, r.error)) {
      r.ok = false;
      return;
    }
    r.project.policy = r.config.policy;
    if (r.config.source && r.project.FileByPath(r.config.source->path) == nullptr)
      r.project.files.push_back(*r.config.source);  // snippets of policy findings
    // The command line wins: --select replaces the config's selection.
    RuleSelection stack_selection = selection;
    if (selection.select.empty()) {
      stack_selection.select = r.config.select;
      stack_selection.ignore.insert(stack_selection.ignore.end(), r.config.ignore.begin(),
                                    r.config.ignore.end());
    }
    stack_selection.severity = r.config.severity;
    CollectSuppressions(r.project);
    r.findings = RunRules(r.project, knowledge, stack_selection);
    if (o.verbose) r.coverage = CoverageLines(r.project, knowledge);
  };
  unsigned jobs = o.jobs > 0 ? static_cast<unsigned>(o.jobs)
                             : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(results.size()));
  if (jobs <= 1) {
    for (size_t i = 0; i < results.size(); ++i) lint(i);
  } else {
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < jobs; ++t)
      pool.emplace_back([&] {
        for (size_t i = next++; i < results.size(); i = next++) lint(i);
      });
    for (auto& t : pool) t.join();
  }

  // One report over every stack, in the order the paths were given.
  Project combined;
  std::vector<Finding> findings;
  int files_checked = 0;
  bool config_errors = false;
  for (auto& r : results) {
    if (!r.ok) {
      std::cerr << "obslint: " << r.error << "\n";
      return 2;
    }
    if (!r.config.ok()) config_errors = true;
  }
  DropStacksReadByOthers(stacks, results);
  ReportOptions ro;
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].config.ok()) ro.stacks.push_back(Summarize(stacks[i], results[i].project));
  if (config_errors) {
    // A broken .obslint.yaml: report only its problems (OBS002), exit 2.
    for (auto& r : results) {
      if (r.config.ok()) continue;
      for (auto& f : r.config.errors) findings.push_back(std::move(f));
      ++files_checked;
      if (combined.FileByPath(r.config.source->path) == nullptr)
        combined.files.push_back(std::move(*r.config.source));
    }
    results.clear();
  }
  for (auto& r : results) {
    for (auto& f : r.findings) findings.push_back(std::move(f));
    for (auto& file : r.project.files) {
      if (file.path.empty()) continue;
      ++files_checked;
      combined.files.push_back(std::move(file));
    }
  }
  if (!config_errors && !o.write_baseline.empty()) {
    std::string error;
    if (!WriteBaseline(o.write_baseline, findings, combined, error)) {
      std::cerr << "obslint: " << error << "\n";
      return 2;
    }
    std::cerr << fmt::format("obslint: wrote {} finding{} to the baseline {}\n", findings.size(),
                             findings.size() == 1 ? "" : "s", o.write_baseline);
    return 0;
  }
  if (!config_errors && !o.baseline.empty()) {
    std::vector<BaselineEntry> entries;
    std::string error;
    if (!ReadBaseline(o.baseline, entries, error)) {
      std::cerr << "obslint: " << error << "\n";
      return 2;
    }
    ApplyBaseline(o.baseline, entries, combined, findings);
  }
  if (!open_output()) return 2;
  ro.color = UseColor(o.color, !o.output.empty());
  ro.tool_version = OBSLINT_VERSION;
  ro.files_checked = files_checked;
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  ro.uri_base = "file://" + cwd + (cwd.ends_with('/') ? "" : "/");  // "/" gives file:///
  ro.automation_id = "obslint/" + o.paths.front();  // the path given, stable across stacks found
  if (o.format == "json") WriteJson(findings, combined, ro, *out);
  else if (o.format == "sarif") WriteSarif(findings, combined, ro, *out);
  else if (o.format == "github") WriteGithub(findings, combined, ro, *out);
  else if (o.format == "markdown") WriteMarkdown(findings, combined, ro, *out);
  else WriteText(findings, combined, ro, *out);
  out->flush();
  if (!*out) {
    std::cerr << "obslint: error writing output\n";
    return 2;
  }
  for (const auto& r : results)
    for (const std::string& line : r.coverage) std::cerr << line << "\n";
  if (config_errors) return 2;
  if (fail_never) return 0;
  for (const auto& f : findings)
    if (f.severity >= fail_level) return 1;
  return 0;
}

}  // namespace
}  // namespace obslint

int main(int argc, char** argv) {
  try {
    return obslint::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "obslint: internal error: " << e.what()
              << "\nThis is a bug in obslint; please report it with the input that caused it.\n";
  } catch (...) {
    std::cerr << "obslint: internal error\n";
  }
  return 3;
}
