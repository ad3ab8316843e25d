/* SPDX-License-Identifier: MIT */
/*
 * buildcmd.c - extract one TU into a facts file; merge facts files.
 *
 * A facts file is written under a temporary name and renamed into place,
 * so an interrupted extraction never leaves a half-written file that a
 * later merge would trust.  Parse errors are not a failure of `extract`
 * (the facts record the incomplete parse and the final check reports it);
 * only usage and input errors are (exit 2).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildcmd.h"
#include "compdb.h"
#include "config.h"
#include "driver.h"
#include "factstore.h"
#include "frontend.h"
#include "pdb.h"
#include "report.h"

enum { BC_OK = 0, BC_FINDINGS = 1, BC_USAGE = 2 };

/* Make-style escaping of a path in a dependency file. */
static void bc_dep_path(FILE *f, const char *p) {
  for (; *p; p++) {
    if (*p == ' ' || *p == '#') fputc('\\', f);
    if (*p == '$') fputc('$', f);
    fputc(*p, f);
  }
}

static int bc_write_deps(const char *path, const char *target, ft_tu *const *tus, size_t n) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  bc_dep_path(f, target);
  fputc(':', f);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < tus[i]->inputs.n; k++) {
      fputs(" \\\n  ", f);
      bc_dep_path(f, tus[i]->inputs.v[k].path);
    }
  fputc('\n', f);
  return fclose(f) == 0 ? 0 : -1;
}

/* Same file (after resolving symlinks)?  Missing files are nobody's. */
static int bc_same(const char *a, const char *b) {
  char *x = realpath(a, NULL), *y = x ? realpath(b, NULL) : NULL;
  int same = x && y && strcmp(x, y) == 0;
  free(x);
  free(y);
  return same;
}

/* May extract write `path` (its -o or --deps)?  Never over an input of the
 * analysis (the compile database, a source, a header the TUs read), and
 * never over an existing file that is not its own: for -o an fnprop facts
 * database, for --deps a dependency file whose target is `out`. */
static int bc_may_write(const char *path, int deps, const char *out, const cdb *db, ft_tu *const *tus, size_t n,
                        char *err, size_t errlen) {
  int input = cdb_is_input(db, path);
  for (size_t i = 0; !input && i < n; i++)
    for (size_t k = 0; !input && k < tus[i]->inputs.n; k++) input = bc_same(path, tus[i]->inputs.v[k].path);
  if (input) {
    snprintf(err, errlen, "'%s' is an input of the analysis; fnprop will not write over it: choose another %s", path,
             deps ? "--deps file" : "-o file");
    return -1;
  }
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  int ours = S_ISREG(st.st_mode) && st.st_size == 0;
  if (!ours && S_ISREG(st.st_mode) && !deps) {
    char e2[256];
    pdb *old = pdb_open(path, 1, e2, sizeof e2);
    ours = old != NULL;
    pdb_close(old);
  } else if (!ours && S_ISREG(st.st_mode)) {
    FILE *f = fopen(path, "r");
    char head[4096] = "";
    size_t got = f ? fread(head, 1, sizeof head - 1, f) : 0;
    if (f) fclose(f);
    head[got] = '\0';
    ut_buf esc = {0}; /* the target as bc_dep_path writes it */
    for (const char *p = out; *p; p++) {
      if (*p == ' ' || *p == '#') ut_buf_add(&esc, "\\", 1);
      if (*p == '$') ut_buf_add(&esc, "$", 1);
      ut_buf_add(&esc, p, 1);
    }
    ours = esc.s && got > esc.n && strncmp(head, esc.s, esc.n) == 0 && head[esc.n] == ':';
    ut_buf_free(&esc);
  }
  if (!ours)
    snprintf(err, errlen,
             "'%s' exists and is not %s; fnprop will not write over it: remove it or choose another "
             "file",
             path, deps ? "a dependency file fnprop wrote" : "an fnprop facts file");
  return ours ? 0 : -1;
}

static int bc_usage(const char *msg) {
  fprintf(stderr, "fnprop: error: %s\n", msg);
  return BC_USAGE;
}

