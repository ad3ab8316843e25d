/* SPDX-License-Identifier: MIT */
/*
 * migrate.c - the whole-program part of stage 3 (docs/stage3.md).
 *
 * Order of work in mg_solve, each step linear in the graph unless noted:
 *  1. bodies to nodes, callee keys to nodes, the global objects (the
 *     thread-local variables of every TU plus errno, the thread identity,
 *     thread-specific data, the TLS block and one per per-thread `state`
 *     function of the model);
 *  2. may-suspend: reverse breadth-first search from the yields (certain)
 *     and from calls through contract-trusted pointers (uncertain);
 *  3. SCCs by an iterative Tarjan over the call edges (spawned threads are
 *     other tasks: their edges are left out), processed callees first.  An
 *     SCC with a cycle starts from the bottom summary (nothing, except
 *     "kills everything") and is re-analysed until no summary changes: the
 *     summaries form a finite lattice and each analysis is monotone in
 *     them, so this ends; an SCC without a cycle is analysed once;
 *     Only functions that may suspend, or are called (transitively) by one
 *     that may, are analysed: elsewhere nothing can be live across a
 *     suspension and no summary is consumed;
 *  4. each function's own verdict from its findings and reasons, and from
 *     thread-bound addresses the compiler may cache (mg_cached: an access
 *     through a const accessor or to a thread-local variable that may run
 *     after a suspension of the same activation, inlined callees included);
 *  5. the verdicts joined over the call graph by sv_solve (edges to yields
 *     are left out: the scheduler's switch is not the task's code).
 */
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "model.h"
#include "solver.h"

typedef struct mg_body {
  uint32_t fi;            /* function in m->u */
  uint32_t owner;         /* key id */
} mg_body;

struct mg_ctx {
  fl_unit *u;             /* every distinct body of the program */
  ut_arena arena;
  ut_map keys;            /* "usr\x1fpath_key" -> key id */
  struct {
    const char **v;
    size_t n, cap;
  } keystr;
  struct {
    mg_body *v;
    size_t n, cap;
  } bodies;
  ut_map seen;            /* "owner/hash" of each body kept */
  const char *program;    /* the program the TU being added is folded into, NULL: one */
  int failed;
};

mg_ctx *mg_create(void) {
  mg_ctx *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  if (!(m->u = fl_unit_create())) {
    free(m);
    return NULL;
  }
  return m;
}

void mg_destroy(mg_ctx *m) {
  if (!m) return;
  fl_unit_destroy(m->u);
  ut_map_free(&m->keys);
  ut_map_free(&m->seen);
  free(m->keystr.v);
  free(m->bodies.v);
  ut_arena_free(&m->arena);
  free(m);
}

static uint32_t mg_key(mg_ctx *m, const char *usr, const char *path_key) {
  ut_buf b = {0}, pk = {0};
  if (m->program) ut_buf_printf(&pk, "%s\x1e%s", path_key, m->program); /* graph.c's gr_node_of */
  ut_buf_pair(&b, usr, m->program ? (pk.failed ? "" : pk.s) : path_key);
  b.failed |= pk.failed;
  ut_buf_free(&pk);
  uint32_t id = FL_NONE;
  if (!b.failed && !ut_map_get(&m->keys, b.s, &id)) {
    const char *k = ut_arena_strdup(&m->arena, b.s);
    id = (uint32_t)m->keystr.n;
    if (!k || UT_PUSH(m->keystr, k) < 0 || ut_map_put(&m->keys, k, id) < 0) id = FL_NONE;
  }
  if (id == FL_NONE) m->failed = 1;
  ut_buf_free(&b);
  return id;
}

/* Content hash of function fi of tu's flow facts: identical bodies (a header
 * inline included by many TUs) are analysed once. */
static uint64_t mg_hash(const ft_tu *tu, uint32_t fi) {
  const fl_unit *u = tu->body_flow;
  const fl_func *f = &u->funcs.v[fi];
  uint64_t h = UT_HASH_INIT;
  uint32_t head[4] = {f->understood, f->nparams, f->nlocals, f->nblk};
  h = ut_hash_str(ut_hash(h, head, sizeof head), u->strs.v[f->why]);
  for (uint32_t i = 0; i < f->nlocals; i++) h = ut_hash_str(h, u->strs.v[u->names.v[f->names + i]]);
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *bl = &u->blocks.v[f->blk + b];
    for (uint32_t s = 0; s < bl->nsucc; s++) {
      uint32_t to = u->succs.v[bl->succ + s] - f->blk;
      h = ut_hash(h, &to, sizeof to);
    }
    for (uint32_t k = 0; k < bl->nev; k++) {
      const fl_event *e = &u->events.v[bl->ev + k];
      int32_t w[6] = {e->op, e->flags, e->dst, (int32_t)e->nval, (int32_t)e->loc.line, (int32_t)e->loc.col};
      h = ut_hash_str(ut_hash(h, w, sizeof w), u->strs.v[e->loc.file]);
      if (e->op == FL_CALL && e->aux != FL_NONE)
        h = ut_hash_str(ut_hash_str(h, tu->funcs.v[e->aux].usr), tu->funcs.v[e->aux].path_key);
      if (e->op == FL_READ || e->op == FL_WRITE) h = ut_hash_str(h, u->strs.v[u->objs.v[e->aux].key]);
      for (uint32_t v = 0; v < e->nval; v++) {
        const fl_val *val = &u->vals.v[e->val + v];
        uint32_t vw[2] = {val->n, val->flags};
        h = ut_hash(h, vw, sizeof vw);
        for (uint32_t q = 0; q < val->n; q++) {
          uint32_t op = u->opnds.v[val->first + q];
          h = ut_hash(h, &op, sizeof op);
          if (op & FL_OBJ) h = ut_hash_str(h, u->strs.v[u->objs.v[FL_IDX(op)].key]);
        }
      }
    }
  }
  return h;
}

int mg_add_tu(mg_ctx *m, const ft_tu *tu, const char *program) {
  if (!tu->body_flow) return 0;
  m->program = program && program[0] ? program : NULL;
  const fl_unit *src = tu->body_flow;
  for (uint32_t fi = 0; fi < src->funcs.n && !m->failed; fi++) {
    const ft_func *owner = &tu->funcs.v[src->funcs.v[fi].func];
    uint32_t id = mg_key(m, owner->usr, owner->path_key);
    if (id == FL_NONE) break;
    char seen[48];
    snprintf(seen, sizeof seen, "%u/%016llx", id, (unsigned long long)mg_hash(tu, fi));
    uint32_t one;
    if (ut_map_get(&m->seen, seen, &one)) continue;
    const char *sk = ut_arena_strdup(&m->arena, seen);
    if (!sk || ut_map_put(&m->seen, sk, 1) < 0) {
      m->failed = 1;
      break;
    }
    uint32_t nf = fl_copy_func(m->u, src, fi);
    if (nf == FL_NONE) {
      m->failed = 1;
      break;
    }
    const fl_func *f = &m->u->funcs.v[nf];
    for (uint32_t b = 0; b < f->nblk; b++) { /* callees: TU function index -> key id */
      const fl_block *bl = &m->u->blocks.v[f->blk + b];
      for (uint32_t k = 0; k < bl->nev; k++) {
        fl_event *e = &m->u->events.v[bl->ev + k];
        if (e->op == FL_CALL && e->aux != FL_NONE)
          e->aux = mg_key(m, tu->funcs.v[e->aux].usr, tu->funcs.v[e->aux].path_key);
      }
    }
    mg_body body = {nf, id};
    if (UT_PUSH(m->bodies, body) < 0) m->failed = 1;
  }
  return m->failed ? -1 : 0;
}

/* ---- the solve ---------------------------------------------------------------- */
/* A node's own verdict and its witness. */
typedef struct mg_local {
  uint8_t verdict;
  uint8_t kind;           /* fl_find_kind or 0 */
  char *text;             /* malloc'd */
  ft_loc at, access, susp, use;
  char *part[3];          /* malloc'd words of the access, the suspension and the use (findings), or NULL */
} mg_local;

/* A cacheable thread-bound access in node `in`: a call of const accessor
 * `via` (a node) or a reference to thread-local object `obj`. */
typedef struct mg_cacc {
  uint32_t in, via, obj;
  ft_loc at;
} mg_cacc;

typedef struct mg_solve_ctx {
  mg_ctx *m;
  const gr_graph *g;
  const gr_opts *o;
  uint32_t n;             /* nodes */
  uint32_t *keynode;      /* key id -> node */
  uint32_t *boff, *blist; /* bodies of each node (CSR) */
  uint8_t *yield, *susp;
  uint8_t *relevant;      /* may suspend, or called (transitively) by one that may: only
                        these need an analysis (the others can never be moved) */
  uint32_t *susp_next;    /* edge toward a yield (chain witness) */
  uint32_t *eoff;         /* edges of each node (g->edges are sorted by src) */
  uint8_t *skip;          /* edge not followed (spawned threads) */
  fl_sum *sum[2];         /* per node, pass 0 (uncertain suspensions suspend) and pass 1 */
  uint8_t *has_sum;
  mg_local *local;
  uint32_t *objmap;       /* identity */
  uint32_t obj_errno, obj_thread, obj_tss, obj_tls;
  struct {
    uint64_t *v;
    size_t n, cap;
  } trusted; /* caller << 32 | icall index of trusted sites */
  uint8_t *reach;         /* body (or a program callee's) has a cacheable thread-bound access */
  mg_cacc *cacc;          /* per node with reach: the first such access */
  int failed;
} mg_solve_ctx;

static const fl_sum mg_yield_sum = {.susp = FL_SUSP_YES};

static int mg_is_yield(const mg_solve_ctx *s, uint32_t node) { return s->yield[node]; }

static const md_entry *mg_model(const mg_solve_ctx *s, const gr_node *n) {
  if (!n->external) return NULL;
  return s->o && s->o->model ? md_find(s->o->model, n->name) : md_lookup(n->name);
}

