/* SPDX-License-Identifier: MIT */
/*
 * frontend_omp.c - OpenMP regions, seen through a second parse of the TU.
 *
 * With -fopenmp libclang shows a directive but hides its region inside an
 * opaque captured statement, and directives nested in a region not at all.
 * For a TU whose -fopenmp parse met directives, the front end parses the
 * same file again without -fopenmp (with _OPENMP defined as the first
 * parse had it): there a region is ordinary C, and each `#pragma omp` line
 * is read from the tokens (ompdir.c).  The two parses are joined by
 * location: a function is found again at the location of its name, each
 * top-level directive of the first parse at its pragma's line, and its
 * region must be the very statement the second parse finds after the
 * pragma.  Clause expressions of those directives were walked in the first
 * parse; the regions and everything nested in them are walked here, into
 * the same facts:
 * - worksharing and synchronization regions are part of the enclosing
 *   code; a task or taskloop region is a function of its own (a task
 *   entry, ft_func.omp), called where the directive generates it;
 * - task scheduling points and the parallel fork are calls of the libomp
 *   entry points clang compiles them to (models/openmp.model);
 * - names in nested directives' clauses are resolved by name: a call, a
 *   thread-local or threadprivate variable (both parses), a macro (its
 *   definition, recursively);
 * - threadprivate variables are thread-local.
 *
 * Key invariant (closed world): a function loses the unseen-code reasons
 * of its directives only when every directive in it was understood, every
 * region was found in both parses and nothing in it could expand to a
 * directive fnprop did not read (_Pragma, a macro that may produce one).
 * Whatever fails leaves the function unknown, as without this pass.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend_flow.h"
#include "frontend_int.h"
#include "ompdir.h"
#include "syntax.h"

/* A directive cursor of the -fopenmp parse, in function `func`. */
typedef struct fe_omp_dir {
  uint32_t func;
  ft_loc at;                /* the pragma's location (its `#`) */
  int has_stmt;             /* a region statement follows */
  uint32_t stmt_start, stmt_end; /* its file offsets */
  uint32_t effect;          /* index of its unseen reason in tu->effects, FT_NONE */
} fe_omp_dir;

typedef struct fe_omp_fn {
  uint32_t func;
  ft_loc def;               /* the definition's name */
} fe_omp_fn;

/* `#pragma omp declare variant(NAME)` at line `line` of `file` (a real
 * path), waiting for the function declared after it. */
typedef struct fe_variant {
  const char *file;
  uint32_t line;
  char name[128];
  int paired;
} fe_variant;

/* A region of the second parse: a statement and the function it is walked in. */
typedef struct fe_region {
  uint32_t start, end;
  int32_t body;
} fe_region;

struct fe_omp {
  struct {
    fe_omp_dir *v;
    size_t n, cap;
  } dirs;
  struct {
    fe_omp_fn *v;
    size_t n, cap;
  } funcs;
  ut_map tls;               /* USRs of variables thread-local in the -fopenmp parse */
  ut_arena arena;           /* its keys */
  /* second pass */
  CXFile file;              /* the file of the function being walked */
  struct {
    fe_region *v;
    size_t n, cap;
  } regions;
  ut_map macros;            /* macro name -> index into macro_defs */
  struct {
    CXCursor *v;
    size_t n, cap;
  } macro_defs;
  ut_map macro_pragma;      /* macro name -> 1 + "may expand to a directive" */
  ut_map vars;              /* file-scope variable name -> index into var_defs */
  struct {
    CXCursor *v;
    size_t n, cap;
  } var_defs;
  int scanned;              /* macros and variables collected */
  struct {
    const char **v;
    size_t n, cap;
  } blank; /* system headers whose
`begin declare variant` blocks the second parse
does not see (omp.h) */
  int user_variant;         /* a project file uses declare variant: no second parse */
  struct {
    fe_variant *v;
    size_t n, cap;
  } variants; /* `declare variant(V)` lines */
  int drop_failed;
  size_t flow_first;        /* flow bodies of the first parse: [0, flow_first) */
};

/* ---- kinds ------------------------------------------------------------------ */
int fe_omp_kind(enum CXCursorKind k) {
  CXString s = clang_getCursorKindSpelling(k);
  const char *t = clang_getCString(s);
  int yes = t && !strncmp(t, "OMP", 3) && strstr(t, "Directive") != NULL;
  clang_disposeString(s);
  return yes;
}

int fe_omp_flag(const char *a) { return !strncmp(a, "-fopenmp", 8) || !strncmp(a, "-fno-openmp", 11); }

static struct fe_omp *fe_omp_state(fe_walk *w) {
  if (!w->omp && !(w->omp = calloc(1, sizeof *w->omp))) w->tu->failed = 1;
  return w->omp;
}

static void fe_omp_free(struct fe_omp *o) {
  if (!o) return;
  free(o->dirs.v);
  free(o->funcs.v);
  ut_map_free(&o->tls);
  ut_arena_free(&o->arena);
  free(o->regions.v);
  ut_map_free(&o->macros);
  free(o->macro_defs.v);
  ut_map_free(&o->macro_pragma);
  ut_map_free(&o->vars);
  free(o->var_defs.v);
  free(o->blank.v);
  free(o->variants.v);
  free(o);
}

/* ---- thread-local variables --------------------------------------------------- */
void fe_omp_note_tls(fe_walk *w, CXCursor decl) {
  if (w->omp_pass == 2 || clang_getCursorTLSKind(decl) == CXTLS_None) return;
  struct fe_omp *o = fe_omp_state(w);
  if (!o) return;
  const char *usr = fe_usr(w, decl);
  const char *k = ut_arena_strdup(&o->arena, usr);
  if (!k || ut_map_put(&o->tls, k, 1) < 0) w->tu->failed = 1;
}

int fe_omp_is_tls(fe_walk *w, CXCursor decl) {
  if (clang_getCursorTLSKind(decl) != CXTLS_None) {
    if (w->omp_pass != 2) fe_omp_note_tls(w, decl);
    return 1;
  }
  uint32_t v;
  return w->omp_pass == 2 && w->omp && w->omp->tls.n && ut_map_get(&w->omp->tls, fe_usr(w, decl), &v);
}

/* ---- declare variant ------------------------------------------------------------ */
static const void *fe_memmem(const char *h, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; k <= n && i <= n - k; i++)
    if (h[i] == needle[0] && !memcmp(h + i, needle, k)) return h + i;
  return NULL;
}

static void fe_variant_lines(fe_walk *w, struct fe_omp *o, const char *path, const char *buf, size_t size);

/* `declare variant` replaces calls of a function by another one in some
 * contexts, which only the -fopenmp parse does.  In a system header (omp.h
 * defines host and device variants of omp_is_initial_device) the
 * `begin/end declare variant` blocks are left out of the second parse and
 * calls reach the base function, which the model describes; in a project
 * file it defeats the pass (the directives stay unseen). */
void fe_omp_scan_file(fe_walk *w, CXFile f, const char *path, const char *buf, size_t size) {
  if (w->omp_pass != 1 || !fe_memmem(buf, size, "declare variant")) return;
  struct fe_omp *o = fe_omp_state(w);
  if (!o) return;
  if (!clang_Location_isInSystemHeader(clang_getLocation(w->cx, f, 1, 1))) {
    o->user_variant = 1;
    fe_variant_lines(w, o, path, buf, size);
  } else if (UT_PUSH(o->blank, path) < 0) {
    w->tu->failed = 1;
  }
}

