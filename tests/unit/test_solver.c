/* SPDX-License-Identifier: MIT */
/*
 * test_solver.c - Check suite for the SCC verdict solver (analyzer/solver.c).
 *
 * Invariant checked everywhere: a node's verdict is the maximum base over
 * everything it reaches, and its witness chain is made of real edges whose
 * callees carry the same verdict and ends, within n hops, at a node whose
 * base is that verdict.  Random graphs are checked against a brute-force
 * oracle (reachability matrix, naive SCCs and distances); the PRNG is a
 * fixed-seed xorshift so every run sees the same graphs.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* getrlimit, setrlimit */
#endif
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#endif

#include "../check_run.h"
#include "solver.h"
#include "verdict.h"

#define TLS   VD_TLS
#define PANIC VD_PANIC
#define P     VD_PROVEN
#define U     VD_UNKNOWN
#define V     VD_VIOLATED

typedef struct t_graph {
  uint32_t n;
  size_t m, cap;
  uint8_t *base;
  sv_edge *edges;
  sv_result *out;
} t_graph;

static t_graph *t_new(uint32_t n, size_t cap) {
  t_graph *g = calloc(1, sizeof *g);
  ck_assert_ptr_nonnull(g);
  g->n = n, g->cap = cap;
  g->base = calloc((size_t)n * VD_NPROPS + 1, 1);
  g->edges = calloc(cap + 1, sizeof *g->edges);
  g->out = calloc((size_t)n + 1, sizeof *g->out);
  ck_assert(g->base && g->edges && g->out);
  return g;
}

static void t_free(t_graph *g) { free(g->base), free(g->edges), free(g->out), free(g); }

static void t_edge(t_graph *g, uint32_t s, uint32_t d) {
  if (g->m >= g->cap) ck_abort_msg("test graph holds only %zu edges", g->cap);
  g->edges[g->m].src = s, g->edges[g->m].dst = d;
  g->m++;
}

static void t_base(t_graph *g, uint32_t u, int p, uint8_t v) { g->base[(size_t)u * VD_NPROPS + p] = v; }
static uint8_t t_get_base(const t_graph *g, uint32_t u, int p) { return g->base[(size_t)u * VD_NPROPS + p]; }

/* Solves g into garbage-filled results, so every field must be written. */
static void t_solve(t_graph *g) {
  memset(g->out, 0xa5, (size_t)g->n * sizeof *g->out);
  ck_assert_int_eq(sv_solve(g->n, g->base, g->m, g->edges, g->out), 0);
}

/* Asserts node u's verdict and witness for property p. */
static void t_expect(const t_graph *g, uint32_t u, int p, uint8_t v, uint8_t why, uint32_t edge) {
  const sv_result *r = &g->out[u];
  if (r->verdict[p] != v || r->witness[p].why != why || (why == SV_WHY_EDGE && r->witness[p].edge != edge))
    ck_abort_msg("node %u prop %d: verdict %u why %u edge %u, want %u %u %u", u, p, r->verdict[p], r->witness[p].why,
                 r->witness[p].edge, v, why, edge);
}

/* Why hop u of a witness chain for p with verdict v is wrong, or NULL.
 * (Plain tests: a passing ck_assert costs a write to Check's pipe.) */
static const char *t_hop_error(const t_graph *g, uint32_t u, int p, uint8_t v) {
  const sv_witness *w = &g->out[u].witness[p];
  if (g->out[u].verdict[p] != v) return "verdict changes along the chain";
  if (t_get_base(g, u, p) == v && w->why != SV_WHY_BASE) return "base equals verdict but why != base";
  if (w->why == SV_WHY_BASE) return NULL;
  if (w->why != SV_WHY_EDGE) return "why is neither base nor edge";
  if (w->edge >= g->m) return "witness edge out of range";
  if (g->edges[w->edge].src != u) return "witness edge does not leave the node";
  return NULL;
}

