#!/bin/sh
# SPDX-License-Identifier: MIT
# test_overlap.sh FNPROP - overlapping runs on one database: run A reads the
# facts and solves, run B stores newer facts and results, then A goes on to
# store.  A must not overwrite B's results with ones from older facts (nor
# mark them current): every later run equals a cold run.  A is
# $BDIR/robust/overlap, the real pipeline paused after its solve.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

OV=$BDIR/robust/overlap
[ -x "$OV" ] || { echo "${0##*/}: $OV missing (make robust-tests)" >&2; exit 2; }
P=$TMP/proj
mkdir -p "$P"
printf 'int leaf(int x) { return x + 1; }\n' >"$P/leaf.c"
printf 'int leaf(int x);\nint top(int x) { return leaf(x); }\n' >"$P/top.c"
cat >"$P/compile_commands.json" <<J
[{"directory": "$P", "file": "leaf.c", "arguments": ["cc", "-c", "leaf.c"]},
 {"directory": "$P", "file": "top.c", "arguments": ["cc", "-c", "top.c"]}]
J
DB=$TMP/shared.db
expect 0 "" "$P" -p "$P" --db "$DB" --quiet --dump=verdicts # another configuration: A has to solve

# A: solves the clean facts, then waits.
"$OV" "$P" "$DB" "$TMP/ready" "$TMP/go" >"$TMP/a.out" 2>&1 &
apid=$!
i=0
while [ ! -f "$TMP/ready" ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$TMP/ready" ] || fail "run A never reached its store"
# B: leaf now aborts; B stores its facts and results while A waits.
printf 'void abort(void);\nint leaf(int x) { if (x) abort(); return x + 1; }\n' >"$P/leaf.c"
expect 0 "" "$P" -p "$P" --db "$DB" --errno=ignore --quiet --dump=verdicts
grep -q ' top .*panic=violated' "$TMP/out" || fail "run B does not see the change: $(cat "$TMP/out")"
: >"$TMP/go"
wait "$apid" || fail "run A failed: $(cat "$TMP/a.out")"

# Later runs (same configuration as A and B) equal a cold run.
expect 0 "" "$P" -p "$P" --db "$DB" --errno=ignore --quiet --dump=verdicts
cp "$TMP/out" "$TMP/warm"
rm -f "$TMP/cold.db"*
expect 0 "" "$P" -p "$P" --db "$TMP/cold.db" --errno=ignore --quiet --dump=verdicts
cmp -s "$TMP/warm" "$TMP/out" || fail "after overlapping runs the stored results are stale: $(diff "$TMP/out" "$TMP/warm" | tr '\n' ' ')"
integrity "$DB"
finish
