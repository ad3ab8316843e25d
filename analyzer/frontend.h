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

/*
 * Header search lists (what the cache needs to know where a TU's headers
 * could have come from).  A context alone probes each entry's list itself
 * on its first parse; parallel workers instead share lists the main thread
 * prepared, because probing redirects fd 2 to read clang's -v report and
 * must not overlap another parse.  An entry without a list is parsed as
 * usual, but its facts are never reused (FT_LK_NO_SEARCH).
 */
typedef struct fe_searchlists fe_searchlists;

/* libclang's version string ("clang version 19.1.7 ...") into buf, for
 * cache keys; returns buf. */
const char *fe_libclang_version(char *buf, size_t n);

/* An argument as the parse and the cache key see it: arg itself, except
 * that the value of -DFNPROP_RT_SOURCES_HASH=... is replaced (the hash of
 * the analysis inputs must not depend on itself).  Static or borrowed. */
const char *fe_arg_key(const char *arg);
fe_searchlists *fe_searchlists_create(void);
void fe_searchlists_destroy(fe_searchlists *s);
/* Probes e's list unless one for the same search flags exists.  Main
 * thread, no parse running.  Returns 0, or -1 when out of memory. */
int fe_searchlists_add(fe_searchlists *s, fe_ctx *ctx, const cdb_entry *e);
/* Makes ctx use the prepared lists s (borrowed, read-only, must outlive
 * the parses) instead of probing. */
void fe_use_searchlists(fe_ctx *ctx, const fe_searchlists *s);

#endif /* FNPROP_FRONTEND_H */
