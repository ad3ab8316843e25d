/* SPDX-License-Identifier: MIT */
/*
 * driver.c - the analysis pipeline with parallel extraction.
 *
 * Workers claim TUs by an atomic counter and hand finished facts to the
 * main thread through a slot per TU; the main thread is the only SQLite
 * writer and stores TUs in compile-database order.  Workers stay at most
 * 2 * jobs TUs ahead of the writer, so at most that many TUs' facts are in
 * memory at once.  Results do not depend on -j: the graph sorts everything.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_id.h"
#include "driver.h"
#include "frontend.h"
#include "graph.h"
#include "migrate.h"
#include "solver.h"

typedef struct dr_pool {
  const cdb *db;
  const size_t *todo;     /* indices into db->v of the TUs to parse */
  size_t ntodo;
  ft_tu **slots;          /* per todo position */
  int *done;
  atomic_size_t next;
  size_t stored;          /* todo positions consumed by the writer */
  size_t window;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} dr_pool;

static void *dr_worker(void *arg) {
  dr_pool *p = arg;
  fe_ctx *fe = fe_create();
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->ntodo) break;
    pthread_mutex_lock(&p->mu);
    while (i >= p->stored + p->window) pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    ft_tu *tu = fe ? fe_parse(fe, &p->db->v[p->todo[i]]) : NULL;
    pthread_mutex_lock(&p->mu);
    p->slots[i] = tu;
    p->done[i] = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  fe_destroy(fe);
  return NULL;
}

void dr_flags_hash(const cdb_entry *e, char out[17]) {
  snprintf(out, 17, "%016llx", (unsigned long long)ut_hash_str(cdb_entry_hash(e), FNPROP_VERSION "/" FNPROP_BUILD_ID));
}

static int dr_cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* ---- cache check ---------------------------------------------------------- */
typedef struct dr_fresh {
  pdb *store;
  int64_t tu;
  int stale;
  struct { ft_input *v; size_t n, cap; } touch; /* unchanged content, new stat */
  ut_arena arena;
} dr_fresh;

static int dr_check_input(void *arg, const ft_input *in) {
  dr_fresh *f = arg;
  struct stat st;
  if (stat(in->path, &st) != 0) {
    f->stale = 1;
    return 1; /* stop: the file is gone */
  }
  int64_t mt = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  if (in->mtime_ns && in->mtime_ns == mt && in->size == st.st_size && in->inode == (int64_t)st.st_ino) return 0;
  uint64_t h;
  if (ut_hash_file(in->path, &h) < 0 || h != in->hash) {
    f->stale = 1;
    return 1;
  }
  /* Same content: remember the new stat triple unless it is racy. */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  ft_input t = {ut_arena_strdup(&f->arena, in->path), st.st_size, mt < now_ns - 1000000000 ? mt : 0,
                (int64_t)st.st_ino, h};
  if (t.path && t.mtime_ns != in->mtime_ns) UT_PUSH(f->touch, t);
  return 0;
}

/* 1 when stored TU `id` may be reused: it parsed completely and every file
 * it read is unchanged.  -1 on database error. */
static int dr_tu_fresh(pdb *store, int64_t id) {
  dr_fresh f = {store, id, 0, {0}, {0}};
  int complete = 0;
  int rc = pdb_tu_inputs(store, id, &complete, dr_check_input, &f);
  int fresh = rc >= 0 && complete && !f.stale;
  for (size_t i = 0; fresh && i < f.touch.n; i++) pdb_touch_input(store, id, &f.touch.v[i]);
  free(f.touch.v);
  ut_arena_free(&f.arena);
  return rc < 0 ? -1 : fresh;
}

/* ---- extraction ----------------------------------------------------------- */
/* Parses the TUs listed in todo and stores their facts; ids[todo[k]] gets
 * each stored row. */
