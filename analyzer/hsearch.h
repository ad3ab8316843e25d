/* SPDX-License-Identifier: MIT */
/*
 * hsearch.h - what a TU's header search looked for, and whether it would
 * still find the same (prefix hs_).
 *
 * The cache may reuse a TU's facts only if a parse now would read the same
 * files.  Checking the files it read is not enough: a header created in a
 * directory searched earlier, a retargeted symlink, or a header that makes
 * `__has_include` true change the parse without touching any of them.  So
 * the front end records the candidate directories (the search list and the
 * includers' directories) and every name a directive or `__has_include`
 * could look up, and this module probes every dir/name pair: which exist
 * (and what they resolve to) and which directories decide that (their
 * identity: device, inode, mtime, ctime, mode, link count; creating,
 * deleting or renaming an entry changes them).  A later run compares the
 * directories first (one stat each, shared across TUs); only when one
 * changed are the probes repeated, and the TU is stale only when a probe
 * now gives another answer.  Probing more pairs than clang does (every
 * name in every directory) costs stats, never soundness.
 *
 * Plain C, no libclang: the front end feeds it, the driver checks with it.
 */
#ifndef FNPROP_HSEARCH_H
#define FNPROP_HSEARCH_H

#include "facts.h"
#include "util.h"

/* Records one TU's lookups into tu->lookups (strings in the TU's arena). */
typedef struct hs_builder {
  ft_tu *tu;
  ut_map dirs, names;   /* string -> index */
  ut_map before;        /* "dev:inode" -> index into pre: identity before the parse */
  struct {
    uint64_t *v;
    size_t n, cap;
  } pre;
  int parsing;          /* set by hs_parse_begins: no more snapshots */
} hs_builder;

void hs_builder_init(hs_builder *b, ft_tu *tu);
void hs_builder_free(hs_builder *b);
/* A candidate directory: absolute, as clang spells it (never resolved).
 * Directories added before the parse are also snapshotted: whether they
 * changed during the parse is then known exactly, not guessed from time
 * stamps (which fnprop's own database files next to them would trip). */
void hs_add_dir(hs_builder *b, const char *dir);
/* Called right before the parse starts. */
void hs_parse_begins(hs_builder *b);
/* A name as written between <> or "" (relative or absolute). */
void hs_add_name(hs_builder *b, const char *name);
/* A <name> or "name" literal at p (text up to end): adds the name and
 * returns 1; 0 when p holds something else. */
int hs_add_literal(hs_builder *b, const char *p, const char *end);
/* Scans one file's text for the names it may look up: #include,
 * #include_next and #import directives, `#define NAME <x.h>` (a name used
 * by a computed include), __has_include and __has_include_next; flags
 * #embed / __has_embed and computed __has_include arguments. */
void hs_scan_text(hs_builder *b, const char *text, size_t n);
/* Probes every pair and fills hits and watches.  A watched directory that
 * changed after (or within its time stamps' resolution before) the parse
 * began at `parse_start_ns` makes the TU racy (FT_LK_RACY).  `answers`
 * (may be NULL) remembers probe answers across the TUs one worker parses:
 * a file that appears or vanishes meanwhile leaves a recorded answer that
 * the next run finds wrong, so it costs a parse, never a stale result.
 * Returns 0, or -1 when out of memory (tu->failed is then set). */
typedef struct hs_cache hs_cache;
int hs_finish(hs_builder *b, int64_t parse_start_ns, hs_cache *answers);

/* Identity of each directory and answer of each probe asked about in one
 * run, shared by every TU. */
struct hs_cache {
  ut_map map;           /* directory path -> index into idents */
  struct {
    uint64_t *v;
    size_t n, cap;
  } idents;
  ut_map probes;        /* probe path -> index into answers */
  struct {
    uint64_t *v;
    size_t n, cap;
  } answers; /* 0 absent, else hit ident */
  ut_arena arena;
};
void hs_cache_free(hs_cache *c);

/* 1 when every probe of l would answer as recorded, 0 when one would not
 * or l is flagged (FT_LK_*), -1 when out of memory.  When the answer came
 * from probing again (a watched directory changed harmlessly), *refresh is
 * set and l's watches are replaced by the current ones (strings in
 * `arena`) for the caller to store. */
int hs_check(hs_cache *c, ft_lookups *l, ut_arena *arena, int *refresh);

/* Feeds what the lookups found (directories, names, hits) into s. */
void hs_digest(const ft_lookups *l, ut_sha256 *s);

#endif /* FNPROP_HSEARCH_H */
