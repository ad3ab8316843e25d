/* SPDX-License-Identifier: MIT */
/*
 * report.c - summaries, dumps, JSON Lines, explain and the C export.
 *
 * Witness paths are walked hop by hop through the database (each verdict
 * row stores only its next hop, so storage stays linear even for a
 * 100,000-deep call chain); the walk is bounded by the number of functions
 * so a damaged database cannot make it loop.
 */
#include <stdlib.h>
#include <string.h>

#include "effects.h"
#include "export_c.h"
#include "graph.h"
#include "report.h"

/* Hops of a witness path printed in full by the JSON export; longer paths
 * keep their first hops and their last (the reason), with the count of the
 * elided ones, so a 100,000-deep chain does not make the export quadratic. */
#define RP_EXPORT_HOPS 64

static const char *rp_path(const rp_opts *o, const char *p) {
  return o && o->cwd ? ut_relpath(p, o->cwd) : p;
}

void rp_call_text(char *buf, size_t n, const rp_step *s) {
  switch (s->how) {
  case GR_EDGE_POINTER: snprintf(buf, n, "calls '%s' through a function pointer", s->callee); break;
  case GR_EDGE_CALLBACK: snprintf(buf, n, "passes '%s' to '%s', which calls it", s->callee, s->through ? s->through : "?"); break;
  case GR_EDGE_SPAWN:
    snprintf(buf, n, "passes '%s' to '%s', which runs it on another thread", s->callee, s->through ? s->through : "?");
    break;
  default: snprintf(buf, n, "calls '%s'", s->callee); break;
  }
}

int rp_is_asm(const char *detail) { return detail && !strncmp(detail, "inline assembly", 15); }

void rp_reason_text(char *buf, size_t n, int kind, const char *detail) {
  if (rp_is_asm(detail) && kind == FX_TLS_API) {
    snprintf(buf, n, "executes %s, which reads the thread pointer or the CPU's identity", detail);
    return;
  }
  if (rp_is_asm(detail) && kind == FX_PANIC_CALL) {
    snprintf(buf, n, "executes %s, which ends the program", detail);
    return;
  }
  switch (kind) {
  case FX_TLS_VAR: snprintf(buf, n, "uses thread-local variable '%s'", detail); break;
  case FX_ERRNO: snprintf(buf, n, "'%s' accesses errno, which is thread-local", detail); break;
  case FX_TLS_API: snprintf(buf, n, "'%s' observes the calling thread's identity or thread-local storage", detail); break;
  case FX_TLS_DECLARED: snprintf(buf, n, "'%s' is declared to touch thread-local state (FNPROP_TLS)", detail); break;
  case FX_PANIC_CALL: snprintf(buf, n, "'%s' ends the program or abandons its caller", detail); break;
  case FX_NORETURN: snprintf(buf, n, "'%s' is declared noreturn and has no body in the program", detail); break;
  case FX_PANIC_DECLARED: snprintf(buf, n, "'%s' is declared to abort (FNPROP_PANIC)", detail); break;
  case FX_INDIRECT: snprintf(buf, n, "calls through a pointer of type '%s' whose targets are not resolved", detail); break;
  case FX_EXTERNAL: snprintf(buf, n, "'%s' has no body in the program and no model", detail); break;
  case FX_INCOMPLETE: snprintf(buf, n, "is defined in '%s', which did not parse completely", detail); break;
  case FX_UNSEEN:
    snprintf(buf, n,
             "contains %s, code fnprop does not understand; if you checked that it touches no thread-local state "
             "and cannot abort, annotate the function FNPROP_NOTLS / FNPROP_NOPANIC, otherwise report the construct",
             detail);
    break;
  default: snprintf(buf, n, "%s", detail); break;
  }
}

/* ---- summary -------------------------------------------------------------- */
typedef struct rp_count {
  long funcs, v[VD_NPROPS][3];
} rp_count;

static int rp_count_fn(void *arg, const pdb_func *f) {
  rp_count *c = arg;
  c->funcs++;
  for (int p = 0; p < VD_NPROPS; p++)
    if (f->verdict[p] >= 0 && f->verdict[p] < 3) c->v[p][f->verdict[p]]++;
  return 0;
}

/* What the analysis could not see: functions holding constructs the front
 * end does not understand, and compiler flags it left out of parses. */
