/* SPDX-License-Identifier: MIT */
/*
 * frontend.c - libclang cursor walk that turns one TU into ft_tu facts.
 *
 * Scope decisions:
 * - Declarations from system headers are not walked, except the bodies of
 *   system-header functions this TU actually references (a worklist), so a
 *   glibc inline wrapper is analyzed while the thousands of unused
 *   prototypes cost nothing.
 * - Locations are expansion locations: a call that comes from `assert` or
 *   `errno` is reported where the user wrote the macro.
 * - A reference to a function that is not the callee of a call is an
 *   address-taken use (a potential indirect-call target).
 * - Compiler flags that would write files (-M*) or turn warnings into errors
 *   are dropped; the parse is syntax-only.
 */
#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontend.h"
#include "model.h"

struct fe_ctx {
  CXIndex index;
};

typedef struct fe_file {
  CXFile file;
  const char *path;
} fe_file;

typedef struct fe_walk {
  ft_tu *tu;
  int32_t cur;              /* function whose body is walked; -1 at file scope */
  CXCursor pending;         /* callee DeclRefExpr of the call being visited */
  int has_pending;
  struct { fe_file *v; size_t n, cap; } files;
  size_t last_file;
  struct { CXCursor *v; size_t n, cap; } work; /* system-header bodies to walk */
  CXTranslationUnit cx;
  int64_t parse_start_ns;
  ut_map inputs_seen;
} fe_walk;

fe_ctx *fe_create(void) {
  fe_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  ctx->index = clang_createIndex(0, 0);
  if (!ctx->index) {
    free(ctx);
    return NULL;
  }
  return ctx;
}

void fe_destroy(fe_ctx *ctx) {
  if (!ctx) return;
  clang_disposeIndex(ctx->index);
  free(ctx);
}

/* ---- locations ------------------------------------------------------------ */
static const char *fe_path(fe_walk *w, CXFile f) {
  if (!f) return "";
  if (w->last_file < w->files.n && clang_File_isEqual(w->files.v[w->last_file].file, f))
    return w->files.v[w->last_file].path;
  for (size_t i = 0; i < w->files.n; i++)
    if (clang_File_isEqual(w->files.v[i].file, f)) {
      w->last_file = i;
      return w->files.v[i].path;
    }
  CXString s = clang_File_tryGetRealPathName(f);
  const char *p = clang_getCString(s);
  CXString name = {0};
  if (!p || !*p) {
    clang_disposeString(s);
    s = name = clang_getFileName(f);
    p = clang_getCString(s);
  }
  fe_file e = {f, ft_str(w->tu, p)};
  clang_disposeString(s);
  if (UT_PUSH(w->files, e) < 0) {
    w->tu->failed = 1;
    return e.path;
  }
  w->last_file = w->files.n - 1;
  return e.path;
}

static ft_loc fe_loc(fe_walk *w, CXSourceLocation loc) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(loc, &f, &line, &col, NULL);
  ft_loc l = {fe_path(w, f), line, col};
  return l;
}

static ft_loc fe_cursor_loc(fe_walk *w, CXCursor c) { return fe_loc(w, clang_getCursorLocation(c)); }

/* ---- declarations --------------------------------------------------------- */
typedef struct fe_attrs {
  fe_walk *w;
  uint32_t annots;
  int spawn;
  int noreturn, weak;
} fe_attrs;

/* The attribute's name as written at its spelling location: for
 * `noreturn` from <stdnoreturn.h> or a project macro this is the `_Noreturn`
 * inside the macro definition (libclang >= 19 reports spelling locations
 * inside macros; older versions give the expansion site, i.e. the macro's
 * name).  Reads the identifier straight from the file buffer. */
static void fe_attr_word(CXCursor attr, char *word, size_t n) {
  CXFile f;
  unsigned off;
  word[0] = '\0';
  clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(attr)), &f, NULL, NULL, &off);
  if (!f) return;
  size_t size = 0;
  const char *buf = clang_getFileContents(clang_Cursor_getTranslationUnit(attr), f, &size);
  size_t i = 0;
  while (buf && off + i < size && i + 1 < n) {
    char ch = buf[off + i];
    if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) break;
    word[i++] = ch;
  }
  word[i] = '\0';
}

