#!/bin/sh
# Entrypoint of the obslint GitHub Action (action.yml). POSIX sh, no jq:
# everything it needs comes from obslint's own output formats.
#
#  1. SARIF to the `sarif-file` input, for github/codeql-action/upload-sarif;
#  2. workflow annotations, most severe first, at most 10 per type (GitHub
#     shows no more per step), with a notice saying how many were left out;
#  3. the full text report in a collapsed log group;
#  4. the Markdown report (+ the stack graph as Mermaid when this obslint has
#     `obslint graph`) appended to $GITHUB_STEP_SUMMARY;
#  5. outputs findings/errors/warnings/notes/sarif-file in $GITHUB_OUTPUT;
#  6. exit 1 when a finding reaches `fail-level`, 2 on a bad input or config.
#
# Every input arrives as INPUT_<NAME> with the name upper-cased and hyphens
# KEPT (INPUT_FAIL-LEVEL). dash drops such names from its environment, so
# action.yml also passes them with underscores; input() reads either form.
set -eu
set -f  # paths and args are split on blanks, never globbed

OBSLINT=${OBSLINT:-obslint}
# GitHub shows at most 10 annotations of each type per step (50 per job).
max_per_type=${OBSLINT_MAX_ANNOTATIONS:-10}

# input NAME DEFAULT: the action input NAME (as spelled in action.yml).
input() {
  key=$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')
  under=$(printf '%s' "$key" | tr -- '-' '_')
  if eval "[ -n \"\${INPUT_$under+x}\" ]"; then
    eval "value=\${INPUT_$under}"
  else
    # Hyphenated names survive only in the environment this shell was
    # started with.
    value=$(tr '\0' '\n' < "/proc/$$/environ" 2>/dev/null | sed -n "s/^INPUT_$key=//p" | head -n 1)
  fi
  [ -n "$value" ] || value=$2
  printf '%s' "$value"
}

is_true() {
  case $(printf '%s' "$1" | tr '[:upper:]' '[:lower:]') in
    true | yes | on | 1) return 0 ;;
    *) return 1 ;;
  esac
}

# Workflow-command escaping for a message (actions/toolkit escapeData).
escape() {
  printf '%s' "$1" | sed -e 's/%/%25/g' | awk 'NR > 1 { printf "%%0A" } { printf "%s", $0 }'
}

fail_input() {
  echo "::error title=obslint::$(escape "$1")"
  exit 2
}

if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  cd "$GITHUB_WORKSPACE"
fi

paths=$(input path .)
config=$(input config '')
fail_level=$(input fail-level warning)
annotations=$(input annotations true)
sarif_file=$(input sarif-file obslint.sarif)
summary=$(input summary true)
extra_args=$(input args '')

case $fail_level in
  error | warning | note | none) ;;
  notice) fail_level=note ;;
  *) fail_input "fail-level must be error, warning, note or none (got \"$fail_level\")" ;;
esac

command -v "$OBSLINT" >/dev/null 2>&1 || fail_input "obslint not found on PATH"

# Options shared by every run: the config, extra args, then the stack paths.
# shellcheck disable=SC2086  # word splitting of paths/args is intended
set -- $extra_args
if [ -n "$config" ]; then
  set -- --config "$config" "$@"
fi
# shellcheck disable=SC2086
set -- "$@" $paths

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run FORMAT OUTFILE ARGS...: one obslint run that never fails on findings;
# stops the action on a bad command line or configuration (2) or a crash (3).
run() {
  format=$1
  outfile=$2
  shift 2
  status=0
  "$OBSLINT" --color never --fail-level none --format "$format" --output "$outfile" "$@" \
    2>"$tmp/stderr" || status=$?
  # Warnings on stderr (unreadable .env, ...) are the same in every run: show
  # them once.
  if [ "$format" = sarif ] || [ "$status" -ne 0 ]; then
    cat "$tmp/stderr" >&2
  fi
  if [ "$status" -ne 0 ]; then
    echo "::error title=obslint::$(escape "obslint exited with status $status: $(cat "$tmp/stderr")")"
    exit "$status"
  fi
}

# 1. SARIF, where upload-sarif will look for it.
sarif_dir=$(dirname -- "$sarif_file")
mkdir -p -- "$sarif_dir"
run sarif "$sarif_file" "$@"