static int rp_unseen_summary(pdb *db, FILE *out) {
  char buf[4096];
  unsigned long funcs = 0, constructs = 0, tus = 0;
  int r = pdb_meta_get(db, "unseen", buf, sizeof buf);
  if (r < 0) return -1;
  if (r && sscanf(buf, "%lu %lu", &funcs, &constructs) == 2 && funcs)
    fprintf(out, "%lu function%s contain%s code fnprop does not understand (%lu construct%s); see `fnprop explain`\n",
            funcs, funcs == 1 ? "" : "s", funcs == 1 ? "s" : "", constructs, constructs == 1 ? "" : "s");
  r = pdb_meta_get(db, "dropped_flags", buf, sizeof buf);
  if (r < 0) return -1;
  int used = 0;
  if (r && sscanf(buf, "%lu %n", &tus, &used) >= 1 && tus && buf[used]) {
    long nflags = 1;
    for (const char *p = buf + used; *p; p++) nflags += *p == ' ';
    fprintf(out, "dropped %ld compiler flag%s clang does not know (in %lu translation unit%s): %s\n", nflags,
            nflags == 1 ? "" : "s", tus, tus == 1 ? "" : "s", buf + used);
  }
  return 0;
}

int rp_summary(pdb *db, FILE *out, long parsed, long cached) {
  rp_count c = {0};
  long tus, bad;
  if (pdb_tu_counts(db, &tus, &bad) < 0 || pdb_each_func(db, NULL, rp_count_fn, &c) < 0) return -1;
  fprintf(out, "%ld translation units (%ld incomplete; %ld parsed, %ld from cache), %ld functions\n", tus, bad,
          parsed, cached, c.funcs);
  for (int p = 0; p < VD_NPROPS; p++)
    fprintf(out, "  %-6s proven %ld, unknown %ld, violated %ld\n", vd_prop_name((vd_prop)p), c.v[p][0],
            c.v[p][1], c.v[p][2]);
  return rp_unseen_summary(db, out);
}

/* ---- dump ----------------------------------------------------------------- */
typedef struct rp_cache rp_cache;

typedef struct rp_ctx {
  FILE *out;
  const rp_opts *o;
  pdb *db;
  int found;
  rp_cache *cache;      /* bulk-loaded hops, or NULL: query per hop */
} rp_ctx;

int rp_selected(const rp_opts *o, const char *path) {
  if (!o || o->nfiles <= 0) return 1;
  for (int i = 0; i < o->nfiles; i++)
    if (o->files[i] && strcmp(o->files[i], path) == 0) return 1;
  return 0;
}

static int rp_dump_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  if (!rp_selected(c->o, f->file)) return 0;
  fprintf(c->out, "%s:%d:%d: %s tls=%s panic=%s\n", rp_path(c->o, f->file), f->line, f->col, f->name,
          vd_name((vd_verdict)f->verdict[0]), vd_name((vd_verdict)f->verdict[1]));
  return 0;
}

int rp_dump_verdicts(pdb *db, FILE *out, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  return pdb_each_func(db, NULL, rp_dump_fn, &c);
}

/* ---- witness walking ------------------------------------------------------ */
static void rp_step_free(rp_step *s) {
  free(s->caller), free(s->file), free(s->callee), free(s->detail), free(s->through), free(s->origin);
}

void rp_trail_free(rp_trail *p) {
  for (size_t i = 0; i < p->n; i++) rp_step_free(&p->v[i]);
  free(p->v);
  memset(p, 0, sizeof *p);
}

/* Names and hops read once, for reports that walk many paths (the export
 * of a 100,000-deep chain walks 64 hops for each of 100,000 functions). */
struct rp_cache {
  int64_t n;              /* ids 1..n-1 */
  const char **name;
  pdb_hop *hop;           /* [id * VD_NPROPS + prop]; why 0 when absent */
  ut_arena arena;
  int failed;
};

static int rp_cache_name(void *arg, int64_t id, const char *name) {
  rp_cache *c = arg;
  if (id <= 0 || id >= c->n) return 0;
  c->name[id] = ut_arena_strdup(&c->arena, name);
  return c->name[id] ? 0 : -1;
}

static const char *rp_cstr(rp_cache *c, const char *s) { return s ? ut_arena_strdup(&c->arena, s) : NULL; }