/* The `#pragma omp declare variant(NAME)` lines of a project file. */
static void fe_variant_lines(fe_walk *w, struct fe_omp *o, const char *path, const char *buf, size_t size) {
  uint32_t line = 1;
  for (size_t i = 0; i < size; i++) {
    if (buf[i] == '\n') {
      line++;
      continue;
    }
    if (i && buf[i - 1] != '\n') continue;
    size_t j = i;
    while (j < size && (buf[j] == ' ' || buf[j] == '\t')) j++;
    if (j >= size || buf[j] != '#') continue;
    const char *words[] = {"#", "pragma", "omp", "declare", "variant"};
    size_t k = j;
    int ok = 1;
    for (size_t q = 0; q < 5 && ok; q++) {
      while (k < size && (buf[k] == ' ' || buf[k] == '\t')) k++;
      size_t n = strlen(words[q]);
      ok = k + n <= size && !memcmp(buf + k, words[q], n);
      k += n;
    }
    while (ok && k < size && (buf[k] == ' ' || buf[k] == '\t')) k++;
    if (!ok || k >= size || buf[k] != '(') continue;
    fe_variant v = {path, line, "", 0};
    size_t n = 0;
    for (k++; k < size && buf[k] != ')' && buf[k] != '\n' && n + 1 < sizeof v.name; k++)
      if (buf[k] != ' ' && buf[k] != '\t') v.name[n++] = buf[k];
    v.name[n] = '\0';
    if (UT_PUSH(o->variants, v) < 0) w->tu->failed = 1;
  }
}

void fe_omp_declaration(fe_walk *w, CXCursor decl, uint32_t idx) {
  struct fe_omp *o = w->omp;
  if (w->omp_pass != 1 || !o || !o->variants.n) return;
  ft_loc at = fe_cursor_loc(w, decl);
  for (size_t i = 0; i < o->variants.n; i++) {
    fe_variant *v = &o->variants.v[i];
    if (v->paired || v->line >= at.line || strcmp(v->file, at.file)) continue;
    v->paired = 1;
    uint32_t target = v->name[0] ? fe_func_named(w, v->name) : FT_NONE;
    ft_loc site = {v->file, v->line, 1};
    int32_t saved = w->cur;
    w->cur = (int32_t)idx;
    if (target != FT_NONE) {
      fe_call_at(w, target, site);
    } else {
      char what[200];
      snprintf(what, sizeof what, "OpenMP 'declare variant(%s)', whose variant fnprop cannot find", v->name);
      ft_effect e = {idx, FX_UNSEEN, 0, ft_str(w->tu, what), site, site};
      if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
    }
    w->cur = saved;
  }
}

/* Blanks `#pragma omp begin declare variant` ... `end declare variant`
 * blocks of buf in place with spaces (line ends kept: locations stay). */
static void fe_blank_variants(char *buf, size_t size) {
  int depth = 0;
  size_t i = 0;
  while (i < size) {
    size_t eol = i;
    while (eol < size && buf[eol] != '\n') eol++;
    size_t j = i;
    while (j < eol && (buf[j] == ' ' || buf[j] == '\t')) j++;
    int begin = 0, end = 0;
    if (j < eol && buf[j] == '#') {
      char line[128];
      size_t k = 0;
      for (size_t q = j + 1; q < eol && k + 1 < sizeof line; q++) /* words with single spaces */
        if (!((buf[q] == ' ' || buf[q] == '\t') && (!k || line[k - 1] == ' ')))
          line[k++] = buf[q] == '\t' ? ' ' : buf[q];
      line[k] = '\0';
      const char *l = line[0] == ' ' ? line + 1 : line;
      begin = !strncmp(l, "pragma omp begin declare variant", 32);
      end = !strncmp(l, "pragma omp end declare variant", 30);
    }
    if (begin) depth++;
    if (depth > 0)
      for (size_t q = i; q < eol; q++)
        if (buf[q] != '\r') buf[q] = ' ';
    if (end && depth > 0) depth--;
    i = eol + 1;
  }
}

/* ---- the first parse: directive cursors --------------------------------------- */
static uint32_t fe_omp_offset(CXSourceLocation l, CXFile *f) {
  unsigned off = 0;
  clang_getExpansionLocation(l, f, NULL, NULL, &off);
  return off;
}

typedef struct fe_omp_kids {
  fe_walk *w;
  CXCursor dir;
  CXFile file;
  uint32_t pragma_end;      /* where the pragma's line ends */
  int has_stmt;
  uint32_t stmt_start, stmt_end;
  int walk;                 /* 1: walk the clause children */
} fe_omp_kids;

/* A directive's children: its clause expressions lie on the pragma's
 * line, its region after it (the last child). */
static enum CXChildVisitResult fe_omp_kid(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  fe_omp_kids *k = d;
  CXFile f;
  CXSourceRange r = clang_getCursorExtent(c);
  uint32_t start = fe_omp_offset(clang_getRangeStart(r), &f);
  if (clang_File_isEqual(f, k->file) && start < k->pragma_end) {
    if (k->walk) fe_walk_one(k->w, c, k->dir);
  } else if (!k->walk) {
    k->has_stmt = 1;
    k->stmt_start = start;
    k->stmt_end = fe_omp_offset(clang_getRangeEnd(r), NULL);
  }
  return CXChildVisit_Continue;
}

enum CXChildVisitResult fe_omp_directive(fe_walk *w, CXCursor c, CXCursor parent) {
  (void)parent;
  char name[160];
  sx_name(c, name, sizeof name);
  size_t before = w->tu->effects.n;
  fe_unseen(w, c, name);
  if (w->omp_pass == 2 || w->cur < 0) return CXChildVisit_Recurse; /* not ours to explain */
  struct fe_omp *o = fe_omp_state(w);
  if (!o) return CXChildVisit_Recurse;
  fe_omp_kids k = {w, c, NULL, 0, 0, 0, 0, 0};
  k.pragma_end = fe_omp_offset(clang_getRangeEnd(clang_getCursorExtent(c)), &k.file);
  clang_visitChildren(c, fe_omp_kid, &k); /* find the region */
  fe_omp_dir dir = {(uint32_t)w->cur, fe_cursor_loc(w, c), k.has_stmt,
                    k.stmt_start,     k.stmt_end,          w->tu->effects.n > before ? (uint32_t)before : FT_NONE};
  if (UT_PUSH(o->dirs, dir) < 0) w->tu->failed = 1;
  ft_loc def = fe_cursor_loc(w, w->cur_cursor);
  int known = 0;
  for (size_t i = o->funcs.n; i-- > 0 && !known;)
    known = o->funcs.v[i].func == (uint32_t)w->cur && o->funcs.v[i].def.line == def.line &&
            o->funcs.v[i].def.col == def.col && !strcmp(o->funcs.v[i].def.file, def.file);
  fe_omp_fn fn = {(uint32_t)w->cur, def};
  if (!known && UT_PUSH(o->funcs, fn) < 0) w->tu->failed = 1;
  k.walk = 1;
  clang_visitChildren(c, fe_omp_kid, &k); /* clause expressions, evaluated by the encountering code */
  return CXChildVisit_Continue;
}

/* ---- _OPENMP of the first parse --------------------------------------------------- */
typedef struct fe_omp_probe {
  long value;
  int found;
} fe_omp_probe;

