#!/bin/sh
# SPDX-License-Identifier: MIT
# git_hook.sh FNPROP - the plain git hook (scripts/git-pre-commit) and its
# installer (scripts/install-git-hook) in throwaway repositories:
#  - installing, re-installing, refusing to replace another hook, --force
#    with a backup, --link, --build-dir;
#  - exactly the staged C sources and headers reach fnprop (added, copied,
#    modified, renamed; not deleted, not other files), one argument each,
#    whatever the names hold: spaces, quotes, a newline, a tab, a leading
#    '-', glob characters, UTF-8;
#  - fnprop's exit status decides: 1 refuses the commit, 0 lets it through;
#  - with the real fnprop: a commit breaking an FNPROP_NOTLS contract in a
#    file whose name has spaces and quotes is refused with the diagnostic
#    shown; the fixed one passes.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

need git git
need bash bash
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

newrepo() { rm -rf "$1" && git init -q "$1"; }

# ---- installer -------------------------------------------------------------
repo=$TMP/repo
newrepo "$repo"
status "$ROOT/scripts/install-git-hook" "$repo" >"$TMP/out" 2>&1
[ "$rc" = 0 ] && cmp -s "$repo/.git/hooks/pre-commit" "$ROOT/scripts/git-pre-commit" ||
	fail "install: exit $rc: $(cat "$TMP/out")"
[ -x "$repo/.git/hooks/pre-commit" ] || fail "installed hook is not executable"
status "$ROOT/scripts/install-git-hook" "$repo" >"$TMP/out" 2>&1
[ "$rc" = 0 ] && grep -q 'already' "$TMP/out" || fail "re-install: exit $rc: $(cat "$TMP/out")"

other=$TMP/other
newrepo "$other"
printf '#!/bin/sh\necho mine\n' >"$other/.git/hooks/pre-commit"
status "$ROOT/scripts/install-git-hook" "$other" >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "another hook present: exit $rc, want 1"
grep -q 'another hook' "$TMP/out" || fail "refusal does not explain itself: $(cat "$TMP/out")"
grep -q mine "$other/.git/hooks/pre-commit" || fail "the existing hook was modified without --force"
mkdir -p "$other/sub/dir"
status "$ROOT/scripts/install-git-hook" --force --link --build-dir build "$other/sub/dir" >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "--force --link: exit $rc: $(cat "$TMP/out")"
[ -L "$other/.git/hooks/pre-commit" ] && [ "$(readlink -f "$other/.git/hooks/pre-commit")" = "$ROOT/scripts/git-pre-commit" ] ||
	fail "--link did not link the hook"
grep -q mine "$other/.git/hooks/pre-commit.fnprop-backup" || fail "--force kept no backup"
[ "$(git -C "$other" config fnprop.builddir)" = build ] || fail "--build-dir did not set fnprop.builddir"
status "$ROOT/scripts/install-git-hook" --link "$other" >"$TMP/out" 2>&1
[ "$rc" = 0 ] && grep -q already "$TMP/out" || fail "re-install of a link: exit $rc: $(cat "$TMP/out")"
git -C "$other" config core.hooksPath .githooks
status "$ROOT/scripts/install-git-hook" "$other" >"$TMP/out" 2>&1
[ "$rc" = 0 ] && [ -f "$other/.githooks/pre-commit" ] || fail "core.hooksPath not honoured: $(cat "$TMP/out")"

# ---- odd names reach fnprop intact ------------------------------------------
# A recording stand-in for fnprop: its arguments NUL-separated, then exit
# with $RECORD_STATUS.
cat >"$TMP/record" <<'SH'
#!/bin/sh
for a in "$@"; do printf '%s\0' "$a"; done >"$RECORD_OUT"
exit "${RECORD_STATUS:-0}"
SH
chmod +x "$TMP/record"
export RECORD_OUT="$TMP/argv"