static void mg_set_local(mg_solve_ctx *s, uint32_t node, uint8_t verdict, uint8_t kind, const char *text, ft_loc at) {
  mg_local *l = &s->local[node];
  if (verdict < l->verdict || (verdict == l->verdict && l->text)) return;
  free(l->text);
  l->verdict = verdict;
  l->kind = kind;
  l->text = ut_strdup(text);
  if (!l->text) s->failed = 1;
  l->at = at;
  l->access = l->susp = l->use = (ft_loc){"", 0, 0};
  for (int k = 0; k < 3; k++) free(l->part[k]), l->part[k] = NULL;
}

static ft_loc mg_loc(const mg_solve_ctx *s, fl_loc l) {
  ft_loc r = {s->m->u->strs.v[l.file], l.line, l.col};
  return r;
}

static int mg_loc_eq(const mg_solve_ctx *s, ft_loc a, fl_loc b) {
  return a.line == b.line && a.col == b.col && strcmp(a.file, s->m->u->strs.v[b.file]) == 0;
}

/* ---- objects ---------------------------------------------------------------- */
/* Object "m:<prefix><name>" named `display`. */
static uint32_t mg_model_object(mg_solve_ctx *s, const char *prefix, const char *name, const char *display) {
  char key[256];
  snprintf(key, sizeof key, "m:%s%s", prefix, name);
  uint32_t o = fl_object_intern(s->m->u, key, display);
  if (s->m->u->failed) s->failed = 1;
  return o;
}

static void mg_objects(mg_solve_ctx *s) {
  s->obj_errno = mg_model_object(s, "", "errno", "errno");
  s->obj_thread = mg_model_object(s, "", "thread", "thread identity");
  s->obj_tss = mg_model_object(s, "", "tss", "thread-specific data");
  s->obj_tls = mg_model_object(s, "", "tls", "TLS block");
  for (uint32_t i = 0; i < s->n; i++) {
    const gr_node *n = &s->g->nodes.v[i];
    uint8_t k = n->base[VD_TLS].kind;
    if (n->has_body || (k != FX_TLS_STATE && k != FX_TLS_DECLARED)) continue;
    char disp[200];
    snprintf(disp, sizeof disp, "%s state", n->name);
    mg_model_object(s, k == FX_TLS_STATE ? "state:" : "decl:", n->name, disp);
  }
}

/* ---- may suspend ---------------------------------------------------------------- */
static int mg_u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static int mg_suspension(mg_solve_ctx *s) {
  const gr_graph *g = s->g;
  uint32_t n = s->n;
  size_t m = g->edges.n;
  uint32_t *roff = calloc((size_t)n + 2, sizeof *roff), *rsrc = malloc((m + 1) * sizeof *rsrc),
           *redge = malloc((m + 1) * sizeof *redge), *queue = malloc(((size_t)n + 1) * sizeof *queue),
           *fill = malloc(((size_t)n + 1) * sizeof *fill);
  int rc = -1;
  if (!roff || !rsrc || !redge || !queue || !fill) goto out;
  for (size_t e = 0; e < m; e++)
    if (!s->skip[e]) roff[g->edges.v[e].dst + 1]++;
  for (uint32_t v = 0; v < n; v++) roff[v + 1] += roff[v];
  memcpy(fill, roff, (size_t)n * sizeof *fill);
  for (size_t e = 0; e < m; e++)
    if (!s->skip[e]) rsrc[fill[g->edges.v[e].dst]] = g->edges.v[e].src, redge[fill[g->edges.v[e].dst]++] = (uint32_t)e;
  /* certain, then uncertain suspensions */
  for (int level = FL_SUSP_YES; level >= FL_SUSP_MAYBE; level--) {
    size_t head = 0, tail = 0;
    for (uint32_t v = 0; v < n; v++) {
      int src = level == FL_SUSP_YES ? s->yield[v] : 0;
      if (level == FL_SUSP_MAYBE && s->susp[v] == FL_SUSP_MAYBE) src = 1; /* set by trusted sites */
      if (src) queue[tail++] = v, s->susp[v] = (uint8_t)level;
    }
    while (head < tail) {
      uint32_t v = queue[head++];
      for (uint32_t k = roff[v]; k < roff[v + 1]; k++) {
        uint32_t c = rsrc[k];
        if (s->susp[c] >= level) continue;
        s->susp[c] = (uint8_t)level;
        s->susp_next[c] = redge[k];
        queue[tail++] = c;
      }
    }
  }
  rc = 0;
out:
  free(roff), free(rsrc), free(redge), free(queue), free(fill);
  return rc;
}

/* Forward breadth-first search from the functions that may suspend. */
static int mg_relevant(mg_solve_ctx *s) {
  uint32_t *queue = malloc(((size_t)s->n + 1) * sizeof *queue);
  if (!queue) return -1;
  size_t head = 0, tail = 0;
  for (uint32_t v = 0; v < s->n; v++)
    if (s->susp[v] != FL_SUSP_NO) s->relevant[v] = 1, queue[tail++] = v;
  while (head < tail) {
    uint32_t v = queue[head++];
    for (uint32_t k = s->eoff[v]; k < s->eoff[v + 1]; k++) {
      uint32_t d = s->g->edges.v[k].dst;
      if (!s->skip[k] && !s->relevant[d]) s->relevant[d] = 1, queue[tail++] = d;
    }
  }
  free(queue);
  return 0;
}

/* ---- call summaries --------------------------------------------------------------- */
static int mg_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static const char *const mg_errno_preserving[] = {
    "strtol",    "strtoul",   "strtoll",       "strtoull",      "strtoimax",      "strtoumax",        "strtod",
    "strtof",    "strtold",   "wcstol",        "wcstoul",       "wcstoll",        "wcstoull",         "wcstoimax",
    "wcstoumax", "wcstod",    "wcstof",        "wcstold",       "strtoq",         "strtouq",          "readdir",
    "readdir64", "readdir_r", "getpwnam",      "getpwuid",      "getpwent",       "getgrnam",         "getgrgid",
    "getgrent",  "getspnam",  "getservbyname", "getservbyport", "getprotobyname", "getprotobynumber", "atof",
    "atoi",      "atol",      "atoll",
};

static int mg_errno_preserves(const char *name) {
  if (mg_prefix(name, "__isoc23_") || mg_prefix(name, "__isoc99_")) name += 9;
  if (mg_prefix(name, "__strto") || mg_prefix(name, "____strto")) return 1;
  for (size_t i = 0; i < sizeof mg_errno_preserving / sizeof mg_errno_preserving[0]; i++)
    if (!strcmp(name, mg_errno_preserving[i])) return 1;
  return 0;
}

static int mg_builtin(const char *name) {
  return mg_prefix(name, "__builtin_") || mg_prefix(name, "__sync_") || mg_prefix(name, "__atomic_") ||
         mg_prefix(name, "__c11_atomic_");
}

static int mg_errno_location(const char *name) {
  return !strcmp(name, "__errno_location") || !strcmp(name, "__errno") || !strcmp(name, "__error") ||
         !strcmp(name, "___errno") || !strcmp(name, "__h_errno_location") || !strcmp(name, "fnprop_rt_errno");
}

static uint32_t mg_find_object(mg_solve_ctx *s, const char *prefix, const char *name) {
  char key[256];
  snprintf(key, sizeof key, "m:%s%s", prefix, name);
  uint32_t o;
  return ut_map_get(&s->m->u->obj_index, key, &o) ? o : FL_NONE;
}

static int mg_set(mg_solve_ctx *s, fl_sum *t, uint32_t o, uint16_t mask) {
  if (o == FL_NONE) return 0;
  if (fl_sum_set_obj(t, o, (uint16_t)(fl_sum_obj(t, o) | mask)) < 0) return s->failed = 1, -1;
  return 0;
}

/* What a call to bodiless node c with the arguments of event e does. */
static int mg_bodiless(mg_solve_ctx *s, uint32_t c, const fl_event *e, fl_sum *t) {
  const gr_node *n = &s->g->nodes.v[c];
  const fl_unit *u = s->m->u;
  uint8_t kind = n->base[VD_TLS].kind;
  memset(t, 0, sizeof *t);
  if (kind == FX_EXTERNAL || kind == FX_MODEL_UNKNOWN) {
    t->opaque = 1;
    return 0;
  }
  t->nparams = e->nval;
  if (t->nparams && !(t->param = calloc(t->nparams, sizeof *t->param))) return s->failed = 1, -1;
  int ptr_args = 0;
  for (uint32_t i = 0; i < e->nval; i++) {
    uint8_t fl = u->vals.v[e->val + i].flags;
    t->param[i] = FL_S_RET;
    if (fl & FL_ARG_PTR) t->param[i] |= FL_S_RD | (fl & FL_ARG_CONST ? 0 : FL_S_WR), ptr_args = 1;
  }
  int errno_on = !(s->o && s->o->errno_ignore);
  const char *name = n->name;
  if (kind == FX_ERRNO && mg_errno_location(name)) {
    if (errno_on) mg_set(s, t, s->obj_errno, FL_S_RET), t->ret_must = s->obj_errno + 1;
    return 0;
  }
  if (errno_on && !mg_builtin(name)) mg_set(s, t, s->obj_errno, FL_S_WR | (mg_errno_preserves(name) ? 0 : FL_S_KILL));
  if (kind == FX_ERRNO && errno_on) {
    mg_set(s, t, s->obj_errno, FL_S_RD);
  } else if (kind == FX_TLS_API) {
    if (!strcmp(name, "pthread_getspecific") || !strcmp(name, "tss_get")) {
      mg_set(s, t, s->obj_tss, FL_S_RD | FL_S_RET);
    } else if (!strcmp(name, "pthread_setspecific") || !strcmp(name, "tss_set")) {
      mg_set(s, t, s->obj_tss, FL_S_WR);
      for (uint32_t i = 0; i < t->nparams; i++) t->param[i] |= FL_S_ESC;
    } else if (!strcmp(name, "__tls_get_addr") || !strcmp(name, "__builtin_thread_pointer")) {
      mg_set(s, t, s->obj_tls, FL_S_RET);
    } else {
      mg_set(s, t, s->obj_thread, FL_S_RET | (ptr_args ? FL_S_ESC : 0));
    }
  } else if (kind == FX_TLS_STATE || kind == FX_TLS_DECLARED) {
    uint32_t o = mg_find_object(s, kind == FX_TLS_STATE ? "state:" : "decl:", name);
    mg_set(s, t, o, FL_S_RD | FL_S_WR | FL_S_RET | (ptr_args || kind == FX_TLS_DECLARED ? FL_S_ESC : 0));
  }
  return s->failed ? -1 : 0;
}

