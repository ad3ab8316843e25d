/* SPDX-License-Identifier: MIT */
/*
 * graph.c - folding TU facts into the whole-program graph.
 *
 * Reason choice is deterministic: a stronger verdict wins; among equal
 * verdicts the earliest location (file, line, column) wins, so the witness
 * does not depend on which TU was merged first.
 */
#include <fnmatch.h>
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
  free(g->flows.v);
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
  if (nv == VD_UNKNOWN && r.kind != FX_INTERPOSABLE) n->unknown_else |= (uint8_t)(1u << p);
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

static uint32_t gr_node_at(gr_graph *g, const ft_func *f, const char *pk);

/* Node for function f of a TU (in the program being folded), created on
 * first sight; UINT32_MAX on OOM. */
static uint32_t gr_node_of(gr_graph *g, const ft_func *f) {
  ut_buf pk = {0};
  if (g->program) {
    ut_buf_printf(&pk, "%s\x1e%s", f->path_key, g->program);
    if (pk.failed) return g->failed = 1, UINT32_MAX;
  }
  uint32_t i = gr_node_at(g, f, g->program ? pk.s : f->path_key);
  ut_buf_free(&pk);
  return i;
}

int gr_add_tu_program(gr_graph *g, const ft_tu *tu, const char *program, int repeat) {
  g->program = program && program[0] ? program : NULL;
  g->program_repeat = repeat;
  int rc = gr_add_tu(g, tu);
  g->program = NULL;
  g->program_repeat = 0;
  return rc;
}

/* Node for function f of a TU under path key pk, created on first sight. */
static uint32_t gr_node_at(gr_graph *g, const ft_func *f, const char *pk) {
  long found = gr_find(g, f->usr, pk);
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
    ut_buf_pair(&k, f->usr, pk);
    if (k.failed) {
      ut_buf_free(&k);
      g->failed = 1;
      return UINT32_MAX;
    }
    n.key = gr_str(g, k.s);
    ut_buf_free(&k);
    n.usr = gr_str(g, f->usr);
    n.path_key = gr_str(g, pk);
    n.name = gr_str(g, f->name);
    n.loc = gr_loc(g, f->loc);
    n.external = f->external;
    n.system = f->system;
    n.fntype = gr_str(g, f->fntype ? f->fntype : "");
    n.fnkey = gr_str(g, f->fnkey ? f->fnkey : "");
    n.hdecl.file = "";
    i = (uint32_t)g->nodes.n;
    if (g->failed || UT_PUSH(g->nodes, n) < 0 || ut_map_put(&g->index, n.key, i) < 0) {
      g->failed = 1;
      return UINT32_MAX;
    }
  }
  gr_node *n = &g->nodes.v[i];
  if (f->has_body && (!n->has_body || gr_loc_cmp(f->loc, n->loc) < 0)) n->loc = gr_loc(g, f->loc);
  if (f->hdecl.file && f->hdecl.file[0] &&
      (!n->hdecl.file || !n->hdecl.file[0] || gr_loc_cmp(f->hdecl, n->hdecl) < 0)) {
    n->hdecl = gr_loc(g, f->hdecl);
    n->hdecl_end = f->hdecl_end;
  }
  n->has_body |= f->has_body;
  n->noreturn |= f->noreturn;
  n->weak |= f->weak;
  n->annots |= f->annots;
  n->omp |= f->omp;
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
  gr_via direct = {VC_EDGE_CALL, GR_NONE, 0};
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
  if (tu->dropped.n && !g->program_repeat) g->dropped_tus++;
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
  if (!tu->complete && (!g->incomplete || strcmp(tu->file, g->incomplete) < 0)) g->incomplete = gr_str(g, tu->file);
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const ft_func *f = &tu->funcs.v[i];
    map[i] = gr_node_of(g, f);
    if (map[i] == UINT32_MAX) goto fail;
    gr_node *n = &g->nodes.v[map[i]];
    if (f->has_body && tu->pic && f->external && f->visible) n->interposable = 1;
    if (f->has_body && f->external) {
      if (f->visible) n->visible_def = 1;
      else n->hidden_def = 1;
    }
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
  uint32_t base = (uint32_t)g->icalls.n;
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    gr_icall ic = {map[c->caller],
                   gr_loc(g, c->site),
                   gr_str(g, c->fntype),
                   gr_str(g, c->slot),
                   c->slot_kind,
                   c->ext_origin,
                   c->contract,
                   c->via_call >= 0 ? map[tu->calls.v[c->via_call].callee] : GR_NONE,
                   c->via_arg,
                   gr_str(g, c->fnkey ? c->fnkey : ""),
                   c->via_icall > 0 ? base + (uint32_t)c->via_icall - 1 : GR_NONE,
                   c->slot_arg};
    if (UT_PUSH(g->icalls, ic) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->addrs.n; i++) {
    const ft_addr *a = &tu->addrs.v[i];
    gr_addr ad = {map[a->func],
                  a->in_func >= 0 ? map[a->in_func] : GR_NONE,
                  gr_loc(g, a->site),
                  gr_str(g, a->cast_type),
                  gr_str(g, a->dest),
                  a->dest_kind,
                  a->contract,
                  a->call >= 0 ? map[tu->calls.v[a->call].callee] : GR_NONE,
                  a->arg,
                  gr_str(g, a->cast_key ? a->cast_key : ""),
                  a->icall > 0 ? base + (uint32_t)a->icall - 1 : GR_NONE};
    if (UT_PUSH(g->addrs, ad) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->flows.n; i++) {
    const ft_flow *f = &tu->flows.v[i];
    gr_flow gf = {f->kind,
                  f->cond,
                  f->bits,
                  gr_str(g, f->key),
                  gr_str(g, f->src),
                  f->func >= 0 && (size_t)f->func < tu->funcs.n ? map[f->func] : GR_NONE,
                  f->arg,
                  gr_loc(g, f->site)};
    if (UT_PUSH(g->flows, gf) < 0) goto fail;
  }
  for (size_t i = 0; i < tu->effects.n; i++)
    gr_add_effect(g, &g->nodes.v[map[tu->effects.v[i].func]], &tu->effects.v[i]);
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
    if (n->annots & yes)
      r.kind = p == VD_TLS ? FX_TLS_DECLARED : FX_PANIC_DECLARED, n->origin_kind[p] = VC_ORIGIN_ANNOTATION;
    else if (n->annots & no) r.kind = FX_NONE, n->origin_kind[p] = VC_ORIGIN_ANNOTATION;
    else if (m) r.kind = m->effect[p], n->origin_kind[p] = m->origin_kind, n->origin[p] = m->origin;
    else if (p == VD_PANIC && n->noreturn) r.kind = FX_NORETURN;
    else r.kind = o->externals_clean ? FX_NONE : FX_EXTERNAL;
    if (r.kind == FX_ERRNO && o->errno_ignore) r.kind = FX_NONE;
    n->base[p] = r;
  }
}

