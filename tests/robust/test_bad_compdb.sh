#!/bin/sh
# SPDX-License-Identifier: MIT
# test_bad_compdb.sh FNPROP - every malformed compile database gets exit 2
# and a message naming the file and what is wrong (never libclang's bare
# "LIBCLANG TOOLING ERROR", never a crash); entries that point to missing
# files or directories are parse errors (exit 1) of that file; relative
# directories are taken relative to the database's directory.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

W=$TMP/w
mkdir -p "$W"
printf 'int f(void) { return 1; }\n' >"$W/a.c"

# db NAME TEXT: $TMP/NAME/compile_commands.json holding TEXT.
db() {
	mkdir -p "$TMP/$1"
	printf '%s' "$2" >"$TMP/$1/compile_commands.json"
}
# bad NAME TEXT MESSAGE: exit 2 with MESSAGE, and nothing from libclang.
bad() {
	db "$1" "$2"
	if expect 2 "$3" "$W" -p "$TMP/$1" --db "$TMP/$1.db"; then
		grep -q 'LIBCLANG TOOLING ERROR\|^YAML:' "$TMP/err" && fail "$1: libclang's own error leaked: $(head -c 200 "$TMP/err")"
		grep -qF "$TMP/$1/compile_commands.json" "$TMP/err" || fail "$1: the message does not name the file"
	fi
	[ -e "$TMP/$1.db" ] && [ -s "$TMP/$1.db" ] && note "$1: a database was created before the input was checked"
	return 0
}

A='"directory": "'$W'", "file": "a.c"'
ARGS='"arguments": ["cc", "-c", "a.c"]'

expect 2 "cannot use build directory" "$W" -p "$TMP/does-not-exist"
mkdir -p "$TMP/nodb"
expect 2 "cannot open compile database '$TMP/nodb/compile_commands.json': No such file or directory" "$W" -p "$TMP/nodb"
# -p is a file, not a directory
expect 2 "" "$W" -p "$W/a.c" --db "$TMP/pfile.db"
bad emptyfile '' "the file is empty"
bad blank '
  	 ' "the file is empty"
