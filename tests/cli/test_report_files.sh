#!/bin/sh
# SPDX-License-Identifier: MIT
# test_report_files.sh FNPROP - file arguments limit *reporting* while the
# whole program is still solved: on the cross-TU chain, `fnprop ... c1.c`
# prints only c1.c's functions, with verdicts that depend on c2.c..c5.c.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

case=$FIXTURES/cross-tu-chain
compdb "$case" "$TMP/build"

want='c1.c:link1 tls=violated panic=violated
c1.c:clean1 tls=proven panic=proven'
for arg in c1.c "$case/c1.c"; do
	(cd "$case" && "$FNPROP" -p "$TMP/build" --db "$TMP/fnprop.db" --dump=verdicts "$arg") \
		>"$TMP/out" 2>"$TMP/err" || fail "dump limited to $arg exited with $?: $(head -c 300 "$TMP/err")"
	stage12 "$TMP/out"
	got=$(sed 's/^\([^:]*\):[0-9]*:[0-9]*: /\1:/' "$TMP/out" | LC_ALL=C sort)
	exp=$(printf '%s\n' "$want" | LC_ALL=C sort)
	[ "$got" = "$exp" ] || fail "dump limited to $arg:
--- want
$exp
--- got
$got"
done

# Without file arguments every TU is reported.
(cd "$case" && "$FNPROP" -p "$TMP/build" --db "$TMP/fnprop.db" --dump=verdicts) >"$TMP/all" 2>&1
stage12 "$TMP/all"
n=$(wc -l <"$TMP/all" | tr -d ' ')
[ "$n" = 10 ] || fail "unlimited dump has $n lines, want 10"

finish
