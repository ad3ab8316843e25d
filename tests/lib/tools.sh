# SPDX-License-Identifier: MIT
# tools.sh - sourced by every test library: the tools the tests run, resolved
# exactly as the Makefile resolves them (it exports CLANG, CLANG_TIDY, ... to
# the tests; a test run by hand gets the same answers from llvm-config).
# A test never names `clang` or `clang-19` itself: a machine may have only one
# of them on PATH.
#
#   need VAR PACKAGE    the tool in $VAR must exist, else the suite is
#                       skipped (exit 77) naming the Debian package; run-all.sh
#                       counts skips as failures of `make check`.

if [ -z "${LLVM_CONFIG:-}" ]; then
	for _v in 19 18 17 16 15 14; do
		LLVM_CONFIG=$(command -v "llvm-config-$_v" 2>/dev/null) && break
	done
	[ -n "$LLVM_CONFIG" ] || LLVM_CONFIG=$(command -v llvm-config 2>/dev/null || true)
fi
if [ -n "$LLVM_CONFIG" ]; then
	: "${LLVM_BIN:=$("$LLVM_CONFIG" --bindir)}"
	: "${LLVM_MAJOR:=$("$LLVM_CONFIG" --version | cut -d. -f1)}"
fi
: "${LLVM_BIN:=/nonexistent}" "${LLVM_MAJOR:=0}"
: "${CLANG:=$LLVM_BIN/clang}" "${CLANGXX:=$LLVM_BIN/clang++}"
: "${CLANG_TIDY:=$LLVM_BIN/clang-tidy}"
: "${CLANG_APPLY_REPLACEMENTS:=$LLVM_BIN/clang-apply-replacements}"
: "${CC:=cc}"
: "${DOT:=dot}" "${CHROMIUM:=chromium}" "${BEAR:=bear}"
export LLVM_CONFIG LLVM_BIN LLVM_MAJOR CLANG CLANGXX CLANG_TIDY CLANG_APPLY_REPLACEMENTS CC DOT CHROMIUM BEAR

need() { # VAR-or-tool PACKAGE
	case $1 in
	*[!A-Za-z0-9_]* | [0-9]*) _t=$1 ;;
	*) eval "_t=\${$1:-$1}" ;;
	esac
	command -v "$_t" >/dev/null 2>&1 && return 0
	echo "SKIP: ${0##*/}: $_t is not installed (Debian package $2; scripts/install-deps.sh test installs it)"
	exit 77
}
