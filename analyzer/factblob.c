/* SPDX-License-Identifier: MIT */
/*
 * factblob.c - encoding and validated decoding of TU facts.
 *
 * Invariant of the decoder: every read checks the remaining length, every
 * string index is checked against the table, every record index (caller,
 * callee, function) against the arrays decoded before it, so whatever the
 * bytes, the result is either NULL or a TU the graph can fold safely.
 */
#include <stdlib.h>
#include <string.h>

#include "factblob.h"

#define FB_MAGIC "FNF4"

/* ---- encoding ------------------------------------------------------------- */
typedef struct fb_enc {
  ut_buf *out;
  ut_map ids;                          /* string -> index */
  struct {
    const char **v;
    size_t n, cap;
  } strs;
  ut_buf body;                         /* records, written after the table */
  int failed;
} fb_enc;

static void fb_uint(ut_buf *b, uint64_t v) {
  unsigned char tmp[10];
  size_t n = 0;
  do {
    tmp[n] = (unsigned char)(v & 0x7f);
    v >>= 7;
    if (v) tmp[n] |= 0x80;
    n++;
  } while (v);
  ut_buf_add(b, (const char *)tmp, n);
}

static void fb_str(fb_enc *e, const char *s) {
  if (!s) s = "";
  uint32_t id;
  if (!ut_map_get(&e->ids, s, &id)) {
    id = (uint32_t)e->strs.n;
    if (UT_PUSH(e->strs, s) < 0 || ut_map_put(&e->ids, s, id) < 0) e->failed = 1;
  }
  fb_uint(&e->body, id);
}

static void fb_loc(fb_enc *e, ft_loc l) {
  fb_str(e, l.file);
  fb_uint(&e->body, l.line);
  fb_uint(&e->body, l.col);
}

/* Signed values that are >= -1 are stored shifted by one. */
static void fb_int(fb_enc *e, int64_t v) { fb_uint(&e->body, (uint64_t)(v + 1)); }

static void fb_funcs(fb_enc *e, const ft_tu *tu) {
  fb_uint(&e->body, tu->funcs.n);
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const ft_func *f = &tu->funcs.v[i];
    fb_str(e, f->usr);
    fb_str(e, f->path_key);
    fb_str(e, f->name);
    fb_loc(e, f->loc);
    fb_uint(&e->body, (unsigned)f->external | (unsigned)f->has_body << 1 | (unsigned)f->noreturn << 2 |
                          (unsigned)f->weak << 3 | (unsigned)f->system << 4 | (unsigned)f->visible << 5 |
                          (unsigned)f->omp << 6);
    fb_uint(&e->body, f->annots);
    fb_int(e, f->spawn_param);
    fb_str(e, f->fntype);
    fb_str(e, f->fnkey);
    fb_loc(e, f->hdecl);
    fb_uint(&e->body, f->hdecl_end);
  }
}

static void fb_edges(fb_enc *e, const ft_tu *tu) {
  fb_uint(&e->body, tu->calls.n);
  for (size_t i = 0; i < tu->calls.n; i++) {
    fb_uint(&e->body, tu->calls.v[i].caller);
    fb_uint(&e->body, tu->calls.v[i].callee);
    fb_loc(e, tu->calls.v[i].site);
    fb_uint(&e->body, tu->calls.v[i].flags);
  }
  fb_uint(&e->body, tu->icalls.n);
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    fb_uint(&e->body, c->caller);
    fb_str(e, c->fntype);
    fb_loc(e, c->site);
    fb_uint(&e->body, c->slot_kind);
    fb_uint(&e->body, c->ext_origin);
    fb_str(e, c->slot);
    fb_uint(&e->body, c->contract);
    fb_int(e, c->via_call);
    fb_int(e, c->via_arg);
    fb_str(e, c->fnkey);
    fb_int(e, c->via_icall);
    fb_int(e, c->slot_arg);
  }
  fb_uint(&e->body, tu->addrs.n);
  for (size_t i = 0; i < tu->addrs.n; i++) {
    const ft_addr *a = &tu->addrs.v[i];
    fb_uint(&e->body, a->func);
    fb_int(e, a->in_func);
    fb_loc(e, a->site);
    fb_str(e, a->cast_type);
    fb_uint(&e->body, a->dest_kind);
    fb_str(e, a->dest);
    fb_uint(&e->body, a->contract);
    fb_int(e, a->call);
    fb_int(e, a->arg);
    fb_str(e, a->cast_key);
    fb_int(e, a->icall);
  }
}

