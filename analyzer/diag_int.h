/* SPDX-License-Identifier: MIT */
/*
 * diag_int.h - private interfaces between the diag_*.c files (prefix dg_).
 *
 * diag.c owns the sink, the options and the filter pipeline; diag_checks.c
 * the producers; diag_nolint.c NOLINT comments; diag_src.c the source-file
 * cache and the header prototype scanner; diag_emit.c the machine formats
 * and their escaping.  Unit tests include this header; nothing outside the
 * module does.
 */
#ifndef FNPROP_DIAG_INT_H
#define FNPROP_DIAG_INT_H

#include "diag.h"

struct dg_sink {
  const dg_opts *opts;
  struct dg_srcs *srcs;  /* source cache shared with the writers */
  struct { dg_diag *v; size_t n, cap; } diags;
  ut_arena arena;        /* every string of every diagnostic */
  int failed;            /* sticky: memory ran out */
};

dg_sink *dg_sink_create(const dg_opts *o, struct dg_srcs *srcs);
void dg_sink_destroy(dg_sink *s);
/* Copies s into the sink's arena ("" for NULL). */
const char *dg_sink_str(dg_sink *s, const char *str);

/* ---- globs (clang-tidy GlobList) ----------------------------------------- */
/* Does `name` match `glob` as a whole ('*' is the only wildcard)? */
int dg_glob_match(const char *glob, size_t glob_len, const char *name);
/* Walks the comma- (or newline-) separated list; the last glob matching
 * name decides: 1 for a positive glob, 0 for a `-`negated one; dflt when
 * none matches.  Blanks around globs are ignored. */
int dg_globs_decide(const char *list, const char *name, int dflt);

/* ---- source files ---------------------------------------------------------- */
typedef struct dg_src {
  char *path;
  char *text;            /* NUL-terminated; NULL when unreadable */
  size_t len;
  size_t *line_start;    /* offset of line i+1 */
  size_t nlines;
  struct dg_nolint *nolint; /* parsed lazily by diag_nolint.c */
  int nolint_reported;   /* unmatched-comment errors already emitted */
} dg_src;

typedef struct dg_srcs {
  struct { dg_src **v; size_t n, cap; } files; /* each malloc'd: pointers stay valid */
  ut_map index;
  ut_arena keys;
} dg_srcs;

void dg_srcs_free(dg_srcs *c);
/* The cached file at path (read on first use); NULL when it cannot be read.
 * The pointer stays valid until dg_srcs_free. */
dg_src *dg_src_get(dg_srcs *c, const char *path);
/* Line `line` (1-based) without its newline (and without a trailing \r);
 * returns 0, or -1 when out of range. */
int dg_src_line(const dg_src *s, int line, const char **text, size_t *len);
/* Byte offset of (line, col), or -1 when out of range. */
long dg_src_offset(const dg_src *s, int line, int col);
/* Line and column (1-based) of byte offset off. */
void dg_src_pos(const dg_src *s, size_t off, int *line, int *col);
/* Builds a dg_src over an in-memory buffer (for tests); text is copied. */
int dg_src_init_text(dg_src *s, const char *path, const char *text, size_t len);
void dg_src_clear(dg_src *s);

/* ---- NOLINT ------------------------------------------------------------- */
typedef struct dg_nolint dg_nolint;
/* Parses every NOLINT, NOLINTNEXTLINE, NOLINTBEGIN, NOLINTEND of a file, as
 * clang-tidy does: anywhere in the line, an optional `(check,globs)` right
 * after the keyword (none, or a missing `)`, means every check).  NULL when
 * memory runs out. */
dg_nolint *dg_nolint_parse(const dg_src *s);
void dg_nolint_free(dg_nolint *n);
/* Is a diagnostic of `check` at (line, col) suppressed? */
int dg_nolint_suppresses(const dg_nolint *n, int line, int col, const char *check);
/* The i-th unmatched BEGIN or END comment: returns 0 and sets line, col and
 * is_begin; -1 past the end. */
int dg_nolint_unmatched(const dg_nolint *n, size_t i, int *line, int *col, int *is_begin);

/* ---- header prototypes (the fix-it of fnprop-missing-annotation) ---------- */
typedef struct dg_proto {
  const char *name;      /* points into the scanned text; name_len bytes */
  size_t name_len;
  size_t name_off;       /* offset of the name */
  size_t insert_off;     /* end of the declarator: where ` FNPROP_X` goes */
} dg_proto;
/* Calls fn for every file-scope function prototype (not definitions, not
 * typedefs) of a C header, skipping comments, strings and preprocessor
 * lines; `extern "C" {` blocks are transparent.  Returns 0 or fn's nonzero. */
int dg_scan_prototypes(const char *text, size_t len, int (*fn)(void *arg, const dg_proto *p), void *arg);
/* Where `#include <fnprop.h>\n` goes in a header: after the last #include
 * line before offset `before`, else after a leading include guard or
 * `#pragma once`, else at 0.  Sets *present when the header already
 * includes fnprop.h. */
size_t dg_include_offset(const char *text, size_t len, size_t before, int *present);

/* ---- escaping (diag_emit.c) ---------------------------------------------- */
/* A YAML scalar as clang-tidy writes it: single-quoted (with '' for '),
 * double-quoted with escapes when s holds control characters. */
void dg_yaml_str(ut_buf *b, const char *s);
/* A path as an RFC 3986 URI path: every byte outside unreserved and '/'
 * percent-encoded. */
void dg_uri_path(ut_buf *b, const char *path);
/* The SARIF partial fingerprint of d: hash of check, function name and the
 * primary line's text with blanks removed (not the line number). */
uint64_t dg_fingerprint(const dg_diag *d, const dg_src *src);

/* ---- writers (diag_emit.c) ---------------------------------------------- */
typedef struct dg_out {
  const dg_opts *o;
  dg_srcs *srcs;
  const char *cwd;       /* working directory, absolute */
  int color;
  const char *rel;       /* clang text: paths below it printed relative, or NULL */
  int brief;             /* clang text: no source lines under the messages */
} dg_out;
int dg_write_clang(const dg_out *w, const dg_diag *v, size_t n, FILE *out);
int dg_write_json(const dg_out *w, const dg_diag *v, size_t n, FILE *out);
int dg_write_sarif(const dg_out *w, const dg_diag *v, size_t n, FILE *out);
int dg_write_fixes(const dg_out *w, const dg_diag *v, size_t n, FILE *out);

/* ---- producers (diag_checks.c) ------------------------------------------- */
typedef struct dg_ctx {
  pdb *db;
  dg_sink *sink;
  dg_srcs *srcs;
} dg_ctx;
/* Runs every producer.  Returns 0 or -1 (database error). */
int dg_produce(dg_ctx *c);
/* Runs the fnprop-parse-error producer alone. */
int dg_produce_parse_errors(dg_ctx *c);
/* Is path a system header (below /usr/, where project code is not edited)? */
int dg_system_path(const char *path);

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

#endif /* FNPROP_DIAG_INT_H */
