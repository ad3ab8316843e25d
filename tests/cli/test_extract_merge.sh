#!/bin/sh
# SPDX-License-Identifier: MIT
# test_extract_merge.sh FNPROP - distribution through a build engine: one
# `fnprop extract` per TU under `make -j` with docs/fnprop.mk, one `fnprop
# merge`; the results equal the monolithic run's, and a header change
# re-extracts exactly the TUs that include it.
. "$(dirname "$0")/common"

proj=$TMP/proj
"$ROOT/bench/gen-project.sh" "$proj" 24 3 || exit 2
mkdir -p "$proj/build"
mv "$proj/compile_commands.json" "$proj/build/"
cat >"$proj/Makefile" <<MK
FNPROP := $FNPROP
FNPROP_BUILD := build
FNPROP_SRCS := \$(wildcard src/*.c)
include $ROOT/docs/fnprop.mk
all: build/fnprop.db
MK
(cd "$proj" && make -s -j2 all) >"$TMP/make.out" 2>&1 || fail "make -j2 failed: $(tail -5 "$TMP/make.out")"
n=$(find "$proj/build/fnprop-facts" -name '*.facts' | wc -l)
[ "$n" = 24 ] || fail "expected 24 facts files, found $n"
(cd "$proj" && "$FNPROP" -p build --dump=verdicts) >"$TMP/merged" 2>/dev/null
(cd "$proj" && "$FNPROP" -p build --db "$TMP/mono.db" --dump=verdicts) >"$TMP/mono" 2>/dev/null
[ -s "$TMP/mono" ] || fail "monolithic run printed nothing"
cmp -s "$TMP/merged" "$TMP/mono" || fail "merged results differ from the monolithic run: $(diff "$TMP/merged" "$TMP/mono" | head)"
# The check command after merge reuses every TU from the cache.
(cd "$proj" && "$FNPROP" -p build) >/dev/null 2>"$TMP/summary"
grep -q '0 parsed, 24 from cache' "$TMP/summary" || fail "after merge the TUs were not cached: $(cat "$TMP/summary")"

# A header change: make re-extracts every TU (they all include proj.h) ...
sleep 1
echo '/* changed */' >>"$proj/include/proj.h"
(cd "$proj" && make -j2 all) >"$TMP/make2.out" 2>&1 || fail "second make failed"
n=$(grep -c 'fnprop.* extract' "$TMP/make2.out")
[ "$n" = 24 ] || fail "a header change re-extracted $n TUs, expected 24"
# ... and a .c change only that TU.
sleep 1
echo '/* changed */' >>"$proj/src/u5.c"
(cd "$proj" && make -j2 all) >"$TMP/make3.out" 2>&1 || fail "third make failed"
n=$(grep -c 'fnprop.* extract' "$TMP/make3.out")
[ "$n" = 1 ] || fail "a .c change re-extracted $n TUs, expected 1"

# Usage errors.
"$FNPROP" extract -p "$proj/build" -o "$TMP/x.facts" "$TMP/nowhere.c" 2>"$TMP/err"
[ $? = 2 ] && grep -q "is not in the compile database" "$TMP/err" || fail "extract of an unknown file: $(cat "$TMP/err")"
[ -e "$TMP/x.facts" ] && fail "a failed extract left a facts file"
finish
