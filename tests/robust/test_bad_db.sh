#!/bin/sh
# SPDX-License-Identifier: MIT
# test_bad_db.sh FNPROP - the --db matrix: a file that is not SQLite,
# another application's SQLite database (refused, never modified: bytes
# compared), a newer schema (refused), a damaged fnprop database (refused
# with advice), read-only locations (exit 2 with a clear message) and a
# full disk (RLIMIT_FSIZE, and a tiny tmpfs where mount works): the run
# fails cleanly, the stored results survive and pass integrity_check.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

P=$TMP/proj
sh "$ROOT/bench/gen-project.sh" "$P" 12 >/dev/null || exit 2
expect 0 "" "$P" -p "$P" --db "$TMP/good.db" --quiet --dump=verdicts || finish
cp "$TMP/out" "$TMP/good.dump"

# refused FILE STATUS TEXT: fnprop must refuse FILE with STATUS and TEXT and
# leave it byte for byte as it was, with no -wal/-shm beside it.
refused() {
	cp "$1" "$TMP/before"
	expect "$2" "$3" "$P" -p "$P" --db "$1" --quiet
	cmp -s "$1" "$TMP/before" || fail "$1 was modified"
	for x in wal shm journal; do
		[ -e "$1-$x" ] && [ -s "$1-$x" ] && fail "$1-$x was left beside it"
	done
	return 0
}

# Not SQLite at all.
printf 'my notes, not a database\n' >"$TMP/notes.txt"
refused "$TMP/notes.txt" 2 "'$TMP/notes.txt' is not an fnprop database or is damaged (file is not a database)"
grep -q "will not touch it" "$TMP/err" || fail "not-SQLite: the message does not say the file is left alone"
head -c 100000 /dev/urandom >"$TMP/random.bin" 2>/dev/null
refused "$TMP/random.bin" 2 "is not an fnprop database or is damaged"

# Other applications' databases: no application_id, another one, or only a
# user_version; and one with no tables but an application_id.
sqlite3 "$TMP/app0.db" "CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('alice');" || exit 2
refused "$TMP/app0.db" 2 "'$TMP/app0.db' is an SQLite database of another application (application_id 0); fnprop will not modify it"
sqlite3 "$TMP/app5.db" "PRAGMA application_id = 5; CREATE TABLE t(x);" || exit 2
refused "$TMP/app5.db" 2 "application_id 5"
sqlite3 "$TMP/uv.db" "PRAGMA user_version = 1; CREATE TABLE meta(key, value);" || exit 2
refused "$TMP/uv.db" 2 "of another application"
sqlite3 "$TMP/appnotables.db" "PRAGMA application_id = 77;" || exit 2
refused "$TMP/appnotables.db" 2 "application_id 77"
sqlite3 "$TMP/walapp.db" "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);" >/dev/null || exit 2
refused "$TMP/walapp.db" 2 "of another application"

# A database from a newer fnprop.
cp "$TMP/good.db" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 99" || exit 2
refused "$TMP/newer.db" 2 "database '$TMP/newer.db' has schema version 99, newer than this fnprop understands"
# An older fnprop's database is a cache: rebuilt, same results.
cp "$TMP/good.db" "$TMP/older.db"
sqlite3 "$TMP/older.db" "PRAGMA user_version = 0; UPDATE meta SET value = 'old' WHERE key = 'schema';" || exit 2
expect 0 "" "$P" -p "$P" --db "$TMP/older.db" --quiet --dump=verdicts
cmp -s "$TMP/out" "$TMP/good.dump" || fail "an older database was not rebuilt to the same results"
integrity "$TMP/older.db"

