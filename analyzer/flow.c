/* SPDX-License-Identifier: MIT */
/*
 * flow.c - the flow IR (building, copying, checking) and the
 * intraprocedural stage-3 analysis with its witness search.
 *
 * The analysis (docs/stage3.md §4) is forward: per tracked local two origin
 * sets (T: derived, TC: derived and a suspension crossed since), per origin
 * the content flags DEF, CRS, ENT, ENTC, the must-kill set KILL and the
 * escaped set ESC.  Origins are the global objects followed by one per
 * parameter.  Joins are unions, except KILL (intersection over the reached
 * predecessors).  Every transfer is a union of gen/kill terms over these
 * bitsets, hence monotone and distributive; the lattice is finite, so the
 * round-robin iteration over blocks in reverse postorder stops, and its
 * result is the meet over all paths.  Findings and summary bits are only
 * collected in one last pass over the stable entry states, so they do not
 * influence the fixpoint.
 *
 * The witness of the first finding is a path found afterwards by a
 * breadth-first search backwards over (position, local, phase) states: from
 * the use back to a suspension (phase 0 -> 1), then to the event that
 * introduced the thread-local origin.
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"

/* ---- the unit --------------------------------------------------------------- */
fl_unit *fl_unit_create(void) {
  fl_unit *u = calloc(1, sizeof *u);
  if (!u) return NULL;
  if (UT_PUSH(u->strs, "") < 0 || ut_map_put(&u->str_index, "", 0) < 0) {
    fl_unit_destroy(u);
    return NULL;
  }
  return u;
}

void fl_unit_destroy(fl_unit *u) {
  if (!u) return;
  free(u->strs.v);
  free(u->objs.v);
  free(u->funcs.v);
  free(u->blocks.v);
  free(u->succs.v);
  free(u->events.v);
  free(u->vals.v);
  free(u->opnds.v);
  free(u->names.v);
  ut_map_free(&u->str_index);
  ut_map_free(&u->obj_index);
  ut_arena_free(&u->arena);
  free(u);
}

uint32_t fl_str(fl_unit *u, const char *s) {
  uint32_t i;
  if (!s || !*s) return 0;
  if (ut_map_get(&u->str_index, s, &i)) return i;
  const char *p = ut_arena_strdup(&u->arena, s);
  i = (uint32_t)u->strs.n;
  if (!p || UT_PUSH(u->strs, p) < 0 || ut_map_put(&u->str_index, p, i) < 0) {
    u->failed = 1;
    return 0;
  }
  return i;
}

uint32_t fl_object_intern(fl_unit *u, const char *key, const char *name) {
  uint32_t k = fl_str(u, key), i;
  if (ut_map_get(&u->obj_index, u->strs.v[k], &i)) return i;
  fl_object o = {k, fl_str(u, name)};
  i = (uint32_t)u->objs.n;
  if (u->failed || UT_PUSH(u->objs, o) < 0 || ut_map_put(&u->obj_index, u->strs.v[k], i) < 0) {
    u->failed = 1;
    return 0;
  }
  return i;
}

/* Source string -> destination string of one copy (event locations repeat
 * the same few files thousands of times). */
typedef struct fl_remap {
  uint32_t from, to;
} fl_remap;

static fl_loc fl_copy_loc(fl_unit *dst, const fl_unit *src, fl_loc l, fl_remap *last) {
  if (last->from != l.file) last->from = l.file, last->to = fl_str(dst, src->strs.v[l.file]);
  l.file = last->to;
  return l;
}

void fl_drop_funcs(fl_unit *u, uint32_t func, size_t below) {
  size_t k = 0;
  for (size_t i = 0; i < u->funcs.n; i++)
    if (i >= below || u->funcs.v[i].func != func) u->funcs.v[k++] = u->funcs.v[i];
  u->funcs.n = k;
}

uint32_t fl_copy_func(fl_unit *dst, const fl_unit *src, uint32_t fi) {
  const fl_func *f = &src->funcs.v[fi];
  fl_remap last = {FL_NONE, 0};
  fl_func g = *f;
  g.why = fl_str(dst, src->strs.v[f->why]);
  g.why_loc = fl_copy_loc(dst, src, f->why_loc, &last);
  g.names = (uint32_t)dst->names.n;
  for (uint32_t i = 0; i < f->nlocals; i++)
    if (UT_PUSH(dst->names, fl_str(dst, src->strs.v[src->names.v[f->names + i]])) < 0) dst->failed = 1;
  g.blk = (uint32_t)dst->blocks.n;
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *sb = &src->blocks.v[f->blk + b];
    fl_block nb = {(uint32_t)dst->events.n, sb->nev, (uint32_t)dst->succs.n, sb->nsucc};
    for (uint32_t s = 0; s < sb->nsucc; s++)
      if (UT_PUSH(dst->succs, src->succs.v[sb->succ + s] - f->blk + g.blk) < 0) dst->failed = 1;
    for (uint32_t e = 0; e < sb->nev; e++) {
      fl_event ev = src->events.v[sb->ev + e];
      uint32_t v0 = (uint32_t)dst->vals.n;
      for (uint32_t v = 0; v < ev.nval; v++) {
        fl_val val = src->vals.v[ev.val + v];
        uint32_t o0 = (uint32_t)dst->opnds.n;
        for (uint32_t k = 0; k < val.n; k++) {
          uint32_t op = src->opnds.v[val.first + k];
          if (op & FL_OBJ) {
            const fl_object *o = &src->objs.v[FL_IDX(op)];
            op = (op & (FL_OBJ | FL_ADDR)) | fl_object_intern(dst, src->strs.v[o->key], src->strs.v[o->name]);
          }
          if (UT_PUSH(dst->opnds, op) < 0) dst->failed = 1;
        }
        val.first = o0;
        if (UT_PUSH(dst->vals, val) < 0) dst->failed = 1;
      }
      ev.val = v0;
      if (ev.op == FL_READ || ev.op == FL_WRITE) {
        const fl_object *o = &src->objs.v[ev.aux];
        ev.aux = fl_object_intern(dst, src->strs.v[o->key], src->strs.v[o->name]);
      }
      ev.loc = fl_copy_loc(dst, src, ev.loc, &last);
      if (UT_PUSH(dst->events, ev) < 0) dst->failed = 1;
    }
    if (UT_PUSH(dst->blocks, nb) < 0) dst->failed = 1;
  }
  if (dst->failed || UT_PUSH(dst->funcs, g) < 0) {
    dst->failed = 1;
    return FL_NONE;
  }
  return (uint32_t)dst->funcs.n - 1;
}

static int fl_check_val(const fl_unit *u, const fl_func *f, const fl_val *v) {
  if (v->first > u->opnds.n || v->n > u->opnds.n - v->first) return -1;
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = u->opnds.v[v->first + k];
    if (op & FL_OBJ ? FL_IDX(op) >= u->objs.n : (op & FL_ADDR) || op >= f->nlocals) return -1;
  }
  return 0;
}

static int fl_check_event(const fl_unit *u, const fl_func *f, const fl_event *e) {
  if (e->op < FL_ASSIGN || e->op >= FL_NOPS || e->loc.file >= u->strs.n) return -1;
  if (e->val > u->vals.n || e->nval > u->vals.n - e->val) return -1;
  for (uint32_t v = 0; v < e->nval; v++)
    if (fl_check_val(u, f, &u->vals.v[e->val + v]) < 0) return -1;
  int needs_dst = e->op == FL_ASSIGN || e->op == FL_MERGE;
  if (e->dst < -1 || e->dst >= (int64_t)f->nlocals || (needs_dst && e->dst < 0)) return -1;
  if ((e->op == FL_READ || e->op == FL_WRITE) && e->aux >= u->objs.n) return -1;
  uint32_t want = e->op == FL_STORE ? 2
                  : e->op == FL_ASSIGN || e->op == FL_MERGE || e->op == FL_USE || e->op == FL_LOAD ||
                          e->op == FL_ESCAPE || e->op == FL_OPAQUE
                      ? 1
                      : FL_NONE;
  if (want != FL_NONE && e->nval != want) return -1;
  if (e->op == FL_READ && e->nval) return -1;
  if ((e->op == FL_WRITE || e->op == FL_RET) && e->nval > 1) return -1;
  return 0;
}

int fl_check(const fl_unit *u) {
  for (size_t i = 0; i < u->objs.n; i++)
    if (u->objs.v[i].key >= u->strs.n || u->objs.v[i].name >= u->strs.n) return -1;
  for (size_t i = 0; i < u->names.n; i++)
    if (u->names.v[i] >= u->strs.n) return -1;
  for (size_t fi = 0; fi < u->funcs.n; fi++) {
    const fl_func *f = &u->funcs.v[fi];
    if (f->why >= u->strs.n || f->why_loc.file >= u->strs.n || f->nparams > f->nlocals) return -1;
    if (f->names > u->names.n || f->nlocals > u->names.n - f->names) return -1;
    if (f->nblk < 2 || f->blk > u->blocks.n || f->nblk > u->blocks.n - f->blk) return -1;
    const fl_block *exit = &u->blocks.v[f->blk + 1];
    if (exit->nev || exit->nsucc) return -1;
    for (uint32_t b = 0; b < f->nblk; b++) {
      const fl_block *bl = &u->blocks.v[f->blk + b];
      if (bl->ev > u->events.n || bl->nev > u->events.n - bl->ev) return -1;
      if (bl->succ > u->succs.n || bl->nsucc > u->succs.n - bl->succ) return -1;
      for (uint32_t s = 0; s < bl->nsucc; s++) {
        uint32_t t = u->succs.v[bl->succ + s];
        if (t < f->blk || t - f->blk >= f->nblk) return -1;
      }
      for (uint32_t e = 0; e < bl->nev; e++)
        if (fl_check_event(u, f, &u->events.v[bl->ev + e]) < 0) return -1;
    }
  }
  return 0;
}

