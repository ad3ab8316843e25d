#!/bin/sh
# SPDX-License-Identifier: MIT
# test_bad_source.sh FNPROP - sources that do not parse (a syntax error, a
# missing header): exit 1, `file:line:col: error: ... [fnprop-parse-error]`,
# and no function that depends on that TU is `proven`, now or from the
# cache; file arguments that are not part of the program; file and
# directory names with spaces, quotes, unicode, and newlines.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

# ---- a TU that does not parse ---------------------------------------------
S=$TMP/syn
mkdir -p "$S"
cat >"$S/bad.c" <<'C'
int looks_clean(int x) { return x + 1; }
int broken(int x) {
  return x +;
}
int after(int x) { return x * 2; }
C
cat >"$S/user.c" <<'C'
int looks_clean(int x);
int uses_bad(int x) { return looks_clean(x); }
int independent(int x) { return x - 1; }
C
cat >"$S/compile_commands.json" <<J
[{"directory": "$S", "file": "bad.c", "arguments": ["cc", "-c", "bad.c"]},
 {"directory": "$S", "file": "user.c", "arguments": ["cc", "-c", "user.c"]}]
J
check_unparsable() { # LABEL: the dump in $TMP/out, stderr in $TMP/err
	grep -qE "^bad\.c:3:13: error: .*\[fnprop-parse-error\]$" "$TMP/out" "$TMP/err" ||
		fail "$1: no 'bad.c:3:13: error: ... [fnprop-parse-error]': $(head -c 300 "$TMP/out" "$TMP/err")"
	for fn in looks_clean broken after uses_bad; do
		grep -E " $fn tls=proven| $fn .*panic=proven" "$TMP/out" >/dev/null &&
			fail "$1: $fn depends on a TU that did not parse but is proven: $(grep " $fn " "$TMP/out")"
	done
	grep -q " independent tls=proven panic=proven" "$TMP/out" || fail "$1: the good TU's independent() is not proven"
}
expect 1 "" "$S" -p "$S" --db "$TMP/syn.db" --dump=verdicts
check_unparsable "syntax error"
# Again from the cache: same verdicts, same exit status.
expect 1 "" "$S" -p "$S" --db "$TMP/syn.db" --dump=verdicts
check_unparsable "syntax error, cached"
# Plain check mode prints the diagnostic on stdout.
expect 1 "[fnprop-parse-error]" "$S" -p "$S" --db "$TMP/syn.db"
# Fixed: everything proven.
sed 's/x +;/x + 2;/' "$S/bad.c" >"$S/bad.c.new" && mv "$S/bad.c.new" "$S/bad.c"
expect 0 "" "$S" -p "$S" --db "$TMP/syn.db" --dump=verdicts
[ "$(grep -c 'tls=proven panic=proven' "$TMP/out")" = 5 ] || fail "after the fix, not all 5 proven: $(cat "$TMP/out")"

# ---- a missing header -------------------------------------------------------
M=$TMP/mh
mkdir -p "$M"
printf '#include "gone.h"\nint m(int x) { return x; }\n' >"$M/m.c"
entry "$M" m.c
expect 1 "m.c:1:10: error: 'gone.h' file not found [fnprop-parse-error]" "$M" -p "$M" --db "$TMP/mh.db" --dump=verdicts
grep -q " m tls=proven\| m .*panic=proven" "$TMP/out" && fail "missing header: m is proven"
# A header deleted after a good run: the cache notices, the TU is reparsed.
G=$TMP/gone
mkdir -p "$G"
printf 'static inline int h(int x) { return x; }\n' >"$G/h.h"
printf '#include "h.h"\nint g(int x) { return h(x); }\n' >"$G/g.c"
entry "$G" g.c
expect 0 "" "$G" -p "$G" --db "$TMP/gone.db" --dump=verdicts
rm "$G/h.h"
expect 1 "'h.h' file not found" "$G" -p "$G" --db "$TMP/gone.db" --dump=verdicts
grep -q " g tls=proven\| g .*panic=proven" "$TMP/out" && fail "deleted header: g still proven (stale cache)"

# ---- file arguments that are not part of the program (analyzer/main.c) ----
N=$TMP/notin
mkdir -p "$N"
printf 'int in(void) { return 0; }\n' >"$N/in.c"
printf 'int out(void) { return 0; }\n' >"$N/out.c"
printf 'static inline int hh(void) { return 0; }\n' >"$N/used.h"
printf '#include "used.h"\nint in2(void) { return hh(); }\n' >"$N/in2.c"
cat >"$N/compile_commands.json" <<J
[{"directory": "$N", "file": "in.c", "arguments": ["cc", "-c", "in.c"]},
 {"directory": "$N", "file": "in2.c", "arguments": ["cc", "-c", "in2.c"]}]
