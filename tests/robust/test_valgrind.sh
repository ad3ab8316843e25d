#!/bin/sh
# SPDX-License-Identifier: MIT
# test_valgrind.sh FNPROP - memcheck on the example (examples/taskdemo):
# a cold run and a cached run with no invalid access, no use of
# uninitialised memory and no definitely lost block.  Skipped for
# sanitizer builds (valgrind cannot run them) and without valgrind.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

case $BDIR in *san*) note "skipped: sanitizer build"; finish ;; esac
command -v valgrind >/dev/null || { fail "valgrind missing (scripts/install-deps.sh installs it)"; finish; }
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
