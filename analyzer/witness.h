/* SPDX-License-Identifier: MIT */
/*
 * witness.h - witness paths read back from the properties database
 * (prefix wt_).
 *
 * One walker and one step type for every output that shows why a verdict
 * holds: explain and the diff's listing (wt_write_text), the JSON Lines
 * export and the diff's JSON (wt_write_json), and the diagnostics' notes,
 * which the diagnostics word from the same steps (diag_witness.c) and
 * print as clang text or SARIF.  Each verdict row stores only its next
 * hop, so storage stays linear even for a 100,000-deep call chain; a walk
 * is bounded by the number of functions, so a damaged database cannot make
 * it loop.
 */
#ifndef FNPROP_WITNESS_H
#define FNPROP_WITNESS_H

#include <stdio.h>

#include "pdb.h"
#include "util.h"

/* One step of a witness path: the function `func` calls `callee` at
 * file:line:col, or, at the last step (callee NULL), has the reason (kind,
 * detail) there.  Every string is malloc'd and owned by the path. */
typedef struct wt_step {
  char *func;
  int has_body;           /* func has a body in the program */
  char *file;             /* "" when unknown */
  int line, col;
  char *callee;           /* the next function; NULL at the last step */
  int how;                /* vc_edge: how callee is called */
  char *through;          /* callbacks and spawns: the function that calls it, or NULL */
  int kind;               /* last step: fx_kind of the reason */
  char *detail;           /* last step: its detail ("" otherwise) */
  char *decl_file;        /* last step: where the reason's entity is declared ("" if unknown) */
  int decl_line;
  char *origin;           /* last step: model entry, annotation or built-in; NULL if none */
  long elided;            /* > 0: not a step but this many steps left out */
  int64_t id;             /* func's id in the database (0 for an elided run) */
} wt_step;

typedef struct wt_path {
  wt_step *v;
  size_t n, cap;
} wt_path;

void wt_path_free(wt_path *p);

/* Every function name and witness hop, read once, for outputs that walk
 * many paths (the export of a 100,000-deep chain walks 64 hops for each of
 * 100,000 functions).  NULL on a database or memory error. */
typedef struct wt_cache wt_cache;
wt_cache *wt_cache_load(pdb *db);
void wt_cache_free(wt_cache *c);

/* Appends the witness path of property prop of function func (a pdb id) to
 * path, reading from c when given, else from the database hop by hop.
 * max_steps 0 keeps every step; otherwise a longer path keeps its first
 * max_steps - 1 steps, then one step with `elided` set, then the last.
 * Returns 0, or -1 on a database or memory error. */
int wt_walk(pdb *db, wt_cache *c, int64_t func, int prop, long max_steps, wt_path *path);

/* The words of step s: "calls 'g'", "passes 'g' to 'qsort', which calls
 * it", or for the last step its reason and, with `origin` set, the label
 * of where it came from ("... [model models/libc.model:12]"). */
void wt_step_text(char *buf, size_t n, const wt_step *s, int origin);

/* The explain format: one line per step, numbered ("  #0 f at a.c:3:5:
 * calls 'g'", as explain prints it) or indented under a change ("    f at
 * a.c:3:5: calls 'g'", as diff prints it); paths below cwd (may be NULL)
 * relative.  Returns 0 or -1 on a write error. */
int wt_write_text(FILE *out, const wt_path *p, const char *cwd, int numbered);

/* The JSON form: an array of step objects ({"function", "file", "line",
 * "column", then "calls" with "how" and "through", or "effect", "detail",
 * "message" and "model"; an elided run as {"elided": N}). */
void wt_write_json(ut_buf *b, const wt_path *p);

#endif /* FNPROP_WITNESS_H */
