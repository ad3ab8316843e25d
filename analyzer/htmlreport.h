/* SPDX-License-Identifier: MIT */
/*
 * htmlreport.h - `fnprop report --html DIR`: a static set of pages, in the
 * manner of scan-build and CodeChecker (prefix hr_).
 *
 *   DIR/index.html      summary and every finding, sortable by check, file,
 *                       severity and function (index.html#sort=check)
 *   DIR/functions.html  every defined function with its two verdicts
 *   DIR/fn/ID.html      one function: verdicts, each witness path step by
 *                       step with source excerpts, the path as a call-graph
 *                       picture (SVG drawn by Graphviz dot), its findings
 *   DIR/src/K.html      a source file, each line an anchor (#L12)
 *
 * Key invariants: every byte of a name, path, message or source line is
 * escaped before it reaches a page (they are hostile input); URLs hold only
 * numbers (function ids, file indexes), never a name; the pages load
 * nothing from the network (no CDN, no fonts, the styles and the sorting
 * script inline); the output is a function of the database and the
 * findings, sorted by stable keys.  Without dot the pictures are left out
 * and each page says why.  Everything is read from the database: the
 * report is the same whether results were just computed or cached.
 */
#ifndef FNPROP_HTMLREPORT_H
#define FNPROP_HTMLREPORT_H

#include "diag_sink.h"
#include "pdb.h"

typedef struct hr_opts {
  const char *dir;      /* output directory (created) */
  const char *dot;      /* Graphviz dot: a path or a name on PATH; NULL: none */
  const char *cwd;      /* paths below it are shown relative; may be NULL */
  const char *title;    /* page titles: the project, e.g. the build directory */
} hr_opts;

typedef struct hr_report hr_report;

hr_report *hr_create(pdb *db, const hr_opts *o);
void hr_destroy(hr_report *r);
/* Adds one finding (copied) as the diagnostics pipeline reports it. */
int hr_add_finding(hr_report *r, const dg_diag *d);
/* Writes every page.  Returns 0; -1 on a database error (pdb_error); -2
 * with a message in err (an unwritable directory, out of memory).  *drawn
 * is set to 1 when dot drew the pictures, 0 when it was missing or failed
 * (why in `why`). */
int hr_write(hr_report *r, int *drawn, char *why, size_t whylen, char *err, size_t errlen);

#endif /* FNPROP_HTMLREPORT_H */
