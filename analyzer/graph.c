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
  free(g->masks.v);
  free(g->vias.v);
  free(g->icalls.v);
  free(g->addrs.v);
  free(g->resolutions.v);
  ut_map_free(&g->polluted);
  ut_map_free(&g->dropped);
  free(g->dropped_flags.v);
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
  ut_buf_pair(&k, usr, path_key);
  uint32_t v;
  long r = k.failed ? -2 : ut_map_get(&g->index, k.s, &v) ? (long)v : -1;
  ut_buf_free(&k);
  return r;
}

/* Node for function f of a TU, created on first sight; UINT32_MAX on OOM. */
static uint32_t gr_node_of(gr_graph *g, const ft_func *f) {
  long found = gr_find(g, f->usr, f->path_key);
  uint32_t i;
  if (found == -2) {
    g->failed = 1;
    return UINT32_MAX;
  }
  if (found >= 0) {
    i = (uint32_t)found;
  } else {
    gr_node n = {0};
    ut_buf k = {0};
    ut_buf_pair(&k, f->usr, f->path_key);
    if (k.failed) {
      ut_buf_free(&k);
      g->failed = 1;
      return UINT32_MAX;
    }
    n.key = gr_str(g, k.s);
    ut_buf_free(&k);
    n.usr = gr_str(g, f->usr);
    n.path_key = gr_str(g, f->path_key);
    n.name = gr_str(g, f->name);
    n.loc = gr_loc(g, f->loc);
    n.external = f->external;
    n.system = f->system;
    n.fntype = gr_str(g, f->fntype ? f->fntype : "");
    n.hdecl.file = "";
    i = (uint32_t)g->nodes.n;
    if (g->failed || UT_PUSH(g->nodes, n) < 0 || ut_map_put(&g->index, n.key, i) < 0) {
      g->failed = 1;
      return UINT32_MAX;
    }
  }
  gr_node *n = &g->nodes.v[i];
  if (f->has_body && (!n->has_body || gr_loc_cmp(f->loc, n->loc) < 0)) n->loc = gr_loc(g, f->loc);
  if (f->hdecl.file && f->hdecl.file[0] && (!n->hdecl.file || !n->hdecl.file[0] || gr_loc_cmp(f->hdecl, n->hdecl) < 0)) {
    n->hdecl = gr_loc(g, f->hdecl);
    n->hdecl_end = f->hdecl_end;
  }
  n->has_body |= f->has_body;
  n->noreturn |= f->noreturn;
  n->weak |= f->weak;
  n->annots |= f->annots;
  if (f->spawn_param) n->spawn_param = f->spawn_param;
  return i;
}

static int gr_add_edge_via(gr_graph *g, uint32_t src, uint32_t dst, ft_loc site, uint8_t mask, gr_via via) {
  sv_edge e = {src, dst};
  if (UT_PUSH(g->edges, e) < 0 || UT_PUSH(g->sites, site) < 0 || UT_PUSH(g->masks, mask) < 0 ||
      UT_PUSH(g->vias, via) < 0)
    return g->failed = 1, -1;
  return 0;
}

static int gr_add_edge(gr_graph *g, uint32_t src, uint32_t dst, ft_loc site, uint8_t mask) {
  gr_via direct = {VC_EDGE_CALL, GR_NONE};
  return gr_add_edge_via(g, src, dst, site, mask, direct);
}

static void gr_add_effect(gr_graph *g, gr_node *n, const ft_effect *e) {
  gr_reason r = {e->kind, gr_str(g, e->detail), gr_loc(g, e->site), gr_loc(g, e->decl)};
  if (e->kind == FX_UNSEEN) { /* offered in gr_finish, once annotations are known */
    if (n->unseen.kind == FX_NONE || gr_loc_cmp(r.site, n->unseen.site) < 0) n->unseen = r;
    return;
  }
  if (e->kind == FX_TLS_VAR && (e->annots & FT_ANN_MIGRATION_SAFE)) {
    if (n->ignored.kind == FX_NONE || gr_loc_cmp(r.site, n->ignored.site) < 0) n->ignored = r;
    return;
  }
  gr_offer_both(n, r);
}

/* Unseen constructs per function in this TU: a node keeps the most any
 * one variant of its body has (a header function seen by many TUs is
 * counted once). */