static void fe_attr_tokens(fe_attrs *a, CXCursor attr) {
  char w[32];
  fe_attr_word(attr, w, sizeof w);
  if (!strcmp(w, "_Noreturn") || !strcmp(w, "noreturn") || !strcmp(w, "__noreturn__")) a->noreturn = 1;
  if (!strcmp(w, "weak") || !strcmp(w, "__weak__")) a->weak = 1;
}

static enum CXChildVisitResult fe_attr_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_attrs *a = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_AnnotateAttr) {
    CXString s = clang_getCursorSpelling(c);
    const char *t = clang_getCString(s);
    if (t) a->annots |= ft_annotation_bit(t, &a->spawn);
    clang_disposeString(s);
  } else if (k == CXCursor_UnexposedAttr) {
    fe_attr_tokens(a, c);
  }
  return CXChildVisit_Continue;
}

/* Reads the attributes of one declaration (function or variable). */
static fe_attrs fe_decl_attrs(fe_walk *w, CXCursor decl) {
  fe_attrs a = {w, 0, 0, 0, 0};
  if (clang_Cursor_hasAttrs(decl)) clang_visitChildren(decl, fe_attr_visit, &a);
  if (clang_getCursorKind(decl) == CXCursor_FunctionDecl) {
    CXString s = clang_getTypeSpelling(clang_getCursorType(decl));
    const char *t = clang_getCString(s);
    if (t && strstr(t, "noreturn")) a.noreturn = 1;
    clang_disposeString(s);
  }
  return a;
}

static int fe_in_system_header(CXCursor c) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(c));
}

/* Interns the function declared by `decl` and merges what this declaration
 * says about it.  Returns FT_NONE when out of memory. */
static uint32_t fe_func(fe_walk *w, CXCursor decl) {
  ft_tu *tu = w->tu;
  CXCursor def = clang_getCursorDefinition(decl);
  int has_def = !clang_Cursor_isNull(def);
  enum CXLinkageKind lk = clang_getCursorLinkage(decl);
  int external = lk == CXLinkage_External || lk == CXLinkage_UniqueExternal;
  CXCursor home = has_def ? def : clang_getCanonicalCursor(decl);
  CXString usr = clang_getCursorUSR(decl);
  const char *key = external ? "" : fe_cursor_loc(w, home).file;
  int is_new;
  uint32_t idx = ft_func_intern(tu, clang_getCString(usr), key, &is_new);
  clang_disposeString(usr);
  if (idx == FT_NONE) return idx;
  ft_func *f = &tu->funcs.v[idx];
  if (is_new) {
    CXString name = clang_getCursorSpelling(decl);
    f->name = ft_str(tu, clang_getCString(name));
    clang_disposeString(name);
    f->external = (uint8_t)external;
    f->loc = fe_cursor_loc(w, home);
    f->system = (uint8_t)fe_in_system_header(home);
    if (has_def && fe_in_system_header(def) && UT_PUSH(w->work, def) < 0) tu->failed = 1;
  }
  fe_attrs a = fe_decl_attrs(w, decl);
  f = &tu->funcs.v[idx];
  f->annots |= a.annots;
  if (a.spawn) f->spawn_param = a.spawn;
  f->noreturn |= (uint8_t)a.noreturn;
  f->weak |= (uint8_t)a.weak;
  return idx;
}

/* ---- bodies --------------------------------------------------------------- */
static enum CXChildVisitResult fe_first_child(CXCursor c, CXCursor parent, CXClientData d) {
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

/* The callee expression of a call (its first child). */
static CXCursor fe_callee_expr(CXCursor call) {
  CXCursor e = clang_getNullCursor();
  clang_visitChildren(call, fe_first_child, &e);
  return e;
}

/* The DeclRefExpr naming a direct callee, looking through implicit casts
 * and parentheses; the null cursor when the callee is another expression. */
static CXCursor fe_callee_ref(CXCursor call) {
  CXCursor e = fe_callee_expr(call);
  for (int depth = 0; depth < 16 && !clang_Cursor_isNull(e); depth++) {
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) return e;
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr) break;
    CXCursor inner = clang_getNullCursor();
    clang_visitChildren(e, fe_first_child, &inner);
    e = inner;
  }
  return clang_getNullCursor();
}

