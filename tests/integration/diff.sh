#!/bin/sh
# SPDX-License-Identifier: MIT
# diff.sh FNPROP - `fnprop diff OLD.db NEW.db` on two analyses of one small
# API: lost (proven -> violated, proven -> unknown), gained, unchanged,
# removed and added functions, --only-annotated, --strict, --format=json,
# deterministic output, databases left untouched, and missing / foreign /
# schema-mismatched databases refused with exit status 2 and a message.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

src=$TMP/src
mkdir -p "$src"
# version NAME [WILL_PANIC] [WILL_GAIN] [CONTRACT] [GOES_AWAY] [APPEARS]:
# api.c with the given bodies, analyzed into $TMP/NAME.db.
version() {
	db=$TMP/$1.db
	cat >"$src/api.c" <<C
#include <fnprop.h>
#include <stdlib.h>
int ext_unknown(int x);          /* no body in the program: unknown */
static _Thread_local int counter;
int stays(int x) { return x + 1; }
int will_panic(int x) { ${2:-return x * 2;} }
int will_gain(int x) { ${3:-return ext_unknown(x);} }
int contract(int x) FNPROP_NOTLS;
int contract(int x) { ${4:-return x - 1;} }
${5-int goes_away(void) { return 0; \}}
${6-}
static int internal(int x) { ${7:-return x;} }
int use_counter(void) { return counter; }
C
	mkcdb "$TMP/build" "$src" api.c
	"$FNPROP" -p "$TMP/build" --db "$db" --quiet >"$TMP/analyze.out" 2>&1
	rc=$?
	[ "$rc" -le 1 ] || fail "analysis of version $1 failed with $rc: $(head -c 400 "$TMP/analyze.out")"
}

version v1
version v2 'if (x < 0) abort(); return x * 2;' 'return x;' 'return x - 1 + counter;' '' \
	'int appears(void) { return 1; }' 'if (x) abort(); return x;'
version v3 'if (x < 0) abort(); return x * 2;'
version v4 '' '' '' ''
cd "$src" || exit 2

# ---- identical databases: nothing to say, exit 0
status "$FNPROP" diff "$TMP/v1.db" "$TMP/v1.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 0 ] || fail "identical databases: exit $rc, want 0"
[ -s "$TMP/out" ] && fail "identical databases printed: $(cat "$TMP/out")"
grep -q '0 lost, 0 gained, 0 removed, 0 added, 6 unchanged; 0 breaking' "$TMP/err" ||
	fail "identical databases summary: $(cat "$TMP/err")"

# ---- v1 -> v2: every kind of change
sums_before=$(cksum "$TMP/v1.db" "$TMP/v2.db")
status "$FNPROP" diff "$TMP/v1.db" "$TMP/v2.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "v1 -> v2: exit $rc, want 1 (a property was lost); stderr: $(cat "$TMP/err")"
got=$(sed 's/^\(api\.c\):[0-9]*:[0-9]*:/\1:/; s/ at [^ ]*stdlib\.h:[0-9]*:[0-9]*:/ at stdlib.h:/' "$TMP/out")
want="api.c: lost panic: 'will_panic' proven -> violated
    will_panic at api.c:6:36: calls 'abort'
    abort at stdlib.h: 'abort' ends the program or abandons its caller [built-in]
api.c: gained tls: 'will_gain' unknown -> proven
api.c: gained panic: 'will_gain' unknown -> proven
api.c: lost tls: 'contract' proven -> violated
    contract at api.c:9:38: uses thread-local variable 'counter'
api.c: removed: 'goes_away' (tls proven, panic proven)
api.c: added: 'appears' (tls proven, panic proven)"
[ "$got" = "$want" ] || fail "v1 -> v2 output:
--- want
$want
--- got
$got"
grep -q '^api\.c:6:5: lost panic' "$TMP/out" || fail "the loss is not located at the function's name (api.c:6:5)"
grep -q '2 lost, 2 gained, 1 removed, 1 added, 2 unchanged; 2 breaking' "$TMP/err" ||
	fail "v1 -> v2 summary: $(cat "$TMP/err")"
# static functions are nobody's API: internal()'s new abort is not listed
grep -q internal "$TMP/out" && fail "an internal-linkage function was compared"
# deterministic, and both databases untouched
"$FNPROP" diff "$TMP/v1.db" "$TMP/v2.db" >"$TMP/out2" 2>/dev/null
cmp -s "$TMP/out" "$TMP/out2" || fail "two runs printed different output"
[ "$(cksum "$TMP/v1.db" "$TMP/v2.db")" = "$sums_before" ] || fail "diff modified a database"

# ---- v2 -> v1: losses become gains and gains losses (proven -> unknown is a loss)
status "$FNPROP" diff "$TMP/v2.db" "$TMP/v1.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "v2 -> v1: exit $rc, want 1 (will_gain proven -> unknown)"
grep -q "lost tls: 'will_gain' proven -> unknown" "$TMP/out" || fail "v2 -> v1: no tls loss of will_gain: $(cat "$TMP/out")"
grep -q "    will_gain at api.c:7:31: calls 'ext_unknown'" "$TMP/out" &&
	grep -q "    ext_unknown at api.c:3:5: 'ext_unknown' has no body in the program and no model" "$TMP/out" ||
	fail "v2 -> v1: witness of the unknown: $(cat "$TMP/out")"
