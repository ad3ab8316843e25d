#!/bin/sh
# SPDX-License-Identifier: MIT
# test_kill.sh FNPROP - SIGKILL at random points of a run over a generated
# project, KILL_ROUNDS (20) times; between rounds some sources change so
# every round has parsing, storing and solving to interrupt.  After each
# kill PRAGMA integrity_check must pass; at the end a normal run must give
# exactly the results of a clean run on a fresh database.
#   KILL_TUS=200 KILL_ROUNDS=20 KILL_SEED=<random>
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

tus=${KILL_TUS:-200}
rounds=${KILL_ROUNDS:-20}
seed=${KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
note "seed $seed (KILL_SEED=$seed reproduces the delays)"
P=$TMP/proj
sh "$ROOT/bench/gen-project.sh" "$P" "$tus" >/dev/null || exit 2
DB=$TMP/killed.db

# How long a cold run takes here: the delays spread over it.
t0=$(date +%s%N)
expect 0 "" "$P" -p "$P" --db "$TMP/timing.db" --quiet || finish
ms=$((($(date +%s%N) - t0) / 1000000))
printf '/* timing */\n' >>"$P/src/u0.c"
t0=$(date +%s%N)
expect 0 "" "$P" -p "$P" --db "$TMP/timing.db" --quiet || finish
base=$((($(date +%s%N) - t0) / 1000000))
note "a cold run of $tus TUs takes ${ms} ms, one changed TU ${base} ms"

# The plan: per round, which TUs change (first, count) and when the kill
# comes: a random point of that round's expected time (the first round is
# cold; TUs a kill left unstored add to the next round, so later rounds
# are a bit longer than planned, which only moves kills earlier).
i=0
awk -v seed="$seed" -v n="$rounds" -v ms="$ms" -v base="$base" -v tus="$tus" 'BEGIN {
	srand(seed)
	for (i = 0; i < n; i++) {
		count = i ? int(rand() * tus / 2) : 0
		t = i ? base + (ms - base) * count / tus : ms
		printf "%d %d %d\n", int(rand() * t * 1.2), int(rand() * tus), count
	}
}' >"$TMP/plan"
killed=0
while read -r delay first count; do
	i=$((i + 1))
	# Change `count` TUs from `first` on (content changes, so they reparse).
	k=0
	while [ "$k" -lt "$count" ]; do
		printf '/* round %d */\n' "$i" >>"$P/src/u$(((first + k) % tus)).c"
		k=$((k + 1))
	done
	(cd "$P" && exec "$FNPROP" -p "$P" --db "$DB" --quiet -j 2) >/dev/null 2>"$TMP/kerr" &
	pid=$!
	sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	st=$?
	[ "$st" = 137 ] && killed=$((killed + 1))
	[ "$st" = 0 ] || [ "$st" = 137 ] || fail "round $i: exit $st: $(head -c 300 "$TMP/kerr")"
	if [ -f "$DB" ]; then integrity "$DB" || note "round $i: after a kill at ${delay} ms"; fi
done <"$TMP/plan"
note "$killed of $rounds runs were killed mid-way"

# A normal run on the killed database, and a clean run on a fresh one.
expect 0 "" "$P" -p "$P" --db "$DB" --quiet --dump=verdicts
cp "$TMP/out" "$TMP/after-kills"
integrity "$DB"
expect 0 "" "$P" -p "$P" --db "$TMP/fresh.db" --quiet --dump=verdicts
cmp -s "$TMP/out" "$TMP/after-kills" || fail "after $rounds kills the results differ from a clean run: $(diff "$TMP/out" "$TMP/after-kills" | head -n 6)"
[ "$(wc -l <"$TMP/out")" -ge "$tus" ] || fail "suspiciously few functions: $(wc -l <"$TMP/out")"
# The same through the documented view.
q="SELECT name, file, line, tls, panic, coalesce(witness, '') FROM properties ORDER BY file, line, name"
[ "$(sq "$DB" "$q")" = "$(sq "$TMP/fresh.db" "$q")" ] || fail "the properties view differs from a clean run's"
finish
