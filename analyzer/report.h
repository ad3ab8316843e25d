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
/* `FILE:LINE:COL: NAME tls=V panic=V` per defined function. */
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
/* Parse errors as `file:line:col: error: message [fnprop-parse-error]`. */
int rp_parse_errors(pdb *db, FILE *out, const rp_opts *o);

/* One hop of a witness path: `caller` at file:line:col calls `callee`, or
 * at the last hop (callee NULL) has the base reason (kind, detail). */
typedef struct rp_step {
  char *caller;
  char *file;
  int line, col;
  char *callee;
  int kind;               /* fx_kind at the last hop */
  char *detail;
  long elided;            /* > 0: not a hop, this many hops left out */
  int how;                /* GR_EDGE_*: how the callee is called */
  char *through;          /* callbacks: the function that calls it back */
  char *origin;           /* last hop: model entry or annotation, or NULL */
} rp_step;

/* "calls 'g'", "calls 'g' through a function pointer", "passes 'g' to
 * 'qsort', which calls it", ...: the words for a call hop. */
void rp_call_text(char *buf, size_t n, const rp_step *s);

typedef struct rp_trail {
  rp_step *v;
  size_t n, cap;
} rp_trail;

/* Collects the witness path of property prop of function func (a pdb id)
 * into path (appending).  Returns 0 or -1 on database error. */
int rp_witness(pdb *db, int64_t func, int prop, rp_trail *path);
/* Same, with at most max_hops hops (0: all): a longer path keeps its first
 * max_hops - 1 hops, then one step with `elided` set, then the last hop. */
int rp_witness_max(pdb *db, int64_t func, int prop, long max_hops, rp_trail *path);
void rp_trail_free(rp_trail *p);

/* Is a reason's detail an inline assembly effect ("inline assembly
 * 'ud2'"), which is executed, not called? */
int rp_is_asm(const char *detail);

/* What a base reason means, in words ("calls 'abort', which ends the
 * program"); written into buf. */
void rp_reason_text(char *buf, size_t n, int kind, const char *detail);

#endif /* FNPROP_REPORT_H */
