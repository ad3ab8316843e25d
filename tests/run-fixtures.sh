#!/bin/sh
# SPDX-License-Identifier: MIT
# run-fixtures.sh - golden verdict tests: analyze each tests/fixtures/<case>
# with the real fnprop and compare its --dump=verdicts with the EXPECT
# comments written in the case's C sources.
#
#   tests/run-fixtures.sh FNPROP [CASE...]     run all cases (or the named ones)
#   tests/run-fixtures.sh --compdb CASEDIR OUTDIR
#                                               only write OUTDIR/compile_commands.json
#   KEEP=1 tests/run-fixtures.sh ...            keep the temporary build dirs
#
# A case directory holds small C files and:
#   build.txt      one translation unit per line: `FILE [flags...]`, paths
#                  relative to the case directory; a line `command: FILE
#                  [flags...]` becomes a "command" entry (the flags are kept
#                  verbatim, so shell quoting in them is exercised) instead of
#                  an "arguments" entry.  `#` starts a comment line.  A file
#                  may be listed twice with different flags.
#   *.c / *.h      one `/* EXPECT: NAME tls=V panic=V */` per defined
#                  function, in the file that defines it.  A case whose
#                  EXPECT lines carry a third verdict, `migrate=V` (stage 3,
#                  docs/stage3.md), is run with --dump=migrate instead, and
#                  then every EXPECT of the case must carry one.
#   migrate.expected  optional, every line must occur (grep -F) in the
#                  --dump=migrate output (the witnesses after `migrate=V: `).
#   exit-status    optional, expected exit status of the dump run (default 0).
#   fnprop-args    optional, extra fnprop options (space-separated, no quoting),
#                  e.g. `--indirect-calls=signature` or `--world=open`.
#   stderr.expected  optional, every line must occur (grep -F) in its stderr.
#   explain.NAME.expected  optional, `fnprop explain NAME` must print every
#                  line of it (grep -F) and exit 0 or 1.
#   dump-STAGE.expected  optional (STAGE facts, graph or sccs): the stage's
#                  `--dump=STAGE` must print exactly this (golden tests per
#                  stage; UPDATE=1 rewrites the files that exist, so touch
#                  a new one first).  Cases that have them use no system
#                  header, so the dumps hold no machine's paths.  They are
#                  recorded with libclang 19 (DUMP_LIBCLANG) and skipped
#                  with another major, whose front end sees less.
#   runtime.txt    optional, run-time confirmation of the effects, used by
#                  tests/run-runtime.sh (not by this script).
#
# The dump's `FILE:LINE:COL: NAME tls=V panic=V` lines lose `:LINE:COL` (and
# a migrate witness, `: ...` after `migrate=V`) and are compared, sorted,
# with the EXPECT lines rendered `RELFILE:NAME tls=V panic=V [migrate=V]`;
# a missing or an extra function fails the case.  The dump must also be
# sorted by file, line, column, name.  POSIX sh and standard tools only.
set -u

me=run-fixtures

# compdb CASEDIR OUTDIR: write OUTDIR/compile_commands.json for the case.
compdb() {
	cdir=$(cd "$1" && pwd -P) || return 2
	[ -f "$cdir/build.txt" ] || { echo "$me: $cdir/build.txt: missing" >&2; return 2; }
	mkdir -p "$2" || return 2
	awk -v dir="$cdir" -v q="'" '
	function esc(s,   i, c, o) {
		o = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\") o = o "\\\\"
			else if (c == "\"") o = o "\\\""
			else if (c == "\t") o = o "\\t"
			else o = o c
		}
		return o
	}
	function shq(s,   i, c, o) {
		if (s !~ /[^A-Za-z0-9_\/.,+=:@%-]/) return s
		o = q
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			o = o (c == q ? q "\\" q q : c)
		}
		return o q
	}
	BEGIN { n = 0; printf "[" }
	/^[ \t]*(#|$)/ { next }
	{
		line = $0
		sub(/\r$/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line)
		cmd = 0
		if (line ~ /^command:/) { cmd = 1; sub(/^command:[ \t]*/, "", line) }
		file = line; sub(/[ \t].*$/, "", file)
		rest = substr(line, length(file) + 1); sub(/^[ \t]+/, "", rest)
		abs = (file ~ /^\//) ? file : dir "/" file
		printf "%s\n  {\n    \"directory\": \"%s\",\n    \"file\": \"%s\",\n", (n++ ? "," : ""), esc(dir), esc(abs)
		if (cmd) {
			printf "    \"command\": \"%s\"\n  }", esc("clang " (rest == "" ? "" : rest " ") "-c " shq(abs))
		} else {
			printf "    \"arguments\": [\"clang\""
			k = (rest == "") ? 0 : split(rest, a, /[ \t]+/)
			for (i = 1; i <= k; i++) printf ", \"%s\"", esc(a[i])
			printf ", \"-c\", \"%s\"]\n  }", esc(abs)
		}
	}
	END { printf "\n]\n"; if (n == 0) exit 1 }
	' "$cdir/build.txt" >"$2/compile_commands.json" || {
		echo "$me: $cdir/build.txt: no translation units" >&2; return 2; }
}

