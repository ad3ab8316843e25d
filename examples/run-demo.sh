#!/bin/sh
# SPDX-License-Identifier: MIT
# run-demo.sh FNPROP - the `make demo` tour: analyze examples/taskdemo and
# show what fnprop found, one step at a time.
#
# Writes build/demo/compile_commands.json (absolute paths, each TU with its
# own flags; task.c with -DNDEBUG so its asserts are compiled out), then runs
# the check command, the verdict dump, a database query, the JSON export and
# two explained witness paths.  Findings are the point of the demo: the
# check command's exit status 1 is shown, not treated as a failure.  The
# script fails only when fnprop fails to run (status 2 or a crash).
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 FNPROP_BINARY" >&2
	exit 2
fi
FNPROP=$1
case $FNPROP in
/*) ;;
*) FNPROP=$(pwd -P)/$FNPROP ;;
esac
[ -x "$FNPROP" ] || { echo "run-demo: $FNPROP: not an executable (run make first)" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
SRC=$ROOT/examples/taskdemo
OUT=${DEMO_DIR:-$ROOT/build/demo}
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd -P)
status=0

heading() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$@"; }
# run CMD...: run fnprop in the source directory (so files print relative);
# a status above 1 (usage error, crash) fails the demo.
run() {
	(cd "$SRC" && "$FNPROP" "$@")
	rc=$?
	[ "$rc" -le 1 ] || { echo "run-demo: fnprop $* failed with status $rc" >&2; status=1; }
	return 0
}
json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# ------------------------------------------------------------ compile database
common="-std=c11 -Wall -Wextra -pthread -g"
inc="-I$ROOT/include"
{
	printf '['
	sep=''
	for tu in main.c task.c log.c config.c expr.c stats.c; do
		case $tu in
		task.c) extra="-DNDEBUG" ;;   # release build of the queue: asserts off
		*) extra="" ;;
		esac
		printf '%s\n  {\n    "directory": "%s",\n    "file": "%s",\n' "$sep" "$(json "$SRC")" "$(json "$SRC/$tu")"
		if [ "$tu" = expr.c ]; then
			# One entry in the "command" form, as CMake's Makefile generators write it.
			printf '    "command": "cc %s %s -c %s"\n  }' "$common" "$(json "'$inc'")" "$(json "'$SRC/$tu'")"
		else
			printf '    "arguments": ["cc"'
			for a in $common $extra; do printf ', "%s"' "$a"; done
			printf ', "%s", "-c", "%s"]\n  }' "$(json "$inc")" "$(json "$SRC/$tu")"
		fi
		sep=','
	done
	printf '\n]\n'
} >"$OUT/compile_commands.json"

heading "taskdemo: a tiny task system (examples/taskdemo)"
say "A task queue drained by worker threads that call tasks through function" \
    "pointers, a logger with per-thread buffers (_Thread_local), a config" \
    "parser (strtol + errno), an expression evaluator (mutual recursion)," \
    "asserts, and die() -> abort().  Compile database:" \
    "$OUT/compile_commands.json (6 TUs; task.c has -DNDEBUG)."

# --------------------------------------------------------------------- check
heading "1. fnprop -p $OUT    (the check command: a summary)"
run -p "$OUT"
say "(exit status $rc: 0 = clean, 1 = findings or a TU that did not parse)"

# ------------------------------------------------------------------- verdicts
heading "2. every function: tls = touches thread-local state?  panic = may abort?"
say "proven   = cannot happen (everything it reaches is known and clean)" \
    "unknown  = nothing bad seen, but it calls code fnprop cannot see" \
    "           (libc without a model, a call through a function pointer)" \
    "violated = can happen; fnprop keeps a witness path"
echo
run -p "$OUT" --dump=verdicts
echo
say "Worth a look: the expression parser (parse_sum/product/factor, a cycle)" \
    "and job_checksum are proven; stats_record promises FNPROP_NOTLS but" \
    "touches a _Thread_local; task.c's asserts do not count (-DNDEBUG), expr.c's do."

# ------------------------------------------------------------------- database
heading "3. the properties database: sqlite3 $OUT/fnprop.db"
if command -v sqlite3 >/dev/null 2>&1; then
	q="select name, file, line from properties where tls = 'proven' and linkage = 'external' order by name"
	say "external functions proven !tls:  $q"
	echo
	sqlite3 -column "$OUT/fnprop.db" "$q" | sed "s|$SRC/||" | sed 's/^/   /'
else
	say "(sqlite3 shell not installed: skipped)"
fi

# --------------------------------------------------------------------- export
heading "4. fnprop export --format=jsonl    (for the runtime shim; first 3 of them)"
run export -p "$OUT" --format=jsonl >"$OUT/export.jsonl"
head -n 3 "$OUT/export.jsonl"
say "... $(wc -l <"$OUT/export.jsonl" | tr -d ' ') objects in $OUT/export.jsonl"

# -------------------------------------------------------------------- explain
heading "5. fnprop explain expr_eval_or_die    (why is it not proven?)"
run explain -p "$OUT" expr_eval_or_die
heading "6. fnprop explain stats_record    (a broken FNPROP_NOTLS promise)"
run explain -p "$OUT" stats_record

echo
exit $status
