#!/bin/sh
# SPDX-License-Identifier: MIT
# clang_tidy.sh FNPROP - the clang-tidy plugin (integrations/clang-tidy)
# in the real clang-tidy of fnprop's LLVM major:
#  - `clang-tidy --load=fnprop-tidy-N.so --checks='-*,fnprop-*' -p build f.c`
#    prints the diagnostics fnprop prints for f.c: same locations, severities,
#    messages, check names and witness notes, including notes in a file the
#    translation unit never read; NOLINT honoured; exit status 1 on errors;
#  - --checks globs select among the fnprop checks; --warnings-as-errors
#    promotes fnprop's warnings; a relative -p works although clang-tidy
#    changes directory per compile command; without -p both find
#    compile_commands.json in the file's parents;
#  - fnprop runs once per file however many checks are enabled, through the
#    FnpropBinary option; a failing fnprop is one clear error;
#  - loaded into a clang-tidy of another major version (clang-tidy-14 when
#    installed, else a build claiming another major), it refuses to run
#    with a message.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

major=$("$FNPROP" --version | sed -n 's/.*libclang \([0-9][0-9]*\).*/\1/p')
[ -n "$major" ] || { fail "cannot read the LLVM major from fnprop --version: $("$FNPROP" --version)"; finish; }
[ "$major" = "$LLVM_MAJOR" ] || { fail "fnprop was built with libclang $major, the Makefile's LLVM is $LLVM_MAJOR"; finish; }
need CLANG_TIDY "clang-tidy-$major"
tidy=$CLANG_TIDY
llvm_config=$LLVM_CONFIG
plugin=$BUILD/fnprop-tidy-$major.so
make --no-print-directory -s -C "$ROOT" BUILD="$BUILD" LLVM_CONFIG="$llvm_config" tidy-plugin >"$TMP/make.out" 2>&1 ||
	{ fail "make tidy-plugin: $(tail -20 "$TMP/make.out")"; finish; }
[ -f "$plugin" ] || { fail "make tidy-plugin built no $plugin"; finish; }

src=$TMP/src
mkdir -p "$src"
cat >"$src/contracts.h" <<'C'
#include <fnprop.h>
int next_id(void) FNPROP_NOTLS;
void must_not_abort(int x) FNPROP_NOPANIC;
int calls_ext(int x) FNPROP_NOTLS;
int quiet_id(void) FNPROP_NOTLS;
void helper(int x);
int ext_fn(int x);
C
cat >"$src/ids.c" <<'C'
#include "contracts.h"
static _Thread_local int last;
int next_id(void) { return ++last; }
int quiet_id(void) { return ++last; } // NOLINT(fnprop-notls-violation)
int calls_ext(int x) { return ext_fn(x); }
C
cat >"$src/safe.c" <<'C'
#include "contracts.h"
void must_not_abort(int x)
{
    helper(x);
}
C
cat >"$src/helper.c" <<'C'
#include <stdlib.h>
#include "contracts.h"
void helper(int x)
{
    if (x < 0)
        abort();
}
C
cat >"$src/pure.h" <<'C'
#include <fnprop.h>
int add(int a, int b);
C
cat >"$src/pure.c" <<'C'
#include "pure.h"
int add(int a, int b) { return a + b; }
C
mkcdb "$TMP/build" "$src" ids.c safe.c helper.c pure.c

# diags FILE: the diagnostic lines (no source lines, carets or counts).
diags() { grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning|note): ' "$1" | sed "s|$src/||"; }
tidy() { "$tidy" --load="$plugin" "$@"; }

# clang-tidy's fnprop-* enables every fnprop check (fnprop-missing-annotation
# too) and covers the headers of the translation unit (shown when a note is
# in the main file or --header-filter matches): fnprop on the same files
# with the same checks must print the same diagnostics.
for f in ids.c safe.c helper.c; do
	"$FNPROP" -p "$TMP/build" --no-color --checks='fnprop-*' "$src/$f" "$src/contracts.h" >"$TMP/fnprop.out" 2>/dev/null
	want_rc=$?
	status tidy --checks='-*,fnprop-*' -p "$TMP/build" "$src/$f" >"$TMP/tidy.out" 2>"$TMP/tidy.err"
	[ "$rc" = "$want_rc" ] || fail "$f: clang-tidy exit $rc, fnprop exit $want_rc: $(cat "$TMP/tidy.err")"
	diags "$TMP/fnprop.out" >"$TMP/want"
	diags "$TMP/tidy.out" >"$TMP/got"
	cmp -s "$TMP/want" "$TMP/got" || fail "$f: clang-tidy and fnprop disagree:
