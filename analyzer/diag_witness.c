/* SPDX-License-Identifier: MIT */
/*
 * diag_witness.c - witness paths in the words of the diagnostics: the
 * primary message of a contract finding ("... but uses thread-local
 * variable 'x' through 'g'") and one note per hop, ending at the effect.
 *
 * Invariant: the words of an effect come from the effects table, refined
 * only by what a call does (longjmp does not return, pthread_exit ends a
 * thread, a failed assert ends the program); very long paths are shown
 * head and tail, with the count of the calls left out.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_src.h"
#include "diag_witness.h"
#include "effects.h"
#include "witness.h"

enum { DG_NOTES_HEAD = 30, DG_NOTES_TAIL = 30 };

/* ---- wording ---------------------------------------------------------------- */
static int dg_is_assert(const char *name) {
  static const char *const a[] = {
      "__assert_fail", "__assert_perror_fail", "__assert", "__assert_rtn", "_assert", "__assert2", "_wassert"};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
    if (!strcmp(name, a[i])) return 1;
  return 0;
}

static int dg_in_list(const char *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, list[i])) return 1;
  return 0;
}

/* What calling the bodiless function `name` (base reason kind) does: the
 * effects table's words, refined by what the panic functions do. */
static const char *dg_callee_does(int kind, const char *name) {
  static const char *const jumps[] = {"longjmp", "siglongjmp", "_longjmp", "__longjmp_chk", "__builtin_longjmp"};
  static const char *const thread_end[] = {"pthread_exit", "thrd_exit"};
  if (kind == FX_PANIC_CALL && dg_in_list(name, jumps, sizeof jumps / sizeof jumps[0]))
    return "which does not return to its caller";
  if (kind == FX_PANIC_CALL && dg_in_list(name, thread_end, 2)) return "which ends the calling thread";
  const char *does = fx_get((fx_kind)kind)->does;
  return does ? does : "which has the effect";
}

/* The shape of a witness: where the effect is and what it is about. */
typedef struct dg_shape {
  const wt_step *last;
  int callee_tail;       /* the last hop is a bodiless callee: the effect is calling it */
  const char *object;    /* function whose call is the effect (callee_tail, INCOMPLETE) */
  const char *via;       /* first callee when the effect is further down */
} dg_shape;

static dg_shape dg_shape_of(const wt_path *t) {
  dg_shape s = {&t->v[t->n - 1], 0, NULL, NULL};
  fx_where where = fx_get((fx_kind)s.last->kind)->where;
  s.callee_tail = t->n >= 2 && !s.last->has_body && where == FX_IN_CALLEE;
  if (s.callee_tail || where == FX_IN_DEFINITION) s.object = s.last->func;
  /* Effects inside a body are "through" the first callee; calls to the
   * object are "through" the first callee unless that is the object. */
  size_t own = s.object ? 2 : 1;
  if (t->n > own) s.via = t->v[0].callee;
  return s;
}

/* What the witness shows the function does, as the end of a sentence about
 * it: a predicate ("uses thread-local variable 'x' through 'g'") or, when
 * *clause is set, a clause with its own subject ("'f' has no body in the
 * program and no model"). */
static void dg_effect_text(const wt_path *t, char *buf, size_t n, int *clause) {
  dg_shape s = dg_shape_of(t);
  const wt_step *l = s.last;
  char via[512] = "";
  if (s.via) snprintf(via, sizeof via, " through '%s'", s.via);
  *clause = 0;
  char reason[1024];
  fx_text(reason, sizeof reason, (fx_kind)l->kind, l->detail);
  if (t->n == 1 && !l->has_body) {
    snprintf(buf, n, "%s", reason);
    *clause = buf[0] == '\''; /* "'f' has no body ...": names its own subject */
  } else if (l->kind == FX_TLS_VAR) {
    snprintf(buf, n, "uses thread-local variable '%s'%s", l->detail, via);
  } else if (l->kind == FX_INDIRECT) {
    snprintf(buf, n, "calls through a pointer of type '%s'%s; its targets are not known", l->detail, via);
  } else if (fx_get((fx_kind)l->kind)->where == FX_IN_DEFINITION) {
    /* "is defined in 'x.c', which did not parse completely", or about the callee */
    if (t->n == 1) snprintf(buf, n, "%s", reason);
    else snprintf(buf, n, "calls '%s'%s; '%s' %s", s.object, via, s.object, reason);
  } else if (fx_executed((fx_kind)l->kind, l->detail)) {
    snprintf(buf, n, "executes %s%s", l->detail, via);
  } else if (l->kind == FX_UNSEEN) {
    if (t->n == 1) snprintf(buf, n, "contains %s, code fnprop does not understand", l->detail);
    else
      snprintf(buf, n, "calls '%s'%s, which contains %s, code fnprop does not understand", l->func,
               s.via && strcmp(s.via, l->func) ? via : "", l->detail);
  } else if (l->kind == FX_ERRNO) {
    snprintf(buf, n, "uses errno%s", via);
  } else if (l->kind == FX_PANIC_CALL && dg_is_assert(s.object)) {
    snprintf(buf, n, "can fail an assertion%s", via);
  } else if (l->kind == FX_EXTERNAL) {
    snprintf(buf, n, "calls '%s'%s; '%s' has no body in the program and no model", s.object, via, s.object);
  } else {
    snprintf(buf, n, "calls '%s'%s", s.object ? s.object : l->detail, via);
  }
}

static void dg_message(const wt_path *t, const char *what, char *buf, size_t n) {
  char tail[1536];
  int clause;
  dg_effect_text(t, tail, sizeof tail, &clause);
  snprintf(buf, n, "%s but %s", what, tail);
}