typedef struct mg_run {
  mg_solve_ctx *s;
  uint32_t node;
  int pass;               /* 0: uncertain suspensions suspend; 1: they do not */
  uint32_t ev0, nev;
  const fl_sum **evsum;   /* per event of the body */
  struct {
    fl_sum *v;
    size_t n, cap;
  } owned;
} mg_run;

static const fl_sum *mg_evsum(void *arg, uint32_t event) {
  mg_run *r = arg;
  return event >= r->ev0 && event - r->ev0 < r->nev ? r->evsum[event - r->ev0] : NULL;
}

static fl_sum *mg_own(mg_run *r) {
  fl_sum z = {0};
  if (UT_PUSH(r->owned, z) < 0) {
    r->s->failed = 1;
    return NULL;
  }
  return &r->owned.v[r->owned.n - 1];
}

/* The summary of calling node c from event e (pass r->pass): borrowed from
 * the node, or built into *tmp (then returns tmp). */
static const fl_sum *mg_callee_sum(mg_run *r, uint32_t c, const fl_event *e, fl_sum *tmp) {
  mg_solve_ctx *s = r->s;
  static const fl_sum opaque = {.opaque = 1};
  if (c == GR_NONE) return &opaque;
  if (mg_is_yield(s, c)) return &mg_yield_sum;
  const gr_node *n = &s->g->nodes.v[c];
  if (n->has_body) {
    if (s->has_sum[c]) return &s->sum[r->pass][c];
    memset(tmp, 0, sizeof *tmp); /* a body without flow facts: unknown by the join */
    tmp->susp = s->susp[c];
    return tmp;
  }
  if (mg_bodiless(s, c, e, tmp) < 0) return &opaque;
  /* functions this caller passes to c, which c calls back */
  for (uint32_t k = s->eoff[r->node]; k < s->eoff[r->node + 1]; k++) {
    const gr_via *via = &s->g->vias.v[k];
    if (via->kind != VC_EDGE_CALLBACK || via->through != c) continue;
    uint32_t t = s->g->edges.v[k].dst;
    fl_sum cb;
    memset(&cb, 0, sizeof cb);
    const fl_sum *ts = mg_is_yield(s, t) ? &mg_yield_sum : s->has_sum[t] ? &s->sum[r->pass][t] : NULL;
    if (!ts) {
      cb.susp = s->susp[t];
      cb.opaque = s->g->nodes.v[t].has_body ? 0 : 1;
      ts = &cb;
    }
    if (ts->susp > tmp->susp) tmp->susp = ts->susp;
    tmp->opaque |= ts->opaque;
    tmp->maybe |= ts->maybe;
    for (uint32_t i = 0; i < ts->nobj; i++) mg_set(s, tmp, ts->obj[i].obj, ts->obj[i].mask & (uint16_t)~FL_S_KILL);
    uint16_t any = 0; /* its parameters get the caller's data somehow: every argument */
    for (uint32_t i = 0; i < ts->nparams; i++) any |= ts->param[i];
    for (uint32_t i = 0; i < tmp->nparams; i++) tmp->param[i] |= any & (uint16_t)~FL_S_KILL;
  }
  return tmp;
}

static int mg_edge_site_cmp(const mg_solve_ctx *s, uint32_t k, fl_loc l) {
  ft_loc a = s->g->sites.v[k];
  int c = strcmp(a.file, s->m->u->strs.v[l.file]);
  if (c) return c;
  if (a.line != l.line) return a.line < l.line ? -1 : 1;
  return (a.col > l.col) - (a.col < l.col);
}

/* The indirect call at event e of node r->node: the join of its candidates,
 * a trusted site (may suspend, arguments escape) or an unresolved one. */
static const fl_sum *mg_indirect(mg_run *r, const fl_event *e, fl_sum *tmp) {
  mg_solve_ctx *s = r->s;
  memset(tmp, 0, sizeof *tmp);
  int any = 0;
  uint32_t lo = s->eoff[r->node], hi = s->eoff[r->node + 1];
  while (lo < hi) { /* first edge at the site (edges sorted by site within a caller) */
    uint32_t mid = lo + (hi - lo) / 2;
    if (mg_edge_site_cmp(s, mid, e->loc) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t k = lo; k < s->eoff[r->node + 1] && mg_edge_site_cmp(s, k, e->loc) == 0; k++) {
    if (s->g->vias.v[k].kind != VC_EDGE_POINTER) continue;
    fl_sum one;
    memset(&one, 0, sizeof one);
    const fl_sum *cs = mg_callee_sum(r, s->g->edges.v[k].dst, e, &one);
    if (!any) {
      if (fl_sum_copy(tmp, cs) < 0) s->failed = 1;
    } else if (fl_sum_join(tmp, cs) < 0) {
      s->failed = 1;
    }
    if (cs == &one) fl_sum_free(&one);
    any = 1;
  }
  if (any) return tmp;
  tmp->opaque = 1;
  /* trusted by contracts? */
  for (size_t i = 0; i < s->trusted.n; i++) {
    if ((s->trusted.v[i] >> 32) != r->node) continue;
    const gr_icall *ic = &s->g->icalls.v[(uint32_t)s->trusted.v[i]];
    if (mg_loc_eq(s, ic->site, e->loc)) {
      tmp->susp = FL_SUSP_MAYBE;
      return tmp;
    }
  }
  return tmp; /* unresolved: the caller is unknown (mg_reasons) */
}

static int mg_prepare(mg_run *r, const fl_func *f) {
  const fl_unit *u = r->s->m->u;
  r->ev0 = FL_NONE;
  uint32_t end = 0;
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *bl = &u->blocks.v[f->blk + b];
    if (!bl->nev) continue;
    if (bl->ev < r->ev0) r->ev0 = bl->ev;
    if (bl->ev + bl->nev > end) end = bl->ev + bl->nev;
  }
  if (r->ev0 == FL_NONE) r->ev0 = 0, end = 0;
  r->nev = end - r->ev0;
  r->evsum = calloc((size_t)r->nev + 1, sizeof *r->evsum);
  if (!r->evsum) return -1;
  /* reserve the owned summaries so pointers into them stay valid */
  uint32_t ncalls = 0;
  for (uint32_t i = 0; i < r->nev; i++) ncalls += u->events.v[r->ev0 + i].op == FL_CALL;
  if (ncalls && ut_grow((void **)&r->owned.v, &r->owned.cap, ncalls, sizeof *r->owned.v) < 0) return -1;
  for (uint32_t i = 0; i < r->nev; i++) {
    const fl_event *e = &u->events.v[r->ev0 + i];
    if (e->op != FL_CALL) continue;
    fl_sum *tmp = mg_own(r);
    if (!tmp) return -1;
    r->evsum[i] = e->aux == FL_NONE ? mg_indirect(r, e, tmp) : mg_callee_sum(r, r->s->keynode[e->aux], e, tmp);
  }
  return r->s->failed ? -1 : 0;
}

static void mg_run_free(mg_run *r) {
  for (size_t i = 0; i < r->owned.n; i++) fl_sum_free(&r->owned.v[i]);
  free(r->owned.v);
  free(r->evsum);
  memset(&r->owned, 0, sizeof r->owned);
  r->evsum = NULL;
}

/* ---- witness text ----------------------------------------------------------------- */
static const char *mg_callee_name(const mg_solve_ctx *s, const fl_event *e) {
  if (e->aux == FL_NONE) return NULL;
  uint32_t c = s->keynode[e->aux];
  return c == GR_NONE ? "?" : s->g->nodes.v[c].name;
}

static const char *mg_local_name(const mg_solve_ctx *s, uint32_t fi, int32_t x) {
  const fl_func *f = &s->m->u->funcs.v[fi];
  if (x < 0 || (uint32_t)x >= f->nlocals) return "";
  return s->m->u->strs.v[s->m->u->names.v[f->names + (uint32_t)x]];
}

static void mg_put_local(const mg_solve_ctx *s, uint32_t fi, int32_t x, ut_buf *b) {
  const char *n = mg_local_name(s, fi, x);
  if (*n) ut_buf_printf(b, "'%s'", n);
  else ut_buf_puts(b, "a value");
}

/* What access event ev does to object obj, in words: as the origin of a
 * value (`'p' gets the address of 'tv'`) or, with `write`, as a write of
 * its content (`'write' may set 'errno'`). */
