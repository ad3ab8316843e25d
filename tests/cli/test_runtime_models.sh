#!/bin/sh
# SPDX-License-Identifier: MIT
# test_runtime_models.sh FNPROP - task entries of real runtimes found from
# model files only (models/argobots.model, models/libfiber.model; no
# annotation in the sources) and of OpenMP task directives, and how many
# are proven !tls: the measurement of issue 16, asserted exactly.
. "$(dirname "$0")/common"

# count CASE [OPTIONS...]: "ENTRIES PROVEN" of the case's export
count() {
	c=$1
	shift
	compdb "$FIXTURES/$c" "$TMP/$c"
	(cd "$FIXTURES/$c" && "$FNPROP" export -p "$TMP/$c" --db "$TMP/$c/fnprop.db" "$@") >"$TMP/$c.jsonl" 2>"$TMP/err" ||
		{ fail "$c: export exited with $?: $(cat "$TMP/err")"; echo "0 0"; return; }
	n=$(grep -c '"task":true' "$TMP/$c.jsonl")
	p=$(grep '"task":true' "$TMP/$c.jsonl" | grep -c '"tls":"proven"')
	echo "$n $p"
}

# expect CASE "ENTRIES PROVEN" [OPTIONS...]
expect() {
	c=$1 want=$2
	shift 2
	got=$(count "$c" "$@")
	echo "$c: task entries found and proven: $got"
	[ "$got" = "$want" ] || fail "$c: task entries found, proven: $got, want $want"
}

expect runtime-argobots "6 4" --model="$ROOT/models/argobots.model"
expect runtime-libfiber "4 2" --model="$ROOT/models/libfiber.model"
expect openmp-untied "5 1"
expect openmp-regions "5 4"
# without the runtime's model nothing marks its entries
expect runtime-argobots "0 0"
expect runtime-libfiber "0 0"
for f in keeps_slot counts_locked doubles; do
	grep "\"name\":\"$f\"" "$TMP/runtime-argobots.jsonl" >/dev/null || fail "no $f in the export"
done
count runtime-argobots --model="$ROOT/models/argobots.model" >/dev/null
grep '"name":"not_a_task"' "$TMP/runtime-argobots.jsonl" | grep -q '"task":true' && fail "not_a_task is a task entry"
grep '"name":"doubles"' "$TMP/runtime-argobots.jsonl" | grep -q '"task":true' || fail "the tasklet is not a task entry"
finish