# Damaged fnprop databases: a clear refusal or a correct re-analysis,
# never a crash, never wrong results.
n=0
for how in truncate garbage header zeros; do
	n=$((n + 1))
	cp "$TMP/good.db" "$TMP/dmg$n.db"
	case $how in
	truncate) truncate -s 20000 "$TMP/dmg$n.db" ;;
	garbage) head -c 12288 /dev/urandom | dd of="$TMP/dmg$n.db" bs=4096 seek=5 conv=notrunc 2>/dev/null ;;
	header) printf 'XXXXXXXXXXXXXXXX' | dd of="$TMP/dmg$n.db" conv=notrunc 2>/dev/null ;;
	zeros) dd if=/dev/zero of="$TMP/dmg$n.db" bs=4096 seek=1 count=40 conv=notrunc 2>/dev/null ;;
	esac
	run_in "$P" -p "$P" --db "$TMP/dmg$n.db" --quiet --dump=verdicts
	case $rc in
	0) cmp -s "$TMP/out" "$TMP/good.dump" || fail "damaged ($how): exit 0 with other results" ;;
	2) grep -q "damaged\|malformed" "$TMP/err" || fail "damaged ($how): exit 2 without saying so: $(cat "$TMP/err")"
	   grep -q "delete it" "$TMP/err" || fail "damaged ($how): no advice: $(cat "$TMP/err")" ;;
	*) fail "damaged ($how): exit $rc: $(head -c 300 "$TMP/err")" ;;
	esac
done

# --db is a directory, or in a directory that does not exist.
mkdir -p "$TMP/adir"
expect 2 "cannot open database '$TMP/adir'" "$P" -p "$P" --db "$TMP/adir" --quiet
expect 2 "cannot open database '$TMP/no/such/dir/x.db'" "$P" -p "$P" --db "$TMP/no/such/dir/x.db" --quiet
# An empty file is a new database.
: >"$TMP/empty.db"
expect 0 "" "$P" -p "$P" --db "$TMP/empty.db" --quiet

# Read-only locations.  Root ignores permissions: use a read-only tmpfs
# where mount works, else run as nobody; as a normal user chmod is enough.
ro_run() { # DB: run fnprop on DB as someone who cannot write it
	if [ "$(id -u)" = 0 ] && [ -z "${RO_MOUNTED:-}" ]; then
		run_as_nobody "$@"
	else
		expect 2 "" "$P" -p "$P" --db "$1" --quiet
	fi
}
run_as_nobody() {
	# shellcheck disable=SC2016
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cd "$1" && exec "$2" -p "$1" --db "$3" --quiet' \
		sh "$P" "$FNPROP" "$1" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" = 2 ] || fail "read-only $1 as nobody: exit $rc, want 2: $(head -c 300 "$TMP/err")"
}
RO=$TMP/ro
mkdir -p "$RO"
cp "$TMP/good.db" "$RO/fnprop.db"
RO_MOUNTED=
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m tmpfs "$RO" 2>/dev/null; then
	cp "$TMP/good.db" "$RO/fnprop.db"
	if mount -o remount,ro "$RO" 2>/dev/null; then RO_MOUNTED=1; else umount "$RO"; fi
fi
if [ -n "$RO_MOUNTED" ] || [ "$(id -u)" != 0 ] || command -v setpriv >/dev/null; then
	[ -z "$RO_MOUNTED" ] && chmod 555 "$RO" && chmod 444 "$RO/fnprop.db"
	[ -z "$RO_MOUNTED" ] && [ "$(id -u)" = 0 ] && chmod 755 "$TMP" "$P" && chmod -R a+rX "$P"
	cp "$RO/fnprop.db" "$TMP/ro-before"
	ro_run "$RO/fnprop.db"
	grep -q "is read-only (file permissions or a read-only file system)" "$TMP/err" ||
		fail "read-only database: unclear message: $(cat "$TMP/err")"
	grep -q "not an fnprop database\|remove it" "$TMP/err" && fail "read-only database called foreign: $(cat "$TMP/err")"
	cmp -s "$RO/fnprop.db" "$TMP/ro-before" || fail "read-only database changed"
	ro_run "$RO/new.db"
	grep -q "cannot open database '$RO/new.db'" "$TMP/err" || fail "read-only directory: unclear message: $(cat "$TMP/err")"
	[ -n "$RO_MOUNTED" ] && umount "$RO"
	chmod 755 "$RO" 2>/dev/null