static int rp_cache_hop(void *arg, int64_t func, int prop, const pdb_hop *h) {
  rp_cache *c = arg;
  if (func <= 0 || func >= c->n || prop < 0 || prop >= VD_NPROPS) return 0;
  pdb_hop *d = &c->hop[func * VD_NPROPS + prop];
  *d = *h;
  d->detail = rp_cstr(c, h->detail);
  d->file = rp_cstr(c, h->file);
  d->decl_file = rp_cstr(c, h->decl_file);
  d->through = rp_cstr(c, h->through);
  d->origin = rp_cstr(c, h->origin);
  return c->arena.failed ? -1 : 0;
}

static void rp_cache_free(rp_cache *c) {
  free(c->name);
  free(c->hop);
  ut_arena_free(&c->arena);
}

static int rp_cache_load(pdb *db, rp_cache *c, int64_t max_id) {
  memset(c, 0, sizeof *c);
  c->n = max_id + 1;
  c->name = calloc((size_t)c->n, sizeof *c->name);
  c->hop = calloc((size_t)c->n * VD_NPROPS, sizeof *c->hop);
  if (!c->name || !c->hop || pdb_each_name(db, rp_cache_name, c) < 0 || pdb_each_hop(db, rp_cache_hop, c) < 0) {
    rp_cache_free(c);
    return -1;
  }
  return 0;
}

/* One hop and one name, from the cache when given, else the database. */
static int rp_get_hop(pdb *db, rp_cache *c, int64_t func, int prop, pdb_hop *h) {
  if (!c) return pdb_get_hop(db, func, prop, h);
  if (func <= 0 || func >= c->n) return -1;
  *h = c->hop[func * VD_NPROPS + prop];
  if (!h->detail) h->detail = "";
  if (!h->file) h->file = "";
  if (!h->decl_file) h->decl_file = "";
  return 0;
}

static const char *rp_get_name(pdb *db, rp_cache *c, int64_t func) {
  if (c) return func > 0 && func < c->n ? c->name[func] : NULL;
  pdb_func f;
  return pdb_get_func(db, func, &f) == 0 ? f.name : NULL;
}

/* A witness path visits each function at most once (solver.h): more hops
 * than functions means a damaged database, never an endless walk. */
static int rp_walk(pdb *db, rp_cache *c, int64_t func, int prop, long max_hops, rp_trail *path) {
  int64_t bound = c ? (int64_t)c->n : pdb_max_func_id(db) + 1;
  for (int64_t i = 0; i <= bound; i++) {
    pdb_hop h;
    if (rp_get_hop(db, c, func, prop, &h) < 0) return -1;
    if (max_hops > 0 && i == max_hops - 1 && h.depth > 1 && h.terminal > 0) {
      rp_step gap = {NULL, ut_strdup(""), 0, 0, NULL, 0, ut_strdup(""), h.depth - 1, 0, NULL, NULL};
      if (!gap.file || !gap.detail || UT_PUSH(*path, gap) < 0) return rp_step_free(&gap), -1;
      func = h.terminal; /* continue with the hop that carries the reason */
      if (rp_get_hop(db, c, func, prop, &h) < 0) return -1;
    }
    const char *name = rp_get_name(db, c, func);
    if (!name) return -1;
    rp_step s = {ut_strdup(name), ut_strdup(h.file), h.line, h.col, NULL, h.kind, ut_strdup(h.detail), 0,
                 h.how, h.through ? ut_strdup(h.through) : NULL, h.origin ? ut_strdup(h.origin) : NULL};
    int edge = h.why == SV_WHY_EDGE;
    int64_t next = h.next;
    const char *callee = edge ? rp_get_name(db, c, next) : NULL;
    if (callee) s.callee = ut_strdup(callee);
    if (!s.caller || !s.file || !s.detail || (h.through && !s.through) || (h.origin && !s.origin) ||
        (edge && !s.callee) || UT_PUSH(*path, s) < 0)
      return rp_step_free(&s), -1;
    if (!edge) return 0;
    func = next;
  }
  return -1;
}

int rp_witness_max(pdb *db, int64_t func, int prop, long max_hops, rp_trail *path) {
  return rp_walk(db, NULL, func, prop, max_hops, path);
}

int rp_witness(pdb *db, int64_t func, int prop, rp_trail *path) { return rp_witness_max(db, func, prop, 0, path); }

