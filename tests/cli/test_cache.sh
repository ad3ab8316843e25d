#!/bin/sh
# SPDX-License-Identifier: MIT
# test_cache.sh FNPROP - the per-TU fact cache: what is re-parsed after each
# kind of change, and that warm results equal a cold run's.
. "$(dirname "$0")/common"

src=$TMP/src
mkdir -p "$src/inc"
cat >"$src/inc/shared.h" <<'H'
static inline int twice(int x) { return 2 * x; }
H
cat >"$src/a.c" <<'C'
#include "shared.h"
int a(int x) { return twice(x); }
C
cat >"$src/b.c" <<'C'
#include "shared.h"
int b_fn(int x) { return twice(x) + 1; }
C
cat >"$src/c.c" <<'C'
int c_fn(void) { return 3; }
C
entry() { printf '{"directory":"%s","file":"%s","arguments":["clang","-Iinc",%s"%s"]}' "$src" "$1" "$2" "$1"; }
write_db() { # extra flags for c.c, then the list of files
	flags=$1
	shift
	{
		printf '['
		sep=
		for f in "$@"; do
			if [ "$f" = c.c ]; then e=$(entry c.c "$flags"); else e=$(entry "$f" ""); fi
			printf '%s%s' "$sep" "$e"
			sep=,
		done
		printf ']\n'
	} >"$src/compile_commands.json"
}
write_db "" a.c b.c c.c

counts() { # prints "parsed cached" of a run
	"$FNPROP" -p "$src" --db "$TMP/db" >"$TMP/diag" 2>"$TMP/out" || { fail "run exited with $?: $(cat "$TMP/err")"; return; }
	sed -n 's/.*; \([0-9]*\) parsed, \([0-9]*\) from cache.*/\1 \2/p' "$TMP/out"
}
expect() { # label, want "parsed cached"
	got=$(counts)
	[ "$got" = "$2" ] || fail "$1: expected parsed/cached '$2', got '$got'"
}
cold_equal() { # label: the warm database's dump equals a cold run's
	(cd "$src" && "$FNPROP" -p "$src" --db "$TMP/db" --dump=verdicts) >"$TMP/warm" 2>/dev/null
	rm -f "$TMP/cold"*
	(cd "$src" && "$FNPROP" -p "$src" --db "$TMP/cold" --dump=verdicts) >"$TMP/colddump" 2>/dev/null
	cmp -s "$TMP/warm" "$TMP/colddump" || fail "$1: warm results differ from a cold run: $(diff "$TMP/warm" "$TMP/colddump")"
}

expect "cold run" "3 0"
expect "nothing changed" "0 3"
cold_equal "nothing changed"

printf 'int c_fn(void) { return 4; }\n' >"$src/c.c"
expect "one .c changed" "1 2"
cold_equal "one .c changed"

# Same size, new content, and the mtime set back: the stat triple differs
# only by mtime, the content hash decides.
printf 'int c_fn(void) { return 5; }\n' >"$src/c.c"
expect "same-size edit" "1 2"

touch "$src/a.c"
expect "touched, content unchanged" "0 3"

printf 'static inline int twice(int x) { extern void abort(void); if (x < 0) abort(); return 2 * x; }\n' >"$src/inc/shared.h"
expect "header changed: exactly its includers" "2 1"
(cd "$src" && "$FNPROP" -p "$src" --db "$TMP/db" --dump=verdicts) | grep -q 'a tls=proven panic=violated' ||
	fail "header change not reflected in a's verdict"
cold_equal "header changed"

write_db "\"-DX=1\"," a.c b.c c.c
expect "flags of c.c changed" "1 2"

write_db "\"-DX=1\"," a.c b.c
expect "TU removed" "0 2"
n=$(sqlite3 "$TMP/db" "select count(*) from tu")
[ "$n" = 2 ] || fail "removed TU still in the database ($n TUs)"
(cd "$src" && "$FNPROP" -p "$src" --db "$TMP/db" --dump=verdicts) | grep -q c_fn && fail "removed TU's function still reported"
cold_equal "TU removed"

# A different tool version changes every TU's key: simulate by rewriting
# the stored keys.
sqlite3 "$TMP/db" "update tu set flags_hash = 'old-version-' || flags_hash"
expect "tool version changed" "2 0"
n=$(sqlite3 "$TMP/db" "select count(*) from tu")
[ "$n" = 2 ] || fail "stale TUs of the old version kept ($n TUs)"

rm "$src/b.c"
"$FNPROP" -p "$src" --db "$TMP/db" >"$TMP/out" 2>&1
st=$?
[ $st = 1 ] || fail "a deleted source file: exit status $st, expected 1"
grep -q "b.c:1:1: error: source file does not exist" "$TMP/out" || fail "a deleted source file is not reported: $(cat "$TMP/out")"
finish