--- fnprop
$(cat "$TMP/want")
--- clang-tidy
$(cat "$TMP/got")"
done
# the expected findings themselves (so agreement is not agreement on nothing)
tidy --checks='-*,fnprop-*' -p "$TMP/build" "$src/ids.c" "$src/safe.c" >"$TMP/tidy.out" 2>/dev/null
diags "$TMP/tidy.out" >"$TMP/got"
# one run over several files: a header's diagnostic once, not once per TU
[ "$(grep -c "^contracts.h:2:5: warning: .*\[fnprop-missing-annotation\]" "$TMP/got")" = 1 ] ||
	fail "a header diagnostic is not reported exactly once: $(cat "$TMP/got")"
for want in "ids.c:3:5: error: function 'next_id' is declared FNPROP_NOTLS but uses thread-local variable 'last' \\[fnprop-notls-violation\\]" \
	"ids.c:3:30: note: 'next_id' uses thread-local variable 'last' here" \
	"ids.c:5:5: warning: .* \\[fnprop-notls-unproven\\]" \
	"safe.c:2:6: error: .*'must_not_abort'.* \\[fnprop-nopanic-violation\\]" \
	"helper.c:6:9: note: 'helper' calls 'abort' here"; do
	grep -q "^$want" "$TMP/got" || fail "clang-tidy output lacks: $want
$(cat "$TMP/got")"
done
grep -q "quiet_id.*fnprop-notls-violation" "$TMP/got" && fail "NOLINT(fnprop-notls-violation) did not suppress quiet_id"
grep -A2 "^$src/ids.c:3:5: error" "$TMP/tidy.out" | grep -q '^ *| *\^~~~~~~$' || fail "the name is not underlined: $(head -3 "$TMP/tidy.out")"

# --checks globs select; --warnings-as-errors promotes
tidy --checks='-*,fnprop-notls-unproven' -p "$TMP/build" "$src/ids.c" >"$TMP/tidy.out" 2>/dev/null
diags "$TMP/tidy.out" | grep -v ': note: ' >"$TMP/got"
[ "$(wc -l <"$TMP/got")" = 1 ] && grep -q 'fnprop-notls-unproven' "$TMP/got" || fail "--checks=-*,fnprop-notls-unproven: $(cat "$TMP/got")"
status tidy --checks='-*,fnprop-notls-unproven' --warnings-as-errors='fnprop-*' -p "$TMP/build" "$src/ids.c" >"$TMP/tidy.out" 2>/dev/null
[ "$rc" = 1 ] && grep -q 'error: .*\[fnprop-notls-unproven,-warnings-as-errors\]' "$TMP/tidy.out" ||
	fail "--warnings-as-errors: exit $rc: $(diags "$TMP/tidy.out")"

# a diagnostic in a header with its fix-it (fnprop-missing-annotation, off
# by default in fnprop, enabled here by clang-tidy's --checks), applied by
# clang-tidy --fix; afterwards fnprop has nothing more to suggest
status tidy --checks='-*,fnprop-missing-annotation' --fix -p "$TMP/build" "$src/pure.c" >"$TMP/tidy.out" 2>&1
grep -q "pure\.h:2:5: warning: .*'add'.* \[fnprop-missing-annotation\]" "$TMP/tidy.out" ||
	fail "header diagnostic not shown: $(cat "$TMP/tidy.out")"
grep -qx 'int add(int a, int b) FNPROP_NOTLS FNPROP_NOPANIC;' "$src/pure.h" || fail "--fix did not apply the fix-it: $(cat "$src/pure.h")"
"$FNPROP" -p "$TMP/build" --checks=fnprop-missing-annotation "$src/pure.h" >"$TMP/out" 2>/dev/null
grep -q 'fnprop-missing-annotation' "$TMP/out" && fail "the fix did not satisfy fnprop: $(cat "$TMP/out")"

