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
} rp_opts;

/* Counts of TUs, functions and verdicts per property. */
int rp_summary(pdb *db, FILE *out);
/* `FILE:LINE:COL: NAME tls=V panic=V` per defined function. */
int rp_dump_verdicts(pdb *db, FILE *out, const rp_opts *o);
/* One JSON object per defined function, with witness paths. */
int rp_export_jsonl(pdb *db, FILE *out);
/* Every function named `name` with each non-proven property's path.
 * Returns 0, -1 on database error, 1 when no such function exists. */
int rp_explain(pdb *db, FILE *out, const char *name, const rp_opts *o);
/* The C verdict table for the runtime shim (see export_c.h). */
int rp_export_c(pdb *db, FILE *out, const char *analysis_hash);
/* Parse errors as `file:line:col: error: message [fnprop-parse-error]`. */
int rp_parse_errors(pdb *db, FILE *out, const rp_opts *o);

/* What a base reason means, in words ("calls 'abort', which ends the
 * program"); written into buf. */
void rp_reason_text(char *buf, size_t n, int kind, const char *detail);

#endif /* FNPROP_REPORT_H */
