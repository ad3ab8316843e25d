/* SPDX-License-Identifier: MIT */
/*
 * compdb.h - the compile database: which TUs make up the program, and how
 * each is compiled (prefix cdb_).
 *
 * Read through libclang's compilation-database API, which understands both
 * `arguments` and `command` entries.  Only real entries are returned (the
 * API would guess commands for unknown files; we never ask it to).  Each
 * entry keeps its own working directory and arguments; relative file names
 * are resolved against that directory.
 */
#ifndef FNPROP_COMPDB_H
#define FNPROP_COMPDB_H

#include <stddef.h>

typedef struct cdb_entry {
  char *file;        /* absolute path of the main file, as the entry names it */
  char *directory;   /* the entry's working directory */
  char **argv;       /* full command line, argv[0] = compiler */
  int argc;
} cdb_entry;

typedef struct cdb {
  char *dir;         /* directory holding compile_commands.json */
  cdb_entry *v;
  size_t n;
} cdb;

/*
 * Finds the directory holding compile_commands.json the way clang-tidy does
 * without -p: `start` (a file or directory) and then each parent.  Returns a
 * malloc'd absolute directory or NULL when none exists.
 */
char *cdb_find(const char *start);

/*
 * Loads DIR/compile_commands.json.  On failure returns NULL and writes a
 * message (what is wrong and what to do) into err.  Entries are sorted by
 * (file, arguments) so the result never depends on the database's order.
 */
cdb *cdb_load(const char *dir, char *err, size_t errlen);
void cdb_destroy(cdb *db);

/* Hash of an entry's effective flags and directory (cache key part). */
unsigned long long cdb_entry_hash(const cdb_entry *e);

#endif /* FNPROP_COMPDB_H */
