#!/bin/sh
# SPDX-License-Identifier: MIT
# test_stale_cache.sh FNPROP - a warm run equals a cold run after every kind
# of change that alters what a translation unit would see without touching a
# file it read: a header created earlier in the include path (also in a new
# subdirectory), a header that makes __has_include true, a retargeted
# symlink (header, source, include directory), a changed CPATH, a header
# inside a clang module.  Each case: analyze (clean), change, then compare
# the warm `--dump=verdicts` with a cold run on a fresh database.  Also: a
# file written next to the sources that no TU looks for (an object file)
# does not cost a parse.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

# warm_equals_cold LABEL DIR [ENV...]: the warm run on DIR/warm.db and a cold
# run on a fresh database print the same verdicts.
warm_equals_cold() {
	_l=$1 _d=$2
	shift 2
	rm -f "$_d"/cold.db*
	(cd "$_d" && env "$@" "$FNPROP" -p "$_d" --db "$_d/warm.db" --quiet --dump=verdicts) >"$TMP/warm" 2>"$TMP/warm.err"
	(cd "$_d" && env "$@" "$FNPROP" -p "$_d" --db "$_d/cold.db" --quiet --dump=verdicts) >"$TMP/cold" 2>"$TMP/cold.err"
	if ! cmp -s "$TMP/warm" "$TMP/cold"; then
		fail "$_l: warm run differs from a cold run: $(diff "$TMP/cold" "$TMP/warm" | head -n 6 | tr '\n' ' ')"
		return 1
	fi
	[ -s "$TMP/cold" ] || fail "$_l: the cold run printed nothing: $(head -c 300 "$TMP/cold.err")"
}

# first_run DIR [ENV...]: the run that fills DIR/warm.db (the cache).
first_run() {
	_d=$1
	shift
	rm -f "$_d"/warm.db*
	(cd "$_d" && env "$@" "$FNPROP" -p "$_d" --db "$_d/warm.db" --quiet --dump=verdicts) >"$TMP/first" 2>&1
	grep -q 'panic=proven' "$TMP/first" || fail "$_d: the first run proves nothing: $(head -c 300 "$TMP/first")"
}

clean_h='static inline int h(int x) { return x; }'
abort_h='void abort(void); static inline int h(int x) { if (x) abort(); return x; }'

# ---- a header created earlier in the -I path --------------------------------
D=$TMP/earlier
mkdir -p "$D/inc1" "$D/inc2" "$D/src"
printf '%s\n' "$clean_h" >"$D/inc2/x.h"
printf '#include <x.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc1 -I inc2
first_run "$D"
printf '%s\n' "$abort_h" >"$D/inc1/x.h"
warm_equals_cold "new header earlier in -I" "$D"
grep -q ' f .*panic=violated' "$TMP/cold" || fail "new header earlier in -I: the cold run does not see it: $(cat "$TMP/cold")"

# ---- the same through a quoted include: the includer's directory comes first
D=$TMP/quoted
mkdir -p "$D/inc" "$D/src"
printf '%s\n' "$clean_h" >"$D/inc/x.h"
printf '#include "x.h"\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc
first_run "$D"
printf '%s\n' "$abort_h" >"$D/src/x.h"
warm_equals_cold "new header next to the includer" "$D"

# ---- in a subdirectory that does not exist yet, and in one that does --------
D=$TMP/subdir
mkdir -p "$D/inc1" "$D/inc2/sys" "$D/src"
printf '%s\n' "$clean_h" >"$D/inc2/sys/x.h"
printf '#include <sys/x.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc1 -I inc2
first_run "$D"
mkdir -p "$D/inc1/sys"
printf '%s\n' "$abort_h" >"$D/inc1/sys/x.h"
warm_equals_cold "new header in a new subdirectory" "$D"
rm -rf "$D/inc1/sys"
mkdir -p "$D/inc1/sys"
first_run "$D"
printf '%s\n' "$abort_h" >"$D/inc1/sys/x.h"
warm_equals_cold "new header in an existing subdirectory" "$D"

# ---- __has_include turns true -------------------------------------------------
D=$TMP/hasinc
mkdir -p "$D/src" "$D/inc"
cat >"$D/src/a.c" <<'C'
void abort(void);
#if __has_include(<debug_hooks.h>)
int f(int x) { if (x) abort(); return x; }
#else
int f(int x) { return x; }
#endif
C
entry "$D" src/a.c -I inc
first_run "$D"
: >"$D/inc/debug_hooks.h"
warm_equals_cold "__has_include turns true" "$D"
grep -q ' f .*panic=violated' "$TMP/cold" || fail "__has_include: the cold run does not see the header: $(cat "$TMP/cold")"
rm "$D/inc/debug_hooks.h"
warm_equals_cold "__has_include turns false again" "$D"