static const char *const fl_op_names[FL_NOPS] = {"?",      "assign", "merge", "use",   "load", "store",
                                                 "escape", "opaque", "read",  "write", "call", "ret"};

static void fl_dump_local(const fl_unit *u, const fl_func *f, uint32_t x, ut_buf *out) {
  const char *n = x < f->nlocals ? u->strs.v[u->names.v[f->names + x]] : "?";
  if (*n) ut_buf_puts(out, n);
  else ut_buf_printf(out, "%%%u", x);
}

void fl_dump(const fl_unit *u, uint32_t fi, ut_buf *out) {
  const fl_func *f = &u->funcs.v[fi];
  ut_buf_printf(out, "params %u locals %u", f->nparams, f->nlocals);
  if (!f->understood)
    ut_buf_printf(out, " not understood: %s at %u:%u", u->strs.v[f->why], f->why_loc.line, f->why_loc.col);
  ut_buf_puts(out, "\n");
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *bl = &u->blocks.v[f->blk + b];
    ut_buf_printf(out, "b%u ->", b);
    for (uint32_t i = 0; i < bl->nsucc; i++) ut_buf_printf(out, " b%u", u->succs.v[bl->succ + i] - f->blk);
    ut_buf_puts(out, "\n");
    for (uint32_t k = 0; k < bl->nev; k++) {
      const fl_event *e = &u->events.v[bl->ev + k];
      ut_buf_printf(out, "  %u:%u %s", e->loc.line, e->loc.col, e->op < FL_NOPS ? fl_op_names[e->op] : "?");
      if (e->op == FL_READ || e->op == FL_WRITE)
        ut_buf_printf(out, " %s%s", u->strs.v[u->objs.v[e->aux].name], e->flags & FL_STRONG ? " strong" : "");
      if (e->op == FL_CALL) ut_buf_printf(out, e->aux == FL_NONE ? " indirect" : " f%u", e->aux);
      if (e->dst >= 0) {
        ut_buf_puts(out, " ");
        fl_dump_local(u, f, (uint32_t)e->dst, out);
        ut_buf_puts(out, " :=");
      }
      for (uint32_t v = 0; v < e->nval; v++) {
        const fl_val *val = &u->vals.v[e->val + v];
        ut_buf_puts(out, " [");
        for (uint32_t q = 0; q < val->n; q++) {
          uint32_t op = u->opnds.v[val->first + q];
          if (q) ut_buf_puts(out, " ");
          if (op & FL_OBJ) ut_buf_printf(out, "%s%s", op & FL_ADDR ? "&" : "*", u->strs.v[u->objs.v[FL_IDX(op)].name]);
          else fl_dump_local(u, f, op, out);
        }
        ut_buf_puts(out, "]");
        if (val->flags & FL_ARG_PTR) ut_buf_puts(out, val->flags & FL_ARG_CONST ? "cp" : "p");
      }
      ut_buf_puts(out, "\n");
    }
  }
}

/* ---- building --------------------------------------------------------------- */
void fl_begin(fl_build *b, fl_unit *u, uint32_t func, uint32_t nparams) {
  memset(b, 0, sizeof *b);
  b->u = u;
  b->func = func;
  b->nparams = nparams;
  b->nblk = 2;
  for (uint32_t i = 0; i < nparams; i++)
    if (UT_PUSH(b->names, 0) < 0) b->failed = 1;
}

uint32_t fl_local(fl_build *b, const char *name) {
  if (UT_PUSH(b->names, fl_str(b->u, name)) < 0) b->failed = 1;
  return (uint32_t)b->names.n - 1;
}

void fl_name_param(fl_build *b, uint32_t i, const char *name) {
  if (i < b->names.n) b->names.v[i] = fl_str(b->u, name);
}

uint32_t fl_new_block(fl_build *b) { return b->nblk++; }

void fl_edge(fl_build *b, uint32_t from, uint32_t to) {
  if (UT_PUSH(b->edges, (uint64_t)from << 32 | to) < 0) b->failed = 1;
}

void fl_emit(fl_build *b, uint32_t block, fl_op op, uint8_t flags, int32_t dst, uint32_t aux, const fl_vspec *vals,
             uint32_t nval, fl_loc loc) {
  fl_unit *u = b->u;
  fl_event e = {(uint8_t)op, flags, dst, aux, (uint32_t)u->vals.n, nval, loc};
  for (uint32_t v = 0; v < nval; v++) {
    fl_val val = {(uint32_t)u->opnds.n, vals[v].n, vals[v].flags};
    for (uint32_t k = 0; k < vals[v].n; k++)
      if (UT_PUSH(u->opnds, vals[v].op[k]) < 0) b->failed = 1;
    if (UT_PUSH(u->vals, val) < 0) b->failed = 1;
  }
  if (UT_PUSH(b->ev, e) < 0 || UT_PUSH(b->evblk, block) < 0) b->failed = 1;
}

void fl_give_up(fl_build *b, const char *why, fl_loc loc) {
  if (b->why) return;
  b->why = fl_str(b->u, why);
  if (!b->why) b->why = fl_str(b->u, "?");
  b->why_loc = loc;
}

static int fl_u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static void fl_build_free(fl_build *b) {
  free(b->names.v);
  free(b->evblk.v);
  free(b->ev.v);
  free(b->edges.v);
  memset(&b->names, 0, sizeof b->names);
  memset(&b->evblk, 0, sizeof b->evblk);
  memset(&b->ev, 0, sizeof b->ev);
  memset(&b->edges, 0, sizeof b->edges);
}

uint32_t fl_end(fl_build *b) {
  fl_unit *u = b->u;
  uint32_t nb = b->nblk, base = (uint32_t)u->blocks.n;
  if (b->failed || b->ev.n != b->evblk.n) { /* out of memory while building: nothing is laid out */
    u->failed = 1;
    fl_build_free(b);
    return FL_NONE;
  }
  fl_func f = {b->func, b->why == 0, b->why, b->why_loc, b->nparams, (uint32_t)b->names.n, (uint32_t)u->names.n,
               base,    nb};
  uint32_t *count = calloc((size_t)nb + 1, sizeof *count);
  if (!count) b->failed = 1;
  /* events: stable counting sort by block */
  for (size_t i = 0; count && i < b->ev.n; i++)
    if (b->evblk.v[i] >= nb) b->failed = 1;
    else count[b->evblk.v[i] + 1]++;
  for (size_t i = 0; i < b->edges.n; i++)
    if ((b->edges.v[i] >> 32) >= nb || (uint32_t)b->edges.v[i] >= nb) b->failed = 1;
  for (uint32_t k = 0; count && k < nb; k++) count[k + 1] += count[k];
  size_t ev0 = u->events.n;
  if (count && ut_grow((void **)&u->events.v, &u->events.cap, ev0 + b->ev.n + 1, sizeof *u->events.v) < 0)
    b->failed = 1;
  if (count && !b->failed) {
    for (size_t i = 0; i < b->ev.n; i++) u->events.v[ev0 + count[b->evblk.v[i]]++] = b->ev.v[i];
    u->events.n = ev0 + b->ev.n;
  }
  /* blocks and successors (edges sorted and deduplicated) */
  if (b->edges.n) qsort(b->edges.v, b->edges.n, sizeof *b->edges.v, fl_u64_cmp);
  size_t e = 0;
  for (uint32_t k = 0; count && !b->failed && k < nb; k++) {
    uint32_t first = k ? count[k - 1] : 0;
    fl_block bl = {(uint32_t)(ev0 + first), count[k] - first, (uint32_t)u->succs.n, 0};
    for (; e < b->edges.n && (b->edges.v[e] >> 32) == k; e++) {
      if (k == 1) continue; /* the exit has no successors */
      uint32_t to = (uint32_t)b->edges.v[e] + base;
      if (bl.nsucc && u->succs.v[u->succs.n - 1] == to) continue;
      if (UT_PUSH(u->succs, to) < 0) b->failed = 1;
      bl.nsucc++;
    }
    if (k == 1 && bl.nev) b->failed = 1; /* never emitted into the exit */
    if (UT_PUSH(u->blocks, bl) < 0) b->failed = 1;
  }
  for (size_t i = 0; !b->failed && i < b->names.n; i++)
    if (UT_PUSH(u->names, b->names.v[i]) < 0) b->failed = 1;
  free(count);
  uint32_t idx = FL_NONE;
  if (!b->failed && !u->failed && UT_PUSH(u->funcs, f) == 0) idx = (uint32_t)u->funcs.n - 1;
  else u->failed = 1;
  fl_build_free(b);
  return idx;
}

/* ---- summaries ------------------------------------------------------------ */
void fl_sum_free(fl_sum *s) {
  if (!s) return;
  free(s->param);
  free(s->obj);
  memset(s, 0, sizeof *s);
}

static long fl_sum_find(const fl_sum *s, uint32_t o) {
  size_t lo = 0, hi = s->nobj;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->obj[mid].obj < o) lo = mid + 1;
    else hi = mid;
  }
  return lo < s->nobj && s->obj[lo].obj == o ? (long)lo : -(long)lo - 1;
}