static int gr_count_unseen(gr_graph *g, const ft_tu *tu, const uint32_t *map) {
  uint32_t *count = NULL;
  for (size_t i = 0; i < tu->effects.n; i++) {
    if (tu->effects.v[i].kind != FX_UNSEEN) continue;
    if (!count && !(count = calloc(tu->funcs.n + 1, sizeof *count))) return -1;
    count[tu->effects.v[i].func]++;
  }
  for (size_t i = 0; count && i < tu->funcs.n; i++) {
    gr_node *n = &g->nodes.v[map[i]];
    if (count[i] > n->nunseen) n->nunseen = count[i];
  }
  free(count);
  return 0;
}

/* Compiler flags the front end left out of this TU's parse. */
static int gr_add_dropped(gr_graph *g, const ft_tu *tu) {
  if (tu->dropped.n) g->dropped_tus++;
  for (size_t i = 0; i < tu->dropped.n; i++) {
    uint32_t v;
    if (ut_map_get(&g->dropped, tu->dropped.v[i], &v)) continue;
    const char *k = gr_str(g, tu->dropped.v[i]);
    if (g->failed || ut_map_put(&g->dropped, k, 1) < 0 || UT_PUSH(g->dropped_flags, k) < 0) return -1;
  }
  return 0;
}