/* Does name match glob ('*' the only wildcard)? */
static int gr_glob(const char *g, const char *s) {
  const char *star = NULL, *mark = NULL;
  while (*s) {
    if (*g == '*') star = g++, mark = s;
    else if (*g == *s) g++, s++;
    else if (star) g = star + 1, s = ++mark;
    else return 0;
  }
  while (*g == '*') g++;
  return !*g;
}

/* Is an external function no API: defined only with hidden visibility
 * (-fvisibility=hidden, __attribute__((visibility("hidden")))), or named
 * by the project's internal-functions? */
static uint8_t gr_hidden(const gr_opts *o, const gr_node *n) {
  if (!n->external) return 0;
  if (n->has_body && n->hidden_def && !n->visible_def) return 1;
  for (size_t i = 0; i < o->ninternal; i++)
    if (gr_glob(o->internal[i], n->name)) return 2;
  return 0;
}

/* Reasons every definition may carry: configured panic functions, weak and
 * interposable definitions. */
static void gr_definition(const gr_opts *o, gr_node *n) {
  n->hidden = gr_hidden(o, n);
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
  struct {
    uint64_t *v;
    size_t n, cap;
  } pairs; /* id << 32 | node */
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

/* Splits a compatibility key "F{R|P,...}" (facts.h) at the '|' that ends
 * its return type; *unproto is set for "F{R|?}".  Returns the length of
 * the prefix "F{R", 0 if k is not such a key (a type spelled by hand in a
 * test, or "" when unknown: then only equal strings match). */
static size_t gr_key_prefix(const char *k, int *unproto) {
  *unproto = 0;
  if (strncmp(k, "F{", 2) != 0) return 0;
  int depth = 0;
  for (size_t i = 0; k[i]; i++) {
    if (k[i] == '{') depth++;
    else if (k[i] == '}') depth--;
    else if (k[i] == '|' && depth == 1) {
      *unproto = strcmp(k + i, "|?}") == 0;
      return i;
    }
  }
  return 0;
}

static const char *gr_node_key(const gr_node *n) { return n->fnkey[0] ? n->fnkey : n->fntype; }
static const char *gr_icall_key(const gr_icall *ic) { return ic->fnkey[0] ? ic->fnkey : ic->fntype; }

/* The prefix "F{R" of key k, interned; NULL when k has none (or out of memory). */
static const char *gr_prefix(gr_graph *g, const char *k, int *unproto) {
  size_t n = gr_key_prefix(k, unproto);
  if (!n) return NULL;
  ut_buf b = {0};
  ut_buf_add(&b, k, n);
  const char *p = b.failed ? NULL : gr_str(g, b.s);
  ut_buf_free(&b);
  return p;
}

/* A set of function types queried by compatibility: has(k) holds when a
 * member is compatible with k (equal keys, or one unprototyped and the
 * same return type). */
typedef struct gr_keyset {
  ut_map exact, proto, noproto; /* keys; return prefixes of prototyped / unprototyped members */
} gr_keyset;

static int gr_ks_add(gr_graph *g, gr_keyset *s, const char *k) {
  int unproto;
  if (!k[0] || ut_map_put(&s->exact, k, 1) < 0) return k[0] ? -1 : 0;
  const char *p = gr_prefix(g, k, &unproto);
  return p ? ut_map_put(unproto ? &s->noproto : &s->proto, p, 1) : 0;
}

static int gr_ks_has(const gr_keyset *s, const char *k) {
  uint32_t v;
  int unproto;
  if (!s->exact.n || !k[0]) return 0;
  if (ut_map_get(&s->exact, k, &v)) return 1;
  size_t n = gr_key_prefix(k, &unproto);
  if (!n) return 0;
  ut_buf b = {0};
  ut_buf_add(&b, k, n);
  int r = b.failed || ut_map_get(&s->noproto, b.s, &v) || (unproto && ut_map_get(&s->proto, b.s, &v));
  ut_buf_free(&b);
  return r;
}

static void gr_ks_free(gr_keyset *s) {
  ut_map_free(&s->exact);
  ut_map_free(&s->proto);
  ut_map_free(&s->noproto);
}

typedef struct gr_sets {
  gr_multimap exact;     /* function type key -> address-taken functions */
  gr_multimap proto;     /* return-type prefix -> all of them */
  gr_multimap noproto;   /* return-type prefix -> those with unprototyped types */
  gr_multimap field;     /* field or variable key -> functions stored into it */
} gr_sets;

static int gr_sig_add(gr_graph *g, gr_sets *s, const char *type, uint32_t node) {
  int unproto;
  if (gr_mm_add(&s->exact, type, node) < 0) return -1;
  if (!gr_key_prefix(type, &unproto)) return 0;
  const char *prefix = gr_prefix(g, type, &unproto);
  if (!prefix || gr_mm_add(&s->proto, prefix, node) < 0) return -1;
  return unproto ? gr_mm_add(&s->noproto, prefix, node) : 0;
}

/* Adds node under each newline-separated key of list. */
static int gr_sig_add_list(gr_graph *g, gr_sets *s, const char *list, uint32_t node) {
  while (*list) {
    size_t n = strcspn(list, "\n");
    ut_buf b = {0};
    ut_buf_add(&b, list, n);
    int rc = b.failed ? -1 : gr_sig_add(g, s, gr_str(g, b.s), node);
    ut_buf_free(&b);
    if (rc < 0) return -1;
    list += n + (list[n] == '\n');
  }
  return 0;
}

static int gr_build_sets(gr_graph *g, gr_sets *s) {
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    const gr_node *n = &g->nodes.v[a->func];
    const char *k = gr_node_key(n);
    if (k[0] && gr_sig_add(g, s, k, a->func) < 0) return -1;
    if (a->cast_key[0] ? gr_sig_add_list(g, s, a->cast_key, a->func) < 0
                       : a->cast_type[0] && gr_sig_add(g, s, a->cast_type, a->func) < 0)
      return -1;
    if ((a->dest_kind == FT_SLOT_FIELD || a->dest_kind == FT_SLOT_VAR) && a->dest[0] &&
        gr_mm_add(&s->field, a->dest, a->func) < 0)
      return -1;
  }
  if (gr_mm_seal(&s->exact) < 0 || gr_mm_seal(&s->proto) < 0 || gr_mm_seal(&s->noproto) < 0 ||
      gr_mm_seal(&s->field) < 0)
    return -1;
  return 0;
}

/* Is the record part of field key ("c:@S@rec@FI@f" -> "c:@S@rec") polluted?
 * -1 when key is not a field's. */
static int gr_record_polluted(const gr_graph *g, const char *key) {
  const char *fi = strstr(key, "@FI@");
  if (!fi) return -1;
  ut_buf rec = {0};
  ut_buf_add(&rec, key, (size_t)(fi - key));
  uint32_t v;
  int r = rec.failed || ut_map_get(&g->polluted, rec.s, &v);
  ut_buf_free(&rec);
  return r;
}

