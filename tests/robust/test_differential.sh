#!/bin/sh
# SPDX-License-Identifier: MIT
# test_differential.sh FNPROP - a small sample of the differential test
# (tests/differential/run.sh; `make check-diff` runs 300 programs): DIFF_N
# (10) csmith programs with injected thread-locals and aborts, zero
# soundness misses against the LLVM-IR oracle; then the same with one miss
# planted, which the comparison must catch.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

if ! command -v csmith >/dev/null || [ ! -f /usr/include/csmith/csmith.h ]; then
	fail "csmith or /usr/include/csmith/csmith.h missing (scripts/install-deps.sh installs csmith libcsmith-dev)"
	finish
fi
n=${DIFF_N:-10}
seed=${DIFF_SEED:-$(($(date +%j) % 50 + 1))}
"$ROOT/tests/differential/run.sh" "$FNPROP" "$n" "$seed" >"$TMP/out" 2>"$TMP/err" ||
	fail "differential ($n programs, seed $seed): $(cat "$TMP/out" "$TMP/err" | tail -n 20)"
cat "$TMP/out" >&2
DIFF_SELFTEST=1 "$ROOT/tests/differential/run.sh" "$FNPROP" 3 "$seed" >"$TMP/out" 2>"$TMP/err" &&
	fail "a planted soundness miss was not caught: $(cat "$TMP/out")"
grep -q '^MISS: ' "$TMP/out" || fail "the planted miss is not reported as MISS: $(cat "$TMP/out" "$TMP/err" | tail -n 5)"
finish
