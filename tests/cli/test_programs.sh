#!/bin/sh
# SPDX-License-Identifier: MIT
# test_programs.sh FNPROP - one compile database building three programs
# that each define `run_function` (and `main`) differently, plus a common
# library linked into all three: with the programs known (.fnprop
# `program` keys, --program=, or the build's link_commands.json) the
# same-named functions stay apart and every call links within its own
# program; without them they are one function (joined, never chosen); a
# database that builds one program gives byte-identical results.
. "$(dirname "$0")/common"

src=$TMP/src
mkdir -p "$src/a" "$src/b" "$src/c" "$src/lib"
cat >"$src/lib/common.c" <<'C'
int run_function(int);
int helper(int x) { return run_function(x) + 1; }
C
cat >"$src/a/main.c" <<'C'
#include <stdlib.h>
int helper(int);
int run_function(int x) { if (x < 0) abort(); return x; }
int main(int argc, char **argv) { (void)argv; return helper(argc); }
C
cat >"$src/b/main.c" <<'C'
int helper(int);
int run_function(int x) { return x * 2; }
int main(int argc, char **argv) { (void)argv; return helper(argc); }
C
cat >"$src/c/main.c" <<'C'
_Thread_local int calls;
int helper(int);
int run_function(int x) { return x + calls++; }
int main(int argc, char **argv) { (void)argv; return helper(argc); }
C
entry() { # DIR FILE OBJECT
	printf '{"directory":"%s","file":"%s","arguments":["cc","-c","%s","-o","%s"]}' "$1" "$2" "$2" "$3"
}
{
	printf '['
	entry "$src" lib/common.c obj/common.o; printf ','
	entry "$src" a/main.c obj/a.o; printf ','
	entry "$src" b/main.c obj/b.o; printf ','
	entry "$src" c/main.c obj/c.o
	printf ']\n'
} >"$src/compile_commands.json"

