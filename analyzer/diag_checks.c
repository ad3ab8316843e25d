/* SPDX-License-Identifier: MIT */
/*
 * diag_checks.c - the producers: contract checks, stores of unproven
 * functions into contract-annotated pointers, task entries the runtime
 * shim pins, the missing-annotation suggestion with its fix-it, parse
 * errors; and the witness notes that every contract-style check shares.
 *
 * Producers only add to the sink; filtering, ordering and printing happen
 * in diag.c.  A witness is walked hop by hop through the database (each
 * verdict stores its next hop), bounded by a hop guard so a damaged
 * database cannot make it loop; very long paths are shown head and tail.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_int.h"
#include "effects.h"
#include "report.h"

enum { DG_HOP_GUARD = 10000000, DG_NOTES_HEAD = 30, DG_NOTES_TAIL = 30 };

/* ---- walking a witness ---------------------------------------------------- */
typedef struct dg_hop {
  char *func;            /* the function at this hop */
  int has_body;
  char *file;            /* call site (edge) or effect site (base) */
  int line, col;
  char *callee;          /* next function, NULL at the base */
  int kind;              /* fx_kind at the base */
  char *detail, *decl_file;
  int decl_line;
} dg_hop;

typedef struct dg_trail {
  dg_hop *v;
  size_t n, cap;
} dg_trail;

static void dg_trail_free(dg_trail *t) {
  for (size_t i = 0; i < t->n; i++) {
    dg_hop *h = &t->v[i];
    free(h->func), free(h->file), free(h->callee), free(h->detail), free(h->decl_file);
  }
  free(t->v);
  memset(t, 0, sizeof *t);
}

static int dg_walk(pdb *db, int64_t func, int prop, dg_trail *t) {
  for (long guard = 0; guard < DG_HOP_GUARD; guard++) {
    pdb_func f;
    pdb_hop h;
    if (pdb_get_func(db, func, &f) < 0) return -1;
    dg_hop hop = {ut_strdup(f.name), f.has_body, NULL, 0, 0, NULL, 0, NULL, NULL, 0};
    if (pdb_get_hop(db, func, prop, &h) < 0) return free(hop.func), -1;
    hop.file = ut_strdup(h.file);
    hop.line = h.line, hop.col = h.col;
    hop.kind = h.kind;
    hop.detail = ut_strdup(h.detail);
    hop.decl_file = ut_strdup(h.decl_file);
    hop.decl_line = h.decl_line;
    int edge = h.why == SV_WHY_EDGE;
    int64_t next = h.next;
    if (edge && pdb_get_func(db, next, &f) == 0) hop.callee = ut_strdup(f.name);
    if (!hop.func || !hop.file || !hop.detail || !hop.decl_file || (edge && !hop.callee) || UT_PUSH(*t, hop) < 0) {
      free(hop.func), free(hop.file), free(hop.callee), free(hop.detail), free(hop.decl_file);
      return -1;
    }
    if (!edge) return 0;
    func = next;
  }
  return -1;
}

/* ---- wording ---------------------------------------------------------------- */
static int dg_is_assert(const char *name) {
  static const char *const a[] = {"__assert_fail", "__assert_perror_fail", "__assert", "__assert_rtn",
                                  "_assert", "__assert2", "_wassert"};
  for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
    if (!strcmp(name, a[i])) return 1;
  return 0;
}

static int dg_in_list(const char *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, list[i])) return 1;
  return 0;
}

/* What calling the bodiless function `name` (base reason kind) does. */
static const char *dg_callee_does(int kind, const char *name) {
  static const char *const jumps[] = {"longjmp", "siglongjmp", "_longjmp", "__longjmp_chk", "__builtin_longjmp"};
  static const char *const thread_end[] = {"pthread_exit", "thrd_exit"};
  switch (kind) {
  case FX_TLS_API: return "which observes the calling thread";
  case FX_TLS_DECLARED: return "which is declared to touch thread-local state";
  case FX_PANIC_CALL:
    if (dg_in_list(name, jumps, sizeof jumps / sizeof jumps[0])) return "which does not return to its caller";
    if (dg_in_list(name, thread_end, 2)) return "which ends the calling thread";
    return "which ends the program";
  case FX_NORETURN: return "which is declared noreturn and has no body in the program";
  case FX_PANIC_DECLARED: return "which is declared to end the program";
  case FX_EXTERNAL: return "which has no body in the program and no model";
  case FX_ERRNO: return "which is thread-local";
  default: return "which has the effect";
  }
}

