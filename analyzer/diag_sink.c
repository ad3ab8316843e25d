/* SPDX-License-Identifier: MIT */
/*
 * diag_sink.c - the diagnostic sink: findings, notes and fix-its, every
 * string in the sink's arena.
 *
 * Invariant: a failed allocation leaves the sink consistent and marked
 * (failed), never a half-built diagnostic in the list.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag_sink.h"

/* ---- the sink ------------------------------------------------------------------- */
dg_sink *dg_sink_create(const dg_opts *o, struct dg_srcs *srcs) {
  dg_sink *s = calloc(1, sizeof *s);
  if (s) s->opts = o, s->srcs = srcs;
  return s;
}

void dg_sink_destroy(dg_sink *s) {
  if (!s) return;
  for (size_t i = 0; i < s->diags.n; i++) {
    free(s->diags.v[i].notes.v);
    free(s->diags.v[i].fixes.v);
  }
  free(s->diags.v);
  ut_arena_free(&s->arena);
  free(s);
}

const char *dg_sink_str(dg_sink *s, const char *str) {
  const char *r = ut_arena_strdup(&s->arena, str ? str : "");
  if (!r) s->failed = 1;
  return r ? r : "";
}

static dg_loc dg_loc_copy(dg_sink *s, dg_loc at) {
  at.file = dg_sink_str(s, at.file);
  at.tok = at.tok ? dg_sink_str(s, at.tok) : NULL;
  return at;
}

static const char *dg_vformat(dg_sink *s, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static const char *dg_vformat(dg_sink *s, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  const char *r = "";
  if (n >= 0) {
    char *m = ut_arena_alloc(&s->arena, (size_t)n + 1);
    if (m) {
      vsnprintf(m, (size_t)n + 1, fmt, ap);
      r = m;
    } else {
      s->failed = 1;
    }
  }
  return r;
}

dg_diag *dg_report(dg_sink *s, dg_check_id c, dg_loc at, const char *func, const char *fmt, ...) {
  if (!s || !dg_enabled(s->opts, c)) return NULL;
  dg_diag d;
  memset(&d, 0, sizeof d);
  d.check = c;
  d.level = dg_checks[c].level;
  d.at = dg_loc_copy(s, at);
  d.func = func ? dg_sink_str(s, func) : NULL;
  va_list ap;
  va_start(ap, fmt);
  d.msg = dg_vformat(s, fmt, ap);
  va_end(ap);
  if (s->failed || UT_PUSH(s->diags, d) < 0) {
    s->failed = 1;
    return NULL;
  }
  return &s->diags.v[s->diags.n - 1];
}

int dg_add_note(dg_sink *s, dg_diag *d, dg_loc at, const char *fmt, ...) {
  if (!d) return 0;
  dg_note nt;
  nt.at = dg_loc_copy(s, at);
  va_list ap;
  va_start(ap, fmt);
  nt.msg = dg_vformat(s, fmt, ap);
  va_end(ap);
  if (s->failed || UT_PUSH(d->notes, nt) < 0) return s->failed = 1, -1;
  return 0;
}

int dg_add_fix(dg_sink *s, dg_diag *d, const char *file, long offset, long length, const char *text) {
  if (!d) return 0;
  dg_fix f = {dg_sink_str(s, file), offset, length, dg_sink_str(s, text)};
  if (s->failed || UT_PUSH(d->fixes, f) < 0) return s->failed = 1, -1;
  return 0;
}