uint16_t fl_sum_obj(const fl_sum *s, uint32_t o) {
  long i = fl_sum_find(s, o);
  return i >= 0 ? s->obj[i].mask : 0;
}

int fl_sum_set_obj(fl_sum *s, uint32_t o, uint16_t mask) {
  long i = fl_sum_find(s, o);
  if (i >= 0) {
    if (mask) {
      s->obj[i].mask = mask;
    } else {
      memmove(&s->obj[i], &s->obj[i + 1], (s->nobj - (size_t)i - 1) * sizeof *s->obj);
      s->nobj--;
    }
    return 0;
  }
  if (!mask) return 0;
  size_t at = (size_t)(-i - 1);
  fl_omask *nv = realloc(s->obj, (s->nobj + 1) * sizeof *nv);
  if (!nv) return -1;
  s->obj = nv;
  memmove(&s->obj[at + 1], &s->obj[at], (s->nobj - at) * sizeof *s->obj);
  s->obj[at].obj = o;
  s->obj[at].mask = mask;
  s->nobj++;
  return 0;
}

int fl_sum_copy(fl_sum *dst, const fl_sum *src) {
  fl_sum d = *src;
  d.param = NULL;
  d.obj = NULL;
  if (src->nparams && !(d.param = malloc(src->nparams * sizeof *d.param))) return -1;
  if (src->nobj && !(d.obj = malloc(src->nobj * sizeof *d.obj))) {
    free(d.param);
    return -1;
  }
  if (src->nparams) memcpy(d.param, src->param, src->nparams * sizeof *d.param);
  if (src->nobj) memcpy(d.obj, src->obj, src->nobj * sizeof *d.obj);
  *dst = d;
  return 0;
}

/* Joins masks: union of may-bits, intersection of the kill bit. */
static uint16_t fl_mask_join(uint16_t a, uint16_t b) {
  return (uint16_t)(((a | b) & ~FL_S_KILL) | (a & b & FL_S_KILL));
}

int fl_sum_join(fl_sum *s, const fl_sum *t) {
  if (s->ret_must != t->ret_must) s->ret_must = 0;
  if (t->susp > s->susp) s->susp = t->susp;
  s->opaque |= t->opaque;
  s->maybe |= t->maybe;
  if (t->nparams > s->nparams) {
    uint16_t *nv = realloc(s->param, t->nparams * sizeof *nv);
    if (!nv) return -1;
    memset(nv + s->nparams, 0, (t->nparams - s->nparams) * sizeof *nv);
    s->param = nv;
    s->nparams = t->nparams;
  }
  for (uint32_t i = 0; i < t->nparams; i++) s->param[i] = fl_mask_join(s->param[i], t->param[i]);
  /* objects: a kill survives only where both kill */
  for (uint32_t i = 0; i < s->nobj; i++)
    if ((s->obj[i].mask & FL_S_KILL) && !(fl_sum_obj(t, s->obj[i].obj) & FL_S_KILL)) s->obj[i].mask &= ~FL_S_KILL;
  for (uint32_t i = 0; i < t->nobj; i++) {
    uint16_t cur = fl_sum_obj(s, t->obj[i].obj);
    uint16_t m = (uint16_t)((cur | t->obj[i].mask) & ~FL_S_KILL);
    m |= cur & t->obj[i].mask & FL_S_KILL;
    if (fl_sum_set_obj(s, t->obj[i].obj, m) < 0) return -1;
  }
  /* drop entries that became empty */
  for (uint32_t i = 0; i < s->nobj;)
    if (!s->obj[i].mask) fl_sum_set_obj(s, s->obj[i].obj, 0);
    else i++;
  return 0;
}

int fl_sum_equal(const fl_sum *a, const fl_sum *b) {
  if (a->susp != b->susp || a->opaque != b->opaque || a->maybe != b->maybe || a->nobj != b->nobj ||
      a->ret_must != b->ret_must)
    return 0;
  uint32_t n = a->nparams > b->nparams ? a->nparams : b->nparams;
  for (uint32_t i = 0; i < n; i++)
    if ((i < a->nparams ? a->param[i] : 0) != (i < b->nparams ? b->param[i] : 0)) return 0;
  for (uint32_t i = 0; i < a->nobj; i++)
    if (a->obj[i].obj != b->obj[i].obj || a->obj[i].mask != b->obj[i].mask) return 0;
  return 1;
}

/* ---- the analysis ---------------------------------------------------------- */
enum { FL_DEF, FL_CRS, FL_ENT, FL_ENTC, FL_KILLS, FL_ESCS, FL_NCONTENT };

typedef struct fl_an {
  const fl_unit *u;
  const fl_func *f;
  const fl_env *env;
  uint32_t nobj, W, words, nloc;
  size_t sw;              /* words per (full) state */
  uint32_t *loff, *live;  /* per block: the locals live at its entry (CSR); only they are
                            kept in the block's entry state */
  size_t *soff;           /* per block: offset of its entry state in `in` */
  uint64_t *cmp;          /* scratch compact state */
  uint64_t *in;           /* the compact entry states */
  uint8_t *reached;
  uint64_t *cur;
  uint64_t *args;         /* scratch origin sets: call arguments */
  size_t nargs_cap;
  uint64_t *tmp;          /* 2 scratch sets */
  int report;
  fl_result *res;
  uint16_t *acc;          /* W summary masks (report pass) */
  uint32_t ret_must;      /* report pass: the object every return must point to; FL_NONE - 1: none seen */
  int failed;
} fl_an;

static uint64_t *fl_T(const fl_an *a, uint64_t *st, uint32_t x) { return st + (size_t)x * a->words; }
static uint64_t *fl_TC(const fl_an *a, uint64_t *st, uint32_t x) { return st + (size_t)(a->nloc + x) * a->words; }
static uint64_t *fl_C(const fl_an *a, uint64_t *st, int k) {
  return st + (size_t)(2 * a->nloc + (uint32_t)k) * a->words;
}
/* Must-point of each local: the one global object it surely points to, or
 * FL_NONE (joins of different objects give FL_NONE). */
static uint64_t *fl_M(const fl_an *a, uint64_t *st) { return st + (size_t)(2 * a->nloc + FL_NCONTENT) * a->words; }

static int fl_has(const uint64_t *s, uint32_t i) { return (int)(s[i >> 6] >> (i & 63) & 1); }
static void fl_set(uint64_t *s, uint32_t i) { s[i >> 6] |= 1ull << (i & 63); }
static void fl_clr(uint64_t *s, uint32_t i) { s[i >> 6] &= ~(1ull << (i & 63)); }
static void fl_or(uint64_t *d, const uint64_t *s, uint32_t w) {
  for (uint32_t i = 0; i < w; i++) d[i] |= s[i];
}
static int fl_empty(const uint64_t *s, uint32_t w) {
  for (uint32_t i = 0; i < w; i++)
    if (s[i]) return 0;
  return 1;
}

static const fl_event *fl_ev(const fl_an *a, uint32_t e) { return &a->u->events.v[e]; }
static const fl_val *fl_v(const fl_an *a, const fl_event *e, uint32_t i) { return &a->u->vals.v[e->val + i]; }

/* The global origin of an object operand or event object. */
static uint32_t fl_gobj(const fl_an *a, uint32_t unit_obj) { return a->env->objmap[unit_obj]; }

/* out = origins of value v in state st. */
static void fl_origins(const fl_an *a, uint64_t *st, const fl_val *v, uint64_t *out) {
  memset(out, 0, a->words * sizeof *out);
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = a->u->opnds.v[v->first + k];
    if (op & FL_OBJ) {
      fl_set(out, fl_gobj(a, FL_IDX(op)));
    } else {
      fl_or(out, fl_T(a, st, op), a->words);
      fl_or(out, fl_TC(a, st, op), a->words);
    }
  }
}

/* The object value v surely points to (one local with a must-point, or the
 * address of one object), else FL_NONE. */
static uint32_t fl_single(const fl_an *a, uint64_t *st, const fl_val *v) {
  if (v->n != 1) return FL_NONE;
  uint32_t op = a->u->opnds.v[v->first];
  if (op & FL_OBJ) return op & FL_ADDR ? fl_gobj(a, FL_IDX(op)) : FL_NONE;
  return (uint32_t)fl_M(a, st)[op];
}

static void fl_find(fl_an *a, uint8_t kind, uint32_t origin, uint32_t event, int32_t local, int32_t arg) {
  fl_finding f = {kind, origin, event, local, arg, FL_NONE, FL_NONE, FL_NONE};
  fl_result *r = a->res;
  for (size_t i = 0; i < r->finds.n; i++) {
    const fl_finding *g = &r->finds.v[i];
    if (g->kind == kind && g->origin == origin && g->event == event && g->local == local && g->arg == arg) return;
  }
  if (UT_PUSH(r->finds, f) < 0) a->failed = 1;
}

/* A use of value v at event ev: a crossed origin is a finding (objects) or
 * a live parameter (parameters). */
static void fl_use(fl_an *a, uint64_t *st, const fl_val *v, uint32_t ev) {
  if (!a->report) return;
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = a->u->opnds.v[v->first + k];
    if (op & FL_OBJ) continue;
    const uint64_t *tc = fl_TC(a, st, op);
    if (fl_empty(tc, a->words)) continue;
    for (uint32_t o = 0; o < a->W; o++)
      if (fl_has(tc, o)) {
        if (o < a->nobj) fl_find(a, FL_FIND_VALUE, o, ev, (int32_t)op, -1);
        else a->acc[o] |= FL_S_LIVE;
      }
  }
}