/* Follows u's witness chain for p, checking every hop; returns the hops. */
static uint32_t t_walk(const t_graph *g, uint32_t u, int p) {
  uint8_t v = g->out[u].verdict[p];
  if (v == VD_PROVEN) {
    if (g->out[u].witness[p].why != SV_WHY_NONE) ck_abort_msg("node %u prop %d: proven with a witness", u, p);
    return 0;
  }
  for (uint32_t hops = 0; hops <= g->n; hops++) {
    const char *err = t_hop_error(g, u, p, v);
    if (err) ck_abort_msg("node %u prop %d hop %u: %s", u, p, hops, err);
    if (g->out[u].witness[p].why == SV_WHY_BASE) return hops;
    u = g->edges[g->out[u].witness[p].edge].dst;
  }
  ck_abort_msg("witness chain longer than n = %u hops", g->n);
  return 0;
}

/* sv_witness_depths against walking every chain: depth = hops + 1, and
 * terminal = the node where the walk stops. */
static void t_check_depths(const t_graph *g) {
  uint32_t *depth = calloc((size_t)g->n * VD_NPROPS + 1, sizeof *depth);
  uint32_t *term = calloc((size_t)g->n * VD_NPROPS + 1, sizeof *term);
  ck_assert(depth && term);
  ck_assert_int_eq(sv_witness_depths(g->n, g->edges, g->out, depth, term), 0);
  for (uint32_t u = 0; u < g->n; u++)
    for (int p = 0; p < VD_NPROPS; p++) {
      uint32_t v = u, hops = 0;
      while (g->out[v].witness[p].why == SV_WHY_EDGE && hops <= g->n)
        v = g->edges[g->out[v].witness[p].edge].dst, hops++;
      size_t at = (size_t)u * VD_NPROPS + p;
      if (depth[at] != hops + 1 || term[at] != v)
        ck_abort_msg("node %u prop %d: depth %u terminal %u, want %u %u", u, p, depth[at], term[at], hops + 1, v);
    }
  free(depth), free(term);
}

START_TEST(test_empty) {
  ck_assert_int_eq(sv_solve(0, NULL, 0, NULL, NULL), 0);
  sv_edge e = {0, 0};
  ck_assert_int_eq(sv_solve(0, NULL, 1, &e, NULL), -1);
}
END_TEST

START_TEST(test_single_bases) {
  for (uint8_t a = P; a <= V; a++)
    for (uint8_t b = P; b <= V; b++) {
      t_graph *g = t_new(1, 0);
      t_base(g, 0, TLS, a), t_base(g, 0, PANIC, b);
      t_solve(g);
      t_expect(g, 0, TLS, a, a == P ? SV_WHY_NONE : SV_WHY_BASE, 0);
      t_expect(g, 0, PANIC, b, b == P ? SV_WHY_NONE : SV_WHY_BASE, 0);
      t_free(g);
    }
}
END_TEST

START_TEST(test_chain) {
  t_graph *g = t_new(4, 3);
  t_edge(g, 2, 3), t_edge(g, 0, 1), t_edge(g, 1, 2); /* edges out of order */
  t_base(g, 3, TLS, V);
  t_solve(g);
  t_expect(g, 0, TLS, V, SV_WHY_EDGE, 1);
  t_expect(g, 1, TLS, V, SV_WHY_EDGE, 2);
  t_expect(g, 2, TLS, V, SV_WHY_EDGE, 0);
  t_expect(g, 3, TLS, V, SV_WHY_BASE, 0);
  for (uint32_t u = 0; u < 4; u++) t_expect(g, u, PANIC, P, SV_WHY_NONE, 0);
  ck_assert_uint_eq(t_walk(g, 0, TLS), 3);
  t_free(g);
}
END_TEST

START_TEST(test_diamond) {
  t_graph *g = t_new(4, 4);
  t_edge(g, 0, 2), t_edge(g, 0, 1), t_edge(g, 1, 3), t_edge(g, 2, 3);
  t_base(g, 2, TLS, U), t_base(g, 3, TLS, V);
  t_base(g, 1, PANIC, U);
  t_solve(g);
  t_expect(g, 0, TLS, V, SV_WHY_EDGE, 0); /* both branches violated: lowest edge */
  t_expect(g, 1, TLS, V, SV_WHY_EDGE, 2);
  t_expect(g, 2, TLS, V, SV_WHY_EDGE, 3); /* violated callee beats unknown base */
  t_expect(g, 3, TLS, V, SV_WHY_BASE, 0);
  t_expect(g, 0, PANIC, U, SV_WHY_EDGE, 1); /* only the 0 -> 1 branch */
  t_expect(g, 1, PANIC, U, SV_WHY_BASE, 0);
  t_expect(g, 2, PANIC, P, SV_WHY_NONE, 0);
  t_expect(g, 3, PANIC, P, SV_WHY_NONE, 0);
  t_free(g);
}
END_TEST

