#!/bin/sh
# SPDX-License-Identifier: MIT
# test_hostile.sh FNPROP - hostile inputs end with a result or a message,
# never a crash, a hang or a leaked secret:
#  - a 100,000-term expression (written out, and built by macros) parses
#    on the driver's big stack; the run and every later one succeed;
#  - libclang running out of memory (ulimit -v) is a message naming the file;
#  - `explain` over a witness cycle written into the database ends;
#  - /dev/zero or a FIFO as a model, a configuration, the compile database,
#    a source or an included header never blocks;
#  - a database locked by another process: --lock-timeout is honoured and
#    the message names the process holding the lock;
#  - a model file that is not one (a credentials file) is never quoted,
#    and a .fnprop may not name files outside the project tree;
#  - entries of other languages (.S, .cpp) are skipped with one note, a
#    UTF-8 byte order mark in compile_commands.json is accepted, damaged
#    facts name the reason, and a full disk on export says so.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

T=20 # seconds after which a run counts as hung

# ---- deep expressions ---------------------------------------------------------
D=$TMP/deep
mkdir -p "$D"
awk 'BEGIN { printf "int deep(int x) { return x"; for (i = 1; i < 100000; i++) printf " + x"; print "; }" }' >"$D/deep.c"
cat >"$D/macro.c" <<'C'
#define T1 x + x + x + x + x + x + x + x + x + x
#define T2 T1 + T1 + T1 + T1 + T1 + T1 + T1 + T1 + T1 + T1
#define T3 T2 + T2 + T2 + T2 + T2 + T2 + T2 + T2 + T2 + T2
#define T4 T3 + T3 + T3 + T3 + T3 + T3 + T3 + T3 + T3 + T3
#define T5 T4 + T4 + T4 + T4 + T4 + T4 + T4 + T4 + T4 + T4
int deep_macro(int x) { return T5; }
C
printf 'int plain(int x) { return x; }\n' >"$D/plain.c"
cat >"$D/compile_commands.json" <<J
[{"directory": "$D", "file": "deep.c", "arguments": ["cc", "-c", "deep.c"]},
 {"directory": "$D", "file": "macro.c", "arguments": ["cc", "-c", "macro.c"]},
 {"directory": "$D", "file": "plain.c", "arguments": ["cc", "-c", "plain.c"]}]
J
for k in 1 2; do
	(cd "$D" && with_timeout 300 "$FNPROP" -p "$D" --db "$D/fnprop.db" --quiet --dump=verdicts) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -le 1 ] || fail "100k-term expression, run $k: exit $rc (crash?): $(head -c 300 "$TMP/err")"
	grep -q ' plain tls=proven panic=proven' "$TMP/out" || fail "100k-term expression, run $k: plain() not proven"
	grep -q ' deep tls=proven panic=proven' "$TMP/out" || fail "100k-term expression, run $k: deep() not analyzed"
	grep -q ' deep_macro tls=proven panic=proven' "$TMP/out" || fail "macro expression, run $k: deep_macro() not analyzed"
done

# ---- libclang out of memory ---------------------------------------------------
case "${SAN:-}" in *address*) ;; *)
	done_oom=
	for kb in 300000 350000 450000; do
		(ulimit -v "$kb" 2>/dev/null || exit 99; cd "$D" &&
			exec "$FNPROP" -p "$D" --db "$TMP/oom$kb.db" -j 1 --quiet --dump=verdicts) >"$TMP/out" 2>"$TMP/err"
		rc=$?
		[ "$rc" = 99 ] && break
		grep -q 'error while loading shared libraries' "$TMP/err" && continue # too small to start at all
		[ "$rc" -le 2 ] || { grep -q 'aborted while analyzing' "$TMP/err" ||
			fail "out of memory ($kb KiB): exit $rc without a message: $(tail -c 300 "$TMP/err")"; }
		if [ "$rc" != 0 ]; then
			grep -q "deep\\.c\\|macro\\.c\\|out of memory\\|ran out of memory" "$TMP/out" "$TMP/err" ||
				fail "out of memory ($kb KiB): exit $rc, no message about memory: $(tail -c 300 "$TMP/err")"
			grep -q ' deep tls=proven' "$TMP/out" && fail "out of memory: deep() proven although its parse failed"
			done_oom=1
		fi
	done
	[ -n "$done_oom" ] || note "no memory limit made libclang fail: out-of-memory case not exercised"
	;;
