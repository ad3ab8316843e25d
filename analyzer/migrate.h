/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - stage 3 over the whole program: the `migrate` verdict of every
 * function (prefix mg_).
 *
 * Collects the flow facts of every TU (mg_add_tu, one copy per distinct
 * body of a function), then, on the finished call graph, computes which
 * functions may suspend (reachability to a yield), the summaries of every
 * function bottom-up over the strongly connected components (flow.h's
 * analysis, an SCC with a cycle re-analysed until its summaries are
 * stable), each function's own finding, and finally the verdict as the
 * join over the call graph with the solver (sv_solve), so every non-proven
 * verdict has a witness: the function's own finding, or the call of a
 * callee with the same verdict.  Semantics: docs/stage3.md.
 *
 * Knows nothing of libclang or SQLite; results are plain structs whose
 * strings the context owns.
 */
#ifndef FNPROP_MIGRATE_H
#define FNPROP_MIGRATE_H

#include "facts.h"
#include "flow.h"
#include "graph.h"

/* mg_result.kind of a thread-bound address or value the compiler may keep
 * from before a suspension (docs/stage3.md §6a); fl_find_kind otherwise. */
#define MG_FIND_CACHED 16

typedef struct mg_result {
  uint8_t verdict;        /* vd_verdict */
  uint8_t why;            /* SV_WHY_NONE, SV_WHY_BASE (own finding or reason), SV_WHY_EDGE */
  uint32_t edge;          /* SV_WHY_EDGE: graph edge to a callee with the same verdict */
  uint8_t kind;           /* SV_WHY_BASE: fl_find_kind or MG_FIND_CACHED, 0 for a reason for unknown */
  const char *text;       /* SV_WHY_BASE: the witness in words ("" otherwise) */
  ft_loc at;              /* SV_WHY_BASE: the use after the suspension, or where the reason is */
  ft_loc access, susp;    /* SV_WHY_BASE findings: the access and the suspension point */
  ft_loc use;             /* SV_WHY_BASE findings: the use after it (or where it escapes) */
  const char *access_text, *susp_text, *use_text; /* SV_WHY_BASE findings: each step in words ("" otherwise) */
} mg_result;

typedef struct mg_ctx mg_ctx;

mg_ctx *mg_create(void);
void mg_destroy(mg_ctx *m);
/* Copies the flow facts of tu (strings too), keyed like the graph's nodes
 * when the TU is folded into program (NULL: one program).  Returns 0 or -1
 * (memory). */
int mg_add_tu(mg_ctx *m, const ft_tu *tu, const char *program);
/* Computes out[i] for every node of the finished graph g (opts as given to
 * gr_finish, NULL for the defaults).  Strings in out live until
 * mg_destroy.  Returns 0 or -1 (memory). */
int mg_solve(mg_ctx *m, const gr_graph *g, const gr_opts *opts, mg_result *out);

#endif /* FNPROP_MIGRATE_H */
