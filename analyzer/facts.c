/* SPDX-License-Identifier: MIT */
/* facts.c - per-TU fact container: creation, interning, destruction. */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

static const struct {
  const char *s;
  uint32_t bit;
} ft_annots[] = {
    {"fnprop:notls", FT_ANN_NOTLS},
    {"fnprop:nopanic", FT_ANN_NOPANIC},
    {"fnprop:tls", FT_ANN_TLS},
    {"fnprop:panic", FT_ANN_PANIC},
    {"fnprop:task", FT_ANN_TASK},
    {"fnprop:yield", FT_ANN_YIELD},
    {"fnprop:migration-safe", FT_ANN_MIGRATION_SAFE},
};

uint32_t ft_annotation_bit(const char *s, int *spawn_param) {
  for (size_t i = 0; i < sizeof ft_annots / sizeof ft_annots[0]; i++)
    if (strcmp(s, ft_annots[i].s) == 0) return ft_annots[i].bit;
  if (strncmp(s, "fnprop:spawn:", 13) == 0) {
    char *end;
    long n = strtol(s + 13, &end, 10);
    if (*end || n <= 0 || n > 1000) return 0;
    if (spawn_param) *spawn_param = (int)n;
    return FT_ANN_SPAWN;
  }
  return 0;
}

const char *ft_annotation_name(uint32_t bit) {
  for (size_t i = 0; i < sizeof ft_annots / sizeof ft_annots[0]; i++)
    if (ft_annots[i].bit == bit) return ft_annots[i].s + 7; /* after "fnprop:" */
  return bit == FT_ANN_SPAWN ? "spawn" : "?";
}

static const char *const ft_slot_names[] = {
    [FT_SLOT_NONE] = "expression", [FT_SLOT_FIELD] = "field",  [FT_SLOT_VAR] = "variable",
    [FT_SLOT_PARAM] = "parameter", [FT_SLOT_ARG] = "argument", [FT_SLOT_RETURN] = "return"};

const char *ft_slot_name(int kind) {
  return kind >= 0 && kind < (int)(sizeof ft_slot_names / sizeof ft_slot_names[0]) ? ft_slot_names[kind] : "?";
}

/* The contract of each property: its annotation bit and its macro. */
static const struct {
  uint32_t bit;
  const char *macro;
} ft_contracts[VD_NPROPS] = {
    [VD_TLS] = {FT_ANN_NOTLS, "FNPROP_NOTLS"}, [VD_PANIC] = {FT_ANN_NOPANIC, "FNPROP_NOPANIC"}};

uint32_t ft_contract_bit(vd_prop p) { return (unsigned)p < VD_NPROPS ? ft_contracts[p].bit : 0; }

const char *ft_contract_name(vd_prop p) { return (unsigned)p < VD_NPROPS ? ft_contracts[p].macro : "?"; }

ft_tu *ft_tu_create(const char *file, const char *directory) {
  ft_tu *tu = calloc(1, sizeof *tu);
  if (!tu) return NULL;
  tu->complete = 1;
  tu->file = ft_str(tu, file);
  tu->directory = ft_str(tu, directory);
  return tu;
}

void ft_tu_destroy(ft_tu *tu) {
  if (!tu) return;
  free(tu->funcs.v);
  free(tu->calls.v);
  free(tu->icalls.v);
  free(tu->addrs.v);
  free(tu->effects.v);
  free(tu->diags.v);
  free(tu->inputs.v);
  ft_lookups_free(&tu->lookups);
  free(tu->polluted.v);
  free(tu->flows.v);
  free(tu->dropped.v);
  ut_map_free(&tu->func_index);
  ut_arena_free(&tu->arena);
  fl_unit_destroy(tu->body_flow);
  free(tu);
}

void ft_lookups_free(ft_lookups *l) {
  free(l->dirs.v);
  free(l->names.v);
  free(l->hits.v);
  free(l->watches.v);
  memset(l, 0, sizeof *l);
}

const char *ft_str(ft_tu *tu, const char *s) {
  const char *p = ut_arena_strdup(&tu->arena, s);
  if (!p) {
    tu->failed = 1;
    return "";
  }
  return p;
}

uint32_t ft_func_intern(ft_tu *tu, const char *usr, const char *path_key, int *is_new) {
  ut_buf key = {0};
  ut_buf_pair(&key, usr, path_key);
  uint32_t idx = FT_NONE;
  *is_new = 0;
  if (key.failed) {
    tu->failed = 1;
  } else if (!ut_map_get(&tu->func_index, key.s, &idx)) {
    ft_func f = {0};
    f.usr = ft_str(tu, usr);
    f.path_key = ft_str(tu, path_key);
    f.name = "";
    f.loc.file = "";
    f.hdecl.file = "";
    idx = (uint32_t)tu->funcs.n;
    if (UT_PUSH(tu->funcs, f) < 0 || ut_map_put(&tu->func_index, ft_str(tu, key.s), idx) < 0) {
      tu->failed = 1;
      idx = FT_NONE;
    } else {
      *is_new = 1;
    }
  }
  ut_buf_free(&key);
  return idx;
}

