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
 * Adding a check: one enumerator in dg_check_id, one row in dg_checks
 * (diag.c: name, level, flags, summary, description, help) and, unless an
 * existing producer emits it, one producer function appended to the list in
 * diag_checks.c.  A producer calls dg_report() for each finding (it returns
 * NULL when the check is disabled, so producers need not test), then
 * dg_add_note()/dg_witness_notes()/dg_add_fix() on the returned diagnostic.
 */
#ifndef FNPROP_DIAG_H
#define FNPROP_DIAG_H

#include <stdint.h>
#include <stdio.h>

#include "pdb.h"
#include "util.h"

/* ---- the checks ----------------------------------------------------------- */
typedef enum dg_check_id {
  DG_NOTLS_VIOLATION,
  DG_NOPANIC_VIOLATION,
  DG_NOTLS_UNPROVEN,
  DG_NOPANIC_UNPROVEN,
  DG_CONTRACT_POINTER,
  DG_TASK_PINNED,
  DG_MISSING_ANNOTATION,
  DG_PARSE_ERROR,
  DG_NOLINT,
  DG_NCHECKS
} dg_check_id;

/* Severity; the order is the promotion order. */
typedef enum dg_level {
  DG_SUGGESTION = 0,  /* printed as `warning:` in clang format, SARIF "note" */
  DG_WARNING = 1,
  DG_ERROR = 2
} dg_level;

enum {
  DG_ON = 1u << 0,     /* enabled unless --checks disables it */
  DG_ALWAYS = 1u << 1  /* like clang's own errors: ignores --checks, NOLINT
                          and --header-filter (file arguments still apply) */
};

typedef struct dg_check {
  const char *name;         /* "fnprop-notls-violation" */
  dg_level level;           /* default severity */
  unsigned flags;           /* DG_ON, DG_ALWAYS */
  const char *summary;      /* one line (SARIF shortDescription) */
  const char *description;  /* what it finds (SARIF fullDescription) */
  const char *help;         /* how to fix or suppress it (SARIF help) */
} dg_check;

extern const dg_check dg_checks[DG_NCHECKS];
/* "error", "warning", "note" (SARIF level names). */
const char *dg_level_name(dg_level l);

/* ---- options -------------------------------------------------------------- */
typedef enum dg_format { DG_FMT_CLANG, DG_FMT_JSON, DG_FMT_SARIF } dg_format;

/* Filled by the configuration file first and the command line second, both
 * through dg_opts_set, so the same keys mean the same thing in both and the
 * command line wins: glob lists are appended (the later glob wins, as in
 * clang-tidy), everything else is replaced.  Owns its strings. */
typedef struct dg_opts {
  ut_buf checks;             /* comma-separated globs, in arrival order */
  ut_buf warnings_as_errors; /* comma-separated globs */
  char *header_filter;       /* NULL: report every header; "": none */
  dg_format format;
  int color;                 /* -1 when stdout is a terminal, 0 never, 1 always */
  int quiet;                 /* no counts on stderr */
  char *export_fixes;        /* YAML output path or NULL */
  char *build_dir;           /* BuildDirectory of exported fixes */
  struct { char **v; size_t n, cap; } files; /* real paths; empty = all */
  unsigned given;            /* keys set by dg_opts_set (bit per key) */
} dg_opts;

void dg_opts_init(dg_opts *o);
void dg_opts_free(dg_opts *o);
/* Sets one key: "checks" (Checks), "warnings-as-errors" (WarningsAsErrors),
 * "header-filter" (HeaderFilterRegex), "format", "color" (always, never,
 * auto), "quiet" (true/false, 1/0), "export-fixes", "build-dir".  Returns 0,
 * or -1 with a message naming the key and the accepted values in err. */
int dg_opts_set(dg_opts *o, const char *key, const char *value, char *err, size_t errlen);
/* The same key from a source of lower priority read after the command line
 * (a configuration file): a glob list is put before the globs already
 * given, so those still win; any other key is set only when dg_opts_set
 * has not set it. */
int dg_opts_set_base(dg_opts *o, const char *key, const char *value, char *err, size_t errlen);
/* Restricts reporting to `path` (compared by real path).  Returns 0, or -1
 * with a message in err when the file does not exist. */
int dg_opts_add_file(dg_opts *o, const char *path, char *err, size_t errlen);
/* Is check c enabled under o (DG_ALWAYS checks always are)? */
int dg_enabled(const dg_opts *o, dg_check_id c);
/* One `name  level  on|off  summary` line per check (for --list-checks). */
void dg_list_checks(const dg_opts *o, FILE *out);

/* ---- running -------------------------------------------------------------- */
typedef struct dg_result {
  long errors;       /* printed errors, promoted warnings included */
  long warnings;     /* printed warnings and suggestions (promoted ones too) */
  long promoted;     /* warnings turned into errors */
  long nolint;       /* suppressed by NOLINT comments */
  long non_user;     /* suppressed by --header-filter */
} dg_result;

/* Runs every enabled check over the solved database, filters, prints the
 * diagnostics on out in o->format, the counts on err unless o->quiet, and
 * writes o->export_fixes.  Returns 0; -1 on a database error (pdb_error);
 * -2 on an output or memory error with a message in errbuf. */
int dg_run(pdb *db, const dg_opts *o, FILE *out, FILE *err, dg_result *res, char *errbuf, size_t errlen);

/* The parse errors alone, as the commands other than check print them on
 * stderr: clang text without source lines, paths below cwd (may be NULL)
 * relative.  Returns how many were printed; -1 on a database error
 * (pdb_error); -2 on an output or memory error with a message in errbuf. */
int dg_parse_errors(pdb *db, FILE *out, const char *cwd, char *errbuf, size_t errlen);

/* ---- writing a check ------------------------------------------------------ */
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
  struct { dg_note *v; size_t n, cap; } notes;
  struct { dg_fix *v; size_t n, cap; } fixes;
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

#endif /* FNPROP_DIAG_H */
