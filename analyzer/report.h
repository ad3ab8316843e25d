/* SPDX-License-Identifier: MIT */
/*
 * report.h - what users read: summaries, verdict dumps, JSON Lines export
 * and witness paths (prefix rp_).
 *
 * Everything is read back from the properties database, so a report is the
 * same whether its results were just computed or come from the cache.
 * Output is sorted by stable keys (file, line, column, name).
 */
#ifndef FNPROP_REPORT_H
#define FNPROP_REPORT_H

#include <stdio.h>

#include "pdb.h"

typedef struct rp_opts {
  const char *cwd;      /* paths under it are printed relative */
  char **files;         /* when nfiles > 0: list only functions in these */
  int nfiles;           /* (real paths) */
} rp_opts;

/* Is `path` one of o's files (or is there no file filter)? */
int rp_selected(const rp_opts *o, const char *path);

/* Counts of TUs (and how many this run parsed or reused from the cache),
 * functions and verdicts per property. */
int rp_summary(pdb *db, FILE *out, long parsed, long cached);
/* `FILE:LINE:COL: NAME tls=V panic=V migrate=V` per defined function. */
int rp_dump_verdicts(pdb *db, FILE *out, const rp_opts *o);
/* Stage 3: the --dump=verdicts line plus ` migrate=V` and, when not
 * proven, `: ` and its witness (docs/stage3.md). */
int rp_dump_migrate(pdb *db, FILE *out, const rp_opts *o);
/* One JSON object per defined function, with witness paths. */
int rp_export_jsonl(pdb *db, FILE *out);
/* Every function named `name` with each non-proven property's path.
 * Returns 0, -1 on database error, 1 when no such function exists. */
int rp_explain(pdb *db, FILE *out, const char *name, const rp_opts *o);
/* The C verdict table for the runtime shim (see export_c.h). */
int rp_export_c(pdb *db, FILE *out, const char *analysis_hash);

#endif /* FNPROP_REPORT_H */
