#!/bin/sh
# Adds a rule in one command, so its four parts never drift apart: the
# registry row (src/engine/registry.cpp), the check's declaration
# (src/rules/rules.h), its file (src/rules/<area>/<name>.cpp), its doc
# (rules/<CODE>.md) and its fixture directories (tests/fixtures/<CODE>/bad,
# good). The area follows the code's hundreds (0 meta, 1 parse, 2 compose,
# 3 collector, 4 loki, 5 grafana, 6 env, 7 link, 8 security, 9 policy).
#
#   sh tools/new-rule.sh CODE NAME SEVERITY "one-line summary"
#   sh tools/new-rule.sh OBS213 restart-loop warning "service restarts forever on a config error"
#
# Writes nothing when the code or the name is taken, or an argument is
# malformed. Then: write the check, the doc and the fixtures, run
# `UPDATE=1 sh tests/golden.sh build/obslint tests/fixtures/CODE/bad` (and
# good) and read the output, `sh tools/gen-docs.sh build/obslint`. The
# catalog tests fail until the doc and both fixtures exist.
# OBSLINT_RULE_ROOT points at another tree (tests/e2e/new_rule.sh).
set -eu
root=${OBSLINT_RULE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}

die() { echo "new-rule: $*" >&2; exit 2; }
[ $# -eq 4 ] || die 'usage: sh tools/new-rule.sh CODE NAME SEVERITY "summary"'
code=$1 name=$2 severity=$3 summary=$4

printf '%s\n' "$code" | grep -Eq '^OBS[0-9]{3}$' || die "\"$code\" is not a rule code (OBSnnn)"
printf '%s\n' "$name" | grep -Eq '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' || die "\"$name\" is not a kebab-case name"
case $severity in error | warning | note) ;; *) die "severity \"$severity\" is not error, warning or note" ;; esac
[ -n "$summary" ] || die "the summary is empty"
case $summary in *[\"\\]*) die "the summary may not hold \" or \\" ;; esac

case $(printf '%s' "$code" | cut -c4) in
  0) area='meta' ;; 1) area='parse' ;; 2) area='compose' ;; 3) area='collector' ;; 4) area='loki' ;;
  5) area='grafana' ;; 6) area='env' ;; 7) area='link' ;; 8) area='security' ;; 9) area='policy' ;;
esac

registry=$root/src/engine/registry.cpp
header=$root/src/rules/rules.h
source=$root/src/rules/$area/$name.cpp
doc=$root/rules/$code.md
fixtures=$root/tests/fixtures/$code
if [ ! -f "$registry" ] || [ ! -f "$header" ]; then die "$root is not an obslint tree"; fi
grep -q "{\"$code\"," "$registry" && die "$code is taken: $(grep "{\"$code\"," "$registry" | sed 's/^ *//')"
grep -q "\"$name\", Severity::" "$registry" && die "the name \"$name\" is taken"
for f in "$source" "$doc" "$fixtures"; do [ -e "$f" ] && die "$f exists"; done

# CheckRestartLoop for restart-loop.
function=Check$(printf '%s\n' "$name" | awk -F- '{for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2)}')
Sev=$(printf '%s' "$severity" | awk '{print toupper(substr($0, 1, 1)) substr($0, 2)}')

# Inserts $2 (one or more lines) into file $1 before the first line matching
# $3 whose code (its first OBSnnn) sorts after $code; when none does, before
# the first line matching $4 after the last line matching $3. Codes compare
# as text: OBS000 ... OBS999.
insert_sorted() {
  awk -v code="$code" -v text="$2" -v pat="$3" -v end="$4" '
    { line[NR] = $0 }
    !at && $0 ~ pat { match($0, /OBS[0-9][0-9][0-9]/)
                      if (substr($0, RSTART, 6) > code) at = NR; last = NR }
    END {
      if (!at) for (i = last + 1; i <= NR && !at; i++) if (line[i] ~ end) at = i
      if (!at) { print "new-rule: no place for " code " in " FILENAME > "/dev/stderr"; exit 1 }
      for (i = 1; i <= NR; i++) { if (i == at) print text; print line[i] }
    }
  ' "$1" >"$1.new" || { rm -f "$1.new"; exit 1; }
  mv "$1.new" "$1"
}

insert_sorted "$registry" "    {\"$code\", \"$name\", Severity::k$Sev, &$function,\\n     \"$summary\"}," '^    [{]"OBS[0-9][0-9][0-9]",' '^[}];'
insert_sorted "$header" "void $function(const Project&, const Knowledge&, Reporter&);  // $code ($area)" \
  '^void Check[A-Za-z]*[(].*// OBS[0-9][0-9][0-9]' '^$'

mkdir -p "$(dirname "$source")"
cat >"$source" <<EOF
// $code $name: $summary.
// Say here what the program reading the file does (with its source: a
// release tag, a pull request), and where the finding points.
#include <fmt/format.h>

#include "rules/rules.h"

namespace obslint {

void $function(const Project& p, const Knowledge& k, Reporter& r) {
  (void)p;
  (void)k;
  (void)r;
}

}  // namespace obslint
EOF

version=$(sed -n 's/^project(obslint VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
cat >"$doc" <<EOF
---
code: $code
name: $name
severity: $severity
tags: [$area, correctness]
since: ${version:-0.0.0}
---
## What it does
$(printf '%s' "$summary" | awk '{print toupper(substr($0, 1, 1)) substr($0, 2)}').

## Why is this bad
What goes wrong at run time, in the program's own words (its error message).

## Example
\`\`\`yaml
# the smallest stack that shows it
\`\`\`

\`\`\`yaml
# the same stack, fixed
\`\`\`

## How to fix
EOF

mkdir -p "$fixtures/bad" "$fixtures/good"
for kind in bad good; do
  printf '# %s %s fixture of %s: the smallest stack that %s.\nservices: {}\n' \
    "$code" "$kind" "$name" "$([ $kind = bad ] && echo "shows it" || echo "is right and looks alike")" \
    >"$fixtures/$kind/compose.yaml"
done

echo "new-rule: $code $name ($severity, $area)"
echo "  src/engine/registry.cpp   row added"
echo "  src/rules/rules.h         $function declared"
echo "  src/rules/$area/$name.cpp"
echo "  rules/$code.md"
echo "  tests/fixtures/$code/bad, good"
echo "next: write the check, the doc and the fixtures; then"
echo "  UPDATE=1 sh tests/golden.sh build/obslint tests/fixtures/$code/bad   (and good; read the output)"
echo "  sh tools/gen-docs.sh build/obslint"
