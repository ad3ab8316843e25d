#!/bin/sh
# SPDX-License-Identifier: MIT
# install-deps.sh - the Debian packages fnprop needs, installed or checked.
#
#   scripts/install-deps.sh [build|test|format]          install what is missing
#   scripts/install-deps.sh --check [build|test|format]  verify, install nothing
#
# One table below lists every package with the probe that proves it usable
# (a file, a program, a python module, a pkg-config module), so installing
# and checking can never disagree.  `build` is what `make` and `make demo`
# need; `test` adds everything `make check` runs; `format` adds the
# clang-format of the same major for `make format`.  As root, missing packages
# are installed with apt-get; otherwise the exact command is printed and the
# script fails, so `make` never half-builds.  --check exits 1 naming each
# missing package and the probe that failed.
#
# The LLVM major: $LLVM_MAJOR when the Makefile found one, else the newest
# libclang-N-dev installed, else $LLVM_WANT (19, the newest in bookworm).
set -eu

check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
level=${1:-${FNPROP_DEPS:-build}}
case $level in build | test | format) ;; *) echo "install-deps: unknown level '$level' (build, test or format)" >&2; exit 2 ;; esac

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

V=${LLVM_MAJOR:-}
if [ -z "$V" ]; then
	for v in 19 18 17 16 15 14; do
		if have_pkg "libclang-$v-dev"; then V=$v; break; fi
	done
fi
V=${V:-${LLVM_WANT:-19}}
L=/usr/lib/llvm-$V
arch=$(uname -m)

# level  package  probe-kind  probe
# probe kinds: file PATH | tool NAME-OR-PATH | py MODULE | pc MODULE
table() {
	cat <<EOF
build libclang-$V-dev        file $L/include/clang-c/Index.h
build libclang-common-$V-dev file $L/lib/clang/$V/include/stddef.h
build llvm-$V                tool $L/bin/llvm-config
build clang-$V               tool $L/bin/clang
build libsqlite3-dev         file /usr/include/sqlite3.h
build sqlite3                tool sqlite3
build check                  pc   check
build pkg-config             tool pkg-config
build make                   tool make
build gcc                    tool gcc
test  llvm-$V-dev            file $L/include/llvm/ADT/IntrusiveRefCntPtr.h
test  clang-tidy-$V          tool $L/bin/clang-tidy
test  clang-tools-$V         tool $L/bin/clang-apply-replacements
test  libclang-rt-$V-dev     file $L/lib/clang/$V/lib/linux/libclang_rt.fuzzer-$arch.a
test  libomp-$V-dev          file $L/lib/libomp.so
test  git                    tool git
test  pre-commit             tool pre-commit
test  python3                tool python3
test  python3-jsonschema     py   jsonschema
test  python3-yaml           py   yaml
test  valgrind               tool valgrind
test  csmith                 tool csmith
test  libcsmith-dev          file /usr/include/csmith/csmith.h
test  bear                   tool bear
test  cmake                  tool cmake
test  jq                     tool jq
test  curl                   tool curl
test  unzip                  tool unzip
test  groff-base             tool groff
test  graphviz               tool dot
test  chromium               tool chromium
format clang-format-$V       tool $L/bin/clang-format
EOF
}

probe() { # kind what
	case $1 in
	file) [ -e "$2" ] ;;
	tool) command -v "$2" >/dev/null 2>&1 ;;
	py) command -v python3 >/dev/null 2>&1 && python3 -c "import $2" 2>/dev/null ;;
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$2" ;;
	*) return 1 ;;
	esac
}

# Rows for the level: build rows always, and the level's own rows.
rows() { table | awk -v lvl="$level" '$1 == "build" || $1 == lvl'; }

if [ "$check" = 1 ]; then
	bad=0
	rows | {
		while read -r _ pkg kind what; do
			probe "$kind" "$what" && continue
			echo "check-deps: missing $pkg ($kind $what); run scripts/install-deps.sh $level as root" >&2
			bad=1
		done
		exit $bad
	} || exit 1
	exit 0
fi

need=$(rows | while read -r _ pkg _ _; do have_pkg "$pkg" || printf ' %s' "$pkg"; done)
[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "install-deps: installing:$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >&2
else
	echo "install-deps: missing packages:$need" >&2
	echo "install-deps: run:  sudo apt-get install -y --no-install-recommends$need" >&2
	exit 1
fi
