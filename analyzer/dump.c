/* SPDX-License-Identifier: MIT */
/*
 * dump.c - the per-stage dumps: facts, graph and strongly connected
 * components, one sorted line per record.
 *
 * Invariant: every line is built from the record alone (names, relative
 * paths, table names), then each block is sorted in natural order (digit
 * runs as numbers), so two runs that compute the same stage print the same
 * bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "factstore.h"
#include "solver.h"
#include "vocab.h"

/* ---- lines -------------------------------------------------------------------- */
typedef struct du_lines {
  char **v;
  size_t n, cap;
  int failed;
} du_lines;

static void du_add(du_lines *l, ut_buf *b) {
  if (b->failed || UT_PUSH(*l, b->s) < 0) l->failed = 1, ut_buf_free(b);
  memset(b, 0, sizeof *b);
}

/* Natural order: runs of digits compare as numbers, so a.c:9:1 comes
 * before a.c:10:1; otherwise bytes compare as in the C locale. */
static int du_natcmp(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      while (*a == '0' && a[1] >= '0' && a[1] <= '9') a++;
      while (*b == '0' && b[1] >= '0' && b[1] <= '9') b++;
      size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
      if (na != nb) return na < nb ? -1 : 1;
      int c = memcmp(a, b, na);
      if (c) return c;
      a += na, b += nb;
      continue;
    }
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++, b++;
  }
  return *a ? 1 : *b ? -1 : 0;
}

static int du_linecmp(const void *a, const void *b) {
  int c = du_natcmp(*(char *const *)a, *(char *const *)b);
  return c ? c : strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts, prints (each line after `indent`) and frees the lines. */
static int du_flush(du_lines *l, FILE *out, const char *indent) {
  int rc = l->failed ? -2 : 0;
  if (l->n) qsort(l->v, l->n, sizeof *l->v, du_linecmp);
  for (size_t i = 0; i < l->n; i++) {
    if (rc == 0 && fprintf(out, "%s%s\n", indent, l->v[i]) < 0) rc = -2;
    free(l->v[i]);
  }
  free(l->v);
  memset(l, 0, sizeof *l);
  return rc;
}

static const char *du_path(const char *p, const char *cwd) { return cwd ? ut_relpath(p, cwd) : p; }

/* A path key relative to cwd; the variant hash of a header function
 * ("PATH#HASH", ft_key_variants) covers absolute paths, so it is shown as
 * "#variant" and the dump stays the same wherever the tree lives. */
static void du_key(ut_buf *b, const char *key, const char *cwd) {
  if (!key || !key[0]) return;
  const char *hash = strrchr(key, '#');
  ut_buf_puts(b, " key=");
  if (!hash) {
    ut_buf_puts(b, du_path(key, cwd));
    return;
  }
  ut_buf k = {0};
  ut_buf_add(&k, key, (size_t)(hash - key));
  ut_buf_printf(b, "%s#variant", k.failed ? "?" : du_path(k.s ? k.s : "", cwd));
  if (k.failed) b->failed = 1;
  ut_buf_free(&k);
}

static void du_loc(ut_buf *b, ft_loc l, const char *cwd) {
  if (!l.file || !l.file[0]) ut_buf_puts(b, "?");
  else ut_buf_printf(b, "%s:%u:%u", du_path(l.file, cwd), l.line, l.col);
}

/* Annotation bits as "notls+task". */
static void du_annots(ut_buf *b, const char *key, uint32_t bits) {
  if (!bits) return;
  ut_buf_printf(b, " %s=", key);
  for (uint32_t bit = 1, first = 1; bit; bit <<= 1)
    if (bits & bit) ut_buf_printf(b, "%s%s", first ? "" : "+", ft_annotation_name(bit)), first = 0;
}

static void du_flag(ut_buf *b, int on, const char *word) {
  if (on) ut_buf_printf(b, " %s", word);
}

/* ---- facts ---------------------------------------------------------------------- */
typedef struct du_facts_ctx {
  FILE *out;
  const char *cwd;
  int rc;
} du_facts_ctx;

static const char *du_fname(const ft_tu *tu, int64_t i) {
  return i >= 0 && (size_t)i < tu->funcs.n ? tu->funcs.v[i].name : "-";
}

static void du_tu_funcs(du_lines *l, const ft_tu *tu, const char *cwd) {
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const ft_func *f = &tu->funcs.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "func ");
    du_loc(&b, f->loc, cwd);
    ut_buf_printf(&b, " %s usr=%s", f->name, f->usr);
    du_key(&b, f->path_key, cwd);
    ut_buf_printf(&b, " %s", vc_linkage_name(f->external ? VC_LINK_EXTERNAL : VC_LINK_INTERNAL));
    du_flag(&b, f->has_body, "body");
    du_flag(&b, f->noreturn, "noreturn");
    du_flag(&b, f->weak, "weak");
    du_flag(&b, f->system, "system");
    du_flag(&b, f->visible, "visible");
    ut_buf_printf(&b, " type='%s'", f->fntype ? f->fntype : "");
    du_annots(&b, "annots", f->annots);
    if (f->spawn_param) ut_buf_printf(&b, " spawn=%d", f->spawn_param);
    if (f->hdecl.file && f->hdecl.file[0]) {
      ut_buf_puts(&b, " header=");
      du_loc(&b, f->hdecl, cwd);
    }
    du_add(l, &b);
  }
}

