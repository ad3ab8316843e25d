#!/bin/sh
# SPDX-License-Identifier: MIT
# test-fresh-machine.sh - the README's two commands on a minimal Debian 12:
# a `debootstrap --variant=minbase bookworm` tree with only `make` added,
# entered with chroot (/proc mounted, a standard /etc/hosts), a clean clone
# of this repository's HEAD inside it, then `make demo` and `make check`.
# This is what CI on a fresh machine does; `make check-fresh` runs it.
#
#   scripts/test-fresh-machine.sh [ROOTDIR]     (root only; needs the Debian mirror)
#   FRESH_TARBALL=minbase.tar ...               start from a saved minbase tree
#   FRESH_TARGETS="demo check"                  what to run inside (default)
#
# Only committed work is tested (the clone is of HEAD).  The tree is removed
# afterwards unless FRESH_KEEP=1.
set -eu
[ "$(id -u)" = 0 ] || { echo "test-fresh-machine: must run as root (debootstrap, chroot, mount)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd -P)
root=${1:-${TMPDIR:-/tmp}/fnprop-fresh}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
targets=${FRESH_TARGETS:-demo check}

cleanup() {
	umount "$root/proc" 2>/dev/null || true
	[ "${FRESH_KEEP:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$root"
mkdir -p "$root"
if [ -n "${FRESH_TARBALL:-}" ]; then
	tar -C "$root" -xf "$FRESH_TARBALL"
else
	command -v debootstrap >/dev/null || { echo "test-fresh-machine: install debootstrap" >&2; exit 2; }
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
		{ tail -20 "$root.debootstrap.log" >&2; exit 2; }
fi
mount -t proc proc "$root/proc"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
git clone -q --no-hardlinks "$top" "$root/src/fnprop"

chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 /bin/sh -c "
	set -e
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends make >/dev/null
	cd /src/fnprop
	for t in $targets; do
		echo \"== make \$t\"
		start=\$(date +%s)
		make \$t
		echo \"== make \$t: \$((\$(date +%s) - start)) s\"
	done
"
