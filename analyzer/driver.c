/* SPDX-License-Identifier: MIT */
/*
 * driver.c - the analysis pipeline with parallel extraction.
 *
 * Workers claim TUs by an atomic counter and hand finished facts to the
 * main thread through a slot per TU; the main thread is the only SQLite
 * writer and stores TUs in compile-database order.  Workers stay at most
 * 2 * jobs TUs ahead of the writer, so at most that many TUs' facts are in
 * memory at once.  Results do not depend on -j: the graph sorts everything.
 * Workers run on DR_STACK-sized stacks: libclang's parser and the cursor
 * walk recurse once per nesting level of an expression, and a 100,000-term
 * expression overflows the default 8 MiB (main() makes libclang parse on
 * the calling thread, LIBCLANG_NOTHREADS, so this stack is the one used).
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
#include "factstore.h"
#include "frontend.h"
#include "graph.h"
#include "hsearch.h"
#include "migrate.h"
#include "programs.h"
#include "results.h"
#include "solver.h"

enum { DR_STACK_MB = 256 };

typedef struct dr_pool {
  const cdb *db;
  const size_t *todo;     /* indices into db->v of the TUs to parse */
  size_t ntodo;
  ft_tu **slots;          /* per todo position */
  int *done;
  atomic_size_t next;
  size_t stored;          /* todo positions consumed by the writer */
  size_t window;
  const fe_searchlists *lists;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} dr_pool;

/* The file this thread analyzes, for main's abort message. */
static _Thread_local const char *dr_file_now;

const char *dr_current_file(void) { return dr_file_now; }

static void *dr_worker(void *arg) {
  dr_pool *p = arg;
  fe_ctx *fe = fe_create();
  if (fe) fe_use_searchlists(fe, p->lists);
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->ntodo) break;
    pthread_mutex_lock(&p->mu);
    while (i >= p->stored + p->window) pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    dr_file_now = p->db->v[p->todo[i]].file;
    ft_tu *tu = fe ? fe_parse(fe, &p->db->v[p->todo[i]]) : NULL;
    dr_file_now = NULL;
    pthread_mutex_lock(&p->mu);
    p->slots[i] = tu;
    p->done[i] = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  fe_destroy(fe);
  return NULL;
}

/* A thread with a big stack, or smaller ones where the address space is
 * limited (ulimit -v); the default stack as the last resort. */
static int dr_thread(pthread_t *t, void *(*fn)(void *), void *arg) {
  static const size_t mb[] = {DR_STACK_MB, 64, 0};
  for (size_t i = 0; i < sizeof mb / sizeof mb[0]; i++) {
    pthread_attr_t at;
    if (pthread_attr_init(&at) != 0) continue;
    int ok = !mb[i] || pthread_attr_setstacksize(&at, mb[i] << 20) == 0;
    ok = ok && pthread_create(t, &at, fn, arg) == 0;
    pthread_attr_destroy(&at);
    if (ok) return 0;
  }
  return -1;
}

typedef struct dr_one {
  fe_ctx *fe;
  const cdb_entry *e;
  ft_tu *tu;
} dr_one;

static void *dr_one_run(void *arg) {
  dr_one *o = arg;
  dr_file_now = o->e->file;
  o->tu = fe_parse(o->fe, o->e);
  dr_file_now = NULL;
  return NULL;
}

ft_tu *dr_parse_one(fe_ctx *fe, const cdb_entry *e) {
  dr_one o = {fe, e, NULL};
  pthread_t t;
  if (dr_thread(&t, dr_one_run, &o) < 0) return fe_parse(fe, e);
  pthread_join(t, NULL);
  return o.tu;
}

/* ---- the cache key ---------------------------------------------------------
 * Environment variables that change what a parse reads or how the driver
 * builds the command line; part of every TU's key. */
static const char *const dr_env[] = {"CPATH",
                                     "C_INCLUDE_PATH",
                                     "CPLUS_INCLUDE_PATH",
                                     "OBJC_INCLUDE_PATH",
                                     "SDKROOT",
                                     "CCC_OVERRIDE_OPTIONS",
                                     "COMPILER_PATH",
                                     "GCC_EXEC_PREFIX",
                                     "MACOSX_DEPLOYMENT_TARGET",
                                     "LIBCLANG_RESOURCE_USAGE"};