START_TEST(test_self_loop) {
  t_graph *g = t_new(4, 4);
  t_edge(g, 0, 0), t_edge(g, 1, 1), t_edge(g, 2, 2), t_edge(g, 2, 3);
  t_base(g, 1, TLS, V), t_base(g, 3, TLS, V);
  t_solve(g);
  t_expect(g, 0, TLS, P, SV_WHY_NONE, 0);
  t_expect(g, 1, TLS, V, SV_WHY_BASE, 0);
  t_expect(g, 2, TLS, V, SV_WHY_EDGE, 3); /* never the self loop */
  ck_assert_uint_eq(t_walk(g, 2, TLS), 1);
  t_free(g);
}
END_TEST

START_TEST(test_clean_cycle) {
  t_graph *g = t_new(4, 4);
  t_edge(g, 0, 1), t_edge(g, 1, 2), t_edge(g, 2, 0), t_edge(g, 2, 3);
  t_solve(g);
  for (uint32_t u = 0; u < 4; u++)
    for (int p = 0; p < VD_NPROPS; p++) t_expect(g, u, p, P, SV_WHY_NONE, 0);
  t_free(g);
}
END_TEST

START_TEST(test_tainted_cycle) {
  t_graph *g = t_new(5, 5);
  for (uint32_t i = 0; i < 5; i++) t_edge(g, i, (i + 1) % 5);
  t_base(g, 3, TLS, V);
  t_solve(g);
  t_expect(g, 3, TLS, V, SV_WHY_BASE, 0);
  for (uint32_t i = 0; i < 5; i++) {
    if (i != 3) t_expect(g, i, TLS, V, SV_WHY_EDGE, i);
    ck_assert_uint_eq(t_walk(g, i, TLS), (3 - i + 5) % 5);
    t_expect(g, i, PANIC, P, SV_WHY_NONE, 0);
  }
  t_free(g);
}
END_TEST

START_TEST(test_cycle_exit_source) {
  /* 0 -> 1 -> 2 -> 0 and 1 -> 3; only 3 (outside the SCC) is violated. */
  t_graph *g = t_new(4, 4);
  t_edge(g, 0, 1), t_edge(g, 1, 2), t_edge(g, 2, 0), t_edge(g, 1, 3);
  t_base(g, 3, PANIC, V);
  t_solve(g);
  t_expect(g, 1, PANIC, V, SV_WHY_EDGE, 3);
  t_expect(g, 0, PANIC, V, SV_WHY_EDGE, 0);
  t_expect(g, 2, PANIC, V, SV_WHY_EDGE, 2);
  ck_assert_uint_eq(t_walk(g, 2, PANIC), 3);
  t_free(g);
}
END_TEST

START_TEST(test_violated_beats_unknown) {
  t_graph *g = t_new(3, 2);
  t_edge(g, 0, 1), t_edge(g, 0, 2);
  t_base(g, 0, TLS, U), t_base(g, 1, TLS, U), t_base(g, 2, TLS, V);
  t_solve(g);
  t_expect(g, 0, TLS, V, SV_WHY_EDGE, 1);
  t_expect(g, 1, TLS, U, SV_WHY_BASE, 0);
  ck_assert_uint_eq(t_walk(g, 0, TLS), 1);
  t_free(g);
}
END_TEST

START_TEST(test_property_independence) {
  t_graph *g = t_new(3, 2);
  t_edge(g, 0, 1), t_edge(g, 0, 2);
  t_base(g, 1, TLS, V), t_base(g, 2, PANIC, U);
  t_solve(g);
  t_expect(g, 0, TLS, V, SV_WHY_EDGE, 0);
  t_expect(g, 0, PANIC, U, SV_WHY_EDGE, 1);
  t_expect(g, 1, PANIC, P, SV_WHY_NONE, 0);
  t_expect(g, 2, TLS, P, SV_WHY_NONE, 0);
  t_free(g);
}
END_TEST

