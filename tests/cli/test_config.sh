#!/bin/sh
# SPDX-License-Identifier: MIT
# test_config.sh FNPROP - `.fnprop` discovery (like .clang-tidy: the file's
# directory or the nearest parent, else from the build directory), its
# precedence under command-line options, user model files overriding the
# shipped ones, and clear errors for malformed configuration and models.
. "$(dirname "$0")/common"

proj=$TMP/proj
mkdir -p "$proj/src/sub" "$proj/build"
cat >"$proj/src/sub/e.c" <<'C'
#include <errno.h>
#include <string.h>
int clear(void) { errno = 0; return 0; }
int my_len(const char *s) { return (int)strlen(s); }
void stop(void) { }
C
printf '[{"directory":"%s","file":"src/sub/e.c","arguments":["clang","-std=c11","src/sub/e.c"]}]\n' "$proj" \
	>"$proj/build/compile_commands.json"

verdict() { # name [fnprop args...]: "tls=V panic=V" of one function
	name=$1
	shift
	(cd "$proj" && "$FNPROP" -p build --dump=verdicts "$@") 2>"$TMP/err" | grep ": $name " | sed 's/^[^ ]* [^ ]* //; s/ migrate=[a-z]*$//'
}

[ "$(verdict clear)" = "tls=violated panic=proven" ] || fail "no config: clear is '$(verdict clear)'"

# A .fnprop at the project root is found from the build directory.
printf '# project settings\nerrno: ignore\n' >"$proj/.fnprop"
[ "$(verdict clear)" = "tls=proven panic=proven" ] || fail "root .fnprop not applied: '$(verdict clear)'"
# The command line overrides it.
[ "$(verdict clear --errno=tls)" = "tls=violated panic=proven" ] || fail "--errno=tls does not override .fnprop"
# A nearer .fnprop (the analyzed file's directory) wins over the root one.
printf 'errno: tls\npanic-functions: stop\n' >"$proj/src/sub/.fnprop"
(cd "$proj" && "$FNPROP" -p build --dump=verdicts src/sub/e.c) >"$TMP/out" 2>"$TMP/err"
stage12 "$TMP/out"
grep -q ': clear tls=violated' "$TMP/out" || fail "the file's own .fnprop is not used: $(cat "$TMP/out")"
grep -q ': stop tls=proven panic=violated' "$TMP/out" || fail "panic-functions not applied: $(cat "$TMP/out")"
rm "$proj/src/sub/.fnprop"
# --config-file picks another file.
printf 'errno: tls\n' >"$TMP/other.cfg"
[ "$(verdict clear --config-file="$TMP/other.cfg")" = "tls=violated panic=proven" ] || fail "--config-file ignored"

# User model files override the shipped model; relative paths in .fnprop
# are relative to the .fnprop file.
mkdir -p "$proj/models"
printf 'strlen  state  panic   # pretend\n' >"$proj/models/mine.model"
printf 'errno: ignore\nmodels: models/mine.model\n' >"$proj/.fnprop"
[ "$(verdict my_len)" = "tls=violated panic=violated" ] || fail "user model not applied: '$(verdict my_len)'"

# Errors name the file and line and exit 2.
printf 'errno: ignore\nworld: flat\n' >"$proj/.fnprop"
(cd "$proj" && "$FNPROP" -p build) >"$TMP/out" 2>"$TMP/err"
st=$?
[ $st = 2 ] || fail "bad config value: exit $st, expected 2"
grep -q "\.fnprop:2: invalid value 'flat' for 'world' (expected one of: closed, open)" "$TMP/err" ||
	fail "bad config value message: $(cat "$TMP/err")"
printf 'wrld: open\n' >"$proj/.fnprop"
(cd "$proj" && "$FNPROP" -p build) >"$TMP/out" 2>"$TMP/err"
grep -q "\.fnprop:1: unknown key 'wrld'" "$TMP/err" || fail "unknown key message: $(cat "$TMP/err")"

printf 'strlen clean clean\nstrcpy clean maybe\n' >"$proj/models/mine.model"
printf 'models: models/mine.model\n' >"$proj/.fnprop"
(cd "$proj" && "$FNPROP" -p build) >"$TMP/out" 2>"$TMP/err"
st=$?
[ $st = 2 ] || fail "malformed model: exit $st, expected 2"
grep -q "mine.model:2:14: unknown panic kind 'maybe' (expected clean, panic or unknown)" "$TMP/err" ||
	fail "malformed model message: $(cat "$TMP/err")"
printf 'strlen clean clean calls=0\n' >"$proj/models/mine.model"
(cd "$proj" && "$FNPROP" -p build) >"$TMP/out" 2>"$TMP/err"
grep -q "mine.model:1:26: bad argument list '0'" "$TMP/err" || fail "bad calls= message: $(cat "$TMP/err")"
rm "$proj/.fnprop"
(cd "$proj" && "$FNPROP" -p build --model="$TMP/missing.model") >"$TMP/out" 2>"$TMP/err"
st=$?
[ $st = 2 ] && grep -q "missing.model: cannot read model file" "$TMP/err" || fail "missing model: exit $st, $(cat "$TMP/err")"
finish
