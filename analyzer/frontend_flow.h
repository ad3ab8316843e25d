/* SPDX-License-Identifier: MIT */
/*
 * frontend_flow.h - the stage-3 flow facts of one function body, built from
 * its libclang cursors (prefix ff_).
 *
 * Part of the front end (libclang types stay here and in frontend.c).  The
 * body walk of frontend.c calls ff_build once per definition, after it has
 * recorded the function's calls, so every direct callee is already in the
 * TU's function table.  The result goes to tu->body_flow (docs/stage3.md §3).
 * Closed world: a construct the builder does not positively handle marks
 * the function's flow not understood, with the reason and its location.
 */
#ifndef FNPROP_FRONTEND_FLOW_H
#define FNPROP_FRONTEND_FLOW_H

#include <clang-c/Index.h>

#include "facts.h"

/* Builds the flow facts of definition `def` (function `func` of tu).  Out
 * of memory sets tu->failed. */
void ff_build(ft_tu *tu, uint32_t func, CXCursor def);

/* Does the builder have a case for cursor kind k (a statement or an
 * expression it evaluates, or a declaration, reference or attribute it
 * reads or skips)?  For tests: it must agree with sx_flow_kind. */
int ff_kind_handled(enum CXCursorKind k);

/* ---- OpenMP (the second parse, frontend_omp.c) ------------------------------ */
/* One `#pragma omp` line of a function as the parse without -fopenmp sees
 * it (there its region is ordinary C): where it is, what its region is,
 * and the calls of libomp entry points that stand for its task scheduling
 * points (models/openmp.model). */
typedef struct ff_omp_dir {
  uint32_t start;                /* file offset of the pragma's `#` */
  uint32_t line, col;            /* its directive word */
  uint8_t has_stmt;              /* a block directive: its region follows */
  uint32_t stmt_start, stmt_end; /* the region statement (expansion offsets) */
  uint8_t shared;                /* the region runs on other threads (a team or a
                     task): the locals it names are shared memory */
  uint8_t bypass;                /* this thread may not run the region (single, ...) */
  const char *bad;               /* why the flow cannot follow it; NULL: it can */
  int32_t ctx;                   /* the TU function that encounters it */
  int32_t task;                  /* the task function its region is, -1: none */
  uint32_t pre[4], npre;         /* calls at the directive, before its region */
  uint32_t post[4], npost;       /* calls after its region (join, implicit barrier,
                              end of taskgroup) */
  const void *const *uses;       /* locals its clauses read (declarations' data[0]) */
  size_t nuses;
} ff_omp_dir;

typedef struct ff_omp {
  CXFile file;                   /* the file of the function */
  const ff_omp_dir *v;           /* sorted by start */
  size_t n;
  int (*is_tls)(void *arg, CXCursor var); /* thread-local, threadprivate included */
  void *arg;
} ff_omp;

/* Builds the flow facts of function `func` from the second parse: the
 * definition `def` itself (region null), or the task region `region` of
 * def (func is then the task's function: no parameters, the locals of def
 * it names are memory).  Every directive of omp encountered in func
 * becomes its calls at its place; a task region becomes the call of its
 * task function; one the builder cannot place or follow gives up. */
void ff_build_omp(ft_tu *tu, uint32_t func, CXCursor def, CXCursor region, const ff_omp *omp);

/* Stores flow facts for func that say only "not understood: why" (at). */
void ff_not_understood(ft_tu *tu, uint32_t func, const char *why, ft_loc at);

#endif /* FNPROP_FRONTEND_FLOW_H */
