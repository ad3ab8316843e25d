/* SPDX-License-Identifier: MIT */
/*
 * frontend.c - libclang cursor walk that turns one TU into ft_tu facts.
 *
 * Key invariant: the body walk is closed-world.  Every cursor is looked up
 * in syntax.c's table of understood kinds; what is not understood records
 * an FX_UNSEEN reason on the enclosing function (and the walk goes on
 * below it), so nothing is proven through code fnprop did not see.
 *
 * Scope decisions:
 * - Declarations from system headers are not walked, except the bodies of
 *   system-header functions this TU actually references (a worklist) and
 *   variables with initializers (vendor tables of callbacks), so a glibc
 *   inline wrapper is analyzed while the thousands of unused prototypes
 *   cost nothing.
 * - Locations are expansion locations: a call that comes from `assert` or
 *   `errno` is reported where the user wrote the macro.
 * - A reference to a function that is not the callee of a call is an
 *   address-taken use (a potential indirect-call target).
 * - What is never evaluated is not walked: sizeof/_Alignof/typeof operands
 *   (but VLA bounds), _Generic's controlling expression and unselected
 *   associations, the unchosen operand of __builtin_choose_expr, branches
 *   a constant condition rules out (unless a label inside can be entered).
 * - Compiler flags that would write files (-M*) or turn warnings into errors
 *   are dropped, as are flags the clang driver rejects (GCC-only ones; the
 *   parse is retried); GCC's warnings-not-errors are downgraded.  The parse
 *   is syntax-only and computes no warnings (-w).
 */
#include <clang-c/Index.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asmscan.h"
#include "frontend.h"
#include "frontend_flow.h"
#include "frontend_int.h"
#include "hsearch.h"
#include "model.h"
#include "syntax.h"

static const char *fe_fn_key(fe_walk *w, CXType fn);

/* clang_createIndex registers LLVM's targets (InitializeAllTargets and
 * friends) into a global list without a lock: two workers creating their
 * indexes at once can link that list into a cycle, and the first Microsoft
 * inline assembly block (-fasm-blocks), whose parse looks a target up, then
 * spins forever in TargetRegistry::lookupTarget (seen once in 40 parallel
 * runs, before the driver created its search-list index on the main thread
 * ahead of the workers).  Indexes are created one at a time so that no
 * caller depends on that ordering. */
static pthread_mutex_t fe_index_lock = PTHREAD_MUTEX_INITIALIZER;

fe_ctx *fe_create(void) {
  fe_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  /* A crash inside the parse (an assertion, a stack overflow, bad_alloc)
   * then comes back as CXError_Crashed for this TU instead of ending the
   * process (the default; said here because fnprop relies on it). */
  pthread_mutex_lock(&fe_index_lock);
  clang_toggleCrashRecovery(1);
  ctx->index = clang_createIndex(0, 0);
  pthread_mutex_unlock(&fe_index_lock);
  if (!ctx->index) {
    free(ctx);
    return NULL;
  }
  return ctx;
}

const char *fe_libclang_version(char *buf, size_t n) {
  CXString v = clang_getClangVersion();
  snprintf(buf, n, "%s", clang_getCString(v) ? clang_getCString(v) : "");
  clang_disposeString(v);
  return buf;
}

void fe_destroy(fe_ctx *ctx) {
  if (!ctx) return;
  clang_disposeIndex(ctx->index);
  fe_searchlists_destroy(ctx->own);
  ut_map_free(&ctx->digest_index);
  free(ctx->digests.v);
  ut_arena_free(&ctx->arena);
  hs_cache_free(&ctx->answers);
  ut_map_free(&ctx->omp_macro);
  free(ctx);
}

/* ---- locations ------------------------------------------------------------ */
const char *fe_path(fe_walk *w, CXFile f) {
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

ft_loc fe_loc(fe_walk *w, CXSourceLocation loc) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(loc, &f, &line, &col, NULL);
  ft_loc l = {fe_path(w, f), line, col};
  return l;
}

ft_loc fe_cursor_loc(fe_walk *w, CXCursor c) { return fe_loc(w, clang_getCursorLocation(c)); }

/* ---- declarations --------------------------------------------------------- */
typedef struct fe_attrs {
  fe_walk *w;
  uint32_t annots;
  int spawn;
  int noreturn, weak;
} fe_attrs;

/* Attribute names are read at their spelling location (syntax.c): for
 * `noreturn` from <stdnoreturn.h> or a project macro this is the
 * `_Noreturn` inside the macro definition (libclang >= 19 reports spelling
 * locations inside macros; older versions give the expansion site, i.e.
 * the macro's name). */
static enum CXChildVisitResult fe_attr_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_attrs *a = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_AnnotateAttr) {
    CXString s = clang_getCursorSpelling(c);
    const char *t = clang_getCString(s);
    if (t) a->annots |= ft_annotation_bit(t, &a->spawn);
    clang_disposeString(s);
  } else if (k == CXCursor_UnexposedAttr) {
    char w[64];
    sx_attr cls = sx_attribute(c, w, sizeof w);
    if (cls == SX_A_NORETURN) a->noreturn = 1;
    if (cls == SX_A_WEAK) a->weak = 1;
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

static int fe_in_system_header(CXCursor c) { return clang_Location_isInSystemHeader(clang_getCursorLocation(c)); }

/* Interns the function declared by `decl`; merges what this declaration
 * says about it (attributes) when `own` is set (the walk is at the
 * declaration itself) or the function is new.  Returns FT_NONE when out of
 * memory. */
/* Declaration -> function index, keyed by the declaration's identity (the
 * Decl pointer libclang keeps in data[0]), so a function called a thousand
 * times computes its USR once per redeclaration, not per call. */
static uint32_t *fe_decl_slot(fe_walk *w, const void *decl) {
  if (2 * (w->decls.n + 1) > w->decls.cap) {
    size_t cap = w->decls.cap ? 2 * w->decls.cap : 1024;
    fe_decl_entry *nv = calloc(cap, sizeof *nv);
    if (!nv) return NULL;
    for (size_t i = 0; i < w->decls.cap; i++) {
      if (!w->decls.v[i].key) continue;
      size_t j = ((uintptr_t)w->decls.v[i].key >> 4) & (cap - 1);
      while (nv[j].key) j = (j + 1) & (cap - 1);
      nv[j] = w->decls.v[i];
    }
    free(w->decls.v);
    w->decls.v = nv;
    w->decls.cap = cap;
  }
  size_t j = ((uintptr_t)decl >> 4) & (w->decls.cap - 1);
  while (w->decls.v[j].key && w->decls.v[j].key != decl) j = (j + 1) & (w->decls.cap - 1);
  if (!w->decls.v[j].key) {
    w->decls.v[j].key = decl;
    w->decls.v[j].idx = FT_NONE;
    w->decls.n++;
  }
  return &w->decls.v[j].idx;
}

static enum CXChildVisitResult fe_label_visit(CXCursor c, CXCursor parent, CXClientData d) {
  if (clang_getCursorKind(c) != CXCursor_AsmLabelAttr) return CXChildVisit_Continue;
  char *label = d;
  CXString s = clang_getCursorSpelling(c);
  const char *t = clang_getCString(s);
  if (t) snprintf(label, 128, "%s", t[0] == '\001' ? t + 1 : t); /* \1: no user-label prefix */
  clang_disposeString(s);
  return CXChildVisit_Break;
}

/* The asm label of a declaration, "" when it has none. */
static void fe_asm_label(CXCursor decl, char *label, size_t n) {
  label[0] = '\0';
  if (n >= 128 && clang_Cursor_hasAttrs(decl)) clang_visitChildren(decl, fe_label_visit, label);
}

/* Is `name` declared weak by `#pragma weak name` in a file the TU read? */
static int fe_pragma_weak(fe_walk *w, const char *name) {
  uint32_t v;
  return w->weak_names.n && ut_map_get(&w->weak_names, name, &v);
}

uint32_t fe_func(fe_walk *w, CXCursor decl, int own) {
  ft_tu *tu = w->tu;
  uint32_t *cached = fe_decl_slot(w, decl.data[0]);
  if (!cached) {
    tu->failed = 1;
    return FT_NONE;
  }
  if (!own && *cached != FT_NONE) return *cached;
  CXCursor def = clang_getCursorDefinition(decl);
  int has_def = !clang_Cursor_isNull(def);
  enum CXLinkageKind lk = clang_getCursorLinkage(decl);
  int external = lk == CXLinkage_External || lk == CXLinkage_UniqueExternal;
  CXCursor home = has_def ? def : clang_getCanonicalCursor(decl);
  /* asm("label") renames the symbol: models and linking use that name, so
   * the identity of an external function is the label's (`c:@F@label`,
   * what a plain declaration of `label` gets in another TU). */
  char label[128];
  fe_asm_label(home, label, sizeof label);
  if (!label[0]) fe_asm_label(decl, label, sizeof label);
  CXString usr = clang_getCursorUSR(decl);
  ut_buf lusr = {0};
  if (label[0] && external) ut_buf_printf(&lusr, "c:@F@%s", label);
  const char *key = external ? "" : fe_cursor_loc(w, home).file;
  int is_new;
  uint32_t idx = lusr.failed ? FT_NONE : ft_func_intern(tu, lusr.s ? lusr.s : clang_getCString(usr), key, &is_new);
  clang_disposeString(usr);
  ut_buf_free(&lusr);
  if (idx == FT_NONE) return tu->failed = 1, idx;
  *cached = idx;
  ft_func *f = &tu->funcs.v[idx];
  if (is_new) {
    CXString name = clang_getCursorSpelling(decl);
    const char *spelled = clang_getCString(name);
    f->name = ft_str(tu, label[0] ? label : spelled);
    if (external && spelled && fe_pragma_weak(w, spelled)) f->weak = 1;
    clang_disposeString(name);
    f->external = (uint8_t)external;
    f->loc = fe_cursor_loc(w, home);
    f->system = (uint8_t)fe_in_system_header(home);
    f->visible = clang_getCursorVisibility(home) == CXVisibility_Default;
    CXString t = clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(home)));
    f->fntype = ft_str(tu, clang_getCString(t));
    clang_disposeString(t);
    f = &tu->funcs.v[idx];
    f->fnkey = fe_fn_key(w, clang_getCursorType(home));
    if (has_def && fe_in_system_header(def) && UT_PUSH(w->work, def) < 0) tu->failed = 1;
  }
  if (!own && !is_new) return idx;
  fe_attrs a = fe_decl_attrs(w, decl);
  f = &tu->funcs.v[idx];
  if (own && !f->hdecl.file[0] && !clang_isCursorDefinition(decl) && !fe_in_system_header(decl) &&
      !clang_Location_isFromMainFile(clang_getCursorLocation(decl))) {
    CXFile ef;
    unsigned end;
    f->hdecl = fe_cursor_loc(w, decl);
    clang_getSpellingLocation(clang_getRangeEnd(clang_getCursorExtent(decl)), &ef, NULL, NULL, &end);
    f->hdecl_end = end;
  }
  f->annots |= a.annots;
  if (a.spawn) f->spawn_param = a.spawn;
  f->noreturn |= (uint8_t)a.noreturn;
  f->weak |= (uint8_t)a.weak;
  return idx;
}

/* ---- expressions --------------------------------------------------------- */
static enum CXChildVisitResult fe_first_child(CXCursor c, CXCursor parent, CXClientData d) {
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

static CXCursor fe_child0(CXCursor c) {
  CXCursor e = clang_getNullCursor();
  clang_visitChildren(c, fe_first_child, &e);
  return e;
}

typedef struct fe_kids {
  CXCursor v[4];
  int n;
} fe_kids;

static enum CXChildVisitResult fe_collect(CXCursor c, CXCursor parent, CXClientData d) {
  fe_kids *k = d;
  if (k->n < 4) k->v[k->n] = c;
  k->n++;
  return CXChildVisit_Continue;
}

static fe_kids fe_children(CXCursor c) {
  fe_kids k = {{{0}}, 0};
  clang_visitChildren(c, fe_collect, &k);
  return k;
}

static enum CXChildVisitResult fe_last_visit(CXCursor c, CXCursor parent, CXClientData d) {
  *(CXCursor *)d = c;
  return CXChildVisit_Continue;
}

/* The operand of a cast: its last child (a named type comes first, as a
 * TypeRef). */
static CXCursor fe_operand(CXCursor cast) {
  CXCursor e = clang_getNullCursor();
  clang_visitChildren(cast, fe_last_visit, &e);
  return e;
}

/* Is e an unexposed expression that only wraps its one child (an implicit
 * conversion: one child with the same source range)? */
static int fe_wrapper(CXCursor e) {
  fe_kids k = fe_children(e);
  return k.n == 1 && clang_equalRanges(clang_getCursorExtent(e), clang_getCursorExtent(k.v[0]));
}

/* Looks through implicit conversions, parentheses, explicit casts, & and *.
 * Other unexposed expressions (va_arg, __builtin_choose_expr, `a ?: b`)
 * are kept: they are not a function name, so a store of one pollutes. */
static CXCursor fe_strip(CXCursor e) {
  for (int depth = 0; depth < 32 && !clang_Cursor_isNull(e); depth++) {
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CStyleCastExpr) e = fe_operand(e);
    else if (k == CXCursor_ParenExpr || k == CXCursor_UnaryOperator || (k == CXCursor_UnexposedExpr && fe_wrapper(e)))
      e = fe_child0(e);
    else break;
  }
  return e;
}

/* Function type a pointer-to-function type points to; kind Invalid if t is
 * not one. */
static CXType fe_pointee_function(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_Pointer) t = clang_getCanonicalType(clang_getPointeeType(t));
  if (t.kind != CXType_FunctionProto && t.kind != CXType_FunctionNoProto) t.kind = CXType_Invalid;
  return t;
}

static const char *fe_type_str(fe_walk *w, CXType t) {
  CXString s = clang_getTypeSpelling(t);
  const char *r = ft_str(w->tu, clang_getCString(s));
  clang_disposeString(s);
  return r;
}

const char *fe_usr(fe_walk *w, CXCursor c) {
  CXString s = clang_getCursorUSR(c);
  const char *r = ft_str(w->tu, clang_getCString(s));
  clang_disposeString(s);
  return r;
}

/* ---- compatibility keys of function types --------------------------------- */
/*
 * Indirect-call candidates are matched by these keys, not by spelling.  A
 * key is never finer than C's compatibility (C11 6.2.7, 6.7.6.3): two
 * compatible function types get the same key, or one of them is
 * unprototyped ("F{R|?}") and both return R.  To get there it drops what
 * compatibility ignores or what spells differently between TUs:
 *  - qualifiers, typedefs, attributes in the type (GNU noreturn, calling
 *    conventions) and array sizes;
 *  - parameters of array or function type become the pointers they are
 *    adjusted to;
 *  - an enum is its underlying integer type;
 *  - a record is its tag ("S:tag", "U:tag") when it is a tagged file-scope
 *    record, else "S?" or "U?": untagged records of two TUs are compatible
 *    when their members are, and clang spells them with a file path;
 *  - a function type below the top level keeps only its return type
 *    ("f{R}"): an unprototyped one is compatible with any parameter list.
 * Grammar: "b<kind>" builtin, "*K" pointer, "[K" array, "A K" atomic,
 * "C K" complex, "F{R|P,P,...}" (",..." when variadic), "F{R|?}"
 * unprototyped, "o:spelling" anything else.
 */
static void fe_key(fe_walk *w, ut_buf *b, CXType t, int depth, int exact);

static void fe_key_record(ut_buf *b, CXType t, int exact) {
  CXCursor d = clang_getTypeDeclaration(t);
  int uni = clang_getCursorKind(d) == CXCursor_UnionDecl;
  CXString s = clang_getCursorUSR(d);
  const char *u = clang_getCString(s);
  const char *pre = uni ? "c:@U@" : "c:@S@";
  size_t n = strlen(pre);
  if (exact) {
    ut_buf_puts(b, "R:"); /* identity of the declaration, not compatibility */
    ut_buf_puts(b, u ? u : "");
  } else if (u && !strncmp(u, pre, n) && u[n] && !strchr(u + n, '@')) {
    ut_buf_puts(b, uni ? "U:" : "S:");
    ut_buf_puts(b, u + n);
  } else {
    ut_buf_puts(b, uni ? "U?" : "S?");
  }
  clang_disposeString(s);
}

