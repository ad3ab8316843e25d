/* SPDX-License-Identifier: MIT */
/*
 * ompdir.h - OpenMP directives read from their tokens (prefix od_).
 *
 * libclang gives no clause API and hides the regions of OpenMP directives,
 * so the front end parses the TU a second time without -fopenmp (where a
 * region is ordinary C) and hands this module the tokens of each
 * `#pragma omp` line.  It tells which directive it is, what its region
 * means to fnprop (a task entry, a worksharing body, nothing), which task
 * scheduling points it holds (OpenMP 5.2, "Task Scheduling"), which
 * clauses it has (untied, if, final, mergeable, nowait, ...) and which
 * tokens of its clauses are names the front end must resolve (a call, a
 * variable that may be thread-local, a macro).  No libclang here: plain
 * tokens, tested alone.
 *
 * Key invariant: closed world.  A directive or a clause not in the tables
 * (target, teams, declare ..., map, a user-defined reduction, ...) makes
 * the directive not understood, with its name in `unknown`; the front end
 * then keeps the enclosing function unknown.
 */
#ifndef FNPROP_OMPDIR_H
#define FNPROP_OMPDIR_H

#include <stddef.h>
#include <stdint.h>

/* One token of the directive, after `#pragma omp`. */
enum { OD_T_IDENT = 0, OD_T_KEYWORD = 1, OD_T_LITERAL = 2, OD_T_PUNCT = 3 };
typedef struct od_token {
  const char *s;            /* spelling */
  uint8_t kind;             /* OD_T_* */
} od_token;

/* What a directive is (od_directive.flags). */
enum {
  OD_BLOCK = 1u << 0,       /* it applies to the statement that follows */
  OD_LOOP = 1u << 1,        /* ... which is a for loop (or loop nest) */
  OD_TASK = 1u << 2,        /* its statement is an explicit task: a task entry */
  OD_TASKLOOP = 1u << 3,    /* a taskloop (tasks made from loop chunks) */
  OD_FORK = 1u << 4,        /* a parallel region: a team runs the statement */
  OD_THREADPRIVATE = 1u << 5, /* declarative: the names are thread-local */
  OD_UNTIED = 1u << 6,      /* clause untied: the task may resume on another thread */
  OD_IF = 1u << 7,          /* clause if: may be undeferred (run at once) */
  OD_FINAL = 1u << 8,       /* clause final */
  OD_MERGEABLE = 1u << 9,   /* clause mergeable */
  OD_NOWAIT = 1u << 10,     /* clause nowait: no implicit barrier */
  OD_NOGROUP = 1u << 11,    /* clause nogroup (taskloop) */
  OD_PANIC = 1u << 12,      /* `error at(execution)` without severity(warning):
                          ends the program */
};

/* Task scheduling points and other runtime operations a directive
 * performs, each named by the libomp entry point clang compiles it to
 * (models/openmp.model describes them). */
enum {
  OD_RT_FORK = 0,           /* __kmpc_fork_call: a team runs the region, then joins */
  OD_RT_BARRIER,            /* __kmpc_barrier: explicit or implicit barrier */
  OD_RT_TASK,               /* __kmpc_omp_task: a task is generated (a scheduling point) */
  OD_RT_TASKLOOP,           /* __kmpc_taskloop */
  OD_RT_TASKWAIT,           /* __kmpc_omp_taskwait */
  OD_RT_TASKYIELD,          /* __kmpc_omp_taskyield */
  OD_RT_TASKGROUP_END,      /* __kmpc_end_taskgroup: waits for the group's tasks */
  OD_RT_ERROR,              /* __kmpc_error: the error directive at run time */
  OD_NRT
};
/* The entry point's name ("__kmpc_omp_taskyield"). */
const char *od_rt_name(int rt);

/* What each token is to the front end (od_directive.role). */
enum {
  OD_R_NONE = 0,            /* a directive or clause word, a modifier, a member name, punctuation */
  OD_R_NAME = 1,            /* an identifier in a clause expression or list: resolve it */
  OD_R_CALL = 2,            /* an identifier followed by `(` in a clause expression */
  OD_R_TPNAME = 3,          /* a name listed by threadprivate */
};

typedef struct od_directive {
  char name[48];            /* canonical directive name ("parallel for") */
  uint32_t flags;           /* OD_* */
  uint32_t rt;              /* bit OD_RT_*: runtime operations performed */
  int ok;                   /* 1: understood */
  char unknown[96];         /* when not understood: what ("directive 'target'",
                       "clause 'map'", "user-defined reduction 'op'") */
  uint8_t *role;            /* one OD_R_* per token (caller's array of n) */
} od_directive;

/*
 * Parses the n tokens that follow `#pragma omp` (the caller's `role` array
 * of n bytes receives the token roles).  Returns d->ok.
 */
int od_parse(const od_token *t, size_t n, od_directive *d);

/* The directive as one line of text ("task untied if(i > 2)"), for
 * messages; truncated to fit. */
void od_text(const od_token *t, size_t n, char *buf, size_t len);

#endif /* FNPROP_OMPDIR_H */
