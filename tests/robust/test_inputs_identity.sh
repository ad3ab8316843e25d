#!/bin/sh
# SPDX-License-Identifier: MIT
# test_inputs_identity.sh FNPROP - what identifies the inputs of an analysis:
#  - a database belongs to one compile database: another -p on the same
#    --db is refused (exit 2, both directories named), never mixed;
#  - `fnprop hash` hashes the compile database as it is now: a changed
#    flag changes the hash even before the next analysis;
#  - content identity is cryptographic: an edit crafted so that the old
#    64-bit hash stays the same (two 8-byte words changed, the second one
#    compensating inside a comment) is still seen by the cache.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

# ---- one database, one compile database -----------------------------------
A=$TMP/a
B=$TMP/b
mkdir -p "$A" "$B"
printf 'int only_in_a(int x) { return x; }\n' >"$A/a.c"
printf 'int only_in_b(int x) { return x; }\n' >"$B/b.c"
entry "$A" a.c
entry "$B" b.c
expect 0 "" "$A" -p "$A" --db "$TMP/one.db" --dump=verdicts
expect 2 "belongs to the compile database in '$A', not '$B'" "$B" -p "$B" --db "$TMP/one.db" --dump=verdicts
grep -q only_in_b "$TMP/out" && fail "the second -p was analyzed into the first one's database"
expect 0 "" "$A" -p "$A" --db "$TMP/one.db" --dump=verdicts
grep -q ' only_in_a tls=proven' "$TMP/out" || fail "the first build's results are gone: $(cat "$TMP/out")"
grep -q only_in_b "$TMP/out" && fail "the first build prints the second one's functions: $(cat "$TMP/out")"
expect 2 "belongs to the compile database" "$B" hash -p "$B" --db "$TMP/one.db"
expect 2 "belongs to the compile database" "$B" export -p "$B" --db "$TMP/one.db"

# ---- fnprop hash: the current compile database ------------------------------
H=$TMP/h
mkdir -p "$H"
printf '#ifdef USE_ABORT\nvoid abort(void);\nint f(int x) { abort(); }\n#else\nint f(int x) { return x; }\n#endif\n' >"$H/h.c"
entry "$H" h.c
expect 0 "" "$H" export -p "$H" --db "$H/fnprop.db" --format=c
h1=$(sed -n 's/^  "\([0-9a-f]*\)",$/\1/p' "$TMP/out" | head -n 1)
[ -n "$h1" ] || fail "no analysis hash in the C export: $(head -c 400 "$TMP/out")"
expect 0 "" "$H" hash -p "$H" --db "$H/fnprop.db"
[ "$(cat "$TMP/out")" = "$h1" ] || fail "fnprop hash right after the export differs: $(cat "$TMP/out") vs $h1"
entry "$H" h.c -DUSE_ABORT # the flags change, nothing is analyzed yet
expect 0 "" "$H" hash -p "$H" --db "$H/fnprop.db"
[ "$(cat "$TMP/out")" != "$h1" ] || fail "fnprop hash ignores a changed compile flag (still $h1): the runtime would trust a stale table"
expect 0 "" "$H" export -p "$H" --db "$H/fnprop.db" --format=c
cp "$TMP/out" "$TMP/table.c"
expect 0 "" "$H" hash -p "$H" --db "$H/fnprop.db"
grep -q "\"$(cat "$TMP/out")\"" "$TMP/table.c" || fail "after re-analysis the export's hash is not fnprop hash $(cat "$TMP/out")"
# A build that records the hash it passes (-DFNPROP_RT_SOURCES_HASH) in the
# compile database does not change the hash by doing so.
entry "$H" h.c -DUSE_ABORT '-DFNPROP_RT_SOURCES_HASH="0000"'
expect 0 "" "$H" export -p "$H" --db "$H/fnprop.db" --format=c
expect 0 "" "$H" hash -p "$H" --db "$H/fnprop.db"
h3=$(cat "$TMP/out")
entry "$H" h.c -DUSE_ABORT "-DFNPROP_RT_SOURCES_HASH=\"$h3\""
expect 0 "" "$H" hash -p "$H" --db "$H/fnprop.db"
[ "$(cat "$TMP/out")" = "$h3" ] || fail "recording -DFNPROP_RT_SOURCES_HASH in the compile database changes the hash"
# `fnprop hash` that cannot write its output fails.
if [ -w /dev/full ]; then
	(cd "$H" && "$FNPROP" hash -p "$H" --db "$H/fnprop.db" >/dev/full 2>"$TMP/err")
	rc=$?
	[ "$rc" = 2 ] || fail "fnprop hash >/dev/full exits $rc, want 2"
	grep -q "cannot write" "$TMP/err" || fail "fnprop hash >/dev/full says: $(cat "$TMP/err")"
fi

# ---- content identity: a collision of the old 64-bit hash ---------------------
C=$TMP/coll
mkdir -p "$C"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$C" <<'PY' || fail "could not craft the colliding edit"
import sys
M = 2**64
K1, K2 = 0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53
def step(h, w):
    h = ((h ^ w) * K1) % M
    return h ^ (h >> 32)
def unstep(t, h):  # the word w with step(h, w) == t
    x = t ^ (t >> 32)
    return ((x * pow(K1, -1, M)) % M) ^ h
def fast(b):  # fnprop's old ut_hash_fast
    n, h, i = len(b), (0x9e3779b97f4a7c15 ^ len(b)) % M, 0
    while i + 8 <= len(b):
        h = step(h, int.from_bytes(b[i:i + 8], 'little')); i += 8
    w = int.from_bytes(b[i:] + bytes(8 - (n - i)), 'little')
    h = ((h ^ w) * K2) % M
    return h ^ (h >> 29)
head = b'void abort(void);\nint f(int x) {\n'
head += b' ' * (-len(head) % 8)
tail = b'*/\n  return x;\n}\n'
for pad in range(64):
    old_stmt = (b'x = x + %d;' % pad).ljust(14) + b'/*'
    new_stmt = b'abort();'.ljust(14) + b'/*'
    old = head + old_stmt + b'comment.' + tail
    s = 0x9e3779b97f4a7c15 ^ len(old)
    for i in range(0, len(head), 8): s = step(s, int.from_bytes(head[i:i + 8], 'little'))
    t = s
    for i in range(0, 24, 8): t = step(t, int.from_bytes((old_stmt + b'comment.')[i:i + 8], 'little'))
    s2 = s
    for i in range(0, 16, 8): s2 = step(s2, int.from_bytes(new_stmt[i:i + 8], 'little'))
    comp = unstep(t, s2).to_bytes(8, 'little')
    if b'\0' in comp or b'*/' in comp or comp.endswith(b'*') or b'\r' in comp: continue
    new = head + new_stmt + comp + tail
    assert len(new) == len(old) and fast(new) == fast(old) and new != old
    open(sys.argv[1] + '/a.c', 'wb').write(old)
    open(sys.argv[1] + '/a.c.new', 'wb').write(new)
    break
else:
    sys.exit(1)
PY
	entry "$C" a.c
	expect 0 "" "$C" -p "$C" --db "$C/fnprop.db" --dump=verdicts
	grep -q ' f tls=proven panic=proven' "$TMP/out" || fail "the original f is not proven: $(cat "$TMP/out")"
	mv "$C/a.c.new" "$C/a.c"
	run_in "$C" -p "$C" --db "$C/fnprop.db" --dump=verdicts
	grep -q ' f .*panic=violated' "$TMP/out" || fail "an edit that keeps the old 64-bit hash is not seen: f still $(grep ' f ' "$TMP/out")"
fi
finish
