/* SPDX-License-Identifier: MIT */
/*
 * results.c - mapping the solved graph to the database's rows.
 *
 * Invariant: the rows are a function of the graph and the solution alone
 * (nodes and edges are sorted by gr_finish), written in one transaction
 * that either replaces every result or none.  The words stored (linkage,
 * resolution modes, origins, names tables) come from the vocabulary and
 * effects tables, never from literals here.
 */
#include <stdlib.h>

#include "results.h"
#include "vocab.h"

_Static_assert((int)PDB_WHY_BASE == (int)SV_WHY_BASE && (int)PDB_WHY_EDGE == (int)SV_WHY_EDGE,
               "verdict.why stores sv_why");

static int64_t rs_id(uint32_t node) { return (int64_t)node + 1; }

static int rs_names(pdb *db) {
  for (int k = 0; k < FX_NKINDS; k++) {
    const fx_info *fi = fx_get((fx_kind)k);
    if (pdb_put_effect_kind(db, k, fi->name, fi->prop < 0 ? NULL : vd_prop_name((vd_prop)fi->prop)) < 0) return -1;
  }
  for (int v = VD_PROVEN; v <= VD_VIOLATED; v++)
    if (pdb_put_verdict_name(db, v, vd_name((vd_verdict)v)) < 0) return -1;
  return 0;
}

static int rs_indirect(pdb *db, const gr_graph *g) {
  for (size_t i = 0; i < g->resolutions.n; i++) {
    const gr_resolution *r = &g->resolutions.v[i];
    const gr_icall *ic = &g->icalls.v[r->icall];
    pdb_icall row = {rs_id(ic->caller), ic->site.file,        (int)ic->site.line, (int)ic->site.col, ic->fntype,
                     ic->slot,          vc_res_name(r->mode), r->trusted,         r->candidates};
    if (pdb_put_icall(db, &row) < 0) return -1;
  }
  for (size_t i = 0; i < g->addrs.n; i++) {
    const gr_addr *a = &g->addrs.v[i];
    if (!(a->contract & (FT_ANN_NOTLS | FT_ANN_NOPANIC))) continue;
    pdb_store st = {0};
    st.func = rs_id(a->func);
    st.in_func = a->in_func != GR_NONE ? rs_id(a->in_func) : 0;
    st.file = a->site.file, st.line = (int)a->site.line, st.col = (int)a->site.col;
    st.contract = a->contract;
    st.dest_kind = a->dest_kind;
    st.dest = a->dest;
    if (a->dest_kind == FT_SLOT_ARG && a->callee != GR_NONE) st.callee_id = rs_id(a->callee), st.arg = a->arg;
    if (pdb_put_store(db, &st) < 0) return -1;
  }
  return 0;
}

/* What the run did not see, for the summary: "FUNCS CONSTRUCTS" and
 * "TUS FLAG FLAG ..." (flags as the compile database spells them). */
static int rs_unseen(pdb *db, const gr_graph *g) {
  ut_buf b = {0};
  ut_buf_printf(&b, "%u %llu", g->unseen_funcs, (unsigned long long)g->unseen_constructs);
  int rc = b.failed ? pdb_oom(db, "storing results") : pdb_put_meta(db, "unseen", b.s);
  b.n = 0;
  ut_buf_printf(&b, "%u", g->dropped_tus);
  for (size_t i = 0; i < g->dropped_flags.n; i++) ut_buf_printf(&b, " %s", g->dropped_flags.v[i]);
  if (rc == 0) rc = b.failed ? pdb_oom(db, "storing results") : pdb_put_meta(db, "dropped_flags", b.s);
  b.n = 0;
  ut_buf_printf(&b, "%u %s", g->transparent_funcs, g->transparent_list ? g->transparent_list : "");
  if (rc == 0) rc = b.failed ? pdb_oom(db, "storing results") : pdb_put_meta(db, "transparent", b.s);
  b.n = 0;
  ut_buf_printf(&b, "%u %u %s", g->nprograms, g->program_unassigned, g->program_source ? g->program_source : "");
  if (rc == 0) rc = b.failed ? pdb_oom(db, "storing results") : pdb_put_meta(db, "programs", b.s);
  ut_buf_free(&b);
  return rc;
}

/* "VERDICTS FUNCTIONS": the unknown verdicts (and their functions, with a
 * body outside system headers) that --interposition=none would prove, that
 * is, unknown only because definitions may be interposed. */