int bc_extract_main(int argc, char **argv) {
  static const struct option longopts[] = {{"deps", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
  const char *dir = NULL, *out = NULL, *deps = NULL;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":p:o:", longopts, NULL)) != -1) {
    if (ch == 'p') dir = optarg;
    else if (ch == 'o') out = optarg;
    else if (ch == 'd') deps = optarg;
    else return bc_usage("usage: fnprop extract -p BUILD_DIR [--deps=FILE.d] -o OUT.facts SOURCE");
  }
  if (!out || optind != argc - 1)
    return bc_usage("usage: fnprop extract -p BUILD_DIR [--deps=FILE.d] -o OUT.facts SOURCE");
  char err[1024];
  char *found = dir ? NULL : cdb_find(argv[optind]);
  cdb *db = dir || found ? cdb_load(dir ? dir : found, err, sizeof err) : NULL;
  free(found);
  if (!db) return bc_usage(dir || found ? err : "no compile_commands.json found; pass -p BUILD_DIR");
  char src[PATH_MAX];
  if (!realpath(argv[optind], src)) snprintf(src, sizeof src, "%s", argv[optind]);

  char tmp[PATH_MAX + 16];
  snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
  unlink(tmp);
  pdb *facts = pdb_open(tmp, 0, err, sizeof err);
  fe_ctx *fe = facts ? fe_create() : NULL;
  ft_tu *tus[64];
  size_t ntus = 0;
  int status = facts && fe ? BC_OK : BC_USAGE;
  if (!facts) fprintf(stderr, "fnprop: error: %s\n", err);
  for (size_t i = 0; status == BC_OK && i < db->n; i++) {
    if (strcmp(db->v[i].file, src) != 0) continue;
    if (ntus == 64) break;
    ft_tu *tu = dr_parse_one(fe, &db->v[i]);
    char fh[DR_FLAGS_HASH_LEN];
    dr_flags_hash(&db->v[i], fh);
    if (!tu || tu->failed || fs_store_tu(facts, tu, fh) < 0) {
      fprintf(stderr, "fnprop: error: cannot extract '%s': %s\n", src,
              tu && !tu->failed ? pdb_error(facts) : "out of memory");
      status = BC_USAGE;
    }
    if (tu) tus[ntus++] = tu;
  }
  if (status == BC_OK && ntus == 0) {
    fprintf(stderr, "fnprop: error: '%s' is not in the compile database '%s/compile_commands.json'\n", src, db->dir);
    status = BC_USAGE;
  }
  if (status == BC_OK && (bc_may_write(out, 0, out, db, tus, ntus, err, sizeof err) < 0 ||
                          (deps && bc_may_write(deps, 1, out, db, tus, ntus, err, sizeof err) < 0) ||
                          (deps && (strcmp(deps, out) == 0 || bc_same(deps, out)) &&
                           snprintf(err, sizeof err, "--deps and -o name the same file '%s'", out) > 0))) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    status = BC_USAGE;
  }
  pdb_close(facts);
  if (status == BC_OK && deps && bc_write_deps(deps, out, tus, ntus) < 0) {
    fprintf(stderr, "fnprop: error: cannot write dependency file '%s'\n", deps);
    status = BC_USAGE;
  }
  char side[PATH_MAX + 32];
  for (const char *suffix = "-wal"; suffix; suffix = strcmp(suffix, "-wal") == 0 ? "-shm" : NULL) {
    snprintf(side, sizeof side, "%s%s", tmp, suffix);
    unlink(side);
  }
  if (status == BC_OK && rename(tmp, out) != 0) {
    fprintf(stderr, "fnprop: error: cannot write '%s'\n", out);
    status = BC_USAGE;
  }
  if (status != BC_OK) unlink(tmp);
  for (size_t i = 0; i < ntus; i++) ft_tu_destroy(tus[i]);
  fe_destroy(fe);
  cdb_destroy(db);
  return status;
}

typedef struct bc_merge {
  pdb *store;
  long tus;
} bc_merge;

static int bc_copy_tu(void *arg, const ft_tu *tu, const char *flags_hash) {
  bc_merge *m = arg;
  m->tus++;
  return fs_store_tu(m->store, tu, flags_hash);
}

int bc_merge_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'}, {"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0}};
  const char *dir = NULL, *dbpath = NULL;
  int quiet = 0;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":p:", longopts, NULL)) != -1) {
    if (ch == 'p') dir = optarg;
    else if (ch == 'd') dbpath = optarg;
    else if (ch == 'q') quiet = 1;
    else return bc_usage("usage: fnprop merge -p BUILD_DIR [--db FILE] [--quiet] FACTS...");
  }
  if (!dir) return bc_usage("usage: fnprop merge -p BUILD_DIR [--db FILE] [--quiet] FACTS...");
  char err[1024];
  cdb *db = cdb_load(dir, err, sizeof err);
  if (!db) return bc_usage(err);
  char def[PATH_MAX + 16];
  snprintf(def, sizeof def, "%s/fnprop.db", db->dir);
  const char *target = dbpath ? dbpath : def;
  pdb *store = NULL;
  if (cdb_is_input(db, target))
    snprintf(err, sizeof err,
             "'%.600s' is an input of the analysis, not a database; fnprop will not write over "
             "it: choose another file with --db",
             target);
  else if ((store = pdb_open(target, 0, err, sizeof err)) && pdb_bind_compdb(store, db->dir) < 0) {
    snprintf(err, sizeof err, "%s", pdb_error(store));
    pdb_close(store);
    store = NULL;
  }
  int status = store ? BC_OK : BC_USAGE;
  if (!store) fprintf(stderr, "fnprop: error: %s\n", err);
  bc_merge m = {store, 0};
  for (int i = optind; status == BC_OK && i < argc; i++) {
    pdb *facts = pdb_open(argv[i], 1, err, sizeof err);
    if (!facts || fs_each_tu_keyed(facts, 1, bc_copy_tu, &m) < 0) {
      fprintf(stderr, "fnprop: error: cannot merge '%s': %s\n", argv[i],
              !facts                ? err
              : pdb_error(facts)[0] ? pdb_error(facts)
                                    : pdb_error(store));
      status = BC_USAGE;
    }
    pdb_close(facts);
  }
  cf_config cfg;
  cf_init(&cfg);
  char *cfpath = cf_find(db->dir);
  if (status == BC_OK && cfpath && cf_load(&cfg, cfpath, err, sizeof err) < 0) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    status = BC_USAGE;
  }
  free(cfpath);
  dr_opts o = {1, 0, &cfg};
  dr_stats st;
  if (status == BC_OK && dr_update(&o, db, store, &st, err, sizeof err) < 0) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    status = BC_USAGE;
  }
  if (status == BC_OK && !quiet) {
    fprintf(stderr, "merged %ld facts files (%ld TUs); ", (long)(argc - optind), m.tus);
    rp_summary(store, stderr, st.parsed, st.cached);
  }
  long tus = 0, bad = 0;
  if (status == BC_OK && pdb_tu_counts(store, &tus, &bad) == 0 && bad > 0) status = BC_FINDINGS;
  cf_free(&cfg);
  pdb_close(store);
  cdb_destroy(db);
  return status;
}