static void fl_content_read(fl_an *a, uint64_t *st, const uint64_t *set, uint32_t ev) {
  if (!a->report) return;
  const uint64_t *crs = fl_C(a, st, FL_CRS), *ent = fl_C(a, st, FL_ENT), *entc = fl_C(a, st, FL_ENTC);
  for (uint32_t o = 0; o < a->W; o++) {
    if (!fl_has(set, o)) continue;
    if (fl_has(crs, o)) {
      if (o < a->nobj) fl_find(a, FL_FIND_CONTENT, o, ev, -1, -1);
      else a->acc[o] |= FL_S_XC;
    }
    if (fl_has(entc, o)) a->acc[o] |= FL_S_XIN;
    if (fl_has(ent, o)) a->acc[o] |= FL_S_RD;
  }
}

static void fl_content_write(fl_an *a, uint64_t *st, const uint64_t *set, int strong) {
  uint64_t *def = fl_C(a, st, FL_DEF);
  fl_or(def, set, a->words);
  if (!strong) return;
  uint64_t *crs = fl_C(a, st, FL_CRS), *ent = fl_C(a, st, FL_ENT), *entc = fl_C(a, st, FL_ENTC),
           *kill = fl_C(a, st, FL_KILLS);
  for (uint32_t o = 0; o < a->nobj; o++)
    if (fl_has(set, o)) fl_clr(crs, o), fl_clr(ent, o), fl_clr(entc, o), fl_set(kill, o);
}

static void fl_cross(fl_an *a, uint64_t *st, uint32_t ev) {
  uint64_t *esc = fl_C(a, st, FL_ESCS);
  if (a->report)
    for (uint32_t o = 0; o < a->W; o++)
      if (fl_has(esc, o)) {
        if (o < a->nobj) fl_find(a, FL_FIND_ESCAPE, o, ev, -1, -1);
        else a->acc[o] |= FL_S_LIVE;
      }
  uint64_t *def = fl_C(a, st, FL_DEF), *crs = fl_C(a, st, FL_CRS), *ent = fl_C(a, st, FL_ENT),
           *entc = fl_C(a, st, FL_ENTC);
  fl_or(crs, def, a->words);
  memset(def, 0, a->words * sizeof *def);
  fl_or(entc, ent, a->words);
  memset(ent, 0, a->words * sizeof *ent);
  for (uint32_t x = 0; x < a->nloc; x++) {
    fl_or(fl_TC(a, st, x), fl_T(a, st, x), a->words);
    memset(fl_T(a, st, x), 0, a->words * sizeof(uint64_t));
  }
}

static int fl_suspends(const fl_an *a, const fl_sum *s) {
  return s && (s->susp == FL_SUSP_YES || (s->susp == FL_SUSP_MAYBE && a->env->maybe_suspends));
}

/* sigma(u): the caller's origins for callee origin u (an object, or
 * nobj + j for parameter j), into out. */
static void fl_sigma(const fl_an *a, uint32_t u, uint32_t nargs, uint64_t *out) {
  memset(out, 0, a->words * sizeof *out);
  if (u < a->nobj) fl_set(out, u);
  else if (u - a->nobj < nargs) memcpy(out, a->args + (size_t)(u - a->nobj) * a->words, a->words * sizeof *out);
}

/* Iterates the callee origins of s with their masks. */
typedef struct fl_iter {
  const fl_sum *s;
  uint32_t i, nobj;
} fl_iter;

static int fl_next(fl_iter *it, uint32_t *u, uint16_t *mask) {
  for (;;) {
    if (it->i < it->s->nobj) {
      const fl_omask *m = &it->s->obj[it->i++];
      if (m->obj >= it->nobj) continue;
      *u = m->obj, *mask = m->mask;
      return 1;
    }
    uint32_t j = it->i - it->s->nobj;
    if (j >= it->s->nparams) return 0;
    it->i++;
    *u = it->nobj + j, *mask = it->s->param[j];
    return 1;
  }
}

static void fl_call(fl_an *a, uint64_t *st, const fl_event *e, uint32_t ev) {
  uint32_t nargs = e->nval;
  const fl_sum *s = a->env->callee ? a->env->callee(a->env->arg, ev) : NULL;
  for (uint32_t i = 0; i < nargs; i++) {
    fl_use(a, st, fl_v(a, e, i), ev);
    fl_origins(a, st, fl_v(a, e, i), a->args + (size_t)i * a->words);
  }
  uint64_t *esc = fl_C(a, st, FL_ESCS), *set = a->tmp, *res = a->tmp + a->words;
  memset(res, 0, a->words * sizeof *res);
  if (s && s->maybe) a->res->sum.maybe = 1;
  if (a->report && s && s->susp > a->res->sum.susp) a->res->sum.susp = s->susp;
  if (s && s->susp == FL_SUSP_MAYBE) a->res->sum.maybe = 1;
  if (!s || s->opaque) {
    for (uint32_t i = 0; i < nargs; i++) {
      if (s) fl_or(esc, a->args + (size_t)i * a->words, a->words);
      fl_or(res, a->args + (size_t)i * a->words, a->words);
    }
    if (fl_suspends(a, s)) {
      if (s->susp == FL_SUSP_MAYBE) a->res->crossed_maybe = 1;
      fl_cross(a, st, ev);
    }
    if (e->flags & FL_TO_MEMORY) fl_or(esc, res, a->words);
    if (e->dst >= 0) {
      memcpy(fl_T(a, st, (uint32_t)e->dst), res, a->words * sizeof *res);
      memset(fl_TC(a, st, (uint32_t)e->dst), 0, a->words * sizeof *res);
      fl_M(a, st)[e->dst] = FL_NONE;
    }
    return;
  }
  for (uint32_t i = s->nparams; i < nargs; i++) fl_or(esc, a->args + (size_t)i * a->words, a->words);
  fl_iter it;
  uint32_t u;
  uint16_t m;
  /* 1. reads before the callee suspends; 2.-4. crossings inside it */
  for (it = (fl_iter){s, 0, a->nobj}; fl_next(&it, &u, &m);) {
    fl_sigma(a, u, nargs, set);
    if (m & FL_S_RD) fl_content_read(a, st, set, ev);
    if (!a->report || !(m & (FL_S_XIN | FL_S_XC | FL_S_LIVE))) continue;
    const uint64_t *def = fl_C(a, st, FL_DEF), *crs = fl_C(a, st, FL_CRS), *ent = fl_C(a, st, FL_ENT),
                   *entc = fl_C(a, st, FL_ENTC);
    for (uint32_t v = 0; v < a->W; v++) {
      if (!fl_has(set, v)) continue;
      int obj = v < a->nobj;
      if ((m & FL_S_XIN) && (fl_has(def, v) || fl_has(crs, v))) {
        if (obj) fl_find(a, FL_FIND_CALL_CONTENT, v, ev, -1, -1);
        else a->acc[v] |= FL_S_XC;
      }
      if ((m & FL_S_XIN) && (fl_has(ent, v) || fl_has(entc, v))) a->acc[v] |= FL_S_XIN;
      if ((m & FL_S_XC) && u >= a->nobj) {
        if (obj) fl_find(a, FL_FIND_CALL_CONTENT, v, ev, -1, (int32_t)(u - a->nobj));
        else a->acc[v] |= FL_S_XC;
      }
      if ((m & FL_S_LIVE) && u >= a->nobj) {
        if (obj) fl_find(a, FL_FIND_CALL_VALUE, v, ev, -1, (int32_t)(u - a->nobj));
        else a->acc[v] |= FL_S_LIVE;
      }
    }
  }
  /* 5. escapes */
  for (it = (fl_iter){s, 0, a->nobj}; fl_next(&it, &u, &m);)
    if (m & FL_S_ESC) fl_sigma(a, u, nargs, set), fl_or(esc, set, a->words);
  /* 6. the suspension */
  if (fl_suspends(a, s)) {
    if (s->susp == FL_SUSP_MAYBE) a->res->crossed_maybe = 1;
    fl_cross(a, st, ev);
  }
  /* 7. writes, kills, content crossing inside; 8. the result */
  for (it = (fl_iter){s, 0, a->nobj}; fl_next(&it, &u, &m);) {
    fl_sigma(a, u, nargs, set);
    if (m & (FL_S_WR | FL_S_KILL)) fl_content_write(a, st, set, (m & FL_S_KILL) && u < a->nobj);
    if (m & FL_S_XOUT) fl_or(fl_C(a, st, FL_CRS), set, a->words);
    if (m & FL_S_RET) fl_or(res, set, a->words);
  }
  if (e->flags & FL_TO_MEMORY) fl_or(esc, res, a->words);
  if (e->dst >= 0) {
    memcpy(fl_T(a, st, (uint32_t)e->dst), res, a->words * sizeof *res);
    memset(fl_TC(a, st, (uint32_t)e->dst), 0, a->words * sizeof *res);
    fl_M(a, st)[e->dst] = s->ret_must && s->ret_must - 1 < a->nobj ? s->ret_must - 1 : FL_NONE;
  }
}

