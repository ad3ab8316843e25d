/* SPDX-License-Identifier: MIT */
/*
 * graph.h - the whole-program call graph (prefix gr_).
 *
 * Built by folding the facts of every TU (fresh or cached) into one graph
 * keyed by function identity (USR, plus the defining file's real path for
 * internal linkage).  Variants join: a function seen in several TUs, or a
 * file compiled twice with different flags, or an external name defined by
 * several programs of one database, is one node carrying the union of all
 * its bodies' effects and calls — never one definition picked silently.
 *
 * gr_finish sorts nodes by identity and edges by (caller, site, callee), so
 * the graph (and everything computed from it) is independent of TU order,
 * and derives each node's base verdicts: its own direct effects, its
 * unresolved calls, or for a bodiless function the model.
 */
#ifndef FNPROP_GRAPH_H
#define FNPROP_GRAPH_H

#include "facts.h"
#include "solver.h"

typedef struct gr_reason {
  uint8_t kind;          /* fx_kind; FX_NONE when the base is proven */
  const char *detail;    /* variable, callee or type name */
  ft_loc site;           /* where it happens */
  ft_loc decl;           /* where the entity is declared, if known */
} gr_reason;

typedef struct gr_node {
  const char *key;       /* usr "\x1f" path_key */
  const char *usr, *path_key, *name;
  ft_loc loc;
  uint8_t external, has_body, noreturn, weak, incomplete, system;
  uint32_t annots;
  int32_t spawn_param;
  gr_reason base[VD_NPROPS];
} gr_node;

typedef struct gr_graph {
  struct { gr_node *v; size_t n, cap; } nodes;
  struct { sv_edge *v; size_t n, cap; } edges;
  struct { ft_loc *v; size_t n, cap; } sites;   /* call site of each edge */
  ut_arena arena;
  ut_map index;          /* key -> node */
  int failed;            /* sticky allocation failure */
} gr_graph;

gr_graph *gr_create(void);
void gr_destroy(gr_graph *g);
/* Folds one TU's facts in; strings are copied.  Returns 0 or -1 (memory). */
int gr_add_tu(gr_graph *g, const ft_tu *tu);
/* Sorts, deduplicates and computes base verdicts.  Returns 0 or -1. */
int gr_finish(gr_graph *g);
/* Base verdicts laid out as sv_solve wants them (n * VD_NPROPS bytes);
 * malloc'd, caller frees. */
uint8_t *gr_base_verdicts(const gr_graph *g);
/* Node index of key "usr\x1fpath_key", or -1. */
long gr_find(const gr_graph *g, const char *usr, const char *path_key);

#endif /* FNPROP_GRAPH_H */
