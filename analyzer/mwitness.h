/* SPDX-License-Identifier: MIT */
/*
 * mwitness.h - the stage-3 `migrate` witness read back from the properties
 * database (prefix mw_): the callee hops from a task entry down to the
 * function with the finding, then the finding's three steps (the
 * thread-local access, the suspension point, the use after it) or the
 * reason for `unknown`.  One walker for explain, the JSON Lines export and
 * the fnprop-task-unmigratable diagnostic (docs/stage3.md).
 */
#ifndef FNPROP_MWITNESS_H
#define FNPROP_MWITNESS_H

#include <stdio.h>

#include "pdb.h"
#include "util.h"

/* A place and its words; file "" when unknown. */
typedef struct mw_step {
  char *file;
  int line, col;
  char *text;
} mw_step;

/* One callee hop: `func` calls `callee` at file:line:col. */
typedef struct mw_hop {
  char *func, *callee, *file;
  int line, col;
} mw_hop;

/* Every string is malloc'd and owned by the path. */
typedef struct mw_path {
  int verdict;            /* vd_verdict; proven: nothing else is set */
  struct {
    mw_hop *v;
    size_t n, cap;
  } hops;
  long elided;            /* > 0: this many hops left out after the listed ones */
  char *func;             /* the function with the finding or the reason */
  mw_step at;             /* the finding or reason in words, where it is detected */
  int finding;            /* the three steps below are set (a violation; else a reason) */
  mw_step access, susp, use;
} mw_path;

void mw_path_free(mw_path *p);

/* Fills p with the migrate witness of function id func (named name).
 * max_hops 0 keeps every hop; otherwise at most max_hops are listed, the
 * rest counted in `elided`.  The walk follows stored hops, at most one per
 * function of the program, so it ends on any database.  0, or -1 on a
 * database or memory error. */
int mw_walk(pdb *db, int64_t func, const char *name, long max_hops, mw_path *p);

/* The JSON form of a non-proven path: {"calls":[{"function","file","line",
 * "column","calls"}...], "function", "message", then "access", "suspension"
 * and "use" ({"file","line","column","text"}) for a violation, or "reason"
 * for unknown. */
void mw_write_json(ut_buf *b, const mw_path *p);

/* The explain form: numbered hops ("  #0 f at a.c:3:5: calls 'g'"), the
 * function with the finding and its steps, one a line; paths below cwd
 * (may be NULL) relative.  0, or -1 on a write error. */
int mw_write_text(FILE *out, const mw_path *p, const char *cwd);

/* Writes text to b with every "CWD/" prefix of a path dropped (cwd may be
 * NULL: unchanged). */
void mw_relative(ut_buf *b, const char *text, const char *cwd);

#endif /* FNPROP_MWITNESS_H */