static enum CXChildVisitResult fe_omp_probe_visit(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  fe_omp_probe *p = d;
  if (clang_getCursorKind(c) != CXCursor_VarDecl) return CXChildVisit_Continue;
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (r && clang_EvalResult_getKind(r) == CXEval_Int) {
    p->value = clang_EvalResult_getAsLongLong(r);
    p->found = 1;
  }
  if (r) clang_EvalResult_dispose(r);
  return CXChildVisit_Break;
}

/* The value the -fopenmp parse gave _OPENMP (0: undefined, as with
 * -fopenmp-simd; -1: could not be told), probed once per set of OpenMP
 * flags on a one-line file. */
static long fe_omp_macro_value(fe_ctx *ctx, const cdb_entry *e) {
  ut_buf key = {0};
  const char *args[34];
  int n = 0;
  for (int i = 1; i < e->argc; i++)
    if (fe_omp_flag(e->argv[i])) {
      ut_buf_printf(&key, "%s\x1f", e->argv[i]);
      if (n < 32) args[n++] = e->argv[i];
    }
  args[n++] = "-w";
  if (key.failed) return -1;
  uint32_t v;
  if (key.s && ut_map_get(&ctx->omp_macro, key.s, &v)) {
    ut_buf_free(&key);
    return (long)v - 1;
  }
  static const char text[] = "long fnprop_openmp =\n#ifdef _OPENMP\n_OPENMP\n#else\n0\n#endif\n;\n";
  struct CXUnsavedFile probe = {"fnprop-openmp-probe.c", text, sizeof text - 1};
  CXTranslationUnit tu = NULL;
  fe_omp_probe p = {-1, 0};
  if (clang_parseTranslationUnit2(ctx->index, probe.Filename, args, n, &probe, 1, 0, &tu) == CXError_Success && tu) {
    clang_visitChildren(clang_getTranslationUnitCursor(tu), fe_omp_probe_visit, &p);
    clang_disposeTranslationUnit(tu);
  }
  long value = p.found && p.value >= 0 && p.value < 100000000 ? p.value : -1;
  const char *k = key.s ? ut_arena_strdup(&ctx->arena, key.s) : NULL;
  if (k) ut_map_put(&ctx->omp_macro, k, (uint32_t)(value + 1));
  ut_buf_free(&key);
  return value;
}

/* ---- the second parse: tokens of a function ---------------------------------- */
typedef struct fe_tok {
  const char *s;
  uint8_t kind;             /* OD_T_*, or 255 for a comment */
  uint8_t skipped;          /* in a range the preprocessor skipped */
  uint32_t off, end, line, col;
} fe_tok;

typedef struct fe_pragma {
  uint32_t start, end;      /* offsets of its `#` and of its last token's end */
  ft_loc at;                /* its directive word (after `omp`) */
  ft_loc hash;              /* its `#` */
  size_t tok0, ntok;        /* its tokens after `omp` */
  od_directive d;
  int ok;                   /* understood so far */
  char why[200];
  int has_stmt;
  CXCursor stmt, parent;
  uint32_t stmt_start, stmt_end;
  int outer;                /* index of the innermost enclosing pragma, -1 */
  int matched;              /* a directive cursor of the first parse is this one */
  int32_t ctx, body;        /* functions it is encountered in / its region runs in */
} fe_pragma;

typedef struct fe_fnscan {
  fe_walk *w;
  struct fe_omp *o;
  CXCursor def;
  const fe_omp_fn *fn;
  const char *buf;          /* the file's contents */
  size_t size;
  struct {
    fe_tok *v;
    size_t n, cap;
  } toks;
  struct {
    fe_pragma *v;
    size_t n, cap;
  } prag;
  uint8_t *roles;
  ut_arena arena;
  size_t next;              /* association: next pragma to place */
  ut_map locals;            /* names of the function's variables -> index into local_defs */
  struct {
    CXCursor *v;
    size_t n, cap;
  } local_defs;
  int ok;                   /* nothing in the function defeats the pass */
  char why[200];
  ft_loc why_at;
} fe_fnscan;

static void fe_scan_fail(fe_fnscan *s, ft_loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fe_scan_fail(fe_fnscan *s, ft_loc at, const char *fmt, ...) {
  if (!s->ok) return;
  s->ok = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->why, sizeof s->why, fmt, ap);
  va_end(ap);
  s->why_at = at;
}

static void fe_pragma_fail(fe_pragma *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fe_pragma_fail(fe_pragma *p, const char *fmt, ...) {
  if (!p->ok) return;
  p->ok = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->why, sizeof p->why, fmt, ap);
  va_end(ap);
}

/* Is there a line end (not escaped by a backslash) in buf[a, b)? */
static int fe_newline_between(const char *buf, size_t size, uint32_t a, uint32_t b) {
  for (uint32_t i = a; i < b && i < size; i++) {
    if (buf[i] != '\n') continue;
    uint32_t j = i;
    if (j > 0 && buf[j - 1] == '\r') j--;
    if (j == 0 || buf[j - 1] != '\\') return 1;
  }
  return 0;
}

static int fe_tokens(fe_fnscan *s, CXTranslationUnit cx, CXFile file) {
  CXToken *t = NULL;
  unsigned n = 0;
  clang_tokenize(cx, clang_getCursorExtent(s->def), &t, &n);
  CXSourceRangeList *skip = clang_getSkippedRanges(cx, file);
  for (unsigned i = 0; i < n; i++) {
    CXString sp = clang_getTokenSpelling(cx, t[i]);
    enum CXTokenKind k = clang_getTokenKind(t[i]);
    CXSourceRange r = clang_getTokenExtent(cx, t[i]);
    unsigned line, col, off, end;
    clang_getSpellingLocation(clang_getRangeStart(r), NULL, &line, &col, &off);
    clang_getSpellingLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &end);
    fe_tok tk = {ut_arena_strdup(&s->arena, clang_getCString(sp)),
                 k == CXToken_Punctuation  ? OD_T_PUNCT
                 : k == CXToken_Keyword    ? OD_T_KEYWORD
                 : k == CXToken_Identifier ? OD_T_IDENT
                 : k == CXToken_Literal    ? OD_T_LITERAL
                                           : 255,
                 0,
                 off,
                 end,
                 line,
                 col};
    clang_disposeString(sp);
    for (unsigned j = 0; skip && j < skip->count; j++) {
      unsigned a, b;
      clang_getSpellingLocation(clang_getRangeStart(skip->ranges[j]), NULL, NULL, NULL, &a);
      clang_getSpellingLocation(clang_getRangeEnd(skip->ranges[j]), NULL, NULL, NULL, &b);
      if (off >= a && off < b) tk.skipped = 1;
    }
    if (tk.kind != 255 && !tk.skipped && UT_PUSH(s->toks, tk) < 0) s->w->tu->failed = 1;
  }
  if (skip) clang_disposeSourceRangeList(skip);
  if (t) clang_disposeTokens(cx, t, n);
  return s->arena.failed ? -1 : 0;
}

