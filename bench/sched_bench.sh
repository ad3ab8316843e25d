#!/bin/sh
# SPDX-License-Identifier: MIT
# sched_bench.sh - runtime shim benchmarks: the cost of one migration decision,
# the throughput of sched-demo's imbalanced workload when every started
# task is pinned, when the shim decides, and when everything migrates
# (unsafe); and an errno workload (stage 3): pinned vs stage-1 gating
# (--migrate-on=tls) vs stage-3 gating (--migrate-on=migrate) vs unsafe.
#
# Invariant: the three policies run the same workload interleaved (pinned,
# shim, unsafe, pinned, ...) so drifting machine load hits them alike; each
# time is the best of REPS runs (other load only ever slows a run down; the
# cpu-s column shows how much of the machine a run actually got).  Goal
# (issue 6): shim within 10 % of unsafe at 90 % proven tasks, and clearly
# faster than pinned.
#
# usage: bench/sched_bench.sh [BUILD]   (or BUILD=dir in the environment);
#        needs `make runtime` first
# env:   REPS=5 TASKS=2000 SLICES=20 WORK=3000 TLS_PERCENT=10 WORKERS="2 8"
#        ERRNO_PERCENT=60 ERRNO_TLS_PERCENT=10 ERRNO_WORKERS="2 8"
set -eu

BUILD=${1:-${BUILD:-build}}
REPS=${REPS:-5}
TASKS=${TASKS:-2000}
SLICES=${SLICES:-20}
WORK=${WORK:-3000}
TLS_PERCENT=${TLS_PERCENT:-10}
WORKERS=${WORKERS:-2 8}
ERRNO_PERCENT=${ERRNO_PERCENT:-60}
ERRNO_TLS_PERCENT=${ERRNO_TLS_PERCENT:-10}
ERRNO_WORKERS=${ERRNO_WORKERS:-$WORKERS}
demo=$BUILD/sched-demo
raw=$BUILD/sched-demo-raw-errno
decide=$BUILD/sched-bench-decide

