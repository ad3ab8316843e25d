#!/bin/sh
# SPDX-License-Identifier: MIT
# test_fuzz_corpus.sh FNPROP - every input of tests/fuzz/corpus/<harness>/
# (seeds, and every crash fuzzing ever found) run once through the harness
# built without libFuzzer ($(BUILD)/robust/fuzz_<harness>, made by `make
# robust-tests`); a harness's oracle aborts on a wrong result.  Under `make
# asan` this is also a sanitizer run of the parsers.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

for d in "$ROOT"/tests/fuzz/corpus/*/; do
	n=$(basename "$d")
	h=$BDIR/robust/fuzz_$n
	if [ ! -x "$h" ]; then
		fail "$h missing: run make robust-tests"
		continue
	fi
	out=$("$h" "$d" 2>"$TMP/err")
	st=$?
	[ "$st" = 0 ] || fail "fuzz_$n on its corpus: exit $st: $(tail -c 600 "$TMP/err")"
	note "fuzz_$n: $out"
done
finish