static void fb_rest(fb_enc *e, const ft_tu *tu) {
  fb_uint(&e->body, tu->effects.n);
  for (size_t i = 0; i < tu->effects.n; i++) {
    const ft_effect *x = &tu->effects.v[i];
    fb_uint(&e->body, x->func);
    fb_uint(&e->body, x->kind);
    fb_uint(&e->body, x->annots);
    fb_str(e, x->detail);
    fb_loc(e, x->site);
    fb_loc(e, x->decl);
  }
  fb_uint(&e->body, tu->polluted.n);
  for (size_t i = 0; i < tu->polluted.n; i++) fb_str(e, tu->polluted.v[i]);
  fb_uint(&e->body, tu->flows.n);
  for (size_t i = 0; i < tu->flows.n; i++) {
    const ft_flow *x = &tu->flows.v[i];
    fb_uint(&e->body, (unsigned)x->kind | (unsigned)x->cond << 8 | (unsigned)x->bits << 16);
    fb_str(e, x->key);
    fb_str(e, x->src);
    fb_int(e, x->func);
    fb_int(e, x->arg);
    fb_loc(e, x->site);
  }
  fb_uint(&e->body, tu->dropped.n);
  for (size_t i = 0; i < tu->dropped.n; i++) fb_str(e, tu->dropped.v[i]);
}

/* ---- the flow section (stage 3) ------------------------------------------- */
/* Sections after the fixed records: their count, then per section a tag,
 * a version, a byte length and the payload; a reader skips sections it does
 * not know.  The flow payload is the fl_unit's
 * arrays in order, every string as a table index. */
#define FB_SEC_FLOW     1
#define FB_FLOW_VERSION 1

/* The file of the previous location, remembered: locations repeat it. */
typedef struct fb_lmemo {
  uint32_t file;          /* flow string index, FL_NONE at first */
  uint32_t id;            /* its blob string id */
} fb_lmemo;

static void fb_floc(fb_enc *e, const fl_unit *u, fl_loc l, fb_lmemo *m) {
  if (m->file == l.file) {
    fb_uint(&e->body, m->id);
  } else {
    fb_str(e, u->strs.v[l.file]);
    uint32_t id;
    if (ut_map_get(&e->ids, u->strs.v[l.file], &id)) m->file = l.file, m->id = id;
  }
  fb_uint(&e->body, l.line);
  fb_uint(&e->body, l.col);
}

static void fb_flow_payload(fb_enc *e, const fl_unit *u) {
  ut_buf *b = &e->body;
  fb_lmemo memo = {FL_NONE, 0};
  fb_uint(b, u->objs.n);
  for (size_t i = 0; i < u->objs.n; i++)
    fb_str(e, u->strs.v[u->objs.v[i].key]), fb_str(e, u->strs.v[u->objs.v[i].name]);
  fb_uint(b, u->names.n);
  for (size_t i = 0; i < u->names.n; i++) fb_str(e, u->strs.v[u->names.v[i]]);
  fb_uint(b, u->funcs.n);
  for (size_t i = 0; i < u->funcs.n; i++) {
    const fl_func *f = &u->funcs.v[i];
    fb_uint(b, f->func);
    fb_uint(b, f->understood);
    fb_str(e, u->strs.v[f->why]);
    fb_floc(e, u, f->why_loc, &memo);
    fb_uint(b, f->nparams), fb_uint(b, f->nlocals), fb_uint(b, f->names), fb_uint(b, f->blk), fb_uint(b, f->nblk);
  }
  fb_uint(b, u->blocks.n);
  for (size_t i = 0; i < u->blocks.n; i++) {
    const fl_block *k = &u->blocks.v[i];
    fb_uint(b, k->ev), fb_uint(b, k->nev), fb_uint(b, k->succ), fb_uint(b, k->nsucc);
  }
  fb_uint(b, u->succs.n);
  for (size_t i = 0; i < u->succs.n; i++) fb_uint(b, u->succs.v[i]);
  fb_uint(b, u->events.n);
  for (size_t i = 0; i < u->events.n; i++) {
    const fl_event *v = &u->events.v[i];
    fb_uint(b, v->op), fb_uint(b, v->flags);
    fb_int(e, v->dst);
    fb_uint(b, v->aux == FL_NONE ? 0 : (uint64_t)v->aux + 1);
    fb_uint(b, v->val), fb_uint(b, v->nval);
    fb_floc(e, u, v->loc, &memo);
  }
  fb_uint(b, u->vals.n);
  for (size_t i = 0; i < u->vals.n; i++)
    fb_uint(b, u->vals.v[i].first), fb_uint(b, u->vals.v[i].n), fb_uint(b, u->vals.v[i].flags);
  fb_uint(b, u->opnds.n);
  for (size_t i = 0; i < u->opnds.n; i++) fb_uint(b, u->opnds.v[i]);
}

