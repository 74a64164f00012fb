#!/bin/sh
# Validates obslint's SARIF with Microsoft's Sarif.Multitool, SARIF spec rules
# plus the GitHub code-scanning ingestion rules (--rule-kind "Sarif;Gh").
# Fails on any validator error or warning (notes are advisory and ignored).
#   sh tests/e2e/sarif_validate.sh /path/to/obslint     (OBSLINT_SOURCE_DIR = repo root)
# Exit 77 (skipped) when npm/node are missing or the validator cannot be
# installed (offline); CI has both, so there it always runs.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=${OBSLINT_SOURCE_DIR:?set OBSLINT_SOURCE_DIR to the repository root}
version=${OBSLINT_SARIF_MULTITOOL_VERSION:-5.7.0}

command -v node >/dev/null 2>&1 || { echo "SKIP: node not found"; exit 77; }

# The validator (a self-contained .NET binary shipped through npm, no dotnet
# needed) is cached: $HOME/.cache/obslint first, else beside the binary.
find_tool() {
  for dir in "$@"; do
    [ -d "$dir/node_modules/@microsoft/sarif-multitool" ] || continue
    tool=$(cd "$dir" && node -e "console.log(require('@microsoft/sarif-multitool'))" 2>/dev/null) &&
      [ -f "$tool" ] && { echo "$tool"; return 0; }
  done
  return 1
}
caches="${HOME:+$HOME/.cache/obslint/sarif-multitool-$version} $(dirname "$bin")/sarif-multitool-$version"
tool=$(find_tool $caches)
if [ -z "$tool" ]; then
  command -v npm >/dev/null 2>&1 || { echo "SKIP: npm not found"; exit 77; }
  for dir in $caches; do
    mkdir -p "$dir" 2>/dev/null || continue
    if npm install --silent --no-audit --no-fund --prefix "$dir" \
         "@microsoft/sarif-multitool@$version" >"$dir/npm.log" 2>&1; then
      tool=$(find_tool "$dir") && break
    fi
    echo "npm install into $dir failed:"; tail -5 "$dir/npm.log"
  done
fi
[ -n "$tool" ] || { echo "SKIP: could not install @microsoft/sarif-multitool (offline?)"; exit 77; }
# npm may not run the package's postinstall (chmod) script.
[ -x "$tool" ] || chmod u+x "$tool" 2>/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/obslint-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Stacks with findings: the bundled example and every bad fixture, all rules on.
stacks=""
[ -d "$src/examples/observability" ] && stacks="$src/examples/observability"
for dir in "$src"/tests/fixtures/*/bad; do
  [ -d "$dir" ] && stacks="$stacks $dir"
done
[ -n "$stacks" ] || { echo "FAIL: no stack to lint under $src"; exit 1; }

n=0
for dir in $stacks; do
  n=$((n + 1))
  out="$work/$n.sarif"
  echo "$n.sarif $dir" >>"$work/stacks.txt"
  (cd "$dir" && "$bin" --format sarif --fail-level none . >"$out" 2>"$work/$n.err")
  rc=$?
  # An invalid .obslint.yaml (OBS002) exits 2 by design, still with a report.
  case $dir in */OBS002/bad) [ $rc -eq 2 ] && rc=0 ;; esac
  if [ $rc -ne 0 ] || [ ! -s "$out" ]; then
    echo "FAIL: obslint --format sarif exited $rc in $dir:"; cat "$work/$n.err"; exit 1
  fi
done

log="$work/validation.sarif"
if ! "$tool" validate --rule-kind "Sarif;Gh" --output "$log" "$work"/*.sarif >"$work/validate.txt" 2>&1 ||
   [ ! -s "$log" ]; then
  echo "FAIL: Sarif.Multitool did not run:"; cat "$work/validate.txt"; exit 1
fi

# A result's level defaults to "warning" in SARIF when absent.
node - "$log" "$work" <<'JS'
const fs = require('fs');
const [log, work] = process.argv.slice(2);
const run = JSON.parse(fs.readFileSync(log, 'utf8')).runs[0];
const bad = (run.results || []).filter(r => (r.level || 'warning') !== 'note' && r.level !== 'none');
const notes = (run.results || []).length - bad.length;
const stacks = Object.fromEntries(fs.readFileSync(`${work}/stacks.txt`, 'utf8').trim().split('\n')
  .map(l => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
let results = 0, files = 0;
for (const f of Object.keys(stacks)) {
  files++;
  results += JSON.parse(fs.readFileSync(`${work}/${f}`, 'utf8')).runs[0].results.length;
}
for (const r of bad) {
  const where = (r.locations || []).map(l => {
    const uri = l.physicalLocation?.artifactLocation?.uri || '';
    return stacks[uri.slice(uri.lastIndexOf('/') + 1)] || uri;
  }).join(' ');
  const msg = r.message.text || `${r.message.id} ${(r.message.arguments || []).join(' | ')}`;
  console.log(`${r.level || 'warning'} ${r.ruleId}: ${msg} (${where})`);
}
const errors = bad.filter(r => r.level === 'error').length;
console.log(`sarif_validate: ${files} SARIF logs, ${results} results: ` +
            `${errors} errors, ${bad.length - errors} warnings, ${notes} notes (ignored)`);
if (results === 0) { console.log('FAIL: no results at all; the test would prove nothing'); process.exit(1); }
process.exit(bad.length ? 1 : 0);
JS