static void mg_access_text(const mg_solve_ctx *s, uint32_t fi, uint32_t ev, uint32_t origin, int write, ut_buf *b) {
  const fl_event *e = &s->m->u->events.v[ev];
  const char *obj = s->m->u->strs.v[s->m->u->objs.v[origin].name];
  const char *through = origin == s->obj_errno ? "" : " through a pointer"; /* errno is a macro for the pointer */
  const char *callee = e->op == FL_CALL ? mg_callee_name(s, e) : NULL;
  int addr = 0;
  for (uint32_t v = 0; v < e->nval; v++) {
    const fl_val *val = &s->m->u->vals.v[e->val + v];
    for (uint32_t q = 0; q < val->n; q++)
      addr |= (s->m->u->opnds.v[val->first + q] & (FL_OBJ | FL_ADDR)) == (FL_OBJ | FL_ADDR);
  }
  if (write) {
    switch (e->op) {
    case FL_STORE: ut_buf_printf(b, "writes '%s'%s", obj, through); break;
    case FL_OPAQUE: ut_buf_printf(b, "writes '%s' in an expression fnprop does not model", obj); break;
    case FL_CALL:
      if (callee) ut_buf_printf(b, "'%s' may set '%s'", callee, obj);
      else ut_buf_printf(b, "a call through a pointer may write '%s'", obj);
      break;
    default: ut_buf_printf(b, "writes '%s'", obj); break;
    }
    return;
  }
  switch (e->op) {
  case FL_READ: ut_buf_printf(b, "reads '%s'", obj); break;
  case FL_LOAD:
    mg_put_local(s, fi, e->dst, b);
    ut_buf_printf(b, " reads '%s'%s", obj, through);
    break;
  case FL_ASSIGN:
  case FL_MERGE:
    mg_put_local(s, fi, e->dst, b);
    ut_buf_printf(b, " gets the %s of '%s'", addr ? "address" : "value", obj);
    break;
  case FL_CALL:
    if (e->dst >= 0 && callee) {
      ut_buf_printf(b, "'%s' returns '%s'", callee, obj);
    } else {
      ut_buf_printf(b, "the %s of '%s'", addr ? "address" : "value", obj);
    }
    break;
  default: ut_buf_printf(b, "the %s of '%s'", addr ? "address" : "value", obj); break;
  }
}

/* "calls 'yield'", "calls 'outer', which may suspend: outer -> inner -> yield" */
static void mg_susp_text(const mg_solve_ctx *s, const fl_event *e, ut_buf *b) {
  if (e->aux == FL_NONE) {
    ut_buf_puts(b, "a call through a pointer, which may suspend");
    return;
  }
  uint32_t c = s->keynode[e->aux];
  ut_buf_printf(b, "calls '%s'", c == GR_NONE ? "?" : s->g->nodes.v[c].name);
  if (c == GR_NONE || s->yield[c]) return;
  ut_buf_puts(b, ", which may suspend: ");
  for (int hops = 0; c != GR_NONE && hops < 8; hops++) {
    ut_buf_printf(b, "%s%s", hops ? " -> " : "", s->g->nodes.v[c].name);
    if (s->yield[c] || s->susp_next[c] == GR_NONE) return;
    c = s->g->edges.v[s->susp_next[c]].dst;
  }
  if (c != GR_NONE) ut_buf_puts(b, " -> ...");
}

static void mg_put_loc(const mg_solve_ctx *s, uint32_t ev, ut_buf *b) {
  fl_loc l = s->m->u->events.v[ev].loc;
  ut_buf_printf(b, "%s:%u:%u", s->m->u->strs.v[l.file], l.line, l.col);
}

static void mg_put_susp(mg_solve_ctx *s, uint32_t ev, ut_buf *b) {
  mg_put_loc(s, ev, b);
  ut_buf_puts(b, " (");
  mg_susp_text(s, &s->m->u->events.v[ev], b);
  ut_buf_puts(b, ")");
}

/* The witness of finding f of body fi in words, and its three locations. */
static void mg_finding_text(mg_solve_ctx *s, uint32_t fi, const fl_finding *f, ut_buf *b, mg_local *l) {
  const fl_unit *u = s->m->u;
  const char *obj = u->strs.v[u->objs.v[f->origin].name];
  const fl_event *at = &u->events.v[f->event];
  const char *callee = at->op == FL_CALL ? mg_callee_name(s, at) : NULL;
  int content = f->kind == FL_FIND_CONTENT || f->kind == FL_FIND_CALL_CONTENT;
  int own = f->access == f->event || (f->kind == FL_FIND_ESCAPE && f->access == f->use);
  if (f->access != FL_NONE) l->access = mg_loc(s, u->events.v[f->access].loc);
  if (f->access != FL_NONE && !own) {
    mg_access_text(s, fi, f->access, f->origin, content, b);
    ut_buf_puts(b, " at ");
    mg_put_loc(s, f->access, b);
    ut_buf_puts(b, ", ");
  } else if (f->access == FL_NONE) {
    ut_buf_printf(b, "a value derived from '%s', ", obj);
  }
  switch (f->kind) {
  case FL_FIND_VALUE:
  case FL_FIND_CONTENT:
    ut_buf_puts(b, "live across ");
    if (f->susp != FL_NONE) {
      mg_put_susp(s, f->susp, b);
      l->susp = mg_loc(s, u->events.v[f->susp].loc);
    } else {
      ut_buf_puts(b, "a suspension");
    }
    ut_buf_puts(b, f->kind == FL_FIND_VALUE ? ", used at " : ", read at ");
    mg_put_loc(s, f->event, b);
    break;
  case FL_FIND_ESCAPE:
    if (own) ut_buf_printf(b, "the address of '%s' ", obj);
    if (f->use != FL_NONE && u->events.v[f->use].op == FL_CALL) {
      const char *to = mg_callee_name(s, &u->events.v[f->use]);
      ut_buf_puts(b, "is passed at ");
      mg_put_loc(s, f->use, b);
      ut_buf_printf(b, " to '%s', which lets it escape (live from there on), ", to ? to : "a function pointer");
    } else if (f->use != FL_NONE) {
      ut_buf_puts(b, "is stored at ");
      mg_put_loc(s, f->use, b);
      ut_buf_puts(b, " where it outlives the call (live from there on), ");
    } else {
      ut_buf_puts(b, "escapes (live from there on), ");
    }
    ut_buf_puts(b, "live across ");
    mg_put_susp(s, f->event, b);
    l->susp = mg_loc(s, at->loc);
    break;
  case FL_FIND_CALL_VALUE:
    if (own) ut_buf_printf(b, "the address of '%s' is ", obj);
    ut_buf_puts(b, "passed at ");
    mg_put_loc(s, f->event, b);
    ut_buf_printf(b, " to '%s', which keeps it across a suspension", callee ? callee : "a function pointer");
    l->susp = mg_loc(s, at->loc);
    break;
  case FL_FIND_CALL_CONTENT:
    ut_buf_printf(b, "%sthe call at ", own ? "" : "then ");
    mg_put_loc(s, f->event, b);
    ut_buf_printf(b, " to '%s' %ssuspends and reads '%s' after it", callee ? callee : "a function pointer",
                  own ? "writes it, " : "", obj);
    l->susp = mg_loc(s, at->loc);
    break;
  default: break;
  }
  l->at = mg_loc(s, at->loc);
}

/* The three steps of finding f of body fi in words, for the exports and
 * the diagnostics' code flow: the access ("'p' gets the address of
 * 'slot'"), the suspension ("calls 'yield'") and the use after it ("'p' is
 * used"), with the use's location in l->use.  Each part is malloc'd into
 * l->part (NULL when out of memory: the caller checks s->failed). */
static void mg_finding_parts(mg_solve_ctx *s, uint32_t fi, const fl_finding *f, mg_local *l) {
  const fl_unit *u = s->m->u;
  const char *obj = u->strs.v[u->objs.v[f->origin].name];
  const fl_event *at = &u->events.v[f->event];
  const char *callee = at->op == FL_CALL ? mg_callee_name(s, at) : NULL;
  int content = f->kind == FL_FIND_CONTENT || f->kind == FL_FIND_CALL_CONTENT;
  ut_buf b[3] = {{0}, {0}, {0}};
  if (f->access != FL_NONE) mg_access_text(s, fi, f->access, f->origin, content, &b[0]);
  else ut_buf_printf(&b[0], "a value derived from '%s'", obj);
  uint32_t susp = f->kind == FL_FIND_VALUE || f->kind == FL_FIND_CONTENT ? f->susp : f->event;
  if (susp != FL_NONE) mg_susp_text(s, &u->events.v[susp], &b[1]);
  else ut_buf_puts(&b[1], "a suspension");
  uint32_t use = f->event;
  switch (f->kind) {
  case FL_FIND_VALUE:
    mg_put_local(s, fi, f->local, &b[2]);
    ut_buf_puts(&b[2], " is used after the suspension");
    break;
  case FL_FIND_CONTENT: ut_buf_printf(&b[2], "reads '%s' after the suspension", obj); break;
  case FL_FIND_ESCAPE:
    use = f->use != FL_NONE ? f->use : f->access;
    if (f->use != FL_NONE && u->events.v[f->use].op == FL_CALL) {
      const char *to = mg_callee_name(s, &u->events.v[f->use]);
      ut_buf_printf(&b[2], "passed to '%s', which lets it escape (live from there on)", to ? to : "a function pointer");
    } else {
      ut_buf_puts(&b[2], "stored where it outlives the call (live from there on)");
    }
    break;
  case FL_FIND_CALL_VALUE:
    ut_buf_printf(&b[2], "passed to '%s', which keeps it across a suspension", callee ? callee : "a function pointer");
    break;
  case FL_FIND_CALL_CONTENT:
    ut_buf_printf(&b[2], "'%s' suspends and reads '%s' after it", callee ? callee : "a function pointer", obj);
    break;
  default: break;
  }
  l->use = use != FL_NONE ? mg_loc(s, u->events.v[use].loc) : l->at;
  for (int k = 0; k < 3; k++) {
    free(l->part[k]);
    l->part[k] = b[k].failed ? NULL : ut_strdup(b[k].s ? b[k].s : "");
    if (!l->part[k]) s->failed = 1;
    ut_buf_free(&b[k]);
  }
}

/* ---- analysing one node ------------------------------------------------------------- */
typedef struct mg_outcome {
  fl_sum sum[2];
  int have;
  uint8_t verdict;        /* from findings */
  uint32_t body;          /* body and finding of the witness */
  fl_finding find;
  int uncertain;          /* findings only when uncertain suspensions suspend */
} mg_outcome;