static void du_tu_edges(du_lines *l, const ft_tu *tu, const char *cwd) {
  for (size_t i = 0; i < tu->calls.n; i++) {
    const ft_call *c = &tu->calls.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "call ");
    du_loc(&b, c->site, cwd);
    ut_buf_printf(&b, " %s -> %s", du_fname(tu, c->caller), du_fname(tu, c->callee));
    du_flag(&b, c->flags & FT_CALL_STATUS0, "status0");
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->icalls.n; i++) {
    const ft_icall *c = &tu->icalls.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "icall ");
    du_loc(&b, c->site, cwd);
    ut_buf_printf(&b, " %s type='%s' slot=%s:'%s'", du_fname(tu, c->caller), c->fntype, ft_slot_name(c->slot_kind),
                  c->slot);
    du_annots(&b, "contract", c->contract);
    du_flag(&b, c->ext_origin, "outside");
    if (c->via_call >= 0 && (size_t)c->via_call < tu->calls.n)
      ut_buf_printf(&b, " argument %d of %s", c->via_arg, du_fname(tu, tu->calls.v[c->via_call].callee));
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->addrs.n; i++) {
    const ft_addr *a = &tu->addrs.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "addr ");
    du_loc(&b, a->site, cwd);
    ut_buf_printf(&b, " %s in=%s dest=%s:'%s'", du_fname(tu, a->func), du_fname(tu, a->in_func),
                  ft_slot_name(a->dest_kind), a->dest);
    if (a->cast_type && a->cast_type[0]) ut_buf_printf(&b, " cast='%s'", a->cast_type);
    du_annots(&b, "contract", a->contract);
    if (a->dest_kind == FT_SLOT_ARG && a->call >= 0 && (size_t)a->call < tu->calls.n)
      ut_buf_printf(&b, " argument %d of %s", a->arg, du_fname(tu, tu->calls.v[a->call].callee));
    du_add(l, &b);
  }
}

static void du_tu_rest(du_lines *l, const ft_tu *tu, const char *cwd) {
  for (size_t i = 0; i < tu->effects.n; i++) {
    const ft_effect *e = &tu->effects.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "effect ");
    du_loc(&b, e->site, cwd);
    ut_buf_printf(&b, " %s %s '%s'", du_fname(tu, e->func), fx_get((fx_kind)e->kind)->name, e->detail);
    du_annots(&b, "annots", e->annots);
    if (e->decl.file && e->decl.file[0]) {
      ut_buf_puts(&b, " decl=");
      du_loc(&b, e->decl, cwd);
    }
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->diags.n; i++) {
    ut_buf b = {0};
    ut_buf_puts(&b, "diag ");
    du_loc(&b, tu->diags.v[i].loc, cwd);
    ut_buf_printf(&b, " %s", tu->diags.v[i].message);
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->polluted.n; i++) {
    ut_buf b = {0};
    ut_buf_printf(&b, "polluted %s", tu->polluted.v[i]);
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->flows.n; i++) {
    const ft_flow *f = &tu->flows.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "flow ");
    du_loc(&b, f->site, cwd);
    ut_buf_printf(&b, " kind=%u cond=%u bits=%u key='%s'", f->kind, f->cond, f->bits, f->key ? f->key : "");
    if (f->src && f->src[0]) ut_buf_printf(&b, " src='%s'", f->src);
    if (f->func >= 0) ut_buf_printf(&b, " func=%s arg=%d", du_fname(tu, f->func), f->arg);
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->dropped.n; i++) {
    ut_buf b = {0};
    ut_buf_printf(&b, "dropped %s", tu->dropped.v[i]);
    du_add(l, &b);
  }
  for (size_t i = 0; i < tu->inputs.n; i++) {
    ut_buf b = {0};
    ut_buf_printf(&b, "input %s", du_path(tu->inputs.v[i].path, cwd));
    du_add(l, &b);
  }
}