/* The shape of a witness: where the effect is and what it is about. */
typedef struct dg_shape {
  const dg_hop *last;
  int callee_tail;       /* the last hop is a bodiless callee: the effect is calling it */
  const char *object;    /* function whose call is the effect (callee_tail, INCOMPLETE) */
  const char *via;       /* first callee when the effect is further down */
} dg_shape;

static dg_shape dg_shape_of(const dg_trail *t) {
  dg_shape s = {&t->v[t->n - 1], 0, NULL, NULL};
  int in_callee = s.last->kind != FX_TLS_VAR && s.last->kind != FX_INDIRECT && s.last->kind != FX_INCOMPLETE &&
                  s.last->kind != FX_UNSEEN;
  s.callee_tail = t->n >= 2 && !s.last->has_body && in_callee;
  if (s.callee_tail || s.last->kind == FX_INCOMPLETE) s.object = s.last->func;
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
static void dg_effect_text(const dg_trail *t, char *buf, size_t n, int *clause) {
  dg_shape s = dg_shape_of(t);
  const dg_hop *l = s.last;
  char via[512] = "";
  if (s.via) snprintf(via, sizeof via, " through '%s'", s.via);
  *clause = 0;
  if (t->n == 1 && !l->has_body) {
    rp_reason_text(buf, n, l->kind, l->detail);
    *clause = buf[0] == '\''; /* "'f' has no body ...": names its own subject */
  } else if (l->kind == FX_TLS_VAR) {
    snprintf(buf, n, "uses thread-local variable '%s'%s", l->detail, via);
  } else if (l->kind == FX_INDIRECT) {
    snprintf(buf, n, "calls through a pointer of type '%s'%s; its targets are not known", l->detail, via);
  } else if (l->kind == FX_INCOMPLETE) {
    if (t->n == 1)
      snprintf(buf, n, "is defined in '%s', which did not parse completely", l->detail);
    else
      snprintf(buf, n, "calls '%s'%s; '%s' is defined in '%s', which did not parse completely", s.object, via,
               s.object, l->detail);
  } else if (rp_is_asm(l->detail) && (l->kind == FX_TLS_API || l->kind == FX_PANIC_CALL)) {
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

static void dg_message(const dg_trail *t, const char *what, char *buf, size_t n) {
  char tail[1536];
  int clause;
  dg_effect_text(t, tail, sizeof tail, &clause);
  snprintf(buf, n, "%s but %s", what, tail);
}

/* The effect of (func, prop) as dg_effect_text words it; "" when the walk
 * finds no path.  Returns 0 or -1 on a database error. */
static int dg_witness_effect(pdb *db, int64_t func, int prop, char *buf, size_t n, int *clause) {
  dg_trail t = {0};
  int rc = dg_walk(db, func, prop, &t);
  buf[0] = '\0';
  *clause = 0;
  if (rc == 0 && t.n) dg_effect_text(&t, buf, n, clause);
  dg_trail_free(&t);
  return rc;
}

int dg_witness_message(pdb *db, int64_t func, int prop, const char *what, char *buf, size_t n) {
  dg_trail t = {0};
  int rc = dg_walk(db, func, prop, &t);
  if (rc == 0 && t.n) dg_message(&t, what, buf, n);
  else snprintf(buf, n, "%s", what);
  dg_trail_free(&t);
  return rc;
}

static int dg_ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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

static int dg_declared_note(dg_sink *s, dg_diag *d, const dg_hop *l) {
  static const int kinds[] = {FX_EXTERNAL, FX_NORETURN, FX_TLS_DECLARED, FX_PANIC_DECLARED};
  int interesting = 0;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) interesting |= l->kind == kinds[i];
  if (!interesting || !l->file[0] || dg_system_path(l->file)) return 0;
  dg_loc at = {l->file, l->line, l->col, l->func};
  return dg_add_note(s, d, at, "'%s' is declared here", l->func);
}

/* The note for hop i of the trail. */
static int dg_hop_note(dg_sink *s, dg_diag *d, const dg_trail *t, size_t i, const dg_shape *sh) {
  const dg_hop *h = &t->v[i], *l = sh->last;
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
    char why[512];
    rp_reason_text(why, sizeof why, h->kind, h->detail);
    at.tok = h->func;
    return dg_add_note(s, d, at, "%s", why);
  }
  }
}

