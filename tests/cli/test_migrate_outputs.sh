#!/bin/sh
# SPDX-License-Identifier: MIT
# test_migrate_outputs.sh FNPROP - the stage-3 `migrate` verdict in every
# output that reads the database (docs/stage3.md): the `properties` view's
# migrate and migrate_witness columns, the JSON Lines export's migrate and
# migrate_witness (callee hops, then access, suspension and use with their
# locations and words, or the reason), and `fnprop explain`, on the
# task-unmigratable diagnostics case and on a generated 100-deep chain
# (the export lists 64 hops and counts the rest, explain prints them all).
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"
need sqlite3 sqlite3
need python3 python3

case=$ROOT/tests/diag/cases/task-unmigratable
compdb "$case" "$TMP/build"
db=$TMP/build/fnprop.db
(cd "$case" && "$FNPROP" -p "$TMP/build" --db "$db" --quiet) >/dev/null 2>"$TMP/err" ||
	fail "analysis exited with $? (stderr: $(head -c 400 "$TMP/err"))"

# ---- the properties view
sqlite3 "$db" "select name, tls, migrate, migrate_witness is not null from properties
               where name in ('keeps_pointer', 'run_batch', 'flush_queue', 'send_later', 'retry_write', 'reread',
                              'fetcher', 'spawn') order by name" >"$TMP/rows" 2>&1 ||
	fail "query of the properties view failed: $(cat "$TMP/rows")"
cat >"$TMP/want" <<'ROWS'
fetcher|unknown|unknown|1
flush_queue|violated|violated|1
keeps_pointer|violated|violated|1
reread|violated|violated|1
retry_write|violated|proven|0
run_batch|violated|violated|1
send_later|violated|violated|1
spawn|violated|violated|1
ROWS
diff -u "$TMP/want" "$TMP/rows" >"$TMP/diff" || fail "properties rows differ:
$(cat "$TMP/diff")"
w=$(sqlite3 "$db" "select migrate_witness from properties where name = 'run_batch'")
case $w in "calls 'flush_queue' at $case/tasks.c:32:3") ;; *) fail "run_batch's migrate_witness: $w" ;; esac
w=$(sqlite3 "$db" "select migrate_witness from properties where name = 'send_later'")
case $w in "'write' may set 'errno' at $case/tasks.c:22:7, live across $case/tasks.c:23:5 (calls 'yield'), read at $case/tasks.c:24:9") ;;
*) fail "send_later's migrate_witness: $w" ;; esac
n=$(sqlite3 "$db" "select count(*) from properties where migrate = 'proven' and migrate_witness is not null")
[ "$n" = 0 ] || fail "$n proven rows with a migrate_witness"

# ---- JSON Lines
(cd "$case" && "$FNPROP" export -p "$TMP/build" --db "$db" --format=jsonl) >"$TMP/out.jsonl" 2>"$TMP/err" ||
	fail "export exited with $? (stderr: $(head -c 400 "$TMP/err"))"
python3 - "$TMP/out.jsonl" "$case/tasks.c" <<'PY' >"$TMP/py" 2>&1 || fail "JSON Lines checks: $(cat "$TMP/py")"
import json, sys
path, src = sys.argv[1:3]
objs = {}
for line in open(path, encoding="utf-8"):
    o = json.loads(line)
    assert o["migrate"] in ("proven", "unknown", "violated"), o
    assert ("migrate_witness" in o) == (o["migrate"] != "proven"), o["name"]
    objs[o["name"]] = o
w = objs["run_batch"]["migrate_witness"]
assert [(h["function"], h["calls"], h["line"], h["column"]) for h in w["calls"]] == \
    [("run_batch", "flush_queue", 32, 3), ("flush_queue", "send_later", 28, 41)], w["calls"]
assert all(h["file"] == src for h in w["calls"]), w["calls"]
assert w["function"] == "send_later", w
want = {"access": (22, 7, "'write' may set 'errno'"), "suspension": (23, 5, "calls 'yield'"),
        "use": (24, 9, "reads 'errno' after the suspension")}
for k, (line, col, text) in want.items():
    s = w[k]
    assert (s["file"], s["line"], s["column"], s["text"]) == (src, line, col, text), (k, s)
assert "reason" not in w, w
w = objs["keeps_pointer"]["migrate_witness"]
assert w["calls"] == [] and w["function"] == "keeps_pointer", w
assert (w["access"]["line"], w["suspension"]["line"], w["use"]["line"]) == (14, 16, 17), w
assert w["access"]["text"] == "'p' gets the address of 'counter'", w
w = objs["fetcher"]["migrate_witness"]
assert [h["calls"] for h in w["calls"]] == ["remote_fetch"], w
assert w["function"] == "remote_fetch" and "access" not in w, w
assert w["reason"]["text"] == "'remote_fetch' has no body in the program and no model", w
assert (w["reason"]["line"], w["reason"]["column"]) == (9, 12), w
assert objs["retry_write"]["tls"] == "violated" and objs["retry_write"]["migrate"] == "proven"
PY