/* ---- JSON Lines ----------------------------------------------------------- */
static int rp_json_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  ut_buf b = {0};
  ut_buf_puts(&b, "{\"name\":");
  ut_buf_json(&b, f->name);
  ut_buf_puts(&b, ",\"usr\":");
  ut_buf_json(&b, f->usr);
  ut_buf_puts(&b, ",\"file\":");
  ut_buf_json(&b, f->file);
  ut_buf_printf(&b, ",\"line\":%d,\"column\":%d,\"linkage\":\"%s\",\"tls\":\"%s\",\"panic\":\"%s\"", f->line,
                f->col, f->linkage, vd_name((vd_verdict)f->verdict[0]), vd_name((vd_verdict)f->verdict[1]));
  if (f->task) ut_buf_puts(&b, ",\"task\":true");
  int64_t id = f->id;
  int v[2] = {f->verdict[0], f->verdict[1]};
  for (int p = 0; p < VD_NPROPS; p++) {
    if (v[p] == VD_PROVEN) continue;
    rp_trail path = {0};
    if (rp_walk(c->db, c->cache, id, p, RP_EXPORT_HOPS, &path) < 0) {
      rp_trail_free(&path);
      ut_buf_free(&b);
      return -1;
    }
    ut_buf_printf(&b, ",\"%s_witness\":[", vd_prop_name((vd_prop)p));
    for (size_t i = 0; i < path.n; i++) {
      rp_step *s = &path.v[i];
      if (s->elided) {
        ut_buf_printf(&b, "%s{\"elided\":%ld}", i ? "," : "", s->elided);
        continue;
      }
      ut_buf_puts(&b, i ? ",{\"function\":" : "{\"function\":");
      ut_buf_json(&b, s->caller);
      ut_buf_puts(&b, ",\"file\":");
      ut_buf_json(&b, s->file);
      ut_buf_printf(&b, ",\"line\":%d,\"column\":%d", s->line, s->col);
      if (s->callee) {
        static const char *const hows[] = {"call", "pointer", "callback", "spawn"};
        ut_buf_puts(&b, ",\"calls\":");
        ut_buf_json(&b, s->callee);
        if (s->how > 0 && s->how < 4) ut_buf_printf(&b, ",\"how\":\"%s\"", hows[s->how]);
        if (s->through) {
          ut_buf_puts(&b, ",\"through\":");
          ut_buf_json(&b, s->through);
        }
      } else {
        char msg[1024];
        rp_reason_text(msg, sizeof msg, s->kind, s->detail);
        ut_buf_printf(&b, ",\"effect\":\"%s\",\"detail\":", fx_get((fx_kind)s->kind)->name);
        ut_buf_json(&b, s->detail);
        ut_buf_puts(&b, ",\"message\":");
        ut_buf_json(&b, msg);
        if (s->origin) {
          ut_buf_puts(&b, ",\"model\":");
          ut_buf_json(&b, s->origin);
        }
      }
      ut_buf_puts(&b, "}");
    }
    ut_buf_puts(&b, "]");
    rp_trail_free(&path);
  }
  ut_buf_puts(&b, "}\n");
  int rc = b.failed ? -1 : (fwrite(b.s, 1, b.n, c->out) == b.n ? 0 : -1);
  ut_buf_free(&b);
  return rc;
}

int rp_export_jsonl(pdb *db, FILE *out) {
  rp_cache cache;
  int64_t max = pdb_max_func_id(db);
  if (max < 0 || rp_cache_load(db, &cache, max) < 0) return -1;
  rp_ctx c = {out, NULL, db, 0, &cache};
  int rc = pdb_each_func(db, NULL, rp_json_fn, &c);
  rp_cache_free(&cache);
  return rc;
}

/* ---- explain -------------------------------------------------------------- */
static void rp_print_path(rp_ctx *c, const rp_trail *path) {
  for (size_t i = 0; i < path->n; i++) {
    const rp_step *s = &path->v[i];
    char msg[1024];
    if (s->elided) {
      fprintf(c->out, "  ... %ld more calls ...\n", s->elided);
      continue;
    }
    if (s->callee) rp_call_text(msg, sizeof msg, s);
    else rp_reason_text(msg, sizeof msg, s->kind, s->detail);
    if (!s->callee && s->origin) {
      size_t len = strlen(msg);
      snprintf(msg + len, sizeof msg - len, " [%s%s]", strcmp(s->origin, "annotation") && strcmp(s->origin, "built-in") ? "model " : "", s->origin);
    }
    if (s->file[0])
      fprintf(c->out, "  #%zu %s at %s:%d:%d: %s\n", i, s->caller, rp_path(c->o, s->file), s->line, s->col, msg);
    else
      fprintf(c->out, "  #%zu %s: %s\n", i, s->caller, msg);
  }
}

