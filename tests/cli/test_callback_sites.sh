#!/bin/sh
# SPDX-License-Identifier: MIT
# test_callback_sites.sh FNPROP - a callback edge belongs to the call site
# that passes the callback (issue 15, bug 3), on the callback-per-call-site
# fixture: wrappers run_once(o, fn) { pthread_once(o, fn); } and run_once2
# (a wrapper of it), callers passing init_a (clean) or init_b (aborts):
#  - explain of a clean caller is proven and never shows init_b; of a dirty
#    caller, the path goes through its own init_b at its own call site;
#  - the contract check reports the dirty caller only, with its own path;
#  - soundness where the callers are not all seen: with the wrapper's
#    address taken (a call through a pointer may pass anything), or in the
#    open world (code outside may call it), the clean caller is not proven.
. "$(dirname "$0")/common"

case_dir=$FIXTURES/callback-per-call-site
B=$TMP/b
compdb "$case_dir" "$B"

# explain NAME: its output in $TMP/NAME.out
explain() { "$FNPROP" explain -p "$B" "$@" >"$TMP/$1.out" 2>&1; }
for f in clean_caller clean_caller2 hook_caller clean_direct; do
	explain "$f"
	grep -qx 'panic: proven' "$TMP/$f.out" || fail "$f is not proven !panic: $(cat "$TMP/$f.out")"
	grep -q 'init_b\|abort' "$TMP/$f.out" && fail "explain $f shows a callback it never passes: $(cat "$TMP/$f.out")"
done
for f in dirty_caller dirty_caller2; do
	explain "$f"
	grep -qx 'panic: violated' "$TMP/$f.out" || fail "$f is not violated: $(cat "$TMP/$f.out")"
	grep -q "#0 $f at .*callers\\.c:[0-9]*:[0-9]*: passes 'init_b' to 'run_once2*', which calls it" "$TMP/$f.out" ||
		fail "$f: the path does not start with the callback it passes: $(cat "$TMP/$f.out")"
	grep -q 'init_a\|pthread_once' "$TMP/$f.out" && fail "explain $f goes through another call site: $(cat "$TMP/$f.out")"
done
# the wrapper alone is judged with what may reach its parameter
explain run_once
grep -qx 'panic: violated' "$TMP/run_once.out" || fail "run_once is not violated: $(cat "$TMP/run_once.out")"

# ---- contracts: only the dirty caller breaks its FNPROP_NOPANIC
C=$TMP/contracts
mkdir -p "$C"
cp "$case_dir"/*.c "$case_dir"/*.h "$case_dir/build.txt" "$C/"
printf '#include <fnprop.h>\nvoid clean_caller(void) FNPROP_NOPANIC;\nvoid dirty_caller(void) FNPROP_NOPANIC;\n' >>"$C/once.h"
sed -i "s|\$| -I$ROOT/include|" "$C/build.txt"
compdb "$C" "$TMP/cb"
"$FNPROP" -p "$TMP/cb" --no-color --checks='-*,fnprop-nopanic-violation' "$C/callers.c" >"$TMP/check.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "the contract check exits $rc, want 1: $(cat "$TMP/check.out")"
[ "$(grep -c 'error: .*\[fnprop-nopanic-violation\]' "$TMP/check.out")" = 1 ] ||
	fail "want one violation (dirty_caller): $(cat "$TMP/check.out")"
grep 'error: ' "$TMP/check.out" | grep -q "dirty_caller" || fail "the violation is not dirty_caller's: $(cat "$TMP/check.out")"
grep -q "callers\\.c:[0-9]*:45: note: 'dirty_caller' calls 'init_b' here" "$TMP/check.out" || fail "the finding's path is not its own call site: $(cat "$TMP/check.out")"
grep -q "init_a\|pthread_once" "$TMP/check.out" && fail "the finding shows another call site: $(cat "$TMP/check.out")"

# ---- callers not all seen: nothing is proven on the strength of the sites
W=$TMP/taken
mkdir -p "$W"
cp "$case_dir"/*.c "$case_dir"/*.h "$case_dir/build.txt" "$W/"
cat >>"$W/once.c" <<'C'
/* EXPECT: via_pointer tls=proven panic=violated */
void via_pointer(void (*fn)(void)) {
  static pthread_once_t o = PTHREAD_ONCE_INIT;
  void (*volatile runner)(pthread_once_t *, void (*)(void)) = run_once;
  runner(&o, fn);
}
C
compdb "$W" "$TMP/wb"
"$FNPROP" -p "$TMP/wb" --dump=verdicts >"$TMP/w.out" 2>&1
grep -q ' clean_caller tls=proven panic=proven' "$TMP/w.out" &&
	fail "run_once's address is taken, yet clean_caller is proven: $(cat "$TMP/w.out")"
"$FNPROP" -p "$B" --db "$TMP/open.db" --world=open --dump=verdicts >"$TMP/o.out" 2>&1
grep -q ' clean_caller tls=proven panic=proven' "$TMP/o.out" &&
	fail "in the open world run_once may be called from outside, yet clean_caller is proven: $(cat "$TMP/o.out")"
grep -q ' run_once tls=proven panic=proven' "$TMP/o.out" && fail "open world: run_once proven: $(cat "$TMP/o.out")"

finish
