/* SPDX-License-Identifier: MIT */
/*
 * overlap.c - one analysis run that pauses between solving and storing its
 * results, so a test can let another run store newer facts and results in
 * that window (tests/robust/test_overlap.sh).
 *
 * Linked with -Wl,--wrap=gr_solve: after the real solve, the run creates
 * READY and waits (at most 120 s) until GO exists.  Everything else is the
 * real pipeline (compile database, properties database, parsing, solver).
 *
 *   overlap BUILD_DIR DB READY GO   (exit 0 on success, 2 on an error)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compdb.h"
#include "config.h"
#include "driver.h"
#include "graph.h"
#include "pdb.h"

static const char *ov_ready, *ov_go;
static int ov_paused;

int __real_gr_solve(const gr_graph *g, sv_result *res);
int __wrap_gr_solve(const gr_graph *g, sv_result *res);
int __wrap_gr_solve(const gr_graph *g, sv_result *res) {
  int rc = __real_gr_solve(g, res);
  if (!ov_paused++) { /* only the first solve: a redo must go through */
    FILE *f = fopen(ov_ready, "w");
    if (f) fclose(f);
    for (int i = 0; i < 1200 && access(ov_go, F_OK) != 0; i++) usleep(100000);
  }
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: overlap BUILD_DIR DB READY GO\n");
    return 2;
  }
  ov_ready = argv[3];
  ov_go = argv[4];
  char err[1024];
  cdb *db = cdb_load(argv[1], err, sizeof err);
  pdb *store = db ? pdb_open(argv[2], 0, err, sizeof err) : NULL;
  cf_config cfg;
  cf_init(&cfg);
  cfg.errno_ignore = 1; /* another configuration than the plain runs: a solve is due */
  dr_opts o = {1, 0, &cfg};
  dr_stats st;
  int rc = store && dr_update(&o, db, store, &st, err, sizeof err) == 0 ? 0 : 2;
  if (rc) fprintf(stderr, "overlap: %s\n", err);
  cf_free(&cfg);
  pdb_close(store);
  cdb_destroy(db);
  return rc;
}
