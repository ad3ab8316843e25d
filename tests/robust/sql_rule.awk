# SPDX-License-Identifier: MIT
# sql_rule.awk - the grep-able rule that no SQL text is built from data:
# in the file given (properties-db/pdb.c), every SQL argument of
# sqlite3_exec, sqlite3_prepare_v2/_v3 and of the helpers that forward one
# (pdb_exec, pdb_int_pragma, pdb_each_text, pdb_rows) is
#   - a string literal, or an entry of the pdb_sql table of literals, or
#   - `sql` / `sql[i]`, a parameter of such a helper or a local that is
#     itself initialized from literals only (checked below), or
#   - `b.s` inside pdb_create_schema (the schema text plus its fingerprint
#     and integers) or pdb_drop_all (table names read from sqlite_master of
#     our own database, quoted).
# Values always go through sqlite3_bind_*.  sprintf-style SQL helpers
# (sqlite3_mprintf, sqlite3_snprintf, sprintf) must not appear at all.
# Prints one line per violation; exit 1 when there is any.
{ line[NR] = $0 }
END {
	text = ""
	for (i = 1; i <= NR; i++) { start[i] = length(text) + 1; text = text line[i] "\n" }
	bad = 0
	# Which function each line is in (definitions start at column 0).
	fn = ""
	for (i = 1; i <= NR; i++) {
		l = line[i]
		if (l ~ /^[a-z][a-z0-9_ *]*[ *][a-z_][a-z0-9_]*\(/ && l !~ /;$/) {
			f = l
			sub(/\(.*/, "", f)
			sub(/.*[ *]/, "", f)
			fn = f
		}
		func_of[i] = fn
		if (l ~ /sqlite3_mprintf|sqlite3_snprintf|[^n]sprintf\(|%q|%Q/) { printf "%d: SQL formatting helper: %s\n", i, l; bad++ }
		# Locals named sql: initialized from literals only.
		if (l ~ /[^a-z_]sql(\[[0-9]*\])? = / && l !~ /= "/ && !(l ~ /= \{$/ && line[i + 1] ~ /^ *"/)) {
			printf "%d: `sql` assigned from something other than literals: %s\n", i, l
			bad++
		}
	}
	rest = text
	off = 0
	while (match(rest, /(sqlite3_exec|sqlite3_prepare_v[23]|pdb_exec|pdb_int_pragma|pdb_each_text|pdb_rows)\([^,()]*,[ \n]*/)) {
		call = substr(rest, RSTART, RLENGTH)
		argpos = off + RSTART + RLENGTH
		arg = substr(text, argpos, 40)
		rest = substr(rest, RSTART + RLENGTH)
		off = argpos - 1
		# the line of the call
		for (ln = NR; ln > 1 && start[ln] > argpos; ln--) {}
		name = call
		sub(/\(.*/, "", name)
		if (arg ~ /^const char \*sql/) continue        # the helper's own definition
		if (arg ~ /^"/ || arg ~ /^pdb_sql\[/) continue
		if (arg ~ /^sql[,)\[]/) continue
		if (arg ~ /^b\.s[,)]/ && (func_of[ln] == "pdb_create_schema" || func_of[ln] == "pdb_drop_all")) continue
		a = arg
		sub(/[,)].*/, "", a)
		printf "%d: %s() in %s gets SQL from `%s`, not a literal\n", ln, name, func_of[ln], a
		bad++
	}
	exit bad ? 1 : 0
}
