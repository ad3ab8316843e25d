#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh FNPROP - the set-up checks themselves:
#  - `scripts/install-deps.sh --check test` passes on this machine (the
#    suite is running, so everything must be there) and, for an LLVM major
#    that is not installed, names every missing LLVM package (llvm-N-dev
#    among them) and exits 1, installing nothing;
#  - no test or benchmark runs an LLVM tool by a bare name (`clang`,
#    `clang-19`, `clang-tidy-$major`, ...): they go through the Makefile's
#    variables ($CLANG, $CLANG_TIDY, ...), because a fresh machine has only
#    the versioned names, or only some of them, on PATH.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"

status() { "$@"; rc=$?; }

status "$ROOT/scripts/install-deps.sh" --check test >"$TMP/out" 2>&1
[ "$rc" = 0 ] && [ ! -s "$TMP/out" ] || fail "check-deps on this machine: exit $rc: $(cat "$TMP/out")"

status env LLVM_MAJOR=99 "$ROOT/scripts/install-deps.sh" --check test >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "check-deps for an absent LLVM: exit $rc, want 1"
for p in llvm-99-dev libclang-99-dev clang-99 clang-tidy-99 clang-tools-99 libomp-99-dev; do
	grep -q "^check-deps: missing $p " "$TMP/out" || fail "check-deps does not name $p: $(cat "$TMP/out")"
done
grep -q "missing sqlite3 " "$TMP/out" && fail "check-deps names a package that is installed: $(cat "$TMP/out")"

# A bare LLVM tool name in command position: the name followed by an option.
tools='clang|clang\+\+|clang-tidy|clang-apply-replacements|llvm-config'
grep -rnE "(^|[[:space:];&|(])($tools)(-[0-9]+|-\\\$major|-\\\$\{?LLVM_MAJOR\}?)?\"?[[:space:]]+-" \
	"$ROOT/tests" "$ROOT/bench" "$ROOT/examples" --include='*.sh' --include=common --include=lib |
	grep -vE '^[^:]*:[0-9]+:[[:space:]]*(#|echo |printf )' >"$TMP/bare" || true
[ -s "$TMP/bare" ] && fail "tests run LLVM tools by bare name (use \$CLANG, \$CLANG_TIDY, ...):
$(cat "$TMP/bare")"
finish
