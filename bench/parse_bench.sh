#!/bin/sh
# SPDX-License-Identifier: MIT
# parse_bench.sh [FNPROP] - fnprop against the parse limit (issue 5, item 7a).
#
# For each code base, with the same TUs, flags and parallelism (JOBS,
# default the CPU count), measures wall time and peak RSS of:
#   fnprop cold        empty database
#   fnprop warm        nothing changed
#   fnprop one .c      one source file edited
#   fnprop one header  one project header edited (every includer re-parsed)
#   clang -fsyntax-only  one process per TU, JOBS at a time (the baseline)
#   clang-tidy         one cheap check, one process per TU, JOBS at a time
# and prints each as a ratio to the clang baseline measured in the same run.
# Code bases: a generated project (bench/gen-project.sh, GEN_TUS TUs,
# default 300, every TU including real system headers) and the SQLite
# amalgamation bundled by better-sqlite3@12.11.1 (one huge TU), fetched
# with `npm pack` into $WORK.  Each figure is the best of RUNS (default 3;
# SQLITE_RUNS, default 7, for the one-TU case, whose few seconds are the
# most exposed to a shared machine's noise).  CALLGRIND=1 adds instruction
# counts for the SQLite case.
# Timings are a report, never a pass/fail.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FNPROP=${1:-$ROOT/build/fnprop}
case $FNPROP in /*) ;; *) FNPROP=$ROOT/$FNPROP ;; esac
JOBS=${JOBS:-$(nproc)}
RUNS=${RUNS:-3}
GEN_TUS=${GEN_TUS:-300}
WORK=${WORK:-$ROOT/build/bench-parse}
MAJOR=$("$FNPROP" --version | sed -n 's/.*libclang \([0-9]*\).*/\1/p')
CLANG=${CLANG:-clang-$MAJOR}
TIDY=${TIDY:-clang-tidy-$MAJOR}
command -v "$CLANG" >/dev/null || { echo "parse_bench: $CLANG not found (apt-get install clang-$MAJOR)" >&2; exit 2; }
mkdir -p "$WORK"

# best_of CMD...: runs the command RUNS times (PREP before each), prints
# "seconds peak_kb" of the fastest run.
best_of() {
  best=""
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    [ -n "${PREP:-}" ] && sh -c "$PREP"
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || true
    t=$(tail -n 1 "$WORK/time")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then
      best=$t
    fi
    i=$((i + 1))
  done
  echo "$best"
}