int dg_witness_notes(dg_sink *s, dg_diag *d, pdb *db, int64_t func, int prop) {
  dg_trail t = {0};
  if (dg_walk(db, func, prop, &t) < 0) return dg_trail_free(&t), -1;
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
  dg_trail_free(&t);
  return rc;
}

/* ---- contracts: fnprop-{notls,nopanic}-{violation,unproven} ----------------- */
typedef struct dg_fn {
  int64_t id;
  char *name, *file, *linkage;
  int line, col;
  uint32_t annots;
  int verdict[2];
  char *hdecl_file;      /* the front end's header declaration, or NULL */
  int hdecl_line, hdecl_col;
  int64_t hdecl_end;
} dg_fn;

typedef struct dg_fns {
  dg_fn *v;
  size_t n, cap;
} dg_fns;

static void dg_fns_free(dg_fns *f) {
  for (size_t i = 0; i < f->n; i++)
    free(f->v[i].name), free(f->v[i].file), free(f->v[i].linkage), free(f->v[i].hdecl_file);
  free(f->v);
  memset(f, 0, sizeof *f);
}

/* Copies the functions a producer wants (witness walks reuse the function
 * statement, so they run after the listing). */
typedef struct dg_pick {
  dg_fns *out;
  int (*want)(const pdb_func *f);
} dg_pick;

static int dg_pick_fn(void *arg, const pdb_func *f) {
  dg_pick *p = arg;
  if (!p->want(f)) return 0;
  dg_fn c = {f->id, ut_strdup(f->name), ut_strdup(f->file), ut_strdup(f->linkage), f->line, f->col, f->annots,
             {f->verdict[0], f->verdict[1]}, f->hdecl_file ? ut_strdup(f->hdecl_file) : NULL, f->hdecl_line,
             f->hdecl_col, f->hdecl_end};
  if (!c.name || !c.file || !c.linkage || (f->hdecl_file && !c.hdecl_file) || UT_PUSH(*p->out, c) < 0) {
    free(c.name), free(c.file), free(c.linkage), free(c.hdecl_file);
    return -1;
  }
  return 0;
}

static const uint32_t dg_contract_bit[VD_NPROPS] = {FT_ANN_NOTLS, FT_ANN_NOPANIC};
static const char *const dg_contract_name[VD_NPROPS] = {"FNPROP_NOTLS", "FNPROP_NOPANIC"};

static int dg_want_contract(const pdb_func *f) {
  for (int p = 0; p < VD_NPROPS; p++)
    if ((f->annots & dg_contract_bit[p]) && f->verdict[p] != VD_PROVEN) return 1;
  return 0;
}

static int dg_check_contracts(dg_ctx *c) {
  static const dg_check_id ids[VD_NPROPS][2] = {{DG_NOTLS_UNPROVEN, DG_NOTLS_VIOLATION},
                                               {DG_NOPANIC_UNPROVEN, DG_NOPANIC_VIOLATION}};
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_contract};
  int rc = pdb_each_func(c->db, NULL, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
      if (!(f->annots & dg_contract_bit[p]) || f->verdict[p] == VD_PROVEN) continue;
      dg_check_id id = ids[p][f->verdict[p] == VD_VIOLATED];
      if (!dg_enabled(c->sink->opts, id)) continue;
      char what[600], msg[2048];
      snprintf(what, sizeof what, "function '%s' is declared %s", f->name, dg_contract_name[p]);
      if (dg_witness_message(c->db, f->id, p, what, msg, sizeof msg) < 0) {
        rc = -1;
        break;
      }
      dg_loc at = {f->file, f->line, f->col, f->name};
      dg_diag *d = dg_report(c->sink, id, at, f->name, "%s", msg);
      rc = dg_witness_notes(c->sink, d, c->db, f->id, p);
    }
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-contract-pointer ----------------------------------------------------- */
static int dg_ident_span(const char *b, const char *e) {
  if (b >= e || (*b >= '0' && *b <= '9')) return 0;
  for (const char *p = b; p < e; p++)
    if (!dg_ident_char(*p)) return 0;
  return 1;
}