# V NAME [PROGRAM]: "tls panic" of NAME (in PROGRAM) in $TMP/dump
V() {
	if [ $# -eq 2 ]; then pat=": $1 \\[$2\\] tls="; else pat=": $1 tls="; fi
	grep "$pat" "$TMP/dump" | sed 's/.* tls=\([a-z]*\) panic=\([a-z]*\)$/\1 \2/'
}

# ---- one program (nothing says otherwise): joined, never one definition picked
"$FNPROP" -p "$src" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" || fail "one program: exit $?: $(cat "$TMP/err")"
stage12 "$TMP/dump"
[ "$(grep -c ': run_function ' "$TMP/dump")" = 1 ] || fail "one program: run_function is not one function: $(cat "$TMP/dump")"
[ "$(V run_function)" = "violated violated" ] || fail "one program: run_function $(V run_function), want the join of all three"
grep -q 'programs (from' "$TMP/err" && fail "one program: a programs summary: $(cat "$TMP/err")"
cp "$TMP/dump" "$TMP/dump.one"
"$FNPROP" export -p "$src" >"$TMP/export.one" 2>/dev/null

# ---- .fnprop program keys
cat >"$src/.fnprop" <<'F'
program: alpha = a/*.c, lib/*.c
program: beta = b/*.c, lib/*.c
program: gamma = c/*.c, lib/*.c
F
"$FNPROP" -p "$src" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" || fail "config: exit $?: $(cat "$TMP/err")"
stage12 "$TMP/dump"
[ "$(grep -c ': run_function ' "$TMP/dump")" = 3 ] || fail "config: want three run_function: $(cat "$TMP/dump")"
[ "$(V run_function alpha)" = "proven violated" ] || fail "config: run_function [alpha] $(V run_function alpha)"
[ "$(V run_function beta)" = "proven proven" ] || fail "config: run_function [beta] $(V run_function beta)"
[ "$(V run_function gamma)" = "violated proven" ] || fail "config: run_function [gamma] $(V run_function gamma)"
[ "$(V helper beta)" = "proven proven" ] || fail "config: the library's helper links with beta's run_function only: $(V helper beta)"
[ "$(V helper alpha)" = "proven violated" ] || fail "config: helper [alpha] $(V helper alpha)"
[ "$(V main beta)" = "proven proven" ] || fail "config: main [beta] $(V main beta)"
[ "$(V main gamma)" = "violated proven" ] || fail "config: main [gamma] $(V main gamma)"
"$FNPROP" -p "$src" >/dev/null 2>"$TMP/err"
grep -q '^3 programs (from .fnprop program keys): a call links within its program only$' "$TMP/err" ||
	fail "config: summary: $(cat "$TMP/err")"
"$FNPROP" explain -p "$src" run_function >"$TMP/explain" 2>&1
grep -q 'run_function (external, in program gamma) defined at' "$TMP/explain" || fail "explain names no program: $(cat "$TMP/explain")"
"$FNPROP" export -p "$src" | grep '"name":"run_function"' | grep -q '"program":"alpha"' || fail "export: no \"program\""
rm "$src/.fnprop"

# ---- the command line, with a TU no program names (in every program)
"$FNPROP" -p "$src" --program="alpha=$src/a/*.c" --program="beta=$src/b/*.c" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" ||
	fail "--program: exit $?: $(cat "$TMP/err")"
stage12 "$TMP/dump"
# lib/common.c and c/main.c are in both: gamma's thread-local run_function joins each
[ "$(V helper alpha)" = "violated violated" ] || fail "--program: helper [alpha] $(V helper alpha)"
[ "$(V helper beta)" = "violated proven" ] || fail "--program: helper [beta] $(V helper beta)"
[ "$(V run_function beta)" = "violated proven" ] || fail "--program: run_function [beta] $(V run_function beta)"
grep -q ': run_function \[gamma\]' "$TMP/dump" && fail "--program: a program nobody named"
"$FNPROP" -p "$src" --program="alpha=$src/a/*.c" --program="beta=$src/b/*.c" >/dev/null 2>"$TMP/err"
grep -q '2 translation units no program names are in every program' "$TMP/err" || fail "--program: summary: $(cat "$TMP/err")"

# ---- the build's link steps
cat >"$src/link_commands.json" <<J
[{"directory":"$src","arguments":["ar","rcs","obj/libcommon.a","obj/common.o"]},
 {"directory":"$src","arguments":["cc","-o","bin/alpha","obj/a.o","obj/libcommon.a"]},
 {"directory":"$src","command":"cc -o bin/beta obj/b.o obj/libcommon.a"},
 {"directory":"$src","output":"bin/gamma","arguments":["cc","obj/c.o","-Lobj","-lcommon","obj/common.o"]}]
J
"$FNPROP" -p "$src" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" || fail "links: exit $?: $(cat "$TMP/err")"
stage12 "$TMP/dump"
[ "$(V run_function bin/alpha)" = "proven violated" ] || fail "links: run_function [bin/alpha] $(V run_function bin/alpha)"
[ "$(V helper bin/beta)" = "proven proven" ] || fail "links: helper [bin/beta] $(V helper bin/beta)"
[ "$(V main bin/gamma)" = "violated proven" ] || fail "links: main [bin/gamma] $(V main bin/gamma)"
"$FNPROP" -p "$src" >/dev/null 2>"$TMP/err"
grep -q '^3 programs (from link_commands.json)' "$TMP/err" || fail "links: summary: $(cat "$TMP/err")"

# the inputs hash (what the runtime shim checks) follows the link steps
h1=$("$FNPROP" hash -p "$src" 2>/dev/null)
printf '\n' >>"$src/link_commands.json"
h2=$("$FNPROP" hash -p "$src" 2>/dev/null)
[ -n "$h1" ] && [ "$h1" != "$h2" ] || fail "hash does not change with link_commands.json: '$h1' '$h2'"

# a malformed file is an input error naming it
printf '[{"directory": 1}' >"$src/link_commands.json"
"$FNPROP" -p "$src" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'link_commands.json: .* at byte' "$TMP/err" || fail "bad link_commands.json: exit $rc: $(cat "$TMP/err")"

# ---- a build of one program: the results are those of no program at all
cat >"$src/link_commands.json" <<J
[{"directory":"$src","arguments":["cc","-o","bin/all","obj/common.o","obj/a.o","obj/b.o","obj/c.o"]}]
J
"$FNPROP" -p "$src" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" || fail "one linked program: exit $?"
stage12 "$TMP/dump"
cmp -s "$TMP/dump" "$TMP/dump.one" || fail "one linked program: the dump differs from no programs"
"$FNPROP" export -p "$src" >"$TMP/export.all" 2>/dev/null
cmp -s "$TMP/export.all" "$TMP/export.one" || fail "one linked program: the export differs from no programs"
# ---- stage 3 (migrate) links within its program too: the task of lib/ calls
# alpha's work, which keeps errno live across a yield, and beta's, which
# does not
mp=$TMP/mp
mkdir -p "$mp/lib" "$mp/a" "$mp/b"
printf '#include "fnprop.h"\nint work(void);\nint task(void) FNPROP_TASK;\nint task(void) { return work(); }\n' >"$mp/lib/task.c"
printf '#include <errno.h>\n#include "fnprop.h"\nvoid co_yield(void) FNPROP_YIELD FNPROP_NOTLS FNPROP_NOPANIC;\nint work(void) { errno = 0; co_yield(); return errno; }\n' >"$mp/a/work.c"
printf '#include "fnprop.h"\nvoid co_yield(void) FNPROP_YIELD FNPROP_NOTLS FNPROP_NOPANIC;\nint work(void) { co_yield(); return 1; }\n' >"$mp/b/work.c"
{
	printf '['
	sep=
	for f in lib/task.c a/work.c b/work.c; do
		printf '%s{"directory":"%s","file":"%s","arguments":["cc","-I%s/include","-c","%s"]}' "$sep" "$mp" "$f" "$ROOT" "$f"
		sep=,
	done
	printf ']\n'
} >"$mp/compile_commands.json"
"$FNPROP" -p "$mp" --program="alpha=$mp/a/*.c" --program="beta=$mp/b/*.c" --dump=migrate >"$TMP/dump" 2>"$TMP/err" ||
	fail "migrate: exit $?: $(cat "$TMP/err")"
[ "$(grep -c ': task tls=proven panic=proven migrate=proven$' "$TMP/dump")" = 1 ] &&
	[ "$(grep -c ": task tls=violated panic=proven migrate=violated: calls 'work'" "$TMP/dump")" = 1 ] ||
	fail "migrate: the task is not proven in beta and violated in alpha: $(cat "$TMP/dump")"
finish
