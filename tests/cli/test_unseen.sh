#!/bin/sh
# SPDX-License-Identifier: MIT
# test_unseen.sh FNPROP - what the analysis could not see is reported: the
# summary counts functions holding code the front end does not understand
# and names compiler flags it dropped, the same on a warm run; `explain`
# and the JSON export name the construct; --quiet prints none of it.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

compdb "$FIXTURES/unseen-constructs" "$TMP/unseen"
compdb "$FIXTURES/gcc-only-flags" "$TMP/flags"
compdb "$FIXTURES/panic-abort-two-down" "$TMP/plain"

# summary DIR: run the check command, stderr in $TMP/err.
summary() { (cd "$1" && "$FNPROP" -p .) >"$TMP/out" 2>"$TMP/err"; }

want_unseen='4 functions contain code fnprop does not understand (5 constructs); see `fnprop explain`'
for run in cold warm; do
	summary "$TMP/unseen"
	grep -qxF "$want_unseen" "$TMP/err" || fail "$run run: no unseen summary: $(cat "$TMP/err")"
done
grep -q 'from cache' "$TMP/err" || fail "second run did not use the cache: $(cat "$TMP/err")"

want_flags='dropped 5 compiler flags clang does not know (in 1 translation unit): -fconserve-stack -fno-tree-loop-distribute-patterns -mindirect-branch=thunk-extern -mindirect-branch-register -fno-allow-store-data-races'
for run in cold warm; do
	summary "$TMP/flags"
	grep -qxF "$want_flags" "$TMP/err" || fail "$run run: no dropped-flags summary: $(cat "$TMP/err")"
	grep -q 'incomplete' "$TMP/err" && grep -q '(1 incomplete' "$TMP/err" && fail "$run run: the TU is incomplete"
done

summary "$TMP/plain"
grep -q 'does not understand\|dropped' "$TMP/err" && fail "a fully seen program reports unseen code: $(cat "$TMP/err")"

(cd "$TMP/unseen" && "$FNPROP" -p . --quiet) >"$TMP/out" 2>"$TMP/err"
[ -s "$TMP/err" ] && fail "--quiet printed: $(cat "$TMP/err")"

(cd "$TMP/unseen" && "$FNPROP" explain -p . captured) >"$TMP/out" 2>&1
grep -q 'captured at .*ms.c:[0-9]*:[0-9]*: contains statement of a kind libclang does not expose, code fnprop does not understand' "$TMP/out" ||
	fail "explain does not name the construct: $(cat "$TMP/out")"

(cd "$TMP/unseen" && "$FNPROP" export -p . --format=jsonl) >"$TMP/out" 2>&1
grep '"name":"ms_trap"' "$TMP/out" | grep -q '"effect":"unseen-code","detail":"Microsoft-style inline assembly' ||
	fail "export: no unseen-code witness for ms_trap: $(grep ms_trap "$TMP/out")"

sqlite3 "$TMP/unseen/fnprop.db" "select name from effect_kind where name = 'unseen-code'" | grep -qx unseen-code ||
	fail "effect_kind has no unseen-code row"
# A contract that cannot be checked says why, in the headline and a note.
compdb "$FIXTURES/asm-clean" "$TMP/asm"
(cd "$TMP/asm" && "$FNPROP" -p .) >"$TMP/out" 2>"$TMP/err"
grep -q "clean.c:[0-9]*:[0-9]*: warning: function 'via_features' is declared FNPROP_NOTLS but calls 'features', which contains inline assembly 'cpuid', code fnprop does not understand \[fnprop-notls-unproven\]" "$TMP/out" ||
	fail "diagnostic headline does not name the unseen construct: $(head -3 "$TMP/out")"
grep -q "note: contains inline assembly 'cpuid', code fnprop does not understand" "$TMP/out" ||
	fail "no note at the unseen construct: $(cat "$TMP/out")"
# An effect of inline assembly is executed, not called.
mkdir -p "$TMP/asmc"
cat >"$TMP/asmc/a.c" <<'C'
#include <fnprop.h>
FNPROP_NOPANIC void trap(void) { __asm__ volatile("ud2"); }
void g(void) { trap(); }
FNPROP_NOPANIC void h(void) { g(); }
C
echo "a.c -std=gnu11 -I$ROOT/include" >"$TMP/asmc/build.txt"
compdb "$TMP/asmc" "$TMP/asmc-build"
(cd "$TMP/asmc-build" && "$FNPROP" -p .) >"$TMP/out" 2>"$TMP/err"
grep -q "a.c:4:21: error: function 'h' is declared FNPROP_NOPANIC but executes inline assembly 'ud2' through 'g' \[fnprop-nopanic-violation\]" "$TMP/out" ||
	fail "asm effect headline: $(cat "$TMP/out")"
grep -q "a.c:2:34: note: executes inline assembly 'ud2', which ends the program" "$TMP/out" ||
	fail "asm effect note: $(cat "$TMP/out")"
finish
