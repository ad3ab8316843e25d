/* SPDX-License-Identifier: MIT */
/*
 * diag_opts.h - the checks and the options that select them (prefix dg_).
 *
 * The check table is diag_checks.def, expanded here into the dg_check_id
 * enum and the dg_checks[] rows.  Options have clang-tidy's semantics:
 * `--checks` globs (the last matching glob wins), `--warnings-as-errors`,
 * `--header-filter`, output format and colour, export-fixes.  The leaf of
 * the diagnostics wing: it includes only util.h.
 */
#ifndef FNPROP_DIAG_OPTS_H
#define FNPROP_DIAG_OPTS_H

#include <stdio.h>

#include "util.h"

/* ---- the checks ----------------------------------------------------------- */
/* DG_NOTLS_VIOLATION, ...: one per row of diag_checks.def, in its order. */
typedef enum dg_check_id {
#define DG_CHECK(id, name, level, flags, producer, summary, description, help) DG_##id,
#include "diag_checks.def"
#undef DG_CHECK
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
  char *baseline;            /* findings listed there are not reported, or NULL */
  char *write_baseline;      /* write every finding there, or NULL */
  struct {
    char **v;
    size_t n, cap;
  } files; /* real paths; empty = all */
  unsigned given;            /* keys set by dg_opts_set (bit per key) */
} dg_opts;

void dg_opts_init(dg_opts *o);
void dg_opts_free(dg_opts *o);
/* Sets one key: "checks" (Checks), "warnings-as-errors" (WarningsAsErrors),
 * "header-filter" (HeaderFilterRegex), "format", "color" (always, never,
 * auto), "quiet" (true/false, 1/0), "export-fixes", "build-dir", "baseline",
 * "write-baseline".  Returns 0,
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
/* 0 when the globs enable at least one check (an always-on check counts
 * only when the globs select it); else -1 with clang-tidy's "no checks
 * enabled" in err, naming each positive glob that matches no check and the
 * nearest check name. */
int dg_opts_require_checks(const dg_opts *o, char *err, size_t errlen);
/* One `name  level  on|off  summary` line per check (for --list-checks). */
void dg_list_checks(const dg_opts *o, FILE *out);

/* ---- globs (clang-tidy GlobList) ----------------------------------------- */
/* Does `name` match `glob` as a whole ('*' is the only wildcard)? */
int dg_glob_match(const char *glob, size_t glob_len, const char *name);
/* Walks the comma- (or newline-) separated list; the last glob matching
 * name decides: 1 for a positive glob, 0 for a `-`negated one; dflt when
 * none matches.  Blanks around globs are ignored. */
int dg_globs_decide(const char *list, const char *name, int dflt);

#endif /* FNPROP_DIAG_OPTS_H */