/* The effect of (func, prop) as dg_effect_text words it; "" when the walk
 * finds no path.  Returns 0 or -1 on a database error. */
int dg_witness_effect(pdb *db, int64_t func, int prop, char *buf, size_t n, int *clause) {
  wt_path t = {0};
  int rc = wt_walk(db, NULL, func, prop, 0, &t);
  buf[0] = '\0';
  *clause = 0;
  if (rc == 0 && t.n) dg_effect_text(&t, buf, n, clause);
  wt_path_free(&t);
  return rc;
}

int dg_witness_message(pdb *db, int64_t func, int prop, const char *what, char *buf, size_t n) {
  wt_path t = {0};
  int rc = wt_walk(db, NULL, func, prop, 0, &t);
  if (rc == 0 && t.n) dg_message(&t, what, buf, n);
  else snprintf(buf, n, "%s", what);
  wt_path_free(&t);
  return rc;
}

/* Column of the identifier `name` on `line` of file, 0 when not found. */
static int dg_find_col(dg_sink *s, const char *file, int line, const char *name) {
  const char *text;
  size_t len, n = strlen(name);
  dg_src *src = dg_src_get(s->srcs, file);
  if (!n || !src || dg_src_line(src, line, &text, &len) < 0) return 0;
  for (size_t i = 0; i + n <= len; i++) {
    if (memcmp(text + i, name, n) != 0) continue;
    if ((i > 0 && dg_ident_char(text[i - 1])) || (i + n < len && dg_ident_char(text[i + n]))) continue;
    return (int)i + 1;
  }
  return 0;
}

static int dg_declared_note(dg_sink *s, dg_diag *d, const wt_step *l) {
  if (!fx_get((fx_kind)l->kind)->decl_evidence || !l->file[0] || dg_system_path(l->file)) return 0;
  dg_loc at = {l->file, l->line, l->col, l->func};
  return dg_add_note(s, d, at, "'%s' is declared here", l->func);
}

/* The note for hop i of the trail. */
static int dg_hop_note(dg_sink *s, dg_diag *d, const wt_path *t, size_t i, const dg_shape *sh) {
  const wt_step *h = &t->v[i], *l = sh->last;
  dg_loc at = {h->file, h->line, h->col, h->callee};
  if (h->callee && !(sh->callee_tail && i + 2 == t->n))
    return dg_add_note(s, d, at, "'%s' calls '%s' here", h->func, h->callee);
  if (h->callee) {
    /* The call of the bodiless function that carries the effect. */
    int rc;
    if (l->kind == FX_ERRNO) {
      at.tok = "errno";
      rc = dg_add_note(s, d, at, "'%s' uses errno here, which is thread-local", h->func);
    } else if (l->kind == FX_PANIC_CALL && dg_is_assert(h->callee)) {
      at.tok = "assert";
      rc = dg_add_note(s, d, at, "'%s' asserts here; a failed assertion ends the program", h->func);
    } else {
      rc = dg_add_note(s, d, at, "'%s' calls '%s' here, %s", h->func, h->callee, dg_callee_does(l->kind, h->callee));
    }
    return rc < 0 ? rc : dg_declared_note(s, d, l);
  }
  if (sh->callee_tail) return 0; /* the bodiless callee's own hop: said above */
  switch (h->kind) {
  case FX_TLS_VAR: {
    at.tok = h->detail;
    if (dg_add_note(s, d, at, "'%s' uses thread-local variable '%s' here", h->func, h->detail) < 0) return -1;
    if (!h->decl_file[0] || h->decl_line < 1) return 0;
    dg_loc decl = {h->decl_file, h->decl_line, dg_find_col(s, h->decl_file, h->decl_line, h->detail), h->detail};
    return dg_add_note(s, d, decl, "thread-local variable '%s' is declared here", h->detail);
  }
  case FX_INDIRECT:
    return dg_add_note(s, d, at, "'%s' calls through a pointer of type '%s' here; its targets are not known", h->func,
                       h->detail);
  case FX_INCOMPLETE:
    at.tok = h->func;
    return dg_add_note(s, d, at, "'%s' is defined here, in a translation unit that did not parse completely", h->func);
  default: {
    char why[1024];
    fx_text(why, sizeof why, (fx_kind)h->kind, h->detail);
    at.tok = h->func;
    if (fx_get((fx_kind)h->kind)->where == FX_IN_DEFINITION) return dg_add_note(s, d, at, "'%s' %s", h->func, why);
    return dg_add_note(s, d, at, "%s", why);
  }
  }
}

int dg_witness_notes(dg_sink *s, dg_diag *d, pdb *db, int64_t func, int prop) {
  wt_path t = {0};
  if (wt_walk(db, NULL, func, prop, 0, &t) < 0) return wt_path_free(&t), -1;
  int rc = 0;
  if (d && t.n) {
    dg_shape sh = dg_shape_of(&t);
    for (size_t i = 0; rc == 0 && i < t.n; i++) {
      if (t.n > DG_NOTES_HEAD + DG_NOTES_TAIL + 1 && i == DG_NOTES_HEAD) {
        size_t skip = t.n - DG_NOTES_HEAD - DG_NOTES_TAIL;
        dg_loc at = {t.v[i].file, t.v[i].line, t.v[i].col, NULL};
        rc = dg_add_note(s, d, at, "... %zu more calls; 'fnprop explain %s' prints the whole path", skip, t.v[0].func);
        i += skip - 1;
        continue;
      }
      rc = dg_hop_note(s, d, &t, i, &sh);
    }
  }
  wt_path_free(&t);
  return rc;
}
