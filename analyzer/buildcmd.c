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
  if (!out || optind != argc - 1) return bc_usage("usage: fnprop extract -p BUILD_DIR [--deps=FILE.d] -o OUT.facts SOURCE");
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
    ft_tu *tu = fe_parse(fe, &db->v[i]);
    char fh[17];
    dr_flags_hash(&db->v[i], fh);
    if (!tu || tu->failed || fs_store_tu(facts, tu, fh) < 0) {
      fprintf(stderr, "fnprop: error: cannot extract '%s': %s\n", src, tu && !tu->failed ? pdb_error(facts) : "out of memory");
      status = BC_USAGE;
    }
    if (tu) tus[ntus++] = tu;
  }
  if (status == BC_OK && ntus == 0) {
    fprintf(stderr, "fnprop: error: '%s' is not in the compile database '%s/compile_commands.json'\n", src, db->dir);
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
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {NULL, 0, NULL, 0}};
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
  pdb *store = pdb_open(dbpath ? dbpath : def, 0, err, sizeof err);
  int status = store ? BC_OK : BC_USAGE;
  if (!store) fprintf(stderr, "fnprop: error: %s\n", err);
  bc_merge m = {store, 0};
  for (int i = optind; status == BC_OK && i < argc; i++) {
    pdb *facts = pdb_open(argv[i], 1, err, sizeof err);
    if (!facts || fs_each_tu_keyed(facts, 1, bc_copy_tu, &m) < 0) {
      fprintf(stderr, "fnprop: error: cannot merge '%s': %s\n", argv[i], facts ? pdb_error(store) : err);
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
