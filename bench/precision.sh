#!/bin/sh
# SPDX-License-Identifier: MIT
# precision.sh [FNPROP] - how much does fnprop prove on real code?  (issue 3, item 7)
#
# Analyzes two real C code bases from the npm registry, each with its
# project's own build flags:
#   sqlite   the SQLite amalgamation bundled by better-sqlite3@12.11.1
#            (deps/sqlite3/sqlite3.c, 1 TU, ~270k lines), compiled as
#            better-sqlite3's Release build does: -std=c99 -w -O3 -DNDEBUG
#            plus every define of its deps/defines.gypi;
#   libxml2  libxml2 2.9.9 vendored by libxmljs2@0.37.0 (vendor/libxml,
#            the 39 C files of its binding.gyp, ~200k lines, its own Linux
#            config.h), compiled with the binding's defines and node-gyp's
#            usual -O3 -fPIC -pthread -D_FILE_OFFSET_BITS=64.
# and prints Markdown tables:
#   1. verdict shares (functions of the `properties` view: those with a body
#      outside system headers) for tls and panic under four configurations:
#        builtin     --library-models=off --indirect-calls=unknown
#        models      --library-models=on  --indirect-calls=unknown
#        signature   --library-models=on  --indirect-calls=signature
#        field       --library-models=on  --indirect-calls=field
#        field-noint field, and --interposition=none: libxml2 is built with
#                    -fPIC for a shared object, so by default every external
#                    function of it is interposable (unknown); this row shows
#                    what the models and the call resolution achieve when
#                    the library is known to be linked as analyzed
#   2. candidate targets per indirect call site (mean, max), signature vs
#      field-sensitive, from the `icall` table, by resolution mode;
#   3. the 10 most frequent own reasons for `unknown` under `field` (the
#      function's own reason: an unresolved call in its body), and the 10
#      root causes weighted by how many unknown verdicts they explain
#      (where each unknown function's witness path ends).
#
# Sources: `npm pack` into $WORK/src (default build/bench-precision), which
# works offline once the two tarballs are in npm's cache or in $WORK/src.
# Set SQLITE_TGZ / LIBXML_TGZ to use tarballs you already have.
# Each configuration gets its own database, so runs never share results.
# Exit status: 0 done, 2 a tool is missing, a download failed, or fnprop
# failed (status > 1) or does not know one of the configuration flags.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
FNPROP=${1:-$ROOT/build/fnprop}
case $FNPROP in /*) ;; *) FNPROP=$(pwd -P)/$FNPROP ;; esac
WORK=${WORK:-$ROOT/build/bench-precision}
SQLITE_PKG=better-sqlite3@12.11.1
LIBXML_PKG=libxmljs2@0.37.0
CONFIGS="builtin models signature field field-noint"

die() { echo "precision: $*" >&2; exit 2; }
[ -x "$FNPROP" ] || die "$FNPROP: not an executable (run make first)"
for tool in sqlite3 tar sed awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done
mkdir -p "$WORK/src" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd -P)

# fetch VAR PACKAGE: set VAR to the path of PACKAGE's tarball in $WORK/src.
fetch() {
	tgz_var=$1 pkg=$2
	eval "given=\${$tgz_var:-}"
	if [ -n "$given" ]; then
		[ -r "$given" ] || die "$tgz_var=$given: not readable"
		eval "$tgz_var=\$given"
		return
	fi
	file=$(printf '%s' "$pkg" | sed 's/^@//; s|/|-|; s/@/-/').tgz
	if [ ! -s "$WORK/src/$file" ]; then
		command -v npm >/dev/null 2>&1 || die "npm is required to fetch $pkg (or set $tgz_var)"
		echo "precision: npm pack $pkg" >&2
		(cd "$WORK/src" && npm pack --prefer-offline --silent "$pkg" >/dev/null) ||
			die "npm pack $pkg failed (offline? put $file into $WORK/src or set $tgz_var)"
		[ -s "$WORK/src/$file" ] || die "npm pack $pkg did not write $file"
	fi
	eval "$tgz_var=\$WORK/src/\$file"
}

# unpack TGZ DIR: extract once (the tarball's `package/` becomes DIR).
unpack() {
	[ -d "$2" ] && return
	if ! { mkdir -p "$2.tmp" && tar xzf "$1" -C "$2.tmp" && mv "$2.tmp/package" "$2" && rmdir "$2.tmp"; }; then
		die "cannot extract $1"
	fi
}

json() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# compdb DIR SRCDIR FLAGS FILE...: write DIR/compile_commands.json, one
# "arguments" entry per file (relative to SRCDIR).
compdb() {
	out=$1 src=$2 flags=$3
	shift 3
	mkdir -p "$out"
	{
		printf '['
		sep=''
		for f in "$@"; do
			printf '%s\n  {"directory": "%s", "file": "%s",\n   "arguments": ["cc"' \
				"$sep" "$(json "$src")" "$(json "$src/$f")"
			for a in $flags; do printf ', "%s"' "$(json "$a")"; done
			printf ', "-c", "%s"]}' "$(json "$src/$f")"
			sep=','
		done
		printf '\n]\n'
	} >"$out/compile_commands.json"
}

# ------------------------------------------------------------- the code bases
fetch SQLITE_TGZ "$SQLITE_PKG"
fetch LIBXML_TGZ "$LIBXML_PKG"
unpack "$SQLITE_TGZ" "$WORK/better-sqlite3"
unpack "$LIBXML_TGZ" "$WORK/libxmljs2"

SQ=$WORK/better-sqlite3/deps
if [ ! -r "$SQ/sqlite3/sqlite3.c" ] || [ ! -r "$SQ/defines.gypi" ]; then
	die "$SQLITE_PKG: no deps/sqlite3/sqlite3.c or deps/defines.gypi"
fi
# better-sqlite3's Release build: sqlite3.gyp (-std=c99 -w), common.gypi
# (Release: -O3, NDEBUG) and the generated defines.gypi.
sq_defs=$(sed -n "s/^ *'\([A-Za-z_][A-Za-z_0-9]*\(=[^']*\)\{0,1\}\)',\{0,1\} *$/-D\1/p" "$SQ/defines.gypi")
[ -n "$sq_defs" ] || die "$SQ/defines.gypi: no defines found"
compdb "$WORK/sqlite" "$SQ/sqlite3" "-std=c99 -w -O3 -DNDEBUG $sq_defs" sqlite3.c

XML=$WORK/libxmljs2
[ -r "$XML/binding.gyp" ] || die "$LIBXML_PKG: no binding.gyp"
# The C sources of the binding (its C++ glue is not C and is left out).
xml_srcs=$(sed -n 's|^ *"\(vendor/libxml/[A-Za-z0-9_]*\.c\)",\{0,1\} *$|\1|p' "$XML/binding.gyp")
[ -n "$xml_srcs" ] || die "$XML/binding.gyp: no vendor/libxml sources found"
# shellcheck disable=SC2086 # word splitting of the source list is intended
compdb "$WORK/libxml2" "$XML" "-fPIC -pthread -Wall -O3 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64 \
-DLIBXML_XINCLUDE_ENABLED -DLIBXML_SCHEMATRON_ENABLED -DBUILDING_NODE_EXTENSION \
-I$XML/vendor/libxml/include" $xml_srcs
PROJECTS="sqlite libxml2"

# ----------------------------------------------------------------- the runs
flags_of() {
	case $1 in
	builtin) echo "--library-models=off --indirect-calls=unknown" ;;
	models) echo "--library-models=on --indirect-calls=unknown" ;;
	signature) echo "--library-models=on --indirect-calls=signature" ;;
	field) echo "--library-models=on --indirect-calls=field" ;;
	field-noint) echo "--library-models=on --indirect-calls=field --interposition=none" ;;
	esac
}

now() { date +%s.%N 2>/dev/null || date +%s; }
for p in $PROJECTS; do
	for c in $CONFIGS; do
		db=$WORK/$p/$c.db
		rm -f "$db" "$db-wal" "$db-shm"
		t0=$(now)
		# shellcheck disable=SC2046 # the flags are words
		"$FNPROP" -p "$WORK/$p" --db "$db" --quiet $(flags_of "$c") >"$WORK/$p/$c.log" 2>&1
		rc=$?
		t1=$(now)
		if [ $rc -gt 1 ]; then
			sed -n '1,5p' "$WORK/$p/$c.log" >&2
			die "fnprop failed on $p ($c: $(flags_of "$c")) with status $rc; log: $WORK/$p/$c.log"
		fi
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' >"$WORK/$p/$c.time"
		n=$(sqlite3 "$db" "select count(*) from tu_diag where error != 0" 2>/dev/null || echo 0)
		[ "${n:-0}" -eq 0 ] || echo "precision: warning: $p has $n parse errors (see tu_diag in $db)" >&2
	done
done

# ----------------------------------------------------------------- the tables
q() { sqlite3 -batch -noheader -separator ' | ' "$@"; }

# share DB PROPERTY: "proven % | unknown % | violated %" over the properties view.
share() {
	q "$1" "select printf('%.1f | %.1f | %.1f',
	          100.0 * sum($2 = 'proven') / count(*),
	          100.0 * sum($2 = 'unknown') / count(*),
	          100.0 * sum($2 = 'violated') / count(*)) from properties"
}

echo "## Verdict shares (% of the functions with a body outside system headers)"
echo
echo "| code base | configuration | functions | tls proven | tls unknown | tls violated | panic proven | panic unknown | panic violated | time (s) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for p in $PROJECTS; do
	for c in $CONFIGS; do
		db=$WORK/$p/$c.db
		n=$(q "$db" "select count(*) from properties")
		echo "| $p | $c | $n | $(share "$db" tls) | $(share "$db" panic) | $(cat "$WORK/$p/$c.time") |"
	done
done

echo
echo "## Candidate targets per indirect call site"
echo
echo "One row per resolution mode the analyzer recorded (\`icall.mode\`): under"
echo "\`field\`, sites whose pointer escapes fall back to signature matching"
echo "and are counted as \`signature\`.  Sites are distinct (file, line, column)."
echo
echo "| code base | configuration | mode | sites | mean | max | empty (unknown) |"
echo "|---|---|---|---:|---:|---:|---:|"
for p in $PROJECTS; do
	for c in signature field; do
		db=$WORK/$p/$c.db
		q "$db" "with s as (select mode, file, line, col, max(candidates) as n
		                    from icall group by mode, file, line, col)
		         select '$p', '$c', mode, count(*), printf('%.2f', avg(n)), max(n), sum(n = 0)
		         from s group by mode
		         union all
		         select '$p', '$c', 'all sites', count(*), printf('%.2f', avg(n)), max(n), sum(n = 0)
		         from (select file, line, col, max(candidates) as n from icall group by file, line, col)
		         order by 3" | sed 's/^/| /; s/$/ |/'
	done
done

echo
echo "## Top 10 reasons for remaining \`unknown\` (configuration \`field\`)"
for p in $PROJECTS; do
	echo
	echo "$p: own reasons of unknown verdicts, both properties (kind, detail, functions)"
	echo
	echo "| kind | detail | count |"
	echo "|---|---|---:|"
	q "$WORK/$p/field.db" "select e.name, v.detail, count(*) from verdict v join effect_kind e on e.id = v.kind
	                       where v.verdict = 1 and v.why = 1 group by 1, 2 order by 3 desc, 1, 2 limit 10" |
		sed 's/|/\\|/g; s/ \\| /|/g' | awk -F'|' '{ printf "| %s | `%s` | %s |\n", $1, $2, $3 }'
	for c in field field-noint; do
		echo
		echo "$p ($c): root causes, weighted: where each unknown verdict's witness path"
		echo "ends (property, kind, detail, functions whose unknown verdict it explains)"
		echo
		echo "| property | kind | detail | functions |"
		echo "|---|---|---|---:|"
		q "$WORK/$p/$c.db" "with recursive w(origin, prop, cur) as (
		                         select func, property, func from verdict where verdict = 1
		                         union all
		                         select w.origin, w.prop, v.next from w
		                         join verdict v on v.func = w.cur and v.property = w.prop where v.why = 2)
		                       select case r.property when 0 then 'tls' else 'panic' end, e.name, r.detail, count(*)
		                       from w join verdict r on r.func = w.cur and r.property = w.prop and r.why = 1
		                       join effect_kind e on e.id = r.kind
		                       group by 1, 2, 3 order by 4 desc, 1, 2, 3 limit 10" |
			sed 's/|/\\|/g; s/ \\| /|/g' | awk -F'|' '{ printf "| %s | %s | `%s` | %s |\n", $1, $2, $3, $4 }'
	done
done
exit 0
