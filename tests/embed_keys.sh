#!/bin/sh
# The key-table compiler (tools/embed.cpp, `:keys` inputs) stops the build on
# a table that does not follow knowledge/keys/README.md, naming the file and
# the place, and compiles a sound one.
#   sh tests/embed_keys.sh path/to/obslint_embed
set -u
embed=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

table() {  # NAME ROOT-NODE (a YAML flow mapping)
  printf 'program: Test\nstrict: true\nversions: ["1.0.0", "1.1.0"]\ntypes:\n  tls: {keys: {ca_file: {type: string}}}\nroots:\n  config: %s\n' "$2" >"$dir/$1.yaml"
}

expect_error() {  # NAME ROOT-NODE EXPECTED-MESSAGE
  table "$1" "$2"
  if "$embed" "$dir/out.cpp" "t=$dir/$1.yaml:keys" 2>"$dir/err"; then
    echo "FAIL $1: compiled"; fail=1
  elif ! grep -qF "$dir/$1.yaml: $3" "$dir/err"; then
    echo "FAIL $1: expected \"$3\", got:"; cat "$dir/err"; fail=1
  else
    echo "ok   $1: $3"
  fi
}

expect_error unknown-field '{keys: {a: {type: string, sinse: "1.1.0"}}}' 'roots/config.a: unknown field "sinse"'
expect_error unknown-type '{keys: {a: {type: strng}}}' 'roots/config.a: unknown type "strng"'
expect_error unknown-ref '{keys: {tls: {ref: tsl}}}' 'roots/config.tls: unknown ref "tsl"'
expect_error bad-release '{keys: {a: {type: string, since: "1.1"}}}' 'roots/config.a: "1.1" is not a release (X.Y.Z)'
expect_error bad-release-4 '{keys: {a: {type: string, ranges: [["1.0.0", "1.1.0.1"]]}}}' 'roots/config.a: "1.1.0.1" is not a release (X.Y.Z)'
expect_error bad-release-dot '{keys: {a: {type: string, until: "1.1.0."}}}' 'roots/config.a: "1.1.0." is not a release (X.Y.Z)'
expect_error not-a-map '{keys: {a: [string]}}' 'roots/config.a: a node is not a map'

table sound '{keys: {a: {type: [string, list], until: "1.1.0", note: "use b"}, tls: {ref: tls}, m: {values: {type: int}}}}'
if "$embed" "$dir/out.cpp" "t=$dir/sound.yaml:keys" 2>"$dir/err" && grep -q '"t"' "$dir/out.cpp"; then
  echo "ok   sound: compiled"
else
  echo "FAIL sound:"; cat "$dir/err"; fail=1
fi
exit $fail
