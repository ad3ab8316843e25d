#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - golden tests of the check command's diagnostics (clang text, JSON,
# exit statuses, NOLINT, --checks, file arguments, header filter) followed by
# the tool-backed tests: SARIF validated against the SARIF 2.1.0 schema,
# export-fixes applied by the real clang-apply-replacements, fnprop.h
# compiled by gcc and clang with -Wall -Wextra -Werror, hostile paths.
#
#   tests/diag/run.sh FNPROP [CASE...]      (KEEP=1 keeps the scratch dir)
#   UPDATE=1 tests/diag/run.sh FNPROP ...   rewrite the expected files
#
# A case is tests/diag/cases/<case>/ with C sources, a build.txt as in
# tests/run-fixtures.sh, and a `runs` file: one run per line,
#     NAME STATUS ARGS...
# (ARGS are shell words, run from the case directory with -p and --db
# added).  The run's stdout, with the case directory's absolute path
# removed, must equal NAME.out; each line of an optional NAME.err must occur
# in its stderr; its exit status must be STATUS.  POSIX sh, python3 for the
# JSON and SARIF checks.
set -u

me=diag
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
if [ $# -lt 1 ]; then
	echo "usage: $0 FNPROP [CASE...]" >&2
	exit 2
fi
FNPROP=$1
shift
case $FNPROP in /*) ;; *) FNPROP=$(pwd -P)/$FNPROP ;; esac
[ -x "$FNPROP" ] || { echo "$me: $FNPROP: not an executable" >&2; exit 2; }

# shellcheck source=tests/lib/tools.sh
. "$root/tests/lib/tools.sh"

tmproot=$(mktemp -d "${TMPDIR:-/tmp}/fnprop-diag.XXXXXX") || exit 2
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmproot"' EXIT
trap 'exit 130' INT TERM

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; [ -f "$tmproot/why" ] && sed 's/^/    /' "$tmproot/why"; failed=$((failed + 1)); }
why() { echo "$*" >>"$tmproot/why"; }

compdb() { sh "$root/tests/run-fixtures.sh" --compdb "$1" "$2" >/dev/null; }
# copy_case CASE DIR: a writable copy whose build.txt finds fnprop.h.
copy_case() {
	cp -R "$here/cases/$1" "$2" &&
		sed "s|-I\.\./\.\./\.\./\.\./include|-I$root/include|g" "$here/cases/$1/build.txt" >"$2/build.txt"
}

# python3 with jsonschema (Debian's python3-jsonschema lives in /usr/bin's).
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema, yaml' 2>/dev/null; then PY=$p; break; fi
done

# ---------------------------------------------------------------- golden runs
# run_case DIR: every run of the case's `runs` file.
run_case() {
	cdir=$1 name=$(basename "$1") tmp=$tmproot/$name ok=0
	mkdir -p "$tmp"
	compdb "$cdir" "$tmp" || { why "cannot write the compile database"; return 1; }
	while read -r run status args; do
		case $run in '' | '#'*) continue ;; esac
		(cd "$cdir" && eval "set -- $args" && "$FNPROP" -p "$tmp" --db "$tmp/fnprop.db" "$@") \
			>"$tmp/$run.raw" 2>"$tmp/$run.err"
		rc=$?
		sed "s|$cdir/||g" "$tmp/$run.raw" >"$tmp/$run.out"
		if [ "${UPDATE:-0}" = 1 ]; then
			cp "$tmp/$run.out" "$cdir/$run.out"
		fi
		if [ "$rc" != "$status" ]; then
			why "$run: exit status $rc, expected $status"
			sed 's/^/      | /' "$tmp/$run.err" | head -n 10 >>"$tmproot/why"
			ok=1
		fi
		if [ ! -f "$cdir/$run.out" ]; then
			why "$run: no expected output $cdir/$run.out (UPDATE=1 writes it)"
			ok=1
		elif ! diff -u "$cdir/$run.out" "$tmp/$run.out" >"$tmp/$run.diff"; then
			why "$run: stdout differs from $run.out:"
			sed 's/^/      /' "$tmp/$run.diff" | head -n 60 >>"$tmproot/why"
			ok=1
		fi
		if [ -f "$cdir/$run.err" ]; then
			while IFS= read -r l; do
				[ -z "$l" ] && continue
				grep -F -e "$l" "$tmp/$run.err" >/dev/null || { why "$run: stderr lacks: $l"; ok=1; }
			done <"$cdir/$run.err"
		fi
	done <"$cdir/runs"
	return $ok
}

if [ $# -eq 0 ]; then
	set -- $(cd "$here/cases" && for d in */; do [ -f "$d/runs" ] && echo "${d%/}"; done)
	all=1