/* A function type at the top level (params = 1) or nested (params = 0). */
static void fe_key_function(fe_walk *w, ut_buf *b, CXType t, int depth, int params, int exact) {
  ut_buf_puts(b, params ? "F{" : "f{");
  fe_key(w, b, clang_getResultType(t), depth + 1, exact);
  if (!params) {
    ut_buf_puts(b, "}");
    return;
  }
  ut_buf_puts(b, "|");
  if (t.kind == CXType_FunctionNoProto) {
    ut_buf_puts(b, "?}");
    return;
  }
  int n = clang_getNumArgTypes(t);
  for (int i = 0; i < n; i++) {
    CXType a = clang_getCanonicalType(clang_getArgType(t, (unsigned)i));
    if (i) ut_buf_puts(b, ",");
    if (a.kind == CXType_ConstantArray || a.kind == CXType_IncompleteArray || a.kind == CXType_VariableArray ||
        a.kind == CXType_DependentSizedArray) {
      ut_buf_puts(b, "*"); /* adjusted to a pointer to the element */
      fe_key(w, b, clang_getArrayElementType(a), depth + 1, exact);
    } else if (a.kind == CXType_FunctionProto || a.kind == CXType_FunctionNoProto) {
      ut_buf_puts(b, "*");
      fe_key(w, b, a, depth + 1, exact);
    } else {
      fe_key(w, b, a, depth + 1, exact);
    }
  }
  if (clang_isFunctionTypeVariadic(t)) ut_buf_puts(b, n ? ",..." : "...");
  ut_buf_puts(b, "}");
}

static void fe_key(fe_walk *w, ut_buf *b, CXType t, int depth, int exact) {
  t = clang_getCanonicalType(t);
  if (depth > 48) {
    ut_buf_puts(b, "~"); /* only pathological types nest this deep */
    return;
  }
  switch (t.kind) {
  case CXType_Pointer:
    ut_buf_puts(b, "*");
    fe_key(w, b, clang_getPointeeType(t), depth + 1, exact);
    return;
  case CXType_ConstantArray:
  case CXType_IncompleteArray:
  case CXType_VariableArray:
  case CXType_DependentSizedArray:
    ut_buf_puts(b, "[");
    fe_key(w, b, clang_getArrayElementType(t), depth + 1, exact);
    return;
  case CXType_Record: fe_key_record(b, t, exact); return;
  case CXType_Enum: fe_key(w, b, clang_getEnumDeclIntegerType(clang_getTypeDeclaration(t)), depth + 1, exact); return;
  case CXType_FunctionProto:
  case CXType_FunctionNoProto: fe_key_function(w, b, t, depth, exact, exact); return;
  case CXType_Atomic:
    ut_buf_puts(b, "A ");
    fe_key(w, b, clang_Type_getValueType(t), depth + 1, exact);
    return;
  case CXType_Complex:
    ut_buf_puts(b, "C ");
    fe_key(w, b, clang_getElementType(t), depth + 1, exact);
    return;
  default: break;
  }
  if (t.kind >= CXType_FirstBuiltin && t.kind <= CXType_LastBuiltin) {
    ut_buf_printf(b, "b%d", (int)t.kind);
    return;
  }
#if CINDEX_VERSION_MINOR >= 63
  t = clang_getUnqualifiedType(t);
#endif
  CXString s = clang_getTypeSpelling(t);
  const char *sp = clang_getCString(s);
  ut_buf_puts(b, "o:");
  for (const char *q = sp ? sp : ""; *q;) { /* older libclang: drop qualifier words */
    if (!strncmp(q, "const ", 6)) q += 6;
    else if (!strncmp(q, "volatile ", 9)) q += 9;
    else ut_buf_add(b, q++, 1);
  }
  clang_disposeString(s);
}

/* Key of function type fn (as fe_pointee_function returns it), interned;
 * "" when fn is not a function type. */
static const char *fe_fn_key(fe_walk *w, CXType fn) {
  fn = clang_getCanonicalType(fn);
  if (fn.kind != CXType_FunctionProto && fn.kind != CXType_FunctionNoProto) return "";
  ut_buf b = {0};
  fe_key_function(w, &b, fn, 0, 1, 0);
  const char *r = b.failed ? "" : ft_str(w->tu, b.s);
  if (b.failed) w->tu->failed = 1;
  ut_buf_free(&b);
  return r;
}

/* Are a and b the same type up to qualifiers and typedefs (records by
 * declaration, not by tag)? */
static int fe_same_type(fe_walk *w, CXType a, CXType b) {
  if (clang_equalTypes(clang_getCanonicalType(a), clang_getCanonicalType(b))) return 1;
  ut_buf x = {0}, y = {0};
  fe_key(w, &x, a, 0, 1);
  fe_key(w, &y, b, 0, 1);
  int same = !x.failed && !y.failed && !strcmp(x.s ? x.s : "", y.s ? y.s : "");
  ut_buf_free(&x);
  ut_buf_free(&y);
  return same;
}

/* Contract annotations carried by a type through its typedefs (a
 * `typedef void (*job_fn)(void *) FNPROP_NOTLS;` or a typedef of the
 * function type itself). */
static uint32_t fe_type_contract(fe_walk *w, CXType t) {
  uint32_t a = 0;
  for (int i = 0; i < 16; i++) {
    if (t.kind == CXType_Elaborated) {
      t = clang_Type_getNamedType(t);
    } else if (t.kind == CXType_Typedef) {
      CXCursor d = clang_getTypeDeclaration(t);
      a |= fe_decl_attrs(w, d).annots;
      t = clang_getTypedefDeclUnderlyingType(d);
    } else if (t.kind == CXType_Pointer) {
      t = clang_getPointeeType(t);
    } else {
      break;
    }
  }
  return a & (FT_ANN_NOTLS | FT_ANN_NOPANIC | FT_ANN_TASK);
}

/* Contract of a declared slot: its own annotations and its type's. */
static uint32_t fe_slot_contract(fe_walk *w, CXCursor decl) {
  return (fe_decl_attrs(w, decl).annots & (FT_ANN_NOTLS | FT_ANN_NOPANIC | FT_ANN_TASK)) |
         fe_type_contract(w, clang_getCursorType(decl));
}

int fe_is_fnptr(CXType t) { return fe_pointee_function(t).kind != CXType_Invalid; }

static int fe_is_assign(CXCursor binop) {
#if CINDEX_VERSION_MINOR >= 64
  return clang_getCursorBinaryOperatorKind(binop) == CXBinaryOperator_Assign;
#else
  (void)binop;
  return 0;
#endif
}

static void fe_pollute(fe_walk *w, const char *key) {
  if (UT_PUSH(w->tu->polluted, key) < 0) w->tu->failed = 1;
}

/* ---- flows that stores by name do not show -------------------------------- */
/* Field and variable sensitivity and contract trust hold only while every
 * value reaching a slot is a stored function name or a value from a slot
 * that is itself trusted.  These functions record everything else as
 * ft_flow facts; the graph decides the conditional ones. */
static void fe_pollute_record(fe_walk *w, CXType t, int depth);

/* Records one flow (once per TU; `key` and `src` interned by the caller).
 * Returns 1 when it is new.  Kind 0 only marks the key as done (a record
 * polluted as a whole). */
static int fe_flow(fe_walk *w, uint8_t kind, uint8_t cond, uint8_t bits, const char *key, const char *src, int32_t func,
                   int32_t arg, CXCursor at) {
  if (!key || !key[0]) return 0;
  ut_buf k = {0};
  ut_buf_printf(&k, "%u %u %u %d %d ", kind, cond, bits, func, arg);
  ut_buf_pair(&k, key, src ? src : "");
  uint32_t seen;
  int fresh = 0;
  if (k.failed) {
    w->tu->failed = 1;
  } else if (!ut_map_get(&w->flow_seen, k.s, &seen)) {
    fresh = 1;
    ft_flow f = {kind, cond, bits, key, src ? src : "", func, arg, fe_cursor_loc(w, at)};
    if (ut_map_put(&w->flow_seen, ft_str(w->tu, k.s), 1) < 0 || (kind && UT_PUSH(w->tu->flows, f) < 0))
      w->tu->failed = 1;
  }
  ut_buf_free(&k);
  return fresh;
}

/* A slot or type that anything may be written into: no sensitivity, no
 * trust in its contract. */
static void fe_open_slot(fe_walk *w, const char *key, CXCursor at) {
  fe_pollute(w, key);
  fe_flow(w, FT_FLOW_UNCHECKED, FT_COND_NONE, FT_ANN_NOTLS | FT_ANN_NOPANIC, key, "", -1, 0, at);
}

/* Every field and variable of function type fn: pointers of another type
 * are converted to point at them. */
static void fe_open_type(fe_walk *w, CXType fn, CXCursor at) {
  const char *k = fe_fn_key(w, fn);
  fe_flow(w, FT_FLOW_UNSEEN, FT_COND_NONE, 0, k, "", -1, 0, at);
  fe_flow(w, FT_FLOW_UNCHECKED, FT_COND_NONE, FT_ANN_NOTLS | FT_ANN_NOPANIC, k, "", -1, 0, at);
  fe_flow(w, FT_FLOW_DATA, FT_COND_NONE, 0, k, "", -1, 0, at);
}

/* The record below t's arrays (and pointers, when ptrs is set), or a type
 * of kind Invalid; *levels counts the pointers passed, and with ptrs set
 * the arrays too (an array is used as a pointer to its first element). */
static CXType fe_base_record(CXType t, int ptrs, int *levels) {
  int n = 0;
  for (int i = 0; i < 16; i++) {
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray || t.kind == CXType_VariableArray) {
      t = clang_getArrayElementType(t);
      n += ptrs;
    } else if (ptrs && t.kind == CXType_Pointer) {
      t = clang_getPointeeType(t);
      n++;
    } else {
      break;
    }
  }
  if (levels) *levels = n;
  if (t.kind != CXType_Record) t.kind = CXType_Invalid;
  return t;
}

static int fe_rec_fnptr(fe_walk *w, CXType rec, int depth);

typedef struct fe_fnscan {
  fe_walk *w;
  int depth, found;
} fe_fnscan;

static enum CXVisitorResult fe_fnscan_visit(CXCursor c, CXClientData d) {
  fe_fnscan *s = d;
  CXType t = fe_base_record(clang_getCursorType(c), 0, NULL);
  CXType elem = clang_getCursorType(c);
  while (clang_getCanonicalType(elem).kind == CXType_ConstantArray ||
         clang_getCanonicalType(elem).kind == CXType_IncompleteArray)
    elem = clang_getArrayElementType(clang_getCanonicalType(elem));
  if (fe_is_fnptr(elem) || (t.kind == CXType_Record && fe_rec_fnptr(s->w, t, s->depth + 1))) {
    s->found = 1;
    return CXVisit_Break;
  }
  return CXVisit_Continue;
}

/* The cache entry of record declaration `decl` (idx 0: not computed yet). */
static fe_rec_entry *fe_rec_slot(fe_walk *w, const void *decl) {
  if (2 * (w->recs.n + 1) > w->recs.cap) {
    size_t cap = w->recs.cap ? 2 * w->recs.cap : 256;
    fe_rec_entry *nv = calloc(cap, sizeof *nv);
    if (!nv) return NULL;
    for (size_t i = 0; i < w->recs.cap; i++) {
      if (!w->recs.v[i].key) continue;
      size_t j = ((uintptr_t)w->recs.v[i].key >> 4) & (cap - 1);
      while (nv[j].key) j = (j + 1) & (cap - 1);
      nv[j] = w->recs.v[i];
    }
    free(w->recs.v);
    w->recs.v = nv;
    w->recs.cap = cap;
  }
  size_t j = ((uintptr_t)decl >> 4) & (w->recs.cap - 1);
  while (w->recs.v[j].key && w->recs.v[j].key != decl) j = (j + 1) & (w->recs.cap - 1);
  if (!w->recs.v[j].key) {
    w->recs.v[j].key = decl;
    w->recs.v[j].idx = 0;
    w->recs.v[j].usr = NULL;
    w->recs.n++;
  }
  return &w->recs.v[j];
}

/* The USR of record type rec's declaration, computed once per record. */
static const char *fe_rec_usr(fe_walk *w, CXType rec) {
  CXCursor d = clang_getTypeDeclaration(clang_getCanonicalType(rec));
  fe_rec_entry *e = d.data[0] ? fe_rec_slot(w, d.data[0]) : NULL;
  if (e && e->usr) return e->usr;
  const char *u = fe_usr(w, d);
  if (e) e->usr = u;
  return u;
}

/* Does record type rec hold a function pointer, directly or in a record
 * or array it holds by value?  A record this TU does not define may (its
 * definition elsewhere decides).  (Cached per record declaration.) */
static int fe_rec_fnptr(fe_walk *w, CXType rec, int depth) {
  rec = clang_getCanonicalType(rec);
  if (rec.kind != CXType_Record || depth > 8) return 0;
  if (clang_Type_getSizeOf(rec) == CXTypeLayoutError_Incomplete) return 1;
  const void *decl = clang_getTypeDeclaration(rec).data[0];
  fe_rec_entry *slot = decl ? fe_rec_slot(w, decl) : NULL;
  if (slot && slot->idx) return (int)slot->idx - 1;
  fe_fnscan s = {w, depth, 0};
  clang_Type_visitFields(rec, fe_fnscan_visit, &s);
  slot = decl ? fe_rec_slot(w, decl) : NULL; /* the table may have grown */
  if (slot) slot->idx = 1 + (uint32_t)s.found;
  else if (decl) w->tu->failed = 1;
  return s.found;
}

/* The record with function pointers reached through t's pointers and
 * arrays, or Invalid. */
static CXType fe_fn_record(fe_walk *w, CXType t, int *levels) {
  CXType r = fe_base_record(t, 1, levels);
  if (r.kind == CXType_Record && !fe_rec_fnptr(w, r, 0)) r.kind = CXType_Invalid;
  return r;
}

typedef struct fe_recflow {
  fe_walk *w;
  uint8_t cond, bits;
  const char *src;
  int32_t func, arg;
  CXCursor at;
  int depth;
} fe_recflow;

static void fe_flow_record(fe_recflow *rf, CXType rec);

static enum CXVisitorResult fe_recflow_visit(CXCursor c, CXClientData d) {
  fe_recflow *rf = d;
  CXType t = fe_base_record(clang_getCursorType(c), 0, NULL);
  if (t.kind == CXType_Record) {
    fe_recflow inner = *rf;
    inner.depth++;
    fe_flow_record(&inner, t);
  }
  return CXVisit_Continue;
}

/* Record rec and the records it holds by value may hold pointers not
 * stored by name, under rf's condition. */
static void fe_flow_record(fe_recflow *rf, CXType rec) {
  if (rf->depth > 4 || !fe_rec_fnptr(rf->w, rec, 0)) return;
  if (rf->cond == FT_COND_NONE) {
    fe_pollute_record(rf->w, rec, 0);
    return;
  }
  if (fe_flow(rf->w, FT_FLOW_UNSEEN, rf->cond, rf->bits, fe_rec_usr(rf->w, rec), rf->src, rf->func, rf->arg, rf->at))
    clang_Type_visitFields(clang_getCanonicalType(rec), fe_recflow_visit, rf); /* the first time only */
}

/* Strips parentheses and implicit conversions (not casts). */
static CXCursor fe_strip_implicit(CXCursor e) {
  for (int i = 0; i < 32; i++) {
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr) break;
    CXCursor c = fe_child0(e);
    if (clang_Cursor_isNull(c) || clang_isExpression(clang_getCursorKind(c)) == 0) break;
    e = c;
  }
  return e;
}

static int fe_is_null(CXCursor e) {
  enum CXCursorKind k = clang_getCursorKind(fe_strip(e));
  return k == CXCursor_IntegerLiteral || k == CXCursor_GNUNullExpr;
}

/* The function a call expression calls by name, or a null cursor. */
static CXCursor fe_callee_decl(CXCursor e) {
  e = fe_strip_implicit(e);
  CXCursor d = clang_getNullCursor();
  if (clang_getCursorKind(e) == CXCursor_CallExpr) {
    CXCursor r = clang_getCursorReferenced(e);
    if (clang_getCursorKind(r) == CXCursor_FunctionDecl) d = r;
  }
  return d;
}

/* Can a conversion from or to t matter: does t (through its pointers and
 * arrays) reach a function type or a record with function pointers? */
