/* SPDX-License-Identifier: MIT */
/*
 * programs.h - which linked programs each translation unit belongs to
 * (prefix pg_).
 *
 * One compile database often builds several programs (a server, its CLI,
 * a test per file).  Their same-named external functions are different
 * functions: a call links within its own program.  The programs come from
 * the configuration's `program: NAME = GLOB, ...` keys (--program=), else
 * from the build's link steps in DIR/link_commands.json (the shape of
 * compile_commands.json: link commands with `-o OUTPUT` and object or
 * archive inputs, and `ar` commands that make the archives), else there is
 * one program and nothing changes.  A translation unit no program names is
 * in every program (it may be linked anywhere: joined, never dropped).
 *
 * Key invariant: membership is a pure function of the compile database,
 * the configuration and link_commands.json, independent of their order;
 * pg_hash goes into the results' cache key.
 */
#ifndef FNPROP_PROGRAMS_H
#define FNPROP_PROGRAMS_H

#include <stddef.h>
#include <stdint.h>

#include "compdb.h"
#include "config.h"

typedef struct pg_map pg_map;

/* Where the programs came from (pg_source). */
enum { PG_NONE = 0, PG_CONFIG = 1, PG_LINKS = 2 };

/*
 * The programs of db's entries; flags_hash[i] is entry i's cache key (the
 * stored TU of that entry).  *out is NULL when there is one program (no
 * `program` key, no link_commands.json).  Returns 0, or -1 with "file:
 * what is wrong" in err (an unreadable or malformed link_commands.json).
 */
int pg_build(const cdb *db, const char *const *flags_hash, const cf_config *c, pg_map **out, char *err, size_t errlen);
void pg_free(pg_map *m);

/* The programs, sorted by name. */
size_t pg_count(const pg_map *m);
const char *pg_name(const pg_map *m, size_t i);
int pg_source(const pg_map *m);
/* The programs of the stored TU (file, flags hash), as indices into the
 * sorted names (*n of them); every program when no program names it. */
const uint32_t *pg_of(const pg_map *m, const char *file, const char *flags_hash, size_t *n);
/* How many C entries no program names (they are in every program). */
size_t pg_unassigned(const pg_map *m);
/* Hash of the membership (for the results' cache key); 0 without programs. */
uint64_t pg_hash(const pg_map *m);

#endif /* FNPROP_PROGRAMS_H */
