#!/bin/sh
# SPDX-License-Identifier: MIT
# man-checks.sh - the CHECKS list of docs/fnprop.1, generated from the check
# table analyzer/diag_checks.def (name, default severity, on by default or
# not, summary), so the manual names every check fnprop has.
#
#   scripts/man-checks.sh --print         the generated roff on stdout
#   scripts/man-checks.sh --update FILE   replace FILE's generated block
#   scripts/man-checks.sh --check FILE    exit 1 when FILE's block differs
#
# The block lies between the lines `.\" checks-begin` and `.\" checks-end`.
# $CC (the Makefile's) expands the table with the preprocessor.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd -P)

gen() {
	printf '#define DG_CHECK(id, name, level, flags, producer, summary, description, help) MANROW name level (flags) summary\n#include "diag_checks.def"\n' |
		"${CC:-cc}" -E -P -I "$root/analyzer" -x c - |
		awk '
		/^MANROW / {
			if (!match($0, /^MANROW "[^"]*" DG_[A-Z]* \([^)]*\) "/)) { print "man-checks: cannot read: " $0 > "/dev/stderr"; exit 1 }
			head = substr($0, 1, RLENGTH); summary = substr($0, RLENGTH + 1)
			sub(/"[ \t]*$/, "", summary)
			split(head, f, "\"")
			name = f[2]
			level = head; sub(/^MANROW "[^"]*" DG_/, "", level); sub(/ .*/, "", level)
			flags = head; sub(/^[^(]*\(/, "", flags); sub(/\).*/, "", flags)
			sev = level == "ERROR" ? "error" : level == "WARNING" ? "warning" : "suggestion"
			when = flags ~ /DG_ALWAYS/ ? "always on" : flags ~ /DG_ON/ ? "on by default" : "off by default"
			gsub(/-/, "\\-", name)
			gsub(/\\/, "\\e", summary); gsub(/-/, "\\-", summary)
			print ".TP"
			print ".B " name
			print "(" sev ", " when ") " summary
		}'
}

case ${1:-} in
--print) gen ;;
--update | --check)
	[ $# = 2 ] || { echo "usage: $0 --update|--check FILE" >&2; exit 2; }
	tmp=$(mktemp)
	trap 'rm -f "$tmp" "$tmp.new"' EXIT
	gen >"$tmp"
	awk -v gen="$tmp" '
		/^\.\\" checks-begin/ { print; while ((getline l < gen) > 0) print l; skip = 1; found++; next }
		/^\.\\" checks-end/ { skip = 0 }
		!skip { print }
		END { if (found != 1) { print "man-checks: no checks-begin/checks-end block" > "/dev/stderr"; exit 1 } }' "$2" >"$tmp.new"
	if [ "$1" = --update ]; then
		cmp -s "$tmp.new" "$2" || cp "$tmp.new" "$2"
	elif ! cmp -s "$tmp.new" "$2"; then
		echo "man-checks: the CHECKS list of $2 differs from analyzer/diag_checks.def; run \`make man\`:" >&2
		diff -u "$2" "$tmp.new" >&2 || true
		exit 1
	fi
	;;
*) echo "usage: $0 --print | --update FILE | --check FILE" >&2; exit 2 ;;
esac