static int fe_fn_related(fe_walk *w, CXType t) {
  for (int i = 0; i < 16; i++) {
    t = clang_getCanonicalType(t);
    switch (t.kind) {
    case CXType_Pointer: t = clang_getPointeeType(t); break;
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray: t = clang_getArrayElementType(t); break;
    case CXType_FunctionProto:
    case CXType_FunctionNoProto: return 1;
    case CXType_Record: return fe_rec_fnptr(w, t, 0);
    default: return 0;
    }
  }
  return 0;
}

/*
 * A conversion of the value `op` to type `to` (an implicit conversion or a
 * cast) at `at`.  Pointers that change what they point to let memory be
 * written, or read, as something else:
 *  - data (void *, an integer) becomes a function pointer: a function from
 *    outside the program (dlsym) may be called through it;
 *  - a pointer to a function pointer becomes another pointer, or another
 *    pointer becomes one: every slot of that function type may be written
 *    by untyped code (`*(void **)&fp = ...`);
 *  - a pointer to a record holding function pointers becomes another
 *    pointer (char * for offsetof arithmetic, void *, another record), or
 *    another pointer becomes one: the record's fields may be written by
 *    untyped code, or hold another record's values.  A pointer returned by
 *    a call is decided by the graph (a fresh allocation is not written).
 * `records` is 0 for call arguments, whose records the call decides.
 */
static void fe_convert(fe_walk *w, CXCursor op, CXType to, CXCursor at, int records) {
  CXType t = clang_getCanonicalType(to), s = clang_getCanonicalType(clang_getCursorType(op));
  if (t.kind == CXType_Void || t.kind == CXType_Bool || s.kind == CXType_Invalid) return; /* (void)p, if (p) */
  int tp = t.kind == CXType_Pointer, sp = s.kind == CXType_Pointer;
  if ((!tp && !sp) || (!fe_fn_related(w, s) && !fe_fn_related(w, t)) || (tp && sp && fe_same_type(w, s, t))) return;
  if (tp && (s.kind == CXType_ConstantArray || s.kind == CXType_IncompleteArray || s.kind == CXType_VariableArray) &&
      fe_same_type(w, clang_getArrayElementType(s), clang_getPointeeType(t)))
    return; /* an array used as a pointer to its first element */
  CXType tpt = tp ? clang_getCanonicalType(clang_getPointeeType(t)) : t;
  CXType spt = sp ? clang_getCanonicalType(clang_getPointeeType(s)) : s;
  int null = fe_is_null(op);
  if (fe_is_fnptr(t) && !fe_is_fnptr(s) && !null)
    fe_flow(w, FT_FLOW_DATA, FT_COND_NONE, 0, fe_fn_key(w, fe_pointee_function(t)), "", -1, 0, at);
  int sfp = sp && spt.kind == CXType_Pointer && fe_is_fnptr(spt); /* s points to a function pointer */
  int tfp = tp && tpt.kind == CXType_Pointer && fe_is_fnptr(tpt);
  if (sfp && !(tp && fe_same_type(w, spt, tpt))) fe_open_type(w, fe_pointee_function(spt), at);
  if (tfp && !(sp && fe_same_type(w, spt, tpt)) && !null) fe_open_type(w, fe_pointee_function(tpt), at);
  if (!records) return;
  int ls, lt;
  CXType rs = fe_fn_record(w, s, &ls), rt = fe_fn_record(w, t, &lt);
  int same = rs.kind == CXType_Record && rt.kind == CXType_Record && ls == lt && fe_same_type(w, rs, rt);
  if (rs.kind == CXType_Record && ls > 0 && !same) fe_pollute_record(w, rs, 0);
  if (rt.kind == CXType_Record && lt > 0 && !same && !null) {
    CXCursor callee = fe_callee_decl(op);
    uint32_t f = clang_Cursor_isNull(callee) ? FT_NONE : fe_func(w, callee, 0);
    fe_recflow rf = {w, FT_COND_CALLEE, FT_FLOW_CONVERTED, "", (int32_t)f, 0, at, 0};
    if (f == FT_NONE) rf.cond = FT_COND_NONE; /* from a parameter, a field, another record... */
    fe_flow_record(&rf, rt);
  }
}

/* The function-pointer fields of record rec (and of the records it holds)
 * given to argument arg of callee f, named for the library's pools. */
typedef struct fe_recfields {
  fe_walk *w;
  uint32_t f;
  int32_t arg;
  CXCursor at;
  int depth;
} fe_recfields;

static void fe_record_fields(fe_walk *w, CXType rec, uint32_t f, int32_t arg, CXCursor at, int depth);

static enum CXVisitorResult fe_recfields_visit(CXCursor c, CXClientData d) {
  fe_recfields *rf = d;
  CXType t = clang_getCursorType(c);
  if (fe_is_fnptr(t))
    fe_flow(rf->w, FT_FLOW_RECORD, FT_COND_NONE, 0, fe_usr(rf->w, c), fe_fn_key(rf->w, fe_pointee_function(t)),
            (int32_t)rf->f, rf->arg, rf->at);
  CXType r = fe_base_record(t, 0, NULL);
  if (r.kind == CXType_Record) fe_record_fields(rf->w, r, rf->f, rf->arg, rf->at, rf->depth + 1);
  return CXVisit_Continue;
}

static void fe_record_fields(fe_walk *w, CXType rec, uint32_t f, int32_t arg, CXCursor at, int depth) {
  fe_recfields rf = {w, f, arg, at, depth};
  if (depth <= 4 && fe_rec_fnptr(w, rec, 0))
    clang_Type_visitFields(clang_getCanonicalType(rec), fe_recfields_visit, &rf);
}

/* A call passes records with function pointers (or pointers to them) to
 * callee `f` and may return one: what the callee writes through them is
 * decided by the graph (a body is analyzed; a model may say it stores
 * nothing; anything else is unseen).  Records passed to a function without
 * a body here are also named for the library's pools (sigaction's
 * handler, fopencookie's functions). */
static void fe_call_records(fe_walk *w, CXCursor call, uint32_t f, int has_def) {
  int n = clang_Cursor_getNumArguments(call);
  for (int i = 0; i < n && i < 32; i++) {
    CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
    CXType at = clang_getCanonicalType(clang_getCursorType(a));
    if (at.kind != CXType_Pointer && at.kind != CXType_Record) continue;
    CXCursor in = fe_strip_implicit(a);
    if (!fe_fn_related(w, at) && !fe_fn_related(w, clang_getCursorType(in))) continue; /* char *, void * of data */
    int lv, la;
    CXType r = fe_fn_record(w, clang_getCursorType(in), &lv);
    if (!clang_equalCursors(in, a)) fe_convert(w, in, at, a, 0);
    if (r.kind != CXType_Record) continue;
    if (!has_def && lv <= 1) fe_record_fields(w, r, f, i + 1, a, 0);
    if (lv == 0) continue; /* a copy: the callee cannot write ours */
    CXType ra = fe_fn_record(w, at, &la);
    if (lv == 1 && at.kind == CXType_Pointer && clang_isConstQualifiedType(clang_getPointeeType(at))) continue;
    uint8_t bits = ra.kind == CXType_Record && la == lv && fe_same_type(w, r, ra) ? 0 : FT_FLOW_CONVERTED;
    for (int j = 0; j < n; j++) {
      int lj;
      CXType rj =
          fe_fn_record(w, clang_getCursorType(fe_strip_implicit(clang_Cursor_getArgument(call, (unsigned)j))), &lj);
      if (j != i && rj.kind == CXType_Record && lj > 0 && fe_same_type(w, r, rj)) bits |= FT_FLOW_SAME;
    }
    fe_recflow rf = {w, FT_COND_CALLEE, bits, "", (int32_t)f, i + 1, a, 0};
    fe_flow_record(&rf, r);
  }
  int lr;
  CXType r = fe_fn_record(w, clang_getCursorType(call), &lr);
  if (r.kind == CXType_Record) {
    fe_recflow rf = {w, FT_COND_CALLEE, 0, "", (int32_t)f, 0, call, 0};
    fe_flow_record(&rf, r);
  }
}

/* A function whose address is taken and that has no body here: if the
 * program has none either, whoever calls it through a pointer hands it
 * records it may write. */
static void fe_addr_params(fe_walk *w, CXCursor fn, uint32_t f) {
  if (!clang_Cursor_isNull(clang_getCursorDefinition(fn))) return;
  CXType t = clang_getCanonicalType(clang_getCursorType(fn));
  int n = t.kind == CXType_FunctionProto ? clang_getNumArgTypes(t) : 0;
  for (int i = 0; i < n && i < 32; i++) {
    CXType p = clang_getCanonicalType(clang_getArgType(t, (unsigned)i));
    int lv;
    CXType r = fe_fn_record(w, p, &lv);
    if (r.kind != CXType_Record || lv == 0) continue;
    if (lv == 1 && clang_isConstQualifiedType(clang_getPointeeType(p))) continue;
    fe_recflow rf = {w, FT_COND_CALLEE, 0, "", (int32_t)f, i + 1, fn, 0};
    fe_flow_record(&rf, r);
  }
}

/* A variable that may hold function pointers: an `extern` one the program
 * may not define (its value is set outside), and the definitions that
 * settle it. */
static int fe_var_relevant(fe_walk *w, CXType t) {
  CXType e = clang_getCanonicalType(t);
  while (e.kind == CXType_ConstantArray || e.kind == CXType_IncompleteArray)
    e = clang_getCanonicalType(clang_getArrayElementType(e));
  if (e.kind != CXType_Pointer && e.kind != CXType_Record) return 0;
  return fe_is_fnptr(e) || fe_fn_record(w, e, NULL).kind == CXType_Record;
}

static void fe_var_use(fe_walk *w, CXCursor var, CXCursor at) {
  if (clang_getCursorLinkage(var) != CXLinkage_External || !clang_Cursor_isNull(clang_getCursorDefinition(var))) return;
  CXType t = clang_getCursorType(var);
  if (!fe_var_relevant(w, t)) return;
  const char *usr = fe_usr(w, var);
  CXType e = clang_getCanonicalType(t);
  while (e.kind == CXType_ConstantArray || e.kind == CXType_IncompleteArray)
    e = clang_getCanonicalType(clang_getArrayElementType(e));
  if (fe_is_fnptr(e)) fe_flow(w, FT_FLOW_UNSEEN, FT_COND_UNDEFINED, 0, usr, usr, -1, 0, at);
  CXType r = fe_fn_record(w, t, NULL);
  if (r.kind == CXType_Record) {
    fe_recflow rf = {w, FT_COND_UNDEFINED, 0, usr, -1, 0, at, 0};
    fe_flow_record(&rf, r);
  }
}

static void fe_var_defined(fe_walk *w, CXCursor var) {
  if (clang_getCursorLinkage(var) != CXLinkage_External || !clang_isCursorDefinition(var)) return;
  if (fe_var_relevant(w, clang_getCursorType(var)))
    fe_flow(w, FT_FLOW_DEFINED, FT_COND_NONE, 0, fe_usr(w, var), "", -1, 0, var);
}

/* A union: each member may be written through another one.  Its function
 * pointers may hold whatever bytes another member stored, and records it
 * holds by value may be overwritten as a whole. */
typedef struct fe_unionscan {
  fe_walk *w;
  CXCursor c;
  int data;            /* the union has a member that is not a function pointer */
  int pass;
} fe_unionscan;

static enum CXVisitorResult fe_union_visit(CXCursor c, CXClientData d) {
  fe_unionscan *u = d;
  CXType t = clang_getCursorType(c);
  if (u->pass == 0) {
    if (!fe_is_fnptr(t)) u->data = 1;
    return CXVisit_Continue;
  }
  if (fe_is_fnptr(t)) {
    fe_open_slot(u->w, fe_usr(u->w, c), c);
    if (u->data) fe_flow(u->w, FT_FLOW_DATA, FT_COND_NONE, 0, fe_fn_key(u->w, fe_pointee_function(t)), "", -1, 0, c);
  }
  CXType r = fe_base_record(t, 0, NULL);
  if (r.kind == CXType_Record) fe_pollute_record(u->w, r, 0);
  return CXVisit_Continue;
}

static enum CXChildVisitResult fe_record_child(CXCursor c, CXCursor parent, CXClientData d);

/* A struct or union declaration (and the ones nested in it). */
static void fe_record_decl(fe_walk *w, CXCursor c) {
  if (clang_getCursorKind(c) == CXCursor_UnionDecl && clang_isCursorDefinition(c)) {
    CXType t = clang_getCursorType(c);
    fe_unionscan u = {w, c, 0, 0};
    clang_Type_visitFields(t, fe_union_visit, &u);
    u.pass = 1;
    clang_Type_visitFields(t, fe_union_visit, &u);
  }
  clang_visitChildren(c, fe_record_child, w);
}

static enum CXChildVisitResult fe_record_child(CXCursor c, CXCursor parent, CXClientData d) {
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl) fe_record_decl(d, c);
  return CXChildVisit_Continue;
}

static enum CXChildVisitResult fe_all_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_cursors *k = d;
  return UT_PUSH(*k, c) < 0 ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* ---- indirect calls ------------------------------------------------------- */
/* Under the open world, may the object a field is read from come from
 * outside the program?  Yes unless the field belongs to a variable of this
 * program (not external) reached without passing through a pointer. */
static int fe_field_open(CXCursor member) {
  CXCursor e = member;
  for (int i = 0; i < 32; i++) {
    CXCursor base = fe_strip_implicit(fe_child0(e));
    enum CXCursorKind k = clang_getCursorKind(base);
    CXType bt = clang_getCanonicalType(clang_getCursorType(base));
    if (bt.kind == CXType_Pointer) return 1; /* p->f, p[i].f */
    if (k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) {
      e = base;
      continue;
    }
    if (k != CXCursor_DeclRefExpr) return 1;
    CXCursor d = clang_getCursorReferenced(base);
    return clang_getCursorKind(d) != CXCursor_VarDecl || clang_getCursorLinkage(d) == CXLinkage_External;
  }
  return 1;
}

/* 1-based position of parameter p among the parameters of fn, 0 if none. */
static int32_t fe_param_index(CXCursor fn, CXCursor p) {
  int n = clang_Cursor_getNumArguments(fn);
  for (int i = 0; i < n; i++)
    if (clang_equalCursors(clang_getCanonicalCursor(clang_Cursor_getArgument(fn, (unsigned)i)),
                           clang_getCanonicalCursor(p)))
      return i + 1;
  return 0;
}

/* Describes the slot a function pointer value comes from. */
static void fe_slot_of(fe_walk *w, CXCursor expr, ft_icall *ic) {
  CXCursor e = fe_strip(expr);
  CXCursor d = clang_getCursorReferenced(e);
  enum CXCursorKind ek = clang_getCursorKind(e), dk = clang_getCursorKind(d);
  ic->slot = "";
  ic->contract = fe_type_contract(w, clang_getCursorType(expr)) | fe_type_contract(w, clang_getCursorType(e));
  if (!fe_is_fnptr(clang_getCursorType(e))) return; /* (*pp)(): the object pp points to, not pp */
  if (ek == CXCursor_MemberRefExpr && dk == CXCursor_FieldDecl) {
    ic->slot_kind = FT_SLOT_FIELD;
    ic->slot = fe_usr(w, d);
    ic->contract |= fe_slot_contract(w, d);
    ic->ext_origin = (uint8_t)fe_field_open(e);
    if (clang_getCursorKind(clang_getCursorSemanticParent(d)) == CXCursor_UnionDecl)
      fe_open_slot(w, ic->slot, e); /* written through the other members */
  } else if (ek == CXCursor_DeclRefExpr && (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)) {
    ic->slot_kind = dk == CXCursor_VarDecl ? FT_SLOT_VAR : FT_SLOT_PARAM;
    ic->slot = fe_usr(w, d);
    ic->contract |= fe_slot_contract(w, d);
    if (dk == CXCursor_ParmDecl && w->cur >= 0 && w->tu->funcs.v[w->cur].omp) {
      /* inside an OpenMP task region: a parameter of the enclosing
       * function, whose callers the task's function does not have; an
       * expression of its type, which may come from outside */
      ic->slot_kind = FT_SLOT_NONE;
      ic->slot = "";
      ic->contract = fe_type_contract(w, clang_getCursorType(expr)) | fe_type_contract(w, clang_getCursorType(e));
      ic->ext_origin = 1;
    } else if (dk == CXCursor_ParmDecl) {
      ic->ext_origin = w->cur >= 0 && w->tu->funcs.v[w->cur].external;
      ic->slot_arg = w->cur >= 0 ? fe_param_index(w->cur_cursor, d) : 0;
    } else {
      ic->ext_origin = clang_getCursorLinkage(d) == CXLinkage_External;
    }
  }
}