START_TEST(test_bad_input) {
  t_graph *g = t_new(3, 2);
  t_edge(g, 0, 1), t_edge(g, 1, 3);
  ck_assert_int_eq(sv_solve(g->n, g->base, g->m, g->edges, g->out), -1);
  g->edges[1].src = 3, g->edges[1].dst = 0;
  ck_assert_int_eq(sv_solve(g->n, g->base, g->m, g->edges, g->out), -1);
  g->edges[1].src = 1;
  t_base(g, 2, PANIC, 3); /* not a verdict */
  ck_assert_int_eq(sv_solve(g->n, g->base, g->m, g->edges, g->out), -1);
  t_base(g, 2, PANIC, V);
  ck_assert_int_eq(sv_solve(g->n, g->base, g->m, g->edges, g->out), 0);
  ck_assert_int_eq(sv_solve(g->n, g->base, 1, NULL, g->out), -1);
  ck_assert_int_eq(sv_solve(g->n, NULL, g->m, g->edges, g->out), -1);
  t_free(g);
}
END_TEST

START_TEST(test_long_chain) {
  const uint32_t n = 200000;
  t_graph *g = t_new(n, n - 1);
  for (uint32_t i = n - 1; i > 0; i--) t_edge(g, i - 1, i); /* reverse order */
  t_base(g, n - 1, TLS, V);
  t_solve(g);
  t_expect(g, 0, TLS, V, SV_WHY_EDGE, n - 2);
  ck_assert_uint_eq(t_walk(g, 0, TLS), n - 1);
  t_expect(g, 0, PANIC, P, SV_WHY_NONE, 0);
  uint32_t *depth = calloc((size_t)n * VD_NPROPS, sizeof *depth), *term = calloc((size_t)n * VD_NPROPS, sizeof *term);
  ck_assert(depth && term);
  ck_assert_int_eq(sv_witness_depths(n, g->edges, g->out, depth, term), 0); /* linear, or this times out */
  ck_assert_uint_eq(depth[0 * VD_NPROPS + TLS], n);
  ck_assert_uint_eq(term[0 * VD_NPROPS + TLS], n - 1);
  ck_assert_uint_eq(depth[(size_t)(n / 2) * VD_NPROPS + TLS], n - n / 2);
  ck_assert_uint_eq(depth[0 * VD_NPROPS + PANIC], 1);
  free(depth), free(term);
  t_free(g);
}
END_TEST

START_TEST(test_long_cycle) {
  const uint32_t n = 200000;
  t_graph *g = t_new(n, n);
  for (uint32_t i = 0; i < n; i++) t_edge(g, i, (i + 1) % n);
  t_base(g, 0, PANIC, U);
  t_solve(g);
  ck_assert_uint_eq(t_walk(g, 1, PANIC), n - 1);
  t_expect(g, n - 1, PANIC, U, SV_WHY_EDGE, n - 1);
  t_free(g);
}
END_TEST

START_TEST(test_deterministic) {
  t_graph *g = t_new(6, 9);
  t_edge(g, 0, 1), t_edge(g, 1, 2), t_edge(g, 2, 0), t_edge(g, 2, 3), t_edge(g, 3, 4);
  t_edge(g, 4, 3), t_edge(g, 4, 5), t_edge(g, 1, 5), t_edge(g, 0, 1);
  t_base(g, 5, TLS, V), t_base(g, 3, PANIC, U);
  t_solve(g);
  sv_result first[6];
  memcpy(first, g->out, sizeof first);
  t_solve(g);
  for (uint32_t u = 0; u < 6; u++)
    for (int p = 0; p < VD_NPROPS; p++) {
      ck_assert_uint_eq(g->out[u].verdict[p], first[u].verdict[p]);
      ck_assert_uint_eq(g->out[u].witness[p].why, first[u].witness[p].why);
      if (first[u].witness[p].why == SV_WHY_EDGE)
        ck_assert_uint_eq(g->out[u].witness[p].edge, first[u].witness[p].edge);
    }
  t_free(g);
}
END_TEST

/* ------------------------------------------------ random graphs vs oracle */

#define T_MAXN 60

static uint64_t t_rng = 0x9e3779b97f4a7c15u;