else
	all=0
fi
for c in "$@"; do
	rm -f "$tmproot/why"
	if run_case "$here/cases/${c%/}"; then pass "golden/$c"; else fail "golden/$c"; fi
done
if [ "$all" = 0 ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# --------------------------------------------------------- SARIF and JSON
# The contracts case as SARIF: valid against the schema, the fields GitHub
# code scanning reads, fingerprints stable when unrelated lines move.
rm -f "$tmproot/why"
t=$tmproot/sarif
mkdir -p "$t"
copy_case contracts "$t/src"
compdb "$t/src" "$t/build"
(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet --format=sarif) >"$t/a.sarif" 2>"$t/err"
rc=$?
[ "$rc" = 1 ] || why "sarif run: exit $rc, want 1: $(head -c 300 "$t/err")"
# An unrelated edit: two lines at the top of each file move every finding.
for f in "$t/src"/*.c; do
	{ printf '/* an unrelated comment */\n\n'; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
done
(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet --format=sarif) >"$t/b.sarif" 2>>"$t/err"
(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet --format=json) >"$t/b.json" 2>>"$t/err"
if [ -z "$PY" ]; then
	why "python3 with jsonschema and yaml is missing (Debian: python3-jsonschema python3-yaml)"
else
	"$PY" "$here/check_sarif.py" "$here/sarif-schema-2.1.0.json" "$t/a.sarif" "$t/b.sarif" "$t/b.json" \
		>>"$tmproot/why" 2>&1 || why "check_sarif.py failed"
fi
# Microsoft's SARIF validator as a second opinion, when it is installed.
mt=${SARIF_MULTITOOL:-$(command -v Sarif.Multitool 2>/dev/null || command -v sarif 2>/dev/null || true)}
if [ -n "$mt" ] && [ -x "$mt" ]; then
	"$mt" validate "$t/a.sarif" --output "$t/validation.sarif" >"$t/mt.log" 2>&1 ||
		why "Sarif.Multitool validate: $(tail -n 5 "$t/mt.log")"
	grep -q '"level": *"error"' "$t/validation.sarif" 2>/dev/null && why "Sarif.Multitool reports errors"
fi
if [ -s "$tmproot/why" ]; then fail sarif; else pass sarif; fi

# ---------------------------------------------------------------- baseline
# --write-baseline records every finding; --baseline then reports only new
# ones: across an edit that moves every line and adds one finding, exactly
# that finding is reported (in clang text, JSON and SARIF), and the exit
# status follows the new findings alone.
rm -f "$tmproot/why"
t=$tmproot/baseline
mkdir -p "$t"
copy_case contracts "$t/src"
compdb "$t/src" "$t/build"
bl() { (cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" "$@") >"$t/out" 2>"$t/err"; rc=$?; }
bl --quiet --write-baseline="$t/fnprop-baseline.txt"
[ "$rc" = 1 ] || why "write-baseline run: exit $rc, want 1 (it reports as usual): $(head -c 300 "$t/err")"
head -n 1 "$t/fnprop-baseline.txt" | grep -qx '# fnprop baseline 1' || why "baseline header: $(head -n 2 "$t/fnprop-baseline.txt")"
total=$(grep -c ': \(error\|warning\): ' "$t/out")
[ "$(grep -vc '^#' "$t/fnprop-baseline.txt")" = "$total" ] || why "the baseline lists $(grep -vc '^#' "$t/fnprop-baseline.txt") findings, fnprop reported $total"
grep -q "$(printf '^[0-9a-f]\\{16\\}:1\tfnprop-notls-violation\ttls.c\t14\t')" "$t/fnprop-baseline.txt" ||
	why "no line for reads_tls (relative path, line 14): $(grep reads_tls "$t/fnprop-baseline.txt")"
bl --baseline="$t/fnprop-baseline.txt"
[ "$rc" = 0 ] || why "unchanged code against its baseline: exit $rc, want 0"
[ -s "$t/out" ] && why "unchanged code against its baseline reports: $(head -n 3 "$t/out")"
grep -q "Suppressed $total warnings ($total in baseline)" "$t/err" || why "baseline count: $(cat "$t/err")"
# the edit: two lines on top of every file, and one new broken contract
for f in "$t/src"/*.c; do
	{ printf '/* moved */\n\n'; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
done
printf 'int new_reader(void) FNPROP_NOTLS;\nint new_reader(void) { return counter + 1; }\n' >>"$t/src/tls.c"
bl --baseline="$t/fnprop-baseline.txt"
[ "$rc" = 1 ] || why "one new violation against the baseline: exit $rc, want 1"
[ "$(grep -c ': \(error\|warning\): ' "$t/out")" = 1 ] && grep -q "tls.c:[0-9]*:5: error: function 'new_reader'" "$t/out" ||
	why "want exactly the new finding, got: $(grep ': \(error\|warning\): ' "$t/out")"
bl --quiet --baseline="$t/fnprop-baseline.txt" --format=json
[ "$(grep -c '"check":' "$t/out")" = 1 ] || why "JSON with a baseline: $(head -c 400 "$t/out")"
bl --quiet --baseline="$t/fnprop-baseline.txt" --format=sarif
[ "$(grep -c '"ruleId":' "$t/out")" = 1 ] || why "SARIF with a baseline: $(grep -c '"ruleId":' "$t/out") results"
# bad baselines are usage errors, before any analysis
bl --baseline="$t/no-such-baseline"
[ "$rc" = 2 ] && grep -q "cannot read baseline '$t/no-such-baseline'" "$t/err" || why "missing baseline: exit $rc: $(cat "$t/err")"
printf '# fnprop baseline 1\nnot a line\n' >"$t/bad-baseline"
bl --baseline="$t/bad-baseline"
[ "$rc" = 2 ] && grep -q "$t/bad-baseline:2: not a baseline line" "$t/err" || why "malformed baseline: exit $rc: $(cat "$t/err")"
bl --baseline="$t/src/tls.c"
[ "$rc" = 2 ] && grep -q "is not an fnprop baseline" "$t/err" || why "a C file as baseline: exit $rc: $(cat "$t/err")"
if [ -s "$tmproot/why" ]; then fail baseline; else pass baseline; fi

# ------------------------------------------- SARIF of the pointer and task checks
# fnprop-contract-pointer (errors and warnings), fnprop-task-pinned and
# fnprop-task-unmigratable as SARIF: schema-valid, each result with its
# rule, level and witness flow; a stage-3 violation's flow ends with the
# access, the suspension point and the use, in source order.
rm -f "$tmproot/why"
for c in contract-pointer task-pinned task-unmigratable; do
	t=$tmproot/sarif-$c
	mkdir -p "$t"
	compdb "$here/cases/$c" "$t"
	(cd "$here/cases/$c" && "$FNPROP" -p "$t" --db "$t/fnprop.db" --quiet --format=sarif \
		--checks="-*,fnprop-$c") >"$t/out.sarif" 2>"$t/err"
	[ -s "$t/out.sarif" ] || why "$c: no SARIF output: $(head -c 300 "$t/err")"
	if [ -z "$PY" ]; then
		why "python3 with jsonschema and yaml is missing (Debian: python3-jsonschema python3-yaml)"
		continue
	fi
	"$PY" - "$here/sarif-schema-2.1.0.json" "$t/out.sarif" "fnprop-$c" <<'PY' >>"$tmproot/why" 2>&1 || why "$c: SARIF checks failed"
import json, sys, jsonschema
schema, path, check = sys.argv[1:4]
doc = json.load(open(path, encoding="utf-8"))
jsonschema.validate(doc, json.load(open(schema, encoding="utf-8")))
run = doc["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
rule = rules[ids.index(check)]
want = {"fnprop-contract-pointer": "error", "fnprop-task-pinned": "warning",
        "fnprop-task-unmigratable": "warning"}[check]
assert rule["defaultConfiguration"]["level"] == want, rule["defaultConfiguration"]
assert rule["help"]["text"] and rule["fullDescription"]["text"], rule
res = run["results"]
assert len(res) >= 4, len(res)
levels = set()
flows = hopped = 0
for r in res:
    assert r["ruleId"] == check and ids[r["ruleIndex"]] == check, r["ruleId"]
    levels.add(r["level"])
    steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
    assert steps and all(s["location"]["message"]["text"] for s in steps), r["message"]
    assert r["partialFingerprints"]["primaryLocationLineHash"], r
    if check == "fnprop-task-unmigratable" and "cannot migrate" in r["message"]["text"]:
        last = [s["location"]["message"]["text"].split(":")[0] for s in steps[-3:]]
        assert last == ["thread-local access", "suspension point", "use after it"], last
        lines = [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps[-3:]]
        assert lines == sorted(lines), lines
        hops = steps[:-3]
        assert all(" calls '" in s["location"]["message"]["text"] for s in hops), hops
        flows += 1
        hopped += len(hops) > 0
# the pointer check: errors for broken contracts, warnings for unproven ones
want_levels = {"error", "warning"} if check == "fnprop-contract-pointer" else {"warning"}
assert levels == want_levels, levels
if check == "fnprop-task-unmigratable":
    assert flows >= 3 and hopped >= 1, (flows, hopped)
PY
done
if [ -s "$tmproot/why" ]; then fail sarif-pointer-task; else pass sarif-pointer-task; fi

# ---------------------------------------------------------- export-fixes
# fnprop-missing-annotation's fix-its applied by clang-apply-replacements:
# the result compiles and analyzes clean.
rm -f "$tmproot/why"
t=$tmproot/fixes
mkdir -p "$t/yaml"
copy_case missing-annotation "$t/src"
compdb "$t/src" "$t/build"
car=$CLANG_APPLY_REPLACEMENTS
cc=$CLANG
if ! command -v "$car" >/dev/null 2>&1 || ! command -v "$cc" >/dev/null 2>&1; then
	why "$car or $cc is missing (Debian: clang-tools-$LLVM_MAJOR clang-$LLVM_MAJOR; scripts/install-deps.sh test)"
else
	(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet \
		--checks=fnprop-missing-annotation --export-fixes="$t/yaml/fixes.yaml") >"$t/before" 2>"$t/err"
	grep -q 'ReplacementText: *. FNPROP_NOTLS FNPROP_NOPANIC' "$t/yaml/fixes.yaml" ||
		why "no FNPROP_NOTLS FNPROP_NOPANIC replacement in fixes.yaml"
	grep -q '#include <fnprop.h>' "$t/yaml/fixes.yaml" || why "no #include replacement in fixes.yaml"
	"$car" "$t/yaml" >"$t/car.log" 2>&1 || why "clang-apply-replacements failed: $(cat "$t/car.log")"
	grep -q 'FNPROP_NOTLS FNPROP_NOPANIC;' "$t/src/api.h" || why "api.h was not annotated: $(cat "$t/src/api.h")"
	n=$(grep -c '#include <fnprop.h>' "$t/src/api.h")
	[ "$n" = 1 ] || why "api.h includes fnprop.h $n times"
	for f in "$t/src"/*.c; do
		"$cc" -fsyntax-only -Wall -Wextra -Werror -I"$root/include" "$f" >"$t/cc.log" 2>&1 ||
			why "$(basename "$f") does not compile after the fixes: $(head -n 5 "$t/cc.log")"
	done
	(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet \
		--checks='*' --export-fixes="$t/yaml/again.yaml") >"$t/after" 2>"$t/err"
	rc=$?
	[ "$rc" = 0 ] || why "after the fixes: exit $rc, want 0"
	[ -s "$t/after" ] && why "after the fixes fnprop still reports: $(head -n 5 "$t/after")"
	grep -q 'Diagnostics: *\[\]' "$t/yaml/again.yaml" || why "after the fixes the YAML is not empty"
fi
if [ -s "$tmproot/why" ]; then fail export-fixes; else pass export-fixes; fi

# --------------------------------------------------- export-fixes (OpenMP)
# fnprop-omp-could-be-untied's fix-its applied by clang-apply-replacements:
# the directives gain `untied`, the file still compiles with -fopenmp, and
# the untied tasks are clean for fnprop-omp-untied-tls.
rm -f "$tmproot/why"
t=$tmproot/fixes-omp
mkdir -p "$t/yaml"
copy_case omp-could-be-untied "$t/src"
compdb "$t/src" "$t/build"
if ! command -v "$car" >/dev/null 2>&1 || ! command -v "$cc" >/dev/null 2>&1; then
	why "$car or $cc is missing (Debian: clang-tools-$LLVM_MAJOR clang-$LLVM_MAJOR; scripts/install-deps.sh test)"
else
	(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet \
		--checks='-*,fnprop-omp-could-be-untied' --export-fixes="$t/yaml/fixes.yaml") >"$t/before" 2>"$t/err"
	n=$(grep -c "ReplacementText: *' untied'" "$t/yaml/fixes.yaml")
	[ "$n" = 2 ] || why "want 2 ' untied' replacements in fixes.yaml, got $n"
	"$car" "$t/yaml" >"$t/car.log" 2>&1 || why "clang-apply-replacements failed: $(cat "$t/car.log")"
	grep -q '^#pragma omp task untied shared(done) firstprivate(fd, buf)$' "$t/src/tasks.c" ||
		why "the task directive was not made untied: $(grep -n 'pragma omp task' "$t/src/tasks.c")"
	grep -q '^#pragma omp taskloop untied grainsize(64)$' "$t/src/tasks.c" ||
		why "the taskloop directive was not made untied: $(grep -n 'pragma omp taskloop' "$t/src/tasks.c")"
	grep -q '^#pragma omp taskloop simd$' "$t/src/tasks.c" || why "taskloop simd was changed"
	"$cc" -fsyntax-only -fopenmp -Wall -Werror "$t/src/tasks.c" >"$t/cc.log" 2>&1 ||
		why "tasks.c does not compile after the fixes: $(head -n 5 "$t/cc.log")"
	(cd "$t/src" && "$FNPROP" -p "$t/build" --db "$t/build/fnprop.db" --quiet \
		--checks='-*,fnprop-omp-could-be-untied,fnprop-omp-untied-tls') >"$t/after" 2>"$t/err"
	rc=$?
	[ "$rc" = 0 ] || why "after the fixes: exit $rc, want 0"
	n=$(grep -c 'could-be-untied' "$t/after")
	[ "$n" = 1 ] || why "after the fixes want only the taskloop simd suggestion, got: $(cat "$t/after")"
	grep -q 'untied-tls' "$t/after" && why "after the fixes the untied tasks are reported: $(cat "$t/after")"
fi
if [ -s "$tmproot/why" ]; then fail export-fixes-omp; else pass export-fixes-omp; fi

# ------------------------------------------------------------- fnprop.h
# Every macro in every position compiles silently with gcc and clang.
rm -f "$tmproot/why"
for c in gcc "$CLANG"; do
	command -v "$c" >/dev/null 2>&1 || { why "$c is not installed"; continue; }
	for std in c11 c17 gnu17; do
		"$c" -std=$std -Wall -Wextra -Wpedantic -Werror -I"$root/include" -c "$here/macros.c" \
			-o "$tmproot/macros.o" >"$tmproot/cc.log" 2>&1 ||
			why "$c -std=$std: $(head -n 8 "$tmproot/cc.log")"
	done
done
if [ -s "$tmproot/why" ]; then fail fnprop-h; else pass fnprop-h; fi

# ------------------------------------------------------------ hostile paths
# A directory and a file whose names need escaping in every format.
rm -f "$tmproot/why"
t=$tmproot/hostile
odd="dir with 'quote\" back\\slash #%é"
mkdir -p "$t/$odd"
cat >"$t/$odd/x y'z.c" <<'C'
#include <fnprop.h>
static _Thread_local int depth;
int weird(void) FNPROP_NOTLS;
int weird(void) { return depth; }
C
printf '[{"directory": "%s", "file": "%s", "arguments": ["clang", "-I%s", "-c", "%s"]}]\n' \
	"$(printf '%s' "$t/$odd" | sed 's/\\/\\\\/g; s/"/\\"/g')" \
	"$(printf '%s' "$t/$odd/x y'z.c" | sed 's/\\/\\\\/g; s/"/\\"/g')" "$root/include" \
	"$(printf '%s' "$t/$odd/x y'z.c" | sed 's/\\/\\\\/g; s/"/\\"/g')" >"$t/compile_commands.json"
(cd "$t/$odd" && "$FNPROP" -p "$t" --quiet) >"$t/out.txt" 2>"$t/err"
[ $? = 1 ] || why "clang format: want exit 1: $(cat "$t/err")"
grep -q "x y'z.c:4:5: error: function 'weird'" "$t/out.txt" || why "clang format: $(head -n 3 "$t/out.txt")"
(cd "$t/$odd" && "$FNPROP" -p "$t" --quiet --format=json) >"$t/out.json" 2>"$t/err"
(cd "$t" && "$FNPROP" -p "$t" --quiet --format=sarif --export-fixes="$t/f.yaml") >"$t/out.sarif" 2>"$t/err"
if [ -n "$PY" ]; then
	"$PY" - "$here/sarif-schema-2.1.0.json" "$t/out.sarif" "$t/out.json" "$t/f.yaml" "$t/$odd/x y'z.c" <<'PY' >>"$tmproot/why" 2>&1 || why "hostile paths: python checks failed"
import json, sys, urllib.parse, jsonschema, yaml
schema, sarif, js, fixes, path = sys.argv[1:6]
doc = json.load(open(sarif, encoding="utf-8"))
jsonschema.validate(doc, json.load(open(schema, encoding="utf-8")))
res = doc["runs"][0]["results"]
assert len(res) == 1, res
loc = res[0]["locations"][0]["physicalLocation"]["artifactLocation"]
assert loc["uriBaseId"] == "%SRCROOT%", loc
assert urllib.parse.unquote(loc["uri"]) == path.split("/hostile/", 1)[1], loc
d = json.load(open(js, encoding="utf-8"))
assert d[0]["file"] == path, d[0]["file"]
y = yaml.safe_load(open(fixes, encoding="utf-8"))
assert y["Diagnostics"][0]["DiagnosticMessage"]["FilePath"] == path, y
PY
else
	why "python3 with jsonschema and yaml is missing (Debian: python3-jsonschema python3-yaml)"
fi
if [ -s "$tmproot/why" ]; then fail hostile-paths; else pass hostile-paths; fi

# -------------------------------------------------------- usage and colour
rm -f "$tmproot/why"
t=$tmproot/contracts
expect() { # STATUS ARGS...: run in the contracts case, want STATUS
	want=$1
	shift
	(cd "$here/cases/contracts" && "$FNPROP" -p "$t" --db "$t/fnprop.db" "$@") >"$tmproot/u.out" 2>"$tmproot/u.err"
	rc=$?
	[ "$rc" = "$want" ] || why "fnprop $*: exit $rc, want $want ($(head -c 200 "$tmproot/u.err"))"
	if [ "$want" = 2 ] && [ ! -s "$tmproot/u.err" ]; then why "fnprop $*: exit 2 without a message"; fi
}
expect 2 --format=yaml
expect 2 --header-filter='('
expect 2 no-such-file.c
expect 2 --export-fixes="$tmproot/no/such/dir/f.yaml"
# No check enabled is a usage error, as in clang-tidy, with the nearest name.
expect 2 --checks='-*' tls.c
grep -q 'error: no checks enabled' "$tmproot/u.err" || why "--checks='-*': $(cat "$tmproot/u.err")"
expect 2 --checks='-*,fnprop-notls-violaton'
grep -q "glob 'fnprop-notls-violaton' matches no check (did you mean 'fnprop-notls-violation'?)" "$tmproot/u.err" ||
	why "--checks with a misspelt name: $(cat "$tmproot/u.err")"
[ -s "$tmproot/u.out" ] && why "--checks enabling nothing still printed: $(head -n 3 "$tmproot/u.out")"
expect 2 --list-checks --checks='-*'
grep -q 'error: no checks enabled' "$tmproot/u.err" || why "--list-checks --checks='-*': $(cat "$tmproot/u.err")"
expect 0 --checks='-*,fnprop-parse-error' tls.c
expect 0 --list-checks
grep -q 'fnprop-missing-annotation' "$tmproot/u.out" && why "--list-checks lists a check that is off by default"
expect 0 --list-checks --checks='fnprop-missing-*'
grep -q 'fnprop-missing-annotation' "$tmproot/u.out" || why "--list-checks misses an enabled check"
expect 1 --color
grep -q "$(printf '\033')\[" "$tmproot/u.out" || why "--color printed no escape sequence"
expect 1
grep -q "$(printf '\033')" "$tmproot/u.out" && why "colour on a pipe"
expect 1 --quiet
[ -s "$tmproot/u.err" ] && why "--quiet still printed on stderr: $(head -n 3 "$tmproot/u.err")"
if [ -s "$tmproot/why" ]; then fail usage; else pass usage; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
