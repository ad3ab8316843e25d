#!/bin/sh
# SPDX-License-Identifier: MIT
# test_model_keys.sh FNPROP - a model file's `task-entry=N` makes argument N
# of a spawn function a task entry (no annotation in the source) and lets
# its panics, not its thread-local uses, reach the spawner; the trusted
# `transparent` setting (.fnprop key with a folder, --transparent= with a
# name glob) makes a scheduler's internals clean for tls but not for panic,
# and the summary names what was trusted.
. "$(dirname "$0")/common"

src=$TMP/src
mkdir -p "$src/sched"
cat >"$src/rt.h" <<'C'
typedef void (*rt_fn)(void *);
int rt_spawn(void *pool, rt_fn entry, void *arg);
C
cat >"$src/sched/core.c" <<'C'
#include <stdlib.h>
_Thread_local int current_worker;
int sched_self(void) { return current_worker; }
void sched_check(int ok) { if (!ok) abort(); }
C
cat >"$src/app.c" <<'C'
#include "rt.h"
int sched_self(void);
void sched_check(int ok);
_Thread_local int mine;
static void quiet(void *a) { (void)a; }
static void loud(void *a) { (void)a; mine++; }
static void asks(void *a) { (void)a; sched_check(sched_self() >= 0); }
static void helper(void *a) { (void)a; }
void go(void) {
  rt_spawn(0, quiet, 0);
  rt_spawn(0, loud, 0);
  rt_spawn(0, asks, 0);
  helper(0);
}
C
cat >"$src/rt.model" <<'M'
# NAME    TLS    PANIC  OPTIONS
rt_spawn  clean  clean  task-entry=2
M
printf '[{"directory":"%s","file":"app.c","arguments":["clang","-c","app.c"]},{"directory":"%s","file":"sched/core.c","arguments":["clang","-c","sched/core.c"]}]\n' \
	"$src" "$src" >"$src/compile_commands.json"

# verdict NAME PROP: the verdict of NAME in $TMP/dump
verdict() { sed -n "s/.*: $1 tls=\\([a-z]*\\) panic=\\([a-z]*\\)\$/\\1 \\2/p" "$TMP/dump" | { read -r t p; [ "$2" = tls ] && echo "$t" || echo "$p"; }; }

"$FNPROP" export -p "$src" --model="$src/rt.model" >"$TMP/out" 2>"$TMP/err" || fail "export exited with $?: $(cat "$TMP/err")"
for f in quiet loud asks; do
	grep "\"name\":\"$f\"" "$TMP/out" | grep -q '"task":true' || fail "$f is not a task entry from task-entry=2"
done
for f in helper go sched_self; do
	grep "\"name\":\"$f\"" "$TMP/out" | grep -q '"task":true' && fail "$f is wrongly a task entry"
done
"$FNPROP" export -p "$src" >"$TMP/out" 2>"$TMP/err"
grep '"task":true' "$TMP/out" >/dev/null && fail "task entries without the model: $(grep '"task":true' "$TMP/out")"

"$FNPROP" -p "$src" --model="$src/rt.model" --dump=verdicts >"$TMP/dump" 2>"$TMP/err"
stage12 "$TMP/dump"
[ "$(verdict asks tls)" = violated ] || fail "asks: tls $(verdict asks tls) without transparent, want violated"
[ "$(verdict go tls)" = proven ] || fail "go: tls $(verdict go tls); a task entry's tls must not reach its spawner"
[ "$(verdict go panic)" = violated ] || fail "go: panic $(verdict go panic); a task entry's abort must reach its spawner"
"$FNPROP" -p "$src" --model="$src/rt.model" >/dev/null 2>"$TMP/err"
grep -q 'trusted transparent' "$TMP/err" && fail "a transparent summary without the setting: $(cat "$TMP/err")"

# .fnprop: the scheduler's folder
printf 'models: rt.model\ntransparent: sched/\n' >"$src/.fnprop"
"$FNPROP" -p "$src" --dump=verdicts >"$TMP/dump" 2>"$TMP/err" || fail "dump with .fnprop exited with $?: $(cat "$TMP/err")"
stage12 "$TMP/dump"
[ "$(verdict sched_self tls)" = proven ] || fail "sched_self: tls $(verdict sched_self tls) under transparent: sched/"
[ "$(verdict asks tls)" = proven ] || fail "asks: tls $(verdict asks tls) under transparent: sched/"
[ "$(verdict asks panic)" = violated ] || fail "asks: panic $(verdict asks panic); transparent must not hide an abort"
[ "$(verdict loud tls)" = violated ] || fail "loud: tls $(verdict loud tls); its own thread-local use still counts"
"$FNPROP" -p "$src" >/dev/null 2>"$TMP/err"
grep -q "trusted transparent by the configuration (thread-local state not checked): 2 functions matching $src/sched/\$" "$TMP/err" ||
	fail "summary does not name the trusted folder: $(cat "$TMP/err")"

# the command line: a name glob
rm "$src/.fnprop"
"$FNPROP" -p "$src" --model="$src/rt.model" --transparent='sched_s*' --dump=verdicts >"$TMP/dump" 2>"$TMP/err"
stage12 "$TMP/dump"
[ "$(verdict sched_self tls)" = proven ] || fail "sched_self: tls $(verdict sched_self tls) under --transparent=sched_s*"
[ "$(verdict sched_check panic)" = violated ] || fail "sched_check: panic $(verdict sched_check panic)"
"$FNPROP" -p "$src" --model="$src/rt.model" --transparent='sched_s*' >/dev/null 2>"$TMP/err"
grep -q 'not checked): 1 function matching sched_s\*$' "$TMP/err" || fail "summary for the glob: $(cat "$TMP/err")"
finish