J
expect 0 "" "$N" -p "$N" --db "$TMP/notin.db" in.c
expect 0 "" "$N" -p "$N" --db "$TMP/notin.db" used.h # a header the program includes
run_in "$N" -p "$N" --db "$TMP/notin.db" out.c
{ [ "$rc" = 2 ] && grep -qF "'out.c' is not in the compile database" "$TMP/err"; } ||
	known "a file argument outside the program is silently ignored (exit $rc, want 2 and \"fnprop: error: 'out.c' is not in the compile database '$N/compile_commands.json' and no translation unit includes it\"; fix in analyzer/main.c)"
run_in "$N" -p "$N" --db "$TMP/notin.db" no-such.c
{ [ "$rc" = 2 ] && grep -qF "'no-such.c'" "$TMP/err" && grep -q "No such file" "$TMP/err"; } ||
	known "a file argument that does not exist is silently ignored (exit $rc, want 2 and \"fnprop: error: cannot report on 'no-such.c': No such file or directory\"; fix in analyzer/main.c)"

# ---- odd names: spaces, quotes, unicode, newline, in sources and build dir
O=$TMP/"o d'd \"dir\" ü"
NL='
'
SRC=$O/"src ñ 'q' \"dq\" \$x"
BLD=$O/"build ✓ 'b'${NL}line"
mkdir -p "$SRC" "$BLD" || exit 2
F1=$SRC/"a b'c\"d ü.c"
F2=$SRC/"new${NL}line.c"
F3=$SRC/'-dash;semi&amp|pipe`tick`.c'
cat >"$F1" <<'C'
#include <stdlib.h>
#include "inc 'q'.h"
_Thread_local int t;
int use_t(void) { return t + helper(); }
void dies(void) { abort(); }
int ok(int x) { return x + 1; }
C
printf 'static inline int helper(void) { return 3; }\n' >"$SRC/inc 'q'.h"
printf 'int nl_fn(void) { return 0; }\n' >"$F2"
printf 'int dash_fn(void) { return 1; }\n' >"$F3"
{
	printf '['
	sep=
	for f in "$F1" "$F2" "$F3"; do
		printf '%s{"directory": %s, "file": %s, "arguments": ["cc", "-c", %s]}' "$sep" "$(json_str "$SRC")" \
			"$(json_str "$f")" "$(json_str "$f")"
		sep=,
	done
	printf ']\n'
} >"$BLD/compile_commands.json"
expect 0 "" "$TMP" -p "$BLD" --dump=verdicts --quiet
[ -f "$BLD/fnprop.db" ] || fail "odd names: no fnprop.db in the build directory"
for want in "a b'c\"d ü.c:4:5: use_t tls=violated panic=proven" "dies tls=proven panic=violated" \
	"ok tls=proven panic=proven" "nl_fn tls=proven panic=proven" "dash_fn tls=proven panic=proven"; do
	grep -qF "$want" "$TMP/out" || fail "odd names: missing '$want' in: $(cat "$TMP/out")"
done
expect 0 "" "$TMP" explain -p "$BLD" use_t
grep -qF "uses thread-local variable 't'" "$TMP/out" || fail "odd names: explain does not show the tls access: $(cat "$TMP/out")"
grep -qF "helper" "$TMP/out" && fail "odd names: explain walks into the clean callee helper: $(cat "$TMP/out")"
grep -qF "a b'c\"d ü.c" "$TMP/out" || fail "odd names: explain does not name the file: $(cat "$TMP/out")"
expect 0 "" "$TMP" export -p "$BLD" --format=jsonl
cp "$TMP/out" "$TMP/odd.jsonl"
[ "$(wc -l <"$TMP/odd.jsonl")" = 6 ] || fail "odd names: want 6 JSON lines (one per function), got $(wc -l <"$TMP/odd.jsonl")"
if have_python; then
	python3 - "$TMP/odd.jsonl" "$F1" "$F2" <<'PY' || fail "odd names: JSON export does not round-trip the file names"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = {r["file"] for r in rows}
assert sys.argv[2] in files and sys.argv[3] in files, files
PY
fi
# The C export compiles, with every odd name escaped.
expect 0 "" "$TMP" export -p "$BLD" --format=c
cp "$TMP/out" "$TMP/odd_table.c"
cc -std=c11 -Wall -Werror -fsyntax-only -I"$ROOT/runtime-shim" "$TMP/odd_table.c" 2>"$TMP/cc.err" ||
	fail "odd names: the C export does not compile: $(head -c 400 "$TMP/cc.err")"
# Reporting on one odd file.
expect 0 "" "$TMP" -p "$BLD" --dump=verdicts --quiet "$F2"
[ "$(grep -c 'tls=' "$TMP/out")" = 1 ] || fail "odd names: a newline file argument does not select its one function: $(cat "$TMP/out")"

finish