# The baseline runners: one process per TU, JOBS in parallel, using each
# compile-database entry's own arguments (minus -c/-o).
write_runners() { # dir
  awk -v RS='},' '
    { file = $0; sub(/.*"file":"/, "", file); sub(/".*/, "", file)
      dir = $0; sub(/.*"directory":"/, "", dir); sub(/".*/, "", dir)
      args = $0; sub(/.*"arguments":\[/, "", args); sub(/\].*/, "", args); gsub(/"/, "", args)
      n = split(args, a, ","); line = ""
      for (i = 2; i <= n; i++) { if (a[i] == "-c") continue; if (a[i] == "-o") { i++; continue }; line = line " " a[i] }
      if (file != "") print dir "\t" line }' "$1/compile_commands.json" >"$1/tus.txt"
}

# Writes $WORK/run-clang.sh and $WORK/run-tidy.sh: each takes a code base
# directory and processes its tus.txt, JOBS processes at a time.
write_tools() {
  cat >"$WORK/run-clang.sh" <<SH
#!/bin/sh
tr '\\n' '\\0' <"\$1/tus.txt" | xargs -0 -P $JOBS -I{} sh -c 'cd "\${1%%	*}" && exec $CLANG -fsyntax-only \${1#*	}' _ {}
SH
  cat >"$WORK/run-tidy.sh" <<SH
#!/bin/sh
awk -F'\\t' '{ n = split(\$2, a, " "); print \$1 "/" a[n] }' "\$1/tus.txt" | tr '\\n' '\\0' |
  xargs -0 -P $JOBS -n 1 $TIDY --quiet -p "\$1" --checks='-*,misc-misplaced-const' >/dev/null 2>&1
exit 0
SH
  chmod +x "$WORK/run-clang.sh" "$WORK/run-tidy.sh"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

report() { # name dir edit_c edit_h
  name=$1 dir=$2 edit_c=$3 edit_h=$4
  write_runners "$dir"
  ntu=$(wc -l <"$dir/tus.txt")
  base=$(PREP= best_of "$WORK/run-clang.sh" "$dir")
  cold=$(PREP="rm -f '$dir/fnprop.db' '$dir/fnprop.db-wal' '$dir/fnprop.db-shm'" best_of "$FNPROP" -p "$dir" -j "$JOBS" --quiet)
  warm=$(PREP= best_of "$FNPROP" -p "$dir" -j "$JOBS" --quiet)
  onec=$(PREP="echo '/* edit */' >>'$edit_c'" best_of "$FNPROP" -p "$dir" -j "$JOBS" --quiet)
  if [ -n "$edit_h" ]; then
    oneh=$(PREP="echo '/* edit */' >>'$edit_h'" best_of "$FNPROP" -p "$dir" -j "$JOBS" --quiet)
  else
    oneh="n/a n/a"
  fi
  if command -v "$TIDY" >/dev/null; then
    tidy=$(PREP= best_of "$WORK/run-tidy.sh" "$dir")
  else
    tidy="n/a n/a"
  fi
  b=${base%% *}
  echo
  echo "### $name ($ntu TUs, -j $JOBS, best of $RUNS)"
  echo
  echo "| run | seconds | × clang -fsyntax-only | peak RSS (MB) |"
  echo "|---|---|---|---|"
  for row in "clang -fsyntax-only:$base" "fnprop cold:$cold" "fnprop warm (nothing changed):$warm" \
             "fnprop one .c changed:$onec" "fnprop one header changed:$oneh" "clang-tidy (one check):$tidy"; do
    label=${row%%:*} v=${row#*:}
    s=${v%% *} kb=${v#* }
    mb=$(awk -v k="$kb" 'BEGIN { if (k + 0 > 0) printf "%.0f", k / 1024; else print "n/a" }')
    echo "| $label | $s | $(ratio "$s" "$b") | $mb |"
  done
}

write_tools

# The example code base (a copy: the benchmark edits files).
demo=$WORK/taskdemo
rm -rf "$demo" && mkdir -p "$demo" && cp examples/taskdemo/*.c examples/taskdemo/*.h "$demo/" || exit 2
{
  printf '['
  sep=
  for f in "$demo"/*.c; do
    b=$(basename "$f")
    printf '%s{"directory":"%s","file":"%s","arguments":["cc","-std=c11","-pthread","-I%s/include","-c","%s"]}' \
      "$sep" "$demo" "$b" "$ROOT" "$b"
    sep=,
  done
  printf ']\n'
} >"$demo/compile_commands.json"
report "examples/taskdemo" "$demo" "$demo/log.c" "$demo/taskdemo.h"

# Generated project.
gen=$WORK/gen
if [ ! -f "$gen/compile_commands.json" ]; then
  rm -rf "$gen"
  bench/gen-project.sh "$gen" "$GEN_TUS" >/dev/null || exit 2
fi
report "generated project" "$gen" "$gen/src/u1.c" "$gen/include/proj.h"

# SQLite amalgamation.
sq=$WORK/sqlite
if [ ! -f "$sq/sqlite3.c" ]; then
  mkdir -p "$sq"
  (cd "$WORK" && npm pack better-sqlite3@12.11.1 >/dev/null 2>&1 && tar xzf better-sqlite3-12.11.1.tgz &&
    cp package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h "$sq/") ||
    { echo "parse_bench: could not fetch better-sqlite3@12.11.1 from npm" >&2; exit 2; }
fi
printf '[{"directory":"%s","file":"sqlite3.c","arguments":["cc","-std=c99","-O2","-DNDEBUG","-DSQLITE_THREADSAFE=1","-c","sqlite3.c","-o","sqlite3.o"]}]\n' \
  "$sq" >"$sq/compile_commands.json"
RUNS=${SQLITE_RUNS:-7} report "SQLite amalgamation" "$sq" "$sq/sqlite3.c" ""

# Instruction counts are immune to the noise of a shared machine: with
# CALLGRIND=1, count both sides once under valgrind (slow: minutes).
if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$@" >/dev/null 2>&1
            callgrind_annotate "$WORK/cg.out" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'; }
  base=$(cd "$sq" && count "$CLANG" -fsyntax-only -std=c99 -O2 -DNDEBUG -DSQLITE_THREADSAFE=1 sqlite3.c)
  rm -f "$sq/fnprop.db" "$sq/fnprop.db-wal" "$sq/fnprop.db-shm"
  ours=$(count "$FNPROP" -p "$sq" -j 1 --quiet)
  echo
  echo "SQLite amalgamation, instructions: clang -fsyntax-only $base, fnprop cold $ours ($(ratio "$ours" "$base") ×)"
fi
