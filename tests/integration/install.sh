#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh FNPROP - `make install` / `make uninstall` with PREFIX and
# DESTDIR, then everything built from the installed files only:
#  - the installed file list is exactly the documented one;
#  - examples/taskdemo compiles (gcc and clang, -Wall -Wextra -Werror)
#    against the installed fnprop.h and the installed fnprop finds its
#    broken contract;
#  - a tiny task program links the installed runtime library through its
#    pkg-config file (shared and static) with a verdict table from the
#    installed `fnprop export --format=c`: the clean task migrates, the
#    thread-local one is pinned;
#  - the installed man pages render, the installed git-hook installer and
#    clang-tidy plugin work from their installed places;
#  - a PREFIX without DESTDIR writes that prefix into fnprop-rt.pc;
#  - `make uninstall` leaves no file behind.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
need groff groff-base
need git git

major=$("$FNPROP" --version | sed -n 's/.*libclang \([0-9][0-9]*\).*/\1/p')
prefix=/opt/fnprop-test
dest=$TMP/dest
P=$dest$prefix
mk() { make --no-print-directory -s -C "$ROOT" BUILD="$BUILD" "$@"; }
# Under `make asan` the installed library is instrumented: so is the program.
san=${SAN:+-fsanitize=$SAN}

mk install PREFIX="$prefix" DESTDIR="$dest" >"$TMP/make.out" 2>&1 || { fail "make install: $(tail -20 "$TMP/make.out")"; finish; }

# ---- the installed files
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) >"$TMP/got"
{
	for f in bin/fnprop include/fnprop.h include/fnprop_rt.h lib/libfnprop_rt.a lib/libfnprop_rt.so \
		lib/pkgconfig/fnprop-rt.pc share/fnprop/git-pre-commit share/fnprop/install-git-hook \
		share/man/man1/fnprop.1 share/man/man3/fnprop.h.3; do
		echo "${prefix#/}/$f"
	done
	for m in "$ROOT"/models/*.model; do [ -f "$m" ] && echo "${prefix#/}/share/fnprop/models/${m##*/}"; done
	# the documentation --help and the man page point to
	echo "${prefix#/}/share/doc/fnprop/README.md"
	for d in "$ROOT"/docs/*.md; do echo "${prefix#/}/share/doc/fnprop/${d##*/}"; done
	for d in "$ROOT"/docs/ci/*.yml; do echo "${prefix#/}/share/doc/fnprop/ci/${d##*/}"; done
	# install.sh's make install builds the plugin: install-deps provides its headers
	echo "${prefix#/}/lib/fnprop/fnprop-tidy-$major.so"
} | LC_ALL=C sort >"$TMP/want"
cmp -s "$TMP/want" "$TMP/got" || fail "installed files:
--- want
$(cat "$TMP/want")
--- got
$(cat "$TMP/got")"
[ -x "$P/bin/fnprop" ] && "$P/bin/fnprop" --version >/dev/null || fail "the installed fnprop does not run"
# every document --help names is installed where it says
docdir=$("$P/bin/fnprop" --help | sed -n 's|^documentation: man fnprop; \(.*\)/\*\.md$|\1|p')
[ "$docdir" = "$P/share/doc/fnprop" ] || fail "--help points to the documentation in '$docdir', want $P/share/doc/fnprop"
for d in $("$P/bin/fnprop" --help | grep -o '[a-z-][a-z-]*\.md' | sort -u); do
	[ -f "$P/share/doc/fnprop/$d" ] || fail "--help names $d, which is not installed"
done
grep -qx "prefix=$prefix" "$P/lib/pkgconfig/fnprop-rt.pc" || fail "fnprop-rt.pc: $(head -3 "$P/lib/pkgconfig/fnprop-rt.pc")"

# ---- taskdemo against the installed header
demo=$TMP/taskdemo
mkdir -p "$demo"
cp "$ROOT"/examples/taskdemo/*.c "$ROOT"/examples/taskdemo/*.h "$demo/"
for cc in gcc "$CLANG"; do
	for f in "$demo"/*.c; do
		"$cc" -std=c11 -Wall -Wextra -Werror -pthread -I"$P/include" -c "$f" -o "$TMP/o.o" 2>"$TMP/cc.err" ||
			fail "$cc cannot compile ${f##*/} against the installed fnprop.h: $(head -5 "$TMP/cc.err")"
	done
done
python3 - "$demo" "$P/include" <<'PY' || fail "compile database for the demo"
import json, os, sys
src, inc = sys.argv[1], sys.argv[2]
json.dump([{"directory": src, "file": os.path.join(src, f),
            "arguments": ["cc", "-std=c11", "-pthread", "-I" + inc, "-c", os.path.join(src, f)]}
           for f in ["main.c", "task.c", "log.c", "config.c", "expr.c", "stats.c"]],
          open(os.path.join(src, "compile_commands.json"), "w"))
PY
status "$P/bin/fnprop" -p "$demo" --no-color "$demo/stats.c" >"$TMP/out" 2>&1
[ "$rc" = 1 ] && grep -q "stats\\.c:13:6: error: .*\\[fnprop-notls-violation\\]" "$TMP/out" ||
	fail "installed fnprop on taskdemo: exit $rc: $(head -5 "$TMP/out")"

# ---- a task program on the installed runtime library, via pkg-config
tiny=$TMP/tiny
mkdir -p "$tiny"
cat >"$tiny/tiny.c" <<'C'
#include <fnprop.h>
#include <fnprop_rt.h>
#include <stdio.h>