# ---- retargeted symlinks --------------------------------------------------------
D=$TMP/symhdr
mkdir -p "$D/inc" "$D/src"
printf '%s\n' "$clean_h" >"$D/inc/clean.h"
printf '%s\n' "$abort_h" >"$D/inc/abort.h"
ln -s clean.h "$D/inc/x.h"
printf '#include <x.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc
first_run "$D"
ln -sfn abort.h "$D/inc/x.h"
warm_equals_cold "retargeted header symlink" "$D"

D=$TMP/symsrc
mkdir -p "$D/src"
printf 'int f(int x) { return x; }\n' >"$D/src/clean.c"
printf 'void abort(void);\nint f(int x) { if (x) abort(); return x; }\n' >"$D/src/abort.c"
ln -s clean.c "$D/src/a.c"
entry "$D" src/a.c
first_run "$D"
ln -sfn abort.c "$D/src/a.c"
warm_equals_cold "retargeted source symlink" "$D"

D=$TMP/symdir
mkdir -p "$D/v1" "$D/v2" "$D/src"
printf '%s\n' "$clean_h" >"$D/v1/x.h"
printf '%s\n' "$abort_h" >"$D/v2/x.h"
ln -s v1 "$D/inc"
printf '#include <x.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc
first_run "$D"
ln -sfn v2 "$D/inc"
warm_equals_cold "retargeted include directory symlink" "$D"

# ---- the environment: CPATH -----------------------------------------------------
D=$TMP/cpath
mkdir -p "$D/e1" "$D/e2" "$D/src"
printf '%s\n' "$clean_h" >"$D/e1/x.h"
printf '%s\n' "$abort_h" >"$D/e2/x.h"
printf '#include <x.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c
first_run "$D" CPATH="$D/e1"
warm_equals_cold "changed CPATH" "$D" CPATH="$D/e2"
grep -q ' f .*panic=violated' "$TMP/cold" || fail "CPATH: the cold run does not use it: $(cat "$TMP/cold")"
warm_equals_cold "C_INCLUDE_PATH" "$D" C_INCLUDE_PATH="$D/e1"

# ---- a header inside a clang module ----------------------------------------------
D=$TMP/module
mkdir -p "$D/inc" "$D/src" "$D/mcache"
printf '%s\n' "$clean_h" >"$D/inc/m.h"
printf 'module m { header "m.h" export * }\n' >"$D/inc/module.modulemap"
printf '#include <m.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -fmodules -fimplicit-module-maps "-fmodules-cache-path=$D/mcache" -I inc
# ASan's per-thread signal stack clashes with the one LLVM sets on the
# thread that builds a module: under ASan, let LLVM keep its own.
asan_env="ASAN_OPTIONS=use_sigaltstack=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
first_run "$D" "$asan_env"
sleep 1 # a new mtime even on coarse file systems: the module cache compares it
printf '%s\n' "$abort_h" >"$D/inc/m.h"
warm_equals_cold "header inside a clang module" "$D" "$asan_env"
grep -q ' f .*panic=violated' "$TMP/cold" || fail "module: the cold run does not see the header: $(cat "$TMP/cold")"

# ---- -include: cached, and a header it would find earlier is seen ---------------
D=$TMP/forced
mkdir -p "$D/inc1" "$D/inc2"
printf '%s\n' "$clean_h" >"$D/inc2/x.h"
printf 'int f(int x) { return h(x); }\n' >"$D/a.c"
entry "$D" a.c -include x.h -I inc1 -I inc2
first_run "$D"
sleep 1
(cd "$D" && "$FNPROP" -p "$D" --db "$D/warm.db") >"$TMP/out" 2>"$TMP/err"
grep -q '0 parsed, 1 from cache' "$TMP/err" || fail "a TU with -include is not cached: $(cat "$TMP/err")"
printf '%s\n' "$abort_h" >"$D/inc1/x.h"
warm_equals_cold "a header -include finds earlier" "$D"

# ---- a file nobody looks for does not cost a parse ------------------------------
D=$TMP/objfile
mkdir -p "$D/inc" "$D/src"
printf '%s\n' "$clean_h" >"$D/inc/x.h"
printf '#include "x.h"\n#include <stddef.h>\nint f(int x) { return h(x); }\n' >"$D/src/a.c"
entry "$D" src/a.c -I inc
first_run "$D"
sleep 1
: >"$D/src/a.o"
: >"$D/inc/unrelated.txt"
(cd "$D" && "$FNPROP" -p "$D" --db "$D/warm.db") >"$TMP/out" 2>"$TMP/err"
grep -q '0 parsed, 1 from cache' "$TMP/err" || fail "an unrelated new file made the TU parse again: $(cat "$TMP/err")"
(cd "$D" && "$FNPROP" -p "$D" --db "$D/warm.db") >"$TMP/out" 2>"$TMP/err"
grep -q '0 parsed, 1 from cache' "$TMP/err" || fail "second warm run parsed: $(cat "$TMP/err")"

finish