/* Analyses every body of node v with the current summaries; with witness,
 * also fills the local verdict's finding. */
static int mg_analyze_node(mg_solve_ctx *s, uint32_t v, int witness, mg_outcome *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t k = s->boff[v]; k < s->boff[v + 1]; k++) {
    mg_body *body = &s->m->bodies.v[s->blist[k]];
    const fl_func *f = &s->m->u->funcs.v[body->fi];
    fl_result res[2];
    memset(res, 0, sizeof res);
    int npass = 1;
    for (int pass = 0; pass < npass; pass++) {
      mg_run r = {s, v, pass, 0, 0, NULL, {0}};
      fl_env env = {(uint32_t)s->m->u->objs.n, s->objmap, s->obj_errno, mg_evsum, &r, pass == 0, witness, 0};
      int rc = mg_prepare(&r, f) < 0 ? -1 : fl_analyze(s->m->u, body->fi, &env, &res[pass]);
      mg_run_free(&r);
      if (rc < 0) {
        fl_result_free(&res[0]), fl_result_free(&res[1]);
        return -1;
      }
      if (pass == 0 && res[0].status == FL_OK && res[0].sum.maybe) npass = 2;
    }
    if (npass == 1) {
      res[1] = res[0];
      if (fl_sum_copy(&res[1].sum, &res[0].sum) < 0) res[1].sum = (fl_sum){0}, s->failed = 1;
      res[1].finds.v = NULL, res[1].finds.n = res[1].finds.cap = 0;
    }
    if (res[0].status != FL_OK) {
      const char *why = res[0].status == FL_TOO_LARGE ? "the function is too large for the stage-3 analysis"
                                                      : s->m->u->strs.v[f->why];
      char text[400];
      ft_loc at = res[0].status == FL_TOO_LARGE ? s->g->nodes.v[v].loc : mg_loc(s, f->why_loc);
      if (!at.file[0]) at = s->g->nodes.v[v].loc;
      if (res[0].status == FL_TOO_LARGE) snprintf(text, sizeof text, "%s", why);
      else snprintf(text, sizeof text, "flow not understood: %s at %s:%u:%u", why, at.file, at.line, at.col);
      mg_set_local(s, v, VD_UNKNOWN, 0, text, at);
    } else {
      for (int p = 0; p < 2; p++) {
        if (!out->have) {
          if (fl_sum_copy(&out->sum[p], &res[p].sum) < 0) s->failed = 1;
        } else if (fl_sum_join(&out->sum[p], &res[p].sum) < 0) {
          s->failed = 1;
        }
      }
      out->have = 1;
      const fl_result *w = npass == 2 && res[1].finds.n ? &res[1] : &res[0];
      uint8_t verdict = !res[0].finds.n ? VD_PROVEN : npass == 2 && !res[1].finds.n ? VD_UNKNOWN : VD_VIOLATED;
      if (verdict > out->verdict) {
        out->verdict = verdict;
        out->body = body->fi;
        out->find = w->finds.v[0];
        out->uncertain = verdict == VD_UNKNOWN;
      }
    }
    fl_result_free(&res[0]);
    fl_result_free(&res[1]);
  }
  return s->failed ? -1 : 0;
}

static void mg_outcome_free(mg_outcome *o) {
  fl_sum_free(&o->sum[0]);
  fl_sum_free(&o->sum[1]);
}

/* The bottom summary of an SCC member: nothing, kills everything. */
static int mg_bottom(mg_solve_ctx *s, uint32_t v, fl_sum *t) {
  memset(t, 0, sizeof *t);
  t->susp = s->susp[v];
  uint32_t np = 0;
  for (uint32_t k = s->boff[v]; k < s->boff[v + 1]; k++) {
    uint32_t p = s->m->u->funcs.v[s->m->bodies.v[s->blist[k]].fi].nparams;
    if (p > np) np = p;
  }
  t->nparams = np;
  if (np && !(t->param = calloc(np, sizeof *t->param))) return -1;
  for (uint32_t o = 0; o < s->m->u->objs.n; o++)
    if (fl_sum_set_obj(t, o, FL_S_KILL) < 0) return -1;
  return 0;
}

/* Installs outcome o as node v's summary; returns 1 when it changed.  In a
 * cycle the must-point of the result is not trusted (it would not grow
 * monotonically from the bottom). */
static int mg_install(mg_solve_ctx *s, uint32_t v, mg_outcome *o, int cyclic) {
  int changed = 0;
  for (int p = 0; p < 2; p++) {
    fl_sum *cur = &s->sum[p][v], fresh;
    if (o->have) {
      fresh = o->sum[p];
      if (cyclic) fresh.ret_must = 0;
      if (fresh.susp < s->susp[v]) fresh.susp = s->susp[v]; /* callbacks, pointers: from the graph */
      if (s->susp[v] == FL_SUSP_MAYBE) fresh.maybe = 1;
    } else { /* no body understood: nothing known but whether it may suspend */
      memset(&fresh, 0, sizeof fresh);
      fresh.susp = s->susp[v];
    }
    if (s->has_sum[v] && fl_sum_equal(cur, &fresh)) {
      if (!o->have) fl_sum_free(&fresh);
      continue;
    }
    changed = 1;
    fl_sum_free(cur);
    *cur = fresh;
    if (o->have) o->sum[p] = (fl_sum){0};
  }
  s->has_sum[v] = 1;
  return changed;
}

static int mg_scc(mg_solve_ctx *s, const uint32_t *members, uint32_t nm, int cyclic) {
  if (!s->relevant[members[0]]) return 0; /* an SCC is relevant as a whole (its members reach each other) */
  for (uint32_t i = 0; cyclic && i < nm; i++) { /* start from the bottom */
    uint32_t v = members[i];
    if (s->boff[v] == s->boff[v + 1] || mg_is_yield(s, v)) continue;
    for (int p = 0; p < 2; p++)
      if (mg_bottom(s, v, &s->sum[p][v]) < 0) return -1;
    s->has_sum[v] = 1;
  }
  int was_cyclic = cyclic;
  for (int round = 0; round < 200; round++) {
    int changed = 0;
    for (uint32_t i = 0; i < nm; i++) {
      uint32_t v = members[i];
      if (s->boff[v] == s->boff[v + 1]) continue;
      mg_outcome o;
      int rc = mg_analyze_node(s, v, !cyclic, &o);
      if (rc == 0 && !mg_is_yield(s, v)) changed |= mg_install(s, v, &o, was_cyclic);
      if (rc == 0 && !cyclic) {
        if (o.verdict > VD_PROVEN) {
          ut_buf b = {0};
          mg_local l = {0, 0, NULL, {"", 0, 0}, {"", 0, 0}, {"", 0, 0}, {"", 0, 0}, {NULL, NULL, NULL}};
          mg_finding_text(s, o.body, &o.find, &b, &l);
          mg_finding_parts(s, o.body, &o.find, &l);
          if (o.uncertain) ut_buf_puts(&b, " (if a call through a contract-trusted pointer suspends)");
          if (!b.failed) mg_set_local(s, v, o.verdict, o.find.kind, b.s, l.at);
          if (s->local[v].kind == o.find.kind && s->local[v].verdict == o.verdict && !s->local[v].part[0]) {
            s->local[v].access = l.access, s->local[v].susp = l.susp, s->local[v].use = l.use;
            memcpy(s->local[v].part, l.part, sizeof l.part); /* ownership moves */
            memset(l.part, 0, sizeof l.part);
          }
          for (int k = 0; k < 3; k++) free(l.part[k]);
          if (b.failed) s->failed = 1;
          ut_buf_free(&b);
        }
      }
      mg_outcome_free(&o);
      if (rc < 0) return -1;
    }
    if (!cyclic) return 0;
    if (!changed) {
      cyclic = 0; /* stable: one more pass with witnesses, installing nothing new */
      continue;
    }
  }
  for (uint32_t i = 0; i < nm; i++)
    mg_set_local(s, members[i], VD_UNKNOWN, 0, "recursive summaries did not stabilize", s->g->nodes.v[members[i]].loc);
  return 0;
}

/* Iterative Tarjan over the followed edges; calls mg_scc per component,
 * callees first. */
static int mg_sccs(mg_solve_ctx *s) {
  uint32_t n = s->n;
  uint32_t *num = calloc((size_t)n + 1, sizeof *num), *low = malloc(((size_t)n + 1) * sizeof *low),
           *next = malloc(((size_t)n + 1) * sizeof *next), *stk = malloc(((size_t)n + 1) * sizeof *stk),
           *cs = malloc(((size_t)n + 1) * sizeof *cs);
  uint8_t *onstk = calloc((size_t)n + 1, 1);
  int rc = -1;
  if (!num || !low || !next || !stk || !cs || !onstk) goto out;
  uint32_t counter = 0, nstk = 0, ncs = 0;
  for (uint32_t r = 0; r < n; r++) {
    if (num[r]) continue;
    num[r] = low[r] = ++counter, next[r] = s->eoff[r], stk[nstk++] = r, onstk[r] = 1, cs[ncs++] = r;
    while (ncs) {
      uint32_t v = cs[ncs - 1];
      if (next[v] < s->eoff[v + 1]) {
        uint32_t k = next[v]++;
        if (s->skip[k]) continue;
        uint32_t d = s->g->edges.v[k].dst;
        if (!num[d]) {
          num[d] = low[d] = ++counter, next[d] = s->eoff[d], stk[nstk++] = d, onstk[d] = 1, cs[ncs++] = d;
        } else if (onstk[d] && num[d] < low[v]) {
          low[v] = num[d];
        }
        continue;
      }
      ncs--;
      if (ncs && low[v] < low[cs[ncs - 1]]) low[cs[ncs - 1]] = low[v];
      if (low[v] != num[v]) continue;
      uint32_t lo = nstk;
      while (stk[--lo] != v) {}
      int cyclic = nstk - lo > 1;
      for (uint32_t k = s->eoff[v]; !cyclic && k < s->eoff[v + 1]; k++)
        cyclic = !s->skip[k] && s->g->edges.v[k].dst == v;
      for (uint32_t i = lo; i < nstk; i++) onstk[stk[i]] = 0;
      if (mg_scc(s, stk + lo, nstk - lo, cyclic) < 0) goto out;
      nstk = lo;
    }
  }
  rc = s->failed ? -1 : 0;
out:
  free(num), free(low), free(next), free(stk), free(cs), free(onstk);
  return rc;
}

