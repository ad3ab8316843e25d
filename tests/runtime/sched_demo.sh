#!/bin/sh
# SPDX-License-Identifier: MIT
# sched_demo.sh FNPROP - the reference demo (build/sched-demo) checks its
# own results: every mode that keeps tls tasks on their thread (shim,
# pinned, one worker unsafe) computes every result right and exits 0; a
# deliberately wrong input (--fault-job) makes it exit 4 naming the count;
# under the shim no tls task ever changes thread.  Stage 3: the errno tasks
# (errno set and read between yields) migrate under --migrate-on=migrate
# (the default) and compute right, are pinned under --migrate-on=tls (or
# FNPROP_RT_MIGRATE_ON=tls), and the tls tasks go wrong only when unsafe.
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
[ "$rc" = 4 ] && grep -q 'sched-demo: error: 1 of 50 results are wrong (1 proven, 0 errno, 0 tls tasks)' "$TMP/err" ||
	fail "--fault-job 7 (a proven task): exit $rc, want 4: $(cat "$TMP/err")"
run --workers 2 --tasks 50 --fault-job 10 --mode pinned
[ "$rc" = 4 ] && grep -q '(0 proven, 0 errno, 1 tls tasks)' "$TMP/err" ||
	fail "--fault-job 10 (a tls task): exit $rc, want 4: $(cat "$TMP/err")"
run --fault-job 0
[ "$rc" = 2 ] || fail "--fault-job 0: exit $rc, want 2 (usage)"

# ---- stage 3: errno between yields
word() { sed -n "s/.*\"$1\":\"\([a-z-]*\)\".*/\1/p" "$TMP/out"; }
mix="--workers 2 --tasks 400 --slices 8 --work 500 --tls-percent 20 --errno-percent 50"
# errno tasks need a steal to migrate: a few tries
moved=0
for try in 1 2 3 4 5; do
	# shellcheck disable=SC2086 # $mix is several words
	run $mix
	[ "$rc" = 0 ] || fail "migrate gate: exit $rc: $(cat "$TMP/err")"
	[ "$(word migrate_on)" = migrate ] && [ "$(word errno_entry)" = migrate ] && [ "$(word tls_entry)" = violated ] ||
		fail "migrate gate: decisions: $(cat "$TMP/out")"
	[ "$(field errno_tasks)" = 200 ] && [ "$(field tls_tasks)" = 80 ] && [ "$(field proven_tasks)" = 120 ] ||
		fail "migrate gate: task counts: $(cat "$TMP/out")"
	[ "$(field errno_wrong)" = 0 ] && [ "$(field proven_wrong)" = 0 ] && [ "$(field tls_wrong)" = 0 ] &&
		[ "$(field tls_thread_changes)" = 0 ] || fail "migrate gate: wrong results: $(cat "$TMP/out")"
	moved=$(field errno_migrated)
	[ "$moved" -gt 0 ] && break
done
[ "$moved" -gt 0 ] || fail "migrate gate: no errno task migrated in 5 runs: $(cat "$TMP/out")"

for how in "--migrate-on=tls" "--migrate-on tls" "env"; do
	# shellcheck disable=SC2086 # several words
	case $how in
	env) FNPROP_RT_MIGRATE_ON=tls "$demo" $mix >"$TMP/out" 2>"$TMP/err"; rc=$? ;;
	*) run $mix $how ;;
	esac
	[ "$rc" = 0 ] && [ "$(word migrate_on)" = tls ] && [ "$(word errno_entry)" = violated ] &&
		[ "$(field errno_migrated)" = 0 ] && [ "$(field errno_migrations)" = 0 ] && [ "$(field errno_wrong)" = 0 ] ||
		fail "tls gate ($how): errno tasks must stay pinned: exit $rc: $(cat "$TMP/out") $(cat "$TMP/err")"
done
# the command line wins over the environment
# shellcheck disable=SC2086 # several words
FNPROP_RT_MIGRATE_ON=tls "$demo" $mix --migrate-on=migrate >"$TMP/out" 2>"$TMP/err"
[ "$(word errno_entry)" = migrate ] || fail "--migrate-on=migrate under FNPROP_RT_MIGRATE_ON=tls: $(cat "$TMP/out")"

# unsafe: the tls tasks go wrong (counted, not failed), errno ones stay right
bad=0
for try in 1 2 3 4 5; do
	# shellcheck disable=SC2086 # several words
	run $mix --mode unsafe
	[ "$rc" = 0 ] && [ "$(field errno_wrong)" = 0 ] && [ "$(field proven_wrong)" = 0 ] ||
		fail "unsafe: exit $rc: $(cat "$TMP/out") $(cat "$TMP/err")"
	bad=$(field tls_wrong)
	[ "$bad" -gt 0 ] && break
done
[ "$bad" -gt 0 ] || fail "unsafe: no tls task went wrong in 5 runs: the hazard is not shown: $(cat "$TMP/out")"

run --migrate-on=stage3
[ "$rc" = 2 ] || fail "--migrate-on=stage3: exit $rc, want 2 (usage)"
run --tls-percent 60 --errno-percent 50
[ "$rc" = 2 ] || fail "--tls-percent 60 --errno-percent 50: exit $rc, want 2 (usage)"
finish
