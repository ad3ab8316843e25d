#!/bin/sh
# SPDX-License-Identifier: MIT
# pre_commit.sh FNPROP - the repository's .pre-commit-hooks.yaml with the
# real pre-commit tool, in throwaway repositories:
#  - the manifest validates; `pre-commit install` and real `git commit`s:
#    a clean commit passes, a commit breaking an FNPROP_NOTLS contract is
#    refused with the diagnostic shown, and an older violation in a file
#    that is not staged does not block an unrelated commit (reporting is
#    limited to the staged files while the whole program is solved);
#  - compile_commands.json found through `args: [-p, build]`, and found in
#    the files' parent directories by `pre-commit try-repo` (no args);
#  - the wall time of the hook with a warm cache on examples/taskdemo is
#    printed (informational; not a pass/fail criterion).
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

need pre-commit pre-commit
need git git
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" PRE_COMMIT_HOME="$TMP/pre-commit-cache" \
	GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"
git config --global init.defaultBranch main
export PATH="$BUILD:$PATH" # the hook's entry is `fnprop`
[ "$(command -v fnprop)" = "$BUILD/fnprop" ] || fail "fnprop on PATH is $(command -v fnprop), not $BUILD/fnprop"

# The hook repository: the manifest as it is in the tree (committed or not).
hooks=$TMP/hooks
git init -q "$hooks"
cp "$ROOT/.pre-commit-hooks.yaml" "$hooks/"
(cd "$hooks" && git add -A && git commit -q -m hooks) || exit 2
rev=$(git -C "$hooks" rev-parse HEAD)
status pre-commit validate-manifest "$hooks/.pre-commit-hooks.yaml" >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "manifest does not validate: $(cat "$TMP/out")"

# The project: a contract in a header, its definition, and a caller.
proj=$TMP/proj
git init -q "$proj"
cd "$proj" || exit 2
printf 'build/\n' >.gitignore
cat >ids.h <<'C'
#include <fnprop.h>
int next_id(void) FNPROP_NOTLS;
int twice(int x) FNPROP_NOTLS;
C
cat >ids.c <<'C'
#include "ids.h"
static int last;
int next_id(void) { return ++last; }
C
cat >math.c <<'C'
#include "ids.h"
int twice(int x) { return 2 * x; }
C
mkcdb "$proj/build" "$proj" ids.c math.c
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: fnprop
        args: [-p, build]
YAML
pre-commit install >"$TMP/out" 2>&1 || fail "pre-commit install: $(cat "$TMP/out")"

# 1. a clean commit passes (the hook ran: its line says Passed)
git add -A
status git commit -q -m clean >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "clean commit refused: $(cat "$TMP/out")"
grep -q 'fnprop (!tls / !panic contracts).*Passed' "$TMP/out" || fail "the hook did not run: $(cat "$TMP/out")"

# 2. breaking the FNPROP_NOTLS contract of next_id is refused, diagnostic shown
sed -i 's/static int last;/static _Thread_local int last;/' ids.c
git add ids.c
head=$(git rev-parse HEAD)
status git commit -q -m broken >"$TMP/out" 2>&1
[ "$rc" != 0 ] || fail "a commit breaking FNPROP_NOTLS was accepted (are fnprop's diagnostics built?)"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "HEAD moved on a refused commit"
grep -q 'fnprop (!tls / !panic contracts).*Failed' "$TMP/out" || fail "hook not reported as failed: $(cat "$TMP/out")"
grep -q "ids\\.c:3:5: error: .*'next_id'.*thread-local.*\\[fnprop-notls-violation\\]" "$TMP/out" ||
	fail "diagnostic not shown: $(cat "$TMP/out")"

# 3. that violation committed anyway (--no-verify): an unrelated clean change
#    to math.c passes, since only staged files are reported
git commit -q --no-verify -m debt || fail "--no-verify commit"
printf 'int thrice(int x) { return 3 * x; }\n' >>math.c
git add math.c
status git commit -q -m unrelated >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "an unrelated commit was blocked by a violation in an unstaged file: $(cat "$TMP/out")"

# 4. try-repo with the manifest's defaults: compile_commands.json found in
#    the files' parents (here a link at the top, as CMake users make one)
ln -s build/compile_commands.json compile_commands.json
status pre-commit try-repo "$hooks" fnprop --files ids.c >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "try-repo on ids.c: exit $rc, want 1: $(cat "$TMP/out")"
grep -q "\\[fnprop-notls-violation\\]" "$TMP/out" || fail "try-repo: diagnostic not shown: $(cat "$TMP/out")"
status pre-commit try-repo "$hooks" fnprop --files math.c >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "try-repo on math.c: exit $rc, want 0: $(cat "$TMP/out")"
# ids.h declares next_id's broken contract: naming it reports the finding,
# as CI would on a change to the header
status pre-commit try-repo "$hooks" fnprop --files math.c ids.h >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "try-repo on math.c ids.h: exit $rc, want 1 (ids.h holds the broken contract): $(cat "$TMP/out")"
grep -q "ids\\.c:3:5: error: .*'next_id'.*\\[fnprop-notls-violation\\]" "$TMP/out" ||
	fail "try-repo on math.c ids.h: next_id's finding not shown: $(cat "$TMP/out")"
rm compile_commands.json

# ---- wall time of the hook, warm cache, on examples/taskdemo (informational)
demo=$TMP/taskdemo
git init -q "$demo"
cp "$ROOT"/examples/taskdemo/*.c "$ROOT"/examples/taskdemo/*.h "$demo/"
(cd "$demo" && printf 'build/\n' >.gitignore && cp "$proj/.pre-commit-config.yaml" . &&
	git add -A && git commit -q --no-verify -m demo) || exit 2
mkcdb "$demo/build" "$demo" main.c task.c log.c config.c expr.c stats.c
cd "$demo" || exit 2
pre-commit run fnprop --files main.c >/dev/null 2>&1 # cold: fills the cache
now() { date +%s.%N; }
t0=$(now)
pre-commit run fnprop --files main.c >"$TMP/out" 2>&1
t1=$(now)
pre-commit run fnprop --all-files >/dev/null 2>&1
t2=$(now)
"$FNPROP" -p build --quiet main.c >/dev/null 2>&1
t3=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "hook wall time, warm cache, taskdemo: pre-commit run (main.c) %.2f s, (all files) %.2f s; fnprop alone %.2f s\n", b - a, c - b, d - c }'
grep -q 'Passed' "$TMP/out" || fail "taskdemo main.c did not pass: $(cat "$TMP/out")"

finish