/* ---- reasons for unknown ---------------------------------------------------------------- */
static void mg_reasons(mg_solve_ctx *s) {
  const gr_opts *o = s->o;
  /* calls through pointers whose targets are not known may reach a yield */
  for (size_t i = 0; i < s->g->resolutions.n; i++) {
    const gr_resolution *r = &s->g->resolutions.v[i];
    if (!(r->mode == VC_RES_UNKNOWN || r->mode == VC_RES_OPEN || (r->candidates == 0 && r->mode != VC_RES_TRUSTED)))
      continue;
    const gr_icall *ic = &s->g->icalls.v[r->icall];
    char text[300];
    snprintf(text, sizeof text, "calls through a function pointer with unknown targets at %s:%u:%u", ic->site.file,
             ic->site.line, ic->site.col);
    mg_set_local(s, ic->caller, VD_UNKNOWN, 0, text, ic->site);
  }
  for (uint32_t v = 0; v < s->n; v++) {
    const gr_node *n = &s->g->nodes.v[v];
    char text[300];
    if (!n->has_body) {
      uint8_t k = n->base[VD_TLS].kind;
      if (k == FX_EXTERNAL) snprintf(text, sizeof text, "'%s' has no body in the program and no model", n->name);
      else if (k == FX_MODEL_UNKNOWN)
        snprintf(text, sizeof text, "the model says the effects of '%s' are unknown", n->name);
      else continue;
      mg_set_local(s, v, VD_UNKNOWN, 0, text, n->loc);
      continue;
    }
    if (n->unseen.kind != FX_NONE) { /* code the front end did not see may call anything */
      snprintf(text, sizeof text, "contains code fnprop does not understand ('%s') at %s:%u:%u",
               n->unseen.detail ? n->unseen.detail : "?", n->unseen.site.file, n->unseen.site.line, n->unseen.site.col);
      mg_set_local(s, v, VD_UNKNOWN, 0, text, n->unseen.site);
    } else if (n->incomplete) {
      mg_set_local(s, v, VD_UNKNOWN, 0, "defined in a translation unit that did not parse completely", n->loc);
    } else if (n->weak && !(o && o->trust_weak)) {
      mg_set_local(s, v, VD_UNKNOWN, 0, "a weak definition: the linked function may be another", n->loc);
    } else if (n->interposable && !(o && o->trust_interposable)) {
      mg_set_local(s, v, VD_UNKNOWN, 0, "an interposable definition (default visibility in position-independent code)",
                   n->loc);
    } else if (s->boff[v] == s->boff[v + 1]) {
      mg_set_local(s, v, VD_UNKNOWN, 0, "no flow facts for this body (facts from an older fnprop)", n->loc);
    }
  }
}

static void mg_free_solve(mg_solve_ctx *s) {
  free(s->keynode), free(s->boff), free(s->blist), free(s->yield), free(s->susp), free(s->susp_next), free(s->relevant);
  free(s->eoff), free(s->skip), free(s->has_sum), free(s->objmap), free(s->trusted.v);
  free(s->reach), free(s->cacc);
  for (int p = 0; p < 2; p++) {
    for (uint32_t v = 0; s->sum[p] && v < s->n; v++) fl_sum_free(&s->sum[p][v]);
    free(s->sum[p]);
  }
  for (uint32_t v = 0; s->local && v < s->n; v++) {
    free(s->local[v].text);
    for (int k = 0; k < 3; k++) free(s->local[v].part[k]);
  }
  free(s->local);
}

static int mg_setup(mg_solve_ctx *s) {
  mg_ctx *m = s->m;
  const gr_graph *g = s->g;
  uint32_t n = s->n;
  size_t ne = g->edges.n;
  s->keynode = malloc((m->keystr.n + 1) * sizeof *s->keynode);
  s->boff = calloc((size_t)n + 2, sizeof *s->boff);
  s->blist = malloc((m->bodies.n + 1) * sizeof *s->blist);
  s->yield = calloc((size_t)n + 1, 1);
  s->susp = calloc((size_t)n + 1, 1);
  s->relevant = calloc((size_t)n + 1, 1);
  s->susp_next = malloc(((size_t)n + 1) * sizeof *s->susp_next);
  s->eoff = calloc((size_t)n + 2, sizeof *s->eoff);
  s->skip = calloc(ne + 1, 1);
  s->has_sum = calloc((size_t)n + 1, 1);
  s->sum[0] = calloc((size_t)n + 1, sizeof *s->sum[0]);
  s->sum[1] = calloc((size_t)n + 1, sizeof *s->sum[1]);
  s->local = calloc((size_t)n + 1, sizeof *s->local);
  if (!s->keynode || !s->boff || !s->blist || !s->yield || !s->susp || !s->relevant || !s->susp_next || !s->eoff ||
      !s->skip || !s->has_sum || !s->sum[0] || !s->sum[1] || !s->local)
    return -1;
  for (size_t k = 0; k < m->keystr.n; k++) {
    uint32_t v;
    s->keynode[k] = ut_map_get(&g->index, m->keystr.v[k], &v) ? v : GR_NONE;
  }
  uint32_t *owner = malloc((m->bodies.n + 1) * sizeof *owner);
  if (!owner) return -1;
  for (size_t b = 0; b < m->bodies.n; b++) {
    owner[b] = s->keynode[m->bodies.v[b].owner];
    if (owner[b] != GR_NONE) s->boff[owner[b] + 1]++;
  }
  for (uint32_t v = 0; v < n; v++) s->boff[v + 1] += s->boff[v];
  uint32_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
  if (!fill) {
    free(owner);
    return -1;
  }
  memcpy(fill, s->boff, (size_t)n * sizeof *fill);
  for (size_t b = 0; b < m->bodies.n; b++)
    if (owner[b] != GR_NONE) s->blist[fill[owner[b]]++] = (uint32_t)b;
  free(owner);
  free(fill);
  for (uint32_t v = 0; v < n; v++) {
    const gr_node *nd = &g->nodes.v[v];
    const md_entry *me = nd->has_body ? NULL : mg_model(s, nd);
    s->yield[v] = (nd->annots & FT_ANN_YIELD) || (me && me->yield);
    s->susp_next[v] = GR_NONE;
  }
  for (size_t e = 0; e < ne; e++) {
    s->eoff[g->edges.v[e].src + 1]++;
    s->skip[e] = g->vias.v[e].kind == VC_EDGE_SPAWN;
  }
  for (uint32_t v = 0; v < n; v++) s->eoff[v + 1] += s->eoff[v];
  /* sites trusted by contracts, with no candidate edges: may suspend */
  for (size_t i = 0; i < g->resolutions.n; i++) {
    const gr_resolution *r = &g->resolutions.v[i];
    const gr_icall *ic = &g->icalls.v[r->icall];
    if (r->mode != VC_RES_TRUSTED || ic->via_callee != GR_NONE) continue;
    if (UT_PUSH(s->trusted, (uint64_t)ic->caller << 32 | r->icall) < 0) return -1;
    if (!s->yield[ic->caller]) s->susp[ic->caller] = FL_SUSP_MAYBE;
  }
  if (s->trusted.n) qsort(s->trusted.v, s->trusted.n, sizeof *s->trusted.v, mg_u64_cmp);
  mg_objects(s);
  s->objmap = malloc((m->u->objs.n + 1) * sizeof *s->objmap);
  if (!s->objmap) return -1;
  for (size_t o = 0; o < m->u->objs.n; o++) s->objmap[o] = (uint32_t)o;
  return s->failed ? -1 : 0;
}

/* ---- thread-bound addresses the compiler may cache (docs/stage3.md §6a) ----------------- */
/* Accessors of thread-bound state the C library declares
 * __attribute__((const)), or that compilers treat as constant within a
 * function: a call after a suspension may reuse the result of one before it.
 * The first MG_NERRNO are errno's (off with errno_ignore).  fnprop_rt_errno,
 * the runtime shim's non-inlined, non-const accessor, is not among them. */
static const char *const mg_const_accessors[] = {
    "__errno_location",         "__errno",      "__error",      "___errno",
    "__h_errno_location",       "pthread_self", "thrd_current", "__tls_get_addr",
    "__builtin_thread_pointer",
};
enum { MG_NERRNO = 5, MG_NIDENTITY = 7 };

/* 0: not an accessor; 1: errno's; 2: the thread identity; 3: the TLS block. */
static int mg_const_accessor(const mg_solve_ctx *s, const char *name) {
  for (int i = 0; i < (int)(sizeof mg_const_accessors / sizeof mg_const_accessors[0]); i++) {
    if (strcmp(name, mg_const_accessors[i])) continue;
    if (i < MG_NERRNO) return s->o && s->o->errno_ignore ? 0 : 1;
    return i < MG_NIDENTITY ? 2 : 3;
  }
  return 0;
}

static int mg_tls_object(const mg_solve_ctx *s, uint32_t o) {
  const fl_unit *u = s->m->u;
  return o < u->objs.n && mg_prefix(u->strs.v[u->objs.v[o].key], "v:");
}