/* ---- variants of header functions ----------------------------------------- */
static uint64_t ft_hash_loc(uint64_t h, ft_loc l) {
  h = ut_hash_str(h, l.file);
  h = ut_hash(h, &l.line, sizeof l.line);
  return ut_hash(h, &l.col, sizeof l.col);
}

static uint64_t ft_hash_u(uint64_t h, uint64_t v) { return ut_hash(h, &v, sizeof v); }

static uint64_t ft_hash_func_key(uint64_t h, const ft_func *f) {
  h = ut_hash_str(h, f->usr);
  return ut_hash_str(h, f->path_key);
}

/* Each candidate's own facts in this TU, in one pass per record array
 * (linear in the TU's facts): its attributes, calls (callees by identity),
 * indirect calls, address uses and effects, in walk order. */
static void ft_own_hashes(const ft_tu *tu, const uint8_t *cand, uint64_t *h) {
  for (size_t f = 0; f < tu->funcs.n; f++) {
    if (!cand[f]) continue;
    const ft_func *fn = &tu->funcs.v[f];
    h[f] = ut_hash_str(UT_HASH_INIT, fn->fntype ? fn->fntype : "");
    h[f] = ft_hash_u(h[f], (uint64_t)fn->noreturn | (uint64_t)fn->weak << 1 | (uint64_t)fn->annots << 8);
    h[f] = ft_hash_u(h[f], (uint64_t)(int64_t)fn->spawn_param);
  }
  for (size_t i = 0; i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    if (!cand[c->caller]) continue;
    uint64_t x = ft_hash_loc(ft_hash_u(h[c->caller], 'c' | (uint64_t)c->flags << 8), c->site);
    h[c->caller] = ft_hash_func_key(x, &tu->funcs.v[c->callee]);
  }
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    if (!cand[c->caller]) continue;
    uint64_t x = ft_hash_loc(ft_hash_u(h[c->caller], 'i'), c->site);
    x = ut_hash_str(ut_hash_str(x, c->fntype), c->slot);
    x = ft_hash_u(x, (uint64_t)c->slot_kind | (uint64_t)c->ext_origin << 8 | (uint64_t)c->contract << 16 |
                         (uint64_t)(uint32_t)c->via_arg << 32);
    if (c->via_call >= 0) x = ft_hash_func_key(x, &tu->funcs.v[tu->calls.v[c->via_call].callee]);
    h[c->caller] = x;
  }
  for (size_t i = 0; i < tu->addrs.n; i++) {
    const ft_addr *a = &tu->addrs.v[i];
    if (a->in_func < 0 || !cand[a->in_func]) continue;
    uint64_t x = ft_hash_func_key(ft_hash_loc(ft_hash_u(h[a->in_func], 'a'), a->site), &tu->funcs.v[a->func]);
    x = ut_hash_str(ut_hash_str(x, a->cast_type), a->dest);
    h[a->in_func] =
        ft_hash_u(x, (uint64_t)a->dest_kind | (uint64_t)a->contract << 8 | (uint64_t)(uint32_t)a->arg << 40);
  }
  for (size_t i = 0; i < tu->effects.n; i++) {
    const ft_effect *e = &tu->effects.v[i];
    if (!cand[e->func]) continue;
    uint64_t x = ft_hash_loc(ft_hash_u(h[e->func], 'e' | (uint64_t)e->kind << 8 | (uint64_t)e->annots << 16), e->site);
    h[e->func] = ut_hash_str(x, e->detail);
  }
}

/* Iterative Tarjan over the calls between variant candidates; calls
 * comp(arg, members, n) for each strongly connected component, callees'
 * components first. */
typedef struct ft_scc {
  const ft_tu *tu;
  const uint8_t *cand;
  uint32_t *off, *adj;        /* CSR of candidate -> candidate calls */
  uint32_t *index, *low, *stack, *frame, *pos;
  uint8_t *on;
  uint64_t *own, *sig;
} ft_scc;

/* One component: its hash combines its members' own facts (in USR order)
 * and the signatures of every variant candidate they call outside it. */
static void ft_scc_done(ft_scc *s, uint32_t *members, size_t n, uint32_t comp) {
  for (size_t i = 1; i < n; i++) /* USR order (components are small) */
    for (size_t j = i; j > 0 && strcmp(s->tu->funcs.v[members[j - 1]].usr, s->tu->funcs.v[members[j]].usr) > 0; j--) {
      uint32_t t = members[j];
      members[j] = members[j - 1];
      members[j - 1] = t;
    }
  uint64_t h = UT_HASH_INIT;
  for (size_t i = 0; i < n; i++) h = ft_hash_u(ut_hash_str(h, s->tu->funcs.v[members[i]].usr), s->own[members[i]]);
  for (size_t i = 0; i < n; i++)
    for (uint32_t e = s->off[members[i]]; e < s->off[members[i] + 1]; e++)
      if (s->pos[s->adj[e]] != comp) h = ft_hash_u(h, s->sig[s->adj[e]]);
  for (size_t i = 0; i < n; i++) s->sig[members[i]] = h;
}

