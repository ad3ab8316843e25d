#!/bin/sh
# SPDX-License-Identifier: MIT
# run-runtime.sh [CASE...] - run-time confirmation of the golden fixtures:
# each tests/fixtures/<case>/runtime.txt builds small programs from the
# case's C files with the Makefile's clang ($CLANG, exported by the
# Makefile; tests/lib/tools.sh finds the same one by hand) and runs them, checking that the effect fnprop reports (or says
# it cannot rule out) really happens: a trap ends with SIGILL, a cleanup
# function's abort with SIGABRT, a thread-pointer read differs between
# threads, an unevaluated abort() never runs.
#
# runtime.txt, one directive per line (`#` starts a comment line):
#   build: FLAGS... FILES...   compile these (paths relative to the case)
#                              into one program; the `run:` lines after it
#                              run that program
#   run: ARGS... => OUTCOME [cpu:FLAG]
#        OUTCOME is `exit N` or `signal NAME` (ILL, TRAP, ABRT, SEGV, ...);
#        cpu:FLAG skips the run when /proc/cpuinfo lacks FLAG; a program
#        exiting 77 could not show the effect on this machine (skipped).
# POSIX sh and standard tools only.
set -u

top=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck source=tests/lib/tools.sh
. "$top/tests/lib/tools.sh"
need CLANG "clang-$LLVM_MAJOR"
llvm_lib=$(cd "$(dirname "$CLANG")/../lib" 2>/dev/null && pwd -P)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-runtime.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0 2>/dev/null

pass=0 fail=0 skip=0

cpu_has() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }

# outcome STATUS: the words for an exit status ("exit N" or "signal NAME").
outcome() {
	if [ "$1" -gt 128 ]; then
		echo "signal $(kill -l $(($1 - 128)) 2>/dev/null || echo $(($1 - 128)))"
	else
		echo "exit $1"
	fi
}

run_case() {
	name=$1
	cdir=$top/tests/fixtures/$name
	[ -f "$cdir/runtime.txt" ] || return 0
	bin= n=0 bad=0
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'#'* | '') continue ;;
		build:*)
			n=$((n + 1))
			bin=$tmp/$name.$n
			# shellcheck disable=SC2086 # flags and files are words
			if ! (cd "$cdir" && "$CLANG" -w ${line#build:} -Wl,-rpath,"$llvm_lib" -o "$bin") >"$tmp/cc.log" 2>&1; then
				echo "FAIL $name: cannot build:${line#build:}"
				sed 's/^/    /' "$tmp/cc.log"
				bad=1 bin=
			fi
			;;
		run:*)
			spec=${line#run:}
			args=${spec%%=>*}
			want=${spec#*=>}
			need=
			case $want in *cpu:*) need=${want##*cpu:} want=${want%%cpu:*} ;; esac
			want=$(echo $want)
			if [ -z "$bin" ]; then
				bad=1
				continue
			fi
			if [ -n "$need" ] && ! cpu_has "$need"; then
				echo "SKIP $name:$args (no $need on this CPU)"
				skip=$((skip + 1))
				continue
			fi
			# shellcheck disable=SC2086 # arguments are words
			"$bin" $args >"$tmp/out" 2>&1 </dev/null
			st=$?
			got=$(outcome $st)
			if [ "$st" -eq 77 ] && [ "$want" != "exit 77" ]; then
				echo "SKIP $name:$args (the machine cannot show it)"
				skip=$((skip + 1))
			elif [ "$got" = "$want" ]; then
				pass=$((pass + 1))
			else
				echo "FAIL $name:$args: expected $want, got $got"
				sed 's/^/    /' "$tmp/out" | head -n 5
				bad=1
			fi
			;;
		*)
			echo "FAIL $name: runtime.txt: cannot read: $line"
			bad=1
			;;
		esac
	done <"$cdir/runtime.txt"
	if [ "$bad" -eq 0 ]; then echo "PASS $name"; else fail=$((fail + 1)); fi
}

if [ $# -gt 0 ]; then
	for c in "$@"; do run_case "$c"; done
else
	for d in "$top"/tests/fixtures/*/; do
		run_case "$(basename "$d")"
	done
fi
echo "$pass runs passed, $skip skipped, $fail cases failed"
[ "$fail" -eq 0 ]