/* Applies event ev to state st. */
static void fl_step(fl_an *a, uint64_t *st, uint32_t ev) {
  const fl_event *e = fl_ev(a, ev);
  uint64_t *set = a->tmp;
  switch (e->op) {
  case FL_ASSIGN:
  case FL_MERGE:
  case FL_LOAD: {
    fl_use(a, st, fl_v(a, e, 0), ev);
    fl_origins(a, st, fl_v(a, e, 0), set);
    if (e->op == FL_LOAD) {
      fl_content_read(a, st, set, ev);
      if (a->env->errno_obj < a->nobj) fl_clr(set, a->env->errno_obj); /* errno's content is plain data */
      if (e->dst < 0) { /* loaded into untracked memory */
        fl_or(fl_C(a, st, FL_ESCS), set, a->words);
        break;
      }
    }
    uint64_t *t = fl_T(a, st, (uint32_t)e->dst);
    if (e->op == FL_MERGE) {
      fl_or(t, set, a->words);
    } else {
      memcpy(t, set, a->words * sizeof *set);
      memset(fl_TC(a, st, (uint32_t)e->dst), 0, a->words * sizeof *set);
    }
    fl_M(a, st)[e->dst] = e->op == FL_ASSIGN ? fl_single(a, st, fl_v(a, e, 0)) : FL_NONE;
    break;
  }
  case FL_USE: fl_use(a, st, fl_v(a, e, 0), ev); break;
  case FL_STORE: {
    fl_use(a, st, fl_v(a, e, 0), ev);
    fl_use(a, st, fl_v(a, e, 1), ev);
    uint32_t target = e->flags & FL_STRONG ? fl_single(a, st, fl_v(a, e, 0)) : FL_NONE;
    fl_origins(a, st, fl_v(a, e, 0), set);
    fl_content_write(a, st, set, 0);
    if (target < a->nobj) { /* the pointer surely points to this object: a kill */
      memset(set, 0, a->words * sizeof *set);
      fl_set(set, target);
      fl_content_write(a, st, set, 1);
    }
    fl_origins(a, st, fl_v(a, e, 1), set);
    fl_or(fl_C(a, st, FL_ESCS), set, a->words);
    break;
  }
  case FL_ESCAPE:
  case FL_OPAQUE:
    fl_use(a, st, fl_v(a, e, 0), ev);
    fl_origins(a, st, fl_v(a, e, 0), set);
    if (e->op == FL_OPAQUE) {
      fl_content_read(a, st, set, ev);
      fl_content_write(a, st, set, 0);
    }
    fl_or(fl_C(a, st, FL_ESCS), set, a->words);
    break;
  case FL_READ:
  case FL_WRITE:
    memset(set, 0, a->words * sizeof *set);
    fl_set(set, fl_gobj(a, e->aux));
    if (e->op == FL_READ) {
      fl_content_read(a, st, set, ev);
    } else {
      fl_content_write(a, st, set, e->flags & FL_STRONG);
      if (e->nval) {
        fl_use(a, st, fl_v(a, e, 0), ev);
        fl_origins(a, st, fl_v(a, e, 0), set);
        fl_or(fl_C(a, st, FL_ESCS), set, a->words);
      }
    }
    break;
  case FL_CALL: fl_call(a, st, e, ev); break;
  case FL_RET:
    if (a->report) {
      uint32_t m = e->nval ? fl_single(a, st, fl_v(a, e, 0)) : FL_NONE;
      a->ret_must = a->ret_must == FL_NONE - 1 || a->ret_must == m ? m : FL_NONE;
    }
    if (e->nval) {
      fl_use(a, st, fl_v(a, e, 0), ev);
      if (a->report) {
        fl_origins(a, st, fl_v(a, e, 0), set);
        for (uint32_t o = 0; o < a->W; o++)
          if (fl_has(set, o)) a->acc[o] |= FL_S_RET;
      }
    }
    break;
  default: break;
  }
}

static const fl_block *fl_blk(const fl_an *a, uint32_t b) { return &a->u->blocks.v[a->f->blk + b]; }

static void fl_run_block(fl_an *a, uint32_t b, uint64_t *st) {
  const fl_block *bl = fl_blk(a, b);
  for (uint32_t k = 0; k < bl->nev; k++) fl_step(a, st, bl->ev + k);
}

/* Compact entry states keep the locals live at the block's entry only: T
 * and TC of each, the content sets, then the must-points.  A dead local's
 * taint can never reach a use, so dropping it loses nothing. */
static uint32_t fl_nlive(const fl_an *a, uint32_t b) { return a->loff[b + 1] - a->loff[b]; }
static size_t fl_csw(const fl_an *a, uint32_t b) {
  return (size_t)(2 * fl_nlive(a, b) + FL_NCONTENT) * a->words + fl_nlive(a, b);
}

static void fl_pack(const fl_an *a, uint32_t b, const uint64_t *full, uint64_t *c) {
  size_t w = a->words;
  uint32_t n = fl_nlive(a, b);
  const uint32_t *lv = a->live + a->loff[b];
  for (uint32_t i = 0; i < n; i++) {
    memcpy(c + (size_t)i * w, full + (size_t)lv[i] * w, w * sizeof *c);
    memcpy(c + (size_t)(n + i) * w, full + (size_t)(a->nloc + lv[i]) * w, w * sizeof *c);
  }
  memcpy(c + (size_t)2 * n * w, full + (size_t)2 * a->nloc * w, FL_NCONTENT * w * sizeof *c);
  uint64_t *cm = c + (size_t)(2 * n + FL_NCONTENT) * w;
  const uint64_t *fm = full + (size_t)(2 * a->nloc + FL_NCONTENT) * w;
  for (uint32_t i = 0; i < n; i++) cm[i] = fm[lv[i]];
}

/* Only the live locals and the content are restored: every other slot is
 * redefined before it is read on every path from here. */
static void fl_unpack(const fl_an *a, uint32_t b, uint64_t *full) {
  size_t w = a->words;
  uint32_t n = fl_nlive(a, b);
  const uint32_t *lv = a->live + a->loff[b];
  const uint64_t *c = a->in + a->soff[b];
  for (uint32_t i = 0; i < n; i++) {
    memcpy(full + (size_t)lv[i] * w, c + (size_t)i * w, w * sizeof *c);
    memcpy(full + (size_t)(a->nloc + lv[i]) * w, c + (size_t)(n + i) * w, w * sizeof *c);
  }
  memcpy(full + (size_t)2 * a->nloc * w, c + (size_t)2 * n * w, FL_NCONTENT * w * sizeof *c);
  const uint64_t *cm = c + (size_t)(2 * n + FL_NCONTENT) * w;
  uint64_t *fm = full + (size_t)(2 * a->nloc + FL_NCONTENT) * w;
  for (uint32_t i = 0; i < n; i++) fm[lv[i]] = cm[i];
}

/* Joins (full) state st into the entry state of block b; returns 1 when it
 * changed. */
static int fl_join(fl_an *a, uint32_t b, const uint64_t *st) {
  uint64_t *in = a->in + a->soff[b], *c = a->cmp;
  size_t csw = fl_csw(a, b);
  uint32_t n = fl_nlive(a, b);
  fl_pack(a, b, st, c);
  if (!a->reached[b]) {
    memcpy(in, c, csw * sizeof *in);
    a->reached[b] = 1;
    return 1;
  }
  int changed = 0;
  size_t kill0 = (size_t)(2 * n + FL_KILLS) * a->words, kill1 = kill0 + a->words;
  size_t must0 = (size_t)(2 * n + FL_NCONTENT) * a->words;
  for (size_t i = 0; i < must0; i++) {
    uint64_t v = i >= kill0 && i < kill1 ? in[i] & c[i] : in[i] | c[i];
    if (v != in[i]) in[i] = v, changed = 1;
  }
  for (size_t i = must0; i < csw; i++)
    if (in[i] != c[i] && in[i] != FL_NONE) in[i] = FL_NONE, changed = 1;
  return changed;
}

/* Backward liveness of the locals: a local is live where some path reads it
 * (an operand, or the old value under a weak update) before a strong
 * definition.  Fills loff/live and the state offsets.  0, -1 (memory), or 1
 * when the states would exceed the budget. */