static void fb_flow(fb_enc *e, const ft_tu *tu) {
  ut_buf outer = e->body, payload = {0};
  e->body = payload;
  fb_flow_payload(e, tu->body_flow);
  payload = e->body;
  e->body = outer;
  fb_uint(&e->body, FB_SEC_FLOW);
  fb_uint(&e->body, FB_FLOW_VERSION);
  fb_uint(&e->body, payload.n);
  ut_buf_add(&e->body, payload.s ? payload.s : "", payload.n);
  if (payload.failed || tu->body_flow->failed) e->failed = 1;
  ut_buf_free(&payload);
}

int fb_encode(const ft_tu *tu, ut_buf *out) {
  fb_enc e = {out, {0}, {0}, {0}, 0};
  fb_funcs(&e, tu);
  fb_edges(&e, tu);
  fb_rest(&e, tu);
  fb_uint(&e.body, tu->body_flow ? 1 : 0); /* sections */
  if (tu->body_flow) fb_flow(&e, tu);
  ut_buf_add(out, FB_MAGIC, 4);
  fb_uint(out, e.strs.n);
  for (size_t i = 0; i < e.strs.n; i++) {
    size_t n = strlen(e.strs.v[i]);
    fb_uint(out, n);
    ut_buf_add(out, e.strs.v[i], n);
  }
  ut_buf_add(out, e.body.s ? e.body.s : "", e.body.n);
  int failed = e.failed || e.body.failed || out->failed;
  ut_map_free(&e.ids);
  free(e.strs.v);
  ut_buf_free(&e.body);
  return failed ? -1 : 0;
}

/* ---- decoding ------------------------------------------------------------- */
typedef struct fb_dec {
  const unsigned char *p, *end;
  const char **strs;
  size_t nstrs;
  int bad;
} fb_dec;

static uint64_t fb_get(fb_dec *d) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (d->p >= d->end) break;
    unsigned char c = *d->p++;
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  d->bad = 1;
  return 0;
}

static uint32_t fb_get32(fb_dec *d) {
  uint64_t v = fb_get(d);
  if (v > UINT32_MAX) d->bad = 1;
  return (uint32_t)v;
}

static int32_t fb_get_int(fb_dec *d) {
  uint64_t v = fb_get(d);
  if (v > (uint64_t)INT32_MAX + 1) d->bad = 1;
  return (int32_t)((int64_t)v - 1);
}

static const char *fb_get_str(fb_dec *d) {
  uint64_t i = fb_get(d);
  if (i >= d->nstrs) {
    d->bad = 1;
    return "";
  }
  return d->strs[i];
}

static ft_loc fb_get_loc(fb_dec *d) {
  ft_loc l;
  l.file = fb_get_str(d);
  l.line = fb_get32(d);
  l.col = fb_get32(d);
  return l;
}

/* A record count that the remaining bytes can hold (>= 1 byte each). */
static size_t fb_count(fb_dec *d) {
  uint64_t n = fb_get(d);
  if (n > (uint64_t)(d->end - d->p)) {
    d->bad = 1;
    return 0;
  }
  return (size_t)n;
}

static int fb_get_funcs(fb_dec *d, ft_tu *tu) {
  size_t n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_func f = {0};
    f.usr = fb_get_str(d);
    f.path_key = fb_get_str(d);
    f.name = fb_get_str(d);
    f.loc = fb_get_loc(d);
    uint32_t flags = fb_get32(d);
    f.external = flags & 1, f.has_body = flags >> 1 & 1, f.noreturn = flags >> 2 & 1;
    f.weak = flags >> 3 & 1, f.system = flags >> 4 & 1, f.visible = flags >> 5 & 1;
    f.omp = (uint8_t)(flags >> 6 & 0x3f);
    f.annots = fb_get32(d);
    f.spawn_param = fb_get_int(d);
    f.fntype = fb_get_str(d);
    f.fnkey = fb_get_str(d);
    f.hdecl = fb_get_loc(d);
    f.hdecl_end = fb_get32(d);
    if (UT_PUSH(tu->funcs, f) < 0) return -1;
  }
  return 0;
}

