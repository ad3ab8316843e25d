#!/bin/sh
# SPDX-License-Identifier: MIT
# ci.sh FNPROP - the CI examples in docs/ci/ run here, step by step, on a
# copy of examples/taskdemo: the shell between `# fnprop-ci-begin: NAME`
# and `# fnprop-ci-end` is extracted from the YAML and executed as written.
#  - GitHub Actions: compile_commands.json from CMake's export, the analyze
#    step (exit status in $GITHUB_OUTPUT, SARIF 2.1.0 with the contract
#    violation), a second run on a "new checkout" that restores the cached
#    database (only the changed file is parsed again), and the diff step
#    failing on a property lost by an external function;
#  - GitLab CI: compile_commands.json from bear, the Code Quality report
#    (relative paths, severities, line-free fingerprints) and the SARIF
#    artifact, and the merge-request diff against the pulled base database.
# What cannot run here: the runners, actions/cache, upload-sarif, GitLab's
# cache and report upload.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
need cmake cmake
need bear bear
need jq jq
need git git

export PATH="$BUILD:$PATH"
# snippet FILE NAME: the marked lines of FILE, dedented as the marker is.
snippet() {
	awk -v name="$2" '
		$0 ~ "# fnprop-ci-begin: " name "$" { on = 1; match($0, /^ */); ind = RLENGTH; next }
		on && /# fnprop-ci-end/ { on = 0; found = 1; next }
		on { print substr($0, ind + 1) }
		END { exit !found }' "$1" || { fail "no snippet '$2' in $1"; echo "false"; }
}
GH=$ROOT/docs/ci/github-actions.yml
GL=$ROOT/docs/ci/gitlab-ci.yml
snippet "$GH" compdb >"$TMP/gh-compdb.sh"
snippet "$GH" analyze >"$TMP/gh-analyze.sh"
snippet "$GH" diff >"$TMP/gh-diff.sh"
snippet "$GL" analyze >"$TMP/gl-analyze.sh"