static void fe_icall_args(fe_walk *w, CXCursor call, int32_t icall);

static void fe_indirect_call(fe_walk *w, CXCursor call) {
  if (w->cur < 0) return;
  CXCursor callee = fe_child0(call);
  ft_icall ic = {0};
  CXType ft = fe_pointee_function(clang_getCursorType(callee));
  ic.caller = (uint32_t)w->cur;
  ic.fntype = fe_type_str(w, ft);
  ic.fnkey = fe_fn_key(w, ft);
  ic.site = fe_cursor_loc(w, call);
  ic.via_call = -1;
  fe_slot_of(w, callee, &ic);
  if (UT_PUSH(w->tu->icalls, ic) < 0) {
    w->tu->failed = 1;
    return;
  }
  fe_icall_args(w, call, (int32_t)w->tu->icalls.n - 1);
}

/* The one _Generic association whose type is the expression's own (the
 * selected one), or a null cursor when that is not unique. */
static CXCursor fe_generic_choice(CXCursor g) {
  fe_cursors k = {0};
  clang_visitChildren(g, fe_all_visit, &k);
  int pick = k.n > 1 ? sx_generic_pick(g, k.v[0], (int)k.n - 1) : -1;
  if (pick >= 0) {
    CXCursor c = k.v[pick + 1];
    free(k.v);
    return c;
  }
  CXType t = clang_getCanonicalType(clang_getCursorType(g));
  CXCursor found = clang_getNullCursor();
  int n = 0;
  for (size_t i = 1; i < k.n; i++)
    if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(k.v[i])), t)) found = k.v[i], n++;
  free(k.v);
  return n == 1 ? found : clang_getNullCursor();
}

/* The DeclRefExpr naming the function a call calls directly, looking
 * through parentheses, implicit conversions, `*`, `&`, a _Generic and
 * __builtin_choose_expr; a null cursor when the callee is computed (a
 * pointer variable, a field, a call's result as in `get()()`). */
static CXCursor fe_callee_name(CXCursor call) {
  CXCursor e = fe_child0(call);
  for (int depth = 0; depth < 32 && !clang_Cursor_isNull(e); depth++) {
    enum CXCursorKind k = clang_getCursorKind(e);
    char what[8];
    if (k == CXCursor_DeclRefExpr)
      return clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_FunctionDecl ? e : clang_getNullCursor();
    if (k == CXCursor_ParenExpr || k == CXCursor_UnaryOperator || (k == CXCursor_UnexposedExpr && fe_wrapper(e))) {
      e = fe_child0(e);
    } else if (k == CXCursor_UnexposedExpr && sx_unexposed_expr(e, what, sizeof what) == SX_E_CHOOSE) {
      fe_kids c = fe_children(e);
      long long v;
      if (!sx_eval_int(c.v[0], &v)) break;
      e = c.v[v ? 1 : 2];
    } else if (k == CXCursor_GenericSelectionExpr) {
      e = fe_generic_choice(e);
    } else {
      break;
    }
  }
  return clang_getNullCursor();
}

/* GNU error(status, ...) and error_at_line(status, ...) return when the
 * status is 0: such a call does not carry the callee's panic. */
static uint8_t fe_call_flags(fe_walk *w, CXCursor call, uint32_t callee) {
  const char *name = w->tu->funcs.v[callee].name;
  if (!name || (strcmp(name, "error") && strcmp(name, "error_at_line"))) return 0;
  long long v;
  if (clang_Cursor_getNumArguments(call) < 1 || !sx_eval_int(clang_Cursor_getArgument(call, 0), &v) || v) return 0;
  return FT_CALL_STATUS0;
}

/* Returns the index of the recorded call, or -1; *fn is the callee's
 * declaration (a null cursor for an indirect call). */
static int32_t fe_call(fe_walk *w, CXCursor call, CXCursor *fn) {
  CXCursor name = fe_callee_name(call);
  *fn = clang_getNullCursor();
  if (clang_Cursor_isNull(name)) {
    fe_indirect_call(w, call);
    return -1;
  }
  CXCursor ref = clang_getCursorReferenced(name);
  *fn = ref;
  uint32_t callee = fe_func(w, ref, 0);
  /* The callee's name is not an address-taken use of the function. */
  w->pending = clang_getCursorLocation(name);
  w->has_pending = 1;
  if (callee == FT_NONE || w->cur < 0) return -1;
  ft_call c = {(uint32_t)w->cur, callee, fe_cursor_loc(w, call), fe_call_flags(w, call, callee)};
  if (UT_PUSH(w->tu->calls, c) < 0) {
    w->tu->failed = 1;
    return -1;
  }
  return (int32_t)w->tu->calls.n - 1;
}

/* ---- stores of function addresses ---------------------------------------- */
/* The record for the function name at the stripped expression e, or NULL
 * when e is not a function name. */
static fe_store *fe_store_at(fe_walk *w, CXCursor e) {
  if (clang_getCursorKind(e) != CXCursor_DeclRefExpr ||
      clang_getCursorKind(clang_getCursorReferenced(e)) != CXCursor_FunctionDecl)
    return NULL;
  CXSourceLocation loc = clang_getCursorLocation(e);
  for (size_t k = w->stores.n; k-- > 0;)
    if (clang_equalLocations(w->stores.v[k].loc, loc)) return &w->stores.v[k];
  fe_store st = {loc, FT_SLOT_NONE, "", 0, -1, 0, 0, "", ""};
  if (UT_PUSH(w->stores, st) < 0) {
    w->tu->failed = 1;
    return NULL;
  }
  return &w->stores.v[w->stores.n - 1];
}

/* Adds compatibility key k to the types the stored name is converted to
 * (cast_key: keys separated by newlines; a key holds none). */
static void fe_store_cast_key(fe_walk *w, fe_store *st, CXCursor name, const char *k) {
  if (!k[0] || !strcmp(k, fe_fn_key(w, clang_getCursorType(clang_getCursorReferenced(name))))) return;
  for (const char *p = st->cast_key; *p;) {
    size_t n = strcspn(p, "\n");
    if (n == strlen(k) && !strncmp(p, k, n)) return;
    p += n + (p[n] == '\n');
  }
  if (!st->cast_key[0]) {
    st->cast_key = k;
    return;
  }
  ut_buf b = {0};
  ut_buf_printf(&b, "%s\n%s", st->cast_key, k);
  if (!b.failed) st->cast_key = ft_str(w->tu, b.s);
  else w->tu->failed = 1;
  ut_buf_free(&b);
}

typedef struct fe_dest {
  uint8_t kind;
  const char *dest;
  uint32_t contract;
  int32_t call, arg, icall;
} fe_dest;

/* Records destination d for every function named by `value`: the value
 * itself, or either branch of a conditional (`c ? f : g`), recursively.
 * `conv` is the key of the function type the value is converted to. */
static void fe_store_each(fe_walk *w, CXCursor value, const fe_dest *d, int depth, const char *conv) {
  if (depth == 0) conv = fe_fn_key(w, fe_pointee_function(clang_getCursorType(value)));
  CXCursor e = fe_strip(value);
  if (clang_getCursorKind(e) == CXCursor_ConditionalOperator && depth < 8) {
    fe_kids k = fe_children(e);
    for (int i = 1; i < k.n && i < 3; i++) fe_store_each(w, k.v[i], d, depth + 1, conv);
    return;
  }
  fe_store *st = fe_store_at(w, e);
  if (!st) return;
  st->dest_kind = d->kind;
  st->dest = d->dest;
  st->contract = d->contract;
  st->call = d->call;
  st->arg = d->arg;
  st->icall = d->icall;
  fe_store_cast_key(w, st, e, conv);
}

static void fe_store_dest(fe_walk *w, CXCursor value, uint8_t kind, const char *dest, uint32_t contract) {
  fe_dest d = {kind, dest, contract, -1, 0, 0};
  fe_store_each(w, value, &d, 0, "");
}

/* The contract bits a function-pointer value carries and where they come
 * from (*src): a named slot (field, variable, parameter: its declaration
 * and declared type), or for any other expression (a call result, an
 * array element, a statement expression, a cast) its function type. */
static uint32_t fe_value_contract(fe_walk *w, CXCursor v, const char **src, int32_t *func, int32_t *arg) {
  ft_icall ic = {0};
  fe_slot_of(w, v, &ic);
  *func = -1;
  *arg = 0;
  if (ic.slot[0]) {
    *src = ic.slot;
    if (ic.slot_kind == FT_SLOT_PARAM) *func = w->cur, *arg = ic.slot_arg;
  } else {
    *src = fe_fn_key(w, fe_pointee_function(clang_getCursorType(v)));
  }
  return ic.contract & (FT_ANN_NOTLS | FT_ANN_NOPANIC);
}

/*
 * A function-pointer value stored into `dest` (a slot's key, or for a
 * pointer without a name the key of its function type), which must keep
 * the contracts in `bits`.  Function names are checked where they are
 * stored (fnprop-contract-pointer) and null constants carry nothing; any
 * other value keeps only the contracts its own slot or type carries
 * (FT_FLOW_COPY: and only as far as those are kept in turn).  What it does
 * not carry reaches dest unchecked (FT_FLOW_UNCHECKED): void * casts,
 * plain variables, statement expressions, call results.
 */
static void fe_check_value(fe_walk *w, CXCursor value, const char *dest, uint32_t bits, int depth) {
  bits &= FT_ANN_NOTLS | FT_ANN_NOPANIC;
  if (!bits || !dest[0]) return;
  CXCursor e = fe_strip(value);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_ConditionalOperator && depth < 8) {
    fe_kids kids = fe_children(e);
    for (int i = 1; i < kids.n && i < 3; i++) fe_check_value(w, kids.v[i], dest, bits, depth + 1);
    return;
  }
  if (fe_is_null(value)) return;
  if (k == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_FunctionDecl) return;
  const char *src;
  int32_t func, arg;
  uint32_t have = fe_value_contract(w, value, &src, &func, &arg);
  if (bits & ~have) fe_flow(w, FT_FLOW_UNCHECKED, FT_COND_NONE, (uint8_t)(bits & ~have), dest, "", -1, 0, value);
  if (bits & have) fe_flow(w, FT_FLOW_COPY, FT_COND_NONE, (uint8_t)(bits & have), dest, src, func, arg, value);
}

/* Key of the function type of a pointer-typed cursor. */
static const char *fe_ptr_key(fe_walk *w, CXCursor c) {
  return fe_fn_key(w, fe_pointee_function(clang_getCursorType(c)));
}

typedef struct fe_fields {
  CXCursor v[256];
  int n;
  int weird;            /* unnamed bit-fields, anonymous members, too many */
} fe_fields;

static enum CXVisitorResult fe_field_visit(CXCursor c, CXClientData d) {
  fe_fields *f = d;
  CXString s = clang_getCursorSpelling(c);
  const char *name = clang_getCString(s);
  if (!name || !*name || clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(clang_getCursorType(c))))
    f->weird = 1;
  clang_disposeString(s);
  if (f->n < 256) f->v[f->n++] = c;
  else f->weird = 1;
  return CXVisit_Continue;
}

/* Marks a record and the records of its fields as field-insensitive (and
 * their contracts as no longer checked: the graph reads both from the
 * record key). */
static void fe_pollute_record(fe_walk *w, CXType t, int depth) {
  t = clang_getCanonicalType(t);
  while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
    t = clang_getCanonicalType(clang_getArrayElementType(t));
  if (t.kind != CXType_Record || depth > 4) return;
  const char *usr = fe_rec_usr(w, t);
  if (!fe_flow(w, 0, FT_COND_NONE, 0, usr, "", -1, 0, clang_getTypeDeclaration(t))) return; /* done before */
  fe_pollute(w, usr);
  fe_fields f = {{{0}}, 0, 0};
  clang_Type_visitFields(t, fe_field_visit, &f);
  for (int i = 0; i < f.n; i++) fe_pollute_record(w, clang_getCursorType(f.v[i]), depth + 1);
}

/* One initializer value for `field`: a function name is a store into the
 * field (remembered by location for fe_ref); anything else but a null
 * constant pollutes the field.  Returns 1 when positions stop mapping to
 * fields (brace elision: the values of the inner record follow without
 * braces, and every later value belongs to another field than counted). */
static int fe_init_value(fe_walk *w, CXCursor field, CXCursor value) {
  CXType ft = clang_getCursorType(field);
  CXType canon = clang_getCanonicalType(ft);
  if ((canon.kind == CXType_Record || canon.kind == CXType_ConstantArray) &&
      clang_getCursorKind(value) != CXCursor_InitListExpr)
    return 1;
  if (!fe_is_fnptr(ft)) return 0;
  CXCursor s = fe_strip(value);
  enum CXCursorKind k = clang_getCursorKind(s);
  const char *key = fe_usr(w, field);
  fe_store_dest(w, value, FT_SLOT_FIELD, key, fe_slot_contract(w, field));
  fe_check_value(w, value, key, FT_ANN_NOTLS | FT_ANN_NOPANIC, 0);
  if (!(k == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(s)) == CXCursor_FunctionDecl) &&
      k != CXCursor_IntegerLiteral)
    fe_pollute(w, key);
  return 0;
}

typedef struct fe_init {
  fe_walk *w;
  fe_fields *f;
  CXType type;
  int pos;
} fe_init;

static enum CXChildVisitResult fe_init_child(CXCursor c, CXCursor parent, CXClientData d) {
  fe_init *in = d;
  fe_kids k = fe_children(c);
  int designated =
      clang_getCursorKind(c) == CXCursor_UnexposedExpr && k.n >= 1 && clang_getCursorKind(k.v[0]) == CXCursor_MemberRef;
  if (designated) {
    if (k.n != 2) { /* nested designator: .a.b = ... */
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
    CXCursor field = clang_getCursorReferenced(k.v[0]);
    in->pos = -1;
    for (int i = 0; i < in->f->n; i++)
      if (clang_equalCursors(in->f->v[i], field)) in->pos = i;
    if (in->pos < 0 || fe_init_value(in->w, in->f->v[in->pos++], k.v[1])) {
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
  } else if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && k.n >= 1 &&
             clang_getCursorKind(k.v[0]) == CXCursor_IntegerLiteral && clang_getCursorType(c).kind == CXType_Void) {
    in->f->weird = 1; /* an array designator inside a record */
    return CXChildVisit_Break;
  } else {
    if (in->pos < 0 || in->pos >= in->f->n || fe_init_value(in->w, in->f->v[in->pos++], c)) {
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Continue;
}

/* An initializer list of a record: maps each value to its field. */
typedef struct fe_elems {
  fe_walk *w;
  uint32_t contract;
  const char *key;      /* the element type's function-type key */
} fe_elems;

static enum CXChildVisitResult fe_elem_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_elems *el = d;
  CXCursor v = c;
  if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && clang_getCursorType(c).kind == CXType_Void)
    v = fe_operand(c); /* [i] = value */
  fe_store_dest(el->w, v, FT_SLOT_VAR, "", el->contract);
  fe_check_value(el->w, v, el->key, el->contract, 0);
  return CXChildVisit_Continue;
}

/* An initializer list of an array of function pointers: the elements go
 * into slots of the element type (its contract, if any). */
static void fe_array_init(fe_walk *w, CXCursor il, CXType t) {
  CXType elem = clang_getArrayElementType(clang_getCursorType(il));
  if (!fe_is_fnptr(clang_getCanonicalType(clang_getArrayElementType(t)))) return;
  fe_elems el = {w, fe_type_contract(w, elem), fe_fn_key(w, fe_pointee_function(elem))};
  clang_visitChildren(il, fe_elem_visit, &el);
}

static void fe_initlist(fe_walk *w, CXCursor il) {
  CXType t = clang_getCanonicalType(clang_getCursorType(il));
  if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) fe_array_init(w, il, t);
  if (t.kind != CXType_Record) return;
  fe_fields f = {{{0}}, 0, 0};
  clang_Type_visitFields(t, fe_field_visit, &f);
  fe_init in = {w, &f, t, 0};
  if (!f.weird) clang_visitChildren(il, fe_init_child, &in);
  if (f.weird) fe_pollute_record(w, t, 0);
}

/* `lhs = rhs` where lhs is a function-pointer field: a function name is a
 * store (fe_ref records it), a null constant nothing, anything else
 * pollutes the field.  Every value is checked against the contracts the
 * slot must keep (fe_check_value). */