else
	note "skipped read-only cases: root without mount or setpriv"
fi

# Disk full.  First a good run, then every source changes so the next run
# must write a lot, and it runs out of space: exit 2 naming the reason, old
# results intact, integrity ok; then a normal run gives the new results.
props() { sq "$1" "SELECT name, file, line, tls, panic, coalesce(witness, '') FROM properties ORDER BY file, line, name"; }
edit_sources() {
	for f in "$P"/src/*.c; do
		printf 'int %s_more%s(int x) { return x * %s; }\n' "$(basename "$f" .c)" "$1" "$1" >>"$f"
	done
}
full_check() { # LABEL DB: after a failed run under a full disk
	case $rc in
	2) grep -q "disk\|full\|too large" "$TMP/err" || fail "$1: exit 2 without naming the disk: $(cat "$TMP/err")" ;;
	*) fail "$1: exit $rc, want 2: $(head -c 300 "$TMP/err")" ;;
	esac
	integrity "$2"
	props "$2" >"$TMP/props-after"
	cmp -s "$TMP/props-before" "$TMP/props-after" || fail "$1: the stored results changed"
}
expect 0 "" "$P" -p "$P" --db "$TMP/full.db" --quiet
props "$TMP/full.db" >"$TMP/props-before"
[ -s "$TMP/props-before" ] || fail "no properties stored"
edit_sources 1
# RLIMIT_FSIZE: writes past the limit fail with EFBIG (SIGXFSZ ignored).
(
	trap '' XFSZ
	ulimit -f 40
	cd "$P" && exec "$FNPROP" -p "$P" --db "$TMP/full.db" --quiet
) >"$TMP/out" 2>"$TMP/err"
rc=$?
full_check "RLIMIT_FSIZE" "$TMP/full.db"
# A tiny tmpfs holding the database: it fills up.  Checked on a copy (the
# database and its WAL), since SQLite cannot even open a -shm file there.
T=$TMP/tiny
Q=$TMP/proj2
mkdir -p "$T"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8m tmpfs "$T" 2>/dev/null; then
	sh "$ROOT/bench/gen-project.sh" "$Q" 12 >/dev/null || exit 2
	expect 0 "" "$Q" -p "$Q" --db "$T/fnprop.db" --quiet
	size=$(wc -c <"$T/fnprop.db")
	cp "$T/fnprop.db" "$TMP/tiny-copy.db"
	umount "$T"
	mount -t tmpfs -o size=$((size / 1024 + 32))k tmpfs "$T" || exit 2
	cp "$TMP/tiny-copy.db" "$T/fnprop.db"
	props "$T/fnprop.db" >"$TMP/props-before"
	for f in "$Q"/src/*.c; do
		awk -v b="$(basename "$f" .c)" 'BEGIN { for (i = 0; i < 300; i++) printf "int %s_x%d(int x) { return %s_x%d(x) + %d; }\n", b, i, b, i ? i - 1 : 0, i }' >>"$f"
	done
	run_in "$Q" -p "$Q" --db "$T/fnprop.db" --quiet
	rm -f "$TMP/tiny-check.db"*
	cp "$T/fnprop.db" "$TMP/tiny-check.db"
	[ -f "$T/fnprop.db-wal" ] && cp "$T/fnprop.db-wal" "$TMP/tiny-check.db-wal"
	full_check "full tmpfs" "$TMP/tiny-check.db"
	umount "$T"
else
	note "skipped the tmpfs case: cannot mount here"
fi
# After the disk has room again, a normal run gives the clean results.
expect 0 "" "$P" -p "$P" --db "$TMP/full.db" --quiet --dump=verdicts
cp "$TMP/out" "$TMP/after.dump"
expect 0 "" "$P" -p "$P" --db "$TMP/fresh.db" --quiet --dump=verdicts
cmp -s "$TMP/out" "$TMP/after.dump" || fail "after the disk-full run, results differ from a clean run"
integrity "$TMP/full.db"

finish