static int du_tu_fn(void *arg, const ft_tu *tu, const char *flags_hash) {
  du_facts_ctx *c = arg;
  (void)flags_hash;
  if (fprintf(c->out, "tu %s%s%s%s\n", du_path(tu->file, c->cwd), tu->complete ? "" : " incomplete",
              tu->pic ? " pic" : "", tu->field_facts ? "" : " no-field-facts") < 0)
    return c->rc = -2;
  du_lines l = {0};
  du_tu_funcs(&l, tu, c->cwd);
  du_tu_edges(&l, tu, c->cwd);
  du_tu_rest(&l, tu, c->cwd);
  return c->rc = du_flush(&l, c->out, "  ");
}

int du_facts(FILE *out, pdb *db, const char *cwd) {
  du_facts_ctx c = {out, cwd, 0};
  int rc = fs_each_tu_keyed(db, 1, du_tu_fn, &c);
  return c.rc ? c.rc : rc < 0 ? -1 : 0;
}

/* ---- graph ------------------------------------------------------------------------ */
static void du_reason(ut_buf *b, const gr_node *n, int p, const char *cwd) {
  const gr_reason *r = &n->base[p];
  ut_buf_printf(b, " %s=%s", vd_prop_name((vd_prop)p), fx_get((fx_kind)r->kind)->name);
  if (r->kind == FX_NONE) return;
  ut_buf_printf(b, "('%s' at ", r->detail ? r->detail : "");
  du_loc(b, r->site, cwd);
  ut_buf_puts(b, ")");
  const char *origin = vc_origin_text((vc_origin)n->origin_kind[p], n->origin[p]);
  if (origin) {
    char label[600];
    vc_origin_label(label, sizeof label, origin);
    ut_buf_printf(b, " %s", label);
  }
}

static void du_props(ut_buf *b, const char *key, unsigned mask) {
  ut_buf_printf(b, " %s=", key);
  for (int p = 0, first = 1; p < VD_NPROPS; p++)
    if (mask & (1u << p)) ut_buf_printf(b, "%s%s", first ? "" : "+", vd_prop_name((vd_prop)p)), first = 0;
}

