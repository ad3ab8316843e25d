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

/* The language of an entry: fnprop analyzes C; assembler and C++ entries
 * (by -x, else by the file's extension) are kept but not analyzed. */
enum {
  CDB_LANG_C = 0,
  CDB_LANG_ASM = 1,
  CDB_LANG_CXX = 2,
  CDB_LANG_OTHER = 3,
  CDB_LANG_TABLE = 4 /* a verdict table fnprop generated (export_c.h): not analyzed */
};

typedef struct cdb_entry {
  char *file;        /* absolute path of the main file, as the entry names it */
  char *directory;   /* the entry's working directory */
  char **argv;       /* full command line, argv[0] = compiler */
  int argc;
  int generated;     /* the file is a verdict table fnprop generated */
} cdb_entry;

typedef struct cdb {
  char *dir;         /* real directory holding compile_commands.json (a
                symlinked compile_commands.json: the directory of
                the file it points to) */
  cdb_entry *v;
  size_t n;
  size_t nlang[5];   /* entries per CDB_LANG_* */
} cdb;

/* The language clang would compile e as (CDB_LANG_*). */
int cdb_entry_lang(const cdb_entry *e);
/* "C", "assembler", "C++", "another language", "generated verdict table". */
const char *cdb_lang_name(int lang);

/* Marks the entries whose main file is the open regular file fd (the
 * output `fnprop export --format=c > verdicts.c` writes, which the shell
 * has already emptied, so its marker cannot be read) as generated tables.
 * Returns how many entries it marked. */
size_t cdb_mark_output(cdb *db, int fd);

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

/* 1 when `path` (resolved) is compile_commands.json itself or the main
 * file of an entry: an input fnprop must never write over.  0 otherwise. */
int cdb_is_input(const cdb *db, const char *path);

/* Hash of an entry's effective flags and directory (not cryptographic). */
unsigned long long cdb_entry_hash(const cdb_entry *e);

#endif /* FNPROP_COMPDB_H */
