#!/bin/sh
# SPDX-License-Identifier: MIT
# oracle.sh - records every output a user or a script reads from fnprop on
# the verdict fixtures, the diagnostics cases and the example, and compares
# a later build against that record: the check for refactorings that must
# not change results.
#
#   scripts/oracle.sh record  FNPROP DIR   write the outputs into DIR
#   scripts/oracle.sh compare FNPROP DIR   run them again, diff against DIR
#                                          (exit 1 on any difference)
#
# Recorded per fixture (tests/fixtures/*) and for examples/taskdemo, under
# each of seven analysis settings (the default and six option variants):
# --dump=verdicts, `explain` of every function, the check command in clang
# text and JSON (every check enabled), the JSON Lines export, and the func,
# verdict, icall and contract_store tables plus the `properties` view read
# with the sqlite3 shell.  The default setting adds SARIF, export-fixes YAML
# and the C export; `fnprop diff` runs between settings.  Every run of every
# tests/diag/cases/*/runs line is recorded too, with its stderr and status.
# The repository and scratch paths are replaced by @ROOT@ and @TMP@, and the
# C export's inputs hash (it covers the analyzer's own sources) by @HASH@.
# POSIX sh; the sqlite3 shell is optional (its outputs are then skipped).
set -u

usage() { echo "usage: $0 record|compare FNPROP DIR" >&2; exit 2; }
[ $# -eq 3 ] || usage
mode=$1 FNPROP=$2 want=$3
case $mode in record | compare) ;; *) usage ;; esac
case $FNPROP in /*) ;; *) FNPROP=$(pwd -P)/$FNPROP ;; esac
[ -x "$FNPROP" ] || { echo "oracle: $FNPROP: not an executable" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-oracle.XXXXXX") || exit 2
scratch=$(cd "$scratch" && pwd -P)
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
if [ "$mode" = record ]; then
	rm -rf "$want"
	mkdir -p "$want" || exit 2
	out=$(cd "$want" && pwd -P)
else
	[ -d "$want" ] || { echo "oracle: $want: no record (run: $0 record)" >&2; exit 2; }
	out=$scratch/out
	mkdir -p "$out"
fi
SQLITE=$(command -v sqlite3 2>/dev/null || true)

norm() { sed -e "s|$ROOT|@ROOT@|g" -e "s|$scratch|@TMP@|g"; }

# keep NAME DIR CMD...: run CMD in DIR; NAME.out, NAME.err (normalized) and
# NAME.rc into the current record directory $rec.
keep() {
	name=$1 dir=$2
	shift 2
	(cd "$dir" && "$@") >"$scratch/raw.out" 2>"$scratch/raw.err"
	echo $? >"$rec/$name.rc"
	norm <"$scratch/raw.out" >"$rec/$name.out"
	norm <"$scratch/raw.err" >"$rec/$name.err"
}

tables() { # DB: the stored results as the sqlite3 shell prints them
	[ -n "$SQLITE" ] || return 0
	"$SQLITE" -header -list "$1" \
		'SELECT * FROM func ORDER BY id;' \
		'SELECT * FROM verdict ORDER BY func, property;' \
		'SELECT * FROM icall ORDER BY func, file, line, col, fntype, slot;' \
		'SELECT * FROM contract_store ORDER BY file, line, col, func, dest;' \
		'SELECT * FROM properties ORDER BY file, line, name, usr;' \
		'SELECT * FROM effect_kind ORDER BY id;' | norm >"$rec/$2.tables"
}

variants='v0 v1 v2 v3 v4 v5 v6'
vargs() {
	case $1 in
	v0) echo "" ;;
	v1) echo "--indirect-calls=unknown" ;;
	v2) echo "--indirect-calls=signature" ;;
	v3) echo "--world=open" ;;
	v4) echo "--weak=trust --interposition=none" ;;
	v5) echo "--unknown-externals=clean --errno=ignore" ;;
	v6) echo "--library-models=off" ;;
	esac
}

# program NAME SRCDIR BUILDDIR EXTRA: every recorded run over one program.
program() {
	pname=$1 src=$2 bdir=$3 extra=$4
	key=$(echo "$pname" | tr / _)
	for v in $variants; do
		rec=$out/$pname/$v
		mkdir -p "$rec"
		db=$scratch/$key.$v.db
		# shellcheck disable=SC2046,SC2086 # options are single words
		set -- -p "$bdir" --db "$db" $extra $(vargs $v)
		keep dump "$src" "$FNPROP" "$@" --quiet --dump=verdicts
		keep check "$src" "$FNPROP" "$@" --no-color
		keep check-all-json "$src" "$FNPROP" "$@" --quiet --checks='*' --format=json
		keep jsonl "$src" "$FNPROP" export "$@" --format=jsonl
		: >"$rec/explain.out"
		for n in $(sed -n 's/^[^ ]*: \([^ ]*\) tls=.*/\1/p' "$rec/dump.out" | LC_ALL=C sort -u); do
			keep explain.one "$src" "$FNPROP" explain "$@" "$n"
			{ echo "== $n (status $(cat "$rec/explain.one.rc"))"; cat "$rec/explain.one.out" "$rec/explain.one.err"; } \
				>>"$rec/explain.out"
		done
		rm -f "$rec"/explain.one.*
		tables "$db" results
		if [ $v = v0 ]; then
			keep sarif "$src" "$FNPROP" "$@" --quiet --checks='*' --format=sarif
			keep fixes "$src" "$FNPROP" "$@" --quiet --checks='*' --export-fixes="$scratch/fixes.yaml"
			norm <"$scratch/fixes.yaml" >"$rec/fixes.yaml"
			keep export-c "$src" "$FNPROP" export "$@" --format=c
			sed 's/^  "[0-9a-f]\{16,64\}",$/  "@HASH@",/' "$rec/export-c.out" >"$rec/export-c.tmp" &&
				mv "$rec/export-c.tmp" "$rec/export-c.out"
		fi
	done
	rec=$out/$pname
	keep diff-v5-v0 "$src" "$FNPROP" diff "$scratch/$key.v5.db" "$scratch/$key.v0.db"
	keep diff-v5-v0-json "$src" "$FNPROP" diff --format=json "$scratch/$key.v5.db" "$scratch/$key.v0.db"
	keep diff-v0-v1 "$src" "$FNPROP" diff "$scratch/$key.v0.db" "$scratch/$key.v1.db"
}