int dg_usr_name(const char *usr, char *buf, size_t n, char *rec, size_t recn) {
  buf[0] = '\0';
  if (recn) rec[0] = '\0';
  /* The last four `@` components: ... K @ R @ FI @ NAME for a field. */
  const char *c[5] = {NULL, NULL, NULL, NULL, NULL};
  int k = 0;
  for (const char *p = usr ? usr : ""; *p; p++)
    if (*p == '@') {
      memmove(c, c + 1, 4 * sizeof c[0]);
      c[4] = p + 1, k++;
    }
  if (!k || !dg_ident_span(c[4], c[4] + strlen(c[4]))) return 0;
  snprintf(buf, n, "%s", c[4]);
  if (k < 4 || !recn || strncmp(c[3], "FI@", 3) != 0 || !dg_ident_span(c[2], c[3] - 1)) return 1;
  int rl = (int)(c[3] - 1 - c[2]);
  size_t kl = (size_t)(c[2] - 1 - c[1]);
  if (kl == 1 && (c[1][0] == 'S' || c[1][0] == 'U'))
    snprintf(rec, recn, "%s %.*s", c[1][0] == 'S' ? "struct" : "union", rl, c[2]);
  else if (kl == 2 && (c[1][0] == 'S' || c[1][0] == 'U') && c[1][1] == 'A')
    snprintf(rec, recn, "%.*s", rl, c[2]); /* typedef of an anonymous record */
  return 1;
}

void dg_store_place(char *buf, size_t n, int dest_kind, const char *dest, const char *callee, int arg,
                    const char *in_name, const char *contract) {
  char name[256], rec[300];
  int named = dg_usr_name(dest, name, sizeof name, rec, sizeof rec);
  switch (dest_kind) {
  case FT_SLOT_FIELD:
    if (named && rec[0])
      snprintf(buf, n, "stored into field '%s' of '%s', which is declared %s", name, rec, contract);
    else if (named)
      snprintf(buf, n, "stored into field '%s', which is declared %s", name, contract);
    else
      snprintf(buf, n, "stored into a field declared %s", contract);
    break;
  case FT_SLOT_VAR:
  case FT_SLOT_PARAM: {
    const char *what = dest_kind == FT_SLOT_VAR ? "variable" : "parameter";
    if (named) snprintf(buf, n, "stored into %s '%s', which is declared %s", what, name, contract);
    else snprintf(buf, n, "stored into a %s declared %s", what, contract);
    break;
  }
  case FT_SLOT_ARG:
    if (callee && callee[0] && arg > 0)
      snprintf(buf, n, "passed as argument %d of '%s', a parameter declared %s", arg, callee, contract);
    else if (callee && callee[0])
      snprintf(buf, n, "passed to '%s' for a parameter declared %s", callee, contract);
    else
      snprintf(buf, n, "passed as an argument for a parameter declared %s", contract);
    break;
  case FT_SLOT_RETURN:
    if (in_name && in_name[0]) snprintf(buf, n, "returned from '%s', whose result is declared %s", in_name, contract);
    else snprintf(buf, n, "returned as a result declared %s", contract);
    break;
  default:
    snprintf(buf, n, "stored into a pointer declared %s", contract);
    break;
  }
}

/* Backwards over text[0..i]: the index of the opening quote of the literal
 * whose closing quote is at i. */
static long dg_back_literal(const char *t, long i) {
  char q = t[i];
  for (i--; i >= 0; i--) {
    if (t[i] == '\n') return -1;
    if (t[i] != q) continue;
    long k = i;
    while (k > 0 && t[k - 1] == '\\') k--;
    if ((i - k) % 2 == 0) return i;
  }
  return -1;
}