static int dr_extract(const dr_opts *o, const cdb *db, const size_t *todo, size_t ntodo, pdb *store, dr_stats *st,
                      int64_t *ids, char *err, size_t errlen) {
  if (!ntodo) return 0;
  dr_pool p = {db, todo, ntodo, calloc(ntodo, sizeof(ft_tu *)), calloc(ntodo, sizeof(int)), 0, 0, 0,
               PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
  int jobs = o->jobs < 1 ? 1 : o->jobs;
  if ((size_t)jobs > ntodo) jobs = (int)ntodo;
  p.window = 2 * (size_t)jobs;
  pthread_t *th = calloc((size_t)jobs, sizeof *th);
  int rc = 0, started = 0;
  if (!p.slots || !p.done || !th) {
    snprintf(err, errlen, "out of memory");
    rc = -1;
  }
  for (int t = 0; rc == 0 && t < jobs; t++)
    if (pthread_create(&th[t], NULL, dr_worker, &p) == 0) started++;
  if (rc == 0 && !started) {
    snprintf(err, errlen, "cannot start worker threads");
    rc = -1;
  }
  for (size_t k = 0; k < ntodo && started; k++) {
    pthread_mutex_lock(&p.mu);
    while (!p.done[k]) pthread_cond_wait(&p.cv, &p.mu);
    ft_tu *tu = p.slots[k];
    p.slots[k] = NULL;
    pthread_mutex_unlock(&p.mu);
    const cdb_entry *e = &db->v[todo[k]];
    if (o->progress) fprintf(stderr, "\r\033[K[%zu/%zu] %s", k + 1, ntodo, e->file);
    char fh[17];
    dr_flags_hash(e, fh);
    if (rc == 0 && (!tu || tu->failed)) {
      snprintf(err, errlen, "out of memory while analyzing '%s'", e->file);
      rc = -1;
    } else if (rc == 0 && pdb_store_tu(store, tu, fh) < 0) {
      snprintf(err, errlen, "%s", pdb_error(store));
      rc = -1;
    }
    if (rc == 0) {
      int64_t id = pdb_tu_lookup(store, tu->file, fh);
      if (id <= 0) {
        snprintf(err, errlen, "%s", pdb_error(store));
        rc = -1;
      } else {
        ids[todo[k]] = id;
        st->parsed++;
        st->incomplete += !tu->complete;
      }
    }
    ft_tu_destroy(tu);
    pthread_mutex_lock(&p.mu);
    p.stored = k + 1;
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
  }
  if (o->progress) fprintf(stderr, "\r\033[K");
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  for (size_t k = 0; p.slots && k < ntodo; k++) ft_tu_destroy(p.slots[k]);
  free(th);
  free(p.slots);
  free(p.done);
  return rc;
}

typedef struct dr_folds {
  gr_graph *g;
  mg_ctx *mg;             /* stage 3 */
  int oom;                /* folding ran out of memory */
} dr_folds;

static int dr_fold(void *arg, const ft_tu *tu) {
  dr_folds *f = arg;
  if (gr_add_tu(f->g, tu) < 0 || mg_add_tu(f->mg, tu) < 0) return f->oom = 1, -1;
  return 0;
}

static int dr_solve(pdb *store, const gr_opts *go, const char *key, dr_stats *st, char *err, size_t errlen) {
  gr_graph *g = gr_create();
  dr_folds folds = {g, mg_create(), 0};
  sv_result *res = NULL;
  mg_result *mres = NULL;
  int rc = -1;
  if (!g || !folds.mg || pdb_each_tu(store, dr_fold, &folds) < 0 || gr_finish(g, go) < 0) {
    snprintf(err, errlen, "%s", g && folds.mg && !g->failed && !folds.oom ? pdb_error(store)
                                                                           : "out of memory building the call graph");
    goto out;
  }
  res = malloc((g->nodes.n + 1) * sizeof *res);
  if (!res || gr_solve(g, res) < 0) {
    snprintf(err, errlen, "out of memory solving the call graph");
    goto out;
  }
  mres = malloc((g->nodes.n + 1) * sizeof *mres);
  if (!mres || mg_solve(folds.mg, g, go, mres) < 0) {
    snprintf(err, errlen, "out of memory in the stage-3 (migrate) analysis");
    goto out;
  }
  if (pdb_store_migrate(store, g, mres) < 0 || pdb_store_results(store, g, res, key) < 0) {
    snprintf(err, errlen, "%s", pdb_error(store));
    goto out;
  }
  st->functions = (long)g->nodes.n;
  st->solved = 1;
  rc = 0;
out:
  free(res);
  free(mres);
  mg_destroy(folds.mg);
  gr_destroy(g);
  return rc;
}

/* Decides which entries need parsing; fills ids for the reusable ones. */
static int dr_plan(const cdb *db, pdb *store, int64_t *ids, size_t *todo, size_t *ntodo, dr_stats *st) {
  *ntodo = 0;
  for (size_t i = 0; i < db->n; i++) {
    char fh[17];
    dr_flags_hash(&db->v[i], fh);
    int64_t id = pdb_tu_lookup(store, db->v[i].file, fh);
    int fresh = id > 0 ? dr_tu_fresh(store, id) : 0;
    if (id < 0 || fresh < 0) return -1;
    if (fresh) {
      ids[i] = id;
      st->cached++;
    } else {
      todo[(*ntodo)++] = i;
    }
  }
  return 0;
}

/* The model of this run: built-in lists, the shipped library model unless
 * turned off, and the configured model files in order. */
static md_model *dr_model(const cf_config *c, char *err, size_t errlen) {
  md_model *m = md_create(c->library_models);
  if (!m) {
    snprintf(err, errlen, "out of memory loading the library model");
    return NULL;
  }
  for (size_t i = 0; i < c->models.n; i++)
    if (md_load_file(m, c->models.v[i], err, errlen) < 0) {
      md_destroy(m);
      return NULL;
    }
  return m;
}

/* Solves unless the stored results were computed from the same facts,
 * tool version, configuration and models. */
static int dr_results(const dr_opts *o, pdb *store, dr_stats *st, char *err, size_t errlen) {
  cf_config defaults;
  cf_init(&defaults);
  const cf_config *c = o->config ? o->config : &defaults;
  md_model *m = dr_model(c, err, errlen);
  if (!m) return -1;
  char key[128];
  snprintf(key, sizeof key, "fnprop " FNPROP_VERSION "/" FNPROP_BUILD_ID " %016llx %016llx", (unsigned long long)cf_hash(c),
           (unsigned long long)md_hash(m));
  gr_opts go = {m, c->errno_ignore, c->externals, c->open_world, c->indirect, c->trust_weak, c->trust_interposable,
                c->panic_functions.v, c->panic_functions.n};
  int rc = pdb_results_current(store, key);
  if (rc < 0) snprintf(err, errlen, "%s", pdb_error(store));
  else rc = rc ? 0 : dr_solve(store, &go, key, st, err, errlen);
  md_destroy(m);
  cf_free(&defaults);
  return rc;
}

int dr_update(const dr_opts *o, const cdb *db, pdb *store, dr_stats *st, char *err, size_t errlen) {
  memset(st, 0, sizeof *st);
  int64_t *ids = calloc(db->n + 1, sizeof *ids);
  size_t *todo = calloc(db->n + 1, sizeof *todo), ntodo = 0;
  int rc = 0;
  if (!ids || !todo) {
    snprintf(err, errlen, "out of memory");
    rc = -1;
  } else if (dr_plan(db, store, ids, todo, &ntodo, st) < 0) {
    snprintf(err, errlen, "%s", pdb_error(store));
    rc = -1;
  }
  if (rc == 0) rc = dr_extract(o, db, todo, ntodo, store, st, ids, err, errlen);
  if (rc == 0) {
    qsort(ids, db->n, sizeof *ids, dr_cmp_id);
    if (pdb_prune_tus(store, ids, db->n) < 0) {
      snprintf(err, errlen, "%s", pdb_error(store));
      rc = -1;
    }
  }
  free(ids);
  free(todo);
  if (rc < 0) return rc;
  return dr_results(o, store, st, err, errlen);
}

/* ---- inputs hash ---------------------------------------------------------- */
typedef struct dr_hash {
  uint64_t h;
  char buf[65536];
} dr_hash;

static int dr_hash_input(void *arg, const char *flags_hash, const char *path) {
  dr_hash *d = arg;
  d->h = ut_hash_str(ut_hash_str(d->h, flags_hash), path);
  FILE *f = fopen(path, "rb");
  if (!f) {
    d->h = ut_hash_str(d->h, "<missing>");
    return 0;
  }
  size_t n;
  while ((n = fread(d->buf, 1, sizeof d->buf, f)) > 0) d->h = ut_hash(d->h, d->buf, n);
  fclose(f);
  return 0;
}

int dr_inputs_hash(pdb *store, char out[17], char *err, size_t errlen) {
  dr_hash *d = malloc(sizeof *d);
  if (!d) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  d->h = ut_hash_str(UT_HASH_INIT, "fnprop " FNPROP_VERSION);
  int rc = pdb_each_input(store, dr_hash_input, d);
  if (rc < 0) snprintf(err, errlen, "%s", pdb_error(store));
  else snprintf(out, 17, "%016llx", (unsigned long long)d->h);
  free(d);
  return rc;
}
