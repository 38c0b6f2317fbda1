#!/usr/bin/env bash
# Every test, after scripts/setup.sh test: the doctest suites natively and as WebAssembly under node,
# then the node:test suites (CLI, the WASM module and JS API in Node, the page in Debian's Chromium).
# Ends with one line "tests: N passed, N failed" that counts doctest cases and node tests.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0; failed=0; broken=()
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

count_doctest() {  # [doctest] test cases: 12 | 12 passed | 0 failed | 0 skipped
  local line; line=$(grep -E '^\[doctest\] test cases:' "$1" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  passed=$((passed + $(sed -E 's/.*\| *([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.*\| *([0-9]+) failed.*/\1/' <<<"$line")))
}

for exe in build/native/test_*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  name=native/$(basename "$exe")
  echo "== $name"
  "$exe" >"$logdir/out" 2>&1; rc=$?
  tail -n 3 "$logdir/out"
  [ $rc -eq 0 ] || { cat "$logdir/out" | tail -n 60; broken+=("$name"); }
  count_doctest "$logdir/out"
done
for js in build/wasm/test_*.cjs; do
  [ -f "$js" ] || continue
  name=wasm/$(basename "$js" .cjs)
  echo "== $name"
  node "$js" >"$logdir/out" 2>&1; rc=$?
  tail -n 3 "$logdir/out"
  [ $rc -eq 0 ] || { tail -n 60 "$logdir/out"; broken+=("$name"); }
  count_doctest "$logdir/out"
done

mapfile -t files < <(find tests/cli tests/js tests/browser -name '*.test.mjs' 2>/dev/null | sort)
if [ ${#files[@]} -gt 0 ]; then
  echo "== node --test (${#files[@]} files)"
  extra=()
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=10)?0:1)' \
    && extra+=(--test-concurrency=1)
  node --test "${extra[@]}" --test-reporter=spec --test-reporter-destination=stdout \
       --test-reporter=tap --test-reporter-destination="$logdir/tap" "${files[@]}"
  rc=$?
  p=$(grep -E '^# pass ' "$logdir/tap" | awk '{s+=$3} END {print s+0}')
  f=$(grep -E '^# fail ' "$logdir/tap" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
  [ $rc -eq 0 ] || broken+=("node --test")
fi

echo
[ ${#broken[@]} -eq 0 ] || echo "failing: ${broken[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
