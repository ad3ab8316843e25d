#!/bin/sh
# SPDX-License-Identifier: MIT
# solver_bench.sh - builds bench/solver_bench.c into $BUILD/bench and times
# the solver on a synthetic 1M-function / 5M-edge graph, then on the same
# graph melted into one giant SCC (-g).  With arguments, runs only those:
#   bench/solver_bench.sh [-g] [-r RUNS] [NODES [EDGES [SEED]]]
# Reports against the design targets; a MISS is printed, never fatal.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CC=${CC:-cc}
bin="$BUILD/bench/solver_bench"
mkdir -p "$BUILD/bench"
$CC -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -O2 \
    -Ianalyzer analyzer/verdict.c analyzer/solver.c bench/solver_bench.c -o "$bin"
if [ $# -gt 0 ]; then
  exec "$bin" "$@"
fi
"$bin"
echo
"$bin" -g
