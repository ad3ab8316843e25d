/* SPDX-License-Identifier: MIT */
/*
 * diag.h - clang-tidy-compatible diagnostics (prefix dg_).
 *
 * Turns the solved properties database into the findings users read: checks
 * produce diagnostics into a sink (primary location, message, witness notes,
 * fix-its), then one filter pipeline applies what clang-tidy users expect —
 * `--checks` globs, file arguments, `--header-filter`, NOLINT comments,
 * `--warnings-as-errors` — and one writer prints them as clang text, JSON or
 * SARIF 2.1.0 and optionally as clang-tidy's export-fixes YAML.
 *
 * Invariant: everything printed is sorted by (file, line, column, check,
 * message) and deduplicated, so output is independent of `-j`, of database
 * order and of whether results came from the cache.  Nothing here exits or
 * writes outside the streams and the export file it is given.
 *
 * The wing, one header per piece, each including only those before it:
 *   diag_opts.h    the check table (diag_checks.def) and the options
 *   diag_sink.h    findings as producers report them
 *   diag_src.h     source files, line tables, the header prototype lexer
 *   diag_nolint.h  NOLINT comments
 *   diag_emit.h    clang text, JSON, SARIF and export-fixes writers
 *   diag_witness.h witness paths worded as messages and notes
 *   diag_checks.h  the producers
 *   diag.h         the pipeline (this header)
 * Adding a check is one row in diag_checks.def (plus its producer in
 * diag_checks.c unless an existing one reports it).
 */
#ifndef FNPROP_DIAG_H
#define FNPROP_DIAG_H

#include <stdio.h>

#include "diag_opts.h"
#include "diag_sink.h"
#include "pdb.h"

/* ---- running -------------------------------------------------------------- */
typedef struct dg_result {
  long errors;       /* printed errors, promoted warnings included */
  long warnings;     /* printed warnings and suggestions (promoted ones too) */
  long promoted;     /* warnings turned into errors */
  long nolint;       /* suppressed by NOLINT comments */
  long non_user;     /* suppressed by --header-filter */
  long baseline;     /* suppressed by --baseline */
} dg_result;

/* Runs every enabled check over the solved database, filters, prints the
 * diagnostics on out in o->format, the counts on err unless o->quiet, and
 * writes o->export_fixes.  Returns 0; -1 on a database error (pdb_error);
 * -2 on an output or memory error with a message in errbuf. */
int dg_run(pdb *db, const dg_opts *o, FILE *out, FILE *err, dg_result *res, char *errbuf, size_t errlen);

/* The same pipeline without printing: fn gets every finding dg_run would
 * print, in its order (strings valid during the call; nonzero stops with
 * -2).  Returns as dg_run. */
int dg_each(pdb *db, const dg_opts *o, int (*fn)(void *arg, const dg_diag *d), void *arg, dg_result *res, char *eb,
            size_t en);

/* The parse errors alone, as the commands other than check print them on
 * stderr: clang text without source lines, paths below cwd (may be NULL)
 * relative.  Returns how many were printed; -1 on a database error
 * (pdb_error); -2 on an output or memory error with a message in errbuf. */
int dg_parse_errors(pdb *db, FILE *out, const char *cwd, char *errbuf, size_t errlen);

#endif /* FNPROP_DIAG_H */