static void fe_assign(fe_walk *w, CXCursor op) {
  if (!fe_is_fnptr(clang_getCursorType(op)) || !fe_is_assign(op)) return; /* an assignment has its lhs's type */
  fe_kids k = fe_children(op);
  if (k.n != 2 || !fe_is_fnptr(clang_getCursorType(k.v[0]))) return;
  CXCursor lhs = k.v[0]; /* an lvalue: look through parentheses only */
  while (clang_getCursorKind(lhs) == CXCursor_ParenExpr) lhs = fe_child0(lhs);
  CXCursor d = clang_getCursorReferenced(lhs);
  enum CXCursorKind lk = clang_getCursorKind(lhs), dk = clang_getCursorKind(d);
  CXCursor rhs = fe_strip(k.v[1]);
  enum CXCursorKind rk = clang_getCursorKind(rhs);
  int fn = rk == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(rhs)) == CXCursor_FunctionDecl;
  const uint32_t all = FT_ANN_NOTLS | FT_ANN_NOPANIC;
  if (lk != CXCursor_MemberRefExpr && lk != CXCursor_DeclRefExpr) {
    /* *p = f, a[i] = f: an object we do not name; its type may carry a contract */
    uint32_t c = fe_type_contract(w, clang_getCursorType(k.v[0]));
    fe_store_dest(w, k.v[1], FT_SLOT_VAR, "", c);
    fe_check_value(w, k.v[1], fe_ptr_key(w, k.v[0]), c, 0);
  } else if (lk == CXCursor_MemberRefExpr && dk == CXCursor_FieldDecl) {
    const char *key = fe_usr(w, d);
    fe_store_dest(w, k.v[1], FT_SLOT_FIELD, key, fe_slot_contract(w, d));
    fe_check_value(w, k.v[1], key, all, 0);
    if (!fn && rk != CXCursor_IntegerLiteral) fe_pollute(w, key);
  } else if (lk == CXCursor_DeclRefExpr && (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)) {
    const char *key = fe_usr(w, d);
    fe_store_dest(w, k.v[1], dk == CXCursor_VarDecl ? FT_SLOT_VAR : FT_SLOT_PARAM, key, fe_slot_contract(w, d));
    fe_check_value(w, k.v[1], key, all, 0);
    if (!fn && dk == CXCursor_VarDecl && rk != CXCursor_IntegerLiteral) fe_pollute(w, key);
  }
}

/* Function names given as call arguments (callbacks of modeled functions,
 * task entries of spawn functions, contract-annotated parameters). */
static void fe_call_args(fe_walk *w, CXCursor call, CXCursor fn, int32_t call_idx) {
  int n = clang_Cursor_getNumArguments(call), nparams = -1;
  fe_call_records(w, call, w->tu->calls.v[call_idx].callee, !clang_Cursor_isNull(clang_getCursorDefinition(fn)));
  for (int i = 0; i < n; i++) {
    CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
    CXType t = clang_getCanonicalType(clang_getCursorType(a));
    if (t.kind != CXType_Pointer) continue; /* most arguments: no work at all */
    CXType ft = fe_pointee_function(t);
    if (ft.kind == CXType_Invalid) continue;
    if (nparams < 0) nparams = clang_Cursor_getNumArguments(fn);
    CXCursor s = fe_strip(a);
    fe_dest d = {FT_SLOT_ARG, "",    i < nparams ? fe_slot_contract(w, clang_Cursor_getArgument(fn, (unsigned)i)) : 0,
                 call_idx,    i + 1, 0};
    fe_store_each(w, a, &d, 0, "");
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(s)) == CXCursor_FunctionDecl)
      continue; /* a function name: its address use records the argument */
    /* A function-pointer value: an indirect call of the caller if the callee
     * turns out to call its argument back (qsort's comparator). */
    ft_icall ic = {0};
    ic.caller = (uint32_t)w->cur;
    ic.fntype = fe_type_str(w, ft);
    ic.fnkey = fe_fn_key(w, ft);
    ic.site = fe_cursor_loc(w, a);
    ic.via_call = call_idx;
    ic.via_arg = i + 1;
    fe_slot_of(w, a, &ic);
    if (UT_PUSH(w->tu->icalls, ic) < 0) w->tu->failed = 1;
  }
}

/* The arguments of an indirect call: function names and pointers passed
 * to it are called back when a candidate is a modeled function that calls
 * them (a pointer to qsort); records converted to another pointer type may
 * be written by whatever is called. */
static void fe_icall_args(fe_walk *w, CXCursor call, int32_t icall) {
  int n = clang_Cursor_getNumArguments(call);
  for (int i = 0; i < n; i++) {
    CXCursor a = clang_Cursor_getArgument(call, (unsigned)i), in = fe_strip_implicit(a);
    CXType t = clang_getCanonicalType(clang_getCursorType(a));
    if (t.kind != CXType_Pointer) continue;
    if (!clang_equalCursors(in, a)) fe_convert(w, in, t, a, 1);
    CXType ft = fe_pointee_function(t);
    if (ft.kind == CXType_Invalid) continue;
    fe_dest d = {FT_SLOT_ARG, "", 0, -1, i + 1, icall + 1};
    fe_store_each(w, a, &d, 0, "");
    CXCursor s = fe_strip(a);
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(s)) == CXCursor_FunctionDecl)
      continue;
    ft_icall ic = {0};
    ic.caller = (uint32_t)w->cur;
    ic.fntype = fe_type_str(w, ft);
    ic.fnkey = fe_fn_key(w, ft);
    ic.site = fe_cursor_loc(w, a);
    ic.via_call = -1;
    ic.via_icall = icall + 1;
    ic.via_arg = i + 1;
    fe_slot_of(w, a, &ic);
    if (UT_PUSH(w->tu->icalls, ic) < 0) w->tu->failed = 1;
  }
}

/* `T x = f;` and `return f;` */
static void fe_var_init(fe_walk *w, CXCursor var) {
  if (clang_getCursorKind(var) != CXCursor_VarDecl) return;
  fe_var_defined(w, var);
  if (!fe_is_fnptr(clang_getCursorType(var))) return;
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  if (clang_Cursor_isNull(init)) return;
  CXCursor v = fe_strip(init);
  enum CXCursorKind k = clang_getCursorKind(v);
  const char *key = fe_usr(w, var);
  fe_store_dest(w, init, FT_SLOT_VAR, key, fe_slot_contract(w, var));
  fe_check_value(w, init, key, FT_ANN_NOTLS | FT_ANN_NOPANIC, 0);
  if (!(k == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(v)) == CXCursor_FunctionDecl) &&
      k != CXCursor_IntegerLiteral)
    fe_pollute(w, key); /* initialized from another pointer value */
}

static void fe_return(fe_walk *w, CXCursor ret) {
  if (w->cur < 0 || !w->cur_returns_fnptr) return;
  CXType rt = clang_getCursorResultType(w->cur_cursor);
  uint32_t c = fe_type_contract(w, rt);
  CXCursor v = fe_child0(ret);
  fe_store_dest(w, v, FT_SLOT_RETURN, "", c);
  fe_check_value(w, v, fe_fn_key(w, fe_pointee_function(rt)), c, 0);
}

/* `(T)f`: f joins the candidates of T's function type too.  A cast to a
 * type with a contract checks a name as a store would, and lets a value
 * that does not carry the contract reach that type unchecked.  Every
 * pointer cast is a conversion (fe_convert). */
static void fe_cast(fe_walk *w, CXCursor cast) {
  CXCursor op = fe_operand(cast);
  if (clang_isExpression(clang_getCursorKind(op))) fe_convert(w, op, clang_getCursorType(cast), cast, 1);
  CXType ft = fe_pointee_function(clang_getCursorType(cast));
  if (ft.kind == CXType_Invalid) return;
  uint32_t c = fe_type_contract(w, clang_getCursorType(cast)) & (FT_ANN_NOTLS | FT_ANN_NOPANIC);
  fe_store *st = fe_store_at(w, fe_strip(op));
  if (st) {
    st->cast_type = fe_type_str(w, ft);
    fe_store_cast_key(w, st, fe_strip(op), fe_fn_key(w, ft));
    if (st->dest_kind == FT_SLOT_NONE) st->contract |= c;
  } else {
    fe_check_value(w, op, fe_fn_key(w, ft), c, 0);
  }
}

/* An implicit conversion (libclang shows it as an unexposed expression
 * whose type differs from its operand's); call arguments are the call's. */
static void fe_implicit(fe_walk *w, CXCursor e, CXCursor parent) {
  if (clang_getCursorKind(parent) == CXCursor_CallExpr) return;
  CXType t = clang_getCanonicalType(clang_getCursorType(e));
  if (t.kind != CXType_Pointer) return; /* to bool, or an lvalue's value */
  CXCursor op = fe_child0(e);
  if (clang_Cursor_isNull(op) || !clang_isExpression(clang_getCursorKind(op))) return;
  CXType s = clang_getCanonicalType(clang_getCursorType(op));
  if (s.kind == CXType_Invalid || clang_equalTypes(s, t)) return;
  fe_convert(w, op, t, e, 1);
}

/* `&s->fn` lets anything be written into the field later. */
static void fe_unary(fe_walk *w, CXCursor op) {
#if CINDEX_VERSION_MINOR >= 64
  if (clang_getCursorUnaryOperatorKind(op) != CXUnaryOperator_AddrOf) return;
  CXCursor e = fe_child0(op);
  while (clang_getCursorKind(e) == CXCursor_ParenExpr) e = fe_child0(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if ((k == CXCursor_MemberRefExpr || k == CXCursor_DeclRefExpr) && fe_is_fnptr(clang_getCursorType(e)))
    fe_open_slot(w, fe_usr(w, clang_getCursorReferenced(e)), e); /* &s->fn, &fnptr_var */
#else
  (void)w;
  (void)op;
#endif
}

/* Where the address of the function named at `ref` goes (fe_store). */
static void fe_destination(fe_walk *w, CXCursor ref, ft_addr *a) {
  CXSourceLocation loc = clang_getCursorLocation(ref);
  a->cast_type = "";
  a->cast_key = "";
  a->dest = "";
  a->call = -1;
  a->icall = 0;
  fe_addr_params(w, clang_getCursorReferenced(ref), a->func);
  for (size_t k = w->stores.n; k-- > 0;) {
    const fe_store *st = &w->stores.v[k];
    if (!clang_equalLocations(st->loc, loc)) continue;
    a->dest_kind = st->dest_kind;
    a->dest = st->dest;
    a->contract = st->contract;
    a->call = st->call;
    a->arg = st->arg;
    a->icall = st->icall;
    a->cast_type = st->cast_type;
    a->cast_key = st->cast_key;
    return;
  }
}

static void fe_ref(fe_walk *w, CXCursor c) {
  CXCursor ref = clang_getCursorReferenced(c);
  enum CXCursorKind k = clang_getCursorKind(ref);
  if (k == CXCursor_FunctionDecl) {
    /* clang_equalCursors also compares the visitor's parent bookkeeping, which
     * differs between the two walks; the raw location identifies the token. */
    if (w->has_pending && clang_equalLocations(clang_getCursorLocation(c), w->pending)) {
      w->has_pending = 0;
      return;
    }
    uint32_t f = fe_func(w, ref, 0);
    if (f == FT_NONE) return;
    ft_addr a = {0};
    a.func = f;
    a.in_func = w->cur;
    a.site = fe_cursor_loc(w, c);
    fe_destination(w, c, &a);
    if (UT_PUSH(w->tu->addrs, a) < 0) w->tu->failed = 1;
  } else if (k == CXCursor_VarDecl && w->cur >= 0 && fe_omp_is_tls(w, ref)) {
    fe_tls_use(w, ref, fe_cursor_loc(w, c));
  } else if (k == CXCursor_VarDecl) {
    fe_var_use(w, ref, c);
  }
}

void fe_tls_use(fe_walk *w, CXCursor var, ft_loc site) {
  if (w->cur < 0) return;
  CXString name = clang_getCursorSpelling(var);
  ft_effect e = {
      (uint32_t)w->cur,     FX_TLS_VAR, fe_decl_attrs(w, var).annots, ft_str(w->tu, clang_getCString(name)), site,
      fe_cursor_loc(w, var)};
  clang_disposeString(name);
  if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
}

/* ---- aliases ------------------------------------------------------------- */
/* `T f(...) __attribute__((alias("impl")))` defines f as impl, which the
 * same TU defines: f is a definition whose only effect is impl's.  A
 * contract on f is then checked against impl, never trusted. */
typedef struct fe_alias_find {
  const char *name;
  CXCursor def;
  int is_alias;
} fe_alias_find;

static enum CXChildVisitResult fe_alias_attr(CXCursor c, CXCursor parent, CXClientData d) {
  fe_alias_find *a = d;
  char word[32];
  if (clang_getCursorKind(c) != CXCursor_UnexposedAttr) return CXChildVisit_Continue;
  sx_attribute(c, word, sizeof word);
  if (!strcmp(word, "alias")) a->is_alias = 1;
  return a->is_alias ? CXChildVisit_Break : CXChildVisit_Continue;
}

static enum CXChildVisitResult fe_alias_target(CXCursor c, CXCursor parent, CXClientData d) {
  fe_alias_find *a = d;
  if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c)) return CXChildVisit_Continue;
  CXString s = clang_getCursorSpelling(c);
  int hit = !strcmp(clang_getCString(s) ? clang_getCString(s) : "", a->name);
  clang_disposeString(s);
  if (hit) a->def = c;
  return hit ? CXChildVisit_Break : CXChildVisit_Continue;
}

static void fe_alias(fe_walk *w, CXCursor decl, uint32_t idx) {
  fe_alias_find a = {"", clang_getNullCursor(), 0};
  if (!clang_Cursor_hasAttrs(decl)) return;
  clang_visitChildren(decl, fe_alias_attr, &a);
  if (!a.is_alias) return;
  /* libclang does not expose the attribute's argument; the declaration
   * printed back spells it: __attribute__((alias("impl"))) */
  CXPrintingPolicy pol = clang_getCursorPrintingPolicy(decl);
  CXString pp = clang_getCursorPrettyPrinted(decl, pol);
  const char *text = clang_getCString(pp), *at = text ? strstr(text, "alias(\"") : NULL;
  char name[256] = "";
  if (at) {
    at += 7;
    size_t n = strcspn(at, "\"");
    if (n < sizeof name) memcpy(name, at, n), name[n] = '\0';
  }
  clang_disposeString(pp);
  clang_PrintingPolicy_dispose(pol);
  a.name = name;
  if (name[0]) clang_visitChildren(clang_getTranslationUnitCursor(w->cx), fe_alias_target, &a);
  ft_func *f = &w->tu->funcs.v[idx];
  f->has_body = 1;
  f->loc = fe_cursor_loc(w, decl);
  if (!clang_Cursor_isNull(a.def)) {
    uint32_t callee = fe_func(w, a.def, 0);
    ft_call c = {idx, callee, fe_cursor_loc(w, decl), 0};
    if (callee != FT_NONE && UT_PUSH(w->tu->calls, c) < 0) w->tu->failed = 1;
  } else {
    /* not a function this TU defines: the alias is of something unseen */
    ft_effect e = {
        idx, FX_EXTERNAL, 0, ft_str(w->tu, name[0] ? name : "?"), fe_cursor_loc(w, decl), fe_cursor_loc(w, decl)};
    if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
  }
}

/* ---- unseen code ------------------------------------------------------------ */
/* Records that the function being walked contains construct c, which the
 * front end does not understand: both of its properties become unknown.
 * At file scope there is no function to mark; every function name inside
 * is still recorded as address-taken (the walk continues below c). */
void fe_unseen(fe_walk *w, CXCursor c, const char *what) {
  if (w->cur < 0) return;
  ft_loc at = fe_cursor_loc(w, c);
  ft_effect e = {(uint32_t)w->cur, FX_UNSEEN, 0, ft_str(w->tu, what), at, at};
  if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
}

/* A construct of a kind not understood; one inside another such construct
 * (the captured region of an OpenMP directive, a block's declaration) is
 * part of the outer one's reason. */
static void fe_unseen_kind(fe_walk *w, CXCursor c, CXCursor parent) {
  if (sx_kind_role(clang_getCursorKind(parent)) == SX_UNSEEN) return;
  char name[160];
  sx_name(c, name, sizeof name);
  fe_unseen(w, c, name);
}

void fe_effect(fe_walk *w, CXCursor at, fx_kind kind, const char *detail) {
  if (w->cur < 0) return;
  ft_loc l = fe_cursor_loc(w, at);
  ft_effect e = {(uint32_t)w->cur, (uint8_t)kind, 0, ft_str(w->tu, detail), l, l};
  if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
}

