#!/bin/sh
# SPDX-License-Identifier: MIT
# install-deps.sh - install the Debian packages fnprop needs to build and test.
#
# Installs only what is missing.  As root it runs apt-get itself; otherwise it
# prints the exact command to run and fails, so `make` never half-builds.
set -eu

# LLVM major version to install when no libclang is present at all.
LLVM_WANT=${LLVM_WANT:-19}

need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
want() { have_pkg "$1" || need="$need $1"; }

# A libclang with headers: any of 14..19 will do; prefer the newest present.
llvm_ver=""
for v in 19 18 17 16 15 14; do
  if have_pkg "libclang-$v-dev"; then llvm_ver=$v; break; fi
done
if [ -z "$llvm_ver" ]; then llvm_ver=$LLVM_WANT; want "libclang-$llvm_ver-dev"; fi
# clang of the same major: the benchmarks' baseline and the fuzz/sanitizer builds.
want "clang-$llvm_ver"
want "llvm-$llvm_ver"
want libsqlite3-dev
want sqlite3
want check
want pkg-config
want make
want gcc
# Test-suite tools (integration tests run the real programs).
if [ "${FNPROP_DEPS:-build}" = test ]; then
  want "clang-tools-$llvm_ver"
  want "clang-tidy-$llvm_ver"
  want pre-commit
  want git
  want python3-jsonschema
  want python3-yaml
  want valgrind
  # tests/robust: the csmith differential test, libFuzzer's runtime.
  want csmith
  want libcsmith-dev
  want "libclang-rt-$llvm_ver-dev"
  # integration tests: the CI examples' tools and the man page check
  want bear
  want cmake
  want jq
  want groff-base
fi

# `make format`: clang-format of the same major, so every developer's
# formatting is the same.
if [ "${FNPROP_DEPS:-build}" = format ]; then
  want "clang-format-$llvm_ver"
fi

[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  echo "install-deps: installing:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >&2
else
  echo "install-deps: missing packages:$need" >&2
  echo "install-deps: run:  sudo apt-get install -y$need" >&2
  exit 1
fi