# ---- explain
(cd "$case" && "$FNPROP" explain run_batch -p "$TMP/build" --db "$db") >"$TMP/explain" 2>"$TMP/err" ||
	fail "explain exited with $? (stderr: $(head -c 400 "$TMP/err"))"
sed -n '/^migrate: /,$p' "$TMP/explain" >"$TMP/got"
cat >"$TMP/want" <<'TXT'
migrate: violated
  #0 run_batch at tasks.c:32:3: calls 'flush_queue'
  #1 flush_queue at tasks.c:28:41: calls 'send_later'
  #2 send_later at tasks.c:24:9: 'write' may set 'errno' at tasks.c:22:7, live across tasks.c:23:5 (calls 'yield'), read at tasks.c:24:9
       access     tasks.c:22:7: 'write' may set 'errno'
       suspension tasks.c:23:5: calls 'yield'
       use        tasks.c:24:9: reads 'errno' after the suspension
TXT
diff -u "$TMP/want" "$TMP/got" >"$TMP/diff" || fail "explain run_batch's migrate part differs:
$(cat "$TMP/diff")"
(cd "$case" && "$FNPROP" explain retry_write -p "$TMP/build" --db "$db") >"$TMP/explain" 2>&1
grep -qx 'tls: violated' "$TMP/explain" && grep -qx 'migrate: proven' "$TMP/explain" ||
	fail "explain retry_write: $(cat "$TMP/explain")"
(cd "$case" && "$FNPROP" explain fetcher -p "$TMP/build" --db "$db") >"$TMP/explain" 2>&1
grep -qx "  #1 remote_fetch at tasks.c:9:12: 'remote_fetch' has no body in the program and no model" "$TMP/explain" ||
	fail "explain fetcher does not end at the reason: $(cat "$TMP/explain")"

# ---- a 100-deep chain: bounded in the export, whole in explain
deep=$TMP/deep
mkdir -p "$deep"
{
	printf '#include <fnprop.h>\n_Thread_local int slot;\nvoid yield(void) FNPROP_YIELD;\nvoid yield(void) {}\n'
	printf 'void f99(void) { int *p = &slot; yield(); *p = 1; }\n'
	i=98
	while [ "$i" -ge 0 ]; do printf 'void f%d(void) { f%d(); }\n' "$i" $((i + 1)); i=$((i - 1)); done
} >"$deep/chain.c"
printf 'chain.c -std=c11 -I%s/include\n' "$ROOT" >"$deep/build.txt"
compdb "$deep" "$TMP/dbuild"
(cd "$deep" && "$FNPROP" export -p "$TMP/dbuild" --db "$TMP/dbuild/f.db" --format=jsonl) >"$TMP/deep.jsonl" 2>"$TMP/err" ||
	fail "deep export exited with $? (stderr: $(head -c 400 "$TMP/err"))"
python3 - "$TMP/deep.jsonl" <<'PY' >"$TMP/py" 2>&1 || fail "deep chain export: $(cat "$TMP/py")"
import json, sys
objs = {o["name"]: o for o in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
w = objs["f0"]["migrate_witness"]
calls = w["calls"]
assert len(calls) == 65 and calls[-1] == {"elided": 35}, (len(calls), calls[-1])
assert [c["function"] for c in calls[:64]] == ["f%d" % i for i in range(64)], calls[:3]
assert w["function"] == "f99" and w["use"]["text"] == "'p' is used after the suspension", w
w = objs["f40"]["migrate_witness"]
assert len(w["calls"]) == 59 and "elided" not in w["calls"][-1] and w["function"] == "f99", len(w["calls"])
PY
(cd "$deep" && "$FNPROP" explain f0 -p "$TMP/dbuild" --db "$TMP/dbuild/f.db") 2>&1 | sed -n '/^migrate: /,$p' >"$TMP/explain"
n=$(grep -c "^  #[0-9]* f[0-9]* at chain.c:[0-9]*:[0-9]*: calls 'f" "$TMP/explain")
[ "$n" = 99 ] || fail "explain f0 lists $n callee hops, want 99"
grep -q "^  #99 f99 at chain.c:5:" "$TMP/explain" || fail "explain f0 does not end at f99's finding: $(tail -n 5 "$TMP/explain")"
finish
