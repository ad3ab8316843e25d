/* SPDX-License-Identifier: MIT */
/*
 * diag_witness.h - witness paths in the words of the diagnostics (prefix
 * dg_): the primary message of a contract finding and its notes, one per
 * hop, which diag_emit.c prints as clang text or a SARIF code flow.  The
 * steps come from the one witness walker (witness.h).
 */
#ifndef FNPROP_DIAG_WITNESS_H
#define FNPROP_DIAG_WITNESS_H

#include "diag_sink.h"
#include "pdb.h"

/* Appends the witness path of property prop (vd_prop) of function func (a
 * pdb id) to d as notes, hop by hop: `'f' calls 'g' here`, ..., ending at
 * the effect (`'h' uses thread-local variable 'x' here`, `'h' calls 'abort'
 * here, which ends the program`).  Returns 0 or -1 on a database error. */
int dg_witness_notes(dg_sink *s, dg_diag *d, pdb *db, int64_t func, int prop);
/* Writes into buf the primary message of a contract finding: "function 'f'
 * is declared FNPROP_NOTLS but uses thread-local variable 'x' through 'g'".
 * `what` is the sentence's subject and verb up to "but" ("function 'f' is
 * declared FNPROP_NOTLS").  Returns 0 or -1 on a database error. */
int dg_witness_message(pdb *db, int64_t func, int prop, const char *what, char *buf, size_t n);
/* The effect of (func, prop) as the end of a sentence about the function:
 * a predicate ("uses thread-local variable 'x' through 'g'") or, when
 * *clause is set, a clause with its own subject ("'f' has no body ...");
 * "" when the walk finds no path.  Returns 0 or -1 on a database error. */
int dg_witness_effect(pdb *db, int64_t func, int prop, char *buf, size_t n, int *clause);

#endif /* FNPROP_DIAG_WITNESS_H */