/* Is field sensitivity valid for calls through field `key` ("c:@S@rec@FI@f")? */
static int gr_field_ok(const gr_graph *g, const char *key) {
  uint32_t v;
  if (g->no_field_facts || g->incomplete || ut_map_get(&g->polluted, key, &v)) return 0;
  return gr_record_polluted(g, key) == 0;
}

/* Is a call through variable `key` limited to the functions stored into it?
 * Not when it ever receives another pointer value or its address is taken. */
static int gr_var_ok(const gr_graph *g, const char *key) {
  uint32_t v;
  return !g->no_field_facts && !g->incomplete && !ut_map_get(&g->polluted, key, &v);
}

/* A growable list of nodes. */
typedef struct gr_nodes {
  uint32_t *v;
  size_t n, cap;
} gr_nodes;

/* dst receives the values of src; what src does not keep of bits, dst
 * does not either.  (from, arg): src is parameter arg of node from. */
typedef struct gr_copy {
  const char *dst, *src;
  uint32_t bits;
  uint32_t from;
  int32_t arg;
} gr_copy;

/* Everything the resolution of indirect calls works from. */
typedef struct gr_ind {
  gr_sets s;
  gr_keyset open_types;  /* function types whose slots untyped code may write */
  gr_keyset data_types;  /* function types data pointers are converted to */
  ut_map untrust;        /* slot or type key -> contract bits not checked there */
  ut_map defined;        /* variables some TU defines */
  ut_map params;         /* "node#k" -> index into pkeys */
  struct {
    const char **v;
    size_t n, cap;
  } pkeys; /* keys of parameters */
  struct {
    gr_copy *v;
    size_t n, cap;
  } copies;
  struct {
    const gr_flow **v;
    size_t n, cap;
  } records; /* FT_FLOW_RECORD */
  int foreign;           /* the program calls a function that returns foreign code */
  ut_map outside;        /* open world: slots and records code outside the program writes */
  ut_map open_params;    /* open world: "node#k", parameters that receive outside pointers */
  ut_map cb_params;      /* "node#k" -> properties: parameter k of a body is
                       handed to a callback argument (gr_cb_params) */
  uint32_t *cand_off;    /* per icall: start of its candidates in cands */
  uint8_t *need;         /* per icall: the properties its edges carry */
  gr_nodes cands;
  gr_nodes pool[MD_NPOOLS];
  int pool_open[MD_NPOOLS]; /* a pool member could not be resolved */
} gr_ind;

static const uint8_t gr_all = (1u << VD_NPROPS) - 1;

/* Contract bits (FT_ANN_*) to property bits (1 << VD_*), and back. */
static uint8_t gr_props(uint32_t ann) {
  return (uint8_t)(((ann & FT_ANN_NOTLS) ? 1u << VD_TLS : 0) | ((ann & FT_ANN_NOPANIC) ? 1u << VD_PANIC : 0));
}

/* Does callee node c write pointers of its own through argument `arg` (0:
 * the result)?  A body is analyzed, so only a converted pointer escapes
 * it; without one the model decides, and an unmodeled function may. */
static int gr_writes(gr_graph *g, const gr_opts *o, uint32_t c, int32_t arg, uint8_t bits) {
  const gr_node *n = &g->nodes.v[c];
  int linked = n->has_body && !(n->weak && !o->trust_weak) && !(n->interposable && !o->trust_interposable);
  if (linked) return (bits & FT_FLOW_CONVERTED) != 0;
  const md_entry *m = gr_model(o, n);
  if (!m || arg < 0 || arg > 31) return 1;
  if (m->nostore & (1u << arg)) return 0;
  if (arg > 0 && (m->copies & (1u << (arg - 1))) && (bits & FT_FLOW_SAME)) return 0;
  return 1;
}

static uint32_t gr_untrust_get(const gr_ind *x, const char *key) {
  uint32_t v = 0;
  return key[0] && ut_map_get(&x->untrust, key, &v) ? v : 0;
}

static int gr_untrust_add(gr_ind *x, const char *key, uint32_t bits) {
  bits &= FT_ANN_NOTLS | FT_ANN_NOPANIC;
  if (!bits || !key[0]) return 0;
  uint32_t v = gr_untrust_get(x, key);
  return (v | bits) == v ? 0 : ut_map_put(&x->untrust, key, v | bits) < 0 ? -1 : 1;
}

/* Contract bits not checked for the values in slot or type `key`: what
 * was recorded there, or everything for a field of a record written as a
 * whole by code fnprop did not see. */
static uint32_t gr_unchecked(const gr_graph *g, const gr_ind *x, const char *key) {
  uint32_t v = gr_untrust_get(x, key);
  if (gr_record_polluted(g, key) == 1) v |= FT_ANN_NOTLS | FT_ANN_NOPANIC;
  return v;
}

/* Applies the flows whose condition holds (facts.h: ft_flow). */
static int gr_apply_flows(gr_graph *g, const gr_opts *o, gr_ind *x) {
  for (size_t i = 0; i < g->flows.n; i++)
    if (g->flows.v[i].kind == FT_FLOW_DEFINED && ut_map_put(&x->defined, g->flows.v[i].key, 1) < 0) return -1;
  for (size_t i = 0; i < g->flows.n; i++) {
    const gr_flow *f = &g->flows.v[i];
    uint32_t v;
    int holds = f->cond == FT_COND_NONE ||
                (f->cond == FT_COND_CALLEE && f->func != GR_NONE && gr_writes(g, o, f->func, f->arg, f->bits)) ||
                (f->cond == FT_COND_UNDEFINED && !ut_map_get(&x->defined, f->src, &v));
    if (!holds) continue;
    int rc = 0;
    if (o->open_world && f->kind == FT_FLOW_UNSEEN && f->cond != FT_COND_NONE && ut_map_put(&x->outside, f->key, 1) < 0)
      return -1;
    switch (f->kind) {
    case FT_FLOW_UNSEEN:
      rc = !strncmp(f->key, "F{", 2) ? gr_ks_add(g, &x->open_types, f->key) : ut_map_put(&g->polluted, f->key, 1);
      break;
    case FT_FLOW_UNCHECKED: rc = gr_untrust_add(x, f->key, f->bits) < 0 ? -1 : 0; break;
    case FT_FLOW_COPY: {
      gr_copy c = {f->key, f->src, f->bits, f->func, f->arg};
      rc = UT_PUSH(x->copies, c);
      break;
    }
    case FT_FLOW_DATA: rc = gr_ks_add(g, &x->data_types, f->key); break;
    case FT_FLOW_RECORD: rc = UT_PUSH(x->records, f); break;
    default: break;
    }
    if (rc < 0) return -1;
  }
  return 0;
}

/* "node#k", interned; NULL when out of memory. */
static const char *gr_param_key_str(gr_graph *g, uint32_t node, int32_t k) {
  ut_buf b = {0};
  ut_buf_printf(&b, "%u#%d", node, (int)k);
  const char *r = b.failed ? NULL : gr_str(g, b.s);
  ut_buf_free(&b);
  return r;
}

