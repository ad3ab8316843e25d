#!/bin/sh
# SPDX-License-Identifier: MIT
# layering.sh FNPROP - scripts/check-layering.sh passes on the tree and fails,
# naming the file and the rule, on a copy with each kind of violation: a
# header outside the front end including clang-c/, a file outside
# properties-db including sqlite3.h, properties-db including an analyzer
# header, a report including the graph, an include against the data flow,
# and a module without a rank.
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

CHECK=$ROOT/scripts/check-layering.sh
sh "$CHECK" "$ROOT" >"$TMP/out" 2>&1 || fail "the tree itself breaks the layering: $(cat "$TMP/out")"

# violation FILE LINE WANT: a fresh copy with LINE added after FILE's first
# #include must fail and print WANT (grep -F) on FILE's line.
violation() {
	rm -rf "$TMP/tree"
	mkdir -p "$TMP/tree"
	cp -R "$ROOT/analyzer" "$ROOT/properties-db" "$ROOT/runtime-shim" "$ROOT/include" "$TMP/tree/"
	if [ -f "$TMP/tree/$1" ]; then
		awk -v add="$2" '{ print } !done && /^#include/ { print add; done = 1 }' "$TMP/tree/$1" >"$TMP/edit" &&
			cat "$TMP/edit" >"$TMP/tree/$1"
	else
		printf '/* a new module */\n%s\n' "$2" >"$TMP/tree/$1"
	fi
	if sh "$CHECK" "$TMP/tree" >"$TMP/out" 2>&1; then
		fail "$1 with '$2' passed the layering check"
	elif ! grep -F "$1:" "$TMP/out" | grep -F -q "$3"; then
		fail "$1 with '$2': no '$3' in: $(cat "$TMP/out")"
	fi
}

violation analyzer/graph.h '#include <clang-c/Index.h>' 'libclang belongs to the front end'
violation analyzer/report.c '#include <sqlite3.h>' 'SQLite belongs to properties-db'
violation properties-db/pdb.h '#include "graph.h"' 'properties-db is a leaf'
violation properties-db/pdb.c '#include "util.h"' 'properties-db is a leaf'
violation analyzer/diag_checks.c '#include "graph.h"' 'not the graph'
violation analyzer/solver.c '#include "graph.h"' 'data flows the other way'
violation analyzer/facts.h '#include "frontend.h"' 'data flows the other way'
violation analyzer/newstage.c '#include "util.h"' 'has no rank'
violation runtime-shim/fsched.c '#include "pdb.h"' 'links no analyzer code'
finish
