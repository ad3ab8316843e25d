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
#include "mwitness.h"
#include "report.h"
#include "util.h"
#include "vocab.h"
#include "witness.h"

/* Hops of a witness path printed in full by the JSON export; longer paths
 * keep their first hops and their last (the reason), with the count of the
 * elided ones, so a 100,000-deep chain does not make the export quadratic. */
#define RP_EXPORT_HOPS 64

static const char *rp_path(const rp_opts *o, const char *p) { return o && o->cwd ? ut_relpath(p, o->cwd) : p; }

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
  unsigned long iv = 0, ifn = 0;
  r = pdb_meta_get(db, "interposable", buf, sizeof buf);
  if (r < 0) return -1;
  if (r && sscanf(buf, "%lu %lu", &iv, &ifn) == 2 && iv)
    fprintf(out,
            "%lu verdict%s (of %lu function%s) %s unknown only because definitions may be interposed "
            "(default visibility in -fPIC code: LD_PRELOAD or another library can replace them); if the build "
            "prevents that (-fvisibility=hidden, -fno-semantic-interposition, -Bsymbolic), pass "
            "--interposition=none or set 'interposition: none' in .fnprop\n",
            iv, iv == 1 ? "" : "s", ifn, ifn == 1 ? "" : "s", iv == 1 ? "is" : "are");
  r = pdb_meta_get(db, "transparent", buf, sizeof buf);
  if (r < 0) return -1;
  int used = 0;
  if (r && sscanf(buf, "%lu %n", &funcs, &used) >= 1 && buf[used])
    fprintf(out,
            "trusted transparent by the configuration (thread-local state not checked): %lu function%s matching %s\n",
            funcs, funcs == 1 ? "" : "s", buf + used);
  r = pdb_meta_get(db, "programs", buf, sizeof buf);
  if (r < 0) return -1;
  unsigned long progs = 0, loose = 0;
  used = 0;
  if (r && sscanf(buf, "%lu %lu %n", &progs, &loose, &used) >= 2 && progs) {
    fprintf(out, "%lu programs (from %s): a call links within its program only", progs, buf + used);
    if (loose)
      fprintf(out, "; %lu translation unit%s no program names %s in every program", loose, loose == 1 ? "" : "s",
              loose == 1 ? "is" : "are");
    fputc('\n', out);
  }
  r = pdb_meta_get(db, "dropped_flags", buf, sizeof buf);
  if (r < 0) return -1;
  used = 0;
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
  fprintf(out, "%ld translation units (%ld incomplete; %ld parsed, %ld from cache), %ld functions\n", tus, bad, parsed,
          cached, c.funcs);
  for (int p = 0; p < VD_NPROPS; p++)
    fprintf(out, "  %-6s proven %ld, unknown %ld, violated %ld\n", vd_prop_name((vd_prop)p), c.v[p][0], c.v[p][1],
            c.v[p][2]);
  return rp_unseen_summary(db, out);
}

/* ---- dump ----------------------------------------------------------------- */
typedef struct rp_ctx {
  FILE *out;
  const rp_opts *o;
  pdb *db;
  int found;
  wt_cache *cache;      /* bulk-loaded hops, or NULL: query per hop */
} rp_ctx;

int rp_selected(const rp_opts *o, const char *path) {
  if (!o || o->nfiles <= 0) return 1;
  for (int i = 0; i < o->nfiles; i++)
    if (o->files[i] && strcmp(o->files[i], path) == 0) return 1;
  return 0;
}

/* The program a function belongs to when the database builds several
 * (its path key ends in "\x1ePROGRAM", graph.h), else NULL. */
static const char *rp_program(const pdb_func *f) {
  const char *p = f->path_key ? strchr(f->path_key, '\x1e') : NULL;
  return p ? p + 1 : NULL;
}

static int rp_dump_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  if (!rp_selected(c->o, f->file)) return 0;
  const char *prog = rp_program(f);
  pdb_migrate m;
  if (pdb_get_migrate(c->db, f->id, &m) < 0) return -1;
  fprintf(c->out, "%s:%d:%d: %s%s%s%s tls=%s panic=%s migrate=%s\n", rp_path(c->o, f->file), f->line, f->col, f->name,
          prog ? " [" : "", prog ? prog : "", prog ? "]" : "", vd_name((vd_verdict)f->verdict[0]),
          vd_name((vd_verdict)f->verdict[1]), vd_name((vd_verdict)m.verdict));
  return 0;
}

int rp_dump_verdicts(pdb *db, FILE *out, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  return pdb_each_func(db, NULL, rp_dump_fn, &c);
}

