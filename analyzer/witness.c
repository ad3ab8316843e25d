/* SPDX-License-Identifier: MIT */
/*
 * witness.c - the one witness walker and its text and JSON writers.
 *
 * Invariant: a walk follows stored next hops only, at most one step per
 * function of the program (a valid chain never revisits a function), so it
 * ends on any database, damaged or not; whatever it cannot read is an
 * error, never a shortened path.
 */
#include <stdlib.h>
#include <string.h>

#include "effects.h"
#include "vocab.h"
#include "witness.h"

static void wt_step_free(wt_step *s) {
  free(s->func), free(s->file), free(s->callee), free(s->through), free(s->detail), free(s->decl_file);
  free(s->origin);
}

void wt_path_free(wt_path *p) {
  for (size_t i = 0; i < p->n; i++) wt_step_free(&p->v[i]);
  free(p->v);
  memset(p, 0, sizeof *p);
}

/* ---- the cache --------------------------------------------------------------- */
struct wt_cache {
  int64_t n;              /* ids 1..n-1 */
  const char **name;
  unsigned char *has_body;
  pdb_hop *hop;           /* [id * VD_NPROPS + prop]; why 0 when absent */
  ut_arena arena;
};

static int wt_cache_name(void *arg, int64_t id, const char *name, int has_body) {
  wt_cache *c = arg;
  if (id <= 0 || id >= c->n) return 0;
  c->name[id] = ut_arena_strdup(&c->arena, name);
  c->has_body[id] = (unsigned char)(has_body != 0);
  return c->name[id] ? 0 : -1;
}

static const char *wt_cstr(wt_cache *c, const char *s) { return s ? ut_arena_strdup(&c->arena, s) : NULL; }

static int wt_cache_hop(void *arg, int64_t func, int prop, const pdb_hop *h) {
  wt_cache *c = arg;
  if (func <= 0 || func >= c->n || prop < 0 || prop >= VD_NPROPS) return 0;
  pdb_hop *d = &c->hop[func * VD_NPROPS + prop];
  *d = *h;
  d->detail = wt_cstr(c, h->detail);
  d->file = wt_cstr(c, h->file);
  d->decl_file = wt_cstr(c, h->decl_file);
  d->through = wt_cstr(c, h->through);
  d->origin = wt_cstr(c, h->origin);
  return c->arena.failed ? -1 : 0;
}

void wt_cache_free(wt_cache *c) {
  if (!c) return;
  free(c->name);
  free(c->has_body);
  free(c->hop);
  ut_arena_free(&c->arena);
  free(c);
}

wt_cache *wt_cache_load(pdb *db) {
  int64_t max = pdb_max_func_id(db);
  wt_cache *c = max < 0 ? NULL : calloc(1, sizeof *c);
  if (!c) return NULL;
  c->n = max + 1;
  c->name = calloc((size_t)c->n, sizeof *c->name);
  c->has_body = calloc((size_t)c->n, 1);
  c->hop = calloc((size_t)c->n * VD_NPROPS, sizeof *c->hop);
  if (!c->name || !c->has_body || !c->hop || pdb_each_name(db, wt_cache_name, c) < 0 ||
      pdb_each_hop(db, wt_cache_hop, c) < 0) {
    wt_cache_free(c);
    return NULL;
  }
  return c;
}

/* ---- walking ------------------------------------------------------------------ */
/* One hop, from the cache when given, else the database. */
static int wt_get_hop(pdb *db, wt_cache *c, int64_t func, int prop, pdb_hop *h) {
  if (!c) return pdb_get_hop(db, func, prop, h);
  if (func <= 0 || func >= c->n) return -1;
  *h = c->hop[func * VD_NPROPS + prop];
  if (!h->detail) h->detail = "";
  if (!h->file) h->file = "";
  if (!h->decl_file) h->decl_file = "";
  return 0;
}

/* The name of func, malloc'd, and whether it has a body; NULL when absent. */
static char *wt_get_name(pdb *db, wt_cache *c, int64_t func, int *has_body) {
  if (c) {
    if (func <= 0 || func >= c->n || !c->name[func]) return NULL;
    if (has_body) *has_body = c->has_body[func];
    return ut_strdup(c->name[func]);
  }
  pdb_func f;
  if (pdb_get_func(db, func, &f) < 0) return NULL;
  if (has_body) *has_body = f.has_body;
  return ut_strdup(f.name);
}

static char *wt_dup(const char *s) { return s ? ut_strdup(s) : NULL; }

