#!/bin/sh
# SPDX-License-Identifier: MIT
# test_setup.sh FNPROP - where fnprop finds its settings and keeps its
# database in the layouts real projects have: an out-of-tree build
# directory (the source tree's .fnprop applies, found from the sources'
# directories as clang-tidy finds .clang-tidy, and the summary names it),
# and a compile_commands.json symlinked into the source tree (the database
# goes next to the real compile database, never into the repository).
. "$(dirname "$0")/common"

src=$TMP/repo
out=$TMP/out/build
mkdir -p "$src/lib" "$out"
cat >"$src/lib/e.c" <<'C'
#include <errno.h>
int clear(void) { errno = 0; return 0; }
C
cat >"$src/main.c" <<'C'
int clear(void);
int main(void) { return clear(); }
C
printf '[{"directory":"%s","file":"%s/lib/e.c","arguments":["clang","-std=c11","-c","lib/e.c"]},
 {"directory":"%s","file":"%s/main.c","arguments":["clang","-std=c11","-c","main.c"]}]\n' \
	"$src" "$src" "$src" "$src" >"$out/compile_commands.json"
printf 'errno: ignore\n' >"$src/.fnprop"

verdict() { # name [fnprop args...]
	name=$1
	shift
	"$FNPROP" -p "$out" --dump=verdicts "$@" 2>"$TMP/err" | grep ": $name " | sed 's/^[^ ]* [^ ]* //; s/ migrate=[a-z]*$//'
}

# Out of tree: the build directory has no .fnprop above it; the sources do.
[ "$(verdict clear)" = "tls=proven panic=proven" ] ||
	fail "out-of-tree build: the source tree's .fnprop is ignored: clear is '$(verdict clear)' $(cat "$TMP/err")"
# The hook names files, CI does not: both read the same settings.
[ "$(verdict main "$src/main.c")" = "tls=proven panic=proven" ] || fail "with a file argument: main is '$(verdict main "$src/main.c")'"
# The summary says which configuration file was used.
"$FNPROP" -p "$out" >/dev/null 2>"$TMP/err"
grep -q "^configuration: $src/.fnprop\$" "$TMP/err" || fail "the summary does not name the configuration: $(cat "$TMP/err")"
"$FNPROP" -p "$out" "$src/main.c" >/dev/null 2>"$TMP/err"
grep -q "^configuration: $src/.fnprop\$" "$TMP/err" || fail "with a file argument: $(cat "$TMP/err")"
# Sources in directories with different .fnprop files: one is used, the
# summary names it and says the other one is not.
printf 'errno: tls\n' >"$src/lib/.fnprop"
"$FNPROP" -p "$out" >/dev/null 2>"$TMP/err"
grep -q "^configuration: $src/.fnprop\$" "$TMP/err" || fail "two .fnprop files: $(cat "$TMP/err")"
grep -q "$src/lib/.fnprop.* not used" "$TMP/err" || fail "the unused .fnprop is not named: $(cat "$TMP/err")"
rm "$src/lib/.fnprop"
rm "$src/.fnprop"
"$FNPROP" -p "$out" >/dev/null 2>"$TMP/err"
grep -q "^configuration: none" "$TMP/err" || fail "no .fnprop: $(cat "$TMP/err")"

# A compile_commands.json symlinked to the top of the repository (for
# clang-tidy and editors): the database lives next to the real one.
rm -f "$out/fnprop.db"
ln -s "$out/compile_commands.json" "$src/compile_commands.json"
(cd "$src" && "$FNPROP" --quiet main.c) >/dev/null 2>"$TMP/err"
[ -e "$src/fnprop.db" ] && fail "the database was created in the source tree"
[ -f "$out/fnprop.db" ] || fail "no database next to the real compile database: $(cat "$TMP/err")"
"$FNPROP" -p "$src" --quiet >/dev/null 2>"$TMP/err"
[ -e "$src/fnprop.db" ] && fail "-p SRC created the database in the source tree"
# ... and the two ways of naming the build share that one database
"$FNPROP" -p "$out" --quiet >/dev/null 2>"$TMP/err" || [ $? = 1 ] || fail "-p OUT after -p SRC: $(cat "$TMP/err")"
finish