/* Parameter k of node: registers its key; returns the key of one already
 * registered ("" if none, NULL when out of memory). */
static const char *gr_param(gr_graph *g, gr_ind *x, uint32_t node, int32_t k, const char *key) {
  if (node == GR_NONE || k <= 0) return "";
  ut_buf b = {0};
  ut_buf_printf(&b, "%u#%d", node, (int)k);
  uint32_t v;
  const char *r = "";
  if (b.failed) {
    r = NULL;
  } else if (ut_map_get(&x->params, b.s, &v)) {
    r = x->pkeys.v[v];
  } else if (key && key[0]) {
    const char *pk = gr_str(g, b.s);
    if (UT_PUSH(x->pkeys, key) < 0 || ut_map_put(&x->params, pk, (uint32_t)x->pkeys.n - 1) < 0) r = NULL;
    else r = key;
  }
  ut_buf_free(&b);
  return r;
}

/* What each parameter's callers pass it (see gr_contracts). */
static int gr_param_flows(gr_graph *g, gr_ind *x) {
  const uint32_t all = FT_ANN_NOTLS | FT_ANN_NOPANIC;
  uint8_t *taken = calloc(g->nodes.n + 1, 1);
  if (!taken) return -1;
  for (size_t i = 0; i < g->addrs.n; i++) taken[g->addrs.v[i].func] = 1;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    const char *p = a->dest_kind == FT_SLOT_ARG ? gr_param(g, x, a->callee, a->arg, NULL) : "";
    rc = !p ? -1 : gr_untrust_add(x, p, all & ~a->contract) < 0 ? -1 : 0;
  }
  for (size_t i = 0; rc == 0 && i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    const char *p = gr_param(g, x, ic->via_callee, ic->via_arg, NULL);
    if (!p) rc = -1;
    if (rc < 0 || !p[0]) continue;
    gr_copy c = {p, ic->slot[0] ? ic->slot : gr_icall_key(ic), ic->contract & all, GR_NONE, 0};
    rc = gr_untrust_add(x, p, all & ~ic->contract) < 0 || UT_PUSH(x->copies, c) < 0 ? -1 : 0;
  }
  for (size_t i = 0; rc == 0 && i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    if (ic->slot_kind == FT_SLOT_PARAM && taken[ic->caller]) rc = gr_untrust_add(x, ic->slot, all) < 0 ? -1 : 0;
  }
  for (size_t i = 0; rc == 0 && i < x->copies.n; i++) {
    const gr_copy *c = &x->copies.v[i];
    if (c->from != GR_NONE && c->arg > 0 && taken[c->from]) rc = gr_untrust_add(x, c->src, all) < 0 ? -1 : 0;
  }
  free(taken);
  return rc;
}

/*
 * Contract trust.  A call through a slot with FNPROP_NOTLS/NOPANIC is
 * trusted only for the contracts every value reaching the slot was checked
 * for: stored names are checked by fnprop-contract-pointer, values copied
 * from slots keep what those keep (a fixpoint over the copies: monotone,
 * at most two bits per key, so it ends).  A parameter's values come from
 * its callers: each argument is checked against the contract the
 * parameter has where the call is (a declaration in another TU may not
 * say it), and a function whose address is taken gets arguments nobody
 * checked.
 */
static int gr_contracts(gr_graph *g, gr_ind *x) {
  for (size_t i = 0; i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    if (ic->slot_kind == FT_SLOT_PARAM && !gr_param(g, x, ic->caller, ic->slot_arg, ic->slot)) return -1;
  }
  for (size_t i = 0; i < x->copies.n; i++)
    if (!gr_param(g, x, x->copies.v[i].from, x->copies.v[i].arg, x->copies.v[i].src)) return -1;
  if (x->params.n && gr_param_flows(g, x) < 0) return -1;
  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t i = 0; i < x->copies.n; i++) {
      const gr_copy *c = &x->copies.v[i];
      int rc = gr_untrust_add(x, c->dst, gr_unchecked(g, x, c->src) & c->bits);
      if (rc < 0) return -1;
      changed |= rc;
    }
  }
  return 0;
}

/* Open world: may pointer slot `key` of icall ic hold a pointer from
 * outside the program (see gr_open_params)? */
static int gr_param_open(gr_graph *g, gr_ind *x, uint32_t node, int32_t k) {
  ut_buf b = {0};
  ut_buf_printf(&b, "%u#%d", node, (int)k);
  uint32_t v;
  int r = b.failed || ut_map_get(&x->open_params, b.s, &v);
  ut_buf_free(&b);
  return r;
}

/* Open world: a parameter of an internal function receives a pointer from
 * outside when a caller passes it one (a parameter of an external
 * function, an external global, or such a parameter of its own: a
 * fixpoint, each round adding a parameter) or when its address is taken. */
static int gr_open_params(gr_graph *g, gr_ind *x) {
  uint8_t *taken = calloc(g->nodes.n + 1, 1);
  if (!taken) return -1;
  for (size_t i = 0; i < g->addrs.n; i++) taken[g->addrs.v[i].func] = 1;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    if (ic->slot_kind != FT_SLOT_PARAM || !taken[ic->caller]) continue;
    const char *k = gr_param_key_str(g, ic->caller, ic->slot_arg);
    rc = !k || ut_map_put(&x->open_params, k, 1) < 0 ? -1 : 0;
  }
  for (int changed = 1; rc == 0 && changed;) {
    changed = 0;
    for (size_t i = 0; rc == 0 && i < g->icalls.n; i++) {
      const gr_icall *ic = &g->icalls.v[i];
      if (ic->via_callee == GR_NONE || ic->via_arg <= 0 || gr_param_open(g, x, ic->via_callee, ic->via_arg)) continue;
      if (!ic->ext_origin && !(ic->slot_kind == FT_SLOT_PARAM && gr_param_open(g, x, ic->caller, ic->slot_arg)))
        continue;
      const char *k = gr_param_key_str(g, ic->via_callee, ic->via_arg);
      rc = !k || ut_map_put(&x->open_params, k, 1) < 0 ? -1 : 0;
      changed = 1;
    }
  }
  free(taken);
  return rc;
}

/* Adds an edge caller -> each node of the list. */
static int gr_edges_to(gr_graph *g, uint32_t caller, ft_loc site, const uint32_t *v, size_t n, uint8_t mask,
                       gr_via via) {
  for (size_t i = 0; i < n; i++)
    if (gr_add_edge_via(g, caller, v[i], site, mask, via) < 0) return -1;
  return 0;
}

static int gr_push_list(gr_nodes *out, const uint64_t *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (UT_PUSH(*out, (uint32_t)v[i]) < 0) return -1;
  return 0;
}

/* Candidates by signature: the compatible key, plus unprototyped matches
 * (a function may be listed twice; edges deduplicate). */