esac

# ---- explain over a damaged witness cycle ----------------------------------------
E=$TMP/cyc
mkdir -p "$E"
printf 'void abort(void);\nint c(int x);\nint a(int x) { return c(x); }\nint b(int x) { return a(x); }\nint c(int x) { if (x) abort(); return x; }\n' >"$E/e.c"
entry "$E" e.c
expect 0 "" "$E" -p "$E" --db "$E/fnprop.db" --quiet
sqlite3 "$E/fnprop.db" "UPDATE verdict SET why = 2, next = (SELECT id FROM func WHERE name = 'b') WHERE func = (SELECT id FROM func WHERE name = 'a');
                       UPDATE verdict SET why = 2, next = (SELECT id FROM func WHERE name = 'a') WHERE func = (SELECT id FROM func WHERE name = 'b');"
(cd "$E" && with_timeout "$T" "$FNPROP" explain -p "$E" --db "$E/fnprop.db" a) >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -le 2 ] || fail "explain over a witness cycle: exit $rc (hung or crashed)"
grep -q "abort" "$TMP/out" || [ "$rc" = 2 ] || fail "explain over a witness cycle: neither the real path nor an error: $(head -c 300 "$TMP/out")"

# ---- /dev/zero and FIFOs ------------------------------------------------------------
F=$TMP/fifo
mkdir -p "$F/proj"
mkfifo "$F/pipe"
printf 'int ok(int x) { return x; }\n' >"$F/proj/ok.c"
entry "$F/proj" ok.c
hang_check() { # LABEL WANT_STATUS DIR ARGS...
	_l=$1 _w=$2
	shift 2
	_d=$1
	shift
	(cd "$_d" && with_timeout "$T" "$FNPROP" "$@") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -gt 2 ]; then fail "$_l: exit $rc (hung or crashed)"
	elif [ "$rc" != "$_w" ]; then fail "$_l: exit $rc, want $_w: $(head -c 300 "$TMP/err")"
	elif [ "$_w" = 2 ] && [ ! -s "$TMP/err" ]; then fail "$_l: exit 2 without a message"
	fi
}
hang_check "--model=/dev/zero" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" --model=/dev/zero --quiet
hang_check "--model=FIFO" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" "--model=$F/pipe" --quiet
hang_check "--config-file=/dev/zero" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" --config-file=/dev/zero --quiet
hang_check "--config-file=FIFO" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" "--config-file=$F/pipe" --quiet
ln -s /dev/zero "$F/proj/.fnprop"
hang_check ".fnprop -> /dev/zero" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" --quiet
rm "$F/proj/.fnprop"
printf 'models: zero.model\n' >"$F/proj/.fnprop"
ln -s /dev/zero "$F/proj/zero.model"
hang_check "models: /dev/zero (through a link in the tree)" 2 "$F/proj" -p "$F/proj" --db "$F/a.db" --quiet
rm "$F/proj/.fnprop" "$F/proj/zero.model"
mkdir -p "$F/zdb" "$F/pdb"
ln -s /dev/zero "$F/zdb/compile_commands.json"
hang_check "compile_commands.json -> /dev/zero" 2 "$F/zdb" -p "$F/zdb" --db "$F/z.db" --quiet
mkfifo "$F/pdb/compile_commands.json"
hang_check "compile_commands.json is a FIFO" 2 "$F/pdb" -p "$F/pdb" --db "$F/p.db" --quiet
mkdir -p "$F/inc"
mkfifo "$F/inc/ff.h"
printf '#include "ff.h"\nint i1(int x) { return x; }\n' >"$F/inc/i1.c"
printf '#include "/dev/zero"\nint i2(int x) { return x; }\n' >"$F/inc/i2.c"
mkfifo "$F/inc/src.c"
cat >"$F/inc/compile_commands.json" <<J
[{"directory": "$F/inc", "file": "i1.c", "arguments": ["cc", "-c", "i1.c"]},
 {"directory": "$F/inc", "file": "i2.c", "arguments": ["cc", "-c", "i2.c"]},
 {"directory": "$F/inc", "file": "src.c", "arguments": ["cc", "-c", "src.c"]}]