static void dr_sha_str(ut_sha256 *s, const char *v) { ut_sha256_update(s, v, strlen(v) + 1); }

void dr_flags_hash(const cdb_entry *e, char out[DR_FLAGS_HASH_LEN]) {
  ut_sha256 s;
  ut_sha256_init(&s);
  dr_sha_str(&s, "fnprop " FNPROP_VERSION "/" FNPROP_BUILD_ID);
  char version[256];
  dr_sha_str(&s, fe_libclang_version(version, sizeof version));
  dr_sha_str(&s, e->directory);
  for (int i = 0; i < e->argc; i++) dr_sha_str(&s, fe_arg_key(e->argv[i]));
  for (size_t k = 0; k < sizeof dr_env / sizeof dr_env[0]; k++) {
    const char *val = getenv(dr_env[k]);
    dr_sha_str(&s, dr_env[k]);
    dr_sha_str(&s, val ? val : "\x1e(unset)");
  }
  unsigned char d[UT_SHA256_LEN];
  ut_sha256_final(&s, d);
  ut_sha256_hex(d, out);
}

static int dr_cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int64_t dr_ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

/* ---- cache check ---------------------------------------------------------- */
typedef struct dr_fresh {
  int stale;
  int force_hash;         /* compare content even when the stat fields agree */
  struct {
    pdb_input *v;
    size_t n, cap;
  } touch; /* unchanged content, new stat */
  ut_arena arena;
} dr_fresh;

static int dr_check_input(void *arg, const pdb_input *in) {
  dr_fresh *f = arg;
  struct stat st;
  if (stat(in->path, &st) != 0 || !S_ISREG(st.st_mode)) {
    f->stale = 1;
    return 1; /* stop: the file is gone */
  }
  int64_t mt = dr_ns(st.st_mtim), ct = dr_ns(st.st_ctim);
  if (!f->force_hash && in->mtime_ns && in->mtime_ns == mt && in->ctime_ns == ct && in->size == st.st_size &&
      in->inode == (int64_t)st.st_ino)
    return 0;
  unsigned char h[UT_SHA256_LEN];
  if (ut_sha256_file(in->path, h) < 0 || memcmp(h, in->hash, sizeof h) != 0) {
    f->stale = 1;
    return 1;
  }
  /* Same content: remember the new stat fields unless they are racy. */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int racy = mt >= dr_ns(now) - 1000000000 || ct >= dr_ns(now) - 1000000000;
  pdb_input t = {ut_arena_strdup(&f->arena, in->path), st.st_size, racy ? 0 : mt, (int64_t)st.st_ino, ct, {0}};
  memcpy(t.hash, h, sizeof h);
  if (t.path && (t.mtime_ns != in->mtime_ns || t.ctime_ns != in->ctime_ns)) UT_PUSH(f->touch, t);
  return 0;
}

/* 1 when stored TU `id` may be reused: its row and facts are intact, it
 * parsed completely, every file it read is unchanged and header search
 * would find the same files.  -1 on database error. */
static int dr_tu_fresh(pdb *store, int64_t id, hs_cache *cache) {
  int ok = pdb_tu_verify(store, id);
  if (ok <= 0) return ok; /* damaged: parse again */
  dr_fresh f = {0, 0, {0}, {0}};
  int complete = 0;
  int rc = pdb_tu_inputs(store, id, &complete, dr_check_input, &f);
  int fresh = rc >= 0 && complete && !f.stale;
  ft_tu *scratch = fresh ? ft_tu_create("", "") : NULL;
  int refresh = 0;
  if (fresh) {
    int lk = scratch ? fs_tu_lookups(store, id, scratch) : -1;
    if (lk < 0) rc = -1;
    fresh = lk > 0 ? hs_check(cache, &scratch->lookups, &scratch->arena, &refresh) : 0;
    if (fresh < 0) rc = -1, fresh = 0;
  }
  for (size_t i = 0; fresh && rc >= 0 && i < f.touch.n; i++)
    if (pdb_touch_input(store, id, &f.touch.v[i]) < 0) rc = -1;
  if (fresh && rc >= 0 && refresh && fs_touch_lookups(store, id, &scratch->lookups) < 0) rc = -1;
  ft_tu_destroy(scratch);
  free(f.touch.v);
  ut_arena_free(&f.arena);
  return rc < 0 ? -1 : fresh;
}