static int gr_signature(const gr_sets *s, const char *key, gr_nodes *out) {
  size_t n;
  const uint64_t *v = gr_mm_get(&s->exact, key, &n);
  if (gr_push_list(out, v, n) < 0) return -1;
  int unproto;
  size_t k = gr_key_prefix(key, &unproto);
  if (!k) return 0;
  ut_buf b = {0};
  ut_buf_add(&b, key, k);
  int rc = b.failed ? -1 : 0;
  if (rc == 0) {
    v = gr_mm_get(unproto ? &s->proto : &s->noproto, b.s, &n);
    rc = gr_push_list(out, v, n);
  }
  ut_buf_free(&b);
  return rc;
}

static void gr_unknown_at(gr_graph *g, uint32_t caller, ft_loc site, const char *detail, uint8_t need) {
  gr_reason r = {FX_INDIRECT, detail && detail[0] ? detail : "?", site, {"", 0, 0}};
  for (int p = 0; p < VD_NPROPS; p++)
    if (need & (1u << p)) gr_offer(&g->nodes.v[caller], (vd_prop)p, r);
}

static void gr_unresolved(gr_graph *g, const gr_icall *ic, uint8_t need) {
  gr_unknown_at(g, ic->caller, ic->site, ic->fntype, need);
}

/* Parameter k of node: the properties a call of it carries from the
 * function passed there (gr_cb_params), 0 when it is no callback
 * parameter. */
static uint8_t gr_cb_param(const gr_ind *x, uint32_t node, int32_t k) {
  ut_buf b = {0};
  ut_buf_printf(&b, "%u#%d", node, (int)k);
  uint32_t v = 0;
  if (b.failed || !ut_map_get(&x->cb_params, b.s, &v)) v = 0;
  ut_buf_free(&b);
  return (uint8_t)v;
}

/* Which properties a callee carries from its argument `arg`: a modeled
 * function's calls= and spawns=, a body's callback parameters. */
static uint8_t gr_callback_mask(const gr_opts *o, const gr_graph *g, const gr_ind *x, uint32_t callee, int32_t arg) {
  const gr_node *n = &g->nodes.v[callee];
  if (arg < 1 || arg > 32) return 0;
  if (n->has_body) return x ? gr_cb_param(x, callee, arg) : 0;
  const md_entry *m = gr_model(o, n);
  if (!m) return 0;
  uint32_t bit = 1u << (arg - 1);
  if (m->calls & bit) return gr_all;
  if ((m->spawns | m->task_entry) & bit) return 1u << VD_PANIC; /* another thread's TLS, but its abort ends us too */
  return 0;
}

/*
 * Callback parameters.  A body that passes its parameter k on as an
 * argument some callee calls back (pthread_once(o, fn) in a wrapper
 * run_once(o, fn), or the parameter of another such wrapper: a fixpoint)
 * runs whatever its callers pass there.  When every value of the
 * parameter comes from the program's direct calls -- the function's
 * address is never taken, it is no task entry, and (open world) the
 * parameter receives nothing from outside -- each caller gets the
 * callback edge to the functions it passes itself, and the wrapper's own
 * edges for the parameter are callback-parameter edges (gr_via.param),
 * which count for the wrapper alone.  The masks only grow, so it ends.
 */
static int gr_cb_params(gr_graph *g, const gr_opts *o, gr_ind *x) {
  uint8_t *ok = calloc(g->nodes.n + 1, 1);
  if (!ok) return -1;
  for (size_t i = 0; i < g->nodes.n; i++) ok[i] = g->nodes.v[i].has_body && !g->nodes.v[i].task;
  for (size_t i = 0; i < g->addrs.n; i++) ok[g->addrs.v[i].func] = 0;
  int rc = 0;
  for (int changed = 1; rc == 0 && changed;) {
    changed = 0;
    for (size_t i = 0; rc == 0 && i < g->icalls.n; i++) {
      const gr_icall *ic = &g->icalls.v[i];
      if (ic->slot_kind != FT_SLOT_PARAM || ic->via_callee == GR_NONE || ic->via_icall != GR_NONE ||
          ic->caller == GR_NONE || !ok[ic->caller] || ic->slot_arg < 1 ||
          (o->open_world && gr_param_open(g, x, ic->caller, ic->slot_arg)))
        continue;
      uint8_t mask = gr_callback_mask(o, g, x, ic->via_callee, ic->via_arg);
      uint8_t cur = gr_cb_param(x, ic->caller, ic->slot_arg);
      if (!(mask & ~cur)) continue;
      const char *k = gr_param_key_str(g, ic->caller, ic->slot_arg);
      rc = !k || ut_map_put(&x->cb_params, k, (uint32_t)(cur | mask)) < 0 ? -1 : 0;
      changed = 1;
    }
  }
  free(ok);
  return rc;
}

/* Is the record of field key written by code outside the program? */
static int gr_record_outside(const gr_ind *x, const char *key) {
  const char *fi = strstr(key, "@FI@");
  if (!fi) return 0;
  ut_buf rec = {0};
  ut_buf_add(&rec, key, (size_t)(fi - key));
  uint32_t v;
  int r = rec.failed || ut_map_get(&x->outside, rec.s, &v);
  ut_buf_free(&rec);
  return r;
}

/* How the pointer of ic is resolved and, unless that is unknown, its
 * candidates (appended to out). */
static int gr_candidates(gr_graph *g, const gr_opts *o, gr_ind *x, const gr_icall *ic, gr_nodes *out, uint8_t *mode) {
  const char *key = gr_icall_key(ic);
  if (o->indirect == VC_INDIRECT_UNKNOWN) {
    *mode = VC_RES_UNKNOWN;
    return 0;
  }
  uint32_t seen;
  int outside = o->open_world && (ic->ext_origin || (ic->slot[0] && ut_map_get(&x->outside, ic->slot, &seen)) ||
                                  (ic->slot_kind == FT_SLOT_FIELD && gr_record_outside(x, ic->slot)) ||
                                  (ic->slot_kind == FT_SLOT_PARAM && gr_param_open(g, x, ic->caller, ic->slot_arg)));
  if (outside || (x->foreign && gr_ks_has(&x->data_types, key))) {
    /* from outside (another library, code dlsym found), or from the
     * program: unknown, and every compatible function of the program is
     * still a candidate, so a known effect is not lost */
    *mode = VC_RES_OPEN;
    return gr_signature(&x->s, key, out);
  }
  int typed = !gr_ks_has(&x->open_types, key);
  if (o->indirect == VC_INDIRECT_FIELD && typed &&
      ((ic->slot_kind == FT_SLOT_FIELD && gr_field_ok(g, ic->slot)) ||
       (ic->slot_kind == FT_SLOT_VAR && gr_var_ok(g, ic->slot)))) {
    size_t n;
    const uint64_t *v = gr_mm_get(&x->s.field, ic->slot, &n);
    *mode = ic->slot_kind == FT_SLOT_FIELD ? VC_RES_FIELD : VC_RES_VAR;
    return gr_push_list(out, v, n);
  }
  *mode = VC_RES_SIGNATURE;
  return gr_signature(&x->s, key, out);
}