# expected CASEDIR: the EXPECT lines rendered `RELFILE:NAME tls=V panic=V`;
# a malformed EXPECT comes out as a line starting with `!`.
expected() {
	(cd "$1" && find . -type f \( -name '*.c' -o -name '*.h' \) | sed 's|^\./||' | LC_ALL=C sort |
	while IFS= read -r f; do
		grep -o 'EXPECT:[^*]*' "$f" | awk -v f="$f" '
		{
			sub(/^EXPECT:[ \t]*/, "")
			if (NF < 3 || NF > 4 || $2 !~ /^tls=(proven|unknown|violated)$/ ||
			    $3 !~ /^panic=(proven|unknown|violated)$/ ||
			    (NF == 4 && $4 !~ /^migrate=(proven|unknown|violated)$/))
				print "!" f ": malformed EXPECT: " $0
			else
				print f ":" $1 " " $2 " " $3 (NF == 4 ? " " $4 : "")
		}'
	done) | LC_ALL=C sort
}

# check_lines FILE OUT: every line of FILE occurs in OUT; print the missing.
check_lines() {
	miss=0
	while IFS= read -r l; do
		[ -z "$l" ] && continue
		grep -F -e "$l" "$2" >/dev/null || { echo "    missing: $l"; miss=1; }
	done <"$1"
	return $miss
}