/* ---- extraction ----------------------------------------------------------- */
/* The header search list of every entry to parse, probed before any worker
 * starts (probing reads clang's report from a redirected stderr). */
static fe_searchlists *dr_searchlists(const cdb *db, const size_t *todo, size_t ntodo) {
  fe_searchlists *sl = fe_searchlists_create();
  fe_ctx *fe = sl ? fe_create() : NULL;
  for (size_t k = 0; fe && k < ntodo; k++)
    if (fe_searchlists_add(sl, fe, &db->v[todo[k]]) < 0) break; /* out of memory: the rest are not cached */
  fe_destroy(fe);
  return sl;
}

/* Parses the TUs listed in todo and stores their facts; ids[todo[k]] gets
 * each stored row. */
static int dr_extract(const dr_opts *o, const cdb *db, const size_t *todo, size_t ntodo, pdb *store, dr_stats *st,
                      int64_t *ids, char *err, size_t errlen) {
  if (!ntodo) return 0;
  dr_pool p = {db, todo, ntodo, calloc(ntodo, sizeof(ft_tu *)), calloc(ntodo, sizeof(int)), 0,
               0,  0,    NULL,  PTHREAD_MUTEX_INITIALIZER,      PTHREAD_COND_INITIALIZER};
  int jobs = o->jobs < 1 ? 1 : o->jobs;
  if ((size_t)jobs > ntodo) jobs = (int)ntodo;
  p.window = 2 * (size_t)jobs;
  pthread_t *th = calloc((size_t)jobs, sizeof *th);
  int rc = 0, started = 0;
  fe_searchlists *lists = p.slots && p.done && th ? dr_searchlists(db, todo, ntodo) : NULL;
  p.lists = lists;
  if (!p.slots || !p.done || !th || !lists) {
    snprintf(err, errlen, "out of memory");
    rc = -1;
  }
  for (int t = 0; rc == 0 && t < jobs; t++)
    if (dr_thread(&th[t], dr_worker, &p) == 0) started++;
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
    char fh[DR_FLAGS_HASH_LEN];
    dr_flags_hash(e, fh);
    if (rc == 0 && (!tu || tu->failed)) {
      snprintf(err, errlen, "out of memory while analyzing '%s'", e->file);
      rc = -1;
    } else if (rc == 0 && fs_store_tu(store, tu, fh) < 0) {
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
  fe_searchlists_destroy(lists);
  free(th);
  free(p.slots);
  free(p.done);
  return rc;
}

typedef struct dr_folding {
  gr_graph *g;
  const pg_map *programs; /* NULL: one program */
  mg_ctx *mg;             /* stage 3's flow facts, NULL when not wanted */
  int oom;                /* folding ran out of memory */
} dr_folding;

/* Folds a stored TU into each program it is linked into (the graph and the
 * flow facts alike, under the same program-qualified keys). */
static int dr_fold(void *arg, const ft_tu *tu, const char *flags_hash) {
  dr_folding *f = arg;
  if (!f->programs) {
    if (gr_add_tu(f->g, tu) < 0 || (f->mg && mg_add_tu(f->mg, tu, NULL) < 0)) return f->oom = 1, -1;
    return 0;
  }
  size_t n;
  const uint32_t *of = pg_of(f->programs, tu->file, flags_hash, &n);
  for (size_t i = 0; i < n; i++) {
    const char *prog = pg_name(f->programs, of[i]);
    if (gr_add_tu_program(f->g, tu, prog, i > 0) < 0 || (f->mg && mg_add_tu(f->mg, tu, prog) < 0))
      return f->oom = 1, -1;
  }
  return 0;
}

/* The finished graph of every stored TU (read in one snapshot, whose facts
 * generation goes to *gen when gen is set), each TU folded into its
 * programs (NULL: one program), the flow facts collected into mg when it is
 * set; NULL with a message in err. */
static gr_graph *dr_build(pdb *store, const gr_opts *go, const pg_map *programs, int64_t *gen, mg_ctx *mg, char *err,
                          size_t errlen) {
  gr_graph *g = gr_create();
  dr_folding fold = {g, programs, mg, 0};
  int64_t unused;
  if (g && programs) {
    static const char *const source[] = {"", ".fnprop program keys", "link_commands.json"};
    g->nprograms = (uint32_t)pg_count(programs);
    g->program_unassigned = (uint32_t)pg_unassigned(programs);
    g->program_source = source[pg_source(programs)];
  }
  if (!g || fs_each_tu_gen_keyed(store, gen ? gen : &unused, dr_fold, &fold) < 0 || gr_finish(g, go) < 0) {
    snprintf(err, errlen, "%s",
             g && !g->failed && !fold.oom ? pdb_error(store) : "out of memory building the call graph");
    gr_destroy(g);
    return NULL;
  }
  return g;
}

/* Folds the stored facts (one snapshot), solves, and stores the results if
 * the facts are still that snapshot.  Returns 0, 1 when another run stored
 * newer facts meanwhile (nothing stored), -1 on error. */
static int dr_solve_once(pdb *store, const gr_opts *go, const pg_map *programs, const char *key, dr_stats *st,
                         char *err, size_t errlen) {
  int64_t gen = 0;
  mg_ctx *mg = mg_create();
  gr_graph *g = mg ? dr_build(store, go, programs, &gen, mg, err, errlen) : NULL;
  sv_result *res = NULL;
  mg_result *mres = NULL;
  int rc = -1;
  if (!mg) snprintf(err, errlen, "out of memory building the call graph");
  if (!g) goto out;
  res = malloc((g->nodes.n + 1) * sizeof *res);
  if (!res || gr_solve(g, res) < 0) {
    snprintf(err, errlen, "out of memory solving the call graph");
    goto out;
  }
  mres = malloc((g->nodes.n + 1) * sizeof *mres);
  if (!mres || mg_solve(mg, g, go, mres) < 0) {
    snprintf(err, errlen, "out of memory in the stage-3 (migrate) analysis");
    goto out;
  }
  pdb_expect_gen(store, gen);
  rc = rs_store_all(store, g, res, mres, key);
  pdb_expect_gen(store, -1);
  if (rc < 0 && pdb_facts_changed(store)) {
    rc = 1;
  } else if (rc < 0) {
    snprintf(err, errlen, "%s", pdb_error(store));
  } else {
    st->functions = (long)g->nodes.n;
    st->solved = 1;
  }
out:
  free(res);
  free(mres);
  mg_destroy(mg);
  gr_destroy(g);
  return rc;
}

/* Decides which entries need parsing; fills ids for the reusable ones. */
static int dr_plan(const cdb *db, pdb *store, int64_t *ids, size_t *todo, size_t *ntodo, dr_stats *st) {
  hs_cache cache = {0};
  int rc = 0;
  *ntodo = 0;
  for (size_t i = 0; rc == 0 && i < db->n; i++) {
    if (cdb_entry_lang(&db->v[i]) != CDB_LANG_C) continue;
    char fh[DR_FLAGS_HASH_LEN];
    dr_flags_hash(&db->v[i], fh);
    int64_t id = pdb_tu_lookup(store, db->v[i].file, fh);
    int fresh = id > 0 ? dr_tu_fresh(store, id, &cache) : 0;
    if (id < 0 || fresh < 0) {
      rc = -1;
    } else if (fresh) {
      ids[i] = id;
      st->cached++;
    } else {
      todo[(*ntodo)++] = i;
    }
  }
  hs_cache_free(&cache);
  return rc;
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

/* The programs of db's C entries (programs.h), keyed by their facts' cache keys. */
static int dr_programs(const cdb *db, const cf_config *c, pg_map **out, char *err, size_t errlen) {
  char(*fh)[DR_FLAGS_HASH_LEN] = calloc(db->n + 1, sizeof *fh);
  const char **keys = calloc(db->n + 1, sizeof *keys);
  int rc = fh && keys ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < db->n; i++) {
    dr_flags_hash(&db->v[i], fh[i]);
    keys[i] = fh[i];
  }
  if (rc == 0) rc = pg_build(db, keys, c, out, err, errlen);
  else snprintf(err, errlen, "out of memory");
  free(fh);
  free(keys);
  return rc;
}

/* The graph's options under configuration c with model m. */
static gr_opts dr_gr_opts(const cf_config *c, const md_model *m) {
  gr_opts go = {m,
                c->errno_ignore,
                c->externals,
                c->open_world,
                c->indirect,
                c->trust_weak,
                c->trust_interposable,
                c->panic_functions.v,
                c->panic_functions.n,
                c->internal.v,
                c->internal.n,
                c->transparent.v,
                c->transparent.n};
  return go;
}

/* Solves unless the stored results were computed from the same facts,
 * tool version, configuration and models.  When another run stores newer
 * facts while this one solves, its results are not stored: they are
 * solved again from the newer facts (or taken over when the other run
 * stored results for the same key). */
static int dr_results(const dr_opts *o, const cdb *db, pdb *store, dr_stats *st, char *err, size_t errlen) {
  cf_config defaults;
  cf_init(&defaults);
  const cf_config *c = o->config ? o->config : &defaults;
  md_model *m = dr_model(c, err, errlen);
  if (!m) return -1;
  pg_map *programs = NULL;
  if (dr_programs(db, c, &programs, err, errlen) < 0) {
    md_destroy(m);
    cf_free(&defaults);
    return -1;
  }
  char key[160];
  snprintf(key, sizeof key, "fnprop " FNPROP_VERSION "/" FNPROP_BUILD_ID " %016llx %016llx",
           (unsigned long long)cf_hash(c), (unsigned long long)md_hash(m));
  if (programs) { /* one program: the key (and every result) as before */
    size_t k = strlen(key);
    snprintf(key + k, sizeof key - k, " programs %016llx", (unsigned long long)pg_hash(programs));
  }
  gr_opts go = dr_gr_opts(c, m);
  /* Other runs storing facts (a cold run of several processes) make a
   * solve go stale again and again until they are done: back off and try
   * again, for as long as this run would wait for a lock. */
  int rc = 1, pause_ms = 10;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  int64_t deadline =
      dr_ns(t) + (int64_t)(pdb_lock_timeout_ms(store) > 1000 ? pdb_lock_timeout_ms(store) : 1000) * 1000000;
  for (int attempt = 0; rc == 1; attempt++) {
    int cur = pdb_results_current(store, key);
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (cur < 0) {
      snprintf(err, errlen, "%s", pdb_error(store));
      rc = -1;
    } else if (cur) {
      rc = 0;
    } else if (attempt > 0 && dr_ns(t) > deadline) {
      snprintf(err, errlen,
               "the facts in the database kept changing while solving (other fnprop runs store "
               "theirs); try again or raise --lock-timeout");
      rc = -1;
    } else {
      if (attempt > 0) {
        usleep((useconds_t)pause_ms * 1000);
        pause_ms = pause_ms < 400 ? pause_ms * 2 : 500;
      }
      rc = dr_solve_once(store, &go, programs, key, st, err, errlen);
    }
  }
  pg_free(programs);
  md_destroy(m);
  cf_free(&defaults);
  return rc;
}

int dr_update(const dr_opts *o, const cdb *db, pdb *store, dr_stats *st, char *err, size_t errlen) {
  memset(st, 0, sizeof *st);
  int64_t *ids = calloc(db->n + 1, sizeof *ids);
  size_t *todo = calloc(db->n + 1, sizeof *todo), ntodo = 0, nids = 0;
  int rc = 0;
  if (!ids || !todo) {
    snprintf(err, errlen, "out of memory");
    rc = -1;
  } else if (dr_plan(db, store, ids, todo, &ntodo, st) < 0) {
    snprintf(err, errlen, "%s", pdb_error(store)[0] ? pdb_error(store) : "out of memory checking the cache");
    rc = -1;
  }
  if (rc == 0) rc = dr_extract(o, db, todo, ntodo, store, st, ids, err, errlen);
  if (rc == 0) {
    for (size_t i = 0; i < db->n; i++)
      if (ids[i] > 0) ids[nids++] = ids[i];
    qsort(ids, nids, sizeof *ids, dr_cmp_id);
    if (pdb_prune_tus(store, ids, nids) < 0) {
      snprintf(err, errlen, "%s", pdb_error(store));
      rc = -1;
    }
  }
  free(ids);
  free(todo);
  if (rc < 0) return rc;
  return dr_results(o, db, store, st, err, errlen);
}

int dr_graph(const dr_opts *o, pdb *store, gr_graph **g, md_model **model, char *err, size_t errlen) {
  cf_config defaults;
  cf_init(&defaults);
  const cf_config *c = o->config ? o->config : &defaults;
  *model = dr_model(c, err, errlen);
  gr_opts go = dr_gr_opts(c, *model);
  *g = *model ? dr_build(store, &go, NULL, NULL, NULL, err, errlen) : NULL; /* stage dumps: one program */
  cf_free(&defaults);
  return *g ? 0 : -1;
}

/* ---- inputs hash ---------------------------------------------------------- */
typedef struct dr_hash {
  ut_sha256 s;
} dr_hash;

static int dr_hash_input(void *arg, const pdb_input *in) {
  dr_hash *d = arg;
  unsigned char h[UT_SHA256_LEN];
  dr_sha_str(&d->s, in->path);
  if (ut_sha256_file(in->path, h) < 0) dr_sha_str(&d->s, "<missing>");
  else ut_sha256_update(&d->s, h, sizeof h);
  return 0;
}

int dr_inputs_hash(pdb *store, const cdb *db, char out[DR_INPUTS_HASH_LEN], char *err, size_t errlen) {
  dr_hash *d = malloc(sizeof *d);
  hs_cache cache = {0};
  if (!d) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  ut_sha256_init(&d->s);
  dr_sha_str(&d->s, "fnprop " FNPROP_VERSION);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < db->n; i++) {
    const cdb_entry *e = &db->v[i];
    if (cdb_entry_lang(e) != CDB_LANG_C) continue;
    char fh[DR_FLAGS_HASH_LEN];
    dr_flags_hash(e, fh);
    dr_sha_str(&d->s, e->file);
    dr_sha_str(&d->s, fh);
    int64_t id = pdb_tu_lookup(store, e->file, fh);
    if (id < 0) {
      rc = -1;
      break;
    }
    if (id == 0) { /* flags or file not analyzed as they are now */
      pdb_input main = {e->file, 0, 0, 0, 0, {0}};
      dr_sha_str(&d->s, "<not analyzed>");
      dr_hash_input(d, &main);
      continue;
    }
    int complete;
    if (pdb_tu_inputs(store, id, &complete, dr_hash_input, d) < 0) {
      rc = -1;
      break;
    }
    ft_tu *scratch = ft_tu_create("", "");
    int lk = scratch ? fs_tu_lookups(store, id, scratch) : -1, refresh = 0;
    int same = lk > 0 ? hs_check(&cache, &scratch->lookups, &scratch->arena, &refresh) : 0;
    if (lk < 0 || same < 0) rc = -1;
    dr_sha_str(&d->s, same > 0 ? "<lookups unchanged>" : "<lookups changed>");
    if (lk > 0) hs_digest(&scratch->lookups, &d->s);
    ft_tu_destroy(scratch);
  }
  /* the build's link steps decide which functions link together (programs.h) */
  ut_buf links = {0};
  ut_buf_printf(&links, "%s/link_commands.json", db->dir);
  if (rc == 0 && !links.failed && access(links.s, F_OK) == 0) {
    pdb_input in = {links.s, 0, 0, 0, 0, {0}};
    dr_hash_input(d, &in);
  }
  ut_buf_free(&links);
  if (rc < 0) {
    snprintf(err, errlen, "%s", pdb_error(store)[0] ? pdb_error(store) : "out of memory hashing the inputs");
  } else {
    unsigned char h[UT_SHA256_LEN];
    ut_sha256_final(&d->s, h);
    ut_sha256_hex(h, out);
  }
  hs_cache_free(&cache);
  free(d);
  return rc;
}