/*
 * Resolves icall i.  `through` is GR_NONE for a call, or the modeled
 * function (a candidate of the indirect call ic is an argument of) that
 * calls ic's pointer back; `limit` bounds the properties its edges carry.
 * Candidates of plain calls are kept (x->cands) for their arguments.
 */
static int gr_resolve(gr_graph *g, const gr_opts *o, gr_ind *x, uint32_t i, uint32_t through, uint8_t limit) {
  const gr_icall *ic = &g->icalls.v[i];
  gr_resolution res = {i, VC_RES_SIGNATURE, 0, 0};
  uint32_t unchecked = gr_unchecked(g, x, gr_icall_key(ic)) | (ic->slot[0] ? gr_unchecked(g, x, ic->slot) : 0);
  res.trusted = gr_props(ic->contract & ~unchecked);
  uint8_t need = gr_all & limit & (uint8_t)~res.trusted;
  gr_via via = {VC_EDGE_POINTER, GR_NONE, 0};
  uint32_t cb = through != GR_NONE ? through : ic->via_callee;
  if (ic->via_callee != GR_NONE || ic->via_icall != GR_NONE) {
    if (cb == GR_NONE) return 0; /* an argument of an indirect call: resolved per candidate */
    uint8_t mask = gr_callback_mask(o, g, x, cb, ic->via_arg);
    need &= mask;
    if (!need) return 0; /* not called back (or the callee has a body) */
    res.mode = VC_RES_CALLBACK;
    via.kind = mask == (1u << VD_PANIC) ? VC_EDGE_SPAWN : VC_EDGE_CALLBACK;
    via.through = cb;
    /* the caller's own callback parameter: its callers pass the values */
    via.param = through == GR_NONE && ic->slot_kind == FT_SLOT_PARAM && gr_cb_param(x, ic->caller, ic->slot_arg);
  }
  size_t start = x->cands.n;
  uint8_t mode = VC_RES_UNKNOWN;
  int rc = gr_candidates(g, o, x, ic, &x->cands, &mode);
  size_t n = x->cands.n - start;
  if (res.mode != VC_RES_CALLBACK) res.mode = mode;
  if (!need && res.mode != VC_RES_CALLBACK) res.mode = VC_RES_TRUSTED;
  res.candidates = (uint32_t)n;
  if (rc == 0 && need) rc = gr_edges_to(g, ic->caller, ic->site, x->cands.v + start, n, need, via);
  if (rc == 0 && need && (n == 0 || mode == VC_RES_UNKNOWN || mode == VC_RES_OPEN)) gr_unresolved(g, ic, need);
  if (rc == 0 && need && g->incomplete) { /* a TU that did not parse may store or take any function */
    gr_reason r = {FX_INCOMPLETE, g->incomplete, ic->site, {"", 0, 0}};
    for (int p = 0; p < VD_NPROPS; p++)
      if (need & (1u << p)) gr_offer(&g->nodes.v[ic->caller], (vd_prop)p, r);
  }
  if (through != GR_NONE || ic->via_callee != GR_NONE) x->cands.n = start; /* only calls keep theirs */
  else x->need[i] = need;
  return rc < 0 || UT_PUSH(g->resolutions, res) < 0 ? -1 : 0;
}

/* Arguments of indirect calls: a candidate that is a modeled function
 * calling its argument back (`sorter = qsort; sorter(a, n, s, cmp)`)
 * gets the callback edge, as a direct call of it would. */
static int gr_icall_callbacks(gr_graph *g, const gr_opts *o, gr_ind *x) {
  for (uint32_t i = 0; i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    if (ic->via_icall == GR_NONE) continue;
    uint32_t outer = ic->via_icall;
    for (uint32_t k = x->cand_off[outer]; k < x->cand_off[outer + 1]; k++)
      if (gr_callback_mask(o, g, x, x->cands.v[k], ic->via_arg) &&
          gr_resolve(g, o, x, i, x->cands.v[k], x->need[outer]) < 0)
        return -1;
  }
  size_t n = g->addrs.n;
  for (size_t i = 0; i < n; i++) {
    const gr_addr a = g->addrs.v[i];
    if (a.dest_kind != FT_SLOT_ARG || a.icall == GR_NONE || a.in_func == GR_NONE) continue;
    for (uint32_t k = x->cand_off[a.icall]; k < x->cand_off[a.icall + 1]; k++) {
      uint32_t t = x->cands.v[k];
      uint8_t mask = gr_callback_mask(o, g, x, t, a.arg) & x->need[a.icall];
      gr_via via = {mask == (1u << VD_PANIC) ? VC_EDGE_SPAWN : VC_EDGE_CALLBACK, t, 0};
      if (mask && gr_add_edge_via(g, a.in_func, a.func, a.site, mask, via) < 0) return -1;
    }
  }
  return 0;
}

/* Functions passed by name to a modeled function that calls them back, or
 * to a callback parameter of a body: the edge is the passing call's. */
static int gr_callbacks(gr_graph *g, const gr_opts *o, const gr_ind *x) {
  size_t n = g->addrs.n;
  for (size_t i = 0; i < n; i++) {
    const gr_addr a = g->addrs.v[i];
    if (a.dest_kind != FT_SLOT_ARG || a.in_func == GR_NONE || a.callee == GR_NONE) continue;
    uint8_t mask = gr_callback_mask(o, g, x, a.callee, a.arg);
    gr_via via = {mask == (1u << VD_PANIC) ? VC_EDGE_SPAWN : VC_EDGE_CALLBACK, a.callee, 0};
    if (mask && gr_add_edge_via(g, a.in_func, a.func, a.site, mask, via) < 0) return -1;
  }
  return 0;
}

/*
 * Pools (models: handler=, entry=, cookie=): functions a library keeps and
 * runs later on the thread that calls one of the pool's runners (raise
 * runs the signal handlers, swapcontext a makecontext entry, fprintf a
 * fopencookie function).  A pool holds every function passed to its
 * registrars, by name, through a pointer (its candidates) or in a record
 * (the functions stored into the record's fields; by signature when the
 * field is not tracked).  Each call of a runner gets an edge to each
 * member, and is unknown when a member could not be resolved.
 */
static uint32_t gr_pool_bits(const gr_opts *o, const gr_graph *g, uint32_t node, int32_t arg) {
  const md_entry *m = node != GR_NONE && !g->nodes.v[node].has_body ? gr_model(o, &g->nodes.v[node]) : NULL;
  uint32_t bits = 0;
  for (int p = 0; m && p < MD_NPOOLS && arg >= 1 && arg <= 32; p++)
    if (m->pool[p] & (1u << (arg - 1))) bits |= 1u << p;
  return bits;
}

