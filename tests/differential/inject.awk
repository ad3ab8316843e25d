# SPDX-License-Identifier: MIT
# inject.awk - turns a csmith program into a test of fnprop's effects:
#   - some scalar globals become _Thread_local (those whose address no
#     global initializer takes: &tls is not a constant expression);
#   - some functions start with a guarded abort() or exit(), an assert(),
#     or a read of errno;
#   - main is renamed csmith_main_ID, so the programs of one compile
#     database do not share an external name.
# The choices are a function of SEED and the names, so a program is
# reproducible from (csmith seed, SEED).
#   awk -v seed=S -v id=ID -f inject.awk prog.c > out.c
# Two passes over the file: run as `awk ... -f inject.awk prog.c prog.c`.
function pick(name, mod,   h, i) {
	h = seed
	for (i = 1; i <= length(name); i++) h = (h * 31 + index("_0123456789abcdefghijklmnopqrstuvwxyz", substr(name, i, 1))) % 1000003
	return h % mod
}
FNR == 1 { pass++ }
# Pass 1: scalar globals and whether a global initializer takes their address.
pass == 1 && /GLOBAL VARIABLES/ { inglob = 1 }
pass == 1 && /FORWARD DECLARATIONS/ { inglob = 0 }
pass == 1 && inglob && /^static (volatile )?(const )?u?int(8|16|32|64)_t g_[0-9]+ = / {
	n = $0
	sub(/ = .*/, "", n)
	sub(/.* /, "", n)
	scalar[n] = 1
}
pass == 1 && inglob {
	line = $0
	while (match(line, /&g_[0-9]+/)) {
		addr[substr(line, RSTART + 1, RLENGTH - 1)] = 1
		line = substr(line, RSTART + RLENGTH)
	}
}
pass == 1 { next }
# Pass 2: rewrite.
/^#include "csmith.h"/ {
	print
	print "#include <assert.h>"
	print "#include <errno.h>"
	print "#include <stdlib.h>"
	print "static volatile int fnprop_guard;"
	print "static int fnprop_sink;"
	next
}
/^static (volatile )?(const )?u?int(8|16|32|64)_t g_[0-9]+ = / {
	n = $0
	sub(/ = .*/, "", n)
	sub(/.* /, "", n)
	if ((n in scalar) && !(n in addr) && pick(n, 3) == 0) {
		sub(/^static /, "static _Thread_local ")
		tls++
	}
	print
	next
}
/^int main \(/ { sub(/main/, "csmith_main_" id) }
/^static .* func_[0-9]+\(.*\)$/ { fn = $0; sub(/\(.*/, "", fn); sub(/.* /, "", fn); pending = 1; print; next }
pending && /^\{/ {
	print
	pending = 0
	k = pick(fn, 10)
	if (k == 0) { print "    if (fnprop_guard == 7) abort();"; injected++ }
	else if (k == 1) { print "    if (fnprop_guard == 8) exit(3);"; injected++ }
	else if (k == 2) { print "    fnprop_sink = errno;"; injected++ }
	else if (k == 3) { print "    assert(fnprop_guard != 9);"; injected++ }
	next
}
{ pending = 0; print }
END { printf "%d thread-locals, %d effect statements\n", tls, injected > "/dev/stderr" }
