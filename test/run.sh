#!/usr/bin/env bash
# run.sh - runs serval's tests and prints one final line "N passed, N failed".
#
#   test/run.sh all|unit|integration|fuzz
#
# Environment (set by the Makefile): SERVAL_OUT (build/<flavour>) holds the
# unit-test binaries; SERVAL_BIN_DIR holds serval, servalctl and modules/.
#
# Every test speaks TAP on stdout ("ok N - what" / "not ok N - what"):
#  - unit tests: $SERVAL_OUT/test/unit/test_* (cmocka, CMOCKA_MESSAGE_OUTPUT=TAP)
#  - integration tests: test/integration/*/run.sh, each run from a fresh
#    temporary directory ($SERVAL_TEST_DIR) with the harness test/lib/harness.sh
#  - fuzz: build/fuzz/fuzz_* run for FUZZ_SECONDS (default 30) each
# A TAP line counts as one test.  A program that exits non-zero without
# reporting a failure, or reports nothing, counts as one failed test.
# Output of a failing program is shown; SERVAL_TEST_VERBOSE=1 shows all.
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
export SERVAL_OUT=${SERVAL_OUT:-build/release}
export SERVAL_BIN_DIR=${SERVAL_BIN_DIR:-.}
export SERVAL_TOP=$TOP
what=${1:-all}
passed=0
failed=0
failed_names=()
LOGDIR=$(mktemp -d /tmp/serval-tests.XXXXXX)

# run_tap NAME CMD... : runs one TAP-speaking program, counts its results
run_tap() {
  local name=$1; shift
  local out=$LOGDIR/$(echo "$name" | tr '/ ' '__').log rc ok nok
  local t0=$SECONDS
  "$@" > "$out" 2>&1 < /dev/null
  rc=$?
  ok=$(grep -cE '^ok [0-9]+' "$out")
  nok=$(grep -cE '^not ok [0-9]+' "$out")
  if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
  if [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
  passed=$((passed + ok)); failed=$((failed + nok))
  if [ "$nok" -gt 0 ]; then
    failed_names+=("$name")
    printf 'FAIL %-40s %3d ok %3d failed (%ds, exit %d)\n' "$name" "$ok" "$nok" $((SECONDS - t0)) "$rc"
    sed 's/^/    | /' "$out" | tail -60
  else
    printf 'PASS %-40s %3d ok (%ds)\n' "$name" "$ok" $((SECONDS - t0))
    [ "${SERVAL_TEST_VERBOSE:-0}" = 1 ] && sed 's/^/    | /' "$out"
  fi
}

run_unit() {
  local t
  for t in "$SERVAL_OUT"/test/unit/test_*; do
    [ -x "$t" ] || continue
    CMOCKA_MESSAGE_OUTPUT=TAP run_tap "unit/$(basename "$t")" "$t"
  done
}

run_integration() {
  local d
  for d in test/integration/*/; do
    [ -x "$d/run.sh" ] || continue
    local tdir; tdir=$(mktemp -d "$LOGDIR/it.XXXXXX")
    SERVAL_TEST_DIR=$tdir run_tap "integration/$(basename "$d")" "$d/run.sh"
    if [ "${SERVAL_TEST_LEAVE:-0}" != 1 ]; then rm -rf "$tdir"; fi
  done
}

# a fuzz target passes when libFuzzer ran its time without a crash
fuzz_tap() {
  local f=$1 name corpus
  name=$(basename "$f")
  corpus=$(mktemp -d /tmp/serval-fuzz.XXXXXX)
  [ -d "test/fuzz/seeds_${name#fuzz_}" ] && cp "test/fuzz/seeds_${name#fuzz_}"/* "$corpus"/ 2>/dev/null
  if "$f" -max_total_time="${FUZZ_SECONDS:-30}" -rss_limit_mb=1024 \
       -artifact_prefix="$LOGDIR/$name-" "$corpus"; then
    echo "ok 1 - $name ran ${FUZZ_SECONDS:-30}s without a finding"
  else
    echo "not ok 1 - $name found a crash (artifact in $LOGDIR)"
  fi
  rm -rf "$corpus"
}

run_fuzz() {
  local f
  for f in build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    run_tap "fuzz/$(basename "$f")" fuzz_tap "$f"
  done
}

case $what in
  all) run_unit; run_integration; run_fuzz ;;
  unit) run_unit ;;
  integration) run_integration ;;
  fuzz) run_fuzz ;;
  *) echo "usage: $0 all|unit|integration|fuzz" >&2; exit 2 ;;
esac

if [ "$failed" -gt 0 ]; then
  echo "failed: ${failed_names[*]} (logs in $LOGDIR)"
elif [ "${SERVAL_TEST_LEAVE:-0}" = 1 ]; then
  echo "logs and test directories kept in $LOGDIR"
else
  rm -rf "$LOGDIR"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
