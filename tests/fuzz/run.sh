#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh FUZZ_BUILD SECONDS NAME... - runs each libFuzzer harness
# $FUZZ_BUILD/fuzz_NAME for SECONDS over tests/fuzz/corpus/NAME (new inputs
# go to FUZZ_BUILD/corpus/NAME, crashes to FUZZ_BUILD/crash-NAME-*), then
# prints executions, corpus size and crashes per harness.  Exit 1 when any
# harness crashed: copy the artifact into tests/fuzz/corpus/NAME/ (it then
# runs in `make check`) and fix the bug.
set -u
fb=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
bad=0
summary=""
for n in "$@"; do
	mkdir -p "$fb/corpus/$n"
	echo "  FUZZ    $n (${secs}s)"
	"$fb/fuzz_$n" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$fb/crash-$n-" "$fb/corpus/$n" "$top/tests/fuzz/corpus/$n" >"$fb/fuzz-$n.log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$fb/fuzz-$n.log")
	corpus=$(ls "$fb/corpus/$n" | wc -l)
	crashes=$(ls "$fb" | grep -c "^crash-$n-")
	summary="$summary$(printf '%-8s %10s execs %6s corpus %3s crashes' "$n" "${execs:-?}" "$corpus" "$crashes")
"
	if [ "$rc" != 0 ]; then
		bad=1
		echo "fuzz_$n failed (exit $rc); log: $fb/fuzz-$n.log" >&2
		grep -a -A 30 'ERROR:\|runtime error' "$fb/fuzz-$n.log" | head -n 40 >&2
	fi
done
printf '%s' "$summary"
exit $bad