static int gr_pools(gr_graph *g, const gr_opts *o, gr_ind *x) {
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    uint32_t bits = a->dest_kind == FT_SLOT_ARG ? gr_pool_bits(o, g, a->callee, a->arg) : 0;
    for (int p = 0; p < MD_NPOOLS; p++)
      if ((bits & (1u << p)) && UT_PUSH(x->pool[p], a->func) < 0) return -1;
  }
  for (size_t i = 0; i < g->icalls.n; i++) {
    const gr_icall *ic = &g->icalls.v[i];
    uint32_t bits = gr_pool_bits(o, g, ic->via_callee, ic->via_arg);
    for (int p = 0; p < MD_NPOOLS; p++) {
      if (!(bits & (1u << p))) continue;
      uint8_t mode;
      size_t start = x->pool[p].n;
      if (gr_candidates(g, o, x, ic, &x->pool[p], &mode) < 0) return -1;
      if (mode == VC_RES_UNKNOWN || mode == VC_RES_OPEN || x->pool[p].n == start) x->pool_open[p] = 1;
    }
  }
  for (size_t i = 0; i < x->records.n; i++) {
    const gr_flow *f = x->records.v[i];
    uint32_t bits = gr_pool_bits(o, g, f->func, f->arg);
    for (int p = 0; p < MD_NPOOLS; p++) {
      if (!(bits & (1u << p))) continue;
      size_t n;
      const uint64_t *v = gr_mm_get(&x->s.field, f->key, &n);
      if (gr_push_list(&x->pool[p], v, n) < 0) return -1;
      if (!gr_field_ok(g, f->key) && gr_signature(&x->s, f->src, &x->pool[p]) < 0) return -1;
    }
  }
  size_t ne = g->edges.n;
  for (size_t e = 0; e < ne; e++) {
    uint32_t r = g->edges.v[e].dst, src = g->edges.v[e].src;
    const md_entry *m = g->nodes.v[r].has_body ? NULL : gr_model(o, &g->nodes.v[r]);
    if (!m || !m->runs) continue;
    ft_loc site = g->sites.v[e];
    uint8_t mask = g->masks.v[e];
    for (int p = 0; p < MD_NPOOLS; p++) {
      if (!(m->runs & (1u << p))) continue;
      gr_via via = {VC_EDGE_CALLBACK, r, 0};
      if (gr_edges_to(g, src, site, x->pool[p].v, x->pool[p].n, mask, via) < 0) return -1;
      if (x->pool_open[p]) gr_unknown_at(g, src, site, g->nodes.v[r].name, mask);
    }
  }
  return 0;
}

/* The model's flag f on a bodiless node, or 0. */
static int gr_flag(const gr_opts *o, const gr_graph *g, uint32_t node, uint8_t f) {
  const gr_node *n = &g->nodes.v[node];
  const md_entry *m = n->has_body ? NULL : gr_model(o, n);
  return m && (m->flags & f);
}

/* Is a function with flag f called (or its address taken) anywhere? */
static int gr_used(const gr_opts *o, const gr_graph *g, uint8_t f) {
  for (size_t e = 0; e < g->edges.n; e++)
    if (gr_flag(o, g, g->edges.v[e].dst, f)) return 1;
  for (size_t i = 0; i < g->addrs.n; i++)
    if (gr_flag(o, g, g->addrs.v[i].func, f)) return 1;
  return 0;
}

/* Thread cancellation: once the program can cancel a thread, every
 * cancellation point may end the thread that reaches it (cancellation is
 * enabled and deferred by default). */
static void gr_cancellation(gr_graph *g, const gr_opts *o) {
  if (!gr_used(o, g, MD_CANCELS)) return;
  for (uint32_t i = 0; i < g->nodes.n; i++) {
    gr_node *n = &g->nodes.v[i];
    if (!gr_flag(o, g, i, MD_CANCELPOINT) || fx_get(n->base[VD_PANIC].kind)->verdict == VD_VIOLATED) continue;
    gr_reason r = {FX_PANIC_CALL, n->name, n->loc, n->loc};
    n->base[VD_PANIC] = r;
  }
}

static void gr_ind_free(gr_ind *x) {
  gr_mm_free(&x->s.exact);
  gr_mm_free(&x->s.proto);
  gr_mm_free(&x->s.noproto);
  gr_mm_free(&x->s.field);
  gr_ks_free(&x->open_types);
  gr_ks_free(&x->data_types);
  ut_map_free(&x->untrust);
  ut_map_free(&x->defined);
  ut_map_free(&x->params);
  ut_map_free(&x->outside);
  ut_map_free(&x->open_params);
  ut_map_free(&x->cb_params);
  free(x->pkeys.v);
  free(x->copies.v);
  free(x->records.v);
  free(x->cand_off);
  free(x->need);
  free(x->cands.v);
  for (int p = 0; p < MD_NPOOLS; p++) free(x->pool[p].v);
}

