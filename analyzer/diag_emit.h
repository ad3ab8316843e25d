/* SPDX-License-Identifier: MIT */
/*
 * diag_emit.h - the writers of diagnostics: clang text, JSON, SARIF 2.1.0
 * and clang-tidy's export-fixes YAML, with their escaping (prefix dg_).
 * JSON strings are ut_buf_json's.
 */
#ifndef FNPROP_DIAG_EMIT_H
#define FNPROP_DIAG_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include "diag_sink.h"
#include "diag_src.h"

/* ---- escaping ---------------------------------------------- */
/* A YAML scalar as clang-tidy writes it: single-quoted (with '' for '),
 * double-quoted with escapes when s holds control characters. */
void dg_yaml_str(ut_buf *b, const char *s);
/* A path as an RFC 3986 URI path: every byte outside unreserved and '/'
 * percent-encoded. */
void dg_uri_path(ut_buf *b, const char *path);
/* The SARIF partial fingerprint of d: hash of check, function name and the
 * primary line's text with blanks removed (not the line number). */
uint64_t dg_fingerprint(const dg_diag *d, const dg_src *src);

/* ---- writers ---------------------------------------------- */
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

#endif /* FNPROP_DIAG_EMIT_H */
