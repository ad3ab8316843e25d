#!/bin/sh
# SPDX-License-Identifier: MIT
# test_scale.sh FNPROP - sizes that break recursive or quadratic code: a
# 10,000-statement function, 100,000 functions in one TU, and a call chain
# f0 -> f1 -> ... -> f99999 -> abort (iterative SCC, no stack overflow in
# the solver or the reports).  Every run is bounded in time; explain of f0
# prints the whole chain; the JSON export stays linear (elided paths).
#
#   SCALE_N=100000   functions in the chain (and the wide TU and the cycle;
#                    20,000 of those under a sanitizer)
#   SCALE_FULL=1     also export the whole N-deep chain (minutes: the export
#                    walks 64 hops per function with point queries); by
#                    default the export runs on a 5,000-deep chain
#   SCALE_SLOW=1     time multiplier (sanitizer builds: set automatically)
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

N=${SCALE_N:-100000}
NW=$N
slow=${SCALE_SLOW:-1}
case $BDIR in *asan* | *ubsan* | *san*) slow=$((slow * 4)) NW=$((N > 20000 ? 20000 : N)) ;; esac
# bounded SECS LABEL ARGS...: run FNPROP in $2's directory within SECS.
bounded() {
	_secs=$(($1 * slow)) _label=$2 _dir=$3
	shift 3
	_t0=$(date +%s)
	(cd "$_dir" && exec timeout -s KILL "$_secs" "$FNPROP" "$@") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	_dt=$(($(date +%s) - _t0))
	note "$_label: exit $rc in ${_dt}s"
	[ "$rc" = 137 ] && fail "$_label: not done within ${_secs}s"
	[ "$rc" -gt 2 ] && [ "$rc" != 137 ] && fail "$_label: exit $rc: $(tail -c 300 "$TMP/err")"
	return 0
}

# ---- 10,000 statements in one function ------------------------------------
D=$TMP/stmts
mkdir -p "$D"
awk 'BEGIN {
	print "#include <stdlib.h>"
	print "_Thread_local int t;"
	print "int big(int x) {"
	for (i = 0; i < 10000; i++) printf "  x = x * 3 + %d; if (x == %d) x ^= t;\n", i, i
	print "  if (x == 7) abort();"
	print "  return x;"
	print "}"
}' >"$D/s.c"
entry "$D" s.c
bounded 60 "10,000 statements" "$D" -p "$D" --dump=verdicts --quiet
grep -q "s\.c:3:5: big tls=violated panic=violated" "$TMP/out" || fail "10,000 statements: want big tls=violated panic=violated, got: $(head -c 200 "$TMP/out")"

# ---- 100,000 functions in one TU --------------------------------------------
D=$TMP/wide
mkdir -p "$D"
awk -v n="$NW" 'BEGIN {
	for (i = 0; i < n; i++) printf "int g%d(int x) { return x * %d + (x > %d ? g%d(x - 1) : 0); }\n", i, i, i, i ? i - 1 : 0
}' >"$D/w.c"
entry "$D" w.c
bounded 120 "$NW functions in one TU" "$D" -p "$D" --dump=verdicts --quiet
[ "$(grep -c 'tls=proven panic=proven' "$TMP/out")" = "$NW" ] ||
	fail "$NW functions: want $NW proven, got $(grep -c 'tls=proven panic=proven' "$TMP/out")"
bounded 30 "$NW functions, cached" "$D" -p "$D" --quiet

# ---- a 100,000-deep call chain ----------------------------------------------
D=$TMP/chain
mkdir -p "$D"
awk -v n="$N" 'BEGIN {
	print "#include <stdlib.h>"
	for (i = 0; i < n; i++) printf "int f%d(int x);\n", i
	for (i = 0; i < n - 1; i++) printf "int f%d(int x) { return f%d(x + 1); }\n", i, i + 1
	printf "int f%d(int x) { if (x < 0) abort(); return x; }\n", n - 1
}' >"$D/c.c"
entry "$D" c.c
bounded 180 "$N-deep chain" "$D" -p "$D" --dump=verdicts --quiet
[ "$(grep -c 'tls=proven panic=violated' "$TMP/out")" = "$N" ] ||
	fail "chain: want $N functions tls=proven panic=violated, got $(grep -c 'tls=proven panic=violated' "$TMP/out")"
bounded 60 "explain f0 of the chain" "$D" explain -p "$D" f0
[ "$rc" = 0 ] || fail "explain f0: exit $rc"
last=$((N - 1))
grep -q "^  #$last f$last at .*calls 'abort'" "$TMP/out" || fail "explain f0: the chain does not reach f$last -> abort: $(tail -n 3 "$TMP/out")"
grep -q "^  #$N abort" "$TMP/out" || fail "explain f0: no final abort hop #$N: $(tail -n 2 "$TMP/out")"
hops=$(grep -c "^  #" "$TMP/out")
[ "$hops" = $((N + 1)) ] || fail "explain f0: want $((N + 1)) hops, got $hops"
# Every function's full path would be N^2/2 hops; the export must elide.
NE=$N
if [ -z "${SCALE_FULL:-}" ]; then
	NE=$((N > 5000 ? 5000 : N))
	D=$TMP/chain-export
	mkdir -p "$D"
	awk -v n="$NE" 'BEGIN {
		print "#include <stdlib.h>"
		for (i = 0; i < n; i++) printf "int f%d(int x);\n", i
		for (i = 0; i < n - 1; i++) printf "int f%d(int x) { return f%d(x + 1); }\n", i, i + 1
		printf "int f%d(int x) { if (x < 0) abort(); return x; }\n", n - 1
	}' >"$D/c.c"
	entry "$D" c.c
	bounded 60 "$NE-deep chain for the export" "$D" -p "$D" --quiet
fi
bounded $((NE / 500 + 20)) "export of the $NE-deep chain" "$D" export -p "$D" --format=jsonl
[ "$rc" = 0 ] || fail "export of the chain: exit $rc"
size=$(wc -c <"$TMP/out")
[ "$size" -lt $((NE * 20000)) ] || fail "export of the chain: $size bytes, quadratic"
[ "$(wc -l <"$TMP/out")" = "$NE" ] || fail "export of the chain: want $NE lines, got $(wc -l <"$TMP/out")"
grep -q '"elided":' "$TMP/out" || fail "export of the chain: long paths are not elided"

# A 100,000-member SCC (20,000 under a sanitizer): f_i calls f_{i+1}, the last calls f0 and aborts.
D=$TMP/ring
mkdir -p "$D"
awk -v n="$NW" 'BEGIN {
	print "#include <stdlib.h>"
	for (i = 0; i < n; i++) printf "int r%d(int x);\n", i
	for (i = 0; i < n - 1; i++) printf "int r%d(int x) { return x ? r%d(x - 1) : 0; }\n", i, i + 1
	printf "int r%d(int x) { if (x < -5) abort(); return x ? r0(x - 1) : 0; }\n", n - 1
}' >"$D/r.c"
entry "$D" r.c
bounded 180 "$NW-member cycle" "$D" -p "$D" --dump=verdicts --quiet
[ "$(grep -c 'tls=proven panic=violated' "$TMP/out")" = "$NW" ] ||
	fail "cycle: want $NW functions tls=proven panic=violated, got $(grep -c 'tls=proven panic=violated' "$TMP/out")"
bounded 60 "explain r0 of the cycle" "$D" explain -p "$D" r0
grep -q "calls 'abort'" "$TMP/out" || fail "explain r0: the path does not end at abort: $(tail -n 2 "$TMP/out")"

finish
