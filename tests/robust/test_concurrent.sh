#!/bin/sh
# SPDX-License-Identifier: MIT
# test_concurrent.sh FNPROP - several fnprop processes on one database at
# once (cold, then after a change, then readers during a writer): every run
# succeeds with identical results, integrity_check passes, and the results
# equal a run alone on a fresh database.
#   CONC_TUS=60 CONC_PROCS=3
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

tus=${CONC_TUS:-60}
procs=${CONC_PROCS:-3}
P=$TMP/proj
sh "$ROOT/bench/gen-project.sh" "$P" "$tus" >/dev/null || exit 2
DB=$TMP/shared.db

# together LABEL ARGS...: procs runs of FNPROP ARGS at once; all must exit 0
# with the same stdout.
together() {
	label=$1
	shift
	k=0
	pids=
	while [ "$k" -lt "$procs" ]; do
		(cd "$P" && exec "$FNPROP" "$@") >"$TMP/c$k.out" 2>"$TMP/c$k.err" &
		pids="$pids $!"
		k=$((k + 1))
	done
	k=0
	for p in $pids; do
		wait "$p" || fail "$label: run $k exited $?: $(head -c 300 "$TMP/c$k.err")"
		k=$((k + 1))
	done
	k=1
	while [ "$k" -lt "$procs" ]; do
		cmp -s "$TMP/c0.out" "$TMP/c$k.out" || fail "$label: runs 0 and $k print different results"
		k=$((k + 1))
	done
	integrity "$DB"
}
alone() { # the reference: one run on a fresh database
	rm -f "$TMP/alone.db"*
	expect 0 "" "$P" -p "$P" --db "$TMP/alone.db" --quiet --dump=verdicts
	cmp -s "$TMP/out" "$TMP/c0.out" || fail "$1: concurrent results differ from a run alone: $(diff "$TMP/out" "$TMP/c0.out" | head -n 6)"
}

together "cold" -p "$P" --db "$DB" --quiet --dump=verdicts -j 1
alone "cold"
for f in "$P"/src/u1*.c; do printf 'int %s_extra(int x) { return x; }\n' "$(basename "$f" .c)" >>"$f"; done
together "incremental" -p "$P" --db "$DB" --quiet --dump=verdicts -j 2
alone "incremental"
# A writer (after a change) and readers (export, explain) at the same time.
for f in "$P"/src/u2*.c; do printf '/* touched */\n' >>"$f"; done
(cd "$P" && exec "$FNPROP" -p "$P" --db "$DB" --quiet --dump=verdicts) >"$TMP/w.out" 2>"$TMP/w.err" &
wpid=$!
k=0
while [ "$k" -lt "$procs" ]; do
	(cd "$P" && exec "$FNPROP" export -p "$P" --db "$DB" --format=jsonl) >"$TMP/r$k.out" 2>"$TMP/r$k.err" &
	eval "rpid$k=\$!"
	k=$((k + 1))
done
wait "$wpid" || fail "writer with readers: exit $?: $(head -c 300 "$TMP/w.err")"
k=0
while [ "$k" -lt "$procs" ]; do
	eval "wait \$rpid$k" || fail "reader $k: exit $?: $(head -c 300 "$TMP/r$k.err")"
	k=$((k + 1))
done
k=1
while [ "$k" -lt "$procs" ]; do
	cmp -s "$TMP/r0.out" "$TMP/r$k.out" || fail "readers 0 and $k exported different results"
	k=$((k + 1))
done
integrity "$DB"
cp "$TMP/w.out" "$TMP/c0.out"
alone "writer with readers"
finish
