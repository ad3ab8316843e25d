#!/bin/sh
# SPDX-License-Identifier: MIT
# test_exit_codes.sh FNPROP - exit statuses of the check command: 0 for a
# clean analysis, 1 when a translation unit does not parse, 2 for usage and
# input errors (each with a message on stderr).
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

# expect STATUS DIR ARGS...: run FNPROP ARGS in DIR, want exit STATUS.
expect() {
	want=$1 dir=$2
	shift 2
	(cd "$dir" && "$FNPROP" "$@") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "fnprop $* (in $dir): exit $rc, want $want; stderr: $(head -c 300 "$TMP/err")"
	elif [ "$want" = 2 ] && [ ! -s "$TMP/err" ]; then
		fail "fnprop $*: exit 2 without a message on stderr"
	fi
}

# A small clean program, everything proven.
mkdir -p "$TMP/clean" "$TMP/empty" "$TMP/malformed" "$TMP/missing-header"
cat >"$TMP/clean/clean.c" <<'C'
static int sq(int x) { return x * x; }
int sum_sq(int a, int b) { return sq(a) + sq(b); }
C
echo 'clean.c -std=c11' >"$TMP/clean/build.txt"
compdb "$TMP/clean" "$TMP/clean-build"

# A TU whose include is missing: a parse failure like a syntax error.
cat >"$TMP/missing-header/m.c" <<'C'
#include "no-such-header.h"
int m(int x) { return x; }
C
echo 'm.c -std=c11' >"$TMP/missing-header/build.txt"
compdb "$TMP/missing-header" "$TMP/missing-header-build"

printf '[ { "directory": "/tmp", "file": ' >"$TMP/malformed/compile_commands.json"
compdb "$FIXTURES/syntax-error" "$TMP/syntax-build"

expect 0 "$TMP/clean" -p "$TMP/clean-build" --db "$TMP/clean.db"
expect 0 "$TMP/clean" -p "$TMP/clean-build" --db "$TMP/clean.db" --dump=verdicts
expect 1 "$FIXTURES/syntax-error" -p "$TMP/syntax-build" --db "$TMP/syntax.db"
grep -q 'bad\.c:9' "$TMP/out" "$TMP/err" || fail "the syntax error is not reported as bad.c:9"
expect 1 "$TMP/missing-header" -p "$TMP/missing-header-build" --db "$TMP/mh.db"
grep -q 'no-such-header\.h' "$TMP/out" "$TMP/err" || fail "the missing header is not named"

expect 2 "$TMP/empty" -p "$TMP/does-not-exist"
expect 2 "$TMP/empty" -p "$TMP/empty"
expect 2 "$TMP/empty" -p "$TMP/malformed" --db "$TMP/malformed.db"
expect 2 "$TMP/clean" --no-such-option -p "$TMP/clean-build" --db "$TMP/clean.db"
expect 2 "$TMP/clean" -p
expect 2 "$TMP/clean" export -p "$TMP/clean-build" --db "$TMP/clean.db" --format=no-such-format
expect 2 "$TMP/empty"

finish
