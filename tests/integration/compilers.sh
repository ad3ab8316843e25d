#!/bin/sh
# SPDX-License-Identifier: MIT
# compilers.sh FNPROP - the whole tree (CLI, runtime shim, unit tests,
# runtime tests) builds warning-free (-Wall -Wextra -Werror) with clang as
# well as with the default compiler (cc, gcc on Debian), and with -O3,
# where gcc's flow-based warnings (format truncation, maybe-uninitialized)
# see more.  Each build goes to its own scratch directory; the source tree
# is not written.  The clang is the one the Makefile found ($CLANG).
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
# shellcheck source=tests/lib/tools.sh
. "$ROOT/tests/lib/tools.sh"
need CLANG clang-19

make=${MAKE:-make}
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

# build LABEL VAR=VALUE...: a full build with these make variables
build() {
	label=$1
	shift
	if ! "$make" -C "$ROOT" --no-print-directory -j"$jobs" "BUILD=$TMP/$label" "$@" \
		all unit-tests runtime-tests >"$TMP/$label.log" 2>&1; then
		fail "$label: the build failed: $(grep -E 'error|Error' "$TMP/$label.log" | head -n 20)"
	fi
	rm -rf "${TMP:?}/$label"
}

build clang "CC=$CLANG"
build O3 "OPT=-O3"
finish