# ----------------------------------------------------------------- fixtures
for d in "$ROOT"/tests/fixtures/*/; do
	c=$(basename "$d")
	[ -f "$d/build.txt" ] || continue
	sh "$ROOT/tests/run-fixtures.sh" --compdb "$d" "$scratch/fx-$c" >/dev/null || exit 2
	extra=
	[ -f "$d/fnprop-args" ] && extra=$(cat "$d/fnprop-args")
	program "fixtures/$c" "$d" "$scratch/fx-$c" "$extra"
done

# ------------------------------------------------------------------ example
mkdir -p "$out/taskdemo"
rec=$out/taskdemo
keep tour "$ROOT" env DEMO_DIR="$scratch/demo" sh "$ROOT/examples/run-demo.sh" "$FNPROP"
program taskdemo "$ROOT/examples/taskdemo" "$scratch/demo" ""

# ------------------------------------------------------- diagnostics cases
for d in "$ROOT"/tests/diag/cases/*/; do
	c=$(basename "$d")
	[ -f "$d/runs" ] || continue
	rec=$out/diag/$c
	mkdir -p "$rec"
	sh "$ROOT/tests/run-fixtures.sh" --compdb "$d" "$scratch/dg-$c" >/dev/null || exit 2
	while read -r run status args; do
		case $run in '' | '#'*) continue ;; esac
		rm -f "$scratch/dg-$c/fnprop.db"
		# shellcheck disable=SC2016 # expanded by the inner shell
		keep "$run" "$d" sh -c 'f=$0 b=$1; eval "set -- $2"; exec "$f" -p "$b" --db "$b/fnprop.db" "$@"' \
			"$FNPROP" "$scratch/dg-$c" "$args"
	done <"$d/runs"
done

# ------------------------------------------------------------- the CLI itself
rec=$out/cli
mkdir -p "$rec"
keep help "$ROOT" "$FNPROP" --help
keep diff-help "$ROOT" "$FNPROP" diff --help
keep list-checks "$ROOT" "$FNPROP" --list-checks
keep bad-dump "$ROOT" "$FNPROP" --dump=nothing
keep bad-option "$ROOT" "$FNPROP" --no-such-option

[ "$mode" = record ] && { echo "oracle: recorded $(find "$out" -type f | wc -l) files in $out"; exit 0; }
if diff -r -u "$want" "$out" >"$scratch/diff"; then
	echo "oracle: identical ($(find "$out" -type f | wc -l) files)"
	exit 0
fi
cat "$scratch/diff"
echo "oracle: outputs differ from $want" >&2
exit 1
