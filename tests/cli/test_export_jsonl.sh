#!/bin/sh
# SPDX-License-Identifier: MIT
# test_export_jsonl.sh FNPROP - `fnprop export --format=jsonl` on the
# static-same-name fixture: one object per defined function with the
# required keys and values, sorted by file and line, witnesses where a
# property is not proven.  Checks are grep/awk level, not a JSON parser.
# shellcheck source=tests/cli/common
. "$(dirname "$0")/common"

case=$FIXTURES/static-same-name
compdb "$case" "$TMP/build"
(cd "$case" && "$FNPROP" export -p "$TMP/build" --db "$TMP/fnprop.db" --format=jsonl) \
	>"$TMP/out" 2>"$TMP/err" || fail "export exited with $? (stderr: $(head -c 400 "$TMP/err"))"

n=$(wc -l <"$TMP/out" | tr -d ' ')
[ "$n" = 7 ] || fail "$n lines, want 7 (one per defined function)"
bad=$(grep -vn '^[[:space:]]*{.*}[[:space:]]*$' "$TMP/out")
[ -z "$bad" ] || fail "lines that are not one JSON object: $bad"

# One summary line per object: FILE LINE NAME LINKAGE TLS PANIC (the first
# occurrence of each key: the top-level one, before any witness hops).
awk '
function str(key,   m) {
	if (!match($0, "\"" key "\"[[:space:]]*:[[:space:]]*\"[^\"]*\"")) return "<none>"
	m = substr($0, RSTART, RLENGTH)
	sub(/^"[^"]*"[[:space:]]*:[[:space:]]*"/, "", m)
	return substr(m, 1, length(m) - 1)
}
function num(key,   m) {
	if (!match($0, "\"" key "\"[[:space:]]*:[[:space:]]*[0-9]+")) return "<none>"
	m = substr($0, RSTART, RLENGTH)
	sub(/^.*:[[:space:]]*/, "", m)
	return m
}
{ print str("file"), num("line"), str("name"), str("linkage"), str("tls"), str("panic"), (str("usr") == "<none>" || str("usr") == "" ? "no-usr" : "usr") }
' "$TMP/out" >"$TMP/fields"

grep -v ' usr$' "$TMP/fields" >/dev/null && fail "objects without a non-empty usr:
$(grep -v ' usr$' "$TMP/fields")"
awk '$1 !~ /^\// { bad = 1 } END { exit bad }' "$TMP/fields" || fail "file is not absolute:
$(cat "$TMP/fields")"
LC_ALL=C sort -c -k1,1 -k2,2n "$TMP/fields" 2>/dev/null || fail "not sorted by file, line:
$(cat "$TMP/fields")"

# The expected objects, in order, with files relative to the case.
sed "s|^$case/||; s| usr\$||" "$TMP/fields" >"$TMP/got"
cat >"$TMP/want" <<'ROWS'
d1/a.c 4 helper internal proven proven
d1/a.c 7 d1_entry external proven proven
d2/a.c 8 helper internal violated violated
d2/a.c 17 d2_entry external violated violated
main.c 7 helper internal proven proven
main.c 10 use_d1 external proven proven
main.c 13 use_d2 external violated violated
ROWS
diff -u "$TMP/want" "$TMP/got" >"$TMP/diff" || fail "exported objects differ:
$(cat "$TMP/diff")"

# Witnesses: a path of {function, file, line} hops for each non-proven
# property, none for a fully proven function.
hop='"function"[[:space:]]*:[[:space:]]*"'
grep '"name"[[:space:]]*:[[:space:]]*"use_d2"' "$TMP/out" | grep -q "${hop}d2_entry\"" ||
	fail "use_d2's witness does not go through d2_entry"
grep '"name"[[:space:]]*:[[:space:]]*"d2_entry"' "$TMP/out" | grep -q "${hop}helper\"" ||
	fail "d2_entry's witness does not go through helper"
grep '"name"[[:space:]]*:[[:space:]]*"d2_entry"' "$TMP/out" | grep -q 'abort' ||
	fail "d2_entry's witness does not end in abort"
grep '"name"[[:space:]]*:[[:space:]]*"d2_entry"' "$TMP/out" | grep -q 'd2_last' ||
	fail "d2_entry's tls witness does not name the thread-local d2_last"
grep '"tls"[[:space:]]*:[[:space:]]*"proven"' "$TMP/out" | grep '"panic"[[:space:]]*:[[:space:]]*"proven"' |
	grep -q "$hop" && fail "a fully proven function carries a witness hop"
for l in 10 12; do
	grep '"name"[[:space:]]*:[[:space:]]*"d2_entry"' "$TMP/out" | grep -q "\"line\"[[:space:]]*:[[:space:]]*${l}[^0-9]" ||
		fail "d2_entry's witness has no hop at d2/a.c line $l (the effect)"
done

finish
