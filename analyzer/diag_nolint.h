/* SPDX-License-Identifier: MIT */
/*
 * diag_nolint.h - NOLINT comments, as clang-tidy reads them (prefix dg_).
 */
#ifndef FNPROP_DIAG_NOLINT_H
#define FNPROP_DIAG_NOLINT_H

#include "diag_src.h"

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

#endif /* FNPROP_DIAG_NOLINT_H */