static int fb_get_edges(fb_dec *d, ft_tu *tu) {
  size_t nf = tu->funcs.n, n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_call c;
    c.caller = fb_get32(d);
    c.callee = fb_get32(d);
    c.site = fb_get_loc(d);
    c.flags = (uint8_t)fb_get32(d);
    if (c.caller >= nf || c.callee >= nf) d->bad = 1;
    if (UT_PUSH(tu->calls, c) < 0) return -1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_icall c = {0};
    c.caller = fb_get32(d);
    c.fntype = fb_get_str(d);
    c.site = fb_get_loc(d);
    c.slot_kind = (uint8_t)fb_get32(d);
    c.ext_origin = (uint8_t)fb_get32(d);
    c.slot = fb_get_str(d);
    c.contract = fb_get32(d);
    c.via_call = fb_get_int(d);
    c.via_arg = fb_get_int(d);
    c.fnkey = fb_get_str(d);
    c.via_icall = fb_get_int(d);
    c.slot_arg = fb_get_int(d);
    /* an argument of an indirect call refers to an earlier record */
    if (c.caller >= nf || c.via_call >= (int64_t)tu->calls.n || c.via_icall < 0 || c.via_icall > (int64_t)i ||
        c.slot_arg < 0)
      d->bad = 1;
    if (UT_PUSH(tu->icalls, c) < 0) return -1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_addr a = {0};
    a.func = fb_get32(d);
    a.in_func = fb_get_int(d);
    a.site = fb_get_loc(d);
    a.cast_type = fb_get_str(d);
    a.dest_kind = (uint8_t)fb_get32(d);
    a.dest = fb_get_str(d);
    a.contract = fb_get32(d);
    a.call = fb_get_int(d);
    a.arg = fb_get_int(d);
    a.cast_key = fb_get_str(d);
    a.icall = fb_get_int(d);
    if (a.func >= nf || a.in_func >= (int64_t)nf || a.call >= (int64_t)tu->calls.n || a.icall < 0 ||
        a.icall > (int64_t)tu->icalls.n)
      d->bad = 1;
    if (UT_PUSH(tu->addrs, a) < 0) return -1;
  }
  return 0;
}

static int fb_get_rest(fb_dec *d, ft_tu *tu) {
  size_t n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_effect x = {0};
    x.func = fb_get32(d);
    x.kind = (uint8_t)fb_get32(d);
    x.annots = fb_get32(d);
    x.detail = fb_get_str(d);
    x.site = fb_get_loc(d);
    x.decl = fb_get_loc(d);
    if (x.func >= tu->funcs.n || x.kind >= FX_NKINDS) d->bad = 1;
    if (UT_PUSH(tu->effects, x) < 0) return -1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    const char *k = fb_get_str(d);
    if (UT_PUSH(tu->polluted, k) < 0) return -1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    ft_flow x = {0};
    uint32_t w = fb_get32(d);
    x.kind = (uint8_t)w, x.cond = (uint8_t)(w >> 8), x.bits = (uint8_t)(w >> 16);
    x.key = fb_get_str(d);
    x.src = fb_get_str(d);
    x.func = fb_get_int(d);
    x.arg = fb_get_int(d);
    x.site = fb_get_loc(d);
    if (w >> 24 || x.func >= (int64_t)tu->funcs.n) d->bad = 1;
    if (UT_PUSH(tu->flows, x) < 0) return -1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    const char *k = fb_get_str(d);
    if (UT_PUSH(tu->dropped, k) < 0) return -1;
  }
  return 0;
}

/* Decodes the flow payload [d->p, end) into a new unit; every string index
 * is checked, every other index by fl_check. */
/* Blob string -> flow string, the last one remembered (locations repeat
 * their file). */
typedef struct fb_fmemo {
  const char *from;
  uint32_t to;
} fb_fmemo;

static fl_loc fb_get_floc(fb_dec *d, fl_unit *u, fb_fmemo *m) {
  fl_loc l;
  const char *file = fb_get_str(d);
  if (file != m->from) m->from = file, m->to = fl_str(u, file);
  l.file = m->to;
  l.line = fb_get32(d);
  l.col = fb_get32(d);
  return l;
}

