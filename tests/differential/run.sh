#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh FNPROP N [SEED] - differential test of fnprop against an oracle
# computed from the LLVM IR that clang emits for the same programs.
#
# N random programs from csmith (seeds SEED*100000+1, +2, ...), each with
# thread-local globals and aborting calls injected (inject.awk), are
# analyzed by fnprop as one compile database and compiled by clang -O0
# -emit-llvm; oracle.awk derives each function's effects from the IR.  A
# soundness miss - the oracle says an effect is reachable, fnprop says
# `proven` - fails the test; other disagreements (fnprop more
# conservative) are counted.  Programs clang rejects are replaced by the
# next seed.  Prints `N programs, F functions, M misses, ...`.
#   DIFF_KEEP=1 keeps the work directory; DIFF_JOBS=2 parallel compiles;
#   DIFF_SELFTEST=1 plants one miss, which must make the run fail.
set -u
fnprop=$1
n=$2
seed=${3:-1}
here=$(cd "$(dirname "$0")" && pwd -P)
case $fnprop in /*) ;; *) fnprop=$(pwd -P)/$fnprop ;; esac
# shellcheck source=tests/lib/tools.sh
. "$here/../lib/tools.sh"
clang=$CLANG
inc=/usr/include/csmith
jobs=${DIFF_JOBS:-2}
command -v csmith >/dev/null || { echo "run.sh: csmith is not installed (apt-get install csmith libcsmith-dev)" >&2; exit 2; }
[ -f "$inc/csmith.h" ] || { echo "run.sh: $inc/csmith.h missing (apt-get install libcsmith-dev)" >&2; exit 2; }
[ -n "$clang" ] || { echo "run.sh: no clang" >&2; exit 2; }
w=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-diff.XXXXXX") || exit 2
[ -n "${DIFF_KEEP:-}" ] || trap 'rm -rf "$w"' EXIT
trap 'exit 130' INT TERM

# ---- programs ------------------------------------------------------------------
i=0
s=$((seed * 100000))
tries=0
while [ "$i" -lt "$n" ] && [ "$tries" -lt $((n * 3 + 10)) ]; do
	s=$((s + 1))
	tries=$((tries + 1))
	p=$w/p$s
	csmith --seed "$s" --max-funcs 8 --max-block-depth 4 -o "$p.raw.c" >/dev/null 2>&1 || continue
	awk -v seed="$s" -v id="$s" -f "$here/inject.awk" "$p.raw.c" "$p.raw.c" >"$p.c" 2>>"$w/inject.log" || continue
	rm -f "$p.raw.c"
	echo "$s" >>"$w/seeds"
	i=$((i + 1))
done
[ "$i" -eq "$n" ] || { echo "run.sh: csmith produced only $i of $n programs" >&2; exit 2; }

# ---- the oracle: IR of each program ------------------------------------------------
# shellcheck disable=SC2016
xargs -P "$jobs" -I{} sh -c '"$1" -S -emit-llvm -O0 -w -std=gnu11 -fno-stack-protector -I"$2" "$3/p$4.c" -o "$3/p$4.ll" 2>"$3/p$4.err" || rm -f "$3/p$4.ll"' \
	sh "$clang" "$inc" "$w" {} <"$w/seeds"
: >"$w/ok"
while read -r s; do
	if [ -f "$w/p$s.ll" ]; then
		awk -f "$here/oracle.awk" "$w/p$s.ll" | sed "s/^/$s /" >>"$w/oracle"
		echo "$s" >>"$w/ok"
	fi
done <"$w/seeds"
bad=$(($(wc -l <"$w/seeds") - $(wc -l <"$w/ok")))
[ "$bad" -eq 0 ] || echo "run.sh: clang rejected $bad injected program(s); see $w/p*.err" >&2

# ---- fnprop over all programs at once ------------------------------------------------
{
	printf '['
	sep=
	while read -r s; do
		printf '%s\n{"directory": "%s", "file": "p%s.c", "arguments": ["clang", "-w", "-std=gnu11", "-I%s", "-c", "p%s.c"]}' \
			"$sep" "$w" "$s" "$inc" "$s"
		sep=,
	done <"$w/ok"
	printf ']\n'
} >"$w/compile_commands.json"
(cd "$w" && "$fnprop" -p "$w" --quiet --dump=verdicts) >"$w/dump.raw" 2>"$w/fnprop.err"
rc=$?
sed 's/ migrate=[a-z]*$//' "$w/dump.raw" >"$w/dump" # stage 3's field: this test compares tls and panic
if [ "$rc" -gt 1 ]; then
	echo "run.sh: fnprop failed (exit $rc): $(head -c 500 "$w/fnprop.err")" >&2
	exit 1
fi
[ "$rc" = 1 ] && echo "run.sh: note: fnprop reports parse errors: $(grep -c 'error' "$w/fnprop.err")" >&2
# DIFF_SELFTEST=1: a planted miss (one violated verdict turned proven) must
# be caught, or the comparison below proves nothing.
if [ -n "${DIFF_SELFTEST:-}" ]; then
	awk '!done && / panic=violated$/ && $2 ~ /^func_/ { sub(/ panic=violated$/, " panic=proven"); done = 1 } { print }' \
		"$w/dump" >"$w/dump.planted" && mv "$w/dump.planted" "$w/dump"
fi

# ---- compare --------------------------------------------------------------------------
# dump: FILE:LINE:COL: NAME tls=V panic=V.  Program functions are keyed by
# (seed, name); header functions (csmith.h's static inline helpers) by name.
awk -v ok="$w/ok" '
FNR == 1 { file++ }
file == 1 {
	split($1, loc, ":")
	path = loc[1]
	name = $2
	t = $3; sub(/^tls=/, "", t)
	p = $4; sub(/^panic=/, "", p)
	if (match(path, /p[0-9]+\.c$/)) {
		s = substr(path, RSTART + 1, RLENGTH - 3)
		v[s " " name] = t " " p
	} else {
		hv[name] = t " " p
	}
	next
}
{
	s = $1; name = $2; ot = $3; op = $4
	key = s " " name
	if (key in v) got = v[key]
	else if (name in hv) got = hv[name]
	else { absent++; if (ot || op) { absent_eff++; print "ABSENT with effect: seed " s " " name > "/dev/stderr" }; next }
	split(got, g, " ")
	funcs++
	oeff += ot + op
	if (ot && g[1] == "proven") { miss++; print "MISS: seed " s " " name ": oracle tls, fnprop tls=proven" > "/dev/stderr" }
	if (op && g[2] == "proven") { miss++; print "MISS: seed " s " " name ": oracle panic, fnprop panic=proven" > "/dev/stderr" }
	if (!ot) { if (g[1] == "proven") tp++; else if (g[1] == "unknown") tu++; else tv++ }
	if (!op) { if (g[2] == "proven") pp++; else if (g[2] == "unknown") pu++; else pv++ }
	if (ot && g[1] == "violated") tvv++
	if (op && g[2] == "violated") pvv++
	if (ot) ots++
	if (op) ops++
}
END {
	printf "%d functions compared (%d not in the dump, %d of those with an effect)\n", funcs, absent, absent_eff
	printf "oracle effects: tls %d (fnprop violated %d), panic %d (fnprop violated %d)\n", ots, tvv, ops, pvv
	printf "no oracle effect: tls proven %d, unknown %d, violated %d; panic proven %d, unknown %d, violated %d\n", tp, tu, tv, pp, pu, pv
	printf "%d soundness misses\n", miss + absent_eff
	exit (miss + absent_eff) ? 1 : 0
}' "$w/dump" "$w/oracle" >"$w/summary" 2>"$w/misses"
st=$?
progs=$(wc -l <"$w/ok")
inj=$(awk '{ t += $1; e += $3 } END { printf "%d thread-locals and %d effect statements injected", t, e }' "$w/inject.log")
echo "differential: $progs csmith programs (seeds from $((seed * 100000 + 1))), $inj"
cat "$w/summary"
head -n 30 "$w/misses"
[ -n "${DIFF_KEEP:-}" ] && echo "work directory kept: $w"
exit $st
