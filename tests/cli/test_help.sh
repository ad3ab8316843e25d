#!/bin/sh
# SPDX-License-Identifier: MIT
# test_help.sh FNPROP - `fnprop --help`, the man page and the other places
# that list checks and commands name every one of them:
#  - docs/fnprop.1's check list is the one generated from the check table
#    (scripts/man-checks.sh; `make man` regenerates it);
#  - every check (fnprop --list-checks --checks='*') is in --help, in the
#    rendered man page, in docs/diagnostics.md, and registered by the
#    clang-tidy plugin;
#  - every command of --help's usage is in the man page's synopsis and in
#    the README;
#  - `make` (the default target) builds the clang-tidy plugin when its
#    headers are installed, and the README names the target.
. "$(dirname "$0")/common"
need groff groff-base

CC=${CC:-cc} sh "$ROOT/scripts/man-checks.sh" --check "$ROOT/docs/fnprop.1" 2>"$TMP/man.err" ||
	fail "docs/fnprop.1's check list is not the table's: $(head -20 "$TMP/man.err")"
"$FNPROP" --help >"$TMP/help" 2>&1 || fail "fnprop --help failed"
"$FNPROP" --list-checks --checks='*' | sed -n 's/^    \(fnprop-[a-z-]*\) .*/\1/p' >"$TMP/checks"
[ "$(wc -l <"$TMP/checks")" -ge 9 ] || fail "--list-checks --checks='*' lists $(wc -l <"$TMP/checks") checks"
groff -man -Tascii -P-c -P-b -P-u "$ROOT/docs/fnprop.1" 2>/dev/null >"$TMP/man.txt" # no overstrikes: no col(1) needed
while read -r c; do
	grep -q "^  $c " "$TMP/help" || fail "--help does not list $c"
	grep -q "^       $c\$" "$TMP/man.txt" || fail "the man page does not list $c"
	grep -q "^### $c\|^### .*$c" "$ROOT/docs/diagnostics.md" || fail "docs/diagnostics.md has no section for $c"
	grep -q "\"$c\"" "$ROOT/integrations/clang-tidy/FnpropTidyModule.cpp" || fail "the clang-tidy plugin does not register $c"
done <"$TMP/checks"
sed -n 's/^\(usage:\|      \) fnprop \([a-z][a-z]*\) .*/\2/p' "$TMP/help" >"$TMP/commands"
[ "$(wc -l <"$TMP/commands")" -ge 7 ] || fail "--help lists $(wc -l <"$TMP/commands") commands: $(head -12 "$TMP/help")"
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$TMP/man.txt")
while read -r c; do
	printf '%s\n' "$synopsis" | grep -q "fnprop  *$c" || fail "the man page's synopsis lacks 'fnprop $c'"
	grep -q "^fnprop $c " "$ROOT/README.md" || fail "the README's command reference lacks 'fnprop $c'"
done <"$TMP/commands"
for c in diff extract merge report; do grep -qx "$c" "$TMP/commands" || fail "--help does not list 'fnprop $c'"; done

# `make` builds the plugin (clang-tidy headers installed by install-deps test)
if [ -f "$("$LLVM_CONFIG" --includedir)/clang-tidy/ClangTidyModuleRegistry.h" ]; then
	make --no-print-directory -n -C "$ROOT" BUILD="$TMP/b" >"$TMP/make.n" 2>&1
	grep -q 'FnpropTidyModule.cpp' "$TMP/make.n" || fail "plain make does not build the clang-tidy plugin"
fi
grep -q 'make tidy-plugin' "$ROOT/README.md" || fail "the README does not name the plugin's target"
finish
