/* SPDX-License-Identifier: MIT */
/*
 * results.h - the solved program as properties-database rows (prefix rs_).
 *
 * The one place that knows both the graph's internals and the database's
 * rows: function identities, linkage and notes, one witness hop per
 * non-proven verdict (with the chain's length and end, from the solver),
 * how each indirect call was resolved, stores into contract slots, what the
 * front end could not see (meta "unseen", "dropped_flags"), and the names
 * tables of the effect kinds and verdicts.  Everything downstream
 * (reports, diagnostics, diff, exports) reads these rows and never the
 * graph.  Function ids are node indices + 1.
 */
#ifndef FNPROP_RESULTS_H
#define FNPROP_RESULTS_H

#include "graph.h"
#include "migrate.h"
#include "pdb.h"
#include "solver.h"

/* Replaces the stored results with those of the finished, solved graph g
 * (res: gr_solve's output) in one transaction; `key` identifies what they
 * were computed from beyond the facts.  Returns 0, or -1 with the message
 * in pdb_error(db). */
int rs_store(pdb *db, const gr_graph *g, const sv_result *res, const char *key);
/* The same, with the stage-3 migrate verdicts (mg_solve's output, one per
 * node; NULL stores none) in the same transaction: the `migrate` table. */
int rs_store_all(pdb *db, const gr_graph *g, const sv_result *res, const mg_result *mres, const char *key);

#endif /* FNPROP_RESULTS_H */