bad notjson 'hello' "it does not start with '['"
bad object "{$A, $ARGS}" "it is a JSON object, not an array"
bad truncated "[{$A, " "unexpected end of file"
bad unclosed "[{$A, $ARGS}" "line 1, column "
grep -q "unexpected end of file" "$TMP/err" || fail "unclosed: not reported as the end of the file"
bad trailing "[{$A, $ARGS}] trailing" "unexpected text after the closing ']'"
bad badescape '[{"directory": "/tmp\q", "file": "a.c", "arguments": ["cc"]}]' "line 1, column 22: bad escape in a string"
bad ctrlchar "$(printf '[{"directory": "/tmp\001", "file": "a.c", "arguments": ["cc"]}]')" "control character inside a string"
bad deep "$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "["; }')" "nested too deeply"
bad notobject '[1, 2]' "entry 1 is not a JSON object"
bad second-not-object "[{$A, $ARGS}, \"x\"]" "entry 2 is not a JSON object"
bad nofile "[{\"directory\": \"$W\", $ARGS}]" 'entry 1: it has no "file"'
bad nodir "[{\"file\": \"a.c\", $ARGS}]" 'entry 1 (file "a.c"): it has no "directory"'
bad nocmd "[{$A}]" 'entry 1 (file "a.c"): it has neither "arguments" nor "command"'
bad filetype "[{\"directory\": \"$W\", \"file\": 3, $ARGS}]" 'entry 1: "file" is not a string'
bad dirtype "[{\"directory\": [], \"file\": \"a.c\", $ARGS}]" '"directory" is not a string'
bad argstype "[{$A, \"arguments\": \"cc -c a.c\"}]" '"arguments" is not an array of strings'
bad argsnums "[{$A, \"arguments\": [\"cc\", 1]}]" '"arguments" is not an array of strings'
bad argsempty "[{$A, \"arguments\": []}]" '"arguments" is empty'
bad cmdempty "[{$A, \"command\": \"\"}]" '"command" is empty'
bad emptydir "[{\"directory\": \"\", \"file\": \"a.c\", $ARGS}]" '"directory" is empty'
bad blankcmd "[{$A, \"command\": \"   \"}]" 'entry 1 has an empty command line'
# Found by fuzz_compdb: a backslash before a NUL byte passed the check and
# libclang read the command as empty (tests/fuzz/corpus/compdb/crash-escaped-nul.json).
mkdir -p "$TMP/escapednul"
printf '[{"directory": "/tmp", "file": "a.c", "command": "cc \\\000o"}]' >"$TMP/escapednul/compile_commands.json"
[ "$(od -An -c "$TMP/escapednul/compile_commands.json" | grep -c '\\  *\\0')" = 1 ] || fail "escapednul: could not write the NUL"
expect 2 "bad escape in a string" "$W" -p "$TMP/escapednul" --db "$TMP/escapednul.db"
bad third "[{$A, $ARGS}, {$A, $ARGS}, {\"directory\": \"$W\", \"file\": \"b.c\"}]" 'entry 3 (file "b.c")'

db empty '[]'
expect 2 "compile database '$TMP/empty/compile_commands.json' has no entries" "$W" -p "$TMP/empty" --db "$TMP/empty.db"
db emptyspaced ' [ ] '
expect 2 "has no entries" "$W" -p "$TMP/emptyspaced" --db "$TMP/emptyspaced.db"

# libclang's reader knows exactly five keys; values are strings but for
# "arguments".  Escapes in strings are decoded.
bad unknownkey "[{$A, $ARGS, \"x\": {\"y\": [true, null, -1.5e3]}}]" 'entry 1 (file "a.c"): it has a key other than'
bad outputtype "[{$A, $ARGS, \"output\": 1}]" '"output" is not a string'
db extra "[{\"directory\": \"$W\", \"file\": \"\\u0061.c\", $ARGS, \"output\": \"\\u00e9\\n\\/\"}]"
expect 0 "" "$W" -p "$TMP/extra" --db "$TMP/extra.db" --dump=verdicts
grep -q ' f tls=proven panic=proven' "$TMP/out" || fail "extra keys: f not analyzed: $(cat "$TMP/out")"

# A missing source file or working directory: a parse error of that file.
db missingfile "[{\"directory\": \"$W\", \"file\": \"gone.c\", \"arguments\": [\"cc\", \"-c\", \"gone.c\"]}]"
expect 1 "gone.c:1:1: error: source file does not exist or cannot be read" "$W" -p "$TMP/missingfile" --db "$TMP/mf.db"
grep -qF '[fnprop-parse-error]' "$TMP/out" "$TMP/err" || fail "missing file: no [fnprop-parse-error] tag"
db missingdir "[{\"directory\": \"$TMP/no/such/dir\", \"file\": \"a.c\", \"arguments\": [\"cc\", \"-c\", \"a.c\"]}]"
expect 1 "$TMP/no/such/dir/a.c:1:1: error: source file does not exist or cannot be read" "$W" -p "$TMP/missingdir" --db "$TMP/md.db"
# One good entry and one missing: the good one is analyzed, exit 1.
db halfgood "[{$A, $ARGS}, {\"directory\": \"$W\", \"file\": \"gone.c\", \"arguments\": [\"cc\", \"-c\", \"gone.c\"]}]"
expect 1 "gone.c" "$W" -p "$TMP/halfgood" --db "$TMP/hg.db" --dump=verdicts
grep -q ' f tls=proven panic=proven' "$TMP/out" || fail "halfgood: the good TU was not analyzed: $(cat "$TMP/out")"

# Relative directory: relative to the directory of compile_commands.json,
# whatever fnprop's own working directory is.
mkdir -p "$TMP/rel/build" "$TMP/rel/src" "$TMP/elsewhere"
printf '#include <stdlib.h>\nvoid die(void) { abort(); }\n' >"$TMP/rel/src/r.c"
db rel/build '[{"directory": "../src", "file": "r.c", "arguments": ["cc", "-c", "r.c"]}]'
expect 0 "" "$TMP/elsewhere" -p "$TMP/rel/build" --db "$TMP/rel.db" --dump=verdicts
grep -q 'r\.c:2:6: die tls=proven panic=violated' "$TMP/out" || fail "relative directory: want r.c's die, got: $(cat "$TMP/out" "$TMP/err")"
db rel2/build '[{"directory": ".", "file": "../src2/r.c", "arguments": ["cc", "-c", "../src2/r.c"]}]'
mkdir -p "$TMP/rel2/src2" && cp "$TMP/rel/src/r.c" "$TMP/rel2/src2/r.c"
expect 0 "" "$TMP/elsewhere" -p "$TMP/rel2/build" --db "$TMP/rel2.db" --dump=verdicts
grep -q 'die tls=proven panic=violated' "$TMP/out" || fail "directory '.': want die, got: $(cat "$TMP/out" "$TMP/err")"

# "command" entries with shell quoting, and a file listed twice.
db cmd "[{\"directory\": \"$W\", \"file\": \"a.c\", \"command\": \"cc -DX='\\\"a b\\\"' -c a.c\"}, {$A, $ARGS}]"
expect 0 "" "$W" -p "$TMP/cmd" --db "$TMP/cmd.db" --dump=verdicts
[ "$(grep -c ' f tls=proven' "$TMP/out")" = 1 ] || fail "command + duplicate entry: want f once, got: $(cat "$TMP/out")"

# Order of entries does not matter.
db order1 "[{$A, $ARGS}, {\"directory\": \"$TMP/rel/src\", \"file\": \"r.c\", \"arguments\": [\"cc\", \"-c\", \"r.c\"]}]"
db order2 "[{\"directory\": \"$TMP/rel/src\", \"file\": \"r.c\", \"arguments\": [\"cc\", \"-c\", \"r.c\"]}, {$A, $ARGS}]"
expect 0 "" "$W" -p "$TMP/order1" --db "$TMP/o1.db" --dump=verdicts && cp "$TMP/out" "$TMP/o1"
expect 0 "" "$W" -p "$TMP/order2" --db "$TMP/o2.db" --dump=verdicts && cmp -s "$TMP/o1" "$TMP/out" ||
	fail "compile database order changes the dump"

finish
