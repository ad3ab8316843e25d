/* SPDX-License-Identifier: MIT */
/*
 * solver.h - whole-program fixpoint of the verdict lattice (prefix sv_).
 *
 * Input: a call graph of n nodes (functions) and m edges (call sites), and
 * for every node and property a *base* verdict that the caller derived from
 * the node's own direct effects, unresolved calls or model entry.  Output:
 * for every node and property the join of its base verdict and the final
 * verdicts of everything it reaches, plus a witness: the next hop toward the
 * reason of the verdict.
 *
 * Algorithm: strongly connected components (iterative Tarjan, no recursion,
 * so a 100,000-deep call chain cannot overflow the stack), solved in reverse
 * topological order.  All members of one SCC reach each other, so they share
 * one verdict; witnesses inside an SCC are assigned by a breadth-first search
 * backwards from the members that carry the reason, so following witnesses
 * never cycles and always ends at a node whose witness is its base.  Time and
 * memory are O(n + m).
 *
 * Determinism: for equal inputs (same node and edge order) the output is
 * identical; ties are broken by the lowest edge index.
 *
 * The solver knows nothing of libclang or SQLite: node and edge payloads are
 * opaque integers the caller maps back to its own records.
 */
#ifndef FNPROP_SOLVER_H
#define FNPROP_SOLVER_H

#include <stddef.h>
#include <stdint.h>

#include "verdict.h"

/* One call edge src -> dst.  Edges may come in any order and may repeat. */
typedef struct sv_edge {
  uint32_t src;
  uint32_t dst;
} sv_edge;

/* Why a node has its verdict for one property. */
typedef enum sv_why {
  SV_WHY_NONE = 0,  /* proven: nothing to show */
  SV_WHY_BASE = 1,  /* the node's own base verdict (direct effect, model, ...) */
  SV_WHY_EDGE = 2   /* the callee across edge `edge` has this verdict */
} sv_why;

typedef struct sv_witness {
  uint8_t why;      /* sv_why */
  uint32_t edge;    /* edge index when why == SV_WHY_EDGE */
} sv_witness;

typedef struct sv_result {
  uint8_t verdict[VD_NPROPS];     /* vd_verdict per property */
  sv_witness witness[VD_NPROPS];
} sv_result;

/*
 * Solves the graph.  base[i * VD_NPROPS + p] is node i's base verdict for
 * property p.  out must hold n results.  Edges whose src or dst is >= n are
 * an error.  Returns 0 on success, -1 on allocation failure or bad input
 * (out is then unspecified).  Borrowed: base, edges; owned by caller: out.
 * Bad input also covers a base value that is not a vd_verdict, m above
 * UINT32_MAX (witness edge indices are 32-bit) and NULL arrays that should
 * hold data; n == 0 with m == 0 succeeds.
 *
 * Witness rule: a node whose final verdict equals its base verdict (and is
 * not proven) points at its base; otherwise it points at an edge whose
 * destination has the same final verdict, chosen so that following the
 * chain strictly approaches a node that points at its base.  Precisely, the
 * edge is the lowest-index edge leaving the node's SCC to a callee with that
 * verdict if there is one, else the lowest-index edge inside the SCC to a
 * member one step closer (in edges) to a member that has a base or leaving
 * witness.  Proven nodes get SV_WHY_NONE with edge 0.  A chain therefore has
 * at most n hops, and the witnesses are a function of the graph alone.
 *
 * Cost: 36n + 12m bytes of scratch (1M nodes, 5M edges: 96 MB) in one
 * malloc, freed before returning; no recursion, so stack use is constant.
 */
int sv_solve(uint32_t n, const uint8_t *base, size_t m, const sv_edge *edges, sv_result *out);

/*
 * The strongly connected components of the graph, as sv_solve finds them:
 * comp[i] (n entries, owned by the caller) is node i's component, numbered
 * in the order they close, callees' components before their callers'
 * (reverse topological order).  Returns 0, or -1 on bad input or when out
 * of memory.
 */
int sv_sccs(uint32_t n, size_t m, const sv_edge *edges, uint32_t *comp);

/*
 * The length of every witness chain and the node it ends at, so reports can
 * elide the middle of a very long path without walking it.  For node i and
 * property p, depth[i * VD_NPROPS + p] counts the nodes from i to the end of
 * its chain (1: i's witness is its base, or i is proven) and terminal[...]
 * is that last node.  edges are the ones res's witness indices refer to.
 * Chains are acyclic (see sv_solve), so an explicit-stack walk with
 * memoization is linear.  depth and terminal hold n * VD_NPROPS entries,
 * owned by the caller.  Returns 0, or -1 when out of memory.
 */
int sv_witness_depths(uint32_t n, const sv_edge *edges, const sv_result *res, uint32_t *depth, uint32_t *terminal);

#endif /* FNPROP_SOLVER_H */