static _Thread_local int seen;
static void clean_task(void *arg) FNPROP_TASK;
static void tls_task(void *arg) FNPROP_TASK;
static void clean_task(void *arg) { *(int *)arg += 1; }
static void tls_task(void *arg) { seen += *(int *)arg; }
FNPROP_RT_ENTRY(clean_task);
FNPROP_RT_ENTRY(tls_task);

int main(void)
{
    int x = 1;
    if (FNPROP_RT_INIT() != FNPROP_RT_OK)
        return 3;
    clean_task(&x);
    tls_task(&x);
    printf("clean=%d tls=%d\n", fnprop_rt_may_migrate_fn((fnprop_rt_fn)clean_task),
           fnprop_rt_may_migrate_fn((fnprop_rt_fn)tls_task));
    return 0;
}
C
python3 - "$tiny" "$P/include" <<'PY' || fail "compile database for tiny.c"
import json, os, sys
src, inc = sys.argv[1], sys.argv[2]
json.dump([{"directory": src, "file": os.path.join(src, "tiny.c"),
            "arguments": ["cc", "-std=c11", "-I" + inc, "-c", os.path.join(src, "tiny.c")]}],
          open(os.path.join(src, "compile_commands.json"), "w"))
PY
(
	cd "$tiny" || exit 2
	"$P/bin/fnprop" export -p . --format=c >verdicts.c || exit 1
	hash=$("$P/bin/fnprop" hash -p .) || exit 1
	export PKG_CONFIG_PATH="$P/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
	pkg-config --exists fnprop-rt || { echo "pkg-config does not find fnprop-rt"; exit 1; }
	# shellcheck disable=SC2046 # pkg-config output is meant to be split
	cc -std=c11 -Wall -Wextra -Werror $san $(pkg-config --cflags fnprop-rt) -DFNPROP_RT_SOURCES_HASH="\"$hash\"" \
		"$tiny/tiny.c" verdicts.c -o tiny-shared $(pkg-config --libs fnprop-rt) || exit 1
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror $san $(pkg-config --cflags fnprop-rt) -DFNPROP_RT_SOURCES_HASH="\"$hash\"" \
		"$tiny/tiny.c" verdicts.c -o tiny-static -Wl,-Bstatic $(pkg-config --libs-only-l fnprop-rt) -Wl,-Bdynamic \
		$(pkg-config --static --libs-only-L --libs-only-other fnprop-rt) -pthread || exit 1
) >"$TMP/out" 2>&1 || fail "building the task program from the installed files: $(tail -10 "$TMP/out")"
if [ -x "$tiny/tiny-shared" ]; then
	out=$(LD_LIBRARY_PATH="$P/lib" "$tiny/tiny-shared" 2>&1)
	[ "$out" = "clean=1 tls=0" ] || fail "task program (shared): $out"
	LD_LIBRARY_PATH="$P/lib" ldd "$tiny/tiny-shared" | grep -q "$P/lib/libfnprop_rt.so" || fail "tiny-shared is not linked to the installed libfnprop_rt.so"
	ldd "$tiny/tiny-static" | grep -q libfnprop_rt && fail "tiny-static links libfnprop_rt.so dynamically"
	out=$("$tiny/tiny-static" 2>&1)
	[ "$out" = "clean=1 tls=0" ] || fail "task program (static): $out"
fi

# ---- man pages, git hook installer, clang-tidy plugin from their installed places
for m in man1/fnprop.1 man3/fnprop.h.3; do
	groff -man -Tutf8 -ww -z "$P/share/man/$m" 2>"$TMP/groff.err" && [ ! -s "$TMP/groff.err" ] ||
		fail "$m does not render cleanly: $(head -5 "$TMP/groff.err")"
done
git init -q "$TMP/repo" && "$P/share/fnprop/install-git-hook" "$TMP/repo" >/dev/null &&
	cmp -s "$TMP/repo/.git/hooks/pre-commit" "$P/share/fnprop/git-pre-commit" || fail "installed install-git-hook"
# fnprop is not on PATH: the plugin finds the installed one at ../../bin
PATH=/usr/bin:/bin "$CLANG_TIDY" --load="$P/lib/fnprop/fnprop-tidy-$major.so" --checks='-*,fnprop-*' \
	-p "$demo" "$demo/stats.c" >"$TMP/out" 2>&1
grep -q 'fnprop-notls-violation' "$TMP/out" || fail "installed clang-tidy plugin: $(tail -5 "$TMP/out")"

# ---- uninstall leaves nothing
mk uninstall PREFIX="$prefix" DESTDIR="$dest" >"$TMP/make.out" 2>&1 || fail "make uninstall: $(tail -5 "$TMP/make.out")"
left=$(cd "$dest" && find . \( -type f -o -type l \))
[ -z "$left" ] || fail "left after uninstall: $left"
[ -d "$P/share/fnprop" ] && fail "share/fnprop left after uninstall"

# ---- PREFIX alone
mk install PREFIX="$TMP/prefix" >"$TMP/make.out" 2>&1 || { fail "make install PREFIX=: $(tail -5 "$TMP/make.out")"; finish; }
[ "$(PKG_CONFIG_PATH="$TMP/prefix/lib/pkgconfig" pkg-config --variable=includedir fnprop-rt)" = "$TMP/prefix/include" ] ||
	fail "fnprop-rt.pc with PREFIX=$TMP/prefix: $(cat "$TMP/prefix/lib/pkgconfig/fnprop-rt.pc")"
mk uninstall PREFIX="$TMP/prefix" >/dev/null 2>&1
left=$(cd "$TMP/prefix" && find . \( -type f -o -type l \))
[ -z "$left" ] || fail "left after uninstall from PREFIX: $left"

finish