/* Whether event e of node v's body is itself a cacheable access; fills *a. */
static int mg_own_access(const mg_solve_ctx *s, uint32_t v, const fl_event *e, mg_cacc *a) {
  const fl_unit *u = s->m->u;
  *a = (mg_cacc){v, GR_NONE, FL_NONE, mg_loc(s, e->loc)};
  if (e->op == FL_CALL && e->aux != FL_NONE) {
    uint32_t c = s->keynode[e->aux];
    if (c != GR_NONE && mg_const_accessor(s, s->g->nodes.v[c].name)) return a->via = c, 1;
  }
  if ((e->op == FL_READ || e->op == FL_WRITE) && mg_tls_object(s, e->aux)) return a->obj = e->aux, 1;
  for (uint32_t i = 0; i < e->nval; i++) {
    const fl_val *val = &u->vals.v[e->val + i];
    for (uint32_t q = 0; q < val->n; q++) {
      uint32_t op = u->opnds.v[val->first + q];
      if ((op & FL_OBJ) && mg_tls_object(s, FL_IDX(op))) return a->obj = FL_IDX(op), 1;
    }
  }
  return 0;
}

/* The shim's fresh accessor is defined noinline and reads errno afresh on
 * each call: its body does not count. */
static int mg_fresh_accessor(const mg_solve_ctx *s, uint32_t v) {
  return !strcmp(s->g->nodes.v[v].name, "fnprop_rt_errno");
}

/* A task region the compiler always outlines and the runtime calls through
 * a pointer (no if or final clause, which may run it undeferred by a
 * direct call that could be inlined): its accesses never join its
 * creator's activation. */
static int mg_outlined_task(const mg_solve_ctx *s, uint32_t c) {
  uint8_t omp = s->g->nodes.v[c].omp;
  return (omp & FT_OMP_TASK) && !(omp & (FT_OMP_IF | FT_OMP_FINAL));
}

