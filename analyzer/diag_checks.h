/* SPDX-License-Identifier: MIT */
/*
 * diag_checks.h - the producers: one function per row group of
 * diag_checks.def, each reading the solved database and reporting its
 * findings into the sink (prefix dg_).  Producers only add to the sink;
 * filtering, ordering and printing happen in diag.c.
 */
#ifndef FNPROP_DIAG_CHECKS_H
#define FNPROP_DIAG_CHECKS_H

#include "diag_sink.h"
#include "diag_src.h"
#include "pdb.h"

/* ---- producers ------------------------------------------- */
typedef struct dg_ctx {
  pdb *db;
  dg_sink *sink;
  dg_srcs *srcs;
} dg_ctx;
/* Runs every producer.  Returns 0 or -1 (database error). */
int dg_produce(dg_ctx *c);
/* Runs the fnprop-parse-error producer alone. */
int dg_produce_parse_errors(dg_ctx *c);

/* ---- contract slots (fnprop-contract-pointer) ---------------------------- */
/* The name of what a USR denotes (its last `@` component) into buf; for a
 * field USR `...@S@job@FI@run` also the record ("struct job") into rec.
 * Returns 1, or 0 (buf and rec "") when the USR holds no identifier. */
int dg_usr_name(const char *usr, char *buf, size_t n, char *rec, size_t recn);
/* Where a stored function goes, worded up to the comma before "but":
 * "stored into field 'run' of 'struct job', which is declared FNPROP_NOTLS",
 * "passed as argument 1 of 'run_job', a parameter declared FNPROP_NOTLS",
 * "returned from 'pick', whose result is declared FNPROP_NOTLS".  callee
 * (may be NULL) and arg (0: unknown) name the call of an FT_SLOT_ARG store;
 * in_name (may be NULL) the function of an FT_SLOT_RETURN. */
void dg_store_place(char *buf, size_t n, int dest_kind, const char *dest, const char *callee, int arg,
                    const char *in_name, const char *contract);
/* The call whose argument starts at (line, col) of s, read from the text:
 * the called name into callee and the 1-based argument number into *arg.
 * Comments, string and character literals and nested brackets are skipped;
 * returns 0 when the text there is not `name(..., <here>` (a cast or a
 * call through a pointer expression, a statement boundary, a keyword). */
int dg_call_of_arg(const dg_src *s, int line, int col, char *callee, size_t n, int *arg);

#endif /* FNPROP_DIAG_CHECKS_H */
