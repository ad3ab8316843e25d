/* SPDX-License-Identifier: MIT */
/*
 * dump.h - the per-stage dumps behind --dump=facts|graph|sccs (prefix du_;
 * --dump=verdicts is the report's rp_dump_verdicts).
 *
 * Each dump is a golden-test oracle: one line per record, paths below cwd
 * relative, and every block sorted by its text (digit runs compared as
 * numbers, bytes otherwise as in the C locale), so the output
 * depends only on what the stage computed, never on TU order, -j, hash
 * tables or where the tree lives.  Formats (LOC is FILE:LINE:COL):
 *
 *   facts   tu FILE [incomplete] [pic] [no-field-facts]
 *             func LOC NAME usr=.. [key=..] linkage [body] [noreturn] [weak]
 *                  [system] [visible] type='..' [annots=..] [spawn=N] [header=LOC]
 *             call LOC CALLER -> CALLEE [status0]
 *             icall LOC CALLER type='..' slot=KIND:'..' [contract=..] [outside] [argument N of F]
 *             addr LOC FUNC in=F|- dest=KIND:'..' [cast='..'] [contract=..] [argument N of F]
 *             effect LOC FUNC KIND '..' [annots=..] [decl=LOC]
 *             diag LOC MESSAGE
 *             flow LOC kind=K cond=C bits=B key='..' [src='..'] [func=F arg=N]
 *             polluted KEY
 *             dropped FLAG
 *             input FILE
 *   graph   node LOC NAME usr=.. [key=..] linkage [body] ... tls=REASON panic=REASON
 *                [ignored=..] [unseen=N('..' at LOC)]
 *           edge LOC CALLER -> CALLEE HOW [through=F] props=tls+panic
 *           resolution LOC CALLER type='..' mode=MODE candidates=N [trusted=..]
 *   sccs    sccs: N components, M recursive
 *           scc SIZE: LOC NAME, LOC NAME, ...   (each recursive component)
 *
 * A REASON is `none`, or `KIND('DETAIL' at LOC)` with ` [ORIGIN]` for a
 * bodiless function's model entry or annotation.  A header function's
 * variant key prints as `PATH#variant` (its hash covers absolute paths).
 */
#ifndef FNPROP_DUMP_H
#define FNPROP_DUMP_H

#include <stdio.h>

#include "graph.h"
#include "pdb.h"

/* The stored facts of every TU.  Returns 0, -1 on a database error
 * (pdb_error), -2 when out of memory or the output fails. */
int du_facts(FILE *out, pdb *db, const char *cwd);
/* The finished graph: nodes with their base reasons, edges, resolutions. */
int du_graph(FILE *out, const gr_graph *g, const char *cwd);
/* The graph's strongly connected components over all its edges. */
int du_sccs(FILE *out, const gr_graph *g, const char *cwd);

#endif /* FNPROP_DUMP_H */
