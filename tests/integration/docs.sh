#!/bin/sh
# SPDX-License-Identifier: MIT
# docs.sh FNPROP - the copy-paste snippets of docs/integration.md work as
# written: each block after a `<!-- snippet: NAME -->` line is extracted and
# run on a copy of examples/taskdemo, with the installed paths mapped to the
# tree (/usr/local/share/fnprop -> scripts/, /usr/local/lib/fnprop -> the
# build directory) and the LLVM major of this build substituted.
# shellcheck disable=SC2015 # `A && B || fail` is meant: fail when A or B fails
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
need cmake cmake
need bear bear
need pre-commit pre-commit
need git git

DOC=$ROOT/docs/integration.md
major=$("$FNPROP" --version | sed -n 's/.*libclang \([0-9][0-9]*\).*/\1/p')
export PATH="$BUILD:$PATH" GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" PRE_COMMIT_HOME="$TMP/pre-commit-cache" \
	GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"
git config --global init.defaultBranch main 2>/dev/null

# snippet NAME: the fenced block after `<!-- snippet: NAME -->`, paths mapped.
snippet() {
	awk -v name="$1" '
		$0 == "<!-- snippet: " name " -->" { want = 1; next }
		want && /^```/ { if (on) exit; on = 1; next }
		on { print; found = 1 }
		END { exit !found }' "$DOC" >"$TMP/snippet.raw" || { fail "no snippet '$1' in docs/integration.md"; return 1; }
	sed -e "s|/usr/local/share/fnprop/|$ROOT/scripts/|g" -e "s|/usr/local/lib/fnprop/|$BUILD/|g" \
		-e "s|clang-tidy-19|clang-tidy-$major|g" -e "s|fnprop-tidy-19\\.so|fnprop-tidy-$major.so|g" "$TMP/snippet.raw"
}
# run NAME: run the snippet with sh in the project; its status in $rc,
# its output in $TMP/out.
run() {
	snippet "$1" >"$TMP/$1.sh" || { rc=99; return; }
	status sh "$TMP/$1.sh" >"$TMP/out" 2>&1
}

proj=$TMP/proj
demo_project "$proj"
cp "$proj/stats.c" "$TMP/stats.c.orig"
cd "$proj" || exit 2
git init -q . && printf 'build/\n*.o\ntaskdemo\n' >.gitignore && git add -A && git commit -q -m demo || exit 2

# ---- compile database
run compdb
[ "$rc" = 0 ] && [ -f build/compile_commands.json ] || fail "compdb snippet: exit $rc: $(tail -5 "$TMP/out")"

# ---- command line
run cli
[ "$rc" = 1 ] || fail "cli snippet: exit $rc, want 1 (stats_record breaks its contract)"
grep -q "stats\\.c:13:6: error: .*\\[fnprop-notls-violation\\]" "$TMP/out" || fail "cli snippet: diagnostic missing: $(head -5 "$TMP/out")"
python3 -c 'import json, sys; assert json.load(open("fnprop.sarif"))["version"] == "2.1.0"; assert any(d["check"] == "fnprop-notls-violation" for d in json.load(open("fnprop.json")))' ||
	fail "cli snippet: fnprop.sarif / fnprop.json"

# ---- pre-commit (hook repository: the manifest of this tree)
hooks=$TMP/hooks
git init -q "$hooks" && cp "$ROOT/.pre-commit-hooks.yaml" "$hooks/" && (cd "$hooks" && git add -A && git commit -q -m h)
snippet pre-commit-config | sed -e "s|https://github.com/OWNER/fnprop|$hooks|" \
	-e "s|rev: COMMIT |rev: $(git ls-remote "$hooks" HEAD | cut -f1) |" >.pre-commit-config.yaml
	grep -qE 'rev: [0-9a-f]{40} ' .pre-commit-config.yaml || fail "pre-commit-config snippet: no COMMIT to fill in: $(cat .pre-commit-config.yaml)"
git add .pre-commit-config.yaml && git commit -q --no-verify -m config
pre-commit install >/dev/null 2>&1 || fail "pre-commit install"
printf '/* touched */\n' >>main.c && git add main.c
git commit -q -m main >"$TMP/out" 2>&1 || fail "pre-commit snippet: clean main.c refused: $(cat "$TMP/out")"
printf '/* touched */\n' >>stats.c && git add stats.c
status git commit -q -m stats >"$TMP/out" 2>&1
[ "$rc" != 0 ] && grep -q '\[fnprop-notls-violation\]' "$TMP/out" || fail "pre-commit snippet: stats.c not refused: $(cat "$TMP/out")"
git reset -q --hard && pre-commit uninstall >/dev/null 2>&1

# ---- plain git hook
run git-hook
[ "$rc" = 0 ] && [ -x .git/hooks/pre-commit ] && [ "$(git config fnprop.builddir)" = build ] ||
	fail "git-hook snippet: exit $rc: $(cat "$TMP/out")"
printf '/* again */\n' >>stats.c && git add stats.c
status git commit -q -m stats >"$TMP/out" 2>&1
[ "$rc" != 0 ] && grep -q '\[fnprop-notls-violation\]' "$TMP/out" || fail "git hook: stats.c not refused: $(cat "$TMP/out")"
git reset -q --hard

# ---- clang-tidy
plugin=$BUILD/fnprop-tidy-$major.so
need CLANG_TIDY "clang-tidy-$major"
make --no-print-directory -s -C "$ROOT" BUILD="$BUILD" tidy-plugin >"$TMP/make.out" 2>&1 && [ -f "$plugin" ] ||
	fail "make tidy-plugin: $(tail -5 "$TMP/make.out")"
run clang-tidy
[ "$rc" = 1 ] && grep -q "stats\\.c:13:6: error: .*\\[fnprop-notls-violation\\]" "$TMP/out" ||
	fail "clang-tidy snippet: exit $rc: $(cat "$TMP/out")"
snippet clang-tidy-config >.clang-tidy
status "$CLANG_TIDY" --load="$plugin" -p build stats.c >"$TMP/out" 2>&1
[ "$rc" = 1 ] && grep -q '\[fnprop-notls-violation\]' "$TMP/out" || fail "clang-tidy-config snippet: $(cat "$TMP/out")"
rm .clang-tidy

# ---- property diff
run diff-baseline
[ "$rc" = 0 ] && [ -f api-v1.db ] || fail "diff-baseline snippet: exit $rc: $(cat "$TMP/out")"
sed 's/^    long sum = 0;$/    long sum = 0;\n    stats_recorded++;/' "$TMP/stats.c.orig" >stats.c
run diff-check
grep -q "stats\\.c:[0-9]*:[0-9]*: lost tls: 'stats_mean' proven -> violated" "$TMP/out" ||
	fail "diff-check snippet: no loss reported: $(cat "$TMP/out")"
snippet diff-output >"$TMP/doc-output"
while IFS= read -r line; do
	grep -qxF -- "$line" "$TMP/out" || fail "docs show a diff line fnprop does not print: '$line'"
done <"$TMP/doc-output"
python3 -c 'import json; d = json.load(open("api-diff.json")); c = [x for x in d["changes"] if x["name"] == "stats_mean"][0]; assert c["change"] == "lost" and c["breaking"] is True and c["contract"] is True, c' ||
	fail "diff-check snippet: api-diff.json"
[ "$rc" = 1 ] || fail "diff-check snippet: exit $rc, want 1 (stats_mean breaks its FNPROP_NOTLS contract)"

# every shipped model's closing "# N functions." line counts its entries
for m in "$ROOT"/models/*.model; do
	n=$(grep -c '^[A-Za-z_]' "$m")
	said=$(sed -n 's/^# \([0-9]*\) functions\.$/\1/p' "$m")
	[ "$said" = "$n" ] || fail "${m##*/} says '# $said functions.' but has $n entries"
done

finish