J
# A memory limit in case /dev/zero is read after all (not under ASan: its
# shadow memory needs the address space).
lim=4000000
case "${SAN:-}" in *address*) lim=unlimited ;; esac
(ulimit -v "$lim" 2>/dev/null; cd "$F/inc" && with_timeout "$T" "$FNPROP" -p "$F/inc" --db "$F/i.db" --dump=verdicts) \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ] || fail "a FIFO or /dev/zero as header or source: exit $rc, want 1 (parse errors): $(head -c 300 "$TMP/err")"
grep -q 'i1.c:1:10: error: .*ff.h.*\[fnprop-parse-error\]' "$TMP/out" "$TMP/err" || fail "FIFO header: no parse error at the include"
grep -q 'i2.c:1:10: error: .*/dev/zero.*\[fnprop-parse-error\]' "$TMP/out" "$TMP/err" || fail "/dev/zero header: no parse error at the include"
grep -q ' i1 .*proven\| i2 .*proven' "$TMP/out" && fail "a TU whose header could not be read has a proven function"

# ---- a held lock (by another program: python's sqlite3 module) -------------------------
L=$TMP/lock
mkdir -p "$L"
printf 'int l(int x) { return x; }\n' >"$L/l.c"
entry "$L" l.c
expect 0 "" "$L" -p "$L" --db "$L/fnprop.db" --quiet
printf 'void l2(void) {}\n' >>"$L/l.c" # the next run must write
if have_python; then
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close(); time.sleep(60)' "$L/fnprop.db" "$L/held" &
holder=$!
i=0
while [ ! -f "$L/held" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
start=$(date +%s)
(cd "$L" && with_timeout 60 "$FNPROP" -p "$L" --db "$L/fnprop.db" --lock-timeout=2 --quiet) >"$TMP/out" 2>"$TMP/err"
rc=$? took=$(($(date +%s) - start))
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
[ "$rc" = 2 ] || fail "locked database: exit $rc, want 2: $(head -c 300 "$TMP/err")"
[ "$took" -le 15 ] || fail "locked database: --lock-timeout=2 took $took s"
grep -q 'held by process [0-9]' "$TMP/err" || fail "locked database: the message does not name the holder: $(head -c 400 "$TMP/err")"
fi
expect 2 "invalid --lock-timeout" "$L" -p "$L" --lock-timeout=soon

# ---- secrets ---------------------------------------------------------------------------
S=$TMP/secret
mkdir -p "$S/home" "$S/home/repo"
printf 'https://user:ghp_SECRETTOKEN1234@github.com\n' >"$S/home/.git-credentials"
printf 'int s(int x) { return x; }\n' >"$S/home/repo/s.c"
entry "$S/home/repo" s.c
expect 2 "" "$S/home/repo" -p "$S/home/repo" --db "$S/a.db" "--model=$S/home/.git-credentials"
grep -q 'SECRETTOKEN' "$TMP/err" "$TMP/out" && fail "a model error quotes the file's content: $(cat "$TMP/err")"
grep -q '\.git-credentials:1:' "$TMP/err" || fail "a model error does not give the position: $(cat "$TMP/err")"
printf 'models: ../.git-credentials\n' >"$S/home/repo/.fnprop"
expect 2 "outside the project tree" "$S/home/repo" -p "$S/home/repo" --db "$S/a.db"
grep -q 'SECRETTOKEN' "$TMP/err" "$TMP/out" && fail "a .fnprop naming a file outside the tree leaks it: $(cat "$TMP/err")"
printf "models: $S/home/.git-credentials\n" >"$S/home/repo/.fnprop"
expect 2 "outside the project tree" "$S/home/repo" -p "$S/home/repo" --db "$S/a.db"
ln -s ../.git-credentials "$S/home/repo/creds.model"
printf 'models: creds.model\n' >"$S/home/repo/.fnprop"
expect 2 "outside the project tree" "$S/home/repo" -p "$S/home/repo" --db "$S/a.db"
rm "$S/home/repo/.fnprop"
ln -s ../.git-credentials "$S/home/repo/.fnprop"
expect 2 "" "$S/home/repo" -p "$S/home/repo" --db "$S/a.db"
grep -q 'SECRETTOKEN' "$TMP/err" "$TMP/out" && fail "a .fnprop linked to a secret leaks it: $(cat "$TMP/err")"

# ---- other languages, BOM, damaged facts, full disk ----------------------------------------
O=$TMP/lang
mkdir -p "$O"
printf 'int c_fn(int x) { return x; }\n' >"$O/a.c"
printf '.globl start\nstart:\n  ret\n' >"$O/b.S"
printf 'int cpp_fn(int x) { return x; }\n' >"$O/c.cpp"
cat >"$O/compile_commands.json" <<J
[{"directory": "$O", "file": "a.c", "arguments": ["cc", "-c", "a.c"]},
 {"directory": "$O", "file": "b.S", "arguments": ["cc", "-c", "b.S"]},
 {"directory": "$O", "file": "c.cpp", "arguments": ["c++", "-c", "c.cpp"]}]
J
expect 0 "" "$O" -p "$O" --db "$O/fnprop.db"
[ "$(grep -c 'not analyzed (fnprop analyzes C, not the verdict tables it writes): 1 assembler, 1 C++' "$TMP/err")" = 1 ] ||
	fail "other languages: no single note in the summary: $(cat "$TMP/err")"
expect 0 "" "$O" -p "$O" --db "$O/fnprop.db" --dump=verdicts
grep -q ' c_fn tls=proven' "$TMP/out" || fail "the C entry was not analyzed: $(cat "$TMP/out")"
grep -q 'cpp_fn\|start' "$TMP/out" && fail "another language's entry was analyzed: $(cat "$TMP/out")"
B=$TMP/bom
mkdir -p "$B"
printf 'int c_fn(int x) { return x; }\n' >"$B/a.c"
printf '\357\273\277' >"$B/compile_commands.json"
cat >>"$B/compile_commands.json" <<J
[{"directory": "$B", "file": "a.c", "arguments": ["cc", "-c", "a.c"]}]
J
expect 0 "" "$B" -p "$B" --db "$B/fnprop.db" --dump=verdicts
grep -q ' c_fn tls=proven' "$TMP/out" || fail "BOM: the entry was not analyzed: $(cat "$TMP/out")"

expect 0 "" "$O" extract -p "$O" -o "$TMP/a.facts" a.c
sqlite3 "$TMP/a.facts" "UPDATE tu_facts SET data = CAST('FNF2garbage' AS BLOB)"
expect 2 "" "$O" merge -p "$O" --db "$TMP/m.db" "$TMP/a.facts"
grep -q "a.facts.*damaged facts.*(.*)" "$TMP/err" || fail "damaged facts: no reason given: $(cat "$TMP/err")"
if [ -w /dev/full ]; then
	(cd "$O" && "$FNPROP" export -p "$O" --db "$O/fnprop.db" --format=jsonl >/dev/full) 2>"$TMP/err"
	rc=$?
	[ "$rc" = 2 ] || fail "export to a full disk: exit $rc, want 2"
	grep -q 'No space left on device' "$TMP/err" || fail "export to a full disk says: $(cat "$TMP/err")"
	grep -q 'out of memory' "$TMP/err" && fail "export to a full disk claims out of memory"
fi
finish
