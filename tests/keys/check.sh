#!/bin/sh
# Runs tools/keys/check.py on every hand-made config under tests/keys/<format>/ at the
# release named in its `# version:` line and compares the output with <name>.expected.
#   sh tests/keys/check.sh            # compare (exit 1 on a difference)
#   sh tests/keys/check.sh --update   # rewrite the .expected files
# Run from the repository root.
set -u
status=0
for dir in tests/keys/*/; do
  format=$(basename "$dir")
  for config in "$dir"*.yaml; do
    version=$(sed -n 's/^# version: //p' "$config" | head -n 1)
    expected="${config%.yaml}.expected"
    actual=$(python3 tools/keys/check.py "knowledge/keys/$format.yaml" --version "$version" "$config")
    if [ "${1:-}" = "--update" ]; then
      printf '%s' "$actual" > "$expected"
      [ -n "$actual" ] && printf '\n' >> "$expected"
    elif [ "$actual" != "$(cat "$expected")" ]; then
      echo "MISMATCH $config (version $version)"
      printf '%s\n' "$actual" | diff "$expected" - || true
      status=1
    fi
  done
done
[ "${1:-}" = "--update" ] || [ $status -ne 0 ] || echo "tests/keys: all outputs as expected"
exit $status
