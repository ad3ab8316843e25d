#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh BUILD_DIR - `make bench`: every benchmark, each printing ratios
# against a baseline measured in the same run.  Results are reports, never
# pass/fail; docs/performance.md records a run and the commands.
#   BENCH=parse,solver,sched,precision,openmp  (default: all)
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
only=${BENCH:-parse,solver,sched,precision,openmp}
status=0
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
if want parse; then
  echo "## Cold, warm and incremental analysis against clang -fsyntax-only"
  bench/parse_bench.sh "$build/fnprop" || status=1
fi
if want solver; then
  echo
  echo "## Solver alone (1M functions, 5M calls)"
  BUILD=$build bench/solver_bench.sh || status=1
fi
if want sched && [ -x bench/sched_bench.sh ]; then
  echo
  echo "## Runtime shim and reference scheduler"
  BUILD=$build bench/sched_bench.sh || status=1
fi
if want precision && [ -x bench/precision.sh ]; then
  echo
  echo "## Precision on real code"
  bench/precision.sh "$build/fnprop" || status=1
fi
if want openmp && [ -x bench/openmp_bench.sh ]; then
  echo
  echo "## OpenMP regions: the second parse"
  bench/openmp_bench.sh "$build/fnprop" || status=1
fi
exit $status
