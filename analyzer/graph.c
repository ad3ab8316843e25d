/* SPDX-License-Identifier: MIT */
/*
 * graph.c - folding TU facts into the whole-program graph.
 *
 * Reason choice is deterministic: a stronger verdict wins; among equal
 * verdicts the earliest location (file, line, column) wins, so the witness
 * does not depend on which TU was merged first.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "model.h"

gr_graph *gr_create(void) { return calloc(1, sizeof(gr_graph)); }

void gr_destroy(gr_graph *g) {
  if (!g) return;
  free(g->nodes.v);
  free(g->edges.v);
  free(g->sites.v);
  ut_map_free(&g->index);
  ut_arena_free(&g->arena);
  free(g);
}

static const char *gr_str(gr_graph *g, const char *s) {
  const char *p = ut_arena_strdup(&g->arena, s);
  if (!p) g->failed = 1;
  return p ? p : "";
}

static ft_loc gr_loc(gr_graph *g, ft_loc l) {
  l.file = gr_str(g, l.file);
  return l;
}

static int gr_loc_cmp(ft_loc a, ft_loc b) {
  int c = strcmp(a.file, b.file);
  if (c) return c;
  if (a.line != b.line) return a.line < b.line ? -1 : 1;
  return (a.col > b.col) - (a.col < b.col);
}

/* Records reason r for property p of node n if it beats the current one. */
static void gr_offer(gr_node *n, vd_prop p, gr_reason r) {
  gr_reason *cur = &n->base[p];
  vd_verdict nv = fx_get(r.kind)->verdict, cv = fx_get(cur->kind)->verdict;
  if (cur->kind == FX_NONE || nv > cv || (nv == cv && gr_loc_cmp(r.site, cur->site) < 0)) *cur = r;
}

static void gr_offer_both(gr_node *n, gr_reason r) {
  for (int p = 0; p < VD_NPROPS; p++)
    if (fx_affects(r.kind, (vd_prop)p)) gr_offer(n, (vd_prop)p, r);
}

long gr_find(const gr_graph *g, const char *usr, const char *path_key) {
  ut_buf k = {0};
  ut_buf_puts(&k, usr);
  ut_buf_add(&k, "\x1f", 1);
  ut_buf_puts(&k, path_key);
  uint32_t v;
  long r = !k.failed && ut_map_get(&g->index, k.s, &v) ? (long)v : -1;
  ut_buf_free(&k);
  return r;
}

/* Node for function f of a TU, created on first sight; UINT32_MAX on OOM. */
static uint32_t gr_node_of(gr_graph *g, const ft_func *f) {
  long found = gr_find(g, f->usr, f->path_key);
  uint32_t i;
  if (found >= 0) {
    i = (uint32_t)found;
  } else {
    gr_node n = {0};
    ut_buf k = {0};
    ut_buf_puts(&k, f->usr);
    ut_buf_add(&k, "\x1f", 1);
    ut_buf_puts(&k, f->path_key);
    n.key = k.failed ? "" : gr_str(g, k.s);
    ut_buf_free(&k);
    n.usr = gr_str(g, f->usr);
    n.path_key = gr_str(g, f->path_key);
    n.name = gr_str(g, f->name);
    n.loc = gr_loc(g, f->loc);
    n.external = f->external;
    n.system = f->system;
    i = (uint32_t)g->nodes.n;
    if (g->failed || UT_PUSH(g->nodes, n) < 0 || ut_map_put(&g->index, n.key, i) < 0) {
      g->failed = 1;
      return UINT32_MAX;
    }
  }
  gr_node *n = &g->nodes.v[i];
  if (f->has_body && (!n->has_body || gr_loc_cmp(f->loc, n->loc) < 0)) n->loc = gr_loc(g, f->loc);
  n->has_body |= f->has_body;
  n->noreturn |= f->noreturn;
  n->weak |= f->weak;
  n->annots |= f->annots;
  if (f->spawn_param) n->spawn_param = f->spawn_param;
  return i;
}