static int ft_tarjan(ft_scc *s, uint32_t n) {
  uint32_t counter = 1, sp = 0, comps = 0;
  uint32_t *members = malloc((n + 1) * sizeof *members);
  if (!members) return -1;
  for (uint32_t root = 0; root < n; root++) {
    if (!s->cand[root] || s->index[root]) continue;
    uint32_t fp = 0;
    s->frame[fp++] = root;
    s->index[root] = s->low[root] = counter++;
    s->stack[sp++] = root;
    s->on[root] = 1;
    uint32_t *edge = s->pos; /* reused below as component id; edge cursor per node until done */
    edge[root] = s->off[root];
    while (fp) {
      uint32_t v = s->frame[fp - 1];
      if (edge[v] < s->off[v + 1]) {
        uint32_t w = s->adj[edge[v]++];
        if (!s->index[w]) {
          s->index[w] = s->low[w] = counter++;
          s->stack[sp++] = w;
          s->on[w] = 1;
          edge[w] = s->off[w];
          s->frame[fp++] = w;
        } else if (s->on[w] && s->index[w] < s->low[v]) {
          s->low[v] = s->index[w];
        }
        continue;
      }
      fp--;
      if (fp && s->low[v] < s->low[s->frame[fp - 1]]) s->low[s->frame[fp - 1]] = s->low[v];
      if (s->low[v] != s->index[v]) continue;
      size_t k = 0;
      uint32_t comp = UINT32_MAX - 1 - comps++;
      uint32_t x;
      do {
        x = s->stack[--sp];
        s->on[x] = 0;
        members[k++] = x;
      } while (x != v);
      for (size_t i = 0; i < k; i++) s->pos[members[i]] = comp; /* marks done: an id, never an edge cursor */
      ft_scc_done(s, members, k, comp);
    }
  }
  free(members);
  return 0;
}

void ft_key_variants(ft_tu *tu) {
  uint32_t n = (uint32_t)tu->funcs.n;
  if (!n || tu->failed) return;
  ft_scc s = {tu, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  uint8_t *cand = calloc(n, 1);
  size_t ncand = 0;
  for (uint32_t i = 0; cand && i < n; i++) {
    const ft_func *f = &tu->funcs.v[i];
    cand[i] = !f->external && f->has_body && f->path_key[0] && strcmp(f->path_key, tu->file) != 0;
    ncand += cand[i];
  }
  if (!cand || !ncand) {
    if (!cand) tu->failed = 1;
    free(cand);
    return;
  }
  s.cand = cand;
  s.off = calloc(n + 2, sizeof *s.off);
  s.adj = malloc((tu->calls.n + 1) * sizeof *s.adj);
  s.index = calloc(n, sizeof *s.index);
  s.low = calloc(n, sizeof *s.low);
  s.stack = malloc(n * sizeof *s.stack);
  s.frame = malloc(n * sizeof *s.frame);
  s.pos = calloc(n, sizeof *s.pos);
  s.on = calloc(n, 1);
  s.own = calloc(n, sizeof *s.own);
  s.sig = calloc(n, sizeof *s.sig);
  int ok = s.off && s.adj && s.index && s.low && s.stack && s.frame && s.pos && s.on && s.own && s.sig;
  for (size_t i = 0; ok && i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    if (cand[c->caller] && cand[c->callee]) s.off[c->caller + 1]++;
  }
  for (uint32_t i = 0; ok && i < n; i++) s.off[i + 1] += s.off[i];
  uint32_t *fill = ok ? calloc(n + 1, sizeof *fill) : NULL;
  ok = ok && fill;
  for (size_t i = 0; ok && i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    if (cand[c->caller] && cand[c->callee]) s.adj[s.off[c->caller] + fill[c->caller]++] = c->callee;
  }
  free(fill);
  if (ok) ft_own_hashes(tu, cand, s.own);
  ok = ok && ft_tarjan(&s, n) == 0;
  for (uint32_t i = 0; ok && i < n; i++) {
    if (!cand[i]) continue;
    ut_buf k = {0};
    ut_buf_printf(&k, "%s#%016llx", tu->funcs.v[i].path_key, (unsigned long long)s.sig[i]);
    if (k.failed) ok = 0;
    else tu->funcs.v[i].path_key = ft_str(tu, k.s);
    ut_buf_free(&k);
  }
  if (!ok) tu->failed = 1;
  free(cand), free(s.off), free(s.adj), free(s.index), free(s.low), free(s.stack), free(s.frame), free(s.pos);
  free(s.on), free(s.own), free(s.sig);
}
