#!/bin/sh
# SPDX-License-Identifier: MIT
# test_data_loss.sh FNPROP - fnprop never writes over a file that is an
# input of the analysis or not its own: `extract -o` naming the source, a
# header or compile_commands.json; `extract --deps` naming one of them;
# `--db` naming an empty header, a source or the compile database; `merge`
# into a foreign file.  Each is refused with exit 2 and the file keeps its
# bytes.
# shellcheck source=tests/robust/lib
. "$(dirname "$0")/lib"

P=$TMP/p
mkdir -p "$P"
printf '#include "e.h"\n#include "h.h"\nint f(int x) { return h(x); }\n' >"$P/a.c"
printf 'static inline int h(int x) { return x; }\n' >"$P/h.h"
: >"$P/e.h"
printf 'notes of the user\n' >"$P/notes.txt"
entry "$P" a.c
for f in a.c h.h e.h compile_commands.json notes.txt; do cp "$P/$f" "$TMP/$f.orig"; done

unchanged() { # FILE LABEL: the file kept its bytes (restored for the next check)
	cmp -s "$P/$1" "$TMP/$1.orig" || fail "$2: '$1' was overwritten ($(head -c 32 "$P/$1" | od -c | head -n 1))"
	cp "$TMP/$1.orig" "$P/$1"
}

for f in a.c h.h e.h compile_commands.json; do
	expect 2 "" "$P" extract -p "$P" -o "$P/$f" a.c
	unchanged "$f" "extract -o $f"
	expect 2 "" "$P" extract -p "$P" --deps="$P/$f" -o "$TMP/ok.facts" a.c
	unchanged "$f" "extract --deps=$f"
done
# Not an input, but not fnprop's own either.
expect 2 "" "$P" extract -p "$P" -o "$P/notes.txt" a.c
unchanged notes.txt "extract -o a foreign file"
expect 2 "" "$P" extract -p "$P" --deps="$P/notes.txt" -o "$TMP/ok.facts" a.c
unchanged notes.txt "extract --deps= a foreign file"
# Outputs of an earlier extract are fnprop's own: written again.
expect 0 "" "$P" extract -p "$P" --deps="$TMP/ok.d" -o "$TMP/ok.facts" a.c
expect 0 "" "$P" extract -p "$P" --deps="$TMP/ok.d" -o "$TMP/ok.facts" a.c

for f in e.h a.c compile_commands.json; do
	expect 2 "" "$P" -p "$P" --db "$P/$f" --quiet
	unchanged "$f" "--db $f"
	expect 2 "" "$P" merge -p "$P" --db "$P/$f" "$TMP/ok.facts"
	unchanged "$f" "merge --db $f"
done
expect 2 "" "$P" merge -p "$P" --db "$P/notes.txt" "$TMP/ok.facts"
unchanged notes.txt "merge --db a foreign file"
finish
