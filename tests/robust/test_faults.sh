#!/bin/sh
# SPDX-License-Identifier: MIT
# test_faults.sh FNPROP - injected failures: SQLite call N and allocation N
# fail (once, and from N on; cold and incremental runs) in the real pipeline
# run in-process by $(BUILD)/robust/fault_inject (see fault_inject.c for
# what every run must satisfy).  SQLite faults are tried at every N;
# allocations at every FAULT_STRIDE-th N (default 11; 1 for all).
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

FI=$BDIR/robust/fault_inject
[ -x "$FI" ] || { fail "$FI missing: run make robust-tests"; finish; }
stride=${FAULT_STRIDE:-11}
"$FI" -k sql >"$TMP/sql.out" 2>"$TMP/sql.err" || fail "SQLite faults: $(grep -c '^FAIL' "$TMP/sql.err") failing run(s)"
grep -v '^  \|^build\|^/' "$TMP/sql.err" | grep -v '^FAIL' >&2
"$FI" -k alloc -e "$stride" >"$TMP/alloc.out" 2>"$TMP/alloc.err" ||
	fail "allocation faults: exit $?, $(grep -c '^FAIL' "$TMP/alloc.err") failing run(s)"
grep -v '^  \|^build\|^/' "$TMP/alloc.err" | grep -v '^FAIL' >&2
# The failures, each with where its fault hit (first 40 lines).
for k in sql alloc; do
	grep -q '^FAIL' "$TMP/$k.err" && grep -A6 '^FAIL' "$TMP/$k.err" | sed 's/\[0x[0-9a-f]*\]$//' | head -n 40 >&2
done
finish