cd "$repo" || exit 2
printf 'int gone(void) { return 0; }\n' >gone.c
printf 'int old(void) { return 0; }\n' >old.c
printf 'keep\n' >notes.txt
git add -A && git commit -q --no-verify -m base || fail "base commit"
nl='
'
tab='	'
odd_names="with space.c|quote\"d.c|it's.h|new${nl}line.c|-dash.c|tab${tab}here.h|glob*[1].c|ü.c|sub dir/deep.c|\$(x).c"
IFS='|'
for n in $odd_names; do
	mkdir -p "$(dirname -- "$n")"
	printf 'int f(void) { return 1; }\n' >"$n"
done
unset IFS
printf 'changed\n' >notes.txt
printf 'int old(void) { return 1; }\n' >>old.c
git mv old.c "re named.c"
git rm -q gone.c
git add -A
# what must arrive: --quiet, every odd name and the rename, "./"-prefixed,
# nothing else
{
	IFS='|'
	printf '%s\0' --quiet
	for n in $odd_names "re named.c"; do printf './%s\0' "$n"; done
	unset IFS
} | tr '\0\n' '\n\001' | LC_ALL=C sort >"$TMP/want"

FNPROP=$TMP/record RECORD_STATUS=0 git commit -q -m odd >"$TMP/out" 2>&1 || fail "clean commit refused: $(cat "$TMP/out")"
tr '\0\n' '\n\001' <"$TMP/argv" | LC_ALL=C sort >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" || fail "fnprop received other arguments:
--- want
$(tr '\001' '~' <"$TMP/want")
--- got
$(tr '\001' '~' <"$TMP/got")"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the clean commit was not made"

# fnprop's verdict decides; the build directory comes from git config
printf 'int f(void) { return 2; }\n' >"with space.c"
git add "with space.c"
git config fnprop.builddir "my build"
head=$(git rev-parse HEAD)
status env FNPROP="$TMP/record" RECORD_STATUS=1 git commit -q -m refused >"$TMP/out" 2>&1
[ "$rc" != 0 ] || fail "fnprop exit 1 did not refuse the commit"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "a refused commit moved HEAD"
grep -q 'commit refused' "$TMP/out" || fail "refusal message missing: $(cat "$TMP/out")"
printf '%s\0' --quiet -p "my build" "./with space.c" | cmp -s - "$TMP/argv" || fail "arguments with fnprop.builddir: $(tr '\0' '|' <"$TMP/argv")"
status env FNPROP="$TMP/record" RECORD_STATUS=2 git commit -q -m usage >"$TMP/out" 2>&1
[ "$rc" != 0 ] && grep -q 'could not analyze' "$TMP/out" || fail "fnprop exit 2: commit not refused or no hint: $(cat "$TMP/out")"
status env FNPROP="$TMP/no-such-fnprop" git commit -q -m missing >"$TMP/out" 2>&1
[ "$rc" != 0 ] && grep -q 'cannot run' "$TMP/out" || fail "missing fnprop: $(cat "$TMP/out")"
# a staged file with further unstaged edits is named
printf '/* more */\n' >>"with space.c"
FNPROP=$TMP/record RECORD_STATUS=0 git commit -q -m noted >"$TMP/out" 2>&1 || fail "commit with unstaged edits refused"
grep -q "with\\\\ space.c has unstaged changes" "$TMP/out" || fail "no note about unstaged changes: $(cat "$TMP/out")"
git checkout -q -- . && git config --unset fnprop.builddir
# only non-C files staged: fnprop is not run
rm -f "$TMP/argv"
printf 'more\n' >>notes.txt && git add notes.txt
FNPROP=$TMP/record git commit -q -m text >"$TMP/out" 2>&1 || fail "text-only commit refused"
[ -e "$TMP/argv" ] && fail "fnprop ran for a commit without C files"

