#!/bin/sh
# SPDX-License-Identifier: MIT
# test_security.sh FNPROP - (1) the grep-able rule that every SQL statement
# is a literal with bound parameters (tests/robust/sql_rule.awk over
# properties-db/pdb.c, plus a self-test that the rule catches a violation);
# (2) no shell or program is ever started by the analyzer, the database or
# the runtime (no system/popen/exec/posix_spawn/fork in their sources);
# (3) hostile names - `'; drop table tu; --` and friends as directory, file
# and macro text - are analyzed, stored and exported correctly: the tables
# survive, names round-trip, JSON/SARIF are valid JSON, the export-fixes
# YAML parses, the C export compiles.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

# ---- (1) SQL only from literals ------------------------------------------------
awk -f "$ROOT/tests/robust/sql_rule.awk" "$ROOT/properties-db/pdb.c" >"$TMP/rule" ||
	fail "properties-db/pdb.c breaks the SQL rule: $(cat "$TMP/rule")"
cat >"$TMP/bad.c" <<'C'
static int bad(pdb *db, const char *name) {
  ut_buf b = {0};
  ut_buf_printf(&b, "DELETE FROM func WHERE name = '%s'", name);
  return pdb_exec(db, b.s) + sqlite3_prepare_v2(db->db,
      name, -1, &s, NULL) + sqlite3_exec(db->db, sqlite3_mprintf("%q", name), 0, 0, 0);
}
C
awk -f "$ROOT/tests/robust/sql_rule.awk" "$TMP/bad.c" >"$TMP/rule" && fail "the SQL rule misses SQL built from data"
[ "$(wc -l <"$TMP/rule")" -ge 3 ] || fail "the SQL rule found only: $(cat "$TMP/rule")"

# ---- (2) no shell, no child process ---------------------------------------------
# The one exception: `fnprop report --html` runs Graphviz dot (the named
# program, a fixed argument vector, no shell) from analyzer/htmlreport.c.
grep -nE '(^|[^a-z_])(system|popen|execl|execlp|execle|execv|execvp|execvpe|posix_spawnp?|fork|vfork|wordexp)[ ]*\(' \
	"$ROOT"/analyzer/*.c "$ROOT"/analyzer/*.h "$ROOT"/properties-db/*.c "$ROOT"/runtime-shim/*.c |
	grep -vE '^[^:]*/analyzer/htmlreport\.c:[0-9]+:.*(^|[^a-z_])posix_spawnp?\(&pid, r->o\.dot, &fa, NULL, argv, environ\)' >"$TMP/shell" &&
	fail "a process is started from analyzer/, properties-db/ or runtime-shim/: $(cat "$TMP/shell")"
grep -q 'char \*argv\[\] = {(char \*)r->o.dot, "-Tsvg", src, NULL};' "$ROOT/analyzer/htmlreport.c" ||
	fail "htmlreport.c runs dot with other arguments than its fixed vector: review the exception above"

# ---- (3) hostile names ------------------------------------------------------------
H=$TMP/"x'; drop table func; --"
B=$H/"build\"; drop table verdict; --"
mkdir -p "$H" "$B" || exit 2
F1=$H/"'; drop table tu; --.c"
F2=$H/'"); DELETE FROM properties; --.c'
HD=$H/"it's quoted; --.h"
cat >"$HD" <<'C'
#include <stdlib.h>
#define HOSTILE "'; drop table tu; --"
static inline int drop_table_tu(int x) { if (x == 99) abort(); return x; }
C
cat >"$F1" <<'C'
#include "it's quoted; --.h"
#include <fnprop.h>
_Thread_local int tls_drop;
const char *msg = HOSTILE MSG;
int drop_table_func(int x) FNPROP_NOTLS;
int drop_table_func(int x) { return drop_table_tu(x) + tls_drop; }
int quiet(int x) { return x; }
C
printf 'int delete_from_properties(int x) { return x; }\n' >"$F2"
{
	printf '[{"directory": %s, "file": %s, "arguments": ["cc", "-I%s", %s, "-c", %s]},\n' \
		"$(json_str "$H")" "$(json_str "$F1")" "$ROOT/include" "$(json_str "-DMSG=\"'; drop table tu; --\"")" "$(json_str "$F1")"
	printf ' {"directory": %s, "file": %s, "command": %s}]\n' \
		"$(json_str "$H")" "$(json_str "$F2")" "$(json_str "cc -DX='\"; drop table tu; --' -c '\"); DELETE FROM properties; --.c'")"
} >"$B/compile_commands.json"
DB=$B/fnprop.db
expect 0 "" "$H" -p "$B" --quiet --dump=verdicts
for want in "'; drop table tu; --.c:6:5: drop_table_func tls=violated panic=violated" \
	"delete_from_properties tls=proven panic=proven" "drop_table_tu tls=proven panic=violated"; do
	grep -qF "$want" "$TMP/out" || fail "hostile names: missing '$want' in: $(cat "$TMP/out")"