static int rp_explain_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  c->found++;
  int64_t id = f->id;
  int v[2] = {f->verdict[0], f->verdict[1]};
  fprintf(c->out, "%s (%s) defined at %s:%d:%d\n", f->name, f->linkage, rp_path(c->o, f->file), f->line, f->col);
  if (f->note) fprintf(c->out, "note: %s\n", f->note);
  for (int p = 0; p < VD_NPROPS; p++) {
    fprintf(c->out, "%s: %s\n", vd_prop_name((vd_prop)p), vd_name((vd_verdict)v[p]));
    if (v[p] == VD_PROVEN) continue;
    rp_trail path = {0};
    int rc = rp_witness(c->db, id, p, &path);
    if (rc == 0) rp_print_path(c, &path);
    rp_trail_free(&path);
    if (rc < 0) return -1;
  }
  return 0;
}

int rp_explain(pdb *db, FILE *out, const char *name, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  if (pdb_each_func(db, name, rp_explain_fn, &c) < 0) return -1;
  return c.found ? 0 : 1;
}

/* ---- C export ------------------------------------------------------------- */
typedef struct rp_xc {
  struct { xc_entry *v; size_t n, cap; } e;
  ut_arena arena;
} rp_xc;

static int rp_xc_fn(void *arg, const pdb_func *f) {
  rp_xc *x = arg;
  xc_entry e = {ut_arena_strdup(&x->arena, f->name), ut_arena_strdup(&x->arena, f->file),
                strcmp(f->linkage, "external") == 0, (unsigned char)f->verdict[0], (unsigned char)f->verdict[1]};
  return x->arena.failed ? -1 : UT_PUSH(x->e, e);
}

int rp_export_c(pdb *db, FILE *out, const char *analysis_hash) {
  rp_xc x = {0};
  int rc = pdb_each_func(db, NULL, rp_xc_fn, &x);
  if (rc == 0) rc = xc_write(out, x.e.v, x.e.n, analysis_hash);
  free(x.e.v);
  ut_arena_free(&x.arena);
  return rc;
}

/* ---- parse errors --------------------------------------------------------- */
static int rp_diag_fn(void *arg, const char *tu, const ft_diag *d) {
  rp_ctx *c = arg;
  fprintf(c->out, "%s:%u:%u: error: %s [fnprop-parse-error]\n", rp_path(c->o, d->loc.file[0] ? d->loc.file : tu),
          d->loc.line, d->loc.col, d->message);
  c->found++;
  return 0;
}

int rp_parse_errors(pdb *db, FILE *out, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  if (pdb_each_diag(db, rp_diag_fn, &c) < 0) return -1;
  return c.found;
}

/* ---- stage 3: --dump=migrate (docs/stage3.md) ------------------------------ */
/* Writes text with every "CWD/" prefix of a path removed, as rp_path does. */
static void rp_put_relative(FILE *out, const char *text, const rp_opts *o) {
  size_t n = o && o->cwd ? strlen(o->cwd) : 0;
  while (*text) {
    if (n && !strncmp(text, o->cwd, n) && text[n] == '/') {
      text += n + 1;
      continue;
    }
    fputc(*text++, out);
  }
}

static int rp_dump_migrate_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  if (!rp_selected(c->o, f->file)) return 0;
  pdb_migrate m;
  if (pdb_get_migrate(c->db, f->id, &m) < 0) return -1;
  fprintf(c->out, "%s:%d:%d: %s tls=%s panic=%s migrate=%s", rp_path(c->o, f->file), f->line, f->col, f->name,
          vd_name((vd_verdict)f->verdict[0]), vd_name((vd_verdict)f->verdict[1]), vd_name((vd_verdict)m.verdict));
  if (m.verdict && m.why == SV_WHY_EDGE && m.file)
    fprintf(c->out, ": calls '%s' at %s:%d:%d", m.next_name ? m.next_name : "?", rp_path(c->o, m.file), m.line, m.col);
  else if (m.verdict && m.text) {
    fputs(": ", c->out);
    rp_put_relative(c->out, m.text, c->o);
  }
  fputc('\n', c->out);
  return 0;
}

int rp_dump_migrate(pdb *db, FILE *out, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  return pdb_each_func(db, NULL, rp_dump_migrate_fn, &c);
}