/* A direct call edge that is not written as a call expression (a cleanup
 * function, a call inside inline assembly). */
void fe_call_at(fe_walk *w, uint32_t callee, ft_loc site) {
  if (w->cur < 0 || callee == FT_NONE) return;
  ft_call c = {(uint32_t)w->cur, callee, site, 0};
  if (UT_PUSH(w->tu->calls, c) < 0) w->tu->failed = 1;
}

static void fe_implicit_call(fe_walk *w, uint32_t callee, CXCursor at) { fe_call_at(w, callee, fe_cursor_loc(w, at)); }

/* ---- functions by name ----------------------------------------------------- */
/* libclang has no name lookup; a cleanup attribute and an asm template
 * name functions by their spelling.  The map of file-scope function
 * declarations (system headers included) is built on first use. */
static enum CXChildVisitResult fe_names_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (clang_getCursorKind(c) != CXCursor_FunctionDecl) return CXChildVisit_Continue;
  CXString s = clang_getCursorSpelling(c);
  const char *name = ft_str(w->tu, clang_getCString(s));
  clang_disposeString(s);
  uint32_t old;
  if (!ut_map_get(&w->names, name, &old)) {
    if (UT_PUSH(w->named, c) < 0 || ut_map_put(&w->names, name, (uint32_t)w->named.n - 1) < 0) w->tu->failed = 1;
  }
  return CXChildVisit_Continue;
}

/* The function declared as `name` at file scope, FT_NONE if there is none. */
uint32_t fe_func_named(fe_walk *w, const char *name) {
  if (!w->names_built) {
    w->names_built = 1;
    clang_visitChildren(clang_getTranslationUnitCursor(w->cx), fe_names_visit, w);
  }
  uint32_t i;
  if (!ut_map_get(&w->names, name, &i)) return FT_NONE;
  return fe_func(w, w->named.v[i], 0);
}

/* `T x __attribute__((cleanup(f)))`: f(&x) runs when x goes out of scope.
 * The attribute's argument is not exposed; the declaration printed by
 * clang names the function (macros such as systemd's _cleanup_free_
 * already expanded). */
static void fe_cleanup(fe_walk *w, CXCursor var, CXCursor attr) {
  CXPrintingPolicy pp = clang_getCursorPrintingPolicy(var);
  CXString s = clang_getCursorPrettyPrinted(var, pp);
  const char *t = clang_getCString(s);
  const char *p = t ? strstr(t, "cleanup(") : NULL;
  char name[128] = "";
  if (p) {
    p += strlen("cleanup(");
    size_t k = 0;
    while (k + 1 < sizeof name && (p[k] == '_' || (p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
                                   (p[k] >= '0' && p[k] <= '9')))
      name[k] = p[k], k++;
    name[k] = '\0';
  }
  clang_disposeString(s);
  clang_PrintingPolicy_dispose(pp);
  uint32_t f = name[0] ? fe_func_named(w, name) : FT_NONE;
  if (f == FT_NONE) {
    char what[192];
    snprintf(what, sizeof what, "cleanup attribute whose function '%s' is not found", name[0] ? name : "?");
    fe_unseen(w, attr, what);
    return;
  }
  fe_implicit_call(w, f, attr);
}

/* ---- inline assembly ---------------------------------------------------------- */
static enum CXChildVisitResult fe_expr_kids(CXCursor c, CXCursor parent, CXClientData d) {
  fe_cursors *k = d;
  if (clang_isExpression(clang_getCursorKind(c)) && UT_PUSH(*k, c) < 0) return CXChildVisit_Break;
  return CXChildVisit_Continue;
}

/* The system call number an asm statement passes in its "a" input
 * (x86-64 and i386: rax/eax), -1 when not a known constant. */
static long fe_asm_sc_operand(CXCursor stmt, const as_stmt *st) {
  int want = -1;
  for (int i = 0; i < st->ninputs && st->noutputs + i < AS_MAX_OPS; i++) {
    const char *c = st->constraint[st->noutputs + i];
    if (strchr(c, 'a')) want = st->noutputs + i;
    if (c[0] >= '0' && c[0] <= '9' && c[0] - '0' < st->noutputs && strchr(st->constraint[c[0] - '0'], 'a'))
      want = st->noutputs + i;
  }
  if (want < 0) return -1;
  fe_cursors k = {0};
  clang_visitChildren(stmt, fe_expr_kids, &k);
  long long v = -1;
  if (k.n != (size_t)(st->noutputs + st->ninputs) || !sx_eval_int(k.v[want], &v)) v = -1;
  free(k.v);
  return (long)v;
}

/* Inline assembly: the template is read from the source (libclang does
 * not expose it) and classified by asmscan.c.  Thread-pointer uses are
 * tls effects, traps and exit system calls panic, calls to named symbols
 * are call edges, and anything else it does not know is unseen. */
static void fe_asm(fe_walk *w, CXCursor c) {
  size_t len;
  const char *t = sx_text(c, &len);
  as_stmt st;
  if (!t || as_parse(t, len, &st) < 0 || !st.literal || st.truncated) {
    fe_unseen(w, c, "inline assembly whose template fnprop cannot read (built by a macro?)");
    return;
  }
  as_class cl;
  as_classify(st.tmpl, &cl);
  char what[160];
  if (cl.flags & AS_TLS) {
    snprintf(what, sizeof what, FX_ASM_DETAIL " '%s'", cl.tls_what);
    fe_effect(w, c, FX_TLS_API, what);
  }
  if (cl.flags & AS_TRAP) {
    snprintf(what, sizeof what, FX_ASM_DETAIL " '%s'", cl.trap_what);
    fe_effect(w, c, FX_PANIC_CALL, what);
  }
  if (cl.flags & AS_SYSCALL) {
    long nr = cl.sc_nr >= 0 ? cl.sc_nr : fe_asm_sc_operand(c, &st);
    if (as_is_exit(cl.sc_kind, nr)) {
      snprintf(what, sizeof what, FX_ASM_DETAIL " system call %ld (exit)", nr);
      fe_effect(w, c, FX_PANIC_CALL, what);
    } else {
      if (nr >= 0) snprintf(what, sizeof what, FX_ASM_DETAIL " system call %ld", nr);
      else snprintf(what, sizeof what, FX_ASM_DETAIL " system call with a number fnprop cannot tell");
      fe_unseen(w, c, what);
    }
  }
  for (int i = 0; i < cl.ncalls; i++) {
    uint32_t f = fe_func_named(w, cl.calls[i]);
    if (f == FT_NONE) { /* a symbol declared nowhere in C: external by that name */
      ut_buf usr = {0};
      ut_buf_printf(&usr, "c:@F@%s", cl.calls[i]);
      int is_new = 0;
      f = usr.failed ? FT_NONE : ft_func_intern(w->tu, usr.s, "", &is_new);
      ut_buf_free(&usr);
      if (f != FT_NONE && is_new) {
        ft_func *fn = &w->tu->funcs.v[f];
        fn->name = ft_str(w->tu, cl.calls[i]);
        fn->external = 1;
        fn->visible = 1;
        fn->loc = fe_cursor_loc(w, c);
        fn->fntype = "";
      }
    }
    if (f == FT_NONE) w->tu->failed = 1;
    fe_implicit_call(w, f, c);
  }
  if (cl.flags & (AS_INDIRECT | AS_OTHER)) {
    snprintf(what, sizeof what, FX_ASM_DETAIL " '%s'", cl.other_what);
    fe_unseen(w, c, what);
  }
}

/* The operands of an asm statement: the template may write any of them,
 * and through any pointer among them.  A function-pointer slot named
 * there is open; a record with function pointers named or pointed to is
 * written by code fnprop did not see. */
static enum CXChildVisitResult fe_asm_operand(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (!clang_isExpression(clang_getCursorKind(c))) return CXChildVisit_Continue;
  CXCursor e = fe_strip_implicit(c);
  CXType t = clang_getCursorType(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (fe_is_fnptr(t) && (k == CXCursor_MemberRefExpr || k == CXCursor_DeclRefExpr)) {
    CXCursor r = clang_getCursorReferenced(e);
    if (clang_getCursorKind(r) == CXCursor_FieldDecl || clang_getCursorKind(r) == CXCursor_VarDecl)
      fe_open_slot(w, fe_usr(w, r), e);
  }
  CXType pt = clang_getCanonicalType(clang_getPointeeType(clang_getCanonicalType(t)));
  if (clang_getCanonicalType(t).kind == CXType_Pointer && pt.kind == CXType_Pointer && fe_is_fnptr(pt))
    fe_open_type(w, fe_pointee_function(pt), e); /* through a pointer to a function pointer */
  CXType r = fe_fn_record(w, t, NULL);
  if (r.kind == CXType_Record) fe_pollute_record(w, r, 0);
  return CXChildVisit_Continue;
}

static void fe_asm_operands(fe_walk *w, CXCursor stmt) { clang_visitChildren(stmt, fe_asm_operand, w); }

/* ---- bodies --------------------------------------------------------------- */

/* Walks c and, unless its handler walked its children itself, below it. */
void fe_walk_one(fe_walk *w, CXCursor c, CXCursor parent) {
  if (fe_body(c, parent, w) == CXChildVisit_Recurse) clang_visitChildren(c, fe_body, w);
}

/* Does the subtree hold a label or a case (a jump can enter it)? */
static enum CXChildVisitResult fe_label_find(CXCursor c, CXCursor parent, CXClientData d) {
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_LabelStmt || k == CXCursor_CaseStmt || k == CXCursor_DefaultStmt) {
    *(int *)d = 1;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Recurse;
}

static int fe_has_label(CXCursor c) {
  int found = 0;
  if (fe_label_find(c, c, &found) == CXChildVisit_Break) return 1;
  clang_visitChildren(c, fe_label_find, &found);
  return found;
}

/* `if (C) A else B` and `C ? A : B` with a constant C: the branch not
 * taken produces nothing (unless a label inside it can be jumped to).
 * Returns 1 when it walked the construct itself. */
static int fe_const_branch(fe_walk *w, CXCursor c) {
  fe_kids k = fe_children(c);
  if (k.n < 2 || k.n > 3) return 0;
  long long v;
  if (!sx_eval_int(k.v[0], &v)) return 0;
  int taken = v ? 1 : 2;
  int dead = v ? 2 : 1;
  if (dead < k.n && fe_has_label(k.v[dead])) return 0;
  fe_walk_one(w, k.v[0], c);
  if (taken < k.n) fe_walk_one(w, k.v[taken], c);
  return 1;
}

/* `0 && X`, `1 || X` (operator kinds need libclang >= 17): X is never
 * evaluated. */
static int fe_const_logic(fe_walk *w, CXCursor op) {
#if CINDEX_VERSION_MINOR >= 64
  enum CXBinaryOperatorKind bk = clang_getCursorBinaryOperatorKind(op);
  if (bk != CXBinaryOperator_LAnd && bk != CXBinaryOperator_LOr) return 0;
  fe_kids k = fe_children(op);
  long long v;
  if (k.n != 2 || !sx_eval_int(k.v[0], &v) || (bk == CXBinaryOperator_LAnd ? v != 0 : v == 0)) return 0;
  if (fe_has_label(k.v[1])) return 0;
  fe_walk_one(w, k.v[0], op);
  return 1;
#else
  (void)w;
  (void)op;
  return 0;
#endif
}

/* __builtin_choose_expr(C, A, B): only the chosen operand is evaluated. */
static void fe_choose(fe_walk *w, CXCursor c) {
  fe_kids k = fe_children(c);
  long long v;
  if (k.n == 3 && sx_eval_int(k.v[0], &v)) {
    fe_walk_one(w, k.v[v ? 1 : 2], c);
  } else {
    for (int i = 0; i < k.n && i < 4; i++) fe_walk_one(w, k.v[i], c);
  }
}

/* _Generic(X, T1: A, T2: B, ...): X is not evaluated; of the associations
 * only the selected one is, which has the expression's own type.  Every
 * association of that type is walked (all of them if none matches). */
static void fe_generic(fe_walk *w, CXCursor g) {
  fe_cursors k = {0};
  clang_visitChildren(g, fe_all_visit, &k);
  int pick = k.n > 1 ? sx_generic_pick(g, k.v[0], (int)k.n - 1) : -1;
  if (pick >= 0) { /* told from the source: the controlling type names it */
    fe_walk_one(w, k.v[pick + 1], g);
    free(k.v);
    return;
  }
  CXType t = clang_getCanonicalType(clang_getCursorType(g));
  size_t match = 0;
  for (size_t i = 1; i < k.n; i++)
    if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(k.v[i])), t)) match++;
  for (size_t i = 1; i < k.n; i++)
    if (!match || clang_equalTypes(clang_getCanonicalType(clang_getCursorType(k.v[i])), t)) fe_walk_one(w, k.v[i], g);
  free(k.v);
}

/* Children that belong to a declaration's or cast's type (`typeof(f())`,
 * array bounds, the types of a compound literal) are not evaluated,
 * unless the type is variably modified (a VLA bound is evaluated). */
static int fe_type_part(CXCursor c, CXCursor parent) {
  if (!clang_isExpression(clang_getCursorKind(c))) return 0;
  switch (clang_getCursorKind(parent)) {
  case CXCursor_FunctionDecl: return 1; /* its children: parameters, attributes, the body */
  case CXCursor_VarDecl: {
    if (sx_type_vm(clang_getCursorType(parent))) return 0;
    CXCursor init = clang_Cursor_getVarDeclInitializer(parent);
    return clang_Cursor_isNull(init) || !clang_equalRanges(clang_getCursorExtent(init), clang_getCursorExtent(c));
  }
  case CXCursor_CStyleCastExpr:
    if (sx_type_vm(clang_getCursorType(parent))) return 0;
    return !clang_equalLocations(clang_getRangeEnd(clang_getCursorExtent(c)),
                                 clang_getRangeEnd(clang_getCursorExtent(parent)));
  case CXCursor_CompoundLiteralExpr: return clang_getCursorKind(c) != CXCursor_InitListExpr;
  default: return 0;
  }
}

static enum CXChildVisitResult fe_unexposed(fe_walk *w, CXCursor c) {
  char what[64], name[128];
  switch (sx_unexposed_expr(c, what, sizeof what)) {
  case SX_E_WRAPPER:
  case SX_E_WALK: return CXChildVisit_Recurse;
  case SX_E_VALUE: return CXChildVisit_Continue;
  case SX_E_CHOOSE: fe_choose(w, c); return CXChildVisit_Continue;
  default:
    snprintf(name, sizeof name, "expression '%s' of a kind libclang does not expose", what);
    fe_unseen(w, c, name);
    return CXChildVisit_Recurse;
  }
}

static enum CXChildVisitResult fe_attribute(fe_walk *w, CXCursor c, CXCursor parent) {
  char word[64], what[128];
  /* An attribute clang adds itself (a library builtin's nothrow, format,
   * ...) sits at the location of the declaration it was added to (the
   * first one, when a later one inherits it). */
  CXSourceLocation at = clang_getCursorLocation(c);
  if (clang_equalLocations(at, clang_getCursorLocation(parent)) ||
      clang_equalLocations(at, clang_getCursorLocation(clang_getCanonicalCursor(parent))))
    return CXChildVisit_Continue;
  switch (sx_attribute(c, word, sizeof word)) {
  case SX_A_CLEANUP:
    if (clang_getCursorKind(parent) == CXCursor_VarDecl) fe_cleanup(w, parent, c);
    break;
  case SX_A_UNKNOWN:
    snprintf(what, sizeof what, "attribute '%s'", word);
    fe_unseen(w, c, what);
    break;
  default: break;
  }
  return CXChildVisit_Continue;
}

