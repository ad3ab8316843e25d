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
# What the runner would check before running anything: the cache steps save
# and restore the same path (the database the analyze step writes), the
# SARIF upload uses a supported codeql-action major (v3 is deprecated in
# December 2026) with the permissions it needs.
python3 - "$GH" <<'PY' 2>"$TMP/gh-yaml.err" || fail "github-actions.yml: $(cat "$TMP/gh-yaml.err")"
import re, sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
steps = w["jobs"]["fnprop"]["steps"]
uses = {s.get("uses", "").split("@")[0]: s for s in steps if "uses" in s}
restore, save = uses["actions/cache/restore"], uses["actions/cache/save"]
paths = lambda s: sorted(s["with"]["path"].split())
assert paths(restore) == paths(save) == sorted([w["env"]["FNPROP_DB"], w["env"]["FNPROP_BASELINE"]]), (restore, save)
up = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
assert up and int(re.match(r"v(\d+)", up[0]["uses"].split("@")[1]).group(1)) >= 4, up
perm = w["permissions"]
assert perm.get("security-events") == "write" and perm.get("actions") == "read", perm
PY
export FNPROP_DB=.fnprop-cache/fnprop.db FNPROP_BASELINE=.fnprop-cache/baseline.txt GITHUB_OUTPUT="$TMP/github-output"
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
grep -q "$(printf 'fnprop-notls-violation\tstats.c\t13\t')" "$FNPROP_BASELINE" ||
	fail "the push kept no findings baseline with stats_record: $(cat "$FNPROP_BASELINE" 2>&1)"
cp "$FNPROP_DB" "$TMP/saved-cache.db" # actions/cache/save, key = this commit
cp "$FNPROP_BASELINE" "$TMP/saved-baseline.txt"
# gh_pull_request: a new checkout of a pull request, its base's cache
# restored (exact hit), the compdb and analyze steps run
gh_pull_request() {
	new_checkout
	"$@"
	: >"$GITHUB_OUTPUT"
	sh -e "$TMP/gh-compdb.sh" >/dev/null 2>&1 || fail "github compdb step (pull request)"
	mkdir -p .fnprop-cache && cp "$TMP/saved-cache.db" "$FNPROP_DB" && cp "$TMP/saved-baseline.txt" "$FNPROP_BASELINE"
	status env GITHUB_BASE_REF=main sh -e "$TMP/gh-analyze.sh" >"$TMP/out" 2>&1
}

# a pull request that changes nothing fnprop sees: the base's finding
# (stats_record's broken contract) is not the pull request's, the job passes
unrelated_edit() { cp "$TMP/stats.c.orig" stats.c && printf '/* a comment */\n' >>stats.c; }
gh_pull_request unrelated_edit
[ "$rc" = 0 ] && grep -qx 'status=0' "$GITHUB_OUTPUT" ||
	fail "a pull request without new findings fails: $rc, $(cat "$GITHUB_OUTPUT"): $(tail -20 "$TMP/out")"
grep -q 'in baseline)' "$TMP/out" || fail "the base's findings were not left out as baseline: $(tail -20 "$TMP/out")"

# the pull request's run: a new checkout, the base's database restored
gh_pull_request lose_property
[ "$rc" = 0 ] || fail "github analyze step (second run) failed ($rc): $(tail -20 "$TMP/out")"
[ -f .fnprop-cache/base.db ] || fail "the analyze step kept no base database"
grep -q '1 parsed, 5 from cache' "$TMP/out" || fail "the restored database did not serve as a cache: $(grep 'translation units' "$TMP/out")"
# one new finding since the base: that one is reported, and fails the job
grep -qx 'status=1' "$GITHUB_OUTPUT" || fail "a new finding did not fail the pull request: $(cat "$GITHUB_OUTPUT")"
[ "$(grep -c ': error: ' "$TMP/out")" = 1 ] && grep -q "error: function 'stats_mean'" "$TMP/out" ||
	fail "want only the new finding (stats_mean) in the log: $(grep ': error: ' "$TMP/out")"
status sh -e "$TMP/gh-diff.sh" >"$TMP/out" 2>&1
[ "$rc" = 1 ] || fail "github diff step: exit $rc, want 1: $(cat "$TMP/out")"
grep -q "stats\\.c:[0-9]*:[0-9]*: lost tls: 'stats_mean' proven -> violated" "$TMP/out" ||
	fail "diff step: loss of stats_mean not reported: $(cat "$TMP/out")"
cp "$TMP/stats.c.orig" stats.c
unset FNPROP_DB FNPROP_BASELINE GITHUB_OUTPUT

# ---- GitLab CI ------------------------------------------------------------------
# Pipelines on a throwaway project: GitLab's cache and job-artifacts API are
# emulated from the job's own cache: and artifacts: sections (ci_gitlab.py),
# so a key, path or policy that does not line up fails here as in GitLab.
store=$TMP/gitlab-store
mkdir -p "$store"
python3 "$ROOT/tests/integration/ci_gitlab.py" serve "$store" "$TMP/api.port" &
api=$!
trap 'kill $api 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$TMP/api.port" ] && break; sleep 0.2; done
[ -s "$TMP/api.port" ] || { fail "the emulated GitLab API did not start"; finish; }
export CI_PROJECT_DIR="$ws" CI_API_V4_URL="http://127.0.0.1:$(cat "$TMP/api.port")/api/v4" CI_PROJECT_ID=42 \
	CI_JOB_NAME=fnprop CI_JOB_TOKEN=token FNPROP_DB=.fnprop-cache/fnprop.db
