/* SPDX-License-Identifier: MIT */
/*
 * driver.h - brings the properties database up to date (prefix dr_).
 *
 * The pipeline in one call: find which TUs changed since their facts were
 * stored (checksums, inputs' stat fields then SHA-256, and what header
 * search looked for), parse those (in parallel workers on big stacks, one
 * libclang index each), store each TU's facts as it arrives (a single
 * writer), drop TUs that left the database, and unless nothing changed,
 * fold every stored TU into the whole-program graph, solve and store the
 * verdicts -- only if the facts are still the ones solved (another run may
 * have stored newer ones meanwhile; then it solves again).
 */
#ifndef FNPROP_DRIVER_H
#define FNPROP_DRIVER_H

#include "compdb.h"
#include "config.h"
#include "frontend.h"
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

/* Returns 0 on success, -1 with a message in err on failure.  Entries of
 * other languages (cdb_entry_lang() != CDB_LANG_C) are left out. */
int dr_update(const dr_opts *o, const cdb *db, pdb *store, dr_stats *st, char *err, size_t errlen);

/* The finished whole-program graph of the stored facts under o's
 * configuration, as dr_update solves it (for --dump=graph and --dump=sccs),
 * and the model it was built with: the graph borrows the model's strings,
 * so the caller destroys the graph (gr_destroy), then the model
 * (md_destroy).  Returns 0, or -1 with a message in err (both may be set). */
int dr_graph(const dr_opts *o, pdb *store, gr_graph **g, md_model **model, char *err, size_t errlen);

/* The cache key of an entry's facts: SHA-256 of its flags, directory, the
 * parse-relevant environment and the tool and libclang versions, as hex
 * into out (DR_FLAGS_HASH_LEN bytes). */
#define DR_FLAGS_HASH_LEN 65
void dr_flags_hash(const cdb_entry *e, char out[DR_FLAGS_HASH_LEN]);

/* Hash of the analysis inputs as they are now: the tool version and, for
 * every C entry of the *current* compile database, its flags, the content
 * of every file its stored TU read and whether header search would still
 * find the same files (an entry without stored facts counts as changed),
 * and link_commands.json when the build has one (programs.h).
 * SHA-256 as hex into out (DR_INPUTS_HASH_LEN bytes).  Returns 0, or -1
 * with a message in err. */
#define DR_INPUTS_HASH_LEN 65
int dr_inputs_hash(pdb *store, const cdb *db, char out[DR_INPUTS_HASH_LEN], char *err, size_t errlen);

/* Parses one entry on a thread with the driver's big stack (what
 * `fnprop extract` uses); NULL when out of memory. */
ft_tu *dr_parse_one(fe_ctx *fe, const cdb_entry *e);

/* The main file the calling thread is parsing or walking, or NULL (for a
 * message when libclang aborts the process: async-signal-safe). */
const char *dr_current_file(void);

#endif /* FNPROP_DRIVER_H */