done
[ "$(sq "$DB" 'SELECT count(*) FROM tu')" = 2 ] || fail "hostile names: the tu table lost rows"
for t in tu func verdict properties fact_func; do
	sq "$DB" "SELECT count(*) FROM $t" >/dev/null 2>&1 || sq "$DB" "SELECT 1 FROM sqlite_master WHERE name = '$t'" | grep -q 1 ||
		{ [ "$t" = fact_func ] || fail "hostile names: table $t is gone"; }
done
[ "$(sq "$DB" 'SELECT file FROM tu ORDER BY file' | head -n 1)" = "$F2" ] || fail "hostile names: the stored file name differs"
sq "$DB" "SELECT file FROM properties WHERE name = 'drop_table_func'" | grep -qxF "$F1" || fail "hostile names: properties.file differs"
integrity "$DB"
# Again from the cache: nothing changes.
cp "$TMP/out" "$TMP/first"
expect 0 "" "$H" -p "$B" --quiet --dump=verdicts
cmp -s "$TMP/out" "$TMP/first" || fail "hostile names: the cached run differs"

# Machine outputs: JSON Lines, JSON and SARIF diagnostics, export-fixes YAML, C.
expect 0 "" "$H" export -p "$B" --format=jsonl
cp "$TMP/out" "$TMP/x.jsonl"
run_in "$H" -p "$B" --quiet --format=json
cp "$TMP/out" "$TMP/x.json"
[ "$rc" -le 1 ] || fail "--format=json: exit $rc: $(head -c 300 "$TMP/err")"
run_in "$H" -p "$B" --quiet --format=sarif
cp "$TMP/out" "$TMP/x.sarif"
[ "$rc" -le 1 ] || fail "--format=sarif: exit $rc: $(head -c 300 "$TMP/err")"
grep -q "drop_table_func" "$TMP/x.sarif" || fail "SARIF: the FNPROP_NOTLS violation is not reported"
run_in "$H" -p "$B" --quiet --checks='*' --export-fixes="$TMP/fixes.yaml"
[ "$rc" -le 1 ] || fail "--export-fixes: exit $rc: $(head -c 300 "$TMP/err")"
if have_python; then
	python3 - "$TMP/x.jsonl" "$TMP/x.json" "$TMP/x.sarif" "$F1" "$F2" <<'PY' || fail "hostile names: invalid JSON or names that do not round-trip"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = {r["file"] for r in rows}
assert sys.argv[4] in files and sys.argv[5] in files, files
for p in sys.argv[2:4]:
    text = open(p, encoding="utf-8").read()
    if text.strip():
        json.loads(text)
from urllib.parse import unquote
sarif = json.load(open(sys.argv[3], encoding="utf-8"))
uris = [l["physicalLocation"]["artifactLocation"]["uri"] for run in sarif["runs"] for r in run["results"]
        for l in r.get("locations", [])]
assert any(unquote(u).endswith("'; drop table tu; --.c") for u in uris), uris
PY
	if python3 -c 'import yaml' 2>/dev/null && [ -s "$TMP/fixes.yaml" ]; then
		python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")))' "$TMP/fixes.yaml" 2>"$TMP/yerr" ||
			fail "export-fixes YAML does not parse: $(tail -n 3 "$TMP/yerr")"
	fi
else
	# Without python: every line is one object, quotes inside strings escaped.
	grep -vq '^{.*}$' "$TMP/x.jsonl" && fail "JSON Lines: a line is not one object"
	grep -qF "\"file\":\"$(printf '%s' "$F2" | sed 's/"/\\\\"/g')\"" "$TMP/x.jsonl" || fail "JSON Lines: the quote in a file name is not escaped"
fi
expect 0 "" "$H" export -p "$B" --format=c
cp "$TMP/out" "$TMP/table.c"
cc -std=c11 -Wall -Werror -fsyntax-only -I"$ROOT/runtime-shim" "$TMP/table.c" 2>"$TMP/cc.err" ||
	fail "hostile names: the C export does not compile: $(head -c 400 "$TMP/cc.err")"
finish
