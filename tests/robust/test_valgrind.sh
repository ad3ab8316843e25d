#!/bin/sh
# SPDX-License-Identifier: MIT
# test_valgrind.sh FNPROP - memcheck on the example (examples/taskdemo):
# a cold run and a cached run with no invalid access, no use of
# uninitialised memory and no definitely lost block.  Not applicable to a
# sanitizer build (valgrind cannot run it): run-all.sh does not run it
# there, and run by hand on one it exits 77.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

if grep -q __asan_init "$FNPROP" || grep -q __ubsan_handle "$FNPROP"; then
	echo "SKIP: ${0##*/}: $FNPROP is a sanitizer build"
	exit 77
fi
need valgrind valgrind
DEMO_DIR=$TMP/demo "$ROOT/examples/run-demo.sh" "$FNPROP" >"$TMP/demo.log" 2>&1 ||
	{ fail "examples/run-demo.sh failed: $(tail -n 5 "$TMP/demo.log")"; finish; }
rm -f "$TMP/demo/fnprop.db"*
for what in cold cached; do
	(cd "$ROOT/examples/taskdemo" && valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$FNPROP" -p "$TMP/demo" -j 2 --quiet) >"$TMP/out" 2>"$TMP/vg"
	rc=$?
	[ "$rc" = 99 ] && fail "valgrind ($what run): $(grep -A 12 'definitely lost in\|Invalid\|uninitialised' "$TMP/vg" | head -n 40)"
	[ "$rc" -le 1 ] || [ "$rc" = 99 ] || fail "fnprop under valgrind ($what run): exit $rc: $(tail -n 5 "$TMP/vg")"
done
finish
