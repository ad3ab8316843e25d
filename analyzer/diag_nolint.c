/* SPDX-License-Identifier: MIT */
/*
 * diag_nolint.c - NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/NOLINTEND comments,
 * read the way clang-tidy reads them (clang-tidy/NoLintDirectiveHandler).
 *
 * Rules kept identical so one comment serves both tools: the keyword is
 * found anywhere in a line, the letters right after `NOLINT` must spell
 * nothing, NEXTLINE, BEGIN or END; a check list is taken only when `(`
 * follows immediately and a `)` closes it on the same line — otherwise the
 * comment covers every check (so `NOLINT (x)` with a space suppresses
 * everything); globs are allowed, negative ones are ignored, `NOLINT()`
 * suppresses nothing.  BEGIN/END pair like a stack and an END closes a BEGIN
 * only with the very same check list; the rest are reported unmatched.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_nolint.h"
#include "diag_opts.h"

typedef enum { NL_LINE, NL_NEXTLINE, NL_BEGIN, NL_END } dg_nl_type;

typedef struct dg_nl_tok {
  dg_nl_type type;
  int line, col;
  char *checks;          /* NULL: every check */
} dg_nl_tok;

typedef struct dg_nl_block {
  int bline, bcol, eline, ecol;
  const char *checks;    /* borrowed from the BEGIN token */
} dg_nl_block;

struct dg_nolint {
  struct {
    dg_nl_tok *v;
    size_t n, cap;
  } toks;
  struct {
    dg_nl_block *v;
    size_t n, cap;
  } blocks;
  struct {
    size_t *v;
    size_t n, cap;
  } unmatched; /* token indices, in file order */
};

void dg_nolint_free(dg_nolint *n) {
  if (!n) return;
  for (size_t i = 0; i < n->toks.n; i++) free(n->toks.v[i].checks);
  free(n->toks.v);
  free(n->blocks.v);
  free(n->unmatched.v);
  free(n);
}

static int dg_nl_type_of(const char *s, size_t len, dg_nl_type *t) {
  static const struct {
    const char *w;
    dg_nl_type t;
  } kw[] = {{"NOLINT", NL_LINE}, {"NOLINTNEXTLINE", NL_NEXTLINE}, {"NOLINTBEGIN", NL_BEGIN}, {"NOLINTEND", NL_END}};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (strlen(kw[i].w) == len && memcmp(kw[i].w, s, len) == 0) return *t = kw[i].t, 1;
  return 0;
}

static int dg_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static int dg_nl_same(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* Pairs BEGIN and END tokens on a stack, as clang-tidy does. */
static int dg_nl_blocks(dg_nolint *n) {
  struct {
    size_t *v;
    size_t n, cap;
  } stack = {0};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n->toks.n; i++) {
    dg_nl_tok *t = &n->toks.v[i];
    if (t->type == NL_BEGIN) {
      rc = UT_PUSH(stack, i);
    } else if (t->type == NL_END) {
      if (stack.n && dg_nl_same(n->toks.v[stack.v[stack.n - 1]].checks, t->checks)) {
        dg_nl_tok *b = &n->toks.v[stack.v[--stack.n]];
        dg_nl_block blk = {b->line, b->col, t->line, t->col, b->checks};
        rc = UT_PUSH(n->blocks, blk);
      } else {
        rc = UT_PUSH(n->unmatched, i);
      }
    }
  }
  for (size_t i = 0; rc == 0 && i < stack.n; i++) rc = UT_PUSH(n->unmatched, stack.v[i]);
  free(stack.v);
  if (rc == 0 && n->unmatched.n > 1) {
    /* File order: indices of tokens are already in file order. */
    for (size_t i = 1; i < n->unmatched.n; i++)
      for (size_t j = i; j > 0 && n->unmatched.v[j - 1] > n->unmatched.v[j]; j--) {
        size_t tmp = n->unmatched.v[j];
        n->unmatched.v[j] = n->unmatched.v[j - 1];
        n->unmatched.v[j - 1] = tmp;
      }
  }
  return rc;
}

dg_nolint *dg_nolint_parse(const dg_src *s) {
  dg_nolint *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  const char *t = s && s->text ? s->text : "";
  size_t len = s && s->text ? s->len : 0, pos = 0;
  while (pos < len) {
    const char *hit = memmem(t + pos, len - pos, "NOLINT", 6);
    if (!hit) break;
    size_t at = (size_t)(hit - t);
    pos = at + 6;
    while (pos < len && dg_is_alpha(t[pos])) pos++;
    dg_nl_tok tok = {NL_LINE, 0, 0, NULL};
    if (!dg_nl_type_of(t + at, pos - at, &tok.type)) continue;
    if (pos < len && t[pos] == '(') {
      size_t close = pos + 1;
      while (close < len && t[close] != ')' && t[close] != '\n') close++;
      if (close < len && t[close] == ')') {
        tok.checks = malloc(close - pos);
        if (!tok.checks) goto fail;
        memcpy(tok.checks, t + pos + 1, close - pos - 1);
        tok.checks[close - pos - 1] = '\0';
        pos = close + 1;
      }
    }
    dg_src_pos(s, at, &tok.line, &tok.col);
    if (UT_PUSH(n->toks, tok) < 0) {
      free(tok.checks);
      goto fail;
    }
  }
  if (dg_nl_blocks(n) < 0) goto fail;
  return n;
fail:
  dg_nolint_free(n);
  return NULL;
}

/* Does the token's check list cover check?  Negative globs are ignored. */
static int dg_nl_covers(const char *checks, const char *check) {
  if (!checks) return 1;
  const char *p = checks;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n' || *p == '\r') p++;
    const char *e = p;
    while (*e && *e != ',' && *e != '\n') e++;
    const char *g = e;
    while (g > p && (g[-1] == ' ' || g[-1] == '\t' || g[-1] == '\r')) g--;
    if (g > p && *p != '-' && dg_glob_match(p, (size_t)(g - p), check)) return 1;
    p = e;
  }
  return 0;
}

static int dg_nl_before(int l1, int c1, int l2, int c2) { return l1 < l2 || (l1 == l2 && c1 <= c2); }

int dg_nolint_suppresses(const dg_nolint *n, int line, int col, const char *check) {
  if (!n) return 0;
  for (size_t i = 0; i < n->toks.n; i++) {
    const dg_nl_tok *t = &n->toks.v[i];
    if ((t->type == NL_LINE && t->line == line) || (t->type == NL_NEXTLINE && t->line + 1 == line))
      if (dg_nl_covers(t->checks, check)) return 1;
  }
  for (size_t i = 0; i < n->blocks.n; i++) {
    const dg_nl_block *b = &n->blocks.v[i];
    if (dg_nl_before(b->bline, b->bcol, line, col) && dg_nl_before(line, col, b->eline, b->ecol) &&
        dg_nl_covers(b->checks, check))
      return 1;
  }
  return 0;
}

int dg_nolint_unmatched(const dg_nolint *n, size_t i, int *line, int *col, int *is_begin) {
  if (!n || i >= n->unmatched.n) return -1;
  const dg_nl_tok *t = &n->toks.v[n->unmatched.v[i]];
  *line = t->line;
  *col = t->col;
  *is_begin = t->type == NL_BEGIN;
  return 0;
}
