/* SPDX-License-Identifier: MIT */
/*
 * frontend.h - parse one translation unit with libclang and extract its
 * facts (prefix fe_).
 *
 * A cursor walk, not the indexer: the indexer's callbacks do not report
 * calls to library builtins such as abort or malloc, which panic detection
 * cannot miss.  libclang types never leave this module and compdb.c.
 *
 * One fe_ctx per worker thread (one CXIndex each: sharing one index across
 * threads was measured 2x slower).
 */
#ifndef FNPROP_FRONTEND_H
#define FNPROP_FRONTEND_H

#include "compdb.h"
#include "facts.h"

typedef struct fe_ctx fe_ctx;

fe_ctx *fe_create(void);
void fe_destroy(fe_ctx *ctx);

/*
 * Parses entry e and returns its facts (never NULL unless out of memory).
 * A TU that fails to parse, or parses with errors, comes back with
 * complete = 0 and its diagnostics; whatever was extracted is kept.
 */
ft_tu *fe_parse(fe_ctx *ctx, const cdb_entry *e);

#endif /* FNPROP_FRONTEND_H */