int du_graph(FILE *out, const gr_graph *g, const char *cwd) {
  du_lines l = {0};
  for (size_t i = 0; i < g->nodes.n; i++) {
    const gr_node *n = &g->nodes.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "node ");
    du_loc(&b, n->loc, cwd);
    ut_buf_printf(&b, " %s usr=%s", n->name, n->usr);
    du_key(&b, n->path_key, cwd);
    ut_buf_printf(&b, " %s", vc_linkage_name(n->external ? VC_LINK_EXTERNAL : VC_LINK_INTERNAL));
    du_flag(&b, n->has_body, "body");
    du_flag(&b, n->noreturn, "noreturn");
    du_flag(&b, n->weak, "weak");
    du_flag(&b, n->interposable, "interposable");
    du_flag(&b, n->incomplete, "incomplete");
    du_flag(&b, n->system, "system");
    du_flag(&b, n->task, "task");
    for (int p = 0; p < VD_NPROPS; p++) du_reason(&b, n, p, cwd);
    if (n->ignored.kind != FX_NONE) {
      ut_buf_printf(&b, " ignored='%s' at ", n->ignored.detail);
      du_loc(&b, n->ignored.site, cwd);
    }
    if (n->nunseen) {
      ut_buf_printf(&b, " unseen=%u('%s' at ", n->nunseen, n->unseen.detail ? n->unseen.detail : "");
      du_loc(&b, n->unseen.site, cwd);
      ut_buf_puts(&b, ")");
    }
    du_add(&l, &b);
  }
  for (size_t i = 0; i < g->edges.n; i++) {
    const gr_via *via = &g->vias.v[i];
    ut_buf b = {0};
    ut_buf_puts(&b, "edge ");
    du_loc(&b, g->sites.v[i], cwd);
    ut_buf_printf(&b, " %s -> %s %s", g->nodes.v[g->edges.v[i].src].name, g->nodes.v[g->edges.v[i].dst].name,
                  vc_edge_name(via->kind));
    if (via->through != GR_NONE) ut_buf_printf(&b, " through=%s", g->nodes.v[via->through].name);
    if (via->param) ut_buf_puts(&b, " param"); /* counts for the caller's own verdict only */
    du_props(&b, "props", g->masks.v[i]);
    du_add(&l, &b);
  }
  for (size_t i = 0; i < g->resolutions.n; i++) {
    const gr_resolution *r = &g->resolutions.v[i];
    const gr_icall *ic = &g->icalls.v[r->icall];
    ut_buf b = {0};
    ut_buf_puts(&b, "resolution ");
    du_loc(&b, ic->site, cwd);
    ut_buf_printf(&b, " %s type='%s' mode=%s candidates=%u", g->nodes.v[ic->caller].name, ic->fntype,
                  vc_res_name(r->mode), r->candidates);
    if (r->trusted) du_props(&b, "trusted", r->trusted);
    du_add(&l, &b);
  }
  return du_flush(&l, out, "");
}

/* ---- strongly connected components ------------------------------------------------ */
typedef struct du_member {
  uint32_t comp;
  char *text;            /* "LOC NAME" */
} du_member;

static int du_member_cmp(const void *a, const void *b) {
  const du_member *x = a, *y = b;
  if (x->comp != y->comp) return x->comp < y->comp ? -1 : 1;
  return du_linecmp(&x->text, &y->text);
}

int du_sccs(FILE *out, const gr_graph *g, const char *cwd) {
  size_t n = g->nodes.n;
  uint32_t *comp = malloc((n + 1) * sizeof *comp), *size = calloc(n + 1, sizeof *size);
  unsigned char *loop = calloc(n + 1, 1);
  du_member *m = calloc(n + 1, sizeof *m);
  int rc = comp && size && loop && m && sv_sccs((uint32_t)n, g->edges.n, g->edges.v, comp) == 0 ? 0 : -2;
  uint32_t ncomp = 0, recursive = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    if (comp[i] + 1 > ncomp) ncomp = comp[i] + 1;
    size[comp[i]]++;
    ut_buf b = {0};
    du_loc(&b, g->nodes.v[i].loc, cwd);
    ut_buf_printf(&b, " %s", g->nodes.v[i].name);
    m[i] = (du_member){comp[i], b.s};
    if (b.failed) rc = -2;
  }
  for (size_t e = 0; rc == 0 && e < g->edges.n; e++)
    if (g->edges.v[e].src == g->edges.v[e].dst) loop[comp[g->edges.v[e].src]] = 1;
  for (uint32_t c = 0; rc == 0 && c < ncomp; c++) recursive += size[c] > 1 || loop[c];
  if (rc == 0) qsort(m, n, sizeof *m, du_member_cmp);
  du_lines l = {0};
  for (size_t i = 0; rc == 0 && i < n;) {
    size_t k = i;
    while (k < n && m[k].comp == m[i].comp) k++;
    if (k - i > 1 || loop[m[i].comp]) {
      ut_buf b = {0};
      ut_buf_printf(&b, "scc %zu:", k - i);
      for (size_t j = i; j < k; j++) ut_buf_printf(&b, "%s %s", j > i ? "," : "", m[j].text);
      du_add(&l, &b);
    }
    i = k;
  }
  if (rc == 0 && fprintf(out, "sccs: %u components, %u recursive\n", ncomp, recursive) < 0) rc = -2;
  int frc = du_flush(&l, out, "");
  for (size_t i = 0; m && i < n; i++) free(m[i].text);
  free(comp), free(size), free(loop), free(m);
  return rc ? rc : frc;
}