static fl_unit *fb_get_flow(fb_dec *d, const ft_tu *tu) {
  fl_unit *u = fl_unit_create();
  fb_fmemo memo = {NULL, 0};
  if (!u) return NULL;
  size_t n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    const char *key = fb_get_str(d), *name = fb_get_str(d);
    if (fl_object_intern(u, key, name) != i) d->bad = 1; /* keys are distinct */
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++)
    if (UT_PUSH(u->names, fl_str(u, fb_get_str(d))) < 0) u->failed = 1;
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    fl_func f;
    f.func = fb_get32(d);
    f.understood = (uint8_t)fb_get32(d);
    f.why = fl_str(u, fb_get_str(d));
    f.why_loc = fb_get_floc(d, u, &memo);
    f.nparams = fb_get32(d), f.nlocals = fb_get32(d), f.names = fb_get32(d), f.blk = fb_get32(d), f.nblk = fb_get32(d);
    if (f.func >= tu->funcs.n || f.understood > 1) d->bad = 1;
    if (UT_PUSH(u->funcs, f) < 0) u->failed = 1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    fl_block k;
    k.ev = fb_get32(d), k.nev = fb_get32(d), k.succ = fb_get32(d), k.nsucc = fb_get32(d);
    if (UT_PUSH(u->blocks, k) < 0) u->failed = 1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++)
    if (UT_PUSH(u->succs, fb_get32(d)) < 0) u->failed = 1;
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    fl_event v;
    v.op = (uint8_t)fb_get32(d), v.flags = (uint8_t)fb_get32(d);
    v.dst = fb_get_int(d);
    uint32_t aux = fb_get32(d);
    v.aux = aux ? aux - 1 : FL_NONE;
    v.val = fb_get32(d), v.nval = fb_get32(d);
    v.loc = fb_get_floc(d, u, &memo);
    if (UT_PUSH(u->events, v) < 0) u->failed = 1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    fl_val v;
    v.first = fb_get32(d), v.n = fb_get32(d), v.flags = (uint8_t)fb_get32(d);
    if (UT_PUSH(u->vals, v) < 0) u->failed = 1;
  }
  n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++)
    if (UT_PUSH(u->opnds, fb_get32(d)) < 0) u->failed = 1;
  if (d->bad || u->failed || fl_check(u) < 0) {
    d->bad = 1;
    fl_unit_destroy(u);
    return NULL;
  }
  return u;
}

/* The sections after the fixed records. */
static void fb_get_sections(fb_dec *d, ft_tu *tu) {
  size_t nsec = fb_count(d);
  for (size_t i = 0; i < nsec && !d->bad; i++) {
    uint64_t tag = fb_get(d), version = fb_get(d);
    size_t len = fb_count(d);
    if (d->bad) return;
    const unsigned char *end = d->p + len;
    if (tag == FB_SEC_FLOW && version == FB_FLOW_VERSION && !tu->body_flow) {
      fb_dec sub = *d;
      sub.end = end;
      tu->body_flow = fb_get_flow(&sub, tu);
      if (!tu->body_flow || sub.p != end) d->bad = 1;
    }
    d->p = end;
  }
}

ft_tu *fb_decode(const void *data, size_t n, const char *file, const char *directory) {
  fb_dec d = {data, (const unsigned char *)data + n, NULL, 0, 0};
  if (n < 4 || memcmp(data, FB_MAGIC, 4) != 0) return NULL;
  d.p += 4;
  ft_tu *tu = ft_tu_create(file, directory);
  if (!tu) return NULL;
  size_t ns = fb_count(&d);
  d.strs = calloc(ns + 1, sizeof *d.strs);
  if (!d.strs) d.bad = 1;
  for (size_t i = 0; i < ns && !d.bad; i++) {
    size_t len = fb_count(&d);
    if (d.bad) break;
    char *s = ut_arena_alloc(&tu->arena, len + 1);
    if (!s) {
      d.bad = 1;
      break;
    }
    memcpy(s, d.p, len);
    s[len] = '\0';
    d.p += len;
    d.strs[i] = s;
  }
  d.nstrs = ns;
  int rc = d.bad ? -1 : fb_get_funcs(&d, tu);
  if (rc == 0 && !d.bad) rc = fb_get_edges(&d, tu);
  if (rc == 0 && !d.bad) rc = fb_get_rest(&d, tu);
  if (rc == 0 && !d.bad) fb_get_sections(&d, tu);
  free(d.strs);
  if (rc < 0 || d.bad || d.p != d.end || tu->failed) {
    ft_tu_destroy(tu);
    return NULL;
  }
  return tu;
}

/* ---- header-search lookups ------------------------------------------------ *
 * "FNL1", flags, the directories and names (length + bytes each), the hits
 * (dir + 1, 0 for an absolute name; name; ident as 8 bytes), the watches
 * (path; ident as 8 bytes).  Validated like the facts. */