grep -q "gained tls: 'contract' violated -> proven" "$TMP/out" || fail "v2 -> v1: no gain of contract"
grep -q "removed: 'appears'" "$TMP/out" || fail "v2 -> v1: appears not removed"
grep -q "added: 'goes_away'" "$TMP/out" || fail "v2 -> v1: goes_away not added"

# ---- --only-annotated: only losses on FNPROP_NOTLS / FNPROP_NOPANIC functions break
status "$FNPROP" diff --only-annotated "$TMP/v2.db" "$TMP/v1.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 0 ] || fail "--only-annotated v2 -> v1: exit $rc, want 0 (will_gain has no contract)"
grep -q "lost tls: 'will_gain' proven -> unknown (no FNPROP_NOTLS contract)" "$TMP/out" ||
	fail "--only-annotated does not say the loss is outside a contract: $(cat "$TMP/out")"
status "$FNPROP" diff --only-annotated "$TMP/v1.db" "$TMP/v3.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 0 ] || fail "--only-annotated v1 -> v3: exit $rc, want 0 (will_panic has no contract)"
status "$FNPROP" diff "$TMP/v1.db" "$TMP/v3.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "v1 -> v3: exit $rc, want 1"
status "$FNPROP" diff --only-annotated "$TMP/v1.db" "$TMP/v2.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "--only-annotated v1 -> v2: exit $rc, want 1 (contract lost tls)"

# ---- removals: reported, breaking only with --strict
status "$FNPROP" diff "$TMP/v1.db" "$TMP/v4.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 0 ] || fail "v1 -> v4 (a removal only): exit $rc, want 0"
grep -q "removed: 'goes_away'" "$TMP/out" || fail "v1 -> v4: removal not reported: $(cat "$TMP/out")"
status "$FNPROP" diff --strict "$TMP/v1.db" "$TMP/v4.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "--strict v1 -> v4: exit $rc, want 1"

# ---- JSON
status "$FNPROP" diff --format=json "$TMP/v1.db" "$TMP/v2.db" >"$TMP/json" 2>"$TMP/err"
[ "$rc" = 1 ] || fail "--format=json v1 -> v2: exit $rc, want 1"
python3 - "$TMP/json" <<'PY' || fail "JSON output: $(cat "$TMP/json")"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert (s["lost"], s["gained"], s["removed"], s["added"], s["unchanged"], s["breaking"]) == (2, 2, 1, 1, 2, 2), s
lost = {c["name"]: c for c in d["changes"] if c["change"] == "lost"}
c = lost["contract"]
assert c["property"] == "tls" and c["old"] == "proven" and c["new"] == "violated", c
assert c["breaking"] is True and c["contract"] is True and c["usr"] == "c:@F@contract", c
w = c["witness"][-1]
assert w["effect"] == "tls-var" and w["detail"] == "counter" and w["line"] == 9, w
wp = lost["will_panic"]
assert wp["contract"] is False and wp["witness"][0]["calls"] == "abort", wp
assert wp["witness"][-1]["effect"] == "panic-call" and wp["witness"][-1]["detail"] == "abort", wp
kinds = sorted(c["change"] for c in d["changes"])
assert kinds == ["added", "gained", "gained", "lost", "lost", "removed"], kinds
added = [c for c in d["changes"] if c["change"] == "added"][0]
assert added["name"] == "appears" and added["tls"] == "proven" and added["panic"] == "proven", added
PY

# ---- unusable databases: exit 2 with a message naming the file
expect_refused() { # WHAT PATTERN OLD NEW
	status "$FNPROP" diff "$3" "$4" >"$TMP/out" 2>"$TMP/err"
	[ "$rc" = 2 ] || fail "$1: exit $rc, want 2"
	grep -q "$2" "$TMP/err" || fail "$1: message does not match '$2': $(cat "$TMP/err")"
}
expect_refused "missing database" "database '$TMP/nope.db' does not exist" "$TMP/nope.db" "$TMP/v1.db"
cp "$TMP/v1.db" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 99" || fail "sqlite3 could not set the version"
expect_refused "newer schema" "schema version 99, newer than this fnprop" "$TMP/v1.db" "$TMP/newer.db"
cp "$TMP/v1.db" "$TMP/older.db"
sqlite3 "$TMP/older.db" "PRAGMA user_version = 0" || fail "sqlite3 could not set the version"
expect_refused "older schema" "written by another fnprop version" "$TMP/older.db" "$TMP/v1.db"
sqlite3 "$TMP/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
expect_refused "foreign SQLite file" "another application" "$TMP/v1.db" "$TMP/foreign.db"
printf 'not a database at all\n' >"$TMP/text.db"
expect_refused "not SQLite" "is not an fnprop database" "$TMP/text.db" "$TMP/v1.db"
status "$FNPROP" diff "$TMP/v1.db" >"$TMP/out" 2>"$TMP/err"
[ "$rc" = 2 ] && grep -q "diff needs two databases" "$TMP/err" || fail "one database: exit $rc: $(cat "$TMP/err")"
status "$FNPROP" diff --format=xml "$TMP/v1.db" "$TMP/v2.db" 2>"$TMP/err" >/dev/null
[ "$rc" = 2 ] || fail "--format=xml: exit $rc, want 2"
status "$FNPROP" diff --help >"$TMP/out" 2>&1
[ "$rc" = 0 ] && grep -q 'only-annotated' "$TMP/out" || fail "diff --help: exit $rc"

finish