static int fl_liveness(fl_an *a, const uint32_t *order, uint32_t norder, size_t budget) {
  uint32_t nb = a->f->nblk, lw = (a->nloc + 63) / 64;
  if (!lw) lw = 1;
  if ((size_t)nb * 3 * lw > budget) return 1;
  uint64_t *gen = calloc((size_t)nb * lw + 1, sizeof *gen), *kill = calloc((size_t)nb * lw + 1, sizeof *kill),
           *in = calloc((size_t)nb * lw + 1, sizeof *in), *out = malloc(((size_t)lw + 1) * sizeof *out);
  int rc = -1;
  if (!gen || !kill || !in || !out) goto done;
  for (uint32_t b = 0; b < nb; b++) {
    const fl_block *bl = &a->u->blocks.v[a->f->blk + b];
    uint64_t *g = gen + (size_t)b * lw, *k = kill + (size_t)b * lw;
    for (uint32_t e = 0; e < bl->nev; e++) {
      const fl_event *ev = &a->u->events.v[bl->ev + e];
      for (uint32_t v = 0; v < ev->nval; v++) {
        const fl_val *val = &a->u->vals.v[ev->val + v];
        for (uint32_t q = 0; q < val->n; q++) {
          uint32_t op = a->u->opnds.v[val->first + q];
          if (!(op & FL_OBJ) && !fl_has(k, op)) fl_set(g, op);
        }
      }
      if (ev->dst < 0) continue;
      uint32_t x = (uint32_t)ev->dst;
      if (ev->op == FL_MERGE) {
        if (!fl_has(k, x)) fl_set(g, x);
      } else {
        fl_set(k, x);
      }
    }
  }
  for (int changed = 1; changed;) { /* reverse of reverse postorder: successors first */
    changed = 0;
    for (uint32_t i = norder; i-- > 0;) {
      uint32_t b = order[i];
      const fl_block *bl = &a->u->blocks.v[a->f->blk + b];
      memset(out, 0, lw * sizeof *out);
      for (uint32_t s = 0; s < bl->nsucc; s++)
        fl_or(out, in + (size_t)(a->u->succs.v[bl->succ + s] - a->f->blk) * lw, lw);
      uint64_t *ib = in + (size_t)b * lw;
      for (uint32_t w = 0; w < lw; w++) {
        uint64_t v = gen[(size_t)b * lw + w] | (out[w] & ~kill[(size_t)b * lw + w]);
        if (v != ib[w]) ib[w] = v, changed = 1;
      }
    }
  }
  size_t nlive = 0, words = 0;
  for (size_t i = 0; i < (size_t)nb * lw; i++) nlive += (size_t)__builtin_popcountll(in[i]);
  a->loff = malloc(((size_t)nb + 1) * sizeof *a->loff);
  a->live = malloc((nlive + 1) * sizeof *a->live);
  a->soff = malloc(((size_t)nb + 1) * sizeof *a->soff);
  if (!a->loff || !a->live || !a->soff) goto done;
  uint32_t at = 0;
  for (uint32_t b = 0; b < nb; b++) {
    a->loff[b] = at;
    for (uint32_t w = 0; w < lw; w++)
      for (uint64_t bits = in [(size_t)b * lw + w]; bits; bits &= bits - 1)
        a->live[at++] = w * 64 + (uint32_t)__builtin_ctzll(bits);
  }
  a->loff[nb] = at;
  for (uint32_t b = 0; b < nb; b++) a->soff[b] = words, words += fl_csw(a, b);
  a->soff[nb] = words;
  rc = words > budget ? 1 : 0;
done:
  free(gen), free(kill), free(in), free(out);
  return rc;
}

/* Reverse postorder of the blocks reachable from the entry (iterative DFS). */
static uint32_t *fl_rpo(const fl_an *a, uint32_t *n) {
  uint32_t nb = a->f->nblk;
  uint32_t *order = malloc((nb + 1) * sizeof *order), *stk = malloc((nb + 1) * sizeof *stk),
           *next = calloc(nb + 1, sizeof *next);
  uint8_t *seen = calloc(nb + 1, 1);
  uint32_t no = 0, ns = 0;
  if (!order || !stk || !next || !seen) {
    free(order), free(stk), free(next), free(seen);
    return NULL;
  }
  stk[ns++] = 0;
  seen[0] = 1;
  while (ns) {
    uint32_t b = stk[ns - 1];
    const fl_block *bl = fl_blk(a, b);
    if (next[b] < bl->nsucc) {
      uint32_t s = a->u->succs.v[bl->succ + next[b]++] - a->f->blk;
      if (!seen[s]) seen[s] = 1, stk[ns++] = s;
    } else {
      order[no++] = b;
      ns--;
    }
  }
  for (uint32_t i = 0; i < no / 2; i++) {
    uint32_t t = order[i];
    order[i] = order[no - 1 - i], order[no - 1 - i] = t;
  }
  free(stk), free(next), free(seen);
  *n = no;
  return order;
}

static void fl_entry_state(fl_an *a, uint64_t *st) {
  memset(st, 0, a->sw * sizeof *st);
  for (uint32_t i = 0; i < a->f->nparams; i++) fl_set(fl_T(a, st, i), a->nobj + i);
  uint64_t *ent = fl_C(a, st, FL_ENT);
  for (uint32_t o = 0; o < a->W; o++) fl_set(ent, o);
  for (uint32_t x = 0; x < a->nloc; x++) fl_M(a, st)[x] = FL_NONE;
}

/* Sweeps the blocks in reverse postorder, each only when its entry state
 * changed since it was last processed, until nothing changes. */
static int fl_fixpoint(fl_an *a, const uint32_t *order, uint32_t norder) {
  uint8_t *pending = calloc(a->f->nblk + 1, 1);
  if (!pending) return -1;
  fl_entry_state(a, a->cur);
  fl_join(a, 0, a->cur);
  pending[0] = 1;
  for (int changed = 1; changed;) {
    changed = 0;
    for (uint32_t i = 0; i < norder; i++) {
      uint32_t b = order[i];
      if (!pending[b]) continue;
      pending[b] = 0;
      fl_unpack(a, b, a->cur);
      fl_run_block(a, b, a->cur);
      const fl_block *bl = fl_blk(a, b);
      for (uint32_t s = 0; s < bl->nsucc; s++) {
        uint32_t t = a->u->succs.v[bl->succ + s] - a->f->blk;
        if (fl_join(a, t, a->cur)) pending[t] = 1, changed = 1;
      }
    }
  }
  free(pending);
  return a->failed ? -1 : 0;
}

/* The summary bits of the exit state. */
static void fl_exit_summary(fl_an *a) {
  if (!a->reached[1]) return;
  uint64_t *st = a->cur;
  fl_unpack(a, 1, st);
  const uint64_t *def = fl_C(a, st, FL_DEF), *crs = fl_C(a, st, FL_CRS), *kill = fl_C(a, st, FL_KILLS),
                 *esc = fl_C(a, st, FL_ESCS);
  for (uint32_t o = 0; o < a->W; o++) {
    if (fl_has(esc, o)) a->acc[o] |= FL_S_ESC;
    if (fl_has(def, o) || fl_has(crs, o)) a->acc[o] |= FL_S_WR;
    if (fl_has(crs, o)) a->acc[o] |= FL_S_XOUT;
    if (o < a->nobj && fl_has(kill, o)) a->acc[o] |= FL_S_KILL;
  }
}

static int fl_make_summary(fl_an *a) {
  fl_sum *s = &a->res->sum;
  s->ret_must = a->ret_must < a->nobj ? a->ret_must + 1 : 0;
  s->nparams = a->f->nparams;
  if (s->nparams && !(s->param = calloc(s->nparams, sizeof *s->param))) return -1;
  for (uint32_t i = 0; i < s->nparams; i++) s->param[i] = a->acc[a->nobj + i];
  for (uint32_t o = 0; o < a->nobj; o++)
    if (a->acc[o] && fl_sum_set_obj(s, o, a->acc[o]) < 0) return -1;
  return 0;
}

static int fl_find_cmp(const void *x, const void *y) {
  const fl_finding *a = x, *b = y;
  if (a->event != b->event) return a->event < b->event ? -1 : 1;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->origin != b->origin) return a->origin < b->origin ? -1 : 1;
  if (a->local != b->local) return a->local < b->local ? -1 : 1;
  return (a->arg > b->arg) - (a->arg < b->arg);
}

/* ---- witness --------------------------------------------------------------- */
/* Positions: (block, k) = before event k of the block (k == nev: its end). */
typedef struct fl_wit {
  fl_an *a;
  uint32_t *base;         /* per block: first position */
  uint32_t *pblk;         /* per position: its block */
  uint32_t *poff, *pred;  /* predecessors of each reached block (CSR) */
  uint32_t npos;
  uint32_t origin;
  uint64_t *st;           /* replay scratch */
  int nomem;              /* an allocation failed: the witness is an error, never a shorter one */
} fl_wit;

static uint32_t fl_pos(const fl_wit *w, uint32_t b, uint32_t k) { return w->base[b] + k; }

/* The state just before event k of block b. */
static uint64_t *fl_state_at(fl_wit *w, uint32_t b, uint32_t k) {
  fl_an *a = w->a;
  fl_unpack(a, b, w->st);
  int rep = a->report;
  a->report = 0;
  for (uint32_t i = 0; i < k; i++) fl_step(a, w->st, fl_blk(a, b)->ev + i);
  a->report = rep;
  return w->st;
}

/* Does value i of event (b, k) carry the origin at that point? */
static int fl_val_has(fl_wit *w, uint32_t b, uint32_t k, uint32_t i) {
  fl_an *a = w->a;
  const fl_event *e = fl_ev(a, fl_blk(a, b)->ev + k);
  uint64_t *set = malloc(a->words * sizeof *set);
  if (!set) return w->nomem = 1, 0;
  fl_origins(a, fl_state_at(w, b, k), fl_v(a, e, i), set);
  int r = fl_has(set, w->origin);
  free(set);
  return r;
}

static int fl_val_has_obj(const fl_wit *w, const fl_event *e, uint32_t i) {
  const fl_an *a = w->a;
  const fl_val *v = fl_v(a, e, i);
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = a->u->opnds.v[v->first + k];
    if ((op & FL_OBJ) && fl_gobj(a, FL_IDX(op)) == w->origin) return 1;
  }
  return 0;
}

static const fl_sum *fl_callee(const fl_an *a, uint32_t ev) {
  return a->env->callee ? a->env->callee(a->env->arg, ev) : NULL;
}

/* The callee mask of origin u (object) or parameter j (u = nobj + j). */
static uint16_t fl_callee_mask(const fl_an *a, const fl_sum *s, uint32_t u) {
  if (!s) return 0;
  if (u < a->nobj) return fl_sum_obj(s, u);
  return u - a->nobj < s->nparams ? s->param[u - a->nobj] : 0;
}

/* Does call (b, k) produce the origin in the caller's origin set for
 * callee bit `bit` (through an object or an argument carrying it)? */