/* ---- macros and file-scope variables of the second parse ------------------------- */
static enum CXChildVisitResult fe_omp_collect(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  fe_walk *w = d;
  struct fe_omp *o = w->omp;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k != CXCursor_MacroDefinition && k != CXCursor_VarDecl) return CXChildVisit_Continue;
  CXString s = clang_getCursorSpelling(c);
  const char *name = ut_arena_strdup(&o->arena, clang_getCString(s));
  clang_disposeString(s);
  int bad = !name;
  if (!bad && k == CXCursor_MacroDefinition)
    bad = UT_PUSH(o->macro_defs, c) < 0 || ut_map_put(&o->macros, name, (uint32_t)o->macro_defs.n - 1) < 0;
  else if (!bad) bad = UT_PUSH(o->var_defs, c) < 0 || ut_map_put(&o->vars, name, (uint32_t)o->var_defs.n - 1) < 0;
  if (bad) w->tu->failed = 1;
  return CXChildVisit_Continue;
}

static void fe_omp_scan_tu(fe_walk *w) {
  if (w->omp->scanned) return;
  w->omp->scanned = 1;
  clang_visitChildren(clang_getTranslationUnitCursor(w->cx), fe_omp_collect, w);
}

/* The tokens of a macro's definition (name first); the caller disposes. */
static CXToken *fe_macro_tokens(fe_walk *w, CXCursor def, unsigned *n) {
  CXToken *t = NULL;
  *n = 0;
  clang_tokenize(w->cx, clang_getCursorExtent(def), &t, n);
  return t;
}

static int fe_tok_is(fe_walk *w, CXToken t, const char *s) {
  CXString sp = clang_getTokenSpelling(w->cx, t);
  int yes = !strcmp(clang_getCString(sp), s);
  clang_disposeString(sp);
  return yes;
}

/* Is the string literal (its spelling) an OpenMP pragma's text? */
static int fe_omp_literal(const char *lit) {
  while (*lit && *lit != '"') lit++;
  if (*lit) lit++;
  while (*lit == ' ' || *lit == '\t') lit++;
  return !strncmp(lit, "omp", 3) &&
         !(lit[3] == '_' || (lit[3] >= 'a' && lit[3] <= 'z') || (lit[3] >= '0' && lit[3] <= '9'));
}

/* May macro `name` expand to an OpenMP directive (`_Pragma("omp ...")`, a
 * stringized argument, or another macro that may)?  Memoized; deep chains
 * count as yes. */
static int fe_macro_may_pragma(fe_walk *w, const char *name, int depth) {
  struct fe_omp *o = w->omp;
  uint32_t v;
  if (ut_map_get(&o->macro_pragma, name, &v)) return (int)v - 1;
  if (!ut_map_get(&o->macros, name, &v)) return 0;
  if (depth > 16) return 1;
  const char *key = ut_arena_strdup(&o->arena, name);
  if (!key || ut_map_put(&o->macro_pragma, key, 1) < 0) return 1; /* no while it is looked at (recursion) */
  unsigned n;
  CXToken *t = fe_macro_tokens(w, o->macro_defs.v[v], &n);
  int yes = 0;
  for (unsigned i = 1; i < n && !yes; i++) {
    if (clang_getTokenKind(t[i]) != CXToken_Identifier) continue;
    CXString sp = clang_getTokenSpelling(w->cx, t[i]);
    const char *s = clang_getCString(sp);
    if (!strcmp(s, "_Pragma") || !strcmp(s, "__pragma")) {
      yes = 1;
      if (i + 2 < n && fe_tok_is(w, t[i + 1], "(") && clang_getTokenKind(t[i + 2]) == CXToken_Literal) {
        CXString lit = clang_getTokenSpelling(w->cx, t[i + 2]);
        yes = fe_omp_literal(clang_getCString(lit));
        clang_disposeString(lit);
      }
    } else if (strcmp(s, name)) {
      yes = fe_macro_may_pragma(w, s, depth + 1);
    }
    clang_disposeString(sp);
  }
  if (t) clang_disposeTokens(w->cx, t, n);
  ut_map_put(&o->macro_pragma, key, (uint32_t)yes + 1);
  return yes;
}

/* ---- names in clauses ----------------------------------------------------------- */
static enum CXChildVisitResult fe_omp_locals(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  fe_fnscan *s = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl) {
    CXString sp = clang_getCursorSpelling(c);
    const char *name = ut_arena_strdup(&s->arena, clang_getCString(sp));
    clang_disposeString(sp);
    uint32_t prev;
    /* a name declared twice: keep every declaration reachable (a chain
     * through the map would need more; any thread-local one counts) */
    if (name && ut_map_get(&s->locals, name, &prev)) name = ut_arena_strdup(&s->arena, "");
    if (!name || UT_PUSH(s->local_defs, c) < 0 ||
        (name[0] && ut_map_put(&s->locals, name, (uint32_t)s->local_defs.n - 1) < 0))
      s->w->tu->failed = 1;
  }
  return CXChildVisit_Recurse;
}

/* Does any variable named `name` of the function or at file scope hold
 * thread-local storage?  *var gets one that does. */
static int fe_tls_named(fe_fnscan *s, const char *name, CXCursor *var) {
  for (size_t i = 0; i < s->local_defs.n; i++) {
    CXString sp = clang_getCursorSpelling(s->local_defs.v[i]);
    int same = !strcmp(clang_getCString(sp), name);
    clang_disposeString(sp);
    if (same && clang_getCursorKind(s->local_defs.v[i]) == CXCursor_VarDecl &&
        fe_omp_is_tls(s->w, s->local_defs.v[i])) {
      *var = s->local_defs.v[i];
      return 1;
    }
  }
  uint32_t v;
  if (ut_map_get(&s->o->vars, name, &v) && fe_omp_is_tls(s->w, s->o->var_defs.v[v])) {
    *var = s->o->var_defs.v[v];
    return 1;
  }
  return 0;
}

static void fe_omp_resolve(fe_fnscan *s, fe_pragma *p, const char *name, int call, ft_loc site, int depth);

/* A macro used in a clause: its expansion's names, resolved the same way. */
static void fe_omp_macro_names(fe_fnscan *s, fe_pragma *p, uint32_t m, ft_loc site, int depth) {
  fe_walk *w = s->w;
  CXCursor def = s->o->macro_defs.v[m];
  unsigned n;
  CXToken *t = fe_macro_tokens(w, def, &n);
  unsigned body = 1, params = 0;
  if (clang_Cursor_isMacroFunctionLike(def) && n > 1) { /* skip the parameter list */
    params = 2;
    while (params < n && !fe_tok_is(w, t[params], ")")) params++;
    body = params + 1;
  }
  for (unsigned i = body; i < n && p->ok; i++) {
    enum CXTokenKind k = clang_getTokenKind(t[i]);
    CXString sp = clang_getTokenSpelling(w->cx, t[i]);
    const char *tx = clang_getCString(sp);
    if (k == CXToken_Punctuation && (!strcmp(tx, "#") || !strcmp(tx, "##"))) {
      fe_pragma_fail(p, "a clause uses macro '%s', which pastes or stringizes tokens", "?");
    } else if (k == CXToken_Identifier &&
               !(i > body && (fe_tok_is(w, t[i - 1], ".") || fe_tok_is(w, t[i - 1], "->")))) {
      int param = 0;
      for (unsigned j = 2; j < params && !param; j++) param = fe_tok_is(w, t[j], tx);
      if (!param) fe_omp_resolve(s, p, tx, i + 1 < n && fe_tok_is(w, t[i + 1], "("), site, depth + 1);
    }
    clang_disposeString(sp);
  }
  if (t) clang_disposeTokens(w->cx, t, n);
}

/* A name in a clause of pragma p, evaluated where p is encountered: a
 * call of a function, a thread-local variable, or a macro. */
