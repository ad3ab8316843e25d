#!/bin/sh
# SPDX-License-Identifier: MIT
# test_bitflip.sh FNPROP - random bit flips in a real database file never
# yield a `proven` that the run on an intact database does not print.
# A small project with proven, unknown and violated functions is analyzed;
# then, BITFLIP_N times (default 150), one random bit of a copy of the
# database file is flipped and fnprop runs on the copy (same sources).  A
# run may fail (exit 2 with a message: damaged), re-parse or re-solve, but
# every `tls=proven` / `panic=proven` it prints must be proven in the
# reference run too.  BITFLIP_SEED reproduces a sequence.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

have_python || { note "python3 missing: skipped"; finish; }
n=${BITFLIP_N:-150}
seed=${BITFLIP_SEED:-$$}
P=$TMP/p
mkdir -p "$P"
cat >"$P/a.c" <<'C'
#include <stdlib.h>
_Thread_local int counter;
int pure(int x) { return x * 2; }
int uses_tls(int x) { return counter += x; }
int may_abort(int x) { if (x < 0) abort(); return x; }
int calls_pure(int x) { return pure(x) + 1; }
int calls_tls(int x) { return uses_tls(x); }
int calls_abort(int x) { return may_abort(x); }
extern int external_unknown(int);
int calls_unknown(int x) { return external_unknown(x); }
int (*hook)(int) = pure;
int through_hook(int x) { return hook(x); }
C
cat >"$P/b.c" <<'C'
int pure(int x);
int calls_tls(int x);
int calls_abort(int x);
static int local_pure(int x) { return pure(x) - 1; }
int b_pure(int x) { return local_pure(x); }
int b_mixed(int x) { return x ? calls_tls(x) : calls_abort(x); }
int b_chain(int x) { return b_pure(x) + b_mixed(x); }
C
cat >"$P/compile_commands.json" <<J
[{"directory": "$P", "file": "a.c", "arguments": ["cc", "-c", "a.c"]},
 {"directory": "$P", "file": "b.c", "arguments": ["cc", "-c", "b.c"]}]
J
expect 0 "" "$P" -p "$P" --db "$P/ref.db" --quiet --dump=verdicts
cp "$TMP/out" "$TMP/ref"
grep -q 'tls=proven' "$TMP/ref" && grep -q 'violated' "$TMP/ref" && grep -q 'unknown' "$TMP/ref" ||
	fail "the reference run lacks a mix of verdicts: $(cat "$TMP/ref")"
sqlite3 "$P/ref.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
size=$(wc -c <"$P/ref.db")

python3 - "$P/ref.db" "$TMP/flip.db" "$seed" "$n" >"$TMP/flips" <<'PY'
import random, sys
src, dst, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(src, 'rb').read()
rnd = random.Random(seed)
for i in range(n):
    bit = rnd.randrange(len(data) * 8)
    print(bit)
PY

# proven_ok OUT: every proven verdict of OUT is proven in the reference.
proven_ok() {
	awk 'NR == FNR { for (i = 3; i <= NF; i++) if ($i ~ /=proven$/) ok[$1 " " $2 " " $i] = 1; next }
	     { for (i = 3; i <= NF; i++) if ($i ~ /=proven$/ && !((($1 " " $2 " " $i)) in ok)) { print; next } }' \
		"$TMP/ref" "$1"
}

bad=0 runs=0 failed=0
while read -r bit; do
	cp "$P/ref.db" "$TMP/flip.db"
	rm -f "$TMP/flip.db-wal" "$TMP/flip.db-shm"
	python3 -c 'import sys
f = open(sys.argv[1], "r+b"); b = int(sys.argv[2]); f.seek(b // 8); c = f.read(1)[0]
f.seek(b // 8); f.write(bytes([c ^ (1 << (b % 8))]))' "$TMP/flip.db" "$bit"
	(cd "$P" && with_timeout 60 "$FNPROP" -p "$P" --db "$TMP/flip.db" --quiet --dump=verdicts) >"$TMP/fo" 2>"$TMP/fe"
	rc=$?
	runs=$((runs + 1))
	if [ "$rc" -gt 2 ]; then
		fail "bit $bit: fnprop crashed or hung (exit $rc): $(head -c 200 "$TMP/fe")"
	elif [ "$rc" = 2 ]; then
		failed=$((failed + 1))
		[ -s "$TMP/fe" ] || fail "bit $bit: exit 2 without a message"
	else
		wrong=$(proven_ok "$TMP/fo")
		if [ -n "$wrong" ]; then
			bad=$((bad + 1))
			fail "bit $bit (seed $seed): a false proven: $wrong"
		fi
	fi
done <"$TMP/flips"
note "$runs flips of a $size-byte database (seed $seed): $failed refused as damaged, $bad false proven"
finish