# 2. Annotations: one workflow command per finding, in obslint's order
# (file, line); regrouped most severe first.
run github "$tmp/annotations" "$@"
grep '^::error ' "$tmp/annotations" > "$tmp/error" || true
grep '^::warning ' "$tmp/annotations" > "$tmp/warning" || true
grep '^::notice ' "$tmp/annotations" > "$tmp/notice" || true
errors=$(wc -l < "$tmp/error" | tr -d ' ')
warnings=$(wc -l < "$tmp/warning" | tr -d ' ')
notes=$(wc -l < "$tmp/notice" | tr -d ' ')
findings=$((errors + warnings + notes))

plural() {  # plural N WORD
  if [ "$1" -eq 1 ]; then printf '%s %s' "$1" "$2"; else printf '%s %ss' "$1" "$2"; fi
}

if is_true "$annotations" && [ "$findings" -gt 0 ]; then
  hidden=0
  [ "$errors" -gt "$max_per_type" ] && hidden=$((hidden + errors - max_per_type))
  [ "$warnings" -gt "$max_per_type" ] && hidden=$((hidden + warnings - max_per_type))
  # The cap notice is itself a notice: it takes one of the 10 notice slots.
  note_slots=$max_per_type
  if [ "$notes" -gt "$max_per_type" ] || [ "$hidden" -gt 0 ]; then
    note_slots=$((max_per_type - 1))
  fi
  [ "$notes" -gt "$note_slots" ] && hidden=$((hidden + notes - note_slots))
  head -n "$max_per_type" "$tmp/error"
  head -n "$max_per_type" "$tmp/warning"
  if [ "$hidden" -gt 0 ]; then
    where="the job log below"
    is_true "$summary" && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && where="the job summary, $where"
    echo "::notice title=obslint findings not annotated::GitHub shows at most" \
      "$max_per_type annotations of each type per step, so $(plural "$hidden" finding) of" \
      "$findings $(if [ "$hidden" -eq 1 ]; then echo is; else echo are; fi) not annotated." \
      "All are in $where and in $sarif_file (upload it with github/codeql-action/upload-sarif" \
      "to see them under Security > Code scanning)."
  fi
  if [ "$note_slots" -gt 0 ]; then
    head -n "$note_slots" "$tmp/notice"
  fi
fi

# 3. The whole report in the log, folded.
run text "$tmp/report.txt" "$@"
echo "::group::obslint: $(plural "$errors" error), $(plural "$warnings" warning), $(plural "$notes" note)"
cat "$tmp/report.txt"
echo "::endgroup::"

# 4. Step summary: the Markdown report, then the stack graph when available.
if is_true "$summary" && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  run markdown "$tmp/report.md" "$@"
  {
    cat "$tmp/report.md"
    # `obslint graph` is a subcommand in newer versions; older ones take
    # "graph" for a path and fail, so keep its output only when it succeeded
    # and looks like Mermaid.
    if "$OBSLINT" graph --format mermaid "$@" > "$tmp/graph" 2>/dev/null &&
      grep -q -E '^[[:space:]]*(```mermaid|flowchart|graph)' "$tmp/graph"; then
      printf '\n### Stack graph\n\n'
      if grep -q '^```mermaid' "$tmp/graph"; then
        cat "$tmp/graph"
      else
        echo '```mermaid'
        cat "$tmp/graph"
        echo '```'
      fi
    fi
    if [ "$findings" -gt 0 ]; then
      # shellcheck disable=SC2016  # backquotes are Markdown code spans
      printf '\nSARIF: `%s` (upload with `github/codeql-action/upload-sarif` for code scanning).\n' \
        "$sarif_file"
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi

# 5. Outputs.
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "findings=$findings"
    echo "errors=$errors"
    echo "warnings=$warnings"
    echo "notes=$notes"
    echo "sarif-file=$sarif_file"
  } >> "$GITHUB_OUTPUT"
fi

# 6. Exit status from fail-level.
failing=0
case $fail_level in
  error) failing=$errors ;;
  warning) failing=$((errors + warnings)) ;;
  note) failing=$findings ;;
  none) failing=0 ;;
esac
echo "obslint: $(plural "$errors" error), $(plural "$warnings" warning), $(plural "$notes" note)" \
  "(fail-level: $fail_level)"
if [ "$failing" -gt 0 ]; then
  exit 1
fi
exit 0
