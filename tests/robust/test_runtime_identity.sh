#!/bin/sh
# SPDX-License-Identifier: MIT
# test_runtime_identity.sh FNPROP - the runtime shim end to end, with a
# table from `fnprop export --format=c` and programs built with $CC:
#  - the analyzed file compiled through a symlinked directory: its proven
#    entry migrates (the registration's canonical path is the real one);
#  - a file of the same name from another, unanalyzed checkout, compiled
#    with a relative path, linked against the same table: its entry never
#    migrates, and the program says that nothing matched it;
#  - a plugin with 50 entries loaded and unloaded 300 times keeps memory
#    bounded (the runtime suite test_reload, run from here too).
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

RT=$(cd "$BDIR/.." && pwd -P)/runtime-shim # the shim of the fnprop under test
[ -f "$RT/fnprop_rt.h" ] || RT=$ROOT/runtime-shim
LIB=$BDIR/libfnprop_rt.a
san=${SAN:+-fsanitize=$SAN} # a sanitizer build's library needs its runtime
[ -f "$LIB" ] || { fail "$LIB missing (make runtime)"; finish; }
P=$TMP/proj
mkdir -p "$P"
cat >"$P/tasks.c" <<'C'
#include "fnprop_rt.h"
const void *entry(void);
static volatile int sink;
static void clean_task(void *a) { sink = a != 0; }
FNPROP_RT_ENTRY(clean_task);
const void *entry(void) { return (const void *)clean_task; }
C
cat >"$P/main.c" <<'C'
#include <stdio.h>
#include "fnprop_rt.h"
const void *entry(void);
int main(void) {
  int st = FNPROP_RT_INIT();
  printf("status=%d migrate=%d why=%s\n", st, fnprop_rt_may_migrate(entry()),
         fnprop_rt_reason_name(fnprop_rt_why(entry())));
  return 0;
}
C
entry "$P" tasks.c "-I$RT"
expect 0 "" "$P" export -p "$P" --db "$P/fnprop.db" --format=c
cp "$TMP/out" "$P/verdicts.c"
expect 0 "" "$P" hash -p "$P" --db "$P/fnprop.db"
hash=$(cat "$TMP/out")

# The analyzed file, built through a symlink to its directory.
ln -s "$P" "$TMP/link"
"$CC" -std=c11 $san -I"$RT" -DFNPROP_RT_SOURCES_HASH="\"$hash\"" -o "$TMP/via-link" \
	"$TMP/link/main.c" "$TMP/link/tasks.c" "$P/verdicts.c" "$LIB" -pthread 2>"$TMP/cc.err" ||
	fail "building through the symlink: $(head -c 300 "$TMP/cc.err")"
out=$("$TMP/via-link" 2>&1)
case $out in *"status=0 migrate=1 why=migrate"*) ;;
*) fail "the analyzed file built through a symlinked directory does not migrate: $out" ;; esac

# Another checkout's tasks.c (not analyzed; it could do anything), relative.
Q=$TMP/other/checkout
mkdir -p "$Q"
sed 's/sink = a != 0;/static _Thread_local int t; sink = ++t;/' "$P/tasks.c" >"$Q/tasks.c"
cp "$P/main.c" "$Q/main.c"
(cd "$Q" && "$CC" -std=c11 $san -I"$RT" -DFNPROP_RT_SOURCES_HASH="\"$hash\"" -o "$TMP/other-checkout" \
	main.c tasks.c "$P/verdicts.c" "$LIB" -pthread) 2>"$TMP/cc.err" ||
	fail "building the other checkout: $(head -c 300 "$TMP/cc.err")"
out=$("$TMP/other-checkout" 2>&1)
case $out in *"migrate=1"*) fail "an unanalyzed checkout's entry migrates on the analyzed one's verdict: $out" ;; esac
case $out in *"[fnprop-rt-nomatch]"*"why=no-identity"*) ;;
*) fail "an entry that matches nothing is not reported: $out" ;; esac

# Reloading a plugin keeps memory bounded; registrations by canonical file.
for t in test_reload test_identity; do
	if [ -x "$BDIR/rt-tests/$t" ]; then
		"$BDIR/rt-tests/$t" >"$TMP/rt.out" 2>&1 || fail "$t: $(tail -3 "$TMP/rt.out")"
	else
		fail "$BDIR/rt-tests/$t missing (make runtime-tests)"
	fi
done
finish