static int rs_interposable(pdb *db, const gr_graph *g, const sv_result *res) {
  size_t n = g->nodes.n, any = 0;
  for (size_t i = 0; i < n && !any; i++)
    any = g->nodes.v[i].base[0].kind == FX_INTERPOSABLE || g->nodes.v[i].base[1].kind == FX_INTERPOSABLE;
  unsigned long verdicts = 0, funcs = 0;
  if (any) {
    uint8_t *base = gr_base_trusting_interposition(g);
    sv_result *alt = malloc((n + 1) * sizeof *alt);
    int rc = base && alt ? gr_solve_base(g, base, alt) : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
      const gr_node *x = &g->nodes.v[i];
      int k = 0;
      for (int p = 0; x->has_body && !x->system && p < VD_NPROPS; p++)
        k += res[i].verdict[p] == VD_UNKNOWN && alt[i].verdict[p] == VD_PROVEN;
      verdicts += (unsigned long)k, funcs += k > 0;
    }
    free(base), free(alt);
    if (rc < 0) return pdb_oom(db, "storing results");
  }
  char v[64];
  snprintf(v, sizeof v, "%lu %lu", verdicts, funcs);
  return pdb_put_meta(db, "interposable", v);
}

static int rs_func(pdb *db, const gr_graph *g, uint32_t i) {
  const gr_node *n = &g->nodes.v[i];
  pdb_func f = {0};
  f.id = rs_id(i);
  f.usr = n->usr, f.path_key = n->path_key, f.name = n->name;
  f.file = n->loc.file, f.line = (int)n->loc.line, f.col = (int)n->loc.col;
  f.linkage = vc_linkage_name(n->external ? VC_LINK_EXTERNAL : VC_LINK_INTERNAL);
  f.has_body = n->has_body, f.annots = n->annots, f.system = n->system,
  f.task = n->task | n->omp << 1; /* bits 1..: FT_OMP_* (database.md) */
  f.hidden = n->hidden;
  if (n->hdecl.file && n->hdecl.file[0]) {
    f.hdecl_file = n->hdecl.file, f.hdecl_line = (int)n->hdecl.line, f.hdecl_col = (int)n->hdecl.col;
    f.hdecl_end = n->hdecl_end;
  }
  ut_buf note = {0};
  if (n->ignored.kind != FX_NONE)
    ut_buf_printf(&note, "uses thread-local variable '%s' at %s:%u:%u, declared FNPROP_MIGRATION_SAFE: not counted",
                  n->ignored.detail, n->ignored.site.file, n->ignored.site.line, n->ignored.site.col);
  f.note = note.s;
  int rc = note.failed ? pdb_oom(db, "storing results") : pdb_put_func(db, &f);
  ut_buf_free(&note);
  return rc;
}

static int rs_verdict(pdb *db, const gr_graph *g, const sv_result *res, const uint32_t *depth, const uint32_t *terminal,
                      uint32_t i, int p) {
  if (res[i].verdict[p] == VD_PROVEN) return 0; /* no row: proven */
  const sv_witness *w = &res[i].witness[p];
  size_t at = (size_t)i * VD_NPROPS + p;
  pdb_hop h = {0};
  h.verdict = res[i].verdict[p];
  h.why = w->why;
  h.depth = depth[at];
  h.terminal = rs_id(terminal[at]);
  if (w->why == SV_WHY_EDGE) {
    const gr_via *via = &g->vias.v[w->edge];
    const ft_loc *site = &g->sites.v[w->edge];
    h.next = rs_id(g->edges.v[w->edge].dst);
    h.file = site->file, h.line = (int)site->line, h.col = (int)site->col;
    h.how = via->kind;
    h.through = via->through != GR_NONE ? g->nodes.v[via->through].name : NULL;
  } else if (w->why == SV_WHY_BASE) {
    const gr_node *n = &g->nodes.v[i];
    const gr_reason *r = &n->base[p];
    h.origin = vc_origin_text((vc_origin)n->origin_kind[p], n->origin[p]);
    h.kind = r->kind;
    h.detail = r->detail;
    h.file = r->site.file, h.line = (int)r->site.line, h.col = (int)r->site.col;
    h.decl_file = r->decl.file, h.decl_line = (int)r->decl.line;
  }
  return pdb_put_verdict(db, rs_id(i), p, &h);
}