static void fe_omp_resolve(fe_fnscan *s, fe_pragma *p, const char *name, int call, ft_loc site, int depth) {
  fe_walk *w = s->w;
  uint32_t m;
  if (depth > 16) {
    fe_pragma_fail(p, "macros in a clause nest too deeply ('%s')", name);
    return;
  }
  if (ut_map_get(&s->o->macros, name, &m)) {
    fe_omp_macro_names(s, p, m, site, depth);
    return;
  }
  int32_t saved = w->cur;
  w->cur = p->ctx;
  CXCursor var;
  if (call) {
    uint32_t f = fe_func_named(w, name);
    if (f != FT_NONE) fe_call_at(w, f, site);
    else fe_pragma_fail(p, "a clause calls '%s', which is not a function fnprop can name", name);
  } else if (fe_tls_named(s, name, &var)) {
    fe_tls_use(w, var, site);
  }
  w->cur = saved;
}

/* ---- the pragmas of one function ------------------------------------------------ */
static ft_loc fe_tok_loc(fe_fnscan *s, const fe_tok *t) {
  ft_loc l = {s->fn->def.file, t->line, t->col};
  return l;
}

/* Finds the `#pragma omp` lines, _Pragma operators and macros that may
 * produce directives among the function's tokens. */
static void fe_find_pragmas(fe_fnscan *s) {
  fe_tok *t = s->toks.v;
  size_t n = s->toks.n;
  for (size_t i = 0; i < n; i++) {
    int line_start = i == 0 || fe_newline_between(s->buf, s->size, t[i - 1].end, t[i].off);
    if (t[i].kind == OD_T_PUNCT && !strcmp(t[i].s, "#") && line_start) {
      size_t j = i + 1;
      while (j < n && !fe_newline_between(s->buf, s->size, t[j - 1].end, t[j].off)) j++;
      if (j >= i + 3 && !strcmp(t[i + 1].s, "pragma") && !strcmp(t[i + 2].s, "omp")) {
        fe_pragma p;
        memset(&p, 0, sizeof p);
        p.start = t[i].off;
        p.end = t[j - 1].end;
        p.hash = fe_tok_loc(s, &t[i]);
        p.at = j > i + 3 ? fe_tok_loc(s, &t[i + 3]) : p.hash;
        p.tok0 = i + 3;
        p.ntok = j - (i + 3);
        p.ok = 1;
        p.outer = -1;
        p.ctx = p.body = -1;
        if (UT_PUSH(s->prag, p) < 0) s->w->tu->failed = 1;
      }
      i = j - 1; /* other directives (#define in a body) are not code */
      continue;
    }
    if (t[i].kind != OD_T_IDENT) continue;
    if (!strcmp(t[i].s, "_Pragma") || !strcmp(t[i].s, "__pragma")) {
      if (!(i + 2 < n && !strcmp(t[i + 1].s, "(") && t[i + 2].kind == OD_T_LITERAL && !fe_omp_literal(t[i + 2].s)))
        fe_scan_fail(s, fe_tok_loc(s, &t[i]), "an OpenMP directive written with %s", t[i].s);
    } else if (fe_macro_may_pragma(s->w, t[i].s, 0)) {
      fe_scan_fail(s, fe_tok_loc(s, &t[i]), "macro '%s', which may expand to an OpenMP directive", t[i].s);
    }
  }
}

/* Places each pragma with a region on the first construct that starts
 * after it (pre-order: the outermost one, the statement it applies to). */
static enum CXChildVisitResult fe_place(CXCursor c, CXCursor parent, CXClientData d) {
  fe_fnscan *s = d;
  CXFile f;
  CXSourceRange r = clang_getCursorExtent(c);
  uint32_t start = fe_omp_offset(clang_getRangeStart(r), &f);
  if (!clang_File_isEqual(f, s->o->file)) return CXChildVisit_Recurse;
  while (s->next < s->prag.n && s->prag.v[s->next].end <= start) {
    fe_pragma *p = &s->prag.v[s->next++];
    if (!(p->d.flags & OD_BLOCK) || !p->ok) continue;
    p->has_stmt = 1;
    p->stmt = c;
    p->parent = parent;
    p->stmt_start = start;
    p->stmt_end = fe_omp_offset(clang_getRangeEnd(r), NULL);
  }
  return s->next < s->prag.n ? CXChildVisit_Recurse : CXChildVisit_Break;
}

/* The function of a task region: "ENCLOSING.omp_task.LINE", internal to
 * the pragma's file. */
static int32_t fe_task_func(fe_fnscan *s, const fe_pragma *p) {
  ft_tu *tu = s->w->tu;
  const ft_func *fn = &tu->funcs.v[s->fn->func];
  ut_buf usr = {0}, name = {0};
  int loop = (p->d.flags & OD_TASKLOOP) != 0;
  ut_buf_printf(&usr, "%s@omp_task@%u:%u", fn->usr, p->hash.line, p->hash.col);
  ut_buf_printf(&name, "%s.omp_%s.%u", fn->name, loop ? "taskloop" : "task", p->hash.line);
  int is_new;
  uint32_t idx = usr.failed || name.failed ? FT_NONE : ft_func_intern(tu, usr.s, p->hash.file, &is_new);
  if (idx != FT_NONE && is_new) {
    ft_func *t = &tu->funcs.v[idx];
    uint8_t system = tu->funcs.v[s->fn->func].system;
    t->name = ft_str(tu, name.s);
    t->loc = p->at;
    t->has_body = 1;
    t->system = system;
    t->fntype = "void (void)";
    t->fnkey = "";
    t->omp = (uint8_t)(FT_OMP_TASK | (p->d.flags & OD_UNTIED ? FT_OMP_UNTIED : 0) |
                       (p->d.flags & OD_IF ? FT_OMP_IF : 0) | (p->d.flags & OD_FINAL ? FT_OMP_FINAL : 0) |
                       (p->d.flags & OD_MERGEABLE ? FT_OMP_MERGEABLE : 0) | (loop ? FT_OMP_TASKLOOP : 0));
  }
  if (usr.failed || name.failed) tu->failed = 1;
  ut_buf_free(&usr);
  ut_buf_free(&name);
  return idx == FT_NONE ? -1 : (int32_t)idx;
}

/* The bodiless libomp entry point of a runtime operation. */
static uint32_t fe_rt_func(fe_walk *w, int rt, ft_loc at) {
  ut_buf usr = {0};
  ut_buf_printf(&usr, "c:@F@%s", od_rt_name(rt));
  int is_new;
  uint32_t idx = usr.failed ? FT_NONE : ft_func_intern(w->tu, usr.s, "", &is_new);
  ut_buf_free(&usr);
  if (idx != FT_NONE && is_new) {
    ft_func *f = &w->tu->funcs.v[idx];
    f->name = ft_str(w->tu, od_rt_name(rt));
    f->external = 1;
    f->loc = at;
    f->fntype = "";
    f->fnkey = "";
  }
  return idx;
}

