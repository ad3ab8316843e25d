#!/bin/sh
# SPDX-License-Identifier: MIT
# test_db_view.sh FNPROP - analyze a fixture, then open the produced database
# with the sqlite3 shell and query the documented `properties` view.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

need sqlite3 sqlite3

case=$FIXTURES/mutual-recursion
compdb "$case" "$TMP/build"
# No --db: the database must default to fnprop.db in the -p directory.
(cd "$case" && "$FNPROP" -p "$TMP/build") >"$TMP/out" 2>"$TMP/err" ||
	fail "analysis exited with $? (stderr: $(head -c 400 "$TMP/err"))"
db=$TMP/build/fnprop.db
[ -f "$db" ] || { fail "no database at $db (the -p directory's default)"; finish; }

sqlite3 "$db" 'select name, tls, panic from properties order by name' >"$TMP/rows" 2>"$TMP/sqlerr" ||
	fail "query of the properties view failed: $(cat "$TMP/sqlerr")"
cat >"$TMP/want" <<'ROWS'
factorial|proven|proven
is_even|proven|proven
is_odd|proven|proven
parity_label|proven|proven
ping|violated|proven
pong|violated|proven
rally|violated|proven
walk_a|unknown|violated
walk_b|unknown|violated
walk_c|unknown|violated
ROWS
diff -u "$TMP/want" "$TMP/rows" >"$TMP/diff" || fail "properties rows differ:
$(cat "$TMP/diff")"

v=$(sqlite3 "$db" 'PRAGMA user_version')
case $v in
'' | *[!0-9]*) fail "PRAGMA user_version is '$v', not a number" ;;
*) [ "$v" -gt 0 ] || fail "PRAGMA user_version is $v, want > 0" ;;
esac

# Every column of the view is there and sensible.
q() { sqlite3 "$db" "$1" 2>&1; }
n=$(q "select count(*) from properties where usr is null or usr = ''")
[ "$n" = 0 ] || fail "$n rows without a usr"
n=$(q "select count(*) from properties where file not like '/%' or file not like '%/mutual-recursion/%.c'")
[ "$n" = 0 ] || fail "$n rows whose file is not the absolute path of the case's source"
n=$(q "select count(*) from properties where line < 1")
[ "$n" = 0 ] || fail "$n rows with a line < 1"
n=$(q "select count(*) from properties where linkage <> 'external'")
[ "$n" = 0 ] || fail "$n rows whose linkage is not 'external' (all are here)"
n=$(q "select count(*) from properties where (tls <> 'proven' or panic <> 'proven') and coalesce(witness, '') = ''")
[ "$n" = 0 ] || fail "$n non-proven rows without a witness"
n=$(q "select count(*) from properties where tls = 'proven' and panic = 'proven' and coalesce(witness, '') <> ''")
[ "$n" = 0 ] || fail "$n fully proven rows with a witness"
l=$(q "select line from properties where name = 'pong'")
[ "$l" = 6 ] || fail "pong is at line '$l', want 6"

# A second run over the unchanged tree keeps the same answers.
(cd "$case" && "$FNPROP" -p "$TMP/build") >/dev/null 2>&1 || fail "second run exited with $?"
sqlite3 "$db" 'select name, tls, panic from properties order by name' >"$TMP/rows2" 2>&1
cmp -s "$TMP/rows" "$TMP/rows2" || fail "second run changed the properties view"

finish
