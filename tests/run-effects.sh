#!/bin/sh
# SPDX-License-Identifier: MIT
# run-effects.sh [CASE...] - confirms at run time that the effects the
# verdict fixtures expect really happen: the fixture's translation units
# (build.txt, same flags) are compiled with the Makefile's clang, linked
# with the case's effects.c driver, and each line `NAME EFFECT` of its
# effects.txt runs `prog NAME` and checks EFFECT:
#   abort   the process dies of SIGABRT (an abort() was reached)
#   tls     it prints `tls`: the driver saw a thread-local change
#   prints=WORD  it prints the line WORD (what the driver observed)
#   exit=N  it exits with status N
#   ok      it exits 0 and prints `ok` (the path it takes is clean)
# Only cases with an effects.txt run.  The compiler is $CLANG, the one the
# Makefile found (tests/lib/tools.sh).  POSIX sh.
set -u
here=$(cd "$(dirname "$0")" && pwd -P)
fixtures=$here/fixtures
# shellcheck source=tests/lib/tools.sh
. "$here/lib/tools.sh"
need CLANG "clang-$LLVM_MAJOR"
tmproot=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-effects.XXXXXX") || exit 2
trap 'rm -rf "$tmproot"' EXIT
trap 'exit 130' INT TERM

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # case names are single words
	set -- $(cd "$fixtures" && for d in */; do [ -f "$d/effects.txt" ] && echo "${d%/}"; done)
fi

# build CASEDIR OUT: compile every TU of build.txt and effects.c, link OUT/prog.
build() {
	bdir=$1 bout=$2 n=0 objs=
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | tr -d '\r')
		case $line in '' | '#'*) continue ;; esac
		line=${line#command:}
		n=$((n + 1))
		# shellcheck disable=SC2086 # the flags are words, as in build.txt
		(cd "$bdir" && set -- $line && file=$1 && shift && "$CLANG" -w -c "$@" "$file" -o "$bout/tu$n.o") \
			2>"$bout/cc.err" || { sed 's/^/    /' "$bout/cc.err" | head -n 20; return 1; }
		objs="$objs $bout/tu$n.o"
	done <"$bdir/build.txt"
	# shellcheck disable=SC2086 # the object list is words
	(cd "$bdir" && "$CLANG" -w -pthread effects.c $objs -o "$bout/prog") 2>"$bout/cc.err" ||
		{ sed 's/^/    /' "$bout/cc.err" | head -n 20; return 1; }
}

# check OUT NAME WANT: runs the case, prints what differs; status 0 = as expected.
check() {
	# a child shell reports the signal; its own stderr goes away
	sh -c 'cd "$1" && ./prog "$2" >out 2>err; echo $? >rc' sh "$1" "$2" 2>/dev/null
	rc=$(cat "$1/rc")
	case $3 in
	abort) [ "$rc" -eq 134 ] || { echo "    $2: exit status $rc, expected death by SIGABRT (134)"; return 1; } ;;
	tls) grep -qx tls "$1/out" || { echo "    $2: no thread-local change seen (status $rc)"; return 1; } ;;
	prints=*) grep -qx "${3#prints=}" "$1/out" || { echo "    $2: did not print '${3#prints=}' (status $rc)"; return 1; } ;;
	ok) [ "$rc" -eq 0 ] && grep -qx ok "$1/out" || { echo "    $2: status $rc, expected a clean run printing ok"; return 1; } ;;
	exit=*) [ "$rc" -eq "${3#exit=}" ] || { echo "    $2: exit status $rc, expected ${3#exit=}"; return 1; } ;;
	*) echo "    $2: unknown effect '$3'"; return 1 ;;
	esac
	return 0
}

passed=0 failed=0
for c in "$@"; do
	c=${c%/}
	c=${c##*/}
	cdir=$fixtures/$c
	out=$tmproot/$c
	mkdir -p "$out"
	ok=0
	if [ ! -f "$cdir/effects.txt" ]; then
		echo "    no effects.txt"
		ok=1
	elif build "$cdir" "$out"; then
		while read -r name want rest; do
			case $name in '' | '#'*) continue ;; esac
			check "$out" "$name" "$want" || ok=1
		done <"$cdir/effects.txt"
	else
		ok=1
	fi
	if [ "$ok" = 0 ]; then
		echo "PASS $c"
		passed=$((passed + 1))
	else
		echo "FAIL $c"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