/* ---- JSON Lines ----------------------------------------------------------- */
static int rp_json_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  mw_path mp;
  if (mw_walk(c->db, f->id, f->name, RP_EXPORT_HOPS, &mp) < 0) {
    mw_path_free(&mp);
    return -1;
  }
  ut_buf b = {0};
  ut_buf_puts(&b, "{\"name\":");
  ut_buf_json(&b, f->name);
  ut_buf_puts(&b, ",\"usr\":");
  ut_buf_json(&b, f->usr);
  ut_buf_puts(&b, ",\"file\":");
  ut_buf_json(&b, f->file);
  ut_buf_printf(&b, ",\"line\":%d,\"column\":%d,\"linkage\":\"%s\",\"tls\":\"%s\",\"panic\":\"%s\"", f->line, f->col,
                f->linkage, vd_name((vd_verdict)f->verdict[0]), vd_name((vd_verdict)f->verdict[1]));
  ut_buf_printf(&b, ",\"migrate\":\"%s\"", vd_name((vd_verdict)mp.verdict));
  if (rp_program(f)) {
    ut_buf_puts(&b, ",\"program\":");
    ut_buf_json(&b, rp_program(f));
  }
  if (f->task) ut_buf_puts(&b, ",\"task\":true");
  if (f->task & VC_TASK_OMP) /* an OpenMP task region: how it may be scheduled */
    ut_buf_printf(&b, ",\"openmp\":{\"untied\":%s,\"if\":%s,\"final\":%s,\"mergeable\":%s,\"taskloop\":%s}",
                  f->task & VC_TASK_UNTIED ? "true" : "false", f->task & VC_TASK_IF ? "true" : "false",
                  f->task & VC_TASK_FINAL ? "true" : "false", f->task & VC_TASK_MERGEABLE ? "true" : "false",
                  f->task & VC_TASK_TASKLOOP ? "true" : "false");
  int64_t id = f->id;
  int v[2] = {f->verdict[0], f->verdict[1]};
  for (int p = 0; p < VD_NPROPS; p++) {
    if (v[p] == VD_PROVEN) continue;
    wt_path path = {0};
    if (wt_walk(c->db, c->cache, id, p, RP_EXPORT_HOPS, &path) < 0) {
      wt_path_free(&path);
      mw_path_free(&mp);
      ut_buf_free(&b);
      return -1;
    }
    ut_buf_printf(&b, ",\"%s_witness\":", vd_prop_name((vd_prop)p));
    wt_write_json(&b, &path);
    wt_path_free(&path);
  }
  if (mp.verdict != VD_PROVEN) {
    ut_buf_puts(&b, ",\"migrate_witness\":");
    mw_write_json(&b, &mp);
  }
  mw_path_free(&mp);
  ut_buf_puts(&b, "}\n");
  int rc = b.failed ? -1 : (fwrite(b.s, 1, b.n, c->out) == b.n ? 0 : -1);
  ut_buf_free(&b);
  return rc;
}

int rp_export_jsonl(pdb *db, FILE *out) {
  wt_cache *cache = wt_cache_load(db);
  if (!cache) return -1;
  rp_ctx c = {out, NULL, db, 0, cache};
  int rc = pdb_each_func(db, NULL, rp_json_fn, &c);
  wt_cache_free(cache);
  return rc;
}

/* ---- explain -------------------------------------------------------------- */
static int rp_explain_fn(void *arg, const pdb_func *f) {
  rp_ctx *c = arg;
  c->found++;
  int64_t id = f->id;
  char *name = ut_strdup(f->name); /* the walks below reuse the function statement */
  if (!name) return -1;
  int v[2] = {f->verdict[0], f->verdict[1]};
  const char *prog = rp_program(f);
  fprintf(c->out, "%s (%s%s%s) defined at %s:%d:%d\n", f->name, f->linkage, prog ? ", in program " : "",
          prog ? prog : "", rp_path(c->o, f->file), f->line, f->col);
  if (f->note) fprintf(c->out, "note: %s\n", f->note);
  for (int p = 0; p < VD_NPROPS; p++) {
    fprintf(c->out, "%s: %s\n", vd_prop_name((vd_prop)p), vd_name((vd_verdict)v[p]));
    if (v[p] == VD_PROVEN) continue;
    wt_path path = {0};
    int rc = wt_walk(c->db, NULL, id, p, 0, &path);
    if (rc == 0) wt_write_text(c->out, &path, c->o ? c->o->cwd : NULL, 1); /* write errors: the caller's fflush */
    wt_path_free(&path);
    if (rc < 0) return free(name), -1;
  }
  /* Stage 3: the migrate verdict, its callee hops down to the function
   * with the finding, and the finding's steps (docs/stage3.md). */
  mw_path mp;
  int rc = mw_walk(c->db, id, name, 0, &mp);
  if (rc == 0) {
    fprintf(c->out, "migrate: %s\n", vd_name((vd_verdict)mp.verdict));
    if (mp.verdict != VD_PROVEN) mw_write_text(c->out, &mp, c->o ? c->o->cwd : NULL);
  }
  mw_path_free(&mp);
  free(name);
  return rc;
}

int rp_explain(pdb *db, FILE *out, const char *name, const rp_opts *o) {
  rp_ctx c = {out, o, db, 0, NULL};
  if (pdb_each_func(db, name, rp_explain_fn, &c) < 0) return -1;
  return c.found ? 0 : 1;
}

/* ---- C export ------------------------------------------------------------- */
typedef struct rp_xc {
  struct {
    xc_entry *v;
    size_t n, cap;
  } e;
  ut_arena arena;
  pdb *db;
} rp_xc;

static int rp_xc_fn(void *arg, const pdb_func *f) {
  rp_xc *x = arg;
  pdb_migrate m; /* no row: proven (stage 3 stores only the others) */
  if (pdb_get_migrate(x->db, f->id, &m) < 0) return -1;
  xc_entry e = {ut_arena_strdup(&x->arena, f->name),
                ut_arena_strdup(&x->arena, f->file),
                vc_linkage_of(f->linkage) == VC_LINK_EXTERNAL,
                (unsigned char)f->verdict[0],
                (unsigned char)f->verdict[1],
                (unsigned char)m.verdict};
  return x->arena.failed ? -1 : UT_PUSH(x->e, e);
}

int rp_export_c(pdb *db, FILE *out, const char *analysis_hash) {
  rp_xc x = {0};
  x.db = db;
  int rc = pdb_each_func(db, NULL, rp_xc_fn, &x);
  if (rc == 0) rc = xc_write(out, x.e.v, x.e.n, analysis_hash);
  free(x.e.v);
  ut_arena_free(&x.arena);
  return rc;
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
  if (m.verdict && m.why == PDB_WHY_EDGE && m.file)
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