for b in "$demo" "$raw" "$decide"; do
  [ -x "$b" ] || { echo "sched_bench: error: '$b' missing; run 'make runtime BUILD=$BUILD'" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# field NAME < json  -> the number after "NAME":
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
best() { sort -n | head -1; }

echo "== migration decision: fnprop_rt_may_migrate(), 64 registered entries, static lib"
"$decide" | awk '{printf "   %-14s %6.2f ns/call\n", $1, $2}'
echo

verdicts=$("$demo" --tasks 1 --slices 0 | sed -n 's/.*"verdicts":"\([a-z]*\)".*/\1/p')
echo "== imbalanced workload: $TASKS tasks x $SLICES yields x $WORK rounds, $TLS_PERCENT% thread-local,"
echo "   all started on one worker; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at start;"
echo "   verdicts: $verdicts; best of $REPS interleaved runs (cpu-s, migrated: median)"
printf '   %-7s %-7s %9s %8s %10s %9s %9s %9s %11s\n' \
  workers policy seconds cpu-s tasks/s vs-unsafe vs-pinned migrated tls-changes
for w in $WORKERS; do
  r=1
  while [ "$r" -le "$REPS" ]; do
    for mode in pinned shim unsafe; do
      "$demo" --workers "$w" --tasks "$TASKS" --slices "$SLICES" --work "$WORK" \
        --tls-percent "$TLS_PERCENT" --mode "$mode" > "$tmp/out" || {
        echo "sched_bench: error: sched-demo --mode $mode failed" >&2; exit 1; }
      field seconds < "$tmp/out" >> "$tmp/$w.$mode.sec"
      field cpu_seconds < "$tmp/out" >> "$tmp/$w.$mode.cpu"
      field proven_migrated < "$tmp/out" >> "$tmp/$w.$mode.mig"
      field tls_thread_changes < "$tmp/out" >> "$tmp/$w.$mode.tls"
    done
    r=$((r + 1))
  done
  unsafe=$(best < "$tmp/$w.unsafe.sec")
  pinned=$(best < "$tmp/$w.pinned.sec")
  for mode in pinned shim unsafe; do
    s=$(best < "$tmp/$w.$mode.sec")
    awk -v w="$w" -v m="$mode" -v s="$s" -v u="$unsafe" -v p="$pinned" -v n="$TASKS" \
        -v cpu="$(median < "$tmp/$w.$mode.cpu")" \
        -v mig="$(median < "$tmp/$w.$mode.mig")" -v tls="$(sort -n "$tmp/$w.$mode.tls" | tail -1)" \
      'BEGIN {printf "   %-7s %-7s %9.3f %8.3f %10.0f %8.2fx %8.2fx %9d %11d\n", w, m, s, cpu, n/s, s/u, p/s, mig, tls}'
  done
done
echo
echo "   cpu-s: CPU seconds the process got (idle workers spin briefly before sleeping)"
echo "   vs-unsafe: time / unsafe time (goal for shim: <= 1.10)"
echo "   vs-pinned: speed-up over all-pinned; migrated: proven tasks that changed worker;"
echo "   tls-changes: worst run's thread changes seen by thread-local tasks"

# ---- stage 3: the errno workload
echo
echo "== errno workload: $TASKS tasks x $SLICES yields x $WORK rounds: $ERRNO_PERCENT% use errno between"
echo "   yields (stage 1: tls violated; stage 3: migrate proven), $ERRNO_TLS_PERCENT% keep thread-local"
echo "   state across yields, the rest only compute; all started on one worker; load average"
echo "   $(cut -d' ' -f1 /proc/loadavg) at start; best of $REPS interleaved runs (migrated, wrong: median, worst)"
printf '   %-7s %-8s %9s %8s %10s %11s %9s %9s %9s %9s\n' \
  workers gating seconds cpu-s tasks/s vs-pinned migrated errno-mig tls-wrong errno-wrong
# policy NAME -> sched-demo arguments
policy() {
  case $1 in
  pinned) echo "--mode pinned" ;;
  stage-1) echo "--mode shim --migrate-on=tls" ;;
  stage-3) echo "--mode shim --migrate-on=migrate" ;;
  unsafe) echo "--mode unsafe" ;;
  esac
}
for w in $ERRNO_WORKERS; do
  r=1
  while [ "$r" -le "$REPS" ]; do
    for p in pinned stage-1 stage-3 unsafe; do
      # shellcheck disable=SC2046 # policy prints several words
      "$demo" --workers "$w" --tasks "$TASKS" --slices "$SLICES" --work "$WORK" \
        --tls-percent "$ERRNO_TLS_PERCENT" --errno-percent "$ERRNO_PERCENT" $(policy $p) > "$tmp/out" || {
        echo "sched_bench: error: sched-demo $(policy $p) failed" >&2; exit 1; }
      field seconds < "$tmp/out" >> "$tmp/e$w.$p.sec"
      field cpu_seconds < "$tmp/out" >> "$tmp/e$w.$p.cpu"
      tm=$(field proven_migrated < "$tmp/out"); em=$(field errno_migrated < "$tmp/out")
      lm=$(field tls_migrated < "$tmp/out")
      echo $((tm + em + lm)) >> "$tmp/e$w.$p.mig"
      echo "$em" >> "$tmp/e$w.$p.emig"
      field tls_wrong < "$tmp/out" >> "$tmp/e$w.$p.tlsw"
      field errno_wrong < "$tmp/out" >> "$tmp/e$w.$p.errw"
    done
    r=$((r + 1))
  done
  base=$(best < "$tmp/e$w.pinned.sec")
  for p in pinned stage-1 stage-3 unsafe; do
    s=$(best < "$tmp/e$w.$p.sec")
    awk -v w="$w" -v m="$p" -v s="$s" -v b="$base" -v n="$TASKS" \
        -v cpu="$(median < "$tmp/e$w.$p.cpu")" -v mig="$(median < "$tmp/e$w.$p.mig")" \
        -v emig="$(median < "$tmp/e$w.$p.emig")" -v tw="$(sort -n "$tmp/e$w.$p.tlsw" | tail -1)" \
        -v ew="$(sort -n "$tmp/e$w.$p.errw" | tail -1)" \
      'BEGIN {printf "   %-7s %-8s %9.3f %8.3f %10.0f %10.2fx %9d %9d %9d %11d\n", w, m, s, cpu, n/s, b/s, mig, emig, tw, ew}'
  done
done
# The same stage-3 run, built with plain errno (no FNPROP_RT_FRESH_ERRNO).
"$raw" --workers 2 --tasks "$TASKS" --slices "$SLICES" --work "$WORK" --tls-percent "$ERRNO_TLS_PERCENT" \
  --errno-percent "$ERRNO_PERCENT" --mode shim --migrate-on=migrate > "$tmp/out" 2>/dev/null || true
echo
echo "   vs-pinned: speed-up over all-pinned (the baseline, same run); migrated: tasks that changed"
echo "   worker; errno-mig: of which errno tasks; tls-wrong, errno-wrong: worst run's wrong results"
echo "   (tls-wrong under unsafe is the hazard; errno-wrong must be 0 everywhere)"
echo "   stage-3 built without FNPROP_RT_FRESH_ERRNO (sched-demo-raw-errno, 2 workers): errno tasks"
echo "   migrated $(field errno_migrated < "$tmp/out"), wrong $(field errno_wrong < "$tmp/out") (the compiler kept errno's address across yields)"