# run_case CASEDIR TMP: prints the failure details; status 0 = pass.
run_case() {
	cdir=$1 tmp=$2 ok=0
	compdb "$cdir" "$tmp" || return 1
	expected "$cdir" >"$tmp/expected"
	if grep '^!' "$tmp/expected" | sed 's/^!/    /' | grep .; then return 1; fi
	[ -s "$tmp/expected" ] || { echo "    no EXPECT comments"; return 1; }
	want=0
	[ -f "$cdir/exit-status" ] && want=$(tr -d ' \t\r\n' <"$cdir/exit-status")
	extra=
	[ -f "$cdir/fnprop-args" ] && extra=$(cat "$cdir/fnprop-args")
	dump=verdicts
	grep -q ' migrate=' "$tmp/expected" && dump=migrate
	# shellcheck disable=SC2086 # fnprop-args holds space-separated options
	(cd "$cdir" && "$FNPROP" -p "$tmp" --db "$tmp/fnprop.db" --dump=$dump $extra) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "    exit status $rc, expected $want"
		ok=1
	fi
	if ! LC_ALL=C sort -c -t: -k1,1 -k2,2n -k3,3n -k4 "$tmp/out" 2>/dev/null; then
		echo "    dump is not sorted by file, line, column, name"
		ok=1
	fi
	# --dump=verdicts prints migrate=V too: compared only where the EXPECT
	# lines carry it (the migrate cases, run with --dump=migrate).
	strip=
	[ "$dump" = verdicts ] && strip='s/ migrate=[a-z]*$//'
	sed -e 's/^\([^:]*\):[0-9][0-9]*:[0-9][0-9]*: /\1:/' -e 's/\( migrate=[a-z]*\): .*$/\1/' -e "$strip" "$tmp/out" |
		LC_ALL=C sort >"$tmp/actual"
	if [ -f "$cdir/migrate.expected" ] && ! check_lines "$cdir/migrate.expected" "$tmp/out"; then
		echo "    (in the --dump=migrate output:)"
		sed 's/^/      | /' "$tmp/out"
		ok=1
	fi
	if ! diff -u "$tmp/expected" "$tmp/actual" >"$tmp/diff"; then
		sed 's/^/    /' "$tmp/diff"
		ok=1
	fi
	if [ -f "$cdir/stderr.expected" ] && ! check_lines "$cdir/stderr.expected" "$tmp/err"; then
		echo "    (in stderr of the dump run)"
		ok=1
	fi
	for stage in facts graph sccs; do
		x=$cdir/dump-$stage.expected
		[ -f "$x" ] && [ "$libclang" = "$DUMP_LIBCLANG" ] || continue
		# shellcheck disable=SC2086 # fnprop-args holds space-separated options
		(cd "$cdir" && "$FNPROP" -p "$tmp" --db "$tmp/fnprop.db" --quiet --dump=$stage $extra) \
			>"$tmp/dump-$stage" 2>"$tmp/dump-$stage.err"
		drc=$?
		[ "${UPDATE:-0}" = 1 ] && cp "$tmp/dump-$stage" "$x"
		if [ "$drc" -gt 1 ]; then
			echo "    --dump=$stage: exit status $drc"
			sed 's/^/      | /' "$tmp/dump-$stage.err"
			ok=1
		elif ! diff -u "$x" "$tmp/dump-$stage" >"$tmp/dump-$stage.diff"; then
			echo "    --dump=$stage differs from $(basename "$x") (UPDATE=1 rewrites it):"
			sed 's/^/    /' "$tmp/dump-$stage.diff"
			ok=1
		fi
	done
	for x in "$cdir"/explain.*.expected; do
		[ -f "$x" ] || continue
		name=${x##*/explain.}; name=${name%.expected}
		(cd "$cdir" && "$FNPROP" explain -p "$tmp" --db "$tmp/fnprop.db" "$name") \
			>"$tmp/explain.$name" 2>&1
		xrc=$?
		if [ "$xrc" -gt 1 ]; then
			echo "    explain $name: exit status $xrc"
			ok=1
		fi
		if ! check_lines "$x" "$tmp/explain.$name"; then
			echo "    (in the output of explain $name:)"
			sed 's/^/      | /' "$tmp/explain.$name"
			ok=1
		fi
	done
	if [ "$ok" != 0 ] && [ -s "$tmp/err" ]; then
		echo "    stderr:"
		sed 's/^/      | /' "$tmp/err" | head -n 20
	fi
	return $ok
}

here=$(cd "$(dirname "$0")" && pwd -P)
fixtures=$here/fixtures

if [ "${1:-}" = --compdb ]; then
	[ $# -eq 3 ] || { echo "usage: $0 --compdb CASEDIR OUTDIR" >&2; exit 2; }
	compdb "$2" "$3"
	exit $?
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 FNPROP_BINARY [CASE...]" >&2
	exit 2
fi
FNPROP=$1
shift
case $FNPROP in
/*) ;;
*) FNPROP=$(pwd -P)/$FNPROP ;;
esac
[ -x "$FNPROP" ] || { echo "$me: $FNPROP: not an executable" >&2; exit 2; }
DUMP_LIBCLANG=19
libclang=$("$FNPROP" --version | sed -n 's/.*(libclang \([0-9][0-9]*\)).*/\1/p')
[ "$libclang" = "$DUMP_LIBCLANG" ] ||
	echo "$me: libclang $libclang: the stage dumps (recorded with libclang $DUMP_LIBCLANG) are not compared"

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # case names are single words
	set -- $(cd "$fixtures" && for d in */; do [ -f "$d/build.txt" ] && echo "${d%/}"; done)
fi

tmproot=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-fixtures.XXXXXX") || exit 2
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmproot"' EXIT
trap 'exit 130' INT TERM

passed=0 failed=0
for c in "$@"; do
	c=${c%/}; c=${c##*/}
	if [ ! -f "$fixtures/$c/build.txt" ]; then
		echo "FAIL $c"
		echo "    no such case: $fixtures/$c/build.txt"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$tmproot/$c"
	if run_case "$fixtures/$c" "$tmproot/$c" >"$tmproot/$c.log" 2>&1; then
		echo "PASS $c"
		passed=$((passed + 1))
	else
		echo "FAIL $c"
		cat "$tmproot/$c.log"
		failed=$((failed + 1))
	fi
done
[ "${KEEP:-0}" = 1 ] && echo "kept: $tmproot"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
