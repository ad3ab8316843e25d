#!/bin/sh
# SPDX-License-Identifier: MIT
# openmp_bench.sh [FNPROP] - the cost of seeing OpenMP regions (issue 16):
# a TU whose -fopenmp parse meets directives is parsed a second time
# without -fopenmp.  Generates OMP_TUS TUs (default 40; each includes
# stdio.h, stdlib.h and omp.h and has OMP_FUNCS functions, default 20, with
# nested parallel/single/task/taskwait regions) and measures, cold, with
# the same flags and -j JOBS:
#   fnprop with directives     two parses per TU
#   fnprop, pragmas deleted    one parse per TU (fnprop's cost without the pass)
#   clang -fsyntax-only        one process per TU (the parse limit)
# and prints the ratios.  A report, never pass/fail.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FNPROP=${1:-$ROOT/build/fnprop}
case $FNPROP in /*) ;; *) FNPROP=$ROOT/$FNPROP ;; esac
JOBS=${JOBS:-$(nproc)}
TUS=${OMP_TUS:-40}
FUNCS=${OMP_FUNCS:-20}
RUNS=${RUNS:-3}
MAJOR=$("$FNPROP" --version | sed -n 's/.*libclang \([0-9]*\).*/\1/p')
CLANG=${CLANG:-$(llvm-config-"$MAJOR" --bindir 2>/dev/null)/clang}
[ -x "$CLANG" ] || { echo "openmp_bench: $CLANG not found" >&2; exit 2; }
WORK=${WORK:-$ROOT/build/bench-openmp}
rm -rf "$WORK" && mkdir -p "$WORK/omp" "$WORK/plain"

gen() { # DIR KEEP_PRAGMAS
	i=0
	while [ $i -lt "$TUS" ]; do
		{
			printf '#include <stdio.h>\n#include <stdlib.h>\n#include <omp.h>\n'
			printf 'static long leaf_%d(long x) { return x * 3 + 1; }\n' $i
			f=0
			while [ $f -lt "$FUNCS" ]; do
				cat <<C
long work_${i}_${f}(int n) {
  long s = 0;
#pragma omp parallel
#pragma omp single
  for (int k = 0; k < n; k++) {
#pragma omp task untied shared(s) firstprivate(k)
    {
      long v = leaf_$i(k);
#pragma omp taskyield
#pragma omp atomic
      s += v;
    }
  }
#pragma omp taskwait
  if (s < 0) abort();
  return s;
}
C
				f=$((f + 1))
			done
		} >"$1/t$i.c.tmp"
		if [ "$2" = 1 ]; then mv "$1/t$i.c.tmp" "$1/t$i.c"; else grep -v '^#pragma omp' "$1/t$i.c.tmp" >"$1/t$i.c" && rm "$1/t$i.c.tmp"; fi
		i=$((i + 1))
	done
	{
		printf '['
		i=0
		while [ $i -lt "$TUS" ]; do
			[ $i -gt 0 ] && printf ','
			printf '{"directory":"%s","file":"t%d.c","arguments":["cc","-std=gnu11","-fopenmp","-c","t%d.c"]}' "$1" $i $i
			i=$((i + 1))
		done
		printf ']\n'
	} >"$1/compile_commands.json"
}
gen "$WORK/omp" 1
gen "$WORK/plain" 0

now() { date +%s.%N; }
best() { # CMD...: best wall seconds of RUNS runs
	b=
	r=0
	while [ $r -lt "$RUNS" ]; do
		rm -f "$WORK"/*/fnprop.db*
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
		r=$((r + 1))
	done
	echo "$b"
}
clang_all() {
	(cd "$1" && ls t*.c | xargs -P "$JOBS" -n 1 "$CLANG" -std=gnu11 -fopenmp -fsyntax-only -w)
}
a=$(best "$FNPROP" -p "$WORK/omp" -j "$JOBS" --quiet)
b=$(best "$FNPROP" -p "$WORK/plain" -j "$JOBS" --quiet)
c=$(best clang_all "$WORK/omp")
tasks=$("$FNPROP" export -p "$WORK/omp" 2>/dev/null | grep -c '"task":true')
proven=$("$FNPROP" export -p "$WORK/omp" 2>/dev/null | grep '"task":true' | grep -c '"tls":"proven"')
echo "$TUS TUs x $FUNCS functions with OpenMP tasks, -j $JOBS, best of $RUNS:"
printf '  fnprop, directives (two parses)   %6.2f s\n' "$a"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '  fnprop, pragmas deleted (one)     %6.2f s   second pass: %sx\n' "$b" "$(ratio "$a" "$b")"
printf '  clang -fsyntax-only -fopenmp      %6.2f s   fnprop with directives: %sx of it\n' "$c" "$(ratio "$a" "$c")"
echo "  task entries found $tasks, proven $proven"