/* Where a `//` comment starts on the line [ls, end), or end. */
static long dg_line_comment(const char *t, long ls, long end) {
  char q = 0;
  for (long k = ls; k < end; k++) {
    if (q) {
      if (t[k] == '\\') k++;
      else if (t[k] == q) q = 0;
    } else if (t[k] == '"' || t[k] == '\'') {
      q = t[k];
    } else if (t[k] == '/' && k + 1 < end && t[k + 1] == '/') {
      return k;
    } else if (t[k] == '/' && k + 1 < end && t[k + 1] == '*') {
      for (k += 2; k + 1 < end && !(t[k] == '*' && t[k + 1] == '/'); k++) {}
      if (k + 1 >= end) return end; /* continues on the next line */
      k++;
    }
  }
  return end;
}

int dg_call_of_arg(const dg_src *s, int line, int col, char *callee, size_t n, int *arg) {
  static const char *const keywords[] = {"if", "while", "for", "switch", "return", "sizeof", "_Alignof",
                                         "alignof", "_Generic", "typeof", "__typeof__", "__attribute__",
                                         "_Static_assert", "do", "else", "case"};
  long off = s && s->text ? dg_src_offset(s, line, col) : -1;
  if (off < 0) return 0;
  const char *t = s->text;
  int depth = 0, commas = 0;
  long i = off - 1, stop = off > 16384 ? off - 16384 : 0;
  for (; i >= stop; i--) {
    char c = t[i];
    if (c == '\n') {
      long ls = i;
      while (ls > 0 && t[ls - 1] != '\n') ls--;
      long cm = dg_line_comment(t, ls, i);
      if (cm < i) i = cm; /* continue before the comment */
      else if (ls < i && t[ls] == '#') return 0; /* a preprocessor line */
      continue;
    }
    if (c == '/' && i > 0 && t[i - 1] == '*') {
      for (i -= 2; i > 0 && !(t[i - 1] == '/' && t[i] == '*'); i--) {}
      i--;
      continue;
    }
    if (c == '"' || c == '\'') {
      i = dg_back_literal(t, i);
      if (i < 0) return 0;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      depth++;
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) break;
      depth--;
    } else if (depth == 0 && (c == ';' || c == '=' || c == '?' || c == ':')) {
      if (c == '=' && i > 0 && strchr("=!<>", t[i - 1])) continue;
      if (c == '=' && t[i + 1] == '=') continue;
      return 0;
    } else if (depth == 0 && c == ',') {
      commas++;
    }
  }
  if (i < stop || t[i] != '(') return 0;
  long e = i;
  while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\n' || t[e - 1] == '\r')) e--;
  long b = e;
  while (b > 0 && dg_ident_char(t[b - 1])) b--;
  if (b == e || (t[b] >= '0' && t[b] <= '9')) return 0;
  size_t len = (size_t)(e - b);
  for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
    if (strlen(keywords[k]) == len && !memcmp(keywords[k], t + b, len)) return 0;
  if (len + 1 > n) return 0;
  memcpy(callee, t + b, len);
  callee[len] = '\0';
  *arg = commas + 1;
  return 1;
}

typedef struct dg_store_row {
  int64_t func;
  char *file, *dest, *callee, *in_name;
  int line, col, arg, dest_kind;
  uint32_t contract;
} dg_store_row;

typedef struct dg_stores {
  dg_store_row *v;
  size_t n, cap;
} dg_stores;

static void dg_stores_free(dg_stores *r) {
  for (size_t i = 0; i < r->n; i++)
    free(r->v[i].file), free(r->v[i].dest), free(r->v[i].callee), free(r->v[i].in_name);
  free(r->v);
  memset(r, 0, sizeof *r);
}

static int dg_store_fn(void *arg, const pdb_store *st) {
  dg_stores *r = arg;
  /* Stores written in system headers (a macro's expansion) are not the
   * project's to fix. */
  if (!(st->contract & (FT_ANN_NOTLS | FT_ANN_NOPANIC)) || dg_system_path(st->file)) return 0;
  dg_store_row row = {st->func, ut_strdup(st->file), ut_strdup(st->dest), st->callee ? ut_strdup(st->callee) : NULL,
                      st->in_name ? ut_strdup(st->in_name) : NULL, st->line, st->col, st->arg, st->dest_kind,
                      st->contract};
  if (!row.file || !row.dest || (st->callee && !row.callee) || (st->in_name && !row.in_name) ||
      UT_PUSH(*r, row) < 0) {
    free(row.file), free(row.dest), free(row.callee), free(row.in_name);
    return -1;
  }
  return 0;
}