int gr_add_tu(gr_graph *g, const ft_tu *tu) {
  uint32_t *map = malloc((tu->funcs.n + 1) * sizeof *map);
  if (!map) return g->failed = 1, -1;
  if (!tu->field_facts) g->no_field_facts = 1;
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const ft_func *f = &tu->funcs.v[i];
    map[i] = gr_node_of(g, f);
    if (map[i] == UINT32_MAX) goto fail;
    gr_node *n = &g->nodes.v[map[i]];
    if (f->has_body && tu->pic && f->external && f->visible) n->interposable = 1;
    if (!tu->complete && f->has_body) {
      gr_reason r = {FX_INCOMPLETE, gr_str(g, tu->file), gr_loc(g, f->loc), {"", 0, 0}};
      n->incomplete = 1;
      gr_offer_both(n, r);
    }
  }
  for (size_t i = 0; i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    uint8_t mask = (uint8_t)(((1u << VD_NPROPS) - 1) | (c->flags & FT_CALL_STATUS0 ? GR_MASK_RETURNS : 0));
    if (gr_add_edge(g, map[c->caller], map[c->callee], gr_loc(g, c->site), mask) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    gr_icall ic = {map[c->caller], gr_loc(g, c->site), gr_str(g, c->fntype), gr_str(g, c->slot), c->slot_kind,
                   c->ext_origin, c->contract, c->via_call >= 0 ? map[tu->calls.v[c->via_call].callee] : GR_NONE,
                   c->via_arg};
    if (UT_PUSH(g->icalls, ic) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->addrs.n; i++) {
    const ft_addr *a = &tu->addrs.v[i];
    gr_addr ad = {map[a->func], a->in_func >= 0 ? map[a->in_func] : GR_NONE, gr_loc(g, a->site),
                  gr_str(g, a->cast_type), gr_str(g, a->dest), a->dest_kind, a->contract,
                  a->call >= 0 ? map[tu->calls.v[a->call].callee] : GR_NONE, a->arg};
    if (UT_PUSH(g->addrs, ad) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->effects.n; i++) gr_add_effect(g, &g->nodes.v[map[tu->effects.v[i].func]], &tu->effects.v[i]);
  if (gr_count_unseen(g, tu, map) < 0 || gr_add_dropped(g, tu) < 0) goto fail;
  for (size_t i = 0; i < tu->polluted.n; i++)
    if (ut_map_put(&g->polluted, gr_str(g, tu->polluted.v[i]), 1) < 0) goto fail;
  free(map);
  return g->failed ? -1 : 0;
fail:
  free(map);
  g->failed = 1;
  return -1;
}

static const md_entry *gr_model(const gr_opts *o, const gr_node *n) {
  if (!n->external) return NULL;
  return o->model ? md_find(o->model, n->name) : md_lookup(n->name);
}

/* Base reasons of a function without a body anywhere in the program:
 * annotations first (a user model), then the model, then noreturn. */
static void gr_bodiless(const gr_opts *o, gr_node *n) {
  const md_entry *m = gr_model(o, n);
  for (int p = 0; p < VD_NPROPS; p++) {
    gr_reason r = {FX_NONE, n->name, n->loc, n->loc};
    uint32_t yes = p == VD_TLS ? FT_ANN_TLS : FT_ANN_PANIC;
    uint32_t no = p == VD_TLS ? FT_ANN_NOTLS : FT_ANN_NOPANIC;
    n->origin[p] = NULL;
    n->origin_kind[p] = VC_ORIGIN_NONE;
    if (n->annots & yes) r.kind = p == VD_TLS ? FX_TLS_DECLARED : FX_PANIC_DECLARED, n->origin_kind[p] = VC_ORIGIN_ANNOTATION;
    else if (n->annots & no) r.kind = FX_NONE, n->origin_kind[p] = VC_ORIGIN_ANNOTATION;
    else if (m) r.kind = m->effect[p], n->origin_kind[p] = m->origin_kind, n->origin[p] = m->origin;
    else if (p == VD_PANIC && n->noreturn) r.kind = FX_NORETURN;
    else r.kind = o->externals_clean ? FX_NONE : FX_EXTERNAL;
    if (r.kind == FX_ERRNO && o->errno_ignore) r.kind = FX_NONE;
    n->base[p] = r;
  }
}

/* Reasons every definition may carry: configured panic functions, weak and
 * interposable definitions. */
static void gr_definition(const gr_opts *o, gr_node *n) {
  for (size_t i = 0; i < o->npanic; i++)
    if (strcmp(o->panic_functions[i], n->name) == 0) {
      gr_reason r = {FX_PANIC_DECLARED, n->name, n->loc, n->loc};
      gr_offer(n, VD_PANIC, r);
    }
  if (!n->has_body) return;
  gr_reason r = {FX_NONE, n->name, n->loc, n->loc};
  if (n->weak && !o->trust_weak) r.kind = FX_WEAK;
  else if (n->interposable && !o->trust_interposable) r.kind = FX_INTERPOSABLE;
  if (r.kind != FX_NONE) gr_offer_both(n, r);
}

/* ---- indirect calls ------------------------------------------------------- */
/* Keys (function types, fields) with the sorted set of nodes under each. */
typedef struct gr_multimap {
  ut_map ids;            /* key -> id */
  struct { uint64_t *v; size_t n, cap; } pairs; /* id << 32 | node */
  uint32_t *off;         /* per id: start in pairs (after gr_mm_seal) */
  size_t nids;
} gr_multimap;

static int gr_mm_add(gr_multimap *m, const char *key, uint32_t node) {
  uint32_t id;
  if (!ut_map_get(&m->ids, key, &id)) {
    id = (uint32_t)m->nids++;
    if (ut_map_put(&m->ids, key, id) < 0) return -1;
  }
  return UT_PUSH(m->pairs, ((uint64_t)id << 32) | node);
}

static int gr_u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static int gr_mm_seal(gr_multimap *m) {
  if (m->pairs.n) qsort(m->pairs.v, m->pairs.n, sizeof *m->pairs.v, gr_u64_cmp);
  size_t k = 0;
  for (size_t i = 0; i < m->pairs.n; i++)
    if (!k || m->pairs.v[i] != m->pairs.v[k - 1]) m->pairs.v[k++] = m->pairs.v[i];
  m->pairs.n = k;
  m->off = calloc(m->nids + 2, sizeof *m->off);
  if (!m->off) return -1;
  for (size_t i = 0; i < k; i++) m->off[(m->pairs.v[i] >> 32) + 1]++;
  for (size_t i = 0; i < m->nids; i++) m->off[i + 1] += m->off[i];
  return 0;
}

/* The nodes under key: *n of them from *out (pairs, low 32 bits). */
static const uint64_t *gr_mm_get(const gr_multimap *m, const char *key, size_t *n) {
  uint32_t id;
  *n = 0;
  if (!ut_map_get(&m->ids, key, &id)) return NULL;
  *n = m->off[id + 1] - m->off[id];
  return m->pairs.v + m->off[id];
}

static void gr_mm_free(gr_multimap *m) {
  ut_map_free(&m->ids);
  free(m->pairs.v);
  free(m->off);
}

/* Splits a function type "R (params)" at the '(' that opens its parameter
 * list; *unproto is set for "R ()" (no prototype).  Returns the length of
 * the return-type prefix, 0 if the text is not a function type. */
static size_t gr_type_prefix(const char *t, int *unproto) {
  size_t n = strlen(t);
  *unproto = 0;
  if (n < 3 || t[n - 1] != ')') return 0;
  int depth = 0;
  for (size_t i = n; i-- > 0;) {
    if (t[i] == ')') depth++;
    else if (t[i] == '(' && --depth == 0) {
      *unproto = strcmp(t + i, "()") == 0;
      return i;
    }
  }
  return 0;
}

typedef struct gr_sets {
  gr_multimap exact;     /* function type -> address-taken functions */
  gr_multimap proto;     /* return-type prefix -> all of them */
  gr_multimap noproto;   /* return-type prefix -> those with "R ()" types */
  gr_multimap field;     /* field or variable key -> functions stored into it */
} gr_sets;

static int gr_sig_add(gr_graph *g, gr_sets *s, const char *type, uint32_t node) {
  int unproto;
  size_t k = gr_type_prefix(type, &unproto);
  if (gr_mm_add(&s->exact, type, node) < 0) return -1;
  if (!k) return 0;
  ut_buf b = {0};
  ut_buf_add(&b, type, k);
  const char *prefix = b.failed ? NULL : gr_str(g, b.s);
  ut_buf_free(&b);
  if (!prefix || gr_mm_add(&s->proto, prefix, node) < 0) return -1;
  return unproto ? gr_mm_add(&s->noproto, prefix, node) : 0;
}

static int gr_build_sets(gr_graph *g, gr_sets *s) {
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    const gr_node *n = &g->nodes.v[a->func];
    if (n->fntype[0] && gr_sig_add(g, s, n->fntype, a->func) < 0) return -1;
    if (a->cast_type[0] && gr_sig_add(g, s, a->cast_type, a->func) < 0) return -1;
    if ((a->dest_kind == FT_SLOT_FIELD || a->dest_kind == FT_SLOT_VAR) && a->dest[0] &&
        gr_mm_add(&s->field, a->dest, a->func) < 0)
      return -1;
  }
  if (gr_mm_seal(&s->exact) < 0 || gr_mm_seal(&s->proto) < 0 || gr_mm_seal(&s->noproto) < 0 ||
      gr_mm_seal(&s->field) < 0)
    return -1;
  return 0;
}

/* Is field sensitivity valid for calls through field `key` ("c:@S@rec@FI@f")? */
static int gr_field_ok(const gr_graph *g, const char *key) {
  uint32_t v;
  if (g->no_field_facts || ut_map_get(&g->polluted, key, &v)) return 0;
  const char *fi = strstr(key, "@FI@");
  if (!fi) return 0;
  ut_buf rec = {0};
  ut_buf_add(&rec, key, (size_t)(fi - key));
  int ok = !rec.failed && !ut_map_get(&g->polluted, rec.s, &v);
  ut_buf_free(&rec);
  return ok;
}

/* Is a call through variable `key` limited to the functions stored into it?
 * Not when it ever receives another pointer value or its address is taken. */
static int gr_var_ok(const gr_graph *g, const char *key) {
  uint32_t v;
  return !g->no_field_facts && !ut_map_get(&g->polluted, key, &v);
}

/* Adds an edge caller -> each node of the list (low 32 bits of pairs). */
static int gr_edges_to(gr_graph *g, uint32_t caller, ft_loc site, const uint64_t *v, size_t n, uint8_t mask,
                       gr_via via) {
  for (size_t i = 0; i < n; i++)
    if (gr_add_edge_via(g, caller, (uint32_t)v[i], site, mask, via) < 0) return -1;
  return 0;
}

/* Candidates by signature: the exact type, plus unprototyped matches. */
static int gr_signature(gr_graph *g, const gr_sets *s, const gr_icall *ic, uint8_t mask, gr_via via, uint32_t *count) {
  size_t n;
  const uint64_t *v = gr_mm_get(&s->exact, ic->fntype, &n);
  *count = (uint32_t)n;
  if (gr_edges_to(g, ic->caller, ic->site, v, n, mask, via) < 0) return -1;
  int unproto;
  size_t k = gr_type_prefix(ic->fntype, &unproto);
  if (!k) return 0;
  ut_buf b = {0};
  ut_buf_add(&b, ic->fntype, k);
  int rc = b.failed ? -1 : 0;
  if (rc == 0) {
    v = gr_mm_get(unproto ? &s->proto : &s->noproto, b.s, &n);
    *count += (uint32_t)n; /* may count a function twice; edges deduplicate */
    rc = gr_edges_to(g, ic->caller, ic->site, v, n, mask, via);
  }
  ut_buf_free(&b);
  return rc;
}

static void gr_unresolved(gr_graph *g, const gr_icall *ic, uint8_t need) {
  gr_reason r = {FX_INDIRECT, ic->fntype[0] ? ic->fntype : "?", ic->site, {"", 0, 0}};
  for (int p = 0; p < VD_NPROPS; p++)
    if (need & (1u << p)) gr_offer(&g->nodes.v[ic->caller], (vd_prop)p, r);
}

/* Which properties a modeled callee carries from its argument `arg`. */
static uint8_t gr_callback_mask(const gr_opts *o, const gr_graph *g, uint32_t callee, int32_t arg) {
  const gr_node *n = &g->nodes.v[callee];
  if (n->has_body || arg < 1 || arg > 32) return 0;
  const md_entry *m = gr_model(o, n);
  if (!m) return 0;
  uint32_t bit = 1u << (arg - 1);
  if (m->calls & bit) return (1u << VD_NPROPS) - 1;
  if (m->spawns & bit) return 1u << VD_PANIC; /* another thread's TLS, but its abort ends us too */
  return 0;
}

static int gr_resolve(gr_graph *g, const gr_opts *o, const gr_sets *s, uint32_t i) {
  const gr_icall *ic = &g->icalls.v[i];
  gr_resolution res = {i, VC_RES_SIGNATURE, 0, 0};
  uint8_t need = (1u << VD_NPROPS) - 1;
  if (ic->contract & FT_ANN_NOTLS) res.trusted |= 1u << VD_TLS;
  if (ic->contract & FT_ANN_NOPANIC) res.trusted |= 1u << VD_PANIC;
  need &= (uint8_t)~res.trusted;
  gr_via via = {VC_EDGE_POINTER, GR_NONE};
  if (ic->via_callee != GR_NONE) {
    uint8_t cb = gr_callback_mask(o, g, ic->via_callee, ic->via_arg);
    need &= cb;
    if (!need) return 0; /* not called back (or the callee has a body) */
    res.mode = VC_RES_CALLBACK;
    via.kind = cb == (1u << VD_PANIC) ? VC_EDGE_SPAWN : VC_EDGE_CALLBACK;
    via.through = ic->via_callee;
  }
  int rc = 0;
  if (!need) {
    res.mode = VC_RES_TRUSTED;
  } else if (o->indirect == VC_INDIRECT_UNKNOWN) {
    res.mode = VC_RES_UNKNOWN;
    gr_unresolved(g, ic, need);
  } else if (o->open_world && ic->ext_origin) {
    res.mode = VC_RES_OPEN;
    gr_unresolved(g, ic, need);
  } else if (o->indirect == VC_INDIRECT_FIELD && ((ic->slot_kind == FT_SLOT_FIELD && gr_field_ok(g, ic->slot)) ||
                                   (ic->slot_kind == FT_SLOT_VAR && gr_var_ok(g, ic->slot)))) {
    size_t n;
    const uint64_t *v = gr_mm_get(&s->field, ic->slot, &n);
    res.mode = ic->slot_kind == FT_SLOT_FIELD ? VC_RES_FIELD : VC_RES_VAR;
    res.candidates = (uint32_t)n;
    rc = gr_edges_to(g, ic->caller, ic->site, v, n, need, via);
  } else {
    rc = gr_signature(g, s, ic, need, via, &res.candidates);
  }
  if (rc == 0 && need && res.candidates == 0 && res.mode != VC_RES_UNKNOWN && res.mode != VC_RES_OPEN)
    gr_unresolved(g, ic, need);
  return rc < 0 || UT_PUSH(g->resolutions, res) < 0 ? -1 : 0;
}

/* Functions passed by name to a modeled function that calls them back. */
static int gr_callbacks(gr_graph *g, const gr_opts *o) {
  size_t n = g->addrs.n;
  for (size_t i = 0; i < n; i++) {
    const gr_addr a = g->addrs.v[i];
    if (a.dest_kind != FT_SLOT_ARG || a.in_func == GR_NONE || a.callee == GR_NONE) continue;
    uint8_t mask = gr_callback_mask(o, g, a.callee, a.arg);
    gr_via via = {mask == (1u << VD_PANIC) ? VC_EDGE_SPAWN : VC_EDGE_CALLBACK, a.callee};
    if (mask && gr_add_edge_via(g, a.in_func, a.func, a.site, mask, via) < 0) return -1;
  }
  return 0;
}

static int gr_indirect(gr_graph *g, const gr_opts *o) {
  gr_sets s;
  memset(&s, 0, sizeof s);
  int rc = gr_build_sets(g, &s);
  for (uint32_t i = 0; rc == 0 && i < g->icalls.n; i++) rc = gr_resolve(g, o, &s, i);
  if (rc == 0) rc = gr_callbacks(g, o);
  gr_mm_free(&s.exact);
  gr_mm_free(&s.proto);
  gr_mm_free(&s.noproto);
  gr_mm_free(&s.field);
  return rc;
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
  for (size_t i = 0; i < g->icalls.n; i++) {
    gr_icall *c = &g->icalls.v[i];
    c->caller = rank[c->caller];
    if (c->via_callee != GR_NONE) c->via_callee = rank[c->via_callee];
  }
  for (size_t i = 0; i < g->addrs.n; i++) {
    gr_addr *a = &g->addrs.v[i];
    a->func = rank[a->func];
    if (a->in_func != GR_NONE) a->in_func = rank[a->in_func];
    if (a->callee != GR_NONE) a->callee = rank[a->callee];
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
  uint8_t *mk = malloc(m + 1);
  gr_via *vv = malloc((m + 1) * sizeof *vv);
  if (!order || !e || !s || !mk || !vv) {
    free(order), free(e), free(s), free(mk), free(vv);
    return -1;
  }
  gr_sort_graph = g;
  qsort(order, m, sizeof *order, gr_edge_cmp);
  for (size_t i = 0; i < m; i++) {
    if (k && gr_edge_cmp(&order[i], &order[i - 1]) == 0) { /* same call seen twice: join the masks */
      mk[k - 1] |= g->masks.v[order[i]];
      continue;
    }
    e[k] = g->edges.v[order[i]];
    s[k] = g->sites.v[order[i]];
    vv[k] = g->vias.v[order[i]];
    mk[k++] = g->masks.v[order[i]];
  }
  free(g->edges.v);
  free(g->sites.v);
  free(g->masks.v);
  free(g->vias.v);
  g->edges.v = e;
  g->sites.v = s;
  g->masks.v = mk;
  g->vias.v = vv;
  g->edges.n = g->sites.n = g->masks.n = g->vias.n = k;
  g->edges.cap = g->sites.cap = g->masks.cap = g->vias.cap = m + 1;
  free(order);
  return 0;
}

/* Task entries: annotated FNPROP_TASK, stored into a slot (field, variable,
 * parameter, typedef) annotated FNPROP_TASK, or passed by name as argument
 * n of a function annotated FNPROP_SPAWN(n). */
static void gr_tasks(gr_graph *g) {
  for (size_t i = 0; i < g->nodes.n; i++)
    if (g->nodes.v[i].annots & FT_ANN_TASK) g->nodes.v[i].task = 1;
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    if ((a->dest_kind == FT_SLOT_ARG && a->callee != GR_NONE && g->nodes.v[a->callee].spawn_param == a->arg) ||
        (a->contract & FT_ANN_TASK))
      g->nodes.v[a->func].task = 1;
  }
}

/* A call to a suspension point (FNPROP_YIELD) is the scheduler's switch:
 * its thread-local bookkeeping is the scheduler's, not the task's (which is
 * why a scheduler must not carry thread-local addresses across the switch),
 * so the call does not make the caller touch thread-local state.  Its
 * panics still count. */
static void gr_yields(gr_graph *g) {
  for (size_t i = 0; i < g->edges.n; i++)
    if (g->nodes.v[g->edges.v[i].dst].annots & FT_ANN_YIELD) g->masks.v[i] &= (uint8_t)~(1u << VD_TLS);
}

/* Code the front end did not understand makes both properties unknown,
 * except a property the function's own contract (FNPROP_NOTLS,
 * FNPROP_NOPANIC on any declaration) vouches for: the user has checked
 * what fnprop cannot see; everything it does see is still checked. */
static void gr_unseen(gr_graph *g) {
  g->unseen_funcs = 0;
  g->unseen_constructs = 0;
  for (size_t i = 0; i < g->nodes.n; i++) {
    gr_node *n = &g->nodes.v[i];
    if (n->unseen.kind == FX_NONE) continue;
    g->unseen_funcs++;
    g->unseen_constructs += n->nunseen;
    if (!(n->annots & FT_ANN_NOTLS)) gr_offer(n, VD_TLS, n->unseen);
    if (!(n->annots & FT_ANN_NOPANIC)) gr_offer(n, VD_PANIC, n->unseen);
  }
}

/* A call that returns whatever its bodiless callee's model says (error()
 * with status 0) carries only the callee's tls. */
static void gr_returning_calls(gr_graph *g) {
  for (size_t i = 0; i < g->edges.n; i++) {
    if (!(g->masks.v[i] & GR_MASK_RETURNS)) continue;
    g->masks.v[i] &= (uint8_t)~GR_MASK_RETURNS;
    if (!g->nodes.v[g->edges.v[i].dst].has_body) g->masks.v[i] &= (uint8_t)~(1u << VD_PANIC);
  }
}

int gr_finish(gr_graph *g, const gr_opts *opts) {
  static const gr_opts defaults = {.indirect = VC_INDIRECT_FIELD};
  const gr_opts *o = opts ? opts : &defaults;
  if (g->failed || gr_sort_nodes(g) < 0) return g->failed = 1, -1;
  for (size_t i = 0; i < g->nodes.n; i++) {
    if (!g->nodes.v[i].has_body) gr_bodiless(o, &g->nodes.v[i]);
    gr_definition(o, &g->nodes.v[i]);
  }
  gr_unseen(g);
  gr_returning_calls(g);
  gr_tasks(g);
  if (gr_indirect(g, o) < 0) return g->failed = 1, -1;
  gr_yields(g);
  if (gr_sort_edges(g) < 0) return g->failed = 1, -1;
  return 0;
}

uint8_t *gr_base_verdicts(const gr_graph *g) {
  uint8_t *b = malloc(g->nodes.n * VD_NPROPS + 1);
  for (size_t i = 0; b && i < g->nodes.n; i++)
    for (int p = 0; p < VD_NPROPS; p++) b[i * VD_NPROPS + p] = (uint8_t)fx_get(g->nodes.v[i].base[p].kind)->verdict;
  return b;
}

int gr_solve(const gr_graph *g, sv_result *out) {
  const uint8_t all = (1u << VD_NPROPS) - 1;
  uint8_t *base = gr_base_verdicts(g);
  int split = 0, rc = -1;
  for (size_t i = 0; i < g->masks.n; i++) split |= g->masks.v[i] != all;
  if (!base) return -1;
  if (!split) {
    rc = sv_solve((uint32_t)g->nodes.n, base, g->edges.n, g->edges.v, out);
    free(base);
    return rc;
  }
  sv_edge *e = malloc((g->edges.n + 1) * sizeof *e);
  uint32_t *idx = malloc((g->edges.n + 1) * sizeof *idx);
  sv_result *r = malloc((g->nodes.n + 1) * sizeof *r);
  rc = e && idx && r ? 0 : -1;
  for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
    size_t m = 0;
    for (size_t i = 0; i < g->edges.n; i++)
      if (g->masks.v[i] & (1u << p)) e[m] = g->edges.v[i], idx[m++] = (uint32_t)i;
    rc = sv_solve((uint32_t)g->nodes.n, base, m, e, r);
    for (size_t i = 0; rc == 0 && i < g->nodes.n; i++) {
      out[i].verdict[p] = r[i].verdict[p];
      out[i].witness[p] = r[i].witness[p];
      if (r[i].witness[p].why == SV_WHY_EDGE) out[i].witness[p].edge = idx[r[i].witness[p].edge];
    }
  }
  free(e);
  free(idx);
  free(r);
  free(base);
  return rc;
}
