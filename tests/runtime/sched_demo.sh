#!/bin/sh
# SPDX-License-Identifier: MIT
# sched_demo.sh FNPROP - the reference demo (build/sched-demo) checks its
# own results: every mode that keeps tls tasks on their thread (shim,
# pinned, one worker unsafe) computes every result right and exits 0; a
# deliberately wrong input (--fault-job) makes it exit 4 naming the count;
# under the shim no tls task ever changes thread.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/../integration/common"

demo=$BUILD/sched-demo
[ -x "$demo" ] || { fail "$demo not built (make runtime)"; finish; }
field() { sed -n "s/.*\"$1\":\\([0-9][0-9]*\\).*/\\1/p" "$TMP/out"; }
run() { "$demo" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

for mode in "--mode shim --workers 2" "--mode pinned --workers 2" "--mode shim --workers 4" \
	"--mode unsafe --workers 1" "--mode pinned --workers 1"; do
	# shellcheck disable=SC2086 # the mode is several words
	run $mode --tasks 400 --slices 8 --work 500 --tls-percent 30
	[ "$rc" = 0 ] || fail "$mode: exit $rc: $(cat "$TMP/err")"
	[ "$(field proven_wrong)" = 0 ] && [ "$(field tls_wrong)" = 0 ] ||
		fail "$mode: wrong results: $(cat "$TMP/out")"
	[ "$(field tls_tasks)" = 120 ] && [ "$(field proven_tasks)" = 280 ] || fail "$mode: task counts: $(cat "$TMP/out")"
done
run --mode shim --workers 2 --tasks 400 --slices 8 --work 500 --tls-percent 30
[ "$(field tls_thread_changes)" = 0 ] || fail "shim: a tls task changed thread: $(cat "$TMP/out")"

run --workers 2 --tasks 50 --fault-job 7
[ "$rc" = 4 ] && grep -q 'sched-demo: error: 1 of 50 results are wrong (1 proven, 0 tls tasks)' "$TMP/err" ||
	fail "--fault-job 7 (a proven task): exit $rc, want 4: $(cat "$TMP/err")"
run --workers 2 --tasks 50 --fault-job 10 --mode pinned
[ "$rc" = 4 ] && grep -q '(0 proven, 1 tls tasks)' "$TMP/err" ||
	fail "--fault-job 10 (a tls task): exit $rc, want 4: $(cat "$TMP/err")"
run --fault-job 0
[ "$rc" = 2 ] || fail "--fault-job 0: exit $rc, want 2 (usage)"
finish
