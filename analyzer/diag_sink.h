/* SPDX-License-Identifier: MIT */
/*
 * diag_sink.h - where checks put their findings (prefix dg_).
 *
 * A producer calls dg_report() for each finding (it returns NULL when the
 * check is disabled, so producers need not test), then dg_add_note() and
 * dg_add_fix() on the returned diagnostic.  The sink owns every string of
 * every diagnostic in one arena; a failed allocation is remembered (the
 * sticky `failed`) and checked once by the pipeline.
 */
#ifndef FNPROP_DIAG_SINK_H
#define FNPROP_DIAG_SINK_H

#include "diag_opts.h"

struct dg_srcs;

typedef struct dg_sink dg_sink;

/* A source position; file is a path as the database stores it, line and col
 * 1-based (0 = unknown); tok, when set, is the token expected there (the
 * caret line underlines it when the source agrees). */
typedef struct dg_loc {
  const char *file;
  int line, col;
  const char *tok;
} dg_loc;

typedef struct dg_note {
  dg_loc at;
  const char *msg;
} dg_note;

/* A replacement in clang-tidy's sense: bytes [offset, offset+length) of
 * file become text. */
typedef struct dg_fix {
  const char *file;
  long offset, length;
  const char *text;
} dg_fix;

typedef struct dg_diag {
  dg_check_id check;
  dg_level level;           /* effective (after --warnings-as-errors) */
  int promoted;
  dg_loc at;
  const char *msg;
  const char *func;         /* function it is about, or NULL */
  const char *unit;         /* TU main file for parse errors, or NULL */
  const char *decl;         /* the header declaring the function's contract, or NULL */
  uint64_t fp;              /* SARIF fingerprint (dg_fingerprint) and its ordinal */
  int fp_n;                 /* among equal ones, 1-based; 0 until the pipeline sets both */
  struct {
    dg_note *v;
    size_t n, cap;
  } notes;
  struct {
    dg_fix *v;
    size_t n, cap;
  } fixes;
} dg_diag;

/* Reports a finding of check c at `at` about function `func` (may be NULL);
 * strings are copied.  Returns the diagnostic, valid until the next
 * dg_report, or NULL when c is disabled or memory ran out (the sink
 * remembers the failure). */
dg_diag *dg_report(dg_sink *s, dg_check_id c, dg_loc at, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Adds a note to d (NULL d is ignored).  Returns 0 or -1. */
int dg_add_note(dg_sink *s, dg_diag *d, dg_loc at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Adds a replacement to d.  Returns 0 or -1. */
int dg_add_fix(dg_sink *s, dg_diag *d, const char *file, long offset, long length, const char *text);

/* ---- the sink itself (the pipeline's side) ---------------------------------- */
struct dg_sink {
  const dg_opts *opts;
  struct dg_srcs *srcs;  /* source cache shared with the writers */
  struct {
    dg_diag *v;
    size_t n, cap;
  } diags;
  ut_arena arena;        /* every string of every diagnostic */
  int failed;            /* sticky: memory ran out */
};

dg_sink *dg_sink_create(const dg_opts *o, struct dg_srcs *srcs);
void dg_sink_destroy(dg_sink *s);
/* Copies s into the sink's arena ("" for NULL). */
const char *dg_sink_str(dg_sink *s, const char *str);

#endif /* FNPROP_DIAG_SINK_H */
