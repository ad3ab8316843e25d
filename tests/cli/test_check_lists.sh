#!/bin/sh
# SPDX-License-Identifier: MIT
# test_check_lists.sh FNPROP - every check of the binary's table (fnprop
# --list-checks --checks='*', expanded from analyzer/diag_checks.def) is
# documented in the man page and docs/diagnostics.md, and known to the
# clang-tidy plugin's check list; none of those lists a check the table
# does not have.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

"$FNPROP" --list-checks --checks='*' >"$TMP/list" 2>"$TMP/err" || fail "--list-checks exited with $?: $(cat "$TMP/err")"
awk '$1 ~ /^fnprop-/ { print $1 }' "$TMP/list" | LC_ALL=C sort >"$TMP/table"
[ "$(wc -l <"$TMP/table")" -ge 10 ] || fail "only $(wc -l <"$TMP/table") checks listed: $(cat "$TMP/list")"

# The man page spells '-' as '\-'.
sed 's/\\-/-/g' "$ROOT/docs/fnprop.1" >"$TMP/man"
tidy=$ROOT/integrations/clang-tidy/FnpropTidyModule.cpp
sed -n '/CheckNames\[\] = {/,/^};/p' "$tidy" >"$TMP/tidy"
while read -r c; do
	grep -q -- "^\.B $c\b\|\\\\fB$c\b" "$TMP/man" || fail "$c is not in the man page's CHECKS (docs/fnprop.1)"
	grep -q -- "^| \`$c\`" "$ROOT/docs/diagnostics.md" || fail "$c is not in docs/diagnostics.md's table of checks"
	grep -q -- "\"$c\"" "$TMP/tidy" || fail "$c is not in the clang-tidy plugin's CheckNames"
done <"$TMP/table"
grep -o '"fnprop-[a-z-]*"' "$TMP/tidy" | tr -d '"' | LC_ALL=C sort >"$TMP/tidy-names"
extra=$(LC_ALL=C comm -13 "$TMP/table" "$TMP/tidy-names")
[ -z "$extra" ] || fail "the clang-tidy plugin lists checks fnprop does not have: $extra"
finish