# ---- the real fnprop: a broken FNPROP_NOTLS contract is refused ---------------
real=$TMP/real
newrepo "$real"
cd "$real" || exit 2
printf 'build/\n' >.gitignore
cat >"api v1.h" <<'C'
#include <fnprop.h>
int next_id(void) FNPROP_NOTLS;
C
cat >"my 'counter'.c" <<'C'
#include "api v1.h"
static int last;
int next_id(void) { return ++last; }
C
mkcdb "$real/build" "$real" "my 'counter'.c"
"$ROOT/scripts/install-git-hook" --build-dir build . >/dev/null || fail "install into the real repository"
git add -A
PATH=$BUILD:$PATH git commit -q -m clean >"$TMP/out" 2>&1 || fail "clean contract refused: $(cat "$TMP/out")"
sed -i 's/static int last;/static _Thread_local int last;/' "my 'counter'.c"
git add -A
head=$(git rev-parse HEAD)
status env PATH="$BUILD:$PATH" git commit -q -m broken >"$TMP/out" 2>&1
[ "$rc" != 0 ] || fail "a broken FNPROP_NOTLS contract was committed (fnprop's diagnostics not there yet?)"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "HEAD moved on a refused commit"
grep -q "my 'counter'\\.c:3:5: error: .*'next_id'.*\\[fnprop-notls-violation\\]" "$TMP/out" ||
	fail "diagnostic not shown: $(cat "$TMP/out")"
sed -i 's/static _Thread_local int last;/static int last;/' "my 'counter'.c"
printf '/* fixed */\n' >>"my 'counter'.c"
git add -A
PATH=$BUILD:$PATH git commit -q -m fixed >"$TMP/out" 2>&1 || fail "fixed contract refused: $(cat "$TMP/out")"

# ---- what CI would block: a change in one file breaking another's contract --
# `abort()` added to a callee in util.c breaks FNPROP_NOPANIC of its caller
# in app.c, which the commit does not touch; a header-only change declares
# a contract the unchanged definition does not keep.  Both are refused.
cat >util.h <<'C'
#include <fnprop.h>
int util_check(int x);
int util_parse(const char *s);
C
cat >util.c <<'C'
#include <stdlib.h>
#include "util.h"
int util_check(int x) { return x > 0; }
int util_parse(const char *s) { if (!s) abort(); return s[0]; }
C
cat >app.c <<'C'
#include "util.h"
int app_run(int x) FNPROP_NOPANIC;
int app_run(int x) { return util_check(x); }
C
mkcdb "$real/build" "$real" "my 'counter'.c" util.c app.c
git add -A
PATH=$BUILD:$PATH git commit -q -m util >"$TMP/out" 2>&1 || fail "clean util commit refused: $(cat "$TMP/out")"
sed -i 's/int util_check(int x) { return x > 0; }/int util_check(int x) { if (x < 0) abort(); return x > 0; }/' util.c
git add util.c
head=$(git rev-parse HEAD)
status env PATH="$BUILD:$PATH" git commit -q -m breaks-caller >"$TMP/out" 2>&1
[ "$rc" != 0 ] || fail "a change in util.c breaking app_run's contract in app.c was committed"
grep -q "app\.c:3:5: error: .*'app_run'.*\[fnprop-nopanic-violation\]" "$TMP/out" ||
	fail "the broken caller is not shown: $(cat "$TMP/out")"
git checkout -q util.c
sed -i 's/int util_parse(const char \*s);/int util_parse(const char *s) FNPROP_NOPANIC;/' util.h
git add util.h
status env PATH="$BUILD:$PATH" git commit -q -m false-contract >"$TMP/out" 2>&1
[ "$rc" != 0 ] || fail "a header-only change declaring a false contract was committed"
grep -q "util\.c:4:5: error: .*'util_parse'.*\[fnprop-nopanic-violation\]" "$TMP/out" ||
	fail "the false header contract is not shown: $(cat "$TMP/out")"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "HEAD moved on a refused commit"

finish