static uint32_t t_rand(uint32_t bound) {
  t_rng ^= t_rng << 13, t_rng ^= t_rng >> 7, t_rng ^= t_rng << 17;
  return (uint32_t)(t_rng % bound);
}

/* Brute-force state: reach[u][v] = v reachable from u (u reaches itself). */
typedef struct t_oracle {
  uint8_t reach[T_MAXN][T_MAXN];
  uint8_t verdict[T_MAXN][VD_NPROPS];
  uint32_t dist[T_MAXN];
} t_oracle;

static void t_random_graph(t_graph *g) {
  uint32_t density = 1 + t_rand(4); /* edges per node, roughly */
  uint32_t m = t_rand(density * g->n + 1);
  for (uint32_t e = 0; e < m && g->n > 0; e++) t_edge(g, t_rand(g->n), t_rand(g->n));
  uint32_t rare = 3 + t_rand(20);
  for (uint32_t u = 0; u < g->n; u++)
    for (int p = 0; p < VD_NPROPS; p++) t_base(g, u, p, t_rand(rare) == 0 ? 1 + t_rand(2) : P);
}

static void t_oracle_reach(const t_graph *g, t_oracle *o) {
  memset(o->reach, 0, sizeof o->reach);
  for (uint32_t u = 0; u < g->n; u++) o->reach[u][u] = 1;
  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t e = 0; e < g->m; e++)
      for (uint32_t x = 0; x < g->n; x++)
        if (o->reach[x][g->edges[e].src] && !o->reach[x][g->edges[e].dst])
          o->reach[x][g->edges[e].dst] = 1, changed = 1;
  }
  for (uint32_t u = 0; u < g->n; u++)
    for (int p = 0; p < VD_NPROPS; p++) {
      o->verdict[u][p] = P;
      for (uint32_t v = 0; v < g->n; v++)
        if (o->reach[u][v] && t_get_base(g, v, p) > o->verdict[u][p]) o->verdict[u][p] = t_get_base(g, v, p);
    }
}

static int t_same_scc(const t_oracle *o, uint32_t a, uint32_t b) { return o->reach[a][b] && o->reach[b][a]; }

/* Lowest-index edge from u leaving its SCC to a callee with verdict v. */
static uint32_t t_exit_edge(const t_graph *g, const t_oracle *o, uint32_t u, int p) {
  for (size_t e = 0; e < g->m; e++)
    if (g->edges[e].src == u && !t_same_scc(o, u, g->edges[e].dst) &&
        o->verdict[g->edges[e].dst][p] == o->verdict[u][p])
      return (uint32_t)e;
  return UINT32_MAX;
}

/* Naive distances inside SCCs to the source members, for property p. */
static void t_oracle_dist(const t_graph *g, t_oracle *o, int p) {
  for (uint32_t u = 0; u < g->n; u++) {
    int src = t_get_base(g, u, p) == o->verdict[u][p] || t_exit_edge(g, o, u, p) != UINT32_MAX;
    o->dist[u] = src ? 0 : UINT32_MAX;
  }
  for (uint32_t round = 0; round < g->n; round++)
    for (size_t e = 0; e < g->m; e++) {
      uint32_t s = g->edges[e].src, d = g->edges[e].dst;
      if (t_same_scc(o, s, d) && o->dist[d] != UINT32_MAX && o->dist[d] + 1 < o->dist[s]) o->dist[s] = o->dist[d] + 1;
    }
}

/* The canonical witness of u for p (see solver.c's header comment). */
static sv_witness t_oracle_witness(const t_graph *g, const t_oracle *o, uint32_t u, int p) {
  sv_witness w = {SV_WHY_NONE, 0};
  if (o->verdict[u][p] == P) return w;
  w.why = SV_WHY_BASE;
  if (t_get_base(g, u, p) == o->verdict[u][p]) return w;
  w.why = SV_WHY_EDGE, w.edge = t_exit_edge(g, o, u, p);
  if (w.edge != UINT32_MAX) return w;
  for (size_t e = 0; e < g->m; e++) {
    uint32_t d = g->edges[e].dst;
    if (g->edges[e].src == u && t_same_scc(o, u, d) && o->dist[d] + 1 == o->dist[u]) {
      w.edge = (uint32_t)e;
      break;
    }
  }
  ck_assert_uint_ne(w.edge, UINT32_MAX);
  return w;
}