static void fe_indirect_call(fe_walk *w, CXCursor call) {
  if (w->cur < 0) return;
  CXType t = clang_getCanonicalType(clang_getCursorType(fe_callee_expr(call)));
  if (t.kind == CXType_Pointer) t = clang_getCanonicalType(clang_getPointeeType(t));
  CXString s = clang_getTypeSpelling(t);
  ft_icall ic = {(uint32_t)w->cur, ft_str(w->tu, clang_getCString(s)), fe_cursor_loc(w, call)};
  clang_disposeString(s);
  if (UT_PUSH(w->tu->icalls, ic) < 0) w->tu->failed = 1;
}

static void fe_call(fe_walk *w, CXCursor call) {
  CXCursor ref = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl) {
    fe_indirect_call(w, call);
    return;
  }
  uint32_t callee = fe_func(w, ref);
  CXCursor r = fe_callee_ref(call);
  w->pending = r;
  w->has_pending = !clang_Cursor_isNull(r);
  if (callee == FT_NONE || w->cur < 0) return;
  ft_call c = {(uint32_t)w->cur, callee, fe_cursor_loc(w, call)};
  if (UT_PUSH(w->tu->calls, c) < 0) w->tu->failed = 1;
}

static void fe_ref(fe_walk *w, CXCursor c) {
  CXCursor ref = clang_getCursorReferenced(c);
  enum CXCursorKind k = clang_getCursorKind(ref);
  if (k == CXCursor_FunctionDecl) {
    /* clang_equalCursors also compares the visitor's parent bookkeeping, which
     * differs between the two walks; the raw location identifies the token. */
    if (w->has_pending && clang_equalLocations(clang_getCursorLocation(c), clang_getCursorLocation(w->pending))) {
      w->has_pending = 0;
      return;
    }
    uint32_t f = fe_func(w, ref);
    if (f == FT_NONE) return;
    ft_addr a = {f, w->cur, fe_cursor_loc(w, c)};
    if (UT_PUSH(w->tu->addrs, a) < 0) w->tu->failed = 1;
  } else if (k == CXCursor_VarDecl && w->cur >= 0 && clang_getCursorTLSKind(ref) != CXTLS_None) {
    CXString name = clang_getCursorSpelling(ref);
    ft_effect e = {(uint32_t)w->cur, FX_TLS_VAR, fe_decl_attrs(w, ref).annots,
                   ft_str(w->tu, clang_getCString(name)), fe_cursor_loc(w, c), fe_cursor_loc(w, ref)};
    clang_disposeString(name);
    if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
  }
}

static enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  switch (clang_getCursorKind(c)) {
  case CXCursor_CallExpr: fe_call(w, c); break;
  case CXCursor_DeclRefExpr: fe_ref(w, c); break;
  default: break;
  }
  return CXChildVisit_Recurse;
}

static void fe_walk_definition(fe_walk *w, uint32_t idx, CXCursor def) {
  ft_func *f = &w->tu->funcs.v[idx];
  if (f->has_body) return;
  f->has_body = 1;
  f->loc = fe_cursor_loc(w, def);
  int32_t saved = w->cur;
  w->cur = (int32_t)idx;
  w->has_pending = 0;
  clang_visitChildren(def, fe_body, w);
  w->cur = saved;
}

static enum CXChildVisitResult fe_top(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (fe_in_system_header(c)) return CXChildVisit_Continue;
  if (clang_getCursorKind(c) == CXCursor_FunctionDecl) {
    uint32_t idx = fe_func(w, c);
    if (idx != FT_NONE && clang_isCursorDefinition(c)) fe_walk_definition(w, idx, c);
  } else {
    w->cur = -1;
    clang_visitChildren(c, fe_body, w);
  }
  return CXChildVisit_Continue;
}

/* ---- translation unit ----------------------------------------------------- */
static int fe_drop_arg(char **argv, int i, int argc, int *skip_next) {
  const char *a = argv[i];
  *skip_next = 0;
  if (!strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ") || !strcmp(a, "-o")) {
    *skip_next = i + 1 < argc;
    return 1;
  }
  if (!strncmp(a, "-M", 2) || !strncmp(a, "-Werror", 7) || !strcmp(a, "-c") || !strcmp(a, "-S") ||
      !strcmp(a, "-E"))
    return 1;
  if (!strncmp(a, "-o", 2) && a[2]) return 1;
  return 0;
}

