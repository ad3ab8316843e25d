#!/bin/sh
# SPDX-License-Identifier: MIT
# run-all.sh - the whole test suite: the layering check, Check unit suites,
# golden fixtures, command-line tests and runtime tests.  Prints one line
# per suite and a final `N passed, M failed, K skipped`; exits 1 when
# anything failed or was skipped.
#
# A suite that exits 77 was skipped because a tool is missing.  Every tool
# the suites use is installed by scripts/install-deps.sh, so a skip means the
# machine is not set up: it fails the run like a failure would, unless
# FNPROP_ALLOW_SKIP=1 (for a developer on a partial machine; never in CI).
# Suites that cannot apply to a build (valgrind on a sanitizer build) are
# not run and are listed as such.
#
#   tests/run-all.sh BUILD_DIR
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
fnprop=$top/$build/fnprop
case $build in /*) fnprop=$build/fnprop ;; esac
bdir=$(dirname "$fnprop")
pass=0
fail=0
skip=0
failed=""
skipped=""
notrun=""
log=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-tests.XXXXXX")
trap 'rm -rf "$log"' EXIT

run() { # name command...
  name=$1
  shift
  start=$(date +%s)
  "$@" >"$log/out" 2>&1
  rc=$?
  if [ "$rc" = 0 ]; then
    pass=$((pass + 1))
    printf 'PASS  %-40s %3ss\n' "$name" $(($(date +%s) - start))
  elif [ "$rc" = 77 ]; then
    skip=$((skip + 1))
    skipped="$skipped $name"
    printf 'SKIP  %-40s %3ss\n' "$name" $(($(date +%s) - start))
    grep '^SKIP' "$log/out" | sed 's/^/    /'
  else
    fail=$((fail + 1))
    failed="$failed $name"
    printf 'FAIL  %-40s %3ss\n' "$name" $(($(date +%s) - start))
    sed 's/^/    /' "$log/out" | tail -n 60
  fi
}

cd "$top" || exit 2
run layering sh scripts/check-layering.sh
for t in "$bdir"/tests/test_*; do
  [ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
run fixtures sh tests/run-fixtures.sh "$fnprop"
run fixtures/effects sh tests/run-effects.sh
run fixtures-runtime sh tests/run-runtime.sh
run diag sh tests/diag/run.sh "$fnprop"
for t in tests/cli/test_*.sh; do
  [ -f "$t" ] && run "cli/$(basename "$t" .sh)" sh "$t" "$fnprop"
done
run robust/bad_compdb sh tests/robust/test_bad_compdb.sh "$fnprop"
run robust/bad_db sh tests/robust/test_bad_db.sh "$fnprop"
run robust/bad_source sh tests/robust/test_bad_source.sh "$fnprop"
run robust/stale_cache sh tests/robust/test_stale_cache.sh "$fnprop"
run robust/overlap sh tests/robust/test_overlap.sh "$fnprop"
run robust/inputs_identity sh tests/robust/test_inputs_identity.sh "$fnprop"
run robust/data_loss sh tests/robust/test_data_loss.sh "$fnprop"
run robust/bitflip sh tests/robust/test_bitflip.sh "$fnprop"
run robust/hostile sh tests/robust/test_hostile.sh "$fnprop"
run robust/runtime_identity sh tests/robust/test_runtime_identity.sh "$fnprop"
run robust/security sh tests/robust/test_security.sh "$fnprop"
run robust/fuzz_corpus sh tests/robust/test_fuzz_corpus.sh "$fnprop"
run robust/concurrent sh tests/robust/test_concurrent.sh "$fnprop"
run robust/kill sh tests/robust/test_kill.sh "$fnprop"
run robust/faults sh tests/robust/test_faults.sh "$fnprop"
run robust/scale sh tests/robust/test_scale.sh "$fnprop"
run robust/differential sh tests/robust/test_differential.sh "$fnprop"
if [ -n "${SAN:-}" ]; then
  notrun="$notrun robust/valgrind"
else
  run robust/valgrind sh tests/robust/test_valgrind.sh "$fnprop"
fi
run integration/deps sh tests/integration/deps.sh "$fnprop"
run integration/diff sh tests/integration/diff.sh "$fnprop"
run integration/git_hook sh tests/integration/git_hook.sh "$fnprop"
run integration/pre_commit sh tests/integration/pre_commit.sh "$fnprop"
run integration/ci sh tests/integration/ci.sh "$fnprop"
run integration/clang_tidy sh tests/integration/clang_tidy.sh "$fnprop"
run integration/html_report sh tests/integration/html_report.sh "$fnprop"
run integration/install sh tests/integration/install.sh "$fnprop"
run integration/runtime_recipe sh tests/integration/runtime_recipe.sh "$fnprop"
run integration/docs sh tests/integration/docs.sh "$fnprop"
run integration/layering sh tests/integration/layering.sh "$fnprop"
run integration/compilers sh tests/integration/compilers.sh "$fnprop"
for t in "$bdir"/rt-tests/*; do
  [ -x "$t" ] && [ -f "$t" ] && run "runtime/$(basename "$t")" "$t"
done
run runtime/sched_demo sh tests/runtime/sched_demo.sh "$fnprop"

echo
[ -n "$notrun" ] && echo "not run (sanitizer build):$notrun"
[ -n "$failed" ] && echo "failed:$failed"
[ -n "$skipped" ] && echo "skipped (missing tools; run scripts/install-deps.sh test):$skipped"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
[ "$skip" -eq 0 ] || [ "${FNPROP_ALLOW_SKIP:-0}" = 1 ]
