/* SPDX-License-Identifier: MIT */
/*
 * diag_src.h - source files as the diagnostics read them (prefix dg_): a
 * read-once cache with line tables (carets, NOLINT, byte offsets,
 * fingerprints) and a small lexer that finds function prototypes in
 * headers (the fix-its of fnprop-missing-annotation).  Nothing here writes
 * a file.
 */
#ifndef FNPROP_DIAG_SRC_H
#define FNPROP_DIAG_SRC_H

#include <stddef.h>

#include "util.h"

/* ---- source files ---------------------------------------------------------- */
typedef struct dg_src {
  char *path;
  char *text;            /* NUL-terminated; NULL when unreadable */
  size_t len;
  size_t *line_start;    /* offset of line i+1 */
  size_t nlines;
  struct dg_nolint *nolint; /* parsed lazily for the filter, which frees it */
  int nolint_reported;   /* unmatched-comment errors already emitted */
} dg_src;

typedef struct dg_srcs {
  struct {
    dg_src **v;
    size_t n, cap;
  } files; /* each malloc'd: pointers stay valid */
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

/* Is path a system header (below /usr/, where project code is not edited)? */
int dg_system_path(const char *path);
/* Can c be part of a C identifier? */
int dg_ident_char(char c);

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

#endif /* FNPROP_DIAG_SRC_H */