# many fix-its in one header whose includes sit in `#if _WIN32 ... #else
# ... #endif`: both fix routes (clang-tidy --fix with the plugin, fnprop
# --export-fixes with clang-apply-replacements) insert one `#include
# <fnprop.h>`, at top level, so the header compiles in both configurations
mp=$TMP/multi
mkdir -p "$mp"
{
	printf '#ifndef MULTI_H\n#define MULTI_H\n#if defined(_WIN32)\n#include "win_cfg.h"\n#else\n#include "posix_cfg.h"\n#endif\n\n'
	i=1
	while [ $i -le 12 ]; do printf 'int m%d(int x);\n' $i; i=$((i + 1)); done
	printf '#endif\n'
} >"$mp/multi.h"
printf 'typedef int cfg_t;\n' >"$mp/win_cfg.h"
printf 'typedef int cfg_t;\n' >"$mp/posix_cfg.h"
{
	printf '#include "multi.h"\n'
	i=1
	while [ $i -le 12 ]; do printf 'int m%d(int x) { return x + %d; }\n' $i $i; i=$((i + 1)); done
} >"$mp/multi.c"
cp -R "$mp" "$TMP/multi-car"
mkcdb "$TMP/multi-build" "$mp" multi.c
mkcdb "$TMP/multi-car-build" "$TMP/multi-car" multi.c
# multi_ok DIR ROUTE: one include, outside the #if, compiling either way
multi_ok() {
	n=$(grep -c '#include <fnprop.h>' "$1/multi.h")
	[ "$n" = 1 ] || fail "$2: multi.h includes fnprop.h $n times"
	awk '/^#if defined/ { d = 1 } /^#endif/ { d = 0 } /fnprop\.h/ && d { bad = 1 } END { exit bad }' "$1/multi.h" ||
		fail "$2: the include is inside the #if _WIN32 block: $(cat "$1/multi.h")"
	[ "$(grep -c 'FNPROP_NOTLS FNPROP_NOPANIC;' "$1/multi.h")" = 12 ] || fail "$2: not every declaration annotated: $(cat "$1/multi.h")"
	for d in -D_WIN32 -U_WIN32; do
		"$CLANG" -fsyntax-only -Wall -Werror "$d" -I"$ROOT/include" "$1/multi.c" >"$TMP/cc.out" 2>&1 ||
			fail "$2: multi.c does not compile with $d after the fixes: $(head -5 "$TMP/cc.out")"
	done
}
status tidy --checks='-*,fnprop-missing-annotation' --fix -p "$TMP/multi-build" "$mp/multi.c" >"$TMP/tidy.out" 2>&1
multi_ok "$mp" "clang-tidy --fix"
mkdir -p "$TMP/multi-yaml"
"$FNPROP" -p "$TMP/multi-car-build" --quiet --checks=fnprop-missing-annotation \
	--export-fixes="$TMP/multi-yaml/f.yaml" >/dev/null 2>&1
"$CLANG_APPLY_REPLACEMENTS" "$TMP/multi-yaml" >"$TMP/car.out" 2>&1 || fail "clang-apply-replacements: $(cat "$TMP/car.out")"
multi_ok "$TMP/multi-car" "clang-apply-replacements"

# a relative -p from the user's directory; no -p at all with a database link
(cd "$TMP" && "$tidy" --load="$plugin" --checks='-*,fnprop-*' -p build src/ids.c) >"$TMP/tidy.out" 2>&1
grep -q 'fnprop-notls-violation' "$TMP/tidy.out" || fail "relative -p: $(cat "$TMP/tidy.out")"
ln -s ../build/compile_commands.json "$src/compile_commands.json"
(cd "$src" && "$tidy" --load="$plugin" --checks='-*,fnprop-*' ids.c) >"$TMP/tidy.out" 2>&1
grep -q 'fnprop-notls-violation' "$TMP/tidy.out" || fail "compile_commands.json in a parent, no -p: $(cat "$TMP/tidy.out")"
rm "$src/compile_commands.json"

# one fnprop run per file, through FnpropBinary
cat >"$TMP/fnprop-counted" <<SH
#!/bin/sh
echo run >>"$TMP/runs"
exec "$FNPROP" "\$@"
SH
chmod +x "$TMP/fnprop-counted"
tidy --checks='-*,fnprop-*' --config="{CheckOptions: {FnpropBinary: '$TMP/fnprop-counted'}}" \
	-p "$TMP/build" "$src/ids.c" "$src/safe.c" >"$TMP/tidy.out" 2>&1
[ "$(wc -l <"$TMP/runs" 2>/dev/null)" = 2 ] || fail "fnprop ran $(wc -l <"$TMP/runs" 2>/dev/null) times for 2 files, want 2"
grep -q 'fnprop-nopanic-violation' "$TMP/tidy.out" || fail "through FnpropBinary: no findings: $(cat "$TMP/tidy.out")"

