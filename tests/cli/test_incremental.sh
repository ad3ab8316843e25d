#!/bin/sh
# SPDX-License-Identifier: MIT
# test_incremental.sh FNPROP - every command brings the database up to date
# first: after an edit, the check run, export and explain all see the new
# code, and an unchanged re-run gives the same answers.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

# Work on a copy: the fixture itself is never modified.
cp -R "$FIXTURES/panic-abort-two-down" "$TMP/case"
compdb "$TMP/case" "$TMP/build"
db=$TMP/fnprop.db

dump() { (cd "$TMP/case" && "$FNPROP" -p "$TMP/build" --db "$db" --dump=verdicts) 2>"$TMP/err" | sed 's/ migrate=[a-z]*$//'; }
verdict() { grep ": $1 " "$TMP/$2" | sed 's/^[^ ]* [^ ]* //'; }

dump >"$TMP/d1" || fail "first run exited with $?"
[ "$(verdict outer d1)" = "tls=proven panic=violated" ] || fail "before the edit: outer is '$(verdict outer d1)'"
dump >"$TMP/d2" || fail "unchanged re-run exited with $?"
cmp -s "$TMP/d1" "$TMP/d2" || fail "an unchanged re-run changed the dump"

# Remove the abort() call: outer, middle and inner become proven.
sed 's/abort();/(void)code;/' "$TMP/case/abort.c" >"$TMP/abort.c.new" &&
	mv "$TMP/abort.c.new" "$TMP/case/abort.c"
grep -q 'abort();' "$TMP/case/abort.c" && fail "test setup: abort() still in the copy"
# export is the first command after the edit: it must refresh the database.
(cd "$TMP/case" && "$FNPROP" export -p "$TMP/build" --db "$db" --format=jsonl) >"$TMP/export" 2>"$TMP/err" ||
	fail "export after the edit exited with $?"
grep '"name"[[:space:]]*:[[:space:]]*"outer"' "$TMP/export" | grep -q '"panic"[[:space:]]*:[[:space:]]*"proven"' ||
	fail "export after the edit still has outer not proven: $(grep '"outer"' "$TMP/export")"
dump >"$TMP/d3" || fail "run after the edit exited with $?"
for f in inner middle outer; do
	[ "$(verdict $f d3)" = "tls=proven panic=proven" ] || fail "after the edit: $f is '$(verdict $f d3)'"
done

# Put a thread-local in instead: explain must show the new path.
cat >>"$TMP/case/abort.c" <<'C'

_Thread_local int late_tls;
int late(void) { return late_tls + outer(1); }
C
(cd "$TMP/case" && "$FNPROP" explain -p "$TMP/build" --db "$db" late) >"$TMP/explain" 2>&1
grep -q late_tls "$TMP/explain" || fail "explain after the second edit does not show late_tls:
$(cat "$TMP/explain")"

finish