/* The called function of an argument store: from the database when it
 * records it, else read from the source when the name read there is a
 * function of the program. */
static int dg_store_call(dg_ctx *c, const dg_store_row *r, char *callee, size_t n, int *arg) {
  callee[0] = '\0';
  *arg = r->arg;
  if (r->callee) {
    snprintf(callee, n, "%s", r->callee);
    return 0;
  }
  char name[256];
  int a;
  if (!dg_call_of_arg(dg_src_get(c->srcs, r->file), r->line, r->col, name, sizeof name, &a)) return 0;
  int known = pdb_func_named(c->db, name);
  if (known < 0) return -1;
  if (known) snprintf(callee, n, "%s", name), *arg = a;
  return 0;
}

static int dg_check_contract_pointer(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_CONTRACT_POINTER)) return 0;
  dg_stores rows = {0};
  int rc = pdb_each_contract_store(c->db, dg_store_fn, &rows);
  for (size_t i = 0; rc == 0 && i < rows.n; i++) {
    const dg_store_row *r = &rows.v[i];
    pdb_func f;
    if ((rc = pdb_get_func(c->db, r->func, &f)) < 0) break;
    int verdict[VD_NPROPS] = {f.verdict[0], f.verdict[1]};
    char *name = ut_strdup(f.name);
    if (!name) return dg_stores_free(&rows), c->sink->failed = 1, -1;
    char callee[256] = "";
    int argno = 0;
    if (r->dest_kind == FT_SLOT_ARG) rc = dg_store_call(c, r, callee, sizeof callee, &argno);
    for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
      if (!(r->contract & dg_contract_bit[p]) || verdict[p] == VD_PROVEN) continue;
      char place[700], effect[1536], msg[2560];
      int clause;
      dg_store_place(place, sizeof place, r->dest_kind, r->dest, callee, argno, r->in_name, dg_contract_name[p]);
      if ((rc = dg_witness_effect(c->db, r->func, p, effect, sizeof effect, &clause)) < 0) break;
      if (effect[0])
        snprintf(msg, sizeof msg, "function '%s' is %s, but %s%s", name, place, clause ? "" : "it ", effect);
      else
        snprintf(msg, sizeof msg, "function '%s' is %s, but it is not proven to keep the contract", name, place);
      dg_loc at = {r->file, r->line, r->col, name};
      dg_diag *d = dg_report(c->sink, DG_CONTRACT_POINTER, at, name, "%s", msg);
      /* A broken contract is an error, one fnprop cannot prove a warning,
       * as for the function contracts. */
      if (d && verdict[p] != VD_VIOLATED) d->level = DG_WARNING;
      rc = dg_witness_notes(c->sink, d, c->db, r->func, p);
    }
    free(name);
  }
  dg_stores_free(&rows);
  return rc;
}

/* ---- fnprop-task-pinned ------------------------------------------------------------ */
static int dg_want_pinned(const pdb_func *f) { return f->task && f->verdict[VD_TLS] != VD_PROVEN; }