/* One cursor kind the table marks SX_HANDLE. */
static enum CXChildVisitResult fe_handle(fe_walk *w, CXCursor c, CXCursor parent, enum CXCursorKind k) {
  switch (k) {
  case CXCursor_CallExpr: {
    CXCursor fn;
    int32_t call = fe_call(w, c, &fn);
    if (call >= 0) fe_call_args(w, c, fn, call);
    return CXChildVisit_Recurse;
  }
  case CXCursor_DeclRefExpr: fe_ref(w, c); return CXChildVisit_Recurse;
  case CXCursor_BinaryOperator:
    fe_assign(w, c);
    return fe_const_logic(w, c) ? CXChildVisit_Continue : CXChildVisit_Recurse;
  case CXCursor_UnaryOperator: fe_unary(w, c); return CXChildVisit_Recurse;
  case CXCursor_IfStmt:
  case CXCursor_ConditionalOperator: return fe_const_branch(w, c) ? CXChildVisit_Continue : CXChildVisit_Recurse;
  case CXCursor_CStyleCastExpr: fe_cast(w, c); return CXChildVisit_Recurse;
  case CXCursor_CompoundLiteralExpr: return CXChildVisit_Recurse;
  case CXCursor_InitListExpr: fe_initlist(w, c); return CXChildVisit_Recurse;
  case CXCursor_GenericSelectionExpr: fe_generic(w, c); return CXChildVisit_Continue;
  case CXCursor_UnaryExpr: { /* sizeof, _Alignof: evaluated only for a VLA */
    long long v;
    return sx_eval_int(c, &v) ? CXChildVisit_Continue : CXChildVisit_Recurse;
  }
  case CXCursor_VarDecl:
    fe_omp_note_tls(w, c);
    fe_var_init(w, c);
    return CXChildVisit_Recurse;
  case CXCursor_TypedefDecl:
    return sx_type_vm(clang_getTypedefDeclUnderlyingType(c)) ? CXChildVisit_Recurse : CXChildVisit_Continue;
  case CXCursor_ReturnStmt: fe_return(w, c); return CXChildVisit_Recurse;
  case CXCursor_GCCAsmStmt:
    fe_asm(w, c);
    fe_asm_operands(w, c);
    return CXChildVisit_Recurse;
  case CXCursor_UnexposedStmt:
    if (!sx_attributed_stmt(c)) fe_unseen_kind(w, c, parent);
    return CXChildVisit_Recurse;
  case CXCursor_UnexposedExpr: fe_implicit(w, c, parent); return fe_unexposed(w, c);
  case CXCursor_UnexposedDecl: /* `__label__ l;` has no children and no code */
    if (fe_children(c).n) fe_unseen_kind(w, c, parent);
    return CXChildVisit_Continue;
  case CXCursor_UnexposedAttr: return fe_attribute(w, c, parent);
  default:
    if (fe_omp_kind(k)) return fe_omp_directive(w, c, parent);
    fe_unseen_kind(w, c, parent);
    return CXChildVisit_Recurse;
  }
}

enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (fe_type_part(c, parent)) return CXChildVisit_Continue;
  if (w->omp_pass == 2) { /* an OpenMP task region: walked as its own function */
    int32_t body = fe_omp_region(w, c);
    if (body >= 0 && body != w->cur) {
      int32_t saved = w->cur;
      w->cur = body;
      fe_walk_one(w, c, parent);
      w->cur = saved;
      return CXChildVisit_Continue;
    }
  }
  enum CXCursorKind k = clang_getCursorKind(c);
  switch (sx_kind_role(k)) {
  case SX_WALK: return CXChildVisit_Recurse;
  case SX_SKIP:
    if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl) fe_record_decl(w, c); /* a local union */
    return CXChildVisit_Continue;
  case SX_HANDLE: return fe_handle(w, c, parent, k);
  default:
    if (fe_omp_kind(k)) return fe_omp_directive(w, c, parent);
    fe_unseen_kind(w, c, parent);
    return CXChildVisit_Recurse;
  }
}

/* Definitions already walked (a `gnu_inline` body and the out-of-line
 * definition of the same function are two, and both are walked). */
static int fe_walked(fe_walk *w, CXCursor def) {
  uint32_t *slot = fe_decl_slot(w, (const char *)def.data[0] + 1); /* a key apart from fe_func's */
  if (!slot) return w->tu->failed = 1, 1;
  if (*slot != FT_NONE) return 1;
  *slot = 1;
  return 0;
}

static void fe_walk_definition(fe_walk *w, uint32_t idx, CXCursor def) {
  if (fe_walked(w, def)) return;
  ft_func *f = &w->tu->funcs.v[idx];
  if (!f->has_body) f->loc = fe_cursor_loc(w, def);
  f->has_body = 1;
  int32_t saved = w->cur;
  CXCursor saved_cursor = w->cur_cursor;
  w->cur = (int32_t)idx;
  w->cur_cursor = def;
  int saved_returns = w->cur_returns_fnptr;
  w->cur_returns_fnptr = fe_is_fnptr(clang_getCursorResultType(def));
  w->has_pending = 0;
  clang_visitChildren(def, fe_body, w);
  ff_build(w->tu, idx, def); /* stage-3 flow facts (frontend_flow.c) */
  w->cur = saved;
  w->cur_cursor = saved_cursor;
  w->cur_returns_fnptr = saved_returns;
}

/* A file-scope variable in a system header whose initializer names a
 * function: a table of callbacks a vendor header defines. */
static int fe_system_table(CXCursor c) {
  return clang_getCursorKind(c) == CXCursor_VarDecl && !clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(c));
}

static enum CXChildVisitResult fe_top(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (fe_in_system_header(c) && !fe_system_table(c)) return CXChildVisit_Continue;
  w->stores.n = 0;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_FunctionDecl) {
    uint32_t idx = fe_func(w, c, 1);
    if (idx != FT_NONE) fe_omp_declaration(w, c, idx);
    if (idx != FT_NONE && clang_isCursorDefinition(c)) fe_walk_definition(w, idx, c);
    else if (idx != FT_NONE) fe_alias(w, c, idx);
  } else if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl || k == CXCursor_EnumDecl ||
             k == CXCursor_TypedefDecl) {
    /* Types name no function and evaluate nothing (C has no member
     * initializers; enumerator values are constant expressions). */
    if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl) fe_record_decl(w, c);
  } else {
    w->cur = -1;
    if (k == CXCursor_VarDecl) fe_omp_note_tls(w, c);
    fe_var_init(w, c);
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
  if (!strncmp(a, "-M", 2) || !strncmp(a, "-Werror", 7) || !strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E"))
    return 1;
  if (!strncmp(a, "-o", 2) && a[2]) return 1;
  return 0;
}

/* `-DFNPROP_RT_SOURCES_HASH=...` carries the hash of the analysis inputs
 * into the build (runtime-shim/fnprop_rt.h); only its presence can matter
 * to the parse.  Its value is replaced, in the parse and in the cache key,
 * so a build that records it in compile_commands.json does not change
 * the very hash it carries. */
static const char fe_hash_macro[] = "FNPROP_RT_SOURCES_HASH=";

const char *fe_arg_key(const char *arg) {
  if (!strncmp(arg, "-D", 2) && !strncmp(arg + 2, fe_hash_macro, sizeof fe_hash_macro - 1))
    return "-DFNPROP_RT_SOURCES_HASH=\"\"";
  if (!strncmp(arg, fe_hash_macro, sizeof fe_hash_macro - 1)) return "FNPROP_RT_SOURCES_HASH=\"\"";
  return arg;
}

static int fe_collect_rejected(ft_tu *tu, CXTranslationUnit cx, const cdb_entry *e);

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

/* ---- header search: what the TU looked for ----------------------------------
 * The search list comes from clang itself: an empty file parsed with the
 * entry's flags and -v, whose report on stderr is read back (fd 2 is
 * redirected to a temporary file meanwhile, so this runs only while no
 * other thread parses).  One probe per distinct set of flags that can
 * change the list; everything else (defines, warnings, the file) is not
 * part of the key. */
typedef struct fe_list {
  const char *key;
  int ok;                   /* 0: the list could not be read */
  struct {
    const char **v;
    size_t n, cap;
  } dirs;
} fe_list;

struct fe_searchlists {
  ut_arena arena;
  ut_map index;             /* key -> index into lists */
  struct {
    fe_list *v;
    size_t n, cap;
  } lists;
  int failed;
};

fe_searchlists *fe_searchlists_create(void) { return calloc(1, sizeof(fe_searchlists)); }

void fe_searchlists_destroy(fe_searchlists *s) {
  if (!s) return;
  for (size_t i = 0; i < s->lists.n; i++) free(s->lists.v[i].dirs.v);
  free(s->lists.v);
  ut_map_free(&s->index);
  ut_arena_free(&s->arena);
  free(s);
}

/* Flags that cannot change the search list are left out of the key. */
static int fe_search_irrelevant(const char *a) {
  if (!strncmp(a, "-D", 2) || !strncmp(a, "-U", 2) || !strncmp(a, "-W", 2) || !strncmp(a, "-O", 2) ||
      !strncmp(a, "-g", 2) || !strncmp(a, "-std=", 5) || !strncmp(a, "-M", 2) || !strcmp(a, "-w") ||
      !strcmp(a, "-pedantic") || !strcmp(a, "-c") || !strcmp(a, "-pipe") || !strcmp(a, "-pthread"))
    return 1;
  return !strncmp(a, "-f", 2) && !strstr(a, "module");
}

static const char *const fe_search_env[] = {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
                                            "SDKROOT"};

static char *fe_search_key(const cdb_entry *e) {
  ut_buf b = {0};
  ut_buf_pair(&b, e->directory, e->argv[0]);
  for (int i = 1; i < e->argc; i++) {
    const char *a = e->argv[i];
    if ((!strcmp(a, "-D") || !strcmp(a, "-U") || !strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") ||
         !strcmp(a, "-MQ")) &&
        i + 1 < e->argc) {
      i++;
      continue;
    }
    if (fe_search_irrelevant(a) || a[0] != '-') continue; /* file names: the source, or an option's value */
    ut_buf_pair(&b, "", a);
    if (i + 1 < e->argc && e->argv[i + 1][0] != '-') ut_buf_pair(&b, "", e->argv[i + 1]);
  }
  for (size_t k = 0; k < sizeof fe_search_env / sizeof fe_search_env[0]; k++) {
    const char *v = getenv(fe_search_env[k]);
    ut_buf_pair(&b, fe_search_env[k], v ? v : "\x1e");
  }
  if (b.failed) ut_buf_free(&b);
  return b.s;
}

/* A directory of the search list, absolute (relative ones are the entry's). */
static void fe_list_add(fe_searchlists *s, fe_list *l, const char *dir, size_t n, const char *base) {
  ut_buf b = {0};
  if (n && dir[0] != '/') ut_buf_printf(&b, "%s/", base);
  ut_buf_add(&b, dir, n);
  const char *p = b.failed || !n ? NULL : ut_arena_strdup(&s->arena, b.s);
  if (n && (!p || UT_PUSH(l->dirs, p) < 0)) s->failed = 1;
  ut_buf_free(&b);
}

/* Reads the directories out of clang's -v report. */
static int fe_parse_report(fe_searchlists *s, fe_list *l, const char *text, const char *base) {
  int in_list = 0, done = 0;
  for (const char *line = text; *line && !done;) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    static const char ign[] = "ignoring nonexistent directory \"";
    if (!strncmp(line, ign, sizeof ign - 1) && n > sizeof ign && line[n - 1] == '"') {
      fe_list_add(s, l, line + sizeof ign - 1, n - sizeof ign, base); /* may appear later: watch it */
    } else if (!strncmp(line, "#include ", 9) && strstr(line, "search starts here")) {
      in_list = 1;
    } else if (!strncmp(line, "End of search list.", 19)) {
      done = 1;
    } else if (in_list && n > 1 && line[0] == ' ') {
      static const char *const tags[] = {" (framework directory)", " (headermap)"};
      for (int k = 0; k < 2; k++) {
        size_t t = strlen(tags[k]);
        if (n > t && !memcmp(line + n - t, tags[k], t)) n -= t;
      }
      fe_list_add(s, l, line + 1, n - 1, base);
    }
    line = nl ? nl + 1 : line + n;
  }
  return done;
}

/* Parses an empty file with e's flags and -v, capturing stderr.  Flags
 * the driver rejects are dropped and the probe repeated, as for the parse
 * itself (fe_parse), so the list is the one that parse will use. */
static int fe_probe_search(fe_searchlists *s, fe_list *l, CXIndex index, const cdb_entry *e) {
  ut_buf probe = {0};
  ut_buf_printf(&probe, "%s/fnprop-search-probe.c", e->directory);
  ft_tu *scratch = ft_tu_create(e->file, e->directory); /* collects the rejected flags */
  FILE *tmp = probe.failed || !scratch ? NULL : tmpfile();
  int saved = tmp ? dup(2) : -1, ok = 0;
  for (int attempt = 0; saved >= 0 && attempt < 4; attempt++) {
    int argc = 0;
    const char **argv = fe_args(e, scratch, probe.s, &argc);
    if (!argv || ftruncate(fileno(tmp), 0) != 0 || fseek(tmp, 0, SEEK_SET) != 0) {
      free(argv);
      break;
    }
    fflush(stderr);
    CXTranslationUnit cx = NULL;
    ok = 0;
    if (dup2(fileno(tmp), 2) >= 0) {
      struct CXUnsavedFile u = {probe.s, "", 0};
      ok = clang_parseTranslationUnit2FullArgv(index, NULL, argv, argc, &u, 1, CXTranslationUnit_KeepGoing, &cx) ==
           CXError_Success;
      fflush(stderr);
      dup2(saved, 2);
    }
    free(argv);
    int again = ok && cx && fe_collect_rejected(scratch, cx, e);
    if (cx) clang_disposeTranslationUnit(cx);
    if (!again) break;
  }
  if (saved >= 0) close(saved);
  ut_buf report = {0};
  if (ok && fseek(tmp, 0, SEEK_SET) == 0) {
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, tmp)) > 0) ut_buf_add(&report, chunk, n);
  }
  ok = ok && report.s && !report.failed && fe_parse_report(s, l, report.s, e->directory);
  ut_buf_free(&report);
  if (tmp) fclose(tmp);
  ft_tu_destroy(scratch);
  ut_buf_free(&probe);
  return ok;
}

static const fe_list *fe_list_find(const fe_searchlists *s, const char *key) {
  uint32_t i;
  return s && key && ut_map_get(&s->index, key, &i) ? &s->lists.v[i] : NULL;
}

static const fe_list *fe_searchlists_get(fe_searchlists *s, CXIndex index, const cdb_entry *e) {
  char *key = fe_search_key(e);
  const fe_list *found = fe_list_find(s, key);
  if (!found && key) {
    fe_list l = {ut_arena_strdup(&s->arena, key), 0, {0}};
    l.ok = l.key && fe_probe_search(s, &l, index, e);
    if (!l.key || UT_PUSH(s->lists, l) < 0) {
      s->failed = 1;
      free(l.dirs.v);
    } else if (ut_map_put(&s->index, l.key, (uint32_t)s->lists.n - 1) < 0) {
      s->failed = 1;
      free(s->lists.v[--s->lists.n].dirs.v); /* not kept: freed once, here */
    } else {
      found = &s->lists.v[s->lists.n - 1];
    }
  }
  free(key);
  return found;
}

int fe_searchlists_add(fe_searchlists *s, fe_ctx *ctx, const cdb_entry *e) {
  return fe_searchlists_get(s, ctx->index, e) && !s->failed ? 0 : -1;
}

void fe_use_searchlists(fe_ctx *ctx, const fe_searchlists *s) { ctx->shared = s; }

/* The path clang opened f by, absolute (relative to the entry's directory). */
static char *fe_spelled(fe_walk *w, CXFile f) {
  CXString s = clang_getFileName(f);
  const char *p = clang_getCString(s);
  ut_buf b = {0};
  if (p && *p && p[0] != '/') ut_buf_printf(&b, "%s/", w->tu->directory);
  ut_buf_puts(&b, p ? p : "");
  clang_disposeString(s);
  if (b.failed) ut_buf_free(&b);
  return b.s;
}

/* The name an #include directive wrote, read at the spelling location of
 * its file name (inside a macro's definition for `#include MACRO`). */
static void fe_directive_name(fe_walk *w, CXSourceLocation at) {
  CXFile f = NULL;
  unsigned off = 0;
  clang_getSpellingLocation(at, &f, NULL, NULL, &off);
  if (!f) return; /* the built-in buffer: -include and -imacros, named from the command line */
  size_t size = 0;
  const char *buf = clang_getFileContents(w->cx, f, &size);
  if (!buf || off >= size || !hs_add_literal(&w->search, buf + off, buf + size))
    w->tu->lookups.flags |= FT_LK_MACRO_NAME;
}

static int fe_ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* `#pragma weak NAME [= TARGET]` (and `_Pragma("weak NAME")`) leaves no
 * trace in the AST libclang exposes: the names are read from the text of
 * every file the TU read.  One inside a comment or a disabled #if block
 * also counts (a weak verdict is only less precise). */