/* Stage 3: how many callee hops separate each node from the function
 * with its migrate finding or reason, and which that is (the join's
 * witness edges lead there; a cycle, which the solver never builds, ends
 * where it closes).  Iterative, each node visited once. */
static int rs_migrate_depths(const gr_graph *g, const mg_result *r, uint32_t *depth, uint32_t *terminal) {
  size_t n = g->nodes.n;
  uint8_t *state = calloc(n + 1, 1); /* 0 new, 1 on the stack, 2 done */
  uint32_t *stack = malloc((n + 1) * sizeof *stack);
  if (!state || !stack) return free(state), free(stack), -1;
  for (uint32_t i = 0; i < n; i++) {
    size_t sp = 0;
    uint32_t v = i;
    while (state[v] == 0 && r[v].verdict != VD_PROVEN && r[v].why == SV_WHY_EDGE) {
      state[v] = 1;
      stack[sp++] = v;
      v = g->edges.v[r[v].edge].dst;
    }
    if (state[v] != 2) depth[v] = 0, terminal[v] = v, state[v] = 2; /* the end, or where a cycle closes */
    while (sp) {
      uint32_t u = stack[--sp];
      depth[u] = depth[v] + 1, terminal[u] = terminal[v], state[u] = 2;
      v = u;
    }
  }
  free(state), free(stack);
  return 0;
}

/* Stage 3: the migrate verdict of node i, when not proven. */
static int rs_migrate(pdb *db, const gr_graph *g, const mg_result *r, uint32_t i, uint32_t depth, uint32_t terminal) {
  if (r->verdict == VD_PROVEN) return 0;
  pdb_migrate m = {0};
  m.depth = (int)depth;
  m.terminal = rs_id(terminal);
  m.verdict = r->verdict;
  m.why = r->why;
  if (r->why == SV_WHY_EDGE) m.next = rs_id(g->edges.v[r->edge].dst);
  m.kind = r->kind;
  m.text = r->text;
  m.file = r->at.file, m.line = (int)r->at.line, m.col = (int)r->at.col;
  m.access_file = r->access.file, m.access_line = (int)r->access.line, m.access_col = (int)r->access.col;
  m.susp_file = r->susp.file, m.susp_line = (int)r->susp.line, m.susp_col = (int)r->susp.col;
  m.use_file = r->use.file, m.use_line = (int)r->use.line, m.use_col = (int)r->use.col;
  m.access_text = r->access_text, m.susp_text = r->susp_text, m.use_text = r->use_text;
  return pdb_put_migrate(db, rs_id(i), &m);
}

int rs_store(pdb *db, const gr_graph *g, const sv_result *res, const char *key) {
  return rs_store_all(db, g, res, NULL, key);
}

int rs_store_all(pdb *db, const gr_graph *g, const sv_result *res, const mg_result *mres, const char *key) {
  size_t n = g->nodes.n;
  uint32_t *depth = calloc(n * VD_NPROPS + 1, sizeof *depth), *terminal = calloc(n * VD_NPROPS + 1, sizeof *terminal);
  if (!depth || !terminal || sv_witness_depths((uint32_t)n, g->edges.v, res, depth, terminal) < 0) {
    free(depth), free(terminal);
    return pdb_oom(db, "storing results");
  }
  uint32_t *mdepth = NULL, *mterm = NULL;
  if (mres && (!(mdepth = calloc(n + 1, sizeof *mdepth)) || !(mterm = calloc(n + 1, sizeof *mterm)) ||
               rs_migrate_depths(g, mres, mdepth, mterm) < 0)) {
    free(depth), free(terminal), free(mdepth), free(mterm);
    return pdb_oom(db, "storing results");
  }
  if (pdb_results_begin(db, key) < 0) {
    free(depth), free(terminal), free(mdepth), free(mterm);
    return -1;
  }
  int ok = rs_names(db) == 0 && rs_indirect(db, g) == 0 && rs_unseen(db, g) == 0 && rs_interposable(db, g, res) == 0;
  for (uint32_t i = 0; ok && i < n; i++) {
    ok = rs_func(db, g, i) == 0;
    for (int p = 0; ok && p < VD_NPROPS; p++) ok = rs_verdict(db, g, res, depth, terminal, i, p) == 0;
    if (ok && mres) ok = rs_migrate(db, g, &mres[i], i, mdepth[i], mterm[i]) == 0;
  }
  free(depth), free(terminal), free(mdepth), free(mterm);
  return pdb_results_end(db, ok);
}
