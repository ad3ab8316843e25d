/* SPDX-License-Identifier: MIT */
/*
 * driver.h - brings the properties database up to date (prefix dr_).
 *
 * The pipeline in one call: find which TUs changed since their facts were
 * stored (inputs' stat triple, then content hash), parse those (in
 * parallel workers, one libclang index each), store each TU's facts as it
 * arrives (a single writer), drop TUs that left the database, and unless
 * nothing changed, fold every stored TU into the whole-program graph, solve
 * and store the verdicts.
 */
#ifndef FNPROP_DRIVER_H
#define FNPROP_DRIVER_H

#include "compdb.h"
#include "config.h"
#include "graph.h"
#include "pdb.h"

typedef struct dr_opts {
  int jobs;            /* worker threads (>= 1) */
  int progress;        /* print [n/N] file on stderr */
  const cf_config *config;  /* NULL: defaults */
} dr_opts;

typedef struct dr_stats {
  long parsed;         /* TUs parsed in this run */
  long cached;         /* TUs whose stored facts were reused */
  long incomplete;     /* parsed TUs with errors */
  long functions;      /* graph nodes, when solved */
  int solved;          /* 0 when stored results were still current */
} dr_stats;

/* Returns 0 on success, -1 with a message in err on failure. */
int dr_update(const dr_opts *o, const cdb *db, pdb *store, dr_stats *st, char *err, size_t errlen);

/* The finished whole-program graph of the stored facts under o's
 * configuration, as dr_update solves it (for --dump=graph and --dump=sccs),
 * and the model it was built with: the graph borrows the model's strings,
 * so the caller destroys the graph (gr_destroy), then the model
 * (md_destroy).  Returns 0, or -1 with a message in err (both may be set). */
int dr_graph(const dr_opts *o, pdb *store, gr_graph **g, md_model **model, char *err, size_t errlen);

/* The cache key of an entry's facts: its flags, directory and the tool
 * version, as 16 hex digits into out (17 bytes). */
void dr_flags_hash(const cdb_entry *e, char out[17]);

/* Hash of the analysis inputs as they are now on disk: tool version, every
 * stored TU's flags and the content of every file it read.  16 hex digits
 * into out (17 bytes).  Returns 0, or -1 with a message in err. */
int dr_inputs_hash(pdb *store, char out[17], char *err, size_t errlen);

#endif /* FNPROP_DRIVER_H */
