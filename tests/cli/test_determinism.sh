#!/bin/sh
# SPDX-License-Identifier: MIT
# test_determinism.sh FNPROP - output is byte-identical for any -j and any
# order of the compile database's entries (facts are stored in any order;
# the graph sorts everything by stable keys): exports, diagnostics and the
# dump of every stage.
. "$(dirname "$0")/common"

proj=$TMP/proj
"$ROOT/bench/gen-project.sh" "$proj" 30 7 >/dev/null || exit 2
cdb=$proj/compile_commands.json
cp "$cdb" "$TMP/orig.json"

run() { # label, -j value: export + dump + diagnostics into $TMP/label.*
	rm -f "$proj/fnprop.db" "$proj/fnprop.db-wal" "$proj/fnprop.db-shm"
	(cd "$proj" && "$FNPROP" export -p . -j "$2" --format=jsonl) >"$TMP/$1.jsonl" 2>/dev/null ||
		fail "$1: export exited with $?"
	(cd "$proj" && "$FNPROP" -p . --dump=verdicts) >"$TMP/$1.dump" 2>"$TMP/$1.err" ||
		fail "$1: --dump=verdicts exited with $?: $(head -3 "$TMP/$1.err")"
	for stage in facts graph sccs; do
		(cd "$proj" && "$FNPROP" -p . --dump=$stage) >"$TMP/$1.$stage" 2>"$TMP/$1.err" ||
			fail "$1: --dump=$stage exited with $?: $(head -3 "$TMP/$1.err")"
	done
	# the generated project has warnings only: exit 0 (1 would mean errors)
	(cd "$proj" && "$FNPROP" -p . --checks='*' --format=json) >"$TMP/$1.json" 2>"$TMP/$1.err"
	rc=$?
	[ "$rc" = 0 ] || fail "$1: --format=json exited with $rc, want 0: $(head -3 "$TMP/$1.err")"
	sqlite3 "$proj/fnprop.db" "select * from icall order by 1,2,3,4" >"$TMP/$1.icall" ||
		fail "$1: sqlite3 query of the icall table failed"
	[ -s "$TMP/$1.dump" ] && [ -s "$TMP/$1.json" ] || fail "$1: empty dump or JSON output"
}

run j1 1
run j2 2
# Reverse the entries (one per line after the opening bracket).
{
	echo '['
	grep '^{' "$TMP/orig.json" | sed 's/,$//' | awk '{ a[NR] = $0 } END { for (i = NR; i >= 1; i--) print a[i] (i > 1 ? "," : "") }'
	echo ']'
} >"$cdb"
run reversed 2
cp "$TMP/orig.json" "$cdb"

[ -s "$TMP/j1.jsonl" ] || fail "empty export"
grep -q '^sccs: ' "$TMP/j1.sccs" || fail "no components in --dump=sccs: $(head -3 "$TMP/j1.sccs")"
for f in jsonl dump facts graph sccs json icall; do
	cmp -s "$TMP/j1.$f" "$TMP/j2.$f" || fail "-j1 and -j2 differ ($f): $(diff "$TMP/j1.$f" "$TMP/j2.$f" | head -5)"
	cmp -s "$TMP/j1.$f" "$TMP/reversed.$f" || fail "database order changes the output ($f): $(diff "$TMP/j1.$f" "$TMP/reversed.$f" | head -5)"
done
finish