# pipeline REF [VAR=VALUE...]: one fnprop job on branch REF, from a fresh
# checkout: cache restored, the analyze script, cache and artifacts saved.
pipeline() {
	_ref=$1
	shift
	new_checkout
	status env CI_COMMIT_REF_NAME="$_ref" CI_COMMIT_REF_SLUG="$_ref" "$@" sh -c '
		python3 "$0/tests/integration/ci_gitlab.py" restore "$1" fnprop "$2" "$3" || exit 99
		sh -e "$4"; st=$?
		python3 "$0/tests/integration/ci_gitlab.py" save "$1" fnprop "$2" "$3" "$st" || exit 99
		exit $st' "$ROOT" "$GL" "$store" "$ws" "$TMP/gl-analyze.sh" >"$TMP/out" 2>&1
}

# the target branch: clean (its contract kept), so its job succeeds and its
# artifacts become the baseline of merge requests
sed 's|^    stats_recorded++;.*$|    /* counting removed */|' "$TMP/stats.c.orig" >stats.c
pipeline main CI_COMMIT_BRANCH=main
[ "$rc" = 0 ] || fail "gitlab pipeline on main: exit $rc, want 0: $(tail -20 "$TMP/out")"
[ -f build/compile_commands.json ] || fail "bear wrote no compile_commands.json"
grep -q 'artifacts of fnprop on main: saved' "$TMP/out" || fail "gitlab: main kept no artifacts: $(tail -5 "$TMP/out")"
# a second pipeline on main: warm from its branch cache
pipeline main CI_COMMIT_BRANCH=main
grep -q 'cache fnprop-main: restored' "$TMP/out" && grep -q '0 parsed, 6 from cache' "$TMP/out" ||
	fail "gitlab: the branch cache did not warm main's second pipeline: $(grep -e ci_gitlab -e 'translation units' "$TMP/out")"

# a merge request from a new branch: no cache of its own yet; the baseline
# and the warm start come from main's artifact
cp "$TMP/stats.c.orig" stats.c
lose_property
pipeline feature CI_MERGE_REQUEST_IID=7 CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main
[ "$rc" = 1 ] || fail "gitlab merge request: exit $rc, want 1: $(tail -20 "$TMP/out")"
grep -q 'cache fnprop-feature: not found' "$TMP/out" || fail "gitlab: the new branch found a cache: $(grep ci_gitlab "$TMP/out")"
grep -q '1 parsed, 5 from cache' "$TMP/out" || fail "gitlab: main's database did not warm the merge request: $(grep 'translation units' "$TMP/out")"
grep -q "lost tls: 'stats_mean' proven -> violated" "$TMP/out" || fail "gitlab: loss not reported: $(tail -20 "$TMP/out")"
grep -q 'artifacts of fnprop on feature' "$TMP/out" && fail "gitlab: a failed job published artifacts"
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
# the same branch again: now warm from its own cache, still diffed against main
pipeline feature CI_MERGE_REQUEST_IID=7 CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main
grep -q 'cache fnprop-feature: restored' "$TMP/out" && grep -q '0 parsed, 6 from cache' "$TMP/out" ||
	fail "gitlab: the merge request's own cache was not used: $(grep -e ci_gitlab -e 'translation units' "$TMP/out")"
grep -q "lost tls: 'stats_mean' proven -> violated" "$TMP/out" || fail "gitlab: second run lost the baseline"
# a merge request into a branch that never succeeded: no baseline, said so
pipeline other CI_MERGE_REQUEST_IID=8 CI_MERGE_REQUEST_TARGET_BRANCH_NAME=nowhere
grep -q 'no database of nowhere yet' "$TMP/out" || fail "gitlab: a missing baseline is not reported: $(tail -5 "$TMP/out")"
cp "$TMP/stats.c.orig" stats.c
# adopting fnprop on code with findings: a committed .fnprop-baseline
# (written once with --write-baseline) accepts them, the branch's pipeline
# passes; the findings baseline of the job's artifact lists them too
[ -f build/compile_commands.json ] || sh -e "$TMP/gh-compdb.sh" >/dev/null 2>&1
fnprop -p build --quiet --write-baseline=.fnprop-baseline >/dev/null 2>&1
[ -s .fnprop-baseline ] || fail "could not write .fnprop-baseline"
pipeline adopt CI_COMMIT_BRANCH=adopt
[ "$rc" = 0 ] || fail "gitlab: a branch whose findings the committed baseline accepts fails: $(tail -20 "$TMP/out")"
grep -q 'in baseline)' "$TMP/out" || fail "gitlab: the committed baseline was not used: $(tail -20 "$TMP/out")"
grep -q 'artifacts of fnprop on adopt: saved' "$TMP/out" || fail "gitlab: adopt kept no artifacts"
rm -f .fnprop-baseline

finish