static int fl_call_gives(fl_wit *w, uint32_t b, uint32_t k, uint16_t bit) {
  const fl_an *a = w->a;
  const fl_event *e = fl_ev(a, fl_blk(a, b)->ev + k);
  const fl_sum *s = fl_callee(a, fl_blk(a, b)->ev + k);
  if (!s) return 0;
  if (s->opaque) {
    if (bit != FL_S_ESC) return 0;
    for (uint32_t i = 0; i < e->nval; i++)
      if (fl_val_has(w, b, k, i)) return 1;
    return 0;
  }
  if (fl_callee_mask(a, s, w->origin) & bit) return 1;
  for (uint32_t j = 0; j < e->nval; j++) {
    int extra = j >= s->nparams;
    if ((extra ? bit == FL_S_ESC : (fl_callee_mask(a, s, a->nobj + j) & bit)) && fl_val_has(w, b, k, j)) return 1;
  }
  return 0;
}

/* Backward BFS over (position, local, phase) from local x before event
 * (b0, k0).  phase0: 0 to require crossing a suspension first, 1 to look
 * for the origin's access directly.  Fills *access and (when phase0 is 0)
 * *susp.  Returns 1 when found, 0 when not, -1 when too big or OOM. */
static int fl_track(fl_wit *w, uint32_t b0, uint32_t k0, uint32_t x, int phase0, uint32_t *access, uint32_t *susp) {
  fl_an *a = w->a;
  size_t nstate = (size_t)w->npos * a->nloc * 2;
  if (nstate > ((size_t)1 << 22)) return -1;
  uint32_t *sus = malloc((nstate + 1) * sizeof *sus), *queue = malloc((nstate + 1) * sizeof *queue);
  uint8_t *seen = calloc(nstate + 1, 1);
  int found = 0;
  if (!sus || !queue || !seen) {
    free(sus), free(queue), free(seen);
    w->nomem = 1;
    return -1;
  }
  size_t head = 0, tail = 0;
#define FL_STATE(pos, v, ph) (((size_t)(pos) * a->nloc + (v)) * 2 + (size_t)(ph))
#define FL_PUSH(pos, v, ph, sp)                                                                                        \
  do {                                                                                                                 \
    size_t s_ = FL_STATE(pos, v, ph);                                                                                  \
    if (!seen[s_]) seen[s_] = 1, sus[s_] = (sp), queue[tail++] = (uint32_t)s_;                                         \
  } while (0)
  FL_PUSH(fl_pos(w, b0, k0), x, phase0, FL_NONE);
  while (head < tail && !found) {
    size_t s = queue[head++];
    int ph = (int)(s & 1);
    uint32_t v = (uint32_t)((s >> 1) % a->nloc), pos = (uint32_t)((s >> 1) / a->nloc), sp = sus[s];
    uint32_t b = w->pblk[pos], k = pos - w->base[b];
    if (k == 0) {
      for (uint32_t i = w->poff[b]; i < w->poff[b + 1]; i++) {
        uint32_t p = w->pred[i];
        FL_PUSH(fl_pos(w, p, fl_blk(a, p)->nev), v, ph, sp);
      }
      continue;
    }
    uint32_t ev = fl_blk(a, b)->ev + k - 1;
    const fl_event *e = fl_ev(a, ev);
    uint32_t here = pos - 1;
    int defines = e->dst == (int32_t)v && (e->op == FL_ASSIGN || e->op == FL_LOAD || e->op == FL_CALL);
    if (e->op == FL_MERGE && e->dst == (int32_t)v) FL_PUSH(here, v, ph, sp);
    if (defines || (e->op == FL_MERGE && e->dst == (int32_t)v)) {
      if (e->op == FL_CALL) {
        const fl_sum *cs = fl_callee(a, ev);
        if (ph && cs && !cs->opaque && (fl_callee_mask(a, cs, w->origin) & FL_S_RET)) found = 1;
        for (uint32_t j = 0; !found && j < e->nval; j++) {
          if (cs && !cs->opaque && (j >= cs->nparams || !(cs->param[j] & FL_S_RET))) continue;
          if (ph && fl_val_has_obj(w, e, j)) found = 1;
          const fl_val *val = fl_v(a, e, j);
          for (uint32_t q = 0; q < val->n; q++) {
            uint32_t op = a->u->opnds.v[val->first + q];
            if (!(op & FL_OBJ)) FL_PUSH(here, op, ph, sp);
          }
        }
      } else {
        if (ph && e->op == FL_LOAD && fl_val_has(w, b, k - 1, 0)) found = 1;
        if (ph && e->op != FL_LOAD && fl_val_has_obj(w, e, 0)) found = 1;
        const fl_val *val = fl_v(a, e, 0);
        for (uint32_t q = 0; !found && q < val->n; q++) {
          uint32_t op = a->u->opnds.v[val->first + q];
          if (!(op & FL_OBJ)) FL_PUSH(here, op, ph, sp);
        }
      }
      if (found) *access = ev, *susp = sp;
      continue;
    }
    if (e->op == FL_CALL && !ph && fl_suspends(a, fl_callee(a, ev))) FL_PUSH(here, v, 1, ev);
    else FL_PUSH(here, v, ph, sp);
  }
#undef FL_PUSH
#undef FL_STATE
  free(sus), free(queue), free(seen);
  return found;
}

/* Content: from before (b0, k0) back over a suspension (phase 0) to a
 * write of the origin (phase 1). */
static int fl_track_content(fl_wit *w, uint32_t b0, uint32_t k0, int phase0, uint32_t *access, uint32_t *susp) {
  fl_an *a = w->a;
  size_t nstate = (size_t)w->npos * 2;
  uint32_t *sus = malloc((nstate + 1) * sizeof *sus), *queue = malloc((nstate + 1) * sizeof *queue);
  uint8_t *seen = calloc(nstate + 1, 1);
  int found = 0;
  if (!sus || !queue || !seen) {
    free(sus), free(queue), free(seen);
    w->nomem = 1;
    return -1;
  }
  size_t head = 0, tail = 0;
#define FL_PUSHC(pos, ph, sp)                                                                                          \
  do {                                                                                                                 \
    size_t s_ = (size_t)(pos) * 2 + (size_t)(ph);                                                                      \
    if (!seen[s_]) seen[s_] = 1, sus[s_] = (sp), queue[tail++] = (uint32_t)s_;                                         \
  } while (0)
  FL_PUSHC(fl_pos(w, b0, k0), phase0, FL_NONE);
  while (head < tail && !found) {
    size_t s = queue[head++];
    int ph = (int)(s & 1);
    uint32_t pos = (uint32_t)(s >> 1), sp = sus[s], b = w->pblk[pos], k = pos - w->base[b];
    if (k == 0) {
      for (uint32_t i = w->poff[b]; i < w->poff[b + 1]; i++) {
        uint32_t p = w->pred[i];
        FL_PUSHC(fl_pos(w, p, fl_blk(a, p)->nev), ph, sp);
      }
      continue;
    }
    uint32_t ev = fl_blk(a, b)->ev + k - 1, here = pos - 1;
    const fl_event *e = fl_ev(a, ev);
    int writes = 0, kills = 0, xout = 0, suspends = 0;
    if (e->op == FL_WRITE && fl_gobj(a, e->aux) == w->origin) writes = 1, kills = e->flags & FL_STRONG;
    if ((e->op == FL_STORE || e->op == FL_OPAQUE) && fl_val_has(w, b, k - 1, 0)) writes = 1;
    if (e->op == FL_CALL) {
      const fl_sum *cs = fl_callee(a, ev);
      suspends = fl_suspends(a, cs);
      if (cs && !cs->opaque) {
        xout = fl_call_gives(w, b, k - 1, FL_S_XOUT);
        writes = fl_call_gives(w, b, k - 1, FL_S_WR) || fl_call_gives(w, b, k - 1, FL_S_KILL);
        kills = (fl_callee_mask(a, cs, w->origin) & FL_S_KILL) != 0;
      }
    }
    if (!ph && xout) {
      found = 1, *access = ev, *susp = ev;
    } else if (ph && (writes || xout)) {
      found = 1, *access = ev, *susp = sp;
    } else if (!ph && kills) {
      continue;
    } else if (!ph && suspends) {
      FL_PUSHC(here, 1, ev);
    } else {
      FL_PUSHC(here, ph, sp);
    }
  }
#undef FL_PUSHC
  free(sus), free(queue), free(seen);
  return found;
}

/* The escape of the origin before (b0, k0): an event that put it into ESC;
 * then its access.  */
