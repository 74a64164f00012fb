#include "cli/github_action.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/graph.h"
#include "cli/options.h"
#include "report/report.h"

namespace obslint {
namespace {

// GitHub shows at most 10 annotations of each type (error, warning, notice)
// per step and drops the rest silently.
constexpr size_t kAnnotationsPerType = 10;

std::string Trim(std::string_view s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return std::string(s.substr(begin, end - begin));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The runner exports input `fail-level` as INPUT_FAIL-LEVEL (upper case,
// hyphen kept, as actions/toolkit's getInput reads it). The underscore
// spelling is read as well, for workflows that set the variables themselves.
// Blank counts as unset, as in getInput.
std::string Input(std::string_view name, std::string_view fallback) {
  std::string key = "INPUT_";
  for (char c : name) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string value;
  if (const char* v = std::getenv(key.c_str())) value = Trim(v);
  if (value.empty()) {
    std::replace(key.begin(), key.end(), '-', '_');
    if (const char* v = std::getenv(key.c_str())) value = Trim(v);
  }
  return value.empty() ? std::string(fallback) : value;
}

// Paths and args are split on blanks; nothing is globbed or unquoted, so
// what the workflow wrote is what obslint receives.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

std::string EscapeData(std::string_view s) { return GithubEscapeData(s); }

std::string Plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string Counts(size_t errors, size_t warnings, size_t notes) {
  return fmt::format("{}, {}, {}", Plural(errors, "error"), Plural(warnings, "warning"),
                     Plural(notes, "note"));
}

int FailInput(std::string_view message) {
  std::cout << "::error title=obslint::" << EscapeData(message) << "\n";
  return 2;
}

// A boolean input (default true); nullopt when it is neither true nor false.
std::optional<bool> FlagInput(std::string_view name) {
  std::string value = Lower(Input(name, "true"));
  if (value == "true" || value == "yes" || value == "on" || value == "1") return true;
  if (value == "false" || value == "no" || value == "off" || value == "0") return false;
  return std::nullopt;
}

int BadFlag(std::string_view name) {
  return FailInput(fmt::format("{} must be true or false (got \"{}\")", name, Input(name, "")));
}

// One in-process obslint run with standard output and error captured.
struct Captured {
  int status = 0;
  std::string out;
  std::string err;
};

template <typename F>
Captured Capture(F&& run) {
  std::ostringstream out;
  std::ostringstream err;
  Captured result;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  try {
    result.status = run();
  } catch (const std::exception& e) {
    err << "obslint: internal error: " << e.what() << "\n";
    result.status = 3;
  } catch (...) {
    err << "obslint: internal error\n";
    result.status = 3;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

Captured Invoke(CommandLine obslint, std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return Capture([&] { return obslint(static_cast<int>(args.size()), argv.data()); });
}

// A run that did not complete (bad command line or config, crash) stops the
// action with its status and says why in an error annotation.
int Stop(const Captured& run) {
  std::cerr << run.err;
  std::cerr.flush();
  std::cout << "::error title=obslint::"
            << EscapeData(
                   fmt::format("obslint exited with status {}: {}", run.status, Trim(run.err)))
            << "\n";
  return run.status;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Appends `name=value` to $GITHUB_OUTPUT; a value with a line break takes the
// runner's multi-line form (name<<DELIMITER).
void WriteOutput(std::ostream& out, std::string_view name, std::string_view value) {
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    out << name << '=' << value << '\n';
    return;
  }
  std::string delimiter = "obslint_output_end";
  while (value.find(delimiter) != std::string_view::npos) delimiter += '_';
  out << name << "<<" << delimiter << '\n' << value << '\n' << delimiter << '\n';
}

}  // namespace

CLI::App* DeclareGithubActionCommand(CLI::App& app) {
  return app.add_subcommand(
      "github-action",
      "Run as the GitHub Action (action.yml): read the INPUT_* variables, write annotations, "
      "SARIF, the step summary and the outputs");
}

int RunGithubAction(CommandLine obslint) {
  if (const char* workspace = std::getenv("GITHUB_WORKSPACE"); workspace && *workspace) {
    std::error_code ec;
    std::filesystem::current_path(workspace, ec);
    if (ec)
      return FailInput(
          fmt::format("cannot enter GITHUB_WORKSPACE {}: {}", workspace, ec.message()));
  }
  const std::vector<std::string> paths = Words(Input("path", "."));
  const std::string config = Input("config", "");
  std::string fail_level = Lower(Input("fail-level", "warning"));
  const std::string sarif_file = Input("sarif-file", "obslint.sarif");
  const std::vector<std::string> extra_args = Words(Input("args", ""));

  if (fail_level == "notice") fail_level = "note";
  if (fail_level != "error" && fail_level != "warning" && fail_level != "note" &&
      fail_level != "none")
    return FailInput(
        fmt::format("fail-level must be error, warning, note or none (got \"{}\")", fail_level));
  const std::optional<bool> annotate = FlagInput("annotations");
  if (!annotate) return BadFlag("annotations");
  const std::optional<bool> summarize = FlagInput("summary");
  if (!summarize) return BadFlag("summary");

  // Options of every run: the config, the extra args, then the stack paths.
  std::vector<std::string> common;
  if (!config.empty()) common.insert(common.end(), {"--config", config});
  common.insert(common.end(), extra_args.begin(), extra_args.end());
  common.insert(common.end(), paths.begin(), paths.end());
  // Every run reports all findings (--fail-level none); the action decides
  // the exit status once, from the counts.
  auto command = [&](std::string_view format) {
    std::vector<std::string> args = {
        "obslint", "--color", "never", "--fail-level", "none", "--format", std::string(format)};
    args.insert(args.end(), common.begin(), common.end());
    return args;
  };

  // 1. SARIF where upload-sarif will look for it. Warnings on standard error
  // (an unreadable .env, ...) are the same in every run: shown once, here.
  std::error_code ec;
  std::filesystem::path sarif_dir = std::filesystem::path(sarif_file).parent_path();
  if (!sarif_dir.empty()) std::filesystem::create_directories(sarif_dir, ec);
  std::vector<std::string> sarif_command = command("sarif");
  sarif_command.insert(sarif_command.begin() + 1, {"--output", sarif_file});
  Captured sarif = Invoke(obslint, sarif_command);
  if (sarif.status != 0) return Stop(sarif);
  std::cerr << sarif.err;
  std::cerr.flush();

  // 2. Annotations, most severe first, as many of each type as GitHub shows.
  Captured annotations = Invoke(obslint, command("github"));
  if (annotations.status != 0) return Stop(annotations);
  std::vector<std::string> errors, warnings, notices;
  for (std::string& line : Lines(annotations.out)) {
    if (line.starts_with("::error "))
      errors.push_back(std::move(line));
    else if (line.starts_with("::warning "))
      warnings.push_back(std::move(line));
    else if (line.starts_with("::notice "))
      notices.push_back(std::move(line));
  }
  const size_t findings = errors.size() + warnings.size() + notices.size();
  if (*annotate && findings > 0) {
    size_t hidden = 0;
    if (errors.size() > kAnnotationsPerType) hidden += errors.size() - kAnnotationsPerType;
    if (warnings.size() > kAnnotationsPerType) hidden += warnings.size() - kAnnotationsPerType;
    // The cap notice is itself a notice: it takes one of the notice slots.
    size_t note_slots = kAnnotationsPerType;
    if (notices.size() > kAnnotationsPerType || hidden > 0) note_slots = kAnnotationsPerType - 1;
    if (notices.size() > note_slots) hidden += notices.size() - note_slots;
    for (size_t i = 0; i < std::min(errors.size(), kAnnotationsPerType); ++i)
      std::cout << errors[i] << "\n";
    for (size_t i = 0; i < std::min(warnings.size(), kAnnotationsPerType); ++i)
      std::cout << warnings[i] << "\n";
    if (hidden > 0) {
      std::string where = "the job log below";
      if (*summarize && std::getenv("GITHUB_STEP_SUMMARY") != nullptr)
        where = "the job summary, " + where;
      std::cout
          << "::notice title=obslint findings not annotated::"
          << EscapeData(fmt::format(
                 "GitHub shows at most {} annotations of each type per step, so {} of {} {} not "
                 "annotated. All are in {} and in {} (upload it with "
                 "github/codeql-action/upload-sarif to see them under Security > Code scanning).",
                 kAnnotationsPerType, Plural(hidden, "finding"), findings,
                 hidden == 1 ? "is" : "are", where, sarif_file))
          << "\n";
    }
    for (size_t i = 0; i < std::min(notices.size(), note_slots); ++i)
      std::cout << notices[i] << "\n";
  }

  // 3. The whole report in the log, folded.
  Captured text = Invoke(obslint, command("text"));
  if (text.status != 0) return Stop(text);
  std::cout << "::group::obslint: " << Counts(errors.size(), warnings.size(), notices.size())
            << "\n"
            << text.out << "::endgroup::\n";
  std::cout.flush();

  // 4. Step summary: the Markdown report, the stack graph of each stack.
  const char* summary_path = std::getenv("GITHUB_STEP_SUMMARY");
  if (*summarize && summary_path != nullptr && *summary_path) {
    Captured markdown = Invoke(obslint, command("markdown"));
    if (markdown.status != 0) return Stop(markdown);
    std::string summary = markdown.out;
    // The graph takes one stack and the compose files (-f): read them with
    // the command line's own declarations; options it does not know are
    // left for the lint runs above, which have accepted them.
    Options parsed;
    CLI::App parser;
    DeclareOptions(parser, parsed);
    parser.allow_extras();
    std::vector<std::string> argv_strings = command("text");
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    bool have_paths = true;
    try {
      parser.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError&) {
      have_paths = false;
    }
    if (have_paths && parsed.paths.empty()) parsed.paths.push_back(".");
    for (const std::string& path : have_paths ? parsed.paths : std::vector<std::string>{}) {
      GraphOptions graph_options;
      graph_options.path = path;
      graph_options.compose_files = parsed.compose_files;
      Captured graph = Capture([&] { return RunGraph(graph_options); });
      if (graph.status != 0 || graph.out.empty()) continue;
      summary += parsed.paths.size() == 1 ? "\n### Stack graph\n\n"
                                          : fmt::format("\n### Stack graph: `{}`\n\n", path);
      summary += "```mermaid\n" + graph.out + (graph.out.ends_with('\n') ? "" : "\n") + "```\n";
    }
    if (findings > 0)
      summary += fmt::format(
          "\nSARIF: `{}` (upload with `github/codeql-action/upload-sarif` for code scanning).\n",
          sarif_file);
    std::ofstream out(summary_path, std::ios::binary | std::ios::app);
    out << summary;
    out.flush();
    if (!out)
      std::cout << "::warning title=obslint::"
                << EscapeData(fmt::format("cannot write the step summary {}", summary_path))
                << "\n";
  }

  // 5. Outputs.
  if (const char* output_path = std::getenv("GITHUB_OUTPUT"); output_path && *output_path) {
    std::ofstream out(output_path, std::ios::binary | std::ios::app);
    WriteOutput(out, "findings", std::to_string(findings));
    WriteOutput(out, "errors", std::to_string(errors.size()));
    WriteOutput(out, "warnings", std::to_string(warnings.size()));
    WriteOutput(out, "notes", std::to_string(notices.size()));
    WriteOutput(out, "sarif-file", sarif_file);
    out.flush();
    if (!out) {
      std::cout << "::error title=obslint::"
                << EscapeData(fmt::format("cannot write the outputs to {}", output_path)) << "\n";
      return 2;
    }
  }

  // 6. The exit status from fail-level.
  size_t failing = 0;
  if (fail_level == "error")
    failing = errors.size();
  else if (fail_level == "warning")
    failing = errors.size() + warnings.size();
  else if (fail_level == "note")
    failing = findings;
  std::cout << "obslint: " << Counts(errors.size(), warnings.size(), notices.size())
            << " (fail-level: " << fail_level << ")\n";
  std::cout.flush();
  return failing > 0 ? 1 : 0;
}

}  // namespace obslint