#define FB_LK_MAGIC "FNL1"

static void fb_bytes(ut_buf *b, const char *s) {
  size_t n = strlen(s);
  fb_uint(b, n);
  ut_buf_add(b, s, n);
}

static void fb_u64(ut_buf *b, uint64_t v) {
  unsigned char t[8];
  for (int i = 0; i < 8; i++) t[i] = (unsigned char)(v >> (8 * i));
  ut_buf_add(b, (const char *)t, 8);
}

int fb_encode_lookups(const ft_lookups *l, ut_buf *out) {
  ut_buf_add(out, FB_LK_MAGIC, 4);
  fb_uint(out, l->flags);
  fb_uint(out, l->dirs.n);
  for (size_t i = 0; i < l->dirs.n; i++) fb_bytes(out, l->dirs.v[i]);
  fb_uint(out, l->names.n);
  for (size_t i = 0; i < l->names.n; i++) fb_bytes(out, l->names.v[i]);
  fb_uint(out, l->hits.n);
  for (size_t i = 0; i < l->hits.n; i++) {
    fb_uint(out, l->hits.v[i].dir == FT_NODIR ? 0 : (uint64_t)l->hits.v[i].dir + 1);
    fb_uint(out, l->hits.v[i].name);
    fb_u64(out, l->hits.v[i].ident);
  }
  fb_uint(out, l->watches.n);
  for (size_t i = 0; i < l->watches.n; i++) {
    fb_bytes(out, l->watches.v[i].path);
    fb_u64(out, l->watches.v[i].ident);
  }
  return out->failed ? -1 : 0;
}

static const char *fb_get_bytes(fb_dec *d, ft_tu *tu) {
  size_t len = fb_count(d);
  if (d->bad) return "";
  char *s = ut_arena_alloc(&tu->arena, len + 1);
  if (!s) {
    d->bad = 1;
    return "";
  }
  memcpy(s, d->p, len);
  s[len] = '\0';
  d->p += len;
  if (memchr(s, '\0', len)) d->bad = 1;
  return s;
}

static uint64_t fb_get_u64(fb_dec *d) {
  if (d->end - d->p < 8) {
    d->bad = 1;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)d->p[i] << (8 * i);
  d->p += 8;
  return v;
}

static int fb_get_list(fb_dec *d, ft_tu *tu, void *arr) {
  struct {
    const char **v;
    size_t n, cap;
  } *a = arr;
  size_t n = fb_count(d);
  for (size_t i = 0; i < n && !d->bad; i++) {
    const char *s = fb_get_bytes(d, tu);
    if (UT_PUSH(*a, s) < 0) return -1;
  }
  return 0;
}

int fb_decode_lookups(const void *data, size_t n, ft_tu *tu) {
  fb_dec d = {data, (const unsigned char *)data + n, NULL, 0, 0};
  ft_lookups *l = &tu->lookups;
  ft_lookups_free(l);
  if (n < 4 || memcmp(data, FB_LK_MAGIC, 4) != 0) return -1;
  d.p += 4;
  l->flags = fb_get32(&d);
  int rc = fb_get_list(&d, tu, &l->dirs);
  if (rc == 0) rc = fb_get_list(&d, tu, &l->names);
  size_t nh = rc == 0 ? fb_count(&d) : 0;
  for (size_t i = 0; rc == 0 && i < nh && !d.bad; i++) {
    uint64_t dir = fb_get(&d);
    ft_hit h = {dir ? (uint32_t)(dir - 1) : FT_NODIR, fb_get32(&d), fb_get_u64(&d)};
    if ((dir && dir > l->dirs.n) || h.name >= l->names.n) d.bad = 1;
    if (i && (h.dir < l->hits.v[i - 1].dir || (h.dir == l->hits.v[i - 1].dir && h.name <= l->hits.v[i - 1].name)))
      d.bad = 1; /* the checker compares sorted lists */
    if (UT_PUSH(l->hits, h) < 0) rc = -1;
  }
  size_t nw = rc == 0 && !d.bad ? fb_count(&d) : 0;
  for (size_t i = 0; rc == 0 && i < nw && !d.bad; i++) {
    ft_watch w;
    w.path = fb_get_bytes(&d, tu);
    w.ident = fb_get_u64(&d);
    if (UT_PUSH(l->watches, w) < 0) rc = -1;
  }
  if (rc < 0 || d.bad || d.p != d.end || tu->arena.failed) {
    ft_lookups_free(l);
    return -1;
  }
  return 0;
}
