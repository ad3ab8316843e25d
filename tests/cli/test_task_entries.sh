#!/bin/sh
# SPDX-License-Identifier: MIT
# test_task_entries.sh FNPROP - every way a function becomes a task entry
# (FNPROP_TASK on it, FNPROP_SPAWN(n) on a spawn function, FNPROP_TASK on a
# function-pointer slot, registration with the runtime shim's
# FNPROP_RT_ENTRY) is seen, and exported with "task":true.
. "$(dirname "$0")/common"

src=$TMP/src
mkdir -p "$src"
cat >"$src/t.c" <<'C'
#include "fnprop.h"
#include "fnprop_rt.h"
typedef void (*entry_fn)(void *);
void spawn(entry_fn f, void *arg) FNPROP_SPAWN(1);
struct job { entry_fn run FNPROP_TASK; };
static void by_spawn(void *p) { (void)p; }
static void by_slot(void *p) { (void)p; }
static void by_shim(void *p) { (void)p; }
void marked(void *p) FNPROP_TASK;
void marked(void *p) { (void)p; }
static void plain(void *p) { (void)p; }
struct job the_job = { by_slot };
void go(void) { spawn(by_spawn, 0); plain(0); }
FNPROP_RT_ENTRY(by_shim);
C
printf '[{"directory":"%s","file":"t.c","arguments":["clang","-std=c11","-I%s/include","-I%s/runtime-shim","-c","t.c"]}]\n' \
	"$src" "$ROOT" "$ROOT" >"$src/compile_commands.json"
"$FNPROP" export -p "$src" >"$TMP/out" 2>"$TMP/err" || fail "export exited with $?: $(cat "$TMP/err")"
for f in by_spawn by_slot by_shim marked; do
	grep "\"name\":\"$f\"" "$TMP/out" | grep -q '"task":true' || fail "$f is not a task entry"
done
for f in plain go; do
	grep "\"name\":\"$f\"" "$TMP/out" | grep -q '"task":true' && fail "$f is wrongly a task entry"
done
finish
