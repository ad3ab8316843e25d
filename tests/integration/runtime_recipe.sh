#!/bin/sh
# SPDX-License-Identifier: MIT
# runtime_recipe.sh FNPROP - docs/runtime.md's Make + bear recipe, taken
# from the document as written (the block after `<!-- snippet: make-recipe
# -->`), run from a clean tree on a two-file task program against the
# runtime library installed into a scratch prefix:
#  - the first build succeeds and the program's table is not stale: init
#    says FNPROP_RT_OK, the shim logs nothing, the clean task migrates and
#    the thread-local one is pinned;
#  - a make with nothing changed rebuilds nothing;
#  - an edit of a source (a task starts using thread-local state), then of a
#    flag in the Makefile (which turns that use off again): each rebuild
#    changes the hash, the table carries the new hash and the new verdict,
#    and the program is still not stale;
#  - a compile database that also lists verdicts.c (a user's bear over the
#    whole build) changes neither the hash nor the table.
# Tools come from the Makefile's variables ($BEAR, $CC); fnprop and the
# runtime from the scratch install.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
need BEAR bear
need pkg-config pkg-config
need make make

P=$TMP/prefix
make --no-print-directory -s -C "$ROOT" BUILD="$BUILD" install PREFIX="$P" >"$TMP/install.out" 2>&1 ||
	{ fail "make install PREFIX=$P: $(tail -20 "$TMP/install.out")"; finish; }
# Under `make asan` the installed library is instrumented: so is the program.
san=${SAN:+-fsanitize=$SAN}

