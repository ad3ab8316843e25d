#!/bin/sh
# SPDX-License-Identifier: MIT
# check-layering.sh [ROOT] - fails when an #include breaks the one-way flow
# of data between fnprop's modules (docs/architecture.md).  Run by
# `make check` (tests/run-all.sh).
#
# Rules, over the production sources (analyzer/, properties-db/,
# runtime-shim/, include/; not the tests):
#   1. <clang-c/...> only in the front end: analyzer/frontend.c,
#      frontend_omp.c, frontend_int.h, analyzer/frontend_flow.[ch],
#      analyzer/syntax.[ch] and analyzer/compdb.c.
#   2. <sqlite3.h> only in properties-db/.
#   3. properties-db/ includes no analyzer header: it is a leaf that stores
#      and returns its own rows.
#   4. The readers of results (report, witness, diag*, diffcmd, export_c,
#      dump's reading side excepted) do not include the graph's, the
#      solver's, the model's or the front end's headers.
#   5. Every analyzer and properties-db module has a rank below; a file may
#      include only headers of its own module or of a module of lower rank,
#      so there is no include cycle and data flows one way.  A new module
#      needs a line here.
#   6. runtime-shim/ includes, of the analyzer, export_c.h alone.
# Prints every violation as FILE:LINE: what is wrong; exits 1 if any.
set -u

root=${1:-$(cd "$(dirname "$0")/.." && pwd -P)}
cd "$root" || exit 2

# module rank: support code first, the command line last (diag_checks.def
# is the check table: data, includable by every piece of the diagnostics).
ranks='
util 0
fsguard 0
diag_checks.def 0
verdict 0
vocab 0
pdb 0
export_c 0
effects 1
solver 1
compdb 1
config 1
diag_opts 1
diag_src 1
asmscan 1
ompdir 1
syntax 1
flow 1
facts 2
model 2
programs 2
hsearch 3
diag_sink 2
diag_nolint 2
frontend 4
frontend_flow 3
factblob 3
graph 3
witness 3
mwitness 3
diag_emit 3
factstore 4
migrate 4
results 5
report 4
diffcmd 4
diag_witness 4
diag_base 4
dump 5
driver 6
diag_checks 5
diag 6
htmlreport 5
buildcmd 7
main 8
'
readers='report witness mwitness diffcmd export_c diag diag_opts diag_sink diag_src diag_nolint diag_emit diag_witness diag_base diag_checks htmlreport'
internals='graph.h solver.h model.h frontend.h syntax.h asmscan.h hsearch.h compdb.h results.h driver.h'

files=$(find analyzer properties-db runtime-shim include -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) \
	2>/dev/null | LC_ALL=C sort)
[ -n "$files" ] || { echo "check-layering: no sources under $root" >&2; exit 2; }

# shellcheck disable=SC2086 # file names have no blanks
awk -v ranks="$ranks" -v readers="$readers" -v internals="$internals" '
BEGIN {
	n = split(ranks, r, "\n")
	for (i = 1; i <= n; i++) if (split(r[i], f, " ") == 2) rank[f[1]] = f[2]
	split(readers, rd, " "); for (i in rd) reader[rd[i]] = 1
	split(internals, it, " "); for (i in it) internal[it[i]] = 1
	frontend["analyzer/frontend.c"] = frontend["analyzer/syntax.c"] = frontend["analyzer/syntax.h"] = 1
	frontend["analyzer/compdb.c"] = frontend["analyzer/frontend_omp.c"] = frontend["analyzer/frontend_int.h"] = 1
	frontend["analyzer/frontend_flow.c"] = frontend["analyzer/frontend_flow.h"] = 1
	bad = 0
}
function module(path,   b) {
	b = path; sub(/.*\//, "", b); sub(/\.(c|h)$/, "", b)
	if (b == "frontend_int" || b == "frontend_omp") b = "frontend" # files of the front end
	return b
}
function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg; bad = 1 }
FNR == 1 {
	dir = FILENAME; sub(/\/[^\/]*$/, "", dir)
	mod = module(FILENAME)
	if ((dir == "analyzer" || dir == "properties-db") && !(mod in rank)) {
		fail("module \"" mod "\" has no rank in scripts/check-layering.sh; add one after the modules it includes")
	}
}
/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
	line = $0
	sys = line ~ /#[ \t]*include[ \t]*</
	hdr = line; sub(/^[^<"]*[<"]/, "", hdr); sub(/[>"].*$/, "", hdr)
	if (sys && hdr ~ /^clang-c\// && !(FILENAME in frontend))
		fail("includes <" hdr ">: libclang belongs to the front end (frontend*.c, syntax.[ch], compdb.c)")
	if (sys && hdr == "sqlite3.h" && dir != "properties-db")
		fail("includes <sqlite3.h>: SQLite belongs to properties-db")
	if (sys) next
	hmod = module(hdr)
	if (hdr == "build_id.h") next                      # generated: the build id
	if (dir == "properties-db") {
		if (hmod != "pdb") fail("includes \"" hdr "\": properties-db is a leaf and includes no analyzer header")
		next
	}
	if (dir == "runtime-shim") {
		if ((hmod in rank) && hdr != "export_c.h") fail("includes \"" hdr "\": the runtime shim links no analyzer code")
		next
	}
	if (dir != "analyzer") next
	if ((mod in reader) && (hdr in internal))
		fail("includes \"" hdr "\": reports and diagnostics read the properties database, not the graph")
	if (hmod == mod || !(mod in rank)) next
	if (!(hmod in rank)) { fail("includes \"" hdr "\", which is no module of the analyzer"); next }
	if (rank[hmod] + 0 >= rank[mod] + 0)
		fail("includes \"" hdr "\" (rank " rank[hmod] ") from " mod " (rank " rank[mod] "): data flows the other way")
}
END { exit bad }
' $files
status=$?
[ $status -eq 0 ] && echo "check-layering: OK ($(echo "$files" | wc -l | tr -d ' ') files)"
[ $status -eq 0 ] || echo "check-layering: the includes above break the module layering (docs/architecture.md)"
exit $status