static void fe_effect_at(fe_walk *w, int32_t func, fx_kind kind, const char *detail, ft_loc at) {
  ft_effect e = {(uint32_t)func, (uint8_t)kind, 0, ft_str(w->tu, detail), at, at};
  if (func >= 0 && UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
}

/* What a pragma does where it is encountered: its clauses' names, its
 * runtime operations (task scheduling points), the call of its task. */
static void fe_pragma_effects(fe_fnscan *s, fe_pragma *p) {
  fe_walk *w = s->w;
  for (size_t i = 0; i < p->ntok && p->ok; i++) {
    const fe_tok *t = &s->toks.v[p->tok0 + i];
    uint8_t role = s->roles[p->tok0 + i];
    if (role == OD_R_NAME || role == OD_R_CALL) fe_omp_resolve(s, p, t->s, role == OD_R_CALL, fe_tok_loc(s, t), 0);
  }
  if (!p->ok) return;
  int32_t saved = w->cur;
  w->cur = p->ctx;
  for (int rt = 0; rt < OD_NRT; rt++)
    if (p->d.rt & (1u << rt)) fe_call_at(w, fe_rt_func(w, rt, p->at), p->at);
  if (p->body != p->ctx && p->body >= 0) fe_call_at(w, (uint32_t)p->body, p->at);
  w->cur = saved;
}

/* threadprivate(list) in a body: the listed variables are thread-local. */
static void fe_threadprivate(fe_fnscan *s, fe_pragma *p) {
  for (size_t i = 0; i < p->ntok && p->ok; i++) {
    if (s->roles[p->tok0 + i] != OD_R_TPNAME) continue;
    const char *name = s->toks.v[p->tok0 + i].s;
    uint32_t v;
    CXCursor var = clang_getNullCursor();
    if (ut_map_get(&s->locals, name, &v)) var = s->local_defs.v[v];
    else if (ut_map_get(&s->o->vars, name, &v)) var = s->o->var_defs.v[v];
    if (clang_Cursor_isNull(var) || clang_getCursorKind(var) != CXCursor_VarDecl) {
      fe_pragma_fail(p, "threadprivate names '%s', which is not a variable fnprop can find", name);
      continue;
    }
    const char *k = ut_arena_strdup(&s->o->arena, fe_usr(s->w, var));
    if (!k || ut_map_put(&s->o->tls, k, 1) < 0) s->w->tu->failed = 1;
  }
}

/* Is pragma q's region [q.start, q.stmt_end] around pragma p? */
static int fe_encloses(const fe_pragma *q, const fe_pragma *p) {
  return q->has_stmt && q->start < p->start && p->start < q->stmt_end;
}

static int fe_region_cmp(const void *a, const void *b) {
  const fe_region *x = a, *y = b;
  return x->start != y->start ? (x->start > y->start) - (x->start < y->start) : (x->end > y->end) - (x->end < y->end);
}

int32_t fe_omp_region(fe_walk *w, CXCursor c) {
  struct fe_omp *o = w->omp;
  if (!o->regions.n) return -1;
  CXFile f;
  CXSourceRange r = clang_getCursorExtent(c);
  fe_region key = {fe_omp_offset(clang_getRangeStart(r), &f), 0, -1};
  if (!clang_File_isEqual(f, o->file)) return -1;
  key.end = fe_omp_offset(clang_getRangeEnd(r), NULL);
  const fe_region *hit = bsearch(&key, o->regions.v, o->regions.n, sizeof key, fe_region_cmp);
  return hit ? hit->body : -1;
}

/* Joins the function's directives of the first parse to its pragmas. */
static void fe_match_first(fe_fnscan *s) {
  const struct fe_omp *o = s->o;
  for (size_t i = 0; i < o->dirs.n; i++) {
    const fe_omp_dir *d = &o->dirs.v[i];
    if (d->func != s->fn->func) continue;
    fe_pragma *hit = NULL;
    for (size_t k = 0; k < s->prag.n && !hit; k++)
      if (s->prag.v[k].hash.line == d->at.line && !strcmp(s->prag.v[k].hash.file, d->at.file)) hit = &s->prag.v[k];
    if (!hit) {
      fe_scan_fail(s, d->at, "%s", "an OpenMP directive the parse without -fopenmp does not show");
      continue;
    }
    hit->matched = 1;
    /* stacked pragmas: the first parse's region of the outer one is the
     * next directive, whose extent is its pragma line */
    uint32_t start = hit->stmt_start, end = hit->stmt_end;
    for (size_t k = 0; k < s->prag.n; k++)
      if (s->prag.v[k].start >= hit->end && s->prag.v[k].start < start)
        start = s->prag.v[k].start, end = s->prag.v[k].end;
    if (hit->has_stmt != d->has_stmt || (d->has_stmt && (start != d->stmt_start || end != d->stmt_end)))
      fe_pragma_fail(hit, "%s", "its region is not the same statement in both parses");
  }
  for (size_t k = 0; k < s->prag.n; k++)
    if (s->prag.v[k].outer < 0 && !s->prag.v[k].matched)
      fe_pragma_fail(&s->prag.v[k], "%s", "the -fopenmp parse shows no directive here");
}

/* ---- flow facts (stage 3) -------------------------------------------------------- */
static int fe_omp_flow_tls(void *arg, CXCursor var) { return fe_omp_is_tls(arg, var); }

/* Why the flow builder cannot follow the clauses of p (NULL: it can); the
 * locals they read go to uses. */
typedef struct fe_flow_uses {
  const void **v;
  size_t n, cap;
} fe_flow_uses;

static const char *fe_flow_clauses(fe_fnscan *s, const fe_pragma *p, char *why, size_t n, fe_flow_uses *uses) {
  if (!strcmp(p->d.name, "cancel") || !strcmp(p->d.name, "cancellation point")) {
    snprintf(why, n, "'%s' may end the region early, which the flow builder does not follow", p->d.name);
    return why;
  }
  for (size_t i = 0; i < p->ntok; i++) {
    uint8_t role = s->roles[p->tok0 + i];
    const char *name = s->toks.v[p->tok0 + i].s;
    if (role == OD_R_CALL) {
      snprintf(why, n, "a clause calls '%s'", name);
      return why;
    }
    if (role != OD_R_NAME) continue;
    uint32_t v;
    if (ut_map_get(&s->o->macros, name, &v)) {
      snprintf(why, n, "a clause uses macro '%s'", name);
      return why;
    }
    int found = 0;
    for (size_t k = 0; k < s->local_defs.n; k++) { /* every local of that name (shadowing: all of them) */
      CXCursor d = s->local_defs.v[k];
      CXString sp = clang_getCursorSpelling(d);
      int same = !strcmp(clang_getCString(sp), name);
      clang_disposeString(sp);
      if (!same) continue;
      if (fe_omp_is_tls(s->w, d)) {
        snprintf(why, n, "a clause names thread-local variable '%s'", name);
        return why;
      }
      found = 1;
      if (UT_PUSH(*uses, d.data[0]) < 0) s->w->tu->failed = 1;
    }
    if (found) continue;
    if (ut_map_get(&s->o->vars, name, &v)) {
      if (!fe_omp_is_tls(s->w, s->o->var_defs.v[v])) continue; /* a global: memory */
      snprintf(why, n, "a clause names thread-local variable '%s'", name);
      return why;
    }
    snprintf(why, n, "a clause names '%s', which is not a variable the flow builder can find", name);
    return why;
  }
  return NULL;
}

/* Builds the flow facts of fn and of its task regions from the second
 * parse (understood: every directive was), replacing fn's of the first
 * parse; otherwise each task function gets a flow that names the reason. */
static void fe_omp_flow(fe_fnscan *s, int understood) {
  fe_walk *w = s->w;
  ft_tu *tu = w->tu;
  const char *fname = tu->funcs.v[s->fn->func].name;
  if (!understood) {
    char why[300];
    snprintf(why, sizeof why, "the OpenMP directives of '%s' were not all understood", fname);
    for (size_t k = 0; k < s->prag.n; k++)
      if (s->prag.v[k].body >= 0 && s->prag.v[k].body != s->prag.v[k].ctx)
        ff_not_understood(tu, (uint32_t)s->prag.v[k].body, why, s->prag.v[k].at);
    return;
  }
  size_t n = s->prag.n;
  ff_omp_dir *dirs = calloc(n + 1, sizeof *dirs);
  char(*why)[240] = calloc(n + 1, sizeof *why);
  size_t *use0 = calloc(n + 1, sizeof *use0);
  fe_flow_uses uses = {0};
  if (!dirs || !why || !use0) {
    tu->failed = 1;
    goto out;
  }
  for (size_t k = 0; k < n; k++) {
    const fe_pragma *p = &s->prag.v[k];
    ff_omp_dir *d = &dirs[k];
    d->start = p->start;
    d->line = p->at.line;
    d->col = p->at.col;
    d->has_stmt = (uint8_t)p->has_stmt;
    d->stmt_start = p->stmt_start;
    d->stmt_end = p->stmt_end;
    d->ctx = p->ctx;
    d->task = p->body >= 0 && p->body != p->ctx ? p->body : -1;
    d->shared = (p->d.flags & (OD_FORK | OD_TASK)) != 0;
    d->bypass = p->has_stmt && d->task < 0; /* single, master, sections, a thread's share of a loop */
    use0[k] = uses.n;
    d->bad = fe_flow_clauses(s, p, why[k], sizeof why[k], &uses);
    for (int rt = 0; rt < OD_NRT; rt++) {
      if (!(p->d.rt & (1u << rt))) continue;
      uint32_t f = fe_rt_func(w, rt, p->at);
      if (f == FT_NONE) continue;
      /* the join of a team and the end of a taskgroup come after the
       * region, an implicit barrier too; the rest before it */
      int pre = rt == OD_RT_FORK || rt == OD_RT_TASK || rt == OD_RT_TASKLOOP || rt == OD_RT_TASKWAIT ||
                rt == OD_RT_TASKYIELD || rt == OD_RT_ERROR || (rt == OD_RT_BARRIER && !p->has_stmt);
      int post = rt == OD_RT_FORK || (rt == OD_RT_BARRIER && p->has_stmt) || rt == OD_RT_TASKGROUP_END;
      if (pre && d->npre < 4) d->pre[d->npre++] = f;
      if (post && d->npost < 4) d->post[d->npost++] = f;
    }
  }
  for (size_t k = 0; k < n; k++) {
    dirs[k].uses = (const void *const *)uses.v + use0[k];
    dirs[k].nuses = (k + 1 < n ? use0[k + 1] : uses.n) - use0[k];
  }
  ff_omp omp = {s->o->file, dirs, n, fe_omp_flow_tls, w};
  if (tu->body_flow) fl_drop_funcs(tu->body_flow, s->fn->func, s->o->flow_first);
  ff_build_omp(tu, s->fn->func, s->def, clang_getNullCursor(), &omp);
  for (size_t k = 0; k < n; k++)
    if (dirs[k].task >= 0 && s->prag.v[k].has_stmt)
      ff_build_omp(tu, (uint32_t)dirs[k].task, s->def, s->prag.v[k].stmt, &omp);
out:
  free(dirs);
  free(why);
  free(use0);
  free(uses.v);
}

/* Walks the OpenMP regions of function fn in the second parse.  Returns 1
 * when every directive in it was understood. */
static int fe_omp_function(fe_walk *w, const fe_omp_fn *fn) {
  struct fe_omp *o = w->omp;
  CXFile file = clang_getFile(w->cx, fn->def.file);
  if (!file) return 0;
  CXCursor def = clang_getCursor(w->cx, clang_getLocation(w->cx, file, fn->def.line, fn->def.col));
  if (clang_getCursorKind(def) != CXCursor_FunctionDecl || !clang_isCursorDefinition(def) ||
      fe_func(w, def, 0) != fn->func)
    return 0;
  fe_fnscan s;
  memset(&s, 0, sizeof s);
  s.w = w;
  s.o = o;
  s.def = def;
  s.fn = fn;
  s.ok = 1;
  s.buf = clang_getFileContents(w->cx, file, &s.size);
  o->file = file;
  o->regions.n = 0;
  int understood = 0;
  if (!s.buf || fe_tokens(&s, w->cx, file) < 0) goto done;
  fe_omp_scan_tu(w);
  clang_visitChildren(def, fe_omp_locals, &s);
  fe_find_pragmas(&s);
  s.roles = calloc(s.toks.n + 1, 1);
  od_token *ot = calloc(s.toks.n + 1, sizeof *ot);
  if (!s.roles || !ot) {
    free(ot);
    w->tu->failed = 1;
    goto done;
  }
  for (size_t i = 0; i < s.toks.n; i++) ot[i].s = s.toks.v[i].s, ot[i].kind = s.toks.v[i].kind;
  for (size_t k = 0; k < s.prag.n; k++) {
    fe_pragma *p = &s.prag.v[k];
    p->d.role = s.roles + p->tok0;
    if (!od_parse(ot + p->tok0, p->ntok, &p->d)) fe_pragma_fail(p, "%s is not understood", p->d.unknown);
  }
  free(ot);
  clang_visitChildren(def, fe_place, &s);
  for (size_t k = 0; k < s.prag.n; k++) { /* nesting, then where each runs */
    fe_pragma *p = &s.prag.v[k];
    if (p->ok && (p->d.flags & OD_BLOCK) && !p->has_stmt) fe_pragma_fail(p, "%s", "no statement follows it");
    for (size_t q = k; q-- > 0;)
      if (fe_encloses(&s.prag.v[q], p)) {
        p->outer = (int)q;
        break;
      }
    p->ctx = p->outer >= 0 ? s.prag.v[p->outer].body : (int32_t)fn->func;
    p->body = p->ok && (p->d.flags & OD_TASK) ? fe_task_func(&s, p) : p->ctx;
    if (p->body < 0) p->body = p->ctx;
  }
  fe_match_first(&s);
  for (size_t k = 0; k < s.prag.n; k++)
    if (s.prag.v[k].ok && (s.prag.v[k].d.flags & OD_THREADPRIVATE)) fe_threadprivate(&s, &s.prag.v[k]);
  for (size_t k = 0; k < s.prag.n; k++) {
    fe_pragma *p = &s.prag.v[k];
    if (p->ok) fe_pragma_effects(&s, p);
    if (p->ok && (p->d.flags & OD_PANIC))
      fe_effect_at(w, p->ctx, FX_PANIC_CALL, "#pragma omp error at(execution)", p->at);
    if (p->has_stmt) {
      fe_region r = {p->stmt_start, p->stmt_end, p->body};
      if (UT_PUSH(o->regions, r) < 0) w->tu->failed = 1;
    }
  }
  /* one region per statement: the innermost pragma's (pushed last) */
  if (o->regions.n > 1) {
    size_t k = 0;
    for (size_t i = 0; i < o->regions.n; i++) {
      size_t j = 0;
      while (j < k && !(o->regions.v[j].start == o->regions.v[i].start && o->regions.v[j].end == o->regions.v[i].end))
        j++;
      if (j < k) o->regions.v[j].body = o->regions.v[i].body;
      else o->regions.v[k++] = o->regions.v[i];
    }
    o->regions.n = k;
    qsort(o->regions.v, o->regions.n, sizeof *o->regions.v, fe_region_cmp);
  }
  /* walk the top-level regions (nested ones are inside them) */
  w->cur_cursor = def;
  w->cur_returns_fnptr = fe_is_fnptr(clang_getCursorResultType(def));
  w->stores.n = 0;
  for (size_t k = 0; k < s.prag.n; k++) {
    fe_pragma *p = &s.prag.v[k];
    if (p->outer >= 0 || !p->has_stmt) continue;
    int done = 0;
    for (size_t q = 0; q < k && !done; q++)
      done = s.prag.v[q].outer < 0 && s.prag.v[q].has_stmt && s.prag.v[q].stmt_start == p->stmt_start &&
             s.prag.v[q].stmt_end == p->stmt_end;
    if (done) continue;
    w->cur = (int32_t)fn->func;
    w->has_pending = 0;
    fe_walk_one(w, p->stmt, p->parent);
  }
  w->cur = -1;
  understood = s.ok;
  for (size_t k = 0; k < s.prag.n; k++) {
    fe_pragma *p = &s.prag.v[k];
    if (p->ok) continue;
    understood = 0;
    char what[400], text[96];
    od_token ptoks[24];
    size_t m = p->ntok < 24 ? p->ntok : 24;
    for (size_t i = 0; i < m; i++) ptoks[i].s = s.toks.v[p->tok0 + i].s, ptoks[i].kind = s.toks.v[p->tok0 + i].kind;
    od_text(ptoks, m, text, sizeof text);
    snprintf(what, sizeof what, "OpenMP directive '#pragma omp %s' (%s)", text, p->why);
    fe_effect_at(w, p->ctx, FX_UNSEEN, what, p->hash);
  }
  if (!s.ok) {
    char what[300];
    snprintf(what, sizeof what, "%s", s.why);
    fe_effect_at(w, (int32_t)fn->func, FX_UNSEEN, what, s.why_at);
  }
  fe_omp_flow(&s, understood);
done:
  o->regions.n = 0;
  free(s.roles);
  free(s.toks.v);
  free(s.prag.v);
  free(s.local_defs.v);
  ut_map_free(&s.locals);
  ut_arena_free(&s.arena);
  return understood;
}

/* ---- the pass --------------------------------------------------------------- */
static int fe_has_errors(CXTranslationUnit cx) {
  unsigned n = clang_getNumDiagnostics(cx);
  int bad = 0;
  for (unsigned i = 0; i < n && !bad; i++) {
    CXDiagnostic d = clang_getDiagnostic(cx, i);
    bad = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
    clang_disposeDiagnostic(d);
  }
  return bad;
}

/* Drops the unseen reasons of the directives of functions fully understood. */
static void fe_drop_reasons(ft_tu *tu, const struct fe_omp *o, const uint8_t *understood) {
  uint8_t *drop = calloc(tu->effects.n + 1, 1);
  if (!drop) {
    tu->failed = 1;
    return;
  }
  for (size_t i = 0; i < o->dirs.n; i++) {
    const fe_omp_dir *d = &o->dirs.v[i];
    for (size_t f = 0; f < o->funcs.n; f++)
      if (o->funcs.v[f].func == d->func && understood[f] && d->effect != FT_NONE && d->effect < tu->effects.n)
        drop[d->effect] = 1;
  }
  /* a function defined twice (gnu_inline) is understood only if every definition is */
  for (size_t i = 0; i < o->dirs.n; i++)
    for (size_t f = 0; f < o->funcs.n; f++)
      if (o->funcs.v[f].func == o->dirs.v[i].func && !understood[f] && o->dirs.v[i].effect < tu->effects.n)
        for (size_t j = 0; j < o->dirs.n; j++)
          if (o->dirs.v[j].func == o->dirs.v[i].func && o->dirs.v[j].effect < tu->effects.n)
            drop[o->dirs.v[j].effect] = 0;
  size_t k = 0;
  for (size_t i = 0; i < tu->effects.n; i++)
    if (!drop[i]) tu->effects.v[k++] = tu->effects.v[i];
  tu->effects.n = k;
  free(drop);
}

int fe_omp_finish(fe_walk *w1, const cdb_entry *e) {
  struct fe_omp *o = w1->omp;
  w1->omp = NULL;
  if (!o || !o->funcs.n) {
    fe_omp_free(o);
    return 0;
  }
  ft_tu *tu = w1->tu;
  fe_ctx *ctx = w1->ctx;
  /* the first parse is no longer needed: one parse in memory at a time */
  clang_disposeTranslationUnit(w1->cx);
  w1->cx = NULL;
  long version = fe_omp_macro_value(ctx, e);
  int argc0, rc = 0;
  const char **argv0 = fe_args(e, tu, NULL, &argc0);
  const char **argv = calloc((size_t)argc0 + 2, sizeof *argv);
  char define[64];
  snprintf(define, sizeof define, "-D_OPENMP=%ld", version);
  uint8_t *understood = calloc(o->funcs.n, 1);
  struct CXUnsavedFile *unsaved = NULL;
  size_t nunsaved = 0;
  if (!argv0 || !argv || !understood) {
    rc = -1;
    goto out;
  }
  int argc = 0;
  for (int i = 0; i < argc0; i++)
    if (i == 0 || !fe_omp_flag(argv0[i])) argv[argc++] = argv0[i];
  if (version > 0) argv[argc++] = define;
  CXTranslationUnit cx = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_DetailedPreprocessingRecord;
  if (version < 0 || o->user_variant) goto out;
  unsaved = calloc(o->blank.n + 1, sizeof *unsaved);
  if (!unsaved) {
    rc = -1;
    goto out;
  }
  for (size_t i = 0; i < o->blank.n; i++) {
    ut_buf b = {0};
    char why[128];
    if (ut_read_file(o->blank.v[i], 64u << 20, &b, why, sizeof why) < 0 || !b.s) {
      ut_buf_free(&b);
      goto out; /* cannot reproduce the header: no second parse */
    }
    fe_blank_variants(b.s, b.n);
    unsaved[nunsaved].Filename = o->blank.v[i];
    unsaved[nunsaved].Contents = b.s;
    unsaved[nunsaved++].Length = (unsigned long)b.n;
  }
  if (clang_parseTranslationUnit2FullArgv(ctx->index, NULL, argv, argc, unsaved, (unsigned)nunsaved, opts, &cx) !=
          CXError_Success ||
      !cx)
    goto out;
  if (!fe_has_errors(cx)) {
    fe_walk w2;
    fe_walk_init(&w2, ctx, tu, cx);
    w2.omp = o;
    w2.omp_pass = 2;
    o->flow_first = tu->body_flow ? tu->body_flow->funcs.n : 0;
    for (size_t i = 0; i < o->funcs.n; i++) understood[i] = (uint8_t)fe_omp_function(&w2, &o->funcs.v[i]);
    fe_walk_pending(&w2);
    w2.omp = NULL;
    fe_walk_free(&w2);
    fe_drop_reasons(tu, o, understood);
  }
  clang_disposeTranslationUnit(cx);
out:
  for (size_t i = 0; i < nunsaved; i++) free((char *)unsaved[i].Contents);
  free(unsaved);
  free(argv0);
  free(argv);
  free(understood);
  fe_omp_free(o);
  return rc;
}