# ---- the recipe, as the document writes it
W=$TMP/app
mkdir -p "$W"
awk '/^<!-- snippet: make-recipe -->$/ { want = 1; next }
     want && /^```make$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$ROOT/docs/runtime.md" >"$W/Makefile"
grep -q '^build/fnprop.hash:' "$W/Makefile" && grep -q '^verdicts.c:' "$W/Makefile" ||
	{ fail "no make-recipe snippet in docs/runtime.md: $(head -5 "$W/Makefile")"; finish; }
grep -q "$(printf '^\t')" "$W/Makefile" || fail "the snippet's recipes are not indented with tabs"

cat >"$W/jobs.h" <<'C'
#include <fnprop.h>
void clean_task(void *arg) FNPROP_TASK;
void tls_task(void *arg) FNPROP_TASK;
C
cat >"$W/jobs.c" <<'C'
#include <fnprop_rt.h>
#include "jobs.h"

static _Thread_local int seen;
void clean_task(void *arg) { *(int *)arg += 1; }
void tls_task(void *arg) { seen += *(int *)arg; }
FNPROP_RT_ENTRY(clean_task);
FNPROP_RT_ENTRY(tls_task);
C
cat >"$W/main.c" <<'C'
#include <fnprop_rt.h>
#include <stdio.h>
#include "jobs.h"

int main(void)
{
    int x = 1;
    int rc = FNPROP_RT_INIT();
    clean_task(&x);
    tls_task(&x);
    printf("init=%s clean=%d tls=%d\n", rc == FNPROP_RT_OK ? "ok" : rc == FNPROP_RT_STALE ? "stale" : "other",
           fnprop_rt_may_migrate_fn((fnprop_rt_fn)clean_task), fnprop_rt_may_migrate_fn((fnprop_rt_fn)tls_task));
    return 0;
}
C

# build STEP: make in the program's directory; its output in $TMP/STEP.make
build() {
	(
		cd "$W" || exit 2
		PKG_CONFIG_PATH="$P/lib/pkgconfig" make --no-print-directory FNPROP="$P/bin/fnprop" BEAR="$BEAR" \
			CC="$CC${san:+ $san}"
	) >"$TMP/$1.make" 2>&1
}
# runs STEP WANT: the program says WANT on stdout and the shim logs nothing
runs() {
	LD_LIBRARY_PATH="$P/lib" "$W/app" >"$TMP/$1.out" 2>"$TMP/$1.err" ||
		fail "$1: the program fails: $(cat "$TMP/$1.err")"
	[ "$(cat "$TMP/$1.out")" = "$2" ] || fail "$1: the program says '$(cat "$TMP/$1.out")', want '$2'"
	[ -s "$TMP/$1.err" ] && fail "$1: the shim logs: $(cat "$TMP/$1.err")"
	# the table compiled in carries the hash the objects were compiled with
	grep -q "\"$(cat "$W/build/fnprop.hash")\"" "$W/verdicts.c" ||
		fail "$1: verdicts.c does not carry build/fnprop.hash ($(cat "$W/build/fnprop.hash"))"
}

# ---- from clean
build first || { fail "first build from a clean tree: $(tail -20 "$TMP/first.make")"; finish; }
[ -f "$W/build/compile_commands.json" ] || fail "bear wrote no compile database"
grep -q 'jobs\.c' "$W/build/compile_commands.json" && grep -q 'main\.c' "$W/build/compile_commands.json" ||
	fail "the compile database misses a source: $(cat "$W/build/compile_commands.json")"
runs first "init=ok clean=1 tls=0"
h1=$(cat "$W/build/fnprop.hash")

# ---- nothing changed: nothing rebuilt
cp -p "$W/app" "$TMP/app.before"
build again || fail "make with nothing changed: $(tail -20 "$TMP/again.make")"
[ "$W/app" -nt "$TMP/app.before" ] && fail "make with nothing changed rebuilt the program: $(cat "$TMP/again.make")"
grep -q ' -c ' "$TMP/again.make" && fail "make with nothing changed compiled: $(cat "$TMP/again.make")"
runs again "init=ok clean=1 tls=0"

# ---- a source changes: clean_task now counts in thread-local state
sed -i 's|^void clean_task(void \*arg) { \*(int \*)arg += 1; }$|void clean_task(void *arg) {\
#ifndef NO_TLS_COUNT\
  seen++;\
#endif\
  *(int *)arg += 1;\
}|' "$W/jobs.c"
grep -q 'seen++' "$W/jobs.c" || fail "the source edit did not apply"
build edit || fail "rebuild after a source edit: $(tail -20 "$TMP/edit.make")"
h2=$(cat "$W/build/fnprop.hash")
[ "$h2" != "$h1" ] || fail "a source edit left the hash at $h1"
runs edit "init=ok clean=0 tls=0"

# ---- a flag changes: -DNO_TLS_COUNT makes clean_task clean again
printf 'CFLAGS += -DNO_TLS_COUNT\n' >>"$W/Makefile"
build flag || fail "rebuild after a flag change: $(tail -20 "$TMP/flag.make")"
grep -q 'NO_TLS_COUNT' "$W/build/compile_commands.json" || fail "the compile database misses the new flag"
h3=$(cat "$W/build/fnprop.hash")
[ "$h3" != "$h2" ] && [ "$h3" != "$h1" ] || fail "a flag change left the hash at $h3"
runs flag "init=ok clean=1 tls=0"

# ---- verdicts.c in the compile database changes nothing
(cd "$W" && "$BEAR" --append --output build/compile_commands.json -- \
	$CC -std=c11 -I"$P/include" -c verdicts.c -o "$TMP/v.o") >"$TMP/bear.out" 2>&1 ||
	fail "bear --append verdicts.c: $(cat "$TMP/bear.out")"
grep -q 'verdicts\.c' "$W/build/compile_commands.json" || fail "bear did not record verdicts.c"
cp "$W/verdicts.c" "$TMP/verdicts.before"
build table || fail "rebuild with verdicts.c in the compile database: $(tail -20 "$TMP/table.make")"
[ "$(cat "$W/build/fnprop.hash")" = "$h3" ] ||
	fail "verdicts.c in the compile database changed the hash ($h3, now $(cat "$W/build/fnprop.hash"))"
cmp -s "$TMP/verdicts.before" "$W/verdicts.c" || fail "verdicts.c in the compile database changed the table"
runs table "init=ok clean=1 tls=0"
(cd "$W" && "$P/bin/fnprop" -p build) >"$TMP/check.out" 2>&1
grep -q 'not analyzed.*1 generated verdict table' "$TMP/check.out" ||
	fail "the summary does not say the table is not analyzed: $(cat "$TMP/check.out")"

finish