static void fe_scan_weak(fe_walk *w, const char *buf, size_t size) {
  const char *p = buf, *end = buf + size;
  while (p < end && (p = memmem(p, (size_t)(end - p), "weak", 4)) != NULL) {
    const char *q = p, *r = p + 4;
    p += 4;
    while (q > buf && (q[-1] == ' ' || q[-1] == '\t')) q--;
    if (q - buf < 6 || memcmp(q - 6, "pragma", 6) || (q - buf > 6 && fe_ident_char(q[-7])) ||
        (r < end && fe_ident_char(*r)))
      continue;
    while (r < end && (*r == ' ' || *r == '\t')) r++;
    char name[128];
    size_t k = 0;
    while (r + k < end && fe_ident_char(r[k]) && k + 1 < sizeof name) name[k] = r[k], k++;
    name[k] = '\0';
    if (!k) continue;
    const char *key = ft_str(w->tu, name);
    if (ut_map_put(&w->weak_names, key, 1) < 0) w->tu->failed = 1;
  }
}

/* Records a file the TU read with its cache fingerprint: the content hash of
 * the very buffer clang parsed, and the stat fields.  A file modified after
 * the parse began gets mtime 0, so the next run hashes it instead of trusting
 * a timestamp that may describe newer content than was parsed.  Every
 * inclusion also tells header search what was looked for. */
static void fe_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData d) {
  fe_walk *w = d;
  if (depth > 0) fe_directive_name(w, stack[0]);
  const char *p = fe_path(w, f);
  uint32_t seen;
  if (ut_map_get(&w->inputs_seen, p, &seen)) return;
  if (ut_map_put(&w->inputs_seen, p, 1) < 0) w->tu->failed = 1;
  ft_input in = {p, -1, 0, 0, 0, {0}};
  size_t size = 0;
  const char *buf = clang_getFileContents(w->cx, f, &size);
  if (buf) hs_scan_text(&w->search, buf, size);
  char *spelled = fe_spelled(w, f);
  if (spelled) {
    if (depth == 0) hs_add_name(&w->search, spelled); /* the main file: a symlink may be retargeted */
    char *slash = strrchr(spelled, '/');
    if (slash && slash > spelled) *slash = '\0';
    hs_add_dir(&w->search, spelled);
    free(spelled);
  } else {
    w->tu->failed = 1;
  }
  if (buf) fe_scan_weak(w, buf, size);
  if (buf) fe_omp_scan_file(w, f, p, buf, size);
  struct stat st;
  if (stat(p, &st) == 0) {
    in.size = st.st_size;
    in.inode = (int64_t)st.st_ino;
    in.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    in.ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
    if (in.mtime_ns >= w->parse_start_ns - 1000000000 || in.ctime_ns >= w->parse_start_ns - 1000000000) in.mtime_ns = 0;
  }
  /* A file unchanged since before the parse began holds what clang read:
   * its digest from an earlier TU of this context is reused. */
  uint32_t k;
  fe_digest *dg = in.mtime_ns && ut_map_get(&w->ctx->digest_index, p, &k) ? &w->ctx->digests.v[k] : NULL;
  if (dg && dg->size == in.size && dg->mtime_ns == in.mtime_ns && dg->ctime_ns == in.ctime_ns &&
      dg->inode == in.inode && (size_t)in.size == size) {
    memcpy(in.hash, dg->sha, sizeof in.hash);
  } else {
    ut_sha256_buf(buf ? buf : "", buf ? size : 0, in.hash);
    fe_digest nd = {in.size, in.mtime_ns, in.ctime_ns, in.inode, {0}};
    memcpy(nd.sha, in.hash, sizeof nd.sha);
    if (dg) {
      *dg = nd;
    } else if (in.mtime_ns && (size_t)in.size == size) {
      const char *key = ut_arena_strdup(&w->ctx->arena, p);
      if (key && UT_PUSH(w->ctx->digests, nd) == 0)
        ut_map_put(&w->ctx->digest_index, key, (uint32_t)w->ctx->digests.n - 1);
    }
  }
  if (UT_PUSH(w->tu->inputs, in) < 0) w->tu->failed = 1;
}

/* Warnings GCC gives where clang (16 and later) stops with an error by
 * default: downgraded, so code that builds with GCC parses completely.
 * A real error (a syntax error, an undeclared identifier) still makes the
 * TU incomplete. */
static const char *const fe_gcc_warnings[] = {
    "-Wno-error=implicit-function-declaration",
    "-Wno-error=implicit-int",
    "-Wno-error=int-conversion",
    "-Wno-error=incompatible-function-pointer-types",
    "-Wno-error=incompatible-pointer-types",
    "-Wno-error=return-mismatch",
    "-Wno-error=return-type",
};
#define FE_NGCC (sizeof fe_gcc_warnings / sizeof fe_gcc_warnings[0])

/* The flag a driver diagnostic rejects ("unknown argument: '-fconserve-stack'",
 * "unknown argument '-x'; did you mean ...", "unsupported option '-m...' for
 * target ...", "unsupported argument 'A' to option '-m...='"), copied into
 * flag; 0 when the diagnostic is not one of those. */
static int fe_rejected_flag(const char *msg, char *flag, size_t n) {
  static const char *const forms[] = {"unknown argument: '", "unknown argument '", "unsupported option '"};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    if (strncmp(msg, forms[i], strlen(forms[i]))) continue;
    const char *a = msg + strlen(forms[i]), *q = strchr(a, '\'');
    if (!q || (size_t)(q - a) >= n) return 0;
    memcpy(flag, a, (size_t)(q - a));
    flag[q - a] = '\0';
    return 1;
  }
  const char *u = "unsupported argument '";
  if (!strncmp(msg, u, strlen(u))) { /* 'A' to option 'O': the flag is "OA" */
    const char *a = msg + strlen(u), *q = strchr(a, '\'');
    const char *o = q ? strstr(q, "to option '") : NULL;
    if (!o) return 0;
    o += strlen("to option '");
    const char *oq = strchr(o, '\'');
    if (!oq || (size_t)(oq - o) + (size_t)(q - a) >= n) return 0;
    snprintf(flag, n, "%.*s%.*s", (int)(oq - o), o, (int)(q - a), a);
    return 1;
  }
  return 0;
}

static int fe_in_argv(const cdb_entry *e, const char *flag) {
  for (int i = 1; i < e->argc; i++)
    if (!strcmp(e->argv[i], flag)) return 1;
  return 0;
}

/* Collects the flags of entry e the driver rejected into tu->dropped
 * (driver diagnostics have no source location); returns how many were
 * new. */
static int fe_collect_rejected(ft_tu *tu, CXTranslationUnit cx, const cdb_entry *e) {
  int found = 0;
  unsigned n = cx ? clang_getNumDiagnostics(cx) : 0;
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(cx, i);
    CXString s = clang_getDiagnosticSpelling(d);
    CXFile file;
    clang_getSpellingLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, NULL);
    char flag[256];
    if (!file && clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
        fe_rejected_flag(clang_getCString(s), flag, sizeof flag) && fe_in_argv(e, flag)) {
      int dup = 0;
      for (size_t k = 0; k < tu->dropped.n; k++) dup |= !strcmp(tu->dropped.v[k], flag);
      if (!dup) {
        found++;
        if (UT_PUSH(tu->dropped, ft_str(tu, flag)) < 0) tu->failed = 1;
      }
    }
    clang_disposeString(s);
    clang_disposeDiagnostic(d);
  }
  return found;
}

static int fe_is_dropped(const ft_tu *tu, const char *a) {
  for (size_t k = 0; k < tu->dropped.n; k++)
    if (!strcmp(tu->dropped.v[k], a)) return 1;
  return 0;
}

/* Flags that make a parse read what the inclusions do not show: clang
 * modules (module maps, a module cache) and precompiled headers. */
static int fe_uses_modules(const cdb_entry *e) {
  for (int i = 1; i < e->argc; i++) {
    const char *a = e->argv[i];
    if (!strcmp(a, "-fmodules") || !strcmp(a, "-fcxx-modules") || !strncmp(a, "-fmodule-map-file", 17) ||
        !strncmp(a, "-fmodule-file", 13) || !strcmp(a, "-fimplicit-module-maps") || !strcmp(a, "-include-pch") ||
        !strncmp(a, "-fmodules-ts", 12) || !strcmp(a, "-fbuiltin-module-map"))
      return 1;
  }
  return 0;
}

/* Candidate directories and names before the inclusions: the search list,
 * the entry's directory (where -include files are looked up first) and the
 * names of -include / -imacros. */
static void fe_search_begin(fe_walk *w, const fe_list *list, const cdb_entry *e) {
  if (!list || !list->ok) w->tu->lookups.flags |= FT_LK_NO_SEARCH;
  for (size_t i = 0; list && i < list->dirs.n; i++) hs_add_dir(&w->search, list->dirs.v[i]);
  hs_add_dir(&w->search, e->directory);
  char *main_dir = ut_strdup(e->file), *slash = main_dir ? strrchr(main_dir, '/') : NULL;
  if (slash && slash > main_dir) *slash = '\0', hs_add_dir(&w->search, main_dir);
  free(main_dir);
  for (int i = 1; i + 1 < e->argc; i++)
    if (!strcmp(e->argv[i], "-include") || !strcmp(e->argv[i], "-imacros") || !strcmp(e->argv[i], "--include"))
      hs_add_name(&w->search, e->argv[i + 1]);
  if (fe_uses_modules(e)) w->tu->lookups.flags |= FT_LK_MODULES;
}

/* The arguments libclang gets: the entry's, minus flags that would write
 * files or turn warnings into errors and flags an earlier try rejected,
 * plus the syntax-only settings and the entry's directory.  With `probe`,
 * every argument naming the main file is replaced by it and -v added (the
 * header search probe).  NULL when out of memory; the caller frees. */
const char **fe_args(const cdb_entry *e, const ft_tu *tu, const char *probe, int *argcp) {
  const char **argv = calloc((size_t)e->argc + 9 + FE_NGCC, sizeof *argv);
  if (!argv) return NULL;
  int argc = 0, skip = 0;
  for (int i = 0; i < e->argc; i++) {
    if (i > 0 && (fe_drop_arg(e->argv, i, e->argc, &skip) || fe_is_dropped(tu, e->argv[i]))) {
      i += skip;
      continue;
    }
    argv[argc++] = fe_arg_key(e->argv[i]);
    if (probe && i > 0 && e->argv[i][0] != '-') {
      ut_buf b = {0};
      if (e->argv[i][0] != '/') ut_buf_printf(&b, "%s/", e->directory);
      ut_buf_puts(&b, e->argv[i]);
      if (b.s) ut_normalize_path(b.s);
      if (b.s && strcmp(b.s, e->file) == 0) argv[argc - 1] = probe;
      ut_buf_free(&b);
    }
  }
  argv[argc++] = "-fsyntax-only";
  argv[argc++] = "-w"; /* warnings are not facts; measured 8% cheaper on sqlite3.c */
  for (size_t i = 0; i < FE_NGCC; i++) argv[argc++] = fe_gcc_warnings[i];
  argv[argc++] = "-working-directory";
  argv[argc++] = e->directory;
  if (probe) argv[argc++] = "-v";
  *argcp = argc;
  return argv;
}

/* Position-independent code whose external definitions may be replaced at
 * run time: -fPIC/-fpic/-shared, unless -fno-semantic-interposition says
 * the compiler (and so the program) binds them locally. */
static int fe_interposable(const cdb_entry *e) {
  int pic = 0, semantic = 1;
  for (int i = 1; i < e->argc; i++) {
    const char *a = e->argv[i];
    if (!strcmp(a, "-fPIC") || !strcmp(a, "-fpic") || !strcmp(a, "-shared")) pic = 1;
    if (!strcmp(a, "-fPIE") || !strcmp(a, "-fpie") || !strcmp(a, "-fno-pic") || !strcmp(a, "-fno-PIC")) pic = 0;
    if (!strcmp(a, "-fno-semantic-interposition")) semantic = 0;
    if (!strcmp(a, "-fsemantic-interposition")) semantic = 1;
  }
  return pic && semantic;
}

ft_tu *fe_parse(fe_ctx *ctx, const cdb_entry *e) {
  ft_tu *tu = ft_tu_create(e->file, e->directory);
  if (!tu) return NULL;
  tu->pic = (uint8_t)fe_interposable(e);
#if CINDEX_VERSION_MINOR >= 64
  tu->field_facts = 1;
#endif
  /* Workers use the lists the driver prepared; alone, the context probes. */
  const fe_list *list = NULL;
  if (ctx->shared) {
    char *key = fe_search_key(e);
    list = fe_list_find(ctx->shared, key);
    free(key);
  } else {
    if (!ctx->own) ctx->own = fe_searchlists_create();
    list = ctx->own ? fe_searchlists_get(ctx->own, ctx->index, e) : NULL;
  }
  fe_walk w;
  fe_walk_init(&w, ctx, tu, NULL);
  w.omp_pass = 1;
  hs_builder_init(&w.search, tu);
  fe_search_begin(&w, list, e);
  hs_parse_begins(&w.search);
  CXTranslationUnit cx = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  struct timespec now;
  enum CXErrorCode rc = CXError_Failure;
  /* GCC-only flags in a compile database make the clang driver stop before
   * parsing; they are dropped and the parse retried (as with clang-tidy on
   * a GCC build).  Each try can only drop more flags, so this ends. */
  for (int attempt = 0; attempt < 4; attempt++) {
    int argc;
    const char **argv = fe_args(e, tu, NULL, &argc);
    if (!argv) {
      hs_builder_free(&w.search);
      ft_tu_destroy(tu);
      return NULL;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    rc = clang_parseTranslationUnit2FullArgv(ctx->index, NULL, argv, argc, NULL, 0, opts, &cx);
    free(argv);
    if (rc != CXError_Success || !cx || !fe_collect_rejected(tu, cx, e)) break;
    clang_disposeTranslationUnit(cx);
    cx = NULL;
  }
  w.cx = cx;
  w.parse_start_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  if (rc != CXError_Success || !cx) {
    hs_builder_free(&w.search);
    const char *why =
        access(e->file, R_OK) != 0
            ? "source file does not exist or cannot be read; rebuild compile_commands.json or restore the file"
        : rc == CXError_Crashed
            ? "libclang crashed or ran out of memory while parsing this file (nesting too deep, or a "
              "file too large for the memory limit); raise the limit, simplify the construct or remove "
              "the file from the compile database"
            : "libclang could not parse this file; check the compile command's flags";
    ft_diag d = {{tu->file, 1, 1}, 1, ft_str(tu, why)};
    tu->complete = 0;
    if (UT_PUSH(tu->diags, d) < 0) tu->failed = 1;
    if (cx) clang_disposeTranslationUnit(cx);
    return tu;
  }
  fe_diagnostics(&w, cx);
  clang_getInclusions(cx, fe_inclusion, &w);
  hs_finish(&w.search, w.parse_start_ns, &ctx->answers);
  hs_builder_free(&w.search);
  clang_visitChildren(clang_getTranslationUnitCursor(cx), fe_top, &w);
  fe_walk_pending(&w);
  /* OpenMP regions: a second parse (frontend_omp.c), which may dispose cx
   * first to bound memory by one parse. */
  if (fe_omp_finish(&w, e) < 0) tu->failed = 1;
  ft_key_variants(tu);
  if (w.cx) clang_disposeTranslationUnit(w.cx);
  fe_walk_free(&w);
  return tu;
}

void fe_walk_init(fe_walk *w, fe_ctx *ctx, ft_tu *tu, CXTranslationUnit cx) {
  memset(w, 0, sizeof *w);
  w->tu = tu;
  w->cur = -1;
  w->ctx = ctx;
  w->cx = cx;
}

void fe_walk_pending(fe_walk *w) {
  while (w->work.n) {
    CXCursor def = w->work.v[--w->work.n];
    uint32_t idx = fe_func(w, def, 1);
    /* the second OpenMP walk: what the first one walked is done */
    if (idx != FT_NONE && !(w->omp_pass == 2 && w->tu->funcs.v[idx].has_body)) fe_walk_definition(w, idx, def);
  }
}

void fe_walk_free(fe_walk *w) {
  free(w->work.v);
  free(w->files.v);
  free(w->stores.v);
  free(w->decls.v);
  free(w->recs.v);
  ut_map_free(&w->flow_seen);
  free(w->named.v);
  ut_map_free(&w->inputs_seen);
  ut_map_free(&w->weak_names);
  ut_map_free(&w->names);
  memset(w, 0, sizeof *w);
}