static int fl_track_escape(fl_wit *w, uint32_t b0, uint32_t k0, uint32_t *escape, uint32_t *access) {
  fl_an *a = w->a;
  uint32_t *queue = malloc((w->npos + 1) * sizeof *queue);
  uint8_t *seen = calloc(w->npos + 1, 1);
  int found = 0;
  if (!queue || !seen) {
    free(queue), free(seen);
    w->nomem = 1;
    return -1;
  }
  size_t head = 0, tail = 0;
  uint32_t fb = 0, fk = 0, fval = 0;
  queue[tail++] = fl_pos(w, b0, k0);
  seen[queue[0]] = 1;
  while (head < tail && !found) {
    uint32_t pos = queue[head++], b = w->pblk[pos], k = pos - w->base[b];
    if (k == 0) {
      for (uint32_t i = w->poff[b]; i < w->poff[b + 1]; i++) {
        uint32_t p = w->pred[i], q = fl_pos(w, p, fl_blk(a, p)->nev);
        if (!seen[q]) seen[q] = 1, queue[tail++] = q;
      }
      continue;
    }
    const fl_event *e = fl_ev(a, fl_blk(a, b)->ev + k - 1);
    uint32_t vi = e->op == FL_STORE ? 1 : 0;
    if (((e->op == FL_STORE || e->op == FL_ESCAPE || e->op == FL_OPAQUE) || (e->op == FL_WRITE && e->nval)) &&
        fl_val_has(w, b, k - 1, vi))
      found = 1, fval = vi;
    if (e->op == FL_LOAD && e->dst < 0 && fl_val_has(w, b, k - 1, 0)) found = 1, fval = 0;
    if (e->op == FL_CALL &&
        (fl_call_gives(w, b, k - 1, FL_S_ESC) || ((e->flags & FL_TO_MEMORY) && fl_call_gives(w, b, k - 1, FL_S_RET)))) {
      found = 1;
      fval = FL_NONE;
      for (uint32_t j = 0; j < e->nval && fval == FL_NONE; j++)
        if (fl_val_has(w, b, k - 1, j)) fval = j;
    }
    if (found) {
      fb = b, fk = k - 1;
      break;
    }
    if (!seen[pos - 1]) seen[pos - 1] = 1, queue[tail++] = pos - 1;
  }
  free(queue), free(seen);
  if (!found) return 0;
  const fl_event *e = fl_ev(a, fl_blk(a, fb)->ev + fk);
  *escape = fl_blk(a, fb)->ev + fk;
  *access = *escape;
  if (fval == FL_NONE || fl_val_has_obj(w, e, fval)) return 1;
  const fl_val *val = fl_v(a, e, fval);
  uint64_t *st = fl_state_at(w, fb, fk);
  for (uint32_t q = 0; q < val->n; q++) {
    uint32_t op = a->u->opnds.v[val->first + q], acc, sp;
    if (op & FL_OBJ) continue;
    if (!fl_has(fl_T(a, st, op), w->origin) && !fl_has(fl_TC(a, st, op), w->origin)) continue;
    if (fl_track(w, fb, fk, op, 1, &acc, &sp) == 1) {
      *access = acc;
      return 1;
    }
    st = fl_state_at(w, fb, fk);
  }
  return 1;
}

/* Fills the witness of finding f.  0, or -1 when out of memory. */
static int fl_witness(fl_an *a, fl_finding *f) {
  fl_wit w = {a, NULL, NULL, NULL, NULL, 0, f->origin, NULL, 0};
  uint32_t nb = a->f->nblk, npred = 0;
  w.base = malloc((nb + 1) * sizeof *w.base);
  w.poff = calloc(nb + 2, sizeof *w.poff);
  w.st = calloc(a->sw + 1, sizeof *w.st);
  if (!w.base || !w.poff || !w.st) {
    w.nomem = 1;
    goto out;
  }
  uint32_t b0 = 0, k0 = 0;
  for (uint32_t b = 0; b < nb; b++) {
    const fl_block *bl = fl_blk(a, b);
    w.base[b] = w.npos;
    w.npos += bl->nev + 1;
    if (f->event >= bl->ev && f->event < bl->ev + bl->nev) b0 = b, k0 = f->event - bl->ev;
    if (!a->reached[b]) continue;
    for (uint32_t i = 0; i < bl->nsucc; i++) w.poff[a->u->succs.v[bl->succ + i] - a->f->blk + 1]++, npred++;
  }
  for (uint32_t b = 0; b < nb; b++) w.poff[b + 1] += w.poff[b];
  w.pred = malloc((npred + 1) * sizeof *w.pred);
  w.pblk = malloc((w.npos + 1) * sizeof *w.pblk);
  uint32_t *fill = malloc((nb + 1) * sizeof *fill);
  if (!w.pred || !w.pblk || !fill) {
    free(fill);
    w.nomem = 1;
    goto out;
  }
  memcpy(fill, w.poff, nb * sizeof *fill);
  for (uint32_t b = 0; b < nb; b++) {
    const fl_block *bl = fl_blk(a, b);
    for (uint32_t k = 0; k <= bl->nev; k++) w.pblk[w.base[b] + k] = b;
    if (!a->reached[b]) continue;
    for (uint32_t i = 0; i < bl->nsucc; i++) w.pred[fill[a->u->succs.v[bl->succ + i] - a->f->blk]++] = b;
  }
  free(fill);
  uint32_t acc = FL_NONE, sp = FL_NONE, esc = FL_NONE;
  switch (f->kind) {
  case FL_FIND_VALUE:
    if (fl_track(&w, b0, k0, (uint32_t)f->local, 0, &acc, &sp) == 1) f->access = acc, f->susp = sp;
    f->use = f->event;
    break;
  case FL_FIND_CONTENT:
    if (fl_track_content(&w, b0, k0, 0, &acc, &sp) == 1) f->access = acc, f->susp = sp;
    f->use = f->event;
    break;
  case FL_FIND_ESCAPE:
    if (fl_track_escape(&w, b0, k0, &esc, &acc) == 1) f->access = acc, f->use = esc;
    f->susp = f->event;
    break;
  case FL_FIND_CALL_VALUE:
  case FL_FIND_CALL_CONTENT: {
    f->susp = f->use = f->event;
    f->access = f->event;
    if (f->kind == FL_FIND_CALL_CONTENT) {
      if (f->arg < 0 && fl_track_content(&w, b0, k0, 1, &acc, &sp) == 1) f->access = acc;
      break;
    }
    const fl_event *e = fl_ev(a, f->event);
    if (f->arg < 0 || (uint32_t)f->arg >= e->nval || fl_val_has_obj(&w, e, (uint32_t)f->arg)) break;
    const fl_val *val = fl_v(a, e, (uint32_t)f->arg);
    for (uint32_t q = 0; q < val->n; q++) {
      uint32_t op = a->u->opnds.v[val->first + q];
      if (!(op & FL_OBJ) && fl_track(&w, b0, k0, op, 1, &acc, &sp) == 1) {
        f->access = acc;
        break;
      }
    }
    break;
  }
  default: break;
  }
out:
  free(w.base);
  free(w.pblk);
  free(w.poff);
  free(w.pred);
  free(w.st);
  return w.nomem ? -1 : 0;
}

void fl_result_free(fl_result *res) {
  if (!res) return;
  fl_sum_free(&res->sum);
  free(res->finds.v);
  memset(res, 0, sizeof *res);
}

int fl_analyze(const fl_unit *u, uint32_t fi, const fl_env *env, fl_result *res) {
  memset(res, 0, sizeof *res);
  const fl_func *f = &u->funcs.v[fi];
  if (!f->understood) {
    res->status = FL_NOT_UNDERSTOOD;
    return 0;
  }
  fl_an a = {
      .u = u, .f = f, .env = env, .nobj = env->nobj, .W = env->nobj + f->nparams, .nloc = f->nlocals, .res = res};
  a.words = (a.W + 63) / 64;
  if (!a.words) a.words = 1;
  a.sw = (size_t)(2 * a.nloc + FL_NCONTENT) * a.words + a.nloc;
  a.ret_must = FL_NONE - 1;
  size_t budget = env->budget ? env->budget : ((size_t)1 << 24);
  uint32_t norder = 0, *order = fl_rpo(&a, &norder);
  if (!order) return -1;
  int lrc = fl_liveness(&a, order, norder, budget);
  if (lrc != 0) {
    free(order), free(a.loff), free(a.live), free(a.soff);
    if (lrc < 0) return -1;
    res->status = FL_TOO_LARGE;
    return 0;
  }
  uint32_t maxargs = 1;
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *bl = &u->blocks.v[f->blk + b];
    for (uint32_t k = 0; k < bl->nev; k++)
      if (u->events.v[bl->ev + k].nval > maxargs) maxargs = u->events.v[bl->ev + k].nval;
  }
  size_t maxcsw = 0;
  for (uint32_t b = 0; b < f->nblk; b++)
    if (fl_csw(&a, b) > maxcsw) maxcsw = fl_csw(&a, b);
  a.in = calloc(a.soff[f->nblk] + 1, sizeof *a.in);
  a.cmp = malloc((maxcsw + 1) * sizeof *a.cmp);
  a.reached = calloc(f->nblk + 1, 1);
  a.cur = calloc(a.sw + 1, sizeof *a.cur);
  a.args = malloc(((size_t)maxargs * a.words + 1) * sizeof *a.args);
  a.tmp = malloc((2 * (size_t)a.words + 1) * sizeof *a.tmp);
  a.acc = calloc(a.W + 1, sizeof *a.acc);
  int rc = -1;
  if (!a.in || !a.cmp || !a.reached || !a.cur || !a.args || !a.tmp || !a.acc) goto out;
  if (fl_fixpoint(&a, order, norder) < 0) goto out;
  a.report = 1;
  for (uint32_t i = 0; i < norder; i++) {
    uint32_t b = order[i];
    if (!a.reached[b]) continue;
    fl_unpack(&a, b, a.cur);
    fl_run_block(&a, b, a.cur);
  }
  fl_exit_summary(&a);
  if (a.failed || fl_make_summary(&a) < 0) goto out;
  if (res->finds.n > 1) qsort(res->finds.v, res->finds.n, sizeof *res->finds.v, fl_find_cmp);
  if (env->witness && res->finds.n && fl_witness(&a, &res->finds.v[0]) < 0) a.failed = 1;
  rc = a.failed ? -1 : 0;
out:
  free(order);
  free(a.loff);
  free(a.live);
  free(a.soff);
  free(a.cmp);
  free(a.in);
  free(a.reached);
  free(a.cur);
  free(a.args);
  free(a.tmp);
  free(a.acc);
  if (rc < 0) fl_result_free(res);
  return rc;
}
