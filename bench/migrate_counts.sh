#!/bin/sh
# SPDX-License-Identifier: MIT
# migrate_counts.sh - task entries proven under stage 1 (tls) vs stage 3
# (migrate), from `fnprop --dump=migrate`, on examples/taskdemo and,
# when given a checkout, on libtask (github.com/0intro/libtask: the
# library plus each example program, one analysis per program).
#
# Invariant: only counts what --dump=migrate prints for the named entry
# functions; an entry that is missing from the dump is an error, never a
# silent zero.
#
# usage: bench/migrate_counts.sh [BUILD [LIBTASK_DIR]]
set -eu

BUILD=${1:-${BUILD:-build}}
LIBTASK=${2:-${LIBTASK:-}}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
fnprop=$(cd "$BUILD" && pwd -P)/fnprop
[ -x "$fnprop" ] || { echo "migrate_counts: error: '$fnprop' missing; run make" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# cdb DIR FILE... : DIR/compile_commands.json, -std=gnu99, DIR and include/ on the path
cdb() {
  python3 - "$@" <<'PY'
import json, os, sys
src, files = sys.argv[1], sys.argv[2:]
json.dump([{"directory": src, "file": os.path.join(src, f),
            "arguments": ["cc", "-std=gnu99", "-pthread", "-I" + src, "-I" + os.environ["FNPROP_INC"],
                          "-c", os.path.join(src, f)]} for f in files],
          open(os.path.join(src, "compile_commands.json"), "w"))
PY
}
export FNPROP_INC="$ROOT/include"

# count LABEL DUMP ENTRY...: one table line
count() {
  label=$1 dump=$2
  shift 2
  n=0 tls=0 mig=0 names=""
  for e in "$@"; do
    line=$(grep " $e tls=" "$dump" | head -1) || { echo "migrate_counts: error: no '$e' in the dump of $label" >&2; exit 1; }
    n=$((n + 1))
    case $line in *" tls=proven "*) tls=$((tls + 1)) ;; esac
    case $line in *" migrate=proven"*) mig=$((mig + 1)); names="$names $e" ;; esac
  done
  printf '   %-22s %7d %14d %16d   %s\n' "$label" "$n" "$tls" "$mig" "${names# }"
}

echo "== task entries proven: stage 1 (tls) vs stage 3 (migrate), fnprop --dump=migrate"
printf '   %-22s %7s %14s %16s   %s\n' "code base" entries "tls proven" "migrate proven" "migrate-proven entries"

# taskdemo: the five jobs main.c queues
cp "$ROOT"/examples/taskdemo/*.c "$ROOT"/examples/taskdemo/*.h "$tmp/"
mkdir -p "$tmp/td" && mv "$tmp"/*.c "$tmp"/*.h "$tmp/td/"
cdb "$tmp/td" main.c task.c log.c config.c expr.c stats.c
(cd "$tmp/td" && "$fnprop" -p . --db "$tmp/td.db" --dump=migrate) >"$tmp/td.dump" 2>"$tmp/td.err" ||
  { echo "migrate_counts: error: fnprop on taskdemo: $(tail -3 "$tmp/td.err")" >&2; exit 1; }
count taskdemo "$tmp/td.dump" job_eval job_checksum job_series job_config job_number

# libtask: the library with each example program
if [ -n "$LIBTASK" ]; then
  all=$tmp/lt.all
  : >"$all"
  for ex in echo httpload primes tcpload tcpproxy testdelay testdelay1; do
    d=$tmp/lt-$ex
    mkdir -p "$d" && cp "$LIBTASK"/*.c "$LIBTASK"/*.h "$d/"
    cdb "$d" channel.c fd.c net.c print.c qlock.c rendez.c task.c "$ex.c"
    (cd "$d" && "$fnprop" -p . --db "$d.db" --model="$ROOT/bench/libtask.model" --dump=migrate) >"$d.dump" 2>"$d.err" ||
      { echo "migrate_counts: error: fnprop on libtask + $ex.c: $(tail -3 "$d.err")" >&2; exit 1; }
    # the entries: what the program and the library pass to taskcreate
    ents=$(grep -ho 'taskcreate([a-z0-9_]*' "$d/$ex.c" "$d/fd.c" "$d/task.c" | sed 's/taskcreate(//' | sort -u)
    # shellcheck disable=SC2086 # one word per entry
    count "libtask+$ex.c" "$d.dump" $ents | tee -a "$all"
  done
  awk '{n += $2; t += $3; m += $4} END {printf "   %-22s %7d %14d %16d\n", "libtask (7 programs)", n, t, m}' "$all"
fi