static int gr_indirect(gr_graph *g, const gr_opts *o) {
  gr_ind x;
  memset(&x, 0, sizeof x);
  x.cand_off = calloc(g->icalls.n + 1, sizeof *x.cand_off);
  x.need = calloc(g->icalls.n + 1, 1);
  int rc = x.cand_off && x.need ? gr_build_sets(g, &x.s) : -1;
  if (rc == 0) rc = gr_apply_flows(g, o, &x);
  if (rc == 0) rc = gr_contracts(g, &x);
  x.foreign = gr_used(o, g, MD_FOREIGN);
  if (rc == 0 && o->open_world) rc = gr_open_params(g, &x);
  if (rc == 0) rc = gr_cb_params(g, o, &x);
  for (uint32_t i = 0; rc == 0 && i < g->icalls.n; i++) {
    x.cand_off[i] = (uint32_t)x.cands.n;
    rc = gr_resolve(g, o, &x, i, GR_NONE, gr_all);
  }
  if (rc == 0) x.cand_off[g->icalls.n] = (uint32_t)x.cands.n;
  if (rc == 0) rc = gr_icall_callbacks(g, o, &x);
  if (rc == 0) rc = gr_callbacks(g, o, &x);
  if (rc == 0) rc = gr_pools(g, o, &x);
  if (rc == 0) gr_cancellation(g, o);
  gr_ind_free(&x);
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
  for (size_t i = 0; i < g->flows.n; i++)
    if (g->flows.v[i].func != GR_NONE) g->flows.v[i].func = rank[g->flows.v[i].func];
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
      vv[k - 1].param &= g->vias.v[order[i]].param; /* a callback parameter edge only if both are */
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

/* Is argument `arg` of a call to `callee` a task entry: FNPROP_SPAWN(arg)
 * on the callee, or `task-entry=arg` in its model entry?  The model says
 * what the argument is, not what the function does, so it applies to an
 * external function with a body too (a runtime compiled into the program). */
static int gr_spawn_arg(const gr_opts *o, const gr_graph *g, uint32_t callee, int32_t arg) {
  const gr_node *n = &g->nodes.v[callee];
  if (n->spawn_param == arg) return 1;
  if (!n->external || arg < 1 || arg > 32 || !o->model) return 0;
  const md_entry *m = md_find(o->model, n->name);
  return m && (m->task_entry & (1u << (arg - 1)));
}

/* Task entries: annotated FNPROP_TASK, stored into a slot (field, variable,
 * parameter, typedef) annotated FNPROP_TASK, passed by name as argument n
 * of a function annotated FNPROP_SPAWN(n) or modeled `task-entry=n`, or
 * the region of an OpenMP task directive. */
static void gr_tasks(gr_graph *g, const gr_opts *o) {
  for (size_t i = 0; i < g->nodes.n; i++)
    if ((g->nodes.v[i].annots & FT_ANN_TASK) || (g->nodes.v[i].omp & FT_OMP_TASK)) g->nodes.v[i].task = 1;
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    if ((a->dest_kind == FT_SLOT_ARG && a->callee != GR_NONE && gr_spawn_arg(o, g, a->callee, a->arg)) ||
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

/* Does the configuration trust n as transparent: a name glob matches it,
 * or it is defined under a trusted folder? */
static int gr_is_transparent(const gr_opts *o, const gr_node *n) {
  for (size_t i = 0; i < o->ntransparent; i++) {
    const char *t = o->transparent[i];
    size_t k = strlen(t);
    if (k && t[k - 1] == '/') {
      if (n->has_body && n->loc.file && strncmp(n->loc.file, t, k) == 0) return 1;
    } else if (fnmatch(t, n->name, 0) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The trust boundary `transparent:` (a scheduler's internals): such a
 * function is clean for tls whatever its body or its callees do; its
 * panics still count.  Every function it covers is counted, so the
 * summary can say the trust was used. */
static void gr_transparent(gr_graph *g, const gr_opts *o) {
  g->transparent_funcs = 0;
  g->transparent_list = "";
  if (!o->ntransparent) return;
  ut_buf list = {0};
  for (size_t i = 0; i < o->ntransparent; i++) ut_buf_printf(&list, "%s%s", i ? ", " : "", o->transparent[i]);
  g->transparent_list = list.failed ? "" : gr_str(g, list.s);
  if (list.failed) g->failed = 1;
  ut_buf_free(&list);
  for (size_t i = 0; i < g->nodes.n; i++) {
    gr_node *n = &g->nodes.v[i];
    if (!gr_is_transparent(o, n)) continue;
    n->transparent = 1;
    n->base[VD_TLS] = (gr_reason){FX_NONE, n->name, n->loc, n->loc};
    if (!n->system) g->transparent_funcs++;
  }
  for (size_t i = 0; i < g->edges.n; i++)
    if (g->nodes.v[g->edges.v[i].src].transparent) g->masks.v[i] &= (uint8_t)~(1u << VD_TLS);
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
  gr_tasks(g, o);
  if (gr_indirect(g, o) < 0) return g->failed = 1, -1;
  gr_yields(g);
  gr_transparent(g, o);
  if (gr_sort_edges(g) < 0) return g->failed = 1, -1;
  return 0;
}

uint8_t *gr_base_verdicts(const gr_graph *g) {
  uint8_t *b = malloc(g->nodes.n * VD_NPROPS + 1);
  for (size_t i = 0; b && i < g->nodes.n; i++)
    for (int p = 0; p < VD_NPROPS; p++) b[i * VD_NPROPS + p] = (uint8_t)fx_get(g->nodes.v[i].base[p].kind)->verdict;
  return b;
}

uint8_t *gr_base_trusting_interposition(const gr_graph *g) {
  uint8_t *b = gr_base_verdicts(g);
  for (size_t i = 0; b && i < g->nodes.n; i++)
    for (int p = 0; p < VD_NPROPS; p++)
      if (g->nodes.v[i].base[p].kind == FX_INTERPOSABLE && !(g->nodes.v[i].unknown_else & (1u << p)))
        b[i * VD_NPROPS + p] = VD_PROVEN;
  return b;
}

int gr_solve(const gr_graph *g, sv_result *out) {
  uint8_t *base = gr_base_verdicts(g);
  if (!base) return -1;
  int rc = gr_solve_base(g, base, out);
  free(base);
  return rc;
}

/* Callback-parameter edges: a function proven without them (the verdict
 * its callers see) gets the worst verdict of their callees, the witness
 * the lowest such edge.  Their callees are address-taken, so never such a
 * function themselves: their verdicts are final.  A chain that enters the
 * function from a caller (whose verdict is not proven) never meets these
 * witnesses, as the function was proven in the solve its callers saw. */
static void gr_cb_param_verdicts(const gr_graph *g, sv_result *out) {
  for (size_t i = 0; i < g->edges.n; i++) {
    if (!g->vias.v[i].param) continue;
    sv_result *r = &out[g->edges.v[i].src];
    const sv_result *d = &out[g->edges.v[i].dst];
    for (int p = 0; p < VD_NPROPS; p++) {
      if (!(g->masks.v[i] & (1u << p)) || d->verdict[p] == VD_PROVEN) continue;
      int own = r->witness[p].why != SV_WHY_EDGE || !g->vias.v[r->witness[p].edge].param;
      if (r->verdict[p] == VD_PROVEN || (!own && d->verdict[p] > r->verdict[p])) {
        r->verdict[p] = d->verdict[p];
        r->witness[p].why = SV_WHY_EDGE;
        r->witness[p].edge = (uint32_t)i;
      }
    }
  }
}

int gr_solve_base(const gr_graph *g, const uint8_t *base, sv_result *out) {
  const uint8_t all = (1u << VD_NPROPS) - 1;
  int split = 0, params = 0, rc = -1;
  for (size_t i = 0; i < g->masks.n; i++) split |= g->masks.v[i] != all, params |= g->vias.v[i].param;
  if (!split && !params) return sv_solve((uint32_t)g->nodes.n, base, g->edges.n, g->edges.v, out);
  sv_edge *e = malloc((g->edges.n + 1) * sizeof *e);
  uint32_t *idx = malloc((g->edges.n + 1) * sizeof *idx);
  sv_result *r = malloc((g->nodes.n + 1) * sizeof *r);
  rc = e && idx && r ? 0 : -1;
  for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
    size_t m = 0;
    for (size_t i = 0; i < g->edges.n; i++)
      if ((g->masks.v[i] & (1u << p)) && !g->vias.v[i].param) e[m] = g->edges.v[i], idx[m++] = (uint32_t)i;
    rc = sv_solve((uint32_t)g->nodes.n, base, m, e, r);
    for (size_t i = 0; rc == 0 && i < g->nodes.n; i++) {
      out[i].verdict[p] = r[i].verdict[p];
      out[i].witness[p] = r[i].witness[p];
      if (r[i].witness[p].why == SV_WHY_EDGE) out[i].witness[p].edge = idx[r[i].witness[p].edge];
    }
  }
  if (rc == 0 && params) gr_cb_param_verdicts(g, out);
  free(e);
  free(idx);
  free(r);
  return rc;
}