int gr_add_tu(gr_graph *g, const ft_tu *tu) {
  uint32_t *map = malloc((tu->funcs.n + 1) * sizeof *map);
  if (!map) return g->failed = 1, -1;
  for (size_t i = 0; i < tu->funcs.n; i++) {
    map[i] = gr_node_of(g, &tu->funcs.v[i]);
    if (map[i] == UINT32_MAX) goto fail;
    if (!tu->complete && tu->funcs.v[i].has_body) {
      gr_reason r = {FX_INCOMPLETE, gr_str(g, tu->file), gr_loc(g, tu->funcs.v[i].loc), {"", 0, 0}};
      g->nodes.v[map[i]].incomplete = 1;
      gr_offer_both(&g->nodes.v[map[i]], r);
    }
  }
  for (size_t i = 0; i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    sv_edge e = {map[c->caller], map[c->callee]};
    if (UT_PUSH(g->edges, e) < 0 || UT_PUSH(g->sites, gr_loc(g, c->site)) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    gr_reason r = {FX_INDIRECT, gr_str(g, c->fntype), gr_loc(g, c->site), {"", 0, 0}};
    gr_offer_both(&g->nodes.v[map[c->caller]], r);
  }
  for (size_t i = 0; i < tu->effects.n; i++) {
    const ft_effect *e = &tu->effects.v[i];
    gr_reason r = {e->kind, gr_str(g, e->detail), gr_loc(g, e->site), gr_loc(g, e->decl)};
    gr_offer_both(&g->nodes.v[map[e->func]], r);
  }
  free(map);
  return g->failed ? -1 : 0;
fail:
  free(map);
  g->failed = 1;
  return -1;
}

/* Base reasons of a function without a body anywhere in the program. */
static void gr_bodiless(gr_node *n) {
  const md_entry *m = n->external ? md_lookup(n->name) : NULL;
  for (int p = 0; p < VD_NPROPS; p++) {
    gr_reason r = {FX_NONE, n->name, n->loc, n->loc};
    uint32_t yes = p == VD_TLS ? FT_ANN_TLS : FT_ANN_PANIC;
    uint32_t no = p == VD_TLS ? FT_ANN_NOTLS : FT_ANN_NOPANIC;
    if (n->annots & yes) r.kind = p == VD_TLS ? FX_TLS_DECLARED : FX_PANIC_DECLARED;
    else if (n->annots & no) r.kind = FX_NONE;
    else if (m) r.kind = m->effect[p];
    else if (p == VD_PANIC && n->noreturn) r.kind = FX_NORETURN;
    else r.kind = FX_EXTERNAL;
    n->base[p] = r;
  }
}

/* ---- sorting -------------------------------------------------------------- */
static const gr_graph *gr_sort_graph; /* qsort has no context argument */

static int gr_node_cmp(const void *a, const void *b) {
  const gr_node *x = &gr_sort_graph->nodes.v[*(const uint32_t *)a];
  const gr_node *y = &gr_sort_graph->nodes.v[*(const uint32_t *)b];
  return strcmp(x->key, y->key);
}

static int gr_edge_cmp(const void *a, const void *b) {
  uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
  const sv_edge *x = &gr_sort_graph->edges.v[i], *y = &gr_sort_graph->edges.v[j];
  if (x->src != y->src) return x->src < y->src ? -1 : 1;
  int c = gr_loc_cmp(gr_sort_graph->sites.v[i], gr_sort_graph->sites.v[j]);
  if (c) return c;
  return (x->dst > y->dst) - (x->dst < y->dst);
}

static uint32_t *gr_iota(size_t n) {
  uint32_t *p = malloc((n + 1) * sizeof *p);
  for (size_t i = 0; p && i < n; i++) p[i] = (uint32_t)i;
  return p;
}

static int gr_sort_nodes(gr_graph *g) {
  size_t n = g->nodes.n;
  uint32_t *order = gr_iota(n), *rank = malloc((n + 1) * sizeof *rank);
  gr_node *sorted = malloc((n + 1) * sizeof *sorted);
  if (!order || !rank || !sorted) {
    free(order), free(rank), free(sorted);
    return -1;
  }
  gr_sort_graph = g;
  qsort(order, n, sizeof *order, gr_node_cmp);
  for (size_t i = 0; i < n; i++) {
    sorted[i] = g->nodes.v[order[i]];
    rank[order[i]] = (uint32_t)i;
  }
  free(g->nodes.v);
  g->nodes.v = sorted;
  g->nodes.cap = n + 1;
  for (size_t i = 0; i < n; i++) ut_map_put(&g->index, sorted[i].key, (uint32_t)i);
  for (size_t i = 0; i < g->edges.n; i++) {
    g->edges.v[i].src = rank[g->edges.v[i].src];
    g->edges.v[i].dst = rank[g->edges.v[i].dst];
  }
  free(order);
  free(rank);
  return 0;
}

static int gr_sort_edges(gr_graph *g) {
  size_t m = g->edges.n, k = 0;
  uint32_t *order = gr_iota(m);
  sv_edge *e = malloc((m + 1) * sizeof *e);
  ft_loc *s = malloc((m + 1) * sizeof *s);
  if (!order || !e || !s) {
    free(order), free(e), free(s);
    return -1;
  }
  gr_sort_graph = g;
  qsort(order, m, sizeof *order, gr_edge_cmp);
  for (size_t i = 0; i < m; i++) {
    if (k && gr_edge_cmp(&order[i], &order[i - 1]) == 0) continue; /* same call seen twice */
    e[k] = g->edges.v[order[i]];
    s[k++] = g->sites.v[order[i]];
  }
  free(g->edges.v);
  free(g->sites.v);
  g->edges.v = e;
  g->sites.v = s;
  g->edges.n = g->sites.n = k;
  g->edges.cap = g->sites.cap = m + 1;
  free(order);
  return 0;
}

int gr_finish(gr_graph *g) {
  if (g->failed || gr_sort_nodes(g) < 0 || gr_sort_edges(g) < 0) return g->failed = 1, -1;
  for (size_t i = 0; i < g->nodes.n; i++)
    if (!g->nodes.v[i].has_body) gr_bodiless(&g->nodes.v[i]);
  return 0;
}

uint8_t *gr_base_verdicts(const gr_graph *g) {
  uint8_t *b = malloc(g->nodes.n * VD_NPROPS + 1);
  for (size_t i = 0; b && i < g->nodes.n; i++)
    for (int p = 0; p < VD_NPROPS; p++) b[i * VD_NPROPS + p] = (uint8_t)fx_get(g->nodes.v[i].base[p].kind)->verdict;
  return b;
}