# The project: taskdemo with a CMakeLists.txt and a Makefile.
ws=$TMP/workspace
demo_project "$ws"
cp "$ws/stats.c" "$TMP/stats.c.orig"
# lose_property: stats_mean, proven !tls so far, starts counting in a
# thread-local; every other file is unchanged.
lose_property() {
	sed 's/^    long sum = 0;$/    long sum = 0;\n    stats_recorded++;/' "$TMP/stats.c.orig" >"$ws/stats.c"
	grep -q 'stats_recorded++;$' "$ws/stats.c" || fail "could not edit stats.c"
}
# new_checkout: what a CI run starts from: fresh files, no build directory.
new_checkout() {
	rm -rf "$ws/build" "$ws/.fnprop-cache" "$ws/.fnprop-base" "$ws"/*.o "$ws/taskdemo" "$ws"/fnprop.* \
		"$ws/gl-code-quality-report.json"
	touch "$ws"/*.c "$ws"/*.h
}
cd "$ws" || exit 2

# ---- GitHub Actions -----------------------------------------------------------
export FNPROP_DB=.fnprop-cache/fnprop.db GITHUB_OUTPUT="$TMP/github-output"
: >"$GITHUB_OUTPUT"
status sh -e "$TMP/gh-compdb.sh" >"$TMP/out" 2>&1
[ "$rc" = 0 ] && [ -f build/compile_commands.json ] || fail "github compdb step: exit $rc: $(tail -5 "$TMP/out")"
status sh -e "$TMP/gh-analyze.sh" >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "github analyze step failed ($rc): $(tail -20 "$TMP/out")"
grep -qx 'status=1' "$GITHUB_OUTPUT" || fail "analyze step: want status=1 in GITHUB_OUTPUT (stats_record breaks FNPROP_NOTLS), got: $(cat "$GITHUB_OUTPUT")"
grep -q "stats\\.c:13:6: error: .*\\[fnprop-notls-violation\\]" "$TMP/out" || fail "analyze step: diagnostic not in the log: $(tail -20 "$TMP/out")"
python3 - fnprop.sarif <<'PY' || fail "fnprop.sarif is not the SARIF expected"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0", s.get("version")
run = s["runs"][0]
assert run["tool"]["driver"]["name"] == "fnprop"
ids = [r["ruleId"] for r in run["results"]]
assert "fnprop-notls-violation" in ids, ids
PY
cp "$FNPROP_DB" "$TMP/saved-cache.db" # actions/cache/save, key = this commit

# the pull request's run: a new checkout, the base's database restored
new_checkout
lose_property
: >"$GITHUB_OUTPUT"
sh -e "$TMP/gh-compdb.sh" >/dev/null 2>&1 || fail "github compdb step (second run)"
mkdir -p .fnprop-cache && cp "$TMP/saved-cache.db" "$FNPROP_DB" # actions/cache/restore, exact hit
status sh -e "$TMP/gh-analyze.sh" >"$TMP/out" 2>&1
[ "$rc" = 0 ] || fail "github analyze step (second run) failed ($rc): $(tail -20 "$TMP/out")"
[ -f .fnprop-cache/base.db ] || fail "the analyze step kept no base database"
grep -q '1 parsed, 5 from cache' "$TMP/out" || fail "the restored database did not serve as a cache: $(grep 'translation units' "$TMP/out")"
status sh -e "$TMP/gh-diff.sh" >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "github diff step: exit $rc, want 1: $(cat "$TMP/out")"
grep -q "stats\\.c:[0-9]*:[0-9]*: lost tls: 'stats_mean' proven -> violated" "$TMP/out" ||
	fail "diff step: loss of stats_mean not reported: $(cat "$TMP/out")"
cp "$TMP/stats.c.orig" stats.c
unset FNPROP_DB GITHUB_OUTPUT

# ---- GitLab CI ------------------------------------------------------------------
export CI_PROJECT_DIR="$ws" FNPROP_DB=.fnprop-cache/fnprop.db
new_checkout
status sh -e "$TMP/gl-analyze.sh" >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "gitlab script: exit $rc, want 1 (stats_record): $(tail -20 "$TMP/out")"
[ -f build/compile_commands.json ] || fail "bear wrote no compile_commands.json"
python3 - gl-code-quality-report.json fnprop.sarif <<'PY' || fail "Code Quality report: $(cat gl-code-quality-report.json)"
import json, sys
cq = json.load(open(sys.argv[1]))
assert isinstance(cq, list) and cq, cq
for e in cq:
    for k in ("description", "check_name", "fingerprint", "severity", "location"):
        assert k in e, (k, e)
    assert not e["location"]["path"].startswith("/"), e
    assert e["severity"] in ("info", "minor", "major", "critical", "blocker"), e
    assert str(e["location"]["lines"]["begin"]) not in e["fingerprint"].split(":")[-1], e
v = [e for e in cq if e["check_name"] == "fnprop-notls-violation"]
assert v and v[0]["location"] == {"path": "stats.c", "lines": {"begin": 13}} and v[0]["severity"] == "major", v
assert len({e["fingerprint"] for e in cq}) == len(cq), "fingerprints collide"
assert json.load(open(sys.argv[2]))["version"] == "2.1.0"
PY
# the merge request: the base database pulled from the cache
cp "$FNPROP_DB" "$TMP/gitlab-cache.db" # the push cache, key = this commit
new_checkout
mkdir -p .fnprop-base && cp "$TMP/gitlab-cache.db" .fnprop-base/fnprop.db # the pull cache, key = the base
lose_property
status env CI_MERGE_REQUEST_IID=1 sh -e "$TMP/gl-analyze.sh" >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "gitlab merge request script: exit $rc, want 1"
grep -q "lost tls: 'stats_mean' proven -> violated" "$TMP/out" || fail "gitlab: loss not reported: $(tail -20 "$TMP/out")"
grep -q '1 parsed, 5 from cache' "$TMP/out" || fail "gitlab: the pulled database did not serve as a cache"
cp "$TMP/stats.c.orig" stats.c

finish