static void fe_diagnostics(fe_walk *w, CXTranslationUnit cx) {
  unsigned n = clang_getNumDiagnostics(cx);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(cx, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    if (sev >= CXDiagnostic_Error) {
      CXString s = clang_getDiagnosticSpelling(d);
      ft_diag fd = {fe_loc(w, clang_getDiagnosticLocation(d)), 1, ft_str(w->tu, clang_getCString(s))};
      clang_disposeString(s);
      w->tu->complete = 0;
      if (UT_PUSH(w->tu->diags, fd) < 0) w->tu->failed = 1;
    }
    clang_disposeDiagnostic(d);
  }
}

/* Records a file the TU read with its cache fingerprint: the content hash of
 * the very buffer clang parsed, and the stat triple.  A file modified after
 * the parse began gets mtime 0, so the next run hashes it instead of trusting
 * a timestamp that may describe newer content than was parsed. */
static void fe_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData d) {
  fe_walk *w = d;
  const char *p = fe_path(w, f);
  uint32_t seen;
  if (ut_map_get(&w->inputs_seen, p, &seen)) return;
  if (ut_map_put(&w->inputs_seen, p, 1) < 0) w->tu->failed = 1;
  ft_input in = {p, -1, 0, 0, 0};
  size_t size = 0;
  const char *buf = clang_getFileContents(w->cx, f, &size);
  in.hash = ut_hash_fast(buf ? buf : "", buf ? size : 0);
  struct stat st;
  if (stat(p, &st) == 0) {
    in.size = st.st_size;
    in.inode = (int64_t)st.st_ino;
    in.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (in.mtime_ns >= w->parse_start_ns - 1000000000) in.mtime_ns = 0;
  }
  if (UT_PUSH(w->tu->inputs, in) < 0) w->tu->failed = 1;
}

ft_tu *fe_parse(fe_ctx *ctx, const cdb_entry *e) {
  ft_tu *tu = ft_tu_create(e->file, e->directory);
  if (!tu) return NULL;
  const char **argv = calloc((size_t)e->argc + 4, sizeof *argv);
  if (!argv) {
    ft_tu_destroy(tu);
    return NULL;
  }
  int argc = 0, skip = 0;
  for (int i = 0; i < e->argc; i++) {
    if (i > 0 && fe_drop_arg(e->argv, i, e->argc, &skip)) {
      i += skip;
      continue;
    }
    argv[argc++] = e->argv[i];
  }
  argv[argc++] = "-fsyntax-only";
  argv[argc++] = "-Wno-error";
  argv[argc++] = "-working-directory";
  argv[argc++] = e->directory;

  CXTranslationUnit cx = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  enum CXErrorCode rc = clang_parseTranslationUnit2FullArgv(ctx->index, NULL, argv, argc, NULL, 0, opts, &cx);
  free(argv);
  fe_walk w = {0};
  w.tu = tu;
  w.cur = -1;
  w.cx = cx;
  w.parse_start_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  if (rc != CXError_Success || !cx) {
    const char *why = access(e->file, R_OK) != 0
                          ? "source file does not exist or cannot be read; rebuild compile_commands.json or restore the file"
                          : "libclang could not parse this file; check the compile command's flags";
    ft_diag d = {{tu->file, 1, 1}, 1, ft_str(tu, why)};
    tu->complete = 0;
    if (UT_PUSH(tu->diags, d) < 0) tu->failed = 1;
    return tu;
  }
  fe_diagnostics(&w, cx);
  clang_getInclusions(cx, fe_inclusion, &w);
  clang_visitChildren(clang_getTranslationUnitCursor(cx), fe_top, &w);
  while (w.work.n) {
    CXCursor def = w.work.v[--w.work.n];
    uint32_t idx = fe_func(&w, def);
    if (idx != FT_NONE) fe_walk_definition(&w, idx, def);
  }
  free(w.work.v);
  free(w.files.v);
  ut_map_free(&w.inputs_seen);
  clang_disposeTranslationUnit(cx);
  return tu;
}