static void t_check_random(const t_graph *g, t_oracle *o) {
  t_oracle_reach(g, o);
  for (int p = 0; p < VD_NPROPS; p++) {
    t_oracle_dist(g, o, p);
    for (uint32_t u = 0; u < g->n; u++) {
      sv_witness want = t_oracle_witness(g, o, u, p);
      t_expect(g, u, p, o->verdict[u][p], want.why, want.edge);
      t_walk(g, u, p); /* fails on more than n hops */
    }
  }
}

/* sv_sccs against brute-force reachability (after t_check_random): one
 * component exactly when two nodes reach each other, and a callee's
 * component closes before its caller's. */
static void t_check_sccs(const t_graph *g, const t_oracle *o) {
  uint32_t comp[T_MAXN + 1];
  ck_assert_int_eq(sv_sccs(g->n, g->m, g->edges, comp), 0);
  for (uint32_t u = 0; u < g->n; u++)
    for (uint32_t v = 0; v < g->n; v++) {
      int same = u == v || t_same_scc(o, u, v);
      if ((comp[u] == comp[v]) != same) ck_abort_msg("nodes %u %u: components %u %u", u, v, comp[u], comp[v]);
      if (!same && o->reach[u][v] && comp[v] >= comp[u])
        ck_abort_msg("%u reaches %u but component %u does not close before %u", u, v, comp[v], comp[u]);
    }
}

START_TEST(test_random_vs_oracle) {
  static t_oracle o;
  for (int round = 0; round < 200; round++) {
    uint32_t n = t_rand(T_MAXN + 1);
    t_graph *g = t_new(n, 4 * (size_t)n + 1);
    t_random_graph(g);
    t_solve(g);
    t_check_random(g, &o);
    t_check_depths(g);
    t_check_sccs(g, &o);
    t_free(g);
  }
}
END_TEST

/* ------------------------------------------------------ allocation failure */

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define T_NO_RLIMIT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define T_NO_RLIMIT 1
#endif

START_TEST(test_alloc_failure) {
#if defined(__linux__) && !defined(T_NO_RLIMIT)
  /* Caps the address space just above what is mapped now, so the solver's
   * scratch block (about 44 bytes a node) cannot be allocated. */
  const uint32_t n = 4000000;
  uint8_t *base = calloc((size_t)n * VD_NPROPS, 1);
  sv_result *out = malloc((size_t)n * sizeof *out);
  ck_assert(base && out);
  unsigned long pages = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
  fclose(f);
  struct rlimit old, cap;
  ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
  cap = old;
  cap.rlim_cur = (rlim_t)pages * 4096 + (64u << 20);
  if (old.rlim_max != RLIM_INFINITY && cap.rlim_cur > old.rlim_max) cap.rlim_cur = old.rlim_max;
  ck_assert_int_eq(setrlimit(RLIMIT_AS, &cap), 0);
  int rc = sv_solve(n, base, 0, NULL, out);
  ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
  ck_assert_int_eq(rc, -1);
  free(base), free(out);
#endif
}
END_TEST

static Suite *t_suite(void) {
  Suite *s = suite_create("solver");
  TCase *small = tcase_create("small");
  tcase_add_test(small, test_empty);
  tcase_add_test(small, test_single_bases);
  tcase_add_test(small, test_chain);
  tcase_add_test(small, test_diamond);
  tcase_add_test(small, test_self_loop);
  tcase_add_test(small, test_clean_cycle);
  tcase_add_test(small, test_tainted_cycle);
  tcase_add_test(small, test_cycle_exit_source);
  tcase_add_test(small, test_violated_beats_unknown);
  tcase_add_test(small, test_property_independence);
  tcase_add_test(small, test_bad_input);
  tcase_add_test(small, test_deterministic);
  suite_add_tcase(s, small);
  TCase *large = tcase_create("large");
  tcase_set_timeout(large, 60);
  tcase_add_test(large, test_long_chain);
  tcase_add_test(large, test_long_cycle);
  tcase_add_test(large, test_random_vs_oracle);
  tcase_add_test(large, test_alloc_failure);
  suite_add_tcase(s, large);
  return s;
}

int main(void) { return check_run(t_suite()); }