static int dg_check_task_pinned(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_TASK_PINNED)) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_pinned};
  int rc = pdb_each_task(c->db, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    char effect[1536];
    int clause;
    if ((rc = dg_witness_effect(c->db, f->id, VD_TLS, effect, sizeof effect, &clause)) < 0) break;
    dg_loc at = {f->file, f->line, f->col, f->name};
    dg_diag *d;
    if (effect[0])
      d = dg_report(c->sink, DG_TASK_PINNED, at, f->name, "task '%s' will be pinned to its thread: %s%s", f->name,
                    clause ? "" : "it ", effect);
    else
      d = dg_report(c->sink, DG_TASK_PINNED, at, f->name,
                    "task '%s' will be pinned to its thread: it is not proven to leave thread-local state alone",
                    f->name);
    rc = dg_witness_notes(c->sink, d, c->db, f->id, VD_TLS);
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-missing-annotation ------------------------------------------------ */
int dg_system_path(const char *path) { return strncmp(path, "/usr/", 5) == 0; }

/* Bit p set when property p is proven but its contract is not written. */
static uint32_t dg_missing_props(uint32_t annots, const int verdict[VD_NPROPS]) {
  uint32_t m = 0;
  for (int p = 0; p < VD_NPROPS; p++)
    if (verdict[p] == VD_PROVEN && !(annots & dg_contract_bit[p])) m |= 1u << p;
  return m;
}

static int dg_want_missing(const pdb_func *f) {
  return f->has_body && !strcmp(f->linkage, "external") && dg_missing_props(f->annots, f->verdict) != 0;
}

/* The prototypes of one header, first declaration of each name. */
typedef struct dg_hdr {
  dg_src *src;
  ut_map names;          /* name -> index in protos */
  struct { dg_proto *v; size_t n, cap; } protos;
  ut_arena arena;
} dg_hdr;

typedef struct dg_hdrs {
  struct { dg_hdr **v; size_t n, cap; } all;
  ut_map index;          /* path -> index in all */
  ut_arena keys;
} dg_hdrs;

static int dg_hdr_proto(void *arg, const dg_proto *p) {
  dg_hdr *h = arg;
  char *name = ut_arena_alloc(&h->arena, p->name_len + 1);
  if (!name) return -1;
  memcpy(name, p->name, p->name_len);
  name[p->name_len] = '\0';
  uint32_t at;
  if (ut_map_get(&h->names, name, &at)) return 0;
  dg_proto q = *p;
  q.name = name;
  if (UT_PUSH(h->protos, q) < 0 || ut_map_put(&h->names, name, (uint32_t)(h->protos.n - 1)) < 0) return -1;
  return 0;
}

static void dg_hdrs_free(dg_hdrs *hs) {
  for (size_t i = 0; i < hs->all.n; i++) {
    dg_hdr *h = hs->all.v[i];
    ut_map_free(&h->names);
    free(h->protos.v);
    ut_arena_free(&h->arena);
    free(h);
  }
  free(hs->all.v);
  ut_map_free(&hs->index);
  ut_arena_free(&hs->keys);
}

/* The scanned header at path (NULL when unreadable); cached. */
static dg_hdr *dg_hdr_get(dg_ctx *c, dg_hdrs *hs, const char *path, int *oom) {
  uint32_t at;
  if (ut_map_get(&hs->index, path, &at)) return hs->all.v[at];
  dg_hdr *h = calloc(1, sizeof *h);
  const char *key = ut_arena_strdup(&hs->keys, path);
  if (!h || !key || UT_PUSH(hs->all, h) < 0) return free(h), *oom = 1, NULL;
  if (ut_map_put(&hs->index, key, (uint32_t)(hs->all.n - 1)) < 0) return *oom = 1, NULL;
  h->src = dg_src_get(c->srcs, path);
  if (h->src && dg_scan_prototypes(h->src->text, h->src->len, dg_hdr_proto, h) != 0) *oom = 1;
  return h;
}

typedef struct dg_inputs {
  dg_ctx *c;
  dg_hdrs *hs;
  const char *main_file;
  struct { dg_hdr **v; size_t n, cap; } list;
  int oom;
} dg_inputs;

static int dg_input_fn(void *arg, const char *path) {
  dg_inputs *in = arg;
  if (!strcmp(path, in->main_file) || dg_system_path(path)) return 0;
  dg_hdr *h = dg_hdr_get(in->c, in->hs, path, &in->oom);
  if (in->oom) return -1;
  return h && h->src && h->protos.n && UT_PUSH(in->list, h) < 0 ? -1 : 0;
}

static int dg_suggest(dg_ctx *c, const dg_fn *f, uint32_t props, dg_hdr *h, const dg_proto *p) {
  int line, col;
  dg_src_pos(h->src, p->name_off, &line, &col);
  const char *macros = props == 3 ? " FNPROP_NOTLS FNPROP_NOPANIC" : props == 1 ? " FNPROP_NOTLS" : " FNPROP_NOPANIC";
  const char *does = props == 3   ? "never touches thread-local state and never ends the program"
                     : props == 1 ? "never touches thread-local state"
                                  : "never ends the program";
  dg_loc at = {h->src->path, line, col, f->name};
  dg_diag *d = dg_report(c->sink, DG_MISSING_ANNOTATION, at, f->name,
                         "function '%s' %s; declare it%s so callers can rely on it", f->name, does, macros);
  if (!d) return c->sink->failed ? -1 : 0;
  dg_loc def = {f->file, f->line, f->col, f->name};
  if (dg_add_note(c->sink, d, def, "'%s' is defined here", f->name) < 0) return -1;
  if (dg_add_fix(c->sink, d, h->src->path, (long)p->insert_off, 0, macros) < 0) return -1;
  int present;
  size_t off = dg_include_offset(h->src->text, h->src->len, p->name_off, &present);
  if (present) return 0;
  int nl = off > 0 && h->src->text[off - 1] != '\n';
  return dg_add_fix(c->sink, d, h->src->path, (long)off, 0, nl ? "\n#include <fnprop.h>\n" : "#include <fnprop.h>\n");
}

/* The declaration the front end recorded (name at hdecl line:col, declarator
 * ending at hdecl_end), checked against the text as it is now. */
static int dg_proto_at(const dg_src *s, const dg_fn *f, dg_proto *p) {
  if (f->hdecl_line < 1 || (size_t)f->hdecl_line > s->nlines || f->hdecl_col < 1) return 0;
  size_t off = s->line_start[f->hdecl_line - 1] + (size_t)f->hdecl_col - 1, n = strlen(f->name);
  if (off + n > s->len || memcmp(s->text + off, f->name, n) != 0) return 0;
  if (f->hdecl_end < (int64_t)(off + n) || (size_t)f->hdecl_end > s->len) return 0;
  p->name = s->text + off;
  p->name_len = n;
  p->name_off = off;
  p->insert_off = (size_t)f->hdecl_end;
  return 1;
}

static int dg_check_missing(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_MISSING_ANNOTATION)) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_missing};
  dg_hdrs hs;
  memset(&hs, 0, sizeof hs);
  dg_inputs in = {c, &hs, NULL, {0}, 0};
  int rc = pdb_each_func(c->db, NULL, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    if (!in.main_file || strcmp(in.main_file, f->file) != 0) {
      in.list.n = 0;
      in.main_file = f->file;
      rc = pdb_each_input_of(c->db, f->file, dg_input_fn, &in);
      if (rc) break;
    }
    uint32_t props = dg_missing_props(f->annots, f->verdict);
    if (f->hdecl_file && !dg_system_path(f->hdecl_file)) { /* the front end saw the declaration */
      dg_hdr *h = dg_hdr_get(c, &hs, f->hdecl_file, &in.oom);
      if (in.oom) break;
      dg_proto p;
      if (h && h->src && dg_proto_at(h->src, f, &p)) {
        rc = dg_suggest(c, f, props, h, &p);
        continue;
      }
    }
    for (size_t k = 0; k < in.list.n; k++) {
      uint32_t at;
      dg_hdr *h = in.list.v[k];
      if (!ut_map_get(&h->names, f->name, &at)) continue;
      rc = dg_suggest(c, f, props, h, &h->protos.v[at]);
      break;
    }
  }
  if (in.oom) c->sink->failed = 1;
  free(in.list.v);
  dg_hdrs_free(&hs);
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-parse-error ---------------------------------------------------------- */
static int dg_parse_fn(void *arg, const char *tu, const ft_diag *fd) {
  dg_ctx *c = arg;
  dg_loc at = {fd->loc.file[0] ? fd->loc.file : tu, (int)fd->loc.line, (int)fd->loc.col, NULL};
  dg_diag *d = dg_report(c->sink, DG_PARSE_ERROR, at, NULL, "%s", fd->message);
  if (!d) return c->sink->failed ? -1 : 0;
  d->unit = dg_sink_str(c->sink, tu);
  if (!fd->error) d->level = DG_WARNING;
  return 0;
}

static int dg_check_parse(dg_ctx *c) { return pdb_each_diag(c->db, dg_parse_fn, c); }

/* ---- every producer, in order ------------------------------------------------------ */
static int (*const dg_producers[])(dg_ctx *c) = {
    dg_check_contracts,
    dg_check_contract_pointer,
    dg_check_task_pinned,
    dg_check_missing,
    dg_check_parse,
};

int dg_produce(dg_ctx *c) {
  for (size_t i = 0; i < sizeof dg_producers / sizeof dg_producers[0]; i++)
    if (dg_producers[i](c) < 0 || c->sink->failed) return -1;
  return 0;
}
