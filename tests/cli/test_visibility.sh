#!/bin/sh
# SPDX-License-Identifier: MIT
# test_visibility.sh FNPROP - interposition and hidden symbols, on a
# library built -fPIC:
#  - the summary says how many verdicts are unknown only because
#    definitions may be interposed, and how to change it; with
#    --interposition=none they are proven and the line is gone;
#  - functions with hidden visibility (-fvisibility=hidden, the visibility
#    attribute) and those the project names in internal-functions are no
#    API: fnprop-missing-annotation does not suggest contracts for them and
#    fnprop diff does not count their losses.
. "$(dirname "$0")/common"

src=$TMP/lib
mkdir -p "$src"
cat >"$src/lib.h" <<'C'
int api_add(int a, int b);
int hid_add(int a, int b);
int lib_internal_add(int a, int b);
int priv_mul(int a, int b);
C
cat >"$src/lib.c" <<'C'
#include "lib.h"
__attribute__((visibility("hidden"))) int hid_add(int a, int b) { return a + b; }
int lib_internal_add(int a, int b) { return a - b; }
int api_add(int a, int b) { return hid_add(a, b) + lib_internal_add(a, b); }
C
cat >"$src/priv.c" <<'C'
#include "lib.h"
int priv_mul(int a, int b) { return a * b; }
C
printf '[{"directory":"%s","file":"lib.c","arguments":["cc","-fPIC","-c","lib.c"]},
 {"directory":"%s","file":"priv.c","arguments":["cc","-fPIC","-fvisibility=hidden","-c","priv.c"]}]\n' \
	"$src" "$src" >"$src/compile_commands.json"
run() { "$FNPROP" -p "$src" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

# interposable definitions: api_add and lib_internal_add (default visibility,
# -fPIC), 2 verdicts each
run
grep -q '^4 verdicts (of 2 functions) are unknown only because definitions may be interposed' "$TMP/err" ||
	fail "no interposition count in the summary: $(cat "$TMP/err")"
grep -q -- '--interposition=none' "$TMP/err" || fail "the summary does not say how to change it"
run --interposition=none
grep -q 'interposed' "$TMP/err" && fail "the interposition line stays with --interposition=none: $(cat "$TMP/err")"
grep -q 'tls    proven 4, unknown 0' "$TMP/err" || fail "--interposition=none does not prove them: $(cat "$TMP/err")"

# missing-annotation: only the public api_add (and lib_internal_add until
# the project names it internal)
run --interposition=none --checks=fnprop-missing-annotation
grep -q "'api_add'" "$TMP/out" || fail "api_add not suggested: $(cat "$TMP/out")"
grep -q "'hid_add'" "$TMP/out" && fail "a function with hidden visibility is suggested"
grep -q "'priv_mul'" "$TMP/out" && fail "a function of a -fvisibility=hidden TU is suggested"
grep -q "'lib_internal_add'" "$TMP/out" || fail "lib_internal_add not suggested before it is named internal"
printf 'interposition: none\ninternal-functions: lib_internal_*\n' >"$src/.fnprop"
run --checks=fnprop-missing-annotation
grep -q "'lib_internal_add'" "$TMP/out" && fail "internal-functions did not make lib_internal_add internal"
grep -q "'api_add'" "$TMP/out" || fail "api_add no longer suggested: $(cat "$TMP/out")"
sqlite3 "$src/fnprop.db" 'select name, hidden from func where has_body order by name' >"$TMP/hidden" 2>&1
[ "$(tr '\n' ' ' <"$TMP/hidden")" = "api_add|0 hid_add|1 lib_internal_add|2 priv_mul|1 " ] ||
	fail "func.hidden: $(tr '\n' ' ' <"$TMP/hidden")"

# diff: losses of hidden or internal functions are no API break
run --quiet
cp "$src/fnprop.db" "$TMP/old.db"
sed -i 's/return a \* b;/if (!a) __builtin_trap(); return a * b;/' "$src/priv.c"
sed -i 's/return a - b;/if (!a) __builtin_trap(); return a - b;/; s/__attribute__((visibility("hidden"))) int hid_add(int a, int b) { return a + b; }/__attribute__((visibility("hidden"))) int hid_add(int a, int b) { if (!b) __builtin_trap(); return a + b; }/' "$src/lib.c"
sed -i 's/ + lib_internal_add(a, b);/;/; s/return hid_add(a, b);/return a;/' "$src/lib.c"
run --quiet
"$FNPROP" diff "$TMP/old.db" "$src/fnprop.db" >"$TMP/diff" 2>&1
rc=$?
[ "$rc" = 0 ] || fail "diff counts losses of hidden or internal functions: exit $rc: $(cat "$TMP/diff")"
grep -q 'priv_mul\|hid_add\|lib_internal_add' "$TMP/diff" && fail "diff lists non-public functions: $(cat "$TMP/diff")"
sed -i 's/int api_add(int a, int b) { return a; }/int api_add(int a, int b) { if (b) __builtin_trap(); return a; }/' "$src/lib.c"
grep -q '__builtin_trap(); return a; }' "$src/lib.c" || fail "could not edit api_add: $(cat "$src/lib.c")"
run --quiet
"$FNPROP" diff "$TMP/old.db" "$src/fnprop.db" >"$TMP/diff" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q "lost panic: 'api_add' proven -> violated" "$TMP/diff" ||
	fail "a public function's loss is not reported: exit $rc: $(cat "$TMP/diff")"
finish