int wt_walk(pdb *db, wt_cache *c, int64_t func, int prop, long max_steps, wt_path *path) {
  int64_t bound = c ? c->n : pdb_max_func_id(db) + 1;
  for (int64_t i = 0; i < bound; i++) {
    pdb_hop h;
    if (wt_get_hop(db, c, func, prop, &h) < 0) return -1;
    if (max_steps > 0 && i == max_steps - 1 && h.depth > 1 && h.terminal > 0) {
      wt_step gap = {NULL,          0, ut_strdup(""), 0,           0, NULL, 0, NULL, 0, ut_strdup(""),
                     ut_strdup(""), 0, NULL,          h.depth - 1, 0};
      if (!gap.file || !gap.detail || !gap.decl_file || UT_PUSH(*path, gap) < 0) return wt_step_free(&gap), -1;
      func = h.terminal; /* continue with the hop that carries the reason */
      if (wt_get_hop(db, c, func, prop, &h) < 0) return -1;
    }
    wt_step s = {0};
    s.func = wt_get_name(db, c, func, &s.has_body);
    s.id = func;
    s.file = ut_strdup(h.file), s.line = h.line, s.col = h.col;
    s.how = h.how, s.through = wt_dup(h.through);
    s.kind = h.kind, s.detail = ut_strdup(h.detail), s.decl_file = ut_strdup(h.decl_file), s.decl_line = h.decl_line;
    s.origin = wt_dup(h.origin);
    int edge = h.why == PDB_WHY_EDGE;
    int64_t next = h.next;
    if (edge) s.callee = wt_get_name(db, c, next, NULL);
    if (!s.func || !s.file || !s.detail || !s.decl_file || (h.through && !s.through) || (h.origin && !s.origin) ||
        (edge && !s.callee) || UT_PUSH(*path, s) < 0)
      return wt_step_free(&s), -1;
    if (!edge) return 0;
    func = next;
  }
  return -1; /* longer than the program: a damaged database */
}

/* ---- writers ------------------------------------------------------------------ */
void wt_step_text(char *buf, size_t n, const wt_step *s, int origin) {
  if (s->callee) {
    vc_edge_text(buf, n, s->how, s->callee, s->through);
    return;
  }
  fx_text(buf, n, (fx_kind)s->kind, s->detail);
  if (origin && s->origin) {
    char label[600];
    vc_origin_label(label, sizeof label, s->origin);
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, " %s", label);
  }
}

int wt_write_text(FILE *out, const wt_path *p, const char *cwd, int numbered) {
  for (size_t i = 0; i < p->n; i++) {
    const wt_step *s = &p->v[i];
    char msg[1024], head[32];
    if (s->elided) {
      if (fprintf(out, "  ... %ld more calls ...\n", s->elided) < 0) return -1;
      continue;
    }
    wt_step_text(msg, sizeof msg, s, 1);
    if (numbered) snprintf(head, sizeof head, "  #%zu ", i);
    else snprintf(head, sizeof head, "    ");
    int rc = s->file[0] ? fprintf(out, "%s%s at %s:%d:%d: %s\n", head, s->func,
                                  cwd ? ut_relpath(s->file, cwd) : s->file, s->line, s->col, msg)
                        : fprintf(out, "%s%s: %s\n", head, s->func, msg);
    if (rc < 0) return -1;
  }
  return 0;
}

void wt_write_json(ut_buf *b, const wt_path *p) {
  ut_buf_puts(b, "[");
  for (size_t i = 0; i < p->n; i++) {
    const wt_step *s = &p->v[i];
    if (s->elided) {
      ut_buf_printf(b, "%s{\"elided\":%ld}", i ? "," : "", s->elided);
      continue;
    }
    ut_buf_puts(b, i ? ",{\"function\":" : "{\"function\":");
    ut_buf_json(b, s->func);
    ut_buf_puts(b, ",\"file\":");
    ut_buf_json(b, s->file);
    ut_buf_printf(b, ",\"line\":%d,\"column\":%d", s->line, s->col);
    if (s->callee) {
      ut_buf_puts(b, ",\"calls\":");
      ut_buf_json(b, s->callee);
      if (s->how > VC_EDGE_CALL && s->how < VC_NEDGES) ut_buf_printf(b, ",\"how\":\"%s\"", vc_edge_name(s->how));
      if (s->through) {
        ut_buf_puts(b, ",\"through\":");
        ut_buf_json(b, s->through);
      }
    } else {
      char msg[1024];
      wt_step_text(msg, sizeof msg, s, 0);
      ut_buf_printf(b, ",\"effect\":\"%s\",\"detail\":", fx_get((fx_kind)s->kind)->name);
      ut_buf_json(b, s->detail);
      ut_buf_puts(b, ",\"message\":");
      ut_buf_json(b, msg);
      if (s->origin) {
        ut_buf_puts(b, ",\"model\":");
        ut_buf_json(b, s->origin);
      }
    }
    ut_buf_puts(b, "}");
  }
  ut_buf_puts(b, "]");
}