# no database yet: the plugin says that fnprop analyzes the whole program
# once now, instead of seconds of silence
mkcdb "$TMP/cold" "$src" ids.c safe.c helper.c pure.c
status tidy --checks='-*,fnprop-notls-*' -p "$TMP/cold" "$src/ids.c" >"$TMP/tidy.out" 2>"$TMP/tidy.err"
grep -q "fnprop-tidy: no properties database '$TMP/cold/fnprop.db' yet: fnprop analyzes the whole program" "$TMP/tidy.err" ||
	fail "no word about the first analysis: $(cat "$TMP/tidy.err")"
[ -f "$TMP/cold/fnprop.db" ] || fail "the first run created no database"
status tidy --checks='-*,fnprop-notls-*' -p "$TMP/cold" "$src/ids.c" >"$TMP/tidy.out" 2>"$TMP/tidy.err"
grep -q "no properties database" "$TMP/tidy.err" && fail "the message repeats once the database exists"

# fnprop failing (an empty build directory): one error saying so
mkdir -p "$TMP/empty"
status tidy --checks='-*,fnprop-*' --config="{CheckOptions: {FnpropBuildDir: '$TMP/empty'}}" \
	-p "$TMP/build" "$src/ids.c" >"$TMP/tidy.out" 2>&1
[ "$rc" != 0 ] || fail "a failing fnprop did not fail clang-tidy"
[ "$(grep -c 'fnprop exited with status 2' "$TMP/tidy.out")" = 1 ] || fail "fnprop failure not reported once: $(cat "$TMP/tidy.out")"
grep -q "error: fnprop exited with status 2 on '$src/ids.c'.*\[fnprop-setup-error\]" "$TMP/tidy.out" ||
	fail "fnprop failure not reported as fnprop-setup-error: $(cat "$TMP/tidy.out")"
status tidy --checks='-*,fnprop-notls-*' --config="{CheckOptions: {FnpropBuildDir: '$TMP/empty'}}" \
	-p "$TMP/build" "$src/ids.c" >"$TMP/tidy.out" 2>&1
[ "$(grep -c 'error: fnprop exited with status 2.*\[fnprop-notls-' "$TMP/tidy.out")" = 1 ] ||
	fail "fnprop failure with fnprop-parse-error disabled: $(cat "$TMP/tidy.out")"

# an LLVM without clang-tidy headers: the plugin is skipped with a message
for v in 14 15 16 17 18 19 20; do
	cfg=$(command -v "llvm-config-$v" || true)
	[ -z "$cfg" ] && [ -x "/usr/lib/llvm-$v/bin/llvm-config" ] && cfg=/usr/lib/llvm-$v/bin/llvm-config
	[ -n "$cfg" ] && [ ! -f "$("$cfg" --includedir)/clang-tidy/ClangTidyModuleRegistry.h" ] || continue
	status make --no-print-directory -s -C "$ROOT" BUILD="$TMP/nobuild" LLVM_CONFIG="$cfg" tidy-plugin >"$TMP/out" 2>&1
	[ "$rc" = 0 ] && grep -q "tidy-plugin: skipped: .*install libclang-$v-dev" "$TMP/out" && [ ! -e "$TMP/nobuild/fnprop-tidy-$v.so" ] ||
		fail "tidy-plugin with LLVM $v (no clang-tidy headers): exit $rc: $(cat "$TMP/out")"
	break
done

# another major: refused with a message
other=""
for v in 14 15 16 17 18 19 20; do
	[ "$v" = "$major" ] && continue
	command -v "clang-tidy-$v" >/dev/null 2>&1 && { other=$(command -v "clang-tidy-$v"); break; }
done
if [ -n "$other" ]; then
	bad=$plugin
else
	make --no-print-directory -s -C "$ROOT" BUILD="$BUILD" LLVM_CONFIG="$llvm_config" tidy-plugin-wrong-major >"$TMP/make.out" 2>&1 ||
		fail "make tidy-plugin-wrong-major: $(tail -5 "$TMP/make.out")"
	other=$tidy
	bad=$BUILD/tidy-test/fnprop-tidy-wrong-major.so
fi
status "$other" --load="$bad" --checks='-*,fnprop-*' -p "$TMP/build" "$src/ids.c" >"$TMP/tidy.out" 2>&1
[ "$rc" != 0 ] || fail "$other accepted a plugin of another major (exit 0)"
grep -q 'fnprop-tidy: error: this plugin was built for clang-tidy [0-9]* but was loaded into clang-tidy [0-9]*' "$TMP/tidy.out" ||
	fail "no refusal message from $other: $(cat "$TMP/tidy.out")"

finish