/* First edge of node v at site l (edges are sorted by site within a caller). */
static uint32_t mg_site_first(const mg_solve_ctx *s, uint32_t v, fl_loc l) {
  uint32_t lo = s->eoff[v], hi = s->eoff[v + 1];
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (mg_edge_site_cmp(s, mid, l) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Whether event e of node v runs a cacheable access: 1 its own, 2 a program
 * callee's (which may be inlined here), 0 none; fills *a. */
static int mg_event_access(const mg_solve_ctx *s, uint32_t v, const fl_event *e, mg_cacc *a) {
  if (mg_own_access(s, v, e, a)) return 1;
  if (e->op != FL_CALL) return 0;
  if (e->aux != FL_NONE) {
    uint32_t c = s->keynode[e->aux];
    if (c == GR_NONE || !s->reach[c] || mg_outlined_task(s, c)) return 0;
    *a = s->cacc[c];
    return 2;
  }
  for (uint32_t k = mg_site_first(s, v, e->loc); k < s->eoff[v + 1] && mg_edge_site_cmp(s, k, e->loc) == 0; k++) {
    uint32_t d = s->g->edges.v[k].dst;
    if (s->g->vias.v[k].kind == VC_EDGE_POINTER && s->reach[d] && !mg_outlined_task(s, d)) {
      *a = s->cacc[d];
      return 2;
    }
  }
  return 0;
}

/* reach: bodies with an own cacheable access, then their callers (reverse
 * breadth-first search over the followed edges, program bodies only). */
static int mg_reach(mg_solve_ctx *s) {
  const fl_unit *u = s->m->u;
  uint32_t n = s->n;
  size_t m = s->g->edges.n;
  uint32_t *roff = calloc((size_t)n + 2, sizeof *roff), *rsrc = malloc((m + 1) * sizeof *rsrc),
           *queue = malloc(((size_t)n + 1) * sizeof *queue), *fill = malloc(((size_t)n + 1) * sizeof *fill);
  int rc = -1;
  if (!roff || !rsrc || !queue || !fill) goto out;
  size_t tail = 0, head = 0;
  for (uint32_t v = 0; v < n; v++) {
    if (mg_fresh_accessor(s, v)) continue;
    for (uint32_t k = s->boff[v]; k < s->boff[v + 1] && !s->reach[v]; k++) {
      const fl_func *f = &u->funcs.v[s->m->bodies.v[s->blist[k]].fi];
      for (uint32_t b = 0; b < f->nblk && !s->reach[v]; b++) {
        const fl_block *bl = &u->blocks.v[f->blk + b];
        for (uint32_t i = 0; i < bl->nev && !s->reach[v]; i++)
          if (mg_own_access(s, v, &u->events.v[bl->ev + i], &s->cacc[v])) s->reach[v] = 1, queue[tail++] = v;
      }
    }
  }
  for (size_t e = 0; e < m; e++)
    if (!s->skip[e]) roff[s->g->edges.v[e].dst + 1]++;
  for (uint32_t v = 0; v < n; v++) roff[v + 1] += roff[v];
  memcpy(fill, roff, (size_t)n * sizeof *fill);
  for (size_t e = 0; e < m; e++)
    if (!s->skip[e]) rsrc[fill[s->g->edges.v[e].dst]++] = s->g->edges.v[e].src;
  while (head < tail) {
    uint32_t v = queue[head++];
    if (mg_outlined_task(s, v)) continue;
    for (uint32_t k = roff[v]; k < roff[v + 1]; k++) {
      uint32_t c = rsrc[k];
      if (s->reach[c] || !s->g->nodes.v[c].has_body || mg_fresh_accessor(s, c)) continue;
      s->reach[c] = 1;
      s->cacc[c] = s->cacc[v];
      queue[tail++] = c;
    }
  }
  rc = 0;
out:
  free(roff), free(rsrc), free(queue), free(fill);
  return rc;
}

/* The witness of cacheable access a, run by event ea of node v after the
 * suspension at event es. */
/* What cacheable access a is, in words, with its location `where` (NULL:
 * none); returns its kind (1 errno, 2 thread identity, 3 TLS block, 4 a
 * thread-local variable). */
static int mg_cached_what(const mg_solve_ctx *s, const mg_cacc *a, const char *where, ut_buf *b) {
  const fl_unit *u = s->m->u;
  int what = a->via != GR_NONE ? mg_const_accessor(s, s->g->nodes.v[a->via].name) : 4;
  const char *via = a->via != GR_NONE ? s->g->nodes.v[a->via].name : "";
  const char *obj = a->obj != FL_NONE ? u->strs.v[u->objs.v[a->obj].name] : "";
  const char *at = where ? " at " : "", *w = where ? where : "";
  switch (what) {
  case 1: ut_buf_printf(b, "'errno' is accessed%s%s through '%s', which is declared const", at, w, via); break;
  case 2: ut_buf_printf(b, "'%s' (declared const: the thread's identity) is called%s%s", via, at, w); break;
  case 3:
    ut_buf_printf(b, "'%s' (the TLS block's address, constant within a function for the compiler) is called%s%s", via,
                  at, w);
    break;
  default:
    ut_buf_printf(b, "the thread-local '%s' is used%s%s (its address is constant within a function for the compiler)",
                  obj, at, w);
    break;
  }
  return what;
}

static const char *const mg_cached_kept[] = {"", "errno's address", "the thread's identity", "the TLS block's address",
                                             "its address"};

static const char *mg_cached_fix(int what) {
  if (what == 1) return "define FNPROP_RT_FRESH_ERRNO (docs/runtime.md)";
  if (what == 2) return "no fresh accessor exists: do not ask for the thread's identity after a suspension";
  return "no fresh accessor exists: do not use thread-local variables after a suspension (docs/stage3.md)";
}

/* The witness of cacheable access a, run by event ea (own: the access
 * itself, else a call of a program function that reaches it) after the
 * suspension at event es. */
static void mg_cached_text(mg_solve_ctx *s, int own, uint32_t ea, uint32_t es, const mg_cacc *a, ut_buf *b) {
  const fl_unit *u = s->m->u;
  const fl_event *e = &u->events.v[ea];
  char where[300];
  if (own) snprintf(where, sizeof where, "%s:%u:%u", u->strs.v[e->loc.file], e->loc.line, e->loc.col);
  else snprintf(where, sizeof where, "%s:%u:%u", a->at.file, a->at.line, a->at.col);
  ut_buf acc = {0};
  int what = mg_cached_what(s, a, where, &acc);
  if (own) {
    ut_buf_printf(b, "%s, after the suspension at ", acc.failed ? "" : acc.s);
  } else {
    const char *callee = mg_callee_name(s, e);
    ut_buf_printf(b, "the call at ");
    mg_put_loc(s, ea, b);
    ut_buf_printf(b, " to '%s' (which may be inlined here) runs code of '%s' where %s, after the suspension at ",
                  callee ? callee : "a function pointer", s->g->nodes.v[a->in].name, acc.failed ? "" : acc.s);
  }
  ut_buf_free(&acc);
  mg_put_susp(s, es, b);
  ut_buf_printf(b, ": the compiler may keep %s from before the suspension; %s", mg_cached_kept[what],
                mg_cached_fix(what));
}

/* The three steps of the same witness into l->part (access, suspension,
 * use) with their locations.  The access step is placed at the function
 * itself: the address may be computed once for the whole function, before
 * the suspension (the access that needs it comes after it). */
static void mg_cached_parts(mg_solve_ctx *s, uint32_t v, int own, uint32_t ea, uint32_t es, const mg_cacc *a,
                            mg_local *l) {
  const fl_unit *u = s->m->u;
  const fl_event *e = &u->events.v[ea];
  ut_buf b[3] = {{0}, {0}, {0}};
  char where[300];
  snprintf(where, sizeof where, "%s:%u:%u", a->at.file, a->at.line, a->at.col);
  int what = a->via != GR_NONE ? mg_const_accessor(s, s->g->nodes.v[a->via].name) : 4;
  const char *via = a->via != GR_NONE ? s->g->nodes.v[a->via].name : "";
  switch (what) {
  case 1: ut_buf_printf(&b[0], "'errno' through '%s', which is declared const", via); break;
  case 2:
  case 3:
    ut_buf_printf(&b[0], "'%s', which %s", via,
                  what == 2 ? "is declared const" : "is constant within a function for the compiler");
    break;
  default: ut_buf_printf(&b[0], "the thread-local '%s'", u->strs.v[u->objs.v[a->obj].name]); break;
  }
  if (!own) ut_buf_printf(&b[0], " in '%s' at %s", s->g->nodes.v[a->in].name, where);
  ut_buf_printf(&b[0], ": the compiler may compute %s once for the whole function, before the suspension",
                what == 2 ? "it" : mg_cached_kept[what]);
  mg_susp_text(s, &u->events.v[es], &b[1]);
  if (own) {
    ut_buf_printf(&b[2], "the compiler may use %s from before the suspension here; %s", mg_cached_kept[what],
                  mg_cached_fix(what));
  } else {
    const char *callee = mg_callee_name(s, e);
    ut_buf_printf(&b[2],
                  "the call to '%s' may be inlined here, and the compiler may use %s from before the suspension; %s",
                  callee ? callee : "a function pointer", mg_cached_kept[what], mg_cached_fix(what));
  }
  l->access = s->g->nodes.v[v].loc;
  l->susp = mg_loc(s, u->events.v[es].loc);
  l->use = mg_loc(s, e->loc);
  for (int k = 0; k < 3; k++) {
    free(l->part[k]);
    l->part[k] = b[k].failed ? NULL : ut_strdup(b[k].s ? b[k].s : "");
    if (!l->part[k]) s->failed = 1;
    ut_buf_free(&b[k]);
  }
}

/* Whether event e of node v is a taskyield or taskwait directly in the
 * region of an OpenMP task: clang emits an untied task's region as a switch
 * over parts and returns to the runtime at these points (the untied switch
 * of CGOpenMPRuntime), so the part after one runs in a new activation and
 * computes its addresses afresh; a tied task never moves (its verdict says
 * whether it could be untied, and untied it is split); libgomp never moves
 * a task. */
static int mg_part_split(const mg_solve_ctx *s, uint32_t v, const fl_event *e) {
  if (!(s->g->nodes.v[v].omp & FT_OMP_TASK) || e->op != FL_CALL || e->aux == FL_NONE) return 0;
  uint32_t c = s->keynode[e->aux];
  if (c == GR_NONE) return 0;
  const char *name = s->g->nodes.v[c].name;
  return !strcmp(name, "__kmpc_omp_taskyield") || !strcmp(name, "__kmpc_omp_taskwait");
}

/* Per function that may suspend: a cacheable access that may run after a
 * suspension of the same activation (a forward search over the blocks of
 * each body, loops included) makes it violated (unknown when only an
 * uncertain suspension precedes it). */
static int mg_cached(mg_solve_ctx *s) {
  const fl_unit *u = s->m->u;
  s->reach = calloc((size_t)s->n + 1, 1);
  s->cacc = calloc((size_t)s->n + 1, sizeof *s->cacc);
  if (!s->reach || !s->cacc || mg_reach(s) < 0) return -1;
  for (uint32_t v = 0; v < s->n; v++) {
    if (!s->relevant[v] || s->susp[v] == FL_SUSP_NO || s->yield[v] || mg_fresh_accessor(s, v)) continue;
    uint8_t best = 0;
    int bown = 0;
    uint32_t bacc = FL_NONE, bsusp = FL_NONE;
    mg_cacc ba = {0, GR_NONE, FL_NONE, {"", 0, 0}};
    for (uint32_t k = s->boff[v]; k < s->boff[v + 1] && best < FL_SUSP_YES; k++) {
      const fl_func *f = &u->funcs.v[s->m->bodies.v[s->blist[k]].fi];
      mg_run r = {s, v, 0, 0, 0, NULL, {0}};
      uint8_t *lvl = calloc((size_t)f->nblk + 1, 1), *inq = calloc((size_t)f->nblk + 1, 1);
      uint32_t *sev = malloc(((size_t)f->nblk + 1) * sizeof *sev), *wl = malloc(((size_t)f->nblk + 1) * sizeof *wl);
      int rc = !lvl || !inq || !sev || !wl ? -1 : mg_prepare(&r, f);
      size_t nwl = 0;
      for (uint32_t b = 0; rc == 0 && b < f->nblk; b++) wl[nwl++] = f->nblk - 1 - b, inq[f->nblk - 1 - b] = 1;
      while (rc == 0 && nwl) {
        uint32_t b = wl[--nwl];
        inq[b] = 0;
        const fl_block *bl = &u->blocks.v[f->blk + b];
        uint8_t cur = lvl[b];
        uint32_t cs = sev[b];
        for (uint32_t i = 0; i < bl->nev; i++) {
          uint32_t ei = bl->ev + i;
          const fl_event *e = &u->events.v[ei];
          mg_cacc a;
          int how = cur > best ? mg_event_access(s, v, e, &a) : 0;
          if (how) best = cur, bown = how == 1, bacc = ei, bsusp = cs, ba = a;
          const fl_sum *cs_sum = e->op == FL_CALL ? r.evsum[ei - r.ev0] : NULL;
          if (cs_sum && cs_sum->susp != FL_SUSP_NO && cs_sum->susp >= cur && !mg_part_split(s, v, e))
            cur = cs_sum->susp, cs = ei;
        }
        for (uint32_t q = 0; q < bl->nsucc; q++) {
          uint32_t t = u->succs.v[bl->succ + q] - f->blk;
          if (t >= f->nblk || cur <= lvl[t]) continue;
          lvl[t] = cur, sev[t] = cs;
          if (!inq[t]) inq[t] = 1, wl[nwl++] = t;
        }
      }
      mg_run_free(&r);
      free(lvl), free(inq), free(sev), free(wl);
      if (rc < 0) return -1;
    }
    if (!best) continue;
    ut_buf b = {0};
    mg_cached_text(s, bown, bacc, bsusp, &ba, &b);
    if (best == FL_SUSP_MAYBE) ut_buf_puts(&b, " (if a call through a contract-trusted pointer suspends)");
    if (b.failed) s->failed = 1;
    uint8_t verdict = best == FL_SUSP_YES ? VD_VIOLATED : VD_UNKNOWN;
    if (!b.failed) mg_set_local(s, v, verdict, MG_FIND_CACHED, b.s, mg_loc(s, u->events.v[bacc].loc));
    mg_local *l = &s->local[v];
    if (l->kind == MG_FIND_CACHED && l->verdict == verdict && !l->part[0])
      mg_cached_parts(s, v, bown, bacc, bsusp, &ba, l);
    ut_buf_free(&b);
  }
  return s->failed ? -1 : 0;
}

/* Joins the local verdicts over the call graph. */
static int mg_join(mg_solve_ctx *s, mg_result *out) {
  const gr_graph *g = s->g;
  uint32_t n = s->n;
  uint8_t *base = calloc((size_t)n * VD_NPROPS + 1, 1);
  sv_edge *edges = malloc((g->edges.n + 1) * sizeof *edges);
  uint32_t *idx = malloc((g->edges.n + 1) * sizeof *idx);
  sv_result *res = malloc(((size_t)n + 1) * sizeof *res);
  int rc = -1;
  if (!base || !edges || !idx || !res) goto out;
  for (uint32_t v = 0; v < n; v++) base[(size_t)v * VD_NPROPS] = s->local[v].verdict;
  size_t m = 0;
  for (size_t e = 0; e < g->edges.n; e++) {
    if (s->skip[e] || s->yield[g->edges.v[e].dst]) continue;
    edges[m] = g->edges.v[e];
    idx[m++] = (uint32_t)e;
  }
  if (sv_solve(n, base, m, edges, res) < 0) goto out;
  for (uint32_t v = 0; v < n; v++) {
    mg_result *r = &out[v];
    const mg_local *l = &s->local[v];
    memset(r, 0, sizeof *r);
    r->verdict = res[v].verdict[0];
    r->why = res[v].witness[0].why;
    r->text = r->access_text = r->susp_text = r->use_text = "";
    r->at = r->access = r->susp = r->use = (ft_loc){"", 0, 0};
    if (r->why == SV_WHY_EDGE) {
      r->edge = idx[res[v].witness[0].edge];
      r->at = g->sites.v[r->edge];
    } else if (r->why == SV_WHY_BASE) {
      const char *t = ut_arena_strdup(&s->m->arena, l->text ? l->text : "");
      r->text = t ? t : "";
      r->kind = l->kind;
      r->at = l->at;
      r->access = l->access;
      r->susp = l->susp;
      r->use = l->use;
      const char **dst[3] = {&r->access_text, &r->susp_text, &r->use_text};
      for (int k = 0; k < 3; k++) {
        const char *p = l->part[k] ? ut_arena_strdup(&s->m->arena, l->part[k]) : "";
        *dst[k] = p ? p : "";
        if (!p) s->failed = 1;
      }
      if (!t) s->failed = 1;
    }
  }
  rc = s->failed ? -1 : 0;
out:
  free(base), free(edges), free(idx), free(res);
  return rc;
}

int mg_solve(mg_ctx *m, const gr_graph *g, const gr_opts *opts, mg_result *out) {
  if (m->failed) return -1;
  mg_solve_ctx s;
  memset(&s, 0, sizeof s);
  s.m = m;
  s.g = g;
  s.o = opts;
  s.n = (uint32_t)g->nodes.n;
  int rc = -1;
  if (mg_setup(&s) < 0 || mg_suspension(&s) < 0 || mg_relevant(&s) < 0) goto out;
  mg_reasons(&s);
  if (mg_sccs(&s) < 0) goto out;
  if (mg_cached(&s) < 0) goto out;
  rc = mg_join(&s, out);
out:
  mg_free_solve(&s);
  return rc;
}
