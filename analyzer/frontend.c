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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "asmscan.h"
#include "frontend.h"
#include "model.h"
#include "syntax.h"

struct fe_ctx {
  CXIndex index;
};

typedef struct fe_file {
  CXFile file;
  const char *path;
} fe_file;

/* Where the function named at `loc` goes, recorded by the construct that
 * consumes it (a call argument, an assignment, an initializer, a cast, a
 * return) before the name itself is visited.  Keyed by location, so no
 * ancestor chain is needed: a store that is not recognized leaves the
 * address as escaping (signature candidates) and never hides a target. */
typedef struct fe_store {
  CXSourceLocation loc;
  uint8_t dest_kind;        /* FT_SLOT_* or FT_SLOT_NONE */
  const char *dest;
  uint32_t contract;
  int32_t call, arg;
  const char *cast_type;
} fe_store;

typedef struct fe_cursors {
  CXCursor *v;
  size_t n, cap;
} fe_cursors;

typedef struct fe_decl_entry {
  const void *key;
  uint32_t idx;
} fe_decl_entry;

typedef struct fe_walk {
  ft_tu *tu;
  int32_t cur;              /* function whose body is walked; -1 at file scope */
  CXSourceLocation pending; /* location of the callee of the call being visited */
  int has_pending;
  struct { fe_file *v; size_t n, cap; } files;
  size_t last_file;
  struct { CXCursor *v; size_t n, cap; } work; /* system-header bodies to walk */
  CXTranslationUnit cx;
  int64_t parse_start_ns;
  ut_map inputs_seen;
  ut_map weak_names;        /* names given to `#pragma weak` */
  ut_map names;             /* file-scope function name -> index into named */
  fe_cursors named;
  int names_built;
  CXCursor cur_cursor;      /* definition of cur */
  int cur_returns_fnptr;    /* cur returns a function pointer */
  struct { fe_store *v; size_t n, cap; } stores; /* per top-level declaration */
  struct { fe_decl_entry *v; size_t n, cap; } decls; /* open addressing */
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

static int fe_in_system_header(CXCursor c) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(c));
}

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

static uint32_t fe_func(fe_walk *w, CXCursor decl, int own) {
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

static const char *fe_usr(fe_walk *w, CXCursor c) {
  CXString s = clang_getCursorUSR(c);
  const char *r = ft_str(w->tu, clang_getCString(s));
  clang_disposeString(s);
  return r;
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

static int fe_is_fnptr(CXType t) { return fe_pointee_function(t).kind != CXType_Invalid; }

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

static enum CXChildVisitResult fe_all_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_cursors *k = d;
  return UT_PUSH(*k, c) < 0 ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* ---- indirect calls ------------------------------------------------------- */
/* Describes the slot a function pointer value comes from. */
static void fe_slot_of(fe_walk *w, CXCursor expr, ft_icall *ic) {
  CXCursor e = fe_strip(expr);
  CXCursor d = clang_getCursorReferenced(e);
  enum CXCursorKind ek = clang_getCursorKind(e), dk = clang_getCursorKind(d);
  ic->slot = "";
  ic->contract = fe_type_contract(w, clang_getCursorType(expr)) | fe_type_contract(w, clang_getCursorType(e));
  if (ek == CXCursor_MemberRefExpr && dk == CXCursor_FieldDecl) {
    ic->slot_kind = FT_SLOT_FIELD;
    ic->slot = fe_usr(w, d);
    ic->contract |= fe_slot_contract(w, d);
  } else if (ek == CXCursor_DeclRefExpr && (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)) {
    ic->slot_kind = dk == CXCursor_VarDecl ? FT_SLOT_VAR : FT_SLOT_PARAM;
    ic->slot = fe_usr(w, d);
    ic->contract |= fe_slot_contract(w, d);
    if (dk == CXCursor_ParmDecl)
      ic->ext_origin = w->cur >= 0 && w->tu->funcs.v[w->cur].external;
    else
      ic->ext_origin = clang_getCursorLinkage(d) == CXLinkage_External;
  }
}

static void fe_indirect_call(fe_walk *w, CXCursor call) {
  if (w->cur < 0) return;
  CXCursor callee = fe_child0(call);
  ft_icall ic = {0};
  ic.caller = (uint32_t)w->cur;
  ic.fntype = fe_type_str(w, fe_pointee_function(clang_getCursorType(callee)));
  ic.site = fe_cursor_loc(w, call);
  ic.via_call = -1;
  fe_slot_of(w, callee, &ic);
  if (UT_PUSH(w->tu->icalls, ic) < 0) w->tu->failed = 1;
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
  fe_store st = {loc, FT_SLOT_NONE, "", 0, -1, 0, ""};
  if (UT_PUSH(w->stores, st) < 0) {
    w->tu->failed = 1;
    return NULL;
  }
  return &w->stores.v[w->stores.n - 1];
}

typedef struct fe_dest {
  uint8_t kind;
  const char *dest;
  uint32_t contract;
  int32_t call, arg;
} fe_dest;

/* Records destination d for every function named by `value`: the value
 * itself, or either branch of a conditional (`c ? f : g`), recursively. */
static void fe_store_each(fe_walk *w, CXCursor value, const fe_dest *d, int depth) {
  CXCursor e = fe_strip(value);
  if (clang_getCursorKind(e) == CXCursor_ConditionalOperator && depth < 8) {
    fe_kids k = fe_children(e);
    for (int i = 1; i < k.n && i < 3; i++) fe_store_each(w, k.v[i], d, depth + 1);
    return;
  }
  fe_store *st = fe_store_at(w, e);
  if (!st) return;
  st->dest_kind = d->kind;
  st->dest = d->dest;
  st->contract = d->contract;
  st->call = d->call;
  st->arg = d->arg;
}

static void fe_store_dest(fe_walk *w, CXCursor value, uint8_t kind, const char *dest, uint32_t contract) {
  fe_dest d = {kind, dest, contract, -1, 0};
  fe_store_each(w, value, &d, 0);
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

/* Marks a record and the records of its fields as field-insensitive. */
static void fe_pollute_record(fe_walk *w, CXType t, int depth) {
  t = clang_getCanonicalType(t);
  while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) t = clang_getCanonicalType(clang_getArrayElementType(t));
  if (t.kind != CXType_Record || depth > 4) return;
  fe_pollute(w, fe_usr(w, clang_getTypeDeclaration(t)));
  fe_fields f = {{{0}}, 0, 0};
  clang_Type_visitFields(t, fe_field_visit, &f);
  for (int i = 0; i < f.n; i++) fe_pollute_record(w, clang_getCursorType(f.v[i]), depth + 1);
}

/* One initializer value for `field`: a function name is a store into the
 * field (remembered by location for fe_ref); anything else but a null
 * constant pollutes the field. */
static void fe_init_value(fe_walk *w, CXCursor field, CXCursor value) {
  CXType ft = clang_getCursorType(field);
  CXType canon = clang_getCanonicalType(ft);
  if ((canon.kind == CXType_Record || canon.kind == CXType_ConstantArray) &&
      clang_getCursorKind(value) != CXCursor_InitListExpr) {
    fe_pollute_record(w, ft, 0); /* brace elision: positions no longer map */
    return;
  }
  if (!fe_is_fnptr(ft)) return;
  CXCursor s = fe_strip(value);
  enum CXCursorKind k = clang_getCursorKind(s);
  fe_store_dest(w, value, FT_SLOT_FIELD, fe_usr(w, field), fe_slot_contract(w, field));
  if (!(k == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(s)) == CXCursor_FunctionDecl) &&
      k != CXCursor_IntegerLiteral)
    fe_pollute(w, fe_usr(w, field));
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
  int designated = clang_getCursorKind(c) == CXCursor_UnexposedExpr && k.n >= 1 &&
                   clang_getCursorKind(k.v[0]) == CXCursor_MemberRef;
  if (designated) {
    if (k.n != 2) { /* nested designator: .a.b = ... */
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
    CXCursor field = clang_getCursorReferenced(k.v[0]);
    in->pos = -1;
    for (int i = 0; i < in->f->n; i++)
      if (clang_equalCursors(in->f->v[i], field)) in->pos = i;
    if (in->pos < 0) {
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
    fe_init_value(in->w, in->f->v[in->pos++], k.v[1]);
  } else if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && k.n >= 1 && clang_getCursorKind(k.v[0]) == CXCursor_IntegerLiteral &&
             clang_getCursorType(c).kind == CXType_Void) {
    in->f->weird = 1; /* an array designator inside a record */
    return CXChildVisit_Break;
  } else {
    if (in->pos < 0 || in->pos >= in->f->n) {
      in->f->weird = 1;
      return CXChildVisit_Break;
    }
    fe_init_value(in->w, in->f->v[in->pos++], c);
  }
  return CXChildVisit_Continue;
}

/* An initializer list of a record: maps each value to its field. */
typedef struct fe_elems {
  fe_walk *w;
  uint32_t contract;
} fe_elems;

static enum CXChildVisitResult fe_elem_visit(CXCursor c, CXCursor parent, CXClientData d) {
  fe_elems *el = d;
  CXCursor v = c;
  if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && clang_getCursorType(c).kind == CXType_Void)
    v = fe_operand(c); /* [i] = value */
  fe_store_dest(el->w, v, FT_SLOT_VAR, "", el->contract);
  return CXChildVisit_Continue;
}

/* An initializer list of an array of function pointers: the elements go
 * into slots of the element type (its contract, if any). */
static void fe_array_init(fe_walk *w, CXCursor il, CXType t) {
  CXType elem = clang_getArrayElementType(clang_getCursorType(il));
  if (!fe_is_fnptr(clang_getCanonicalType(clang_getArrayElementType(t)))) return;
  fe_elems el = {w, fe_type_contract(w, elem)};
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
 * pollutes the field. */
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
  if (lk != CXCursor_MemberRefExpr && lk != CXCursor_DeclRefExpr) {
    /* *p = f, a[i] = f: an object we do not name; its type may carry a contract */
    fe_store_dest(w, k.v[1], FT_SLOT_VAR, "", fe_type_contract(w, clang_getCursorType(k.v[0])));
  } else if (lk == CXCursor_MemberRefExpr && dk == CXCursor_FieldDecl) {
    fe_store_dest(w, k.v[1], FT_SLOT_FIELD, fe_usr(w, d), fe_slot_contract(w, d));
    if (!fn && rk != CXCursor_IntegerLiteral) fe_pollute(w, fe_usr(w, d));
  } else if (lk == CXCursor_DeclRefExpr && (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)) {
    fe_store_dest(w, k.v[1], dk == CXCursor_VarDecl ? FT_SLOT_VAR : FT_SLOT_PARAM, fe_usr(w, d), fe_slot_contract(w, d));
    if (!fn && dk == CXCursor_VarDecl && rk != CXCursor_IntegerLiteral) fe_pollute(w, fe_usr(w, d));
  }
}

/* Function names given as call arguments (callbacks of modeled functions,
 * task entries of spawn functions, contract-annotated parameters). */
static void fe_call_args(fe_walk *w, CXCursor call, CXCursor fn, int32_t call_idx) {
  int n = clang_Cursor_getNumArguments(call), nparams = -1;
  for (int i = 0; i < n; i++) {
    CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
    CXType t = clang_getCanonicalType(clang_getCursorType(a));
    if (t.kind != CXType_Pointer) continue; /* most arguments: no work at all */
    CXType ft = fe_pointee_function(t);
    if (ft.kind == CXType_Invalid) continue;
    if (nparams < 0) nparams = clang_Cursor_getNumArguments(fn);
    CXCursor s = fe_strip(a);
    fe_dest d = {FT_SLOT_ARG, "", i < nparams ? fe_slot_contract(w, clang_Cursor_getArgument(fn, (unsigned)i)) : 0,
                 call_idx, i + 1};
    fe_store_each(w, a, &d, 0);
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(s)) == CXCursor_FunctionDecl)
      continue; /* a function name: its address use records the argument */
    /* A function-pointer value: an indirect call of the caller if the callee
     * turns out to call its argument back (qsort's comparator). */
    ft_icall ic = {0};
    ic.caller = (uint32_t)w->cur;
    ic.fntype = fe_type_str(w, ft);
    ic.site = fe_cursor_loc(w, a);
    ic.via_call = call_idx;
    ic.via_arg = i + 1;
    fe_slot_of(w, a, &ic);
    if (UT_PUSH(w->tu->icalls, ic) < 0) w->tu->failed = 1;
  }
}

/* `T x = f;` and `return f;` */
static void fe_var_init(fe_walk *w, CXCursor var) {
  if (clang_getCursorKind(var) != CXCursor_VarDecl || !fe_is_fnptr(clang_getCursorType(var))) return;
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  if (clang_Cursor_isNull(init)) return;
  CXCursor v = fe_strip(init);
  enum CXCursorKind k = clang_getCursorKind(v);
  fe_store_dest(w, init, FT_SLOT_VAR, fe_usr(w, var), fe_slot_contract(w, var));
  if (!(k == CXCursor_DeclRefExpr && clang_getCursorKind(clang_getCursorReferenced(v)) == CXCursor_FunctionDecl) &&
      k != CXCursor_IntegerLiteral)
    fe_pollute(w, fe_usr(w, var)); /* initialized from another pointer value */
}

static void fe_return(fe_walk *w, CXCursor ret) {
  if (w->cur < 0 || !w->cur_returns_fnptr) return;
  fe_store_dest(w, fe_child0(ret), FT_SLOT_RETURN, "", fe_type_contract(w, clang_getCursorResultType(w->cur_cursor)));
}

/* `(T)f`: f joins the candidates of T's function type too. */
static void fe_cast(fe_walk *w, CXCursor cast) {
  CXType ft = fe_pointee_function(clang_getCursorType(cast));
  if (ft.kind == CXType_Invalid) return;
  fe_store *st = fe_store_at(w, fe_strip(fe_operand(cast)));
  if (st) st->cast_type = fe_type_str(w, ft);
}

/* `&s->fn` lets anything be written into the field later. */
static void fe_unary(fe_walk *w, CXCursor op) {
#if CINDEX_VERSION_MINOR >= 64
  if (clang_getCursorUnaryOperatorKind(op) != CXUnaryOperator_AddrOf) return;
  CXCursor e = fe_child0(op);
  while (clang_getCursorKind(e) == CXCursor_ParenExpr) e = fe_child0(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if ((k == CXCursor_MemberRefExpr || k == CXCursor_DeclRefExpr) && fe_is_fnptr(clang_getCursorType(e)))
    fe_pollute(w, fe_usr(w, clang_getCursorReferenced(e))); /* &s->fn, &fnptr_var */
#else
  (void)w;
  (void)op;
#endif
}

/* Where the address of the function named at `ref` goes (fe_store). */
static void fe_destination(fe_walk *w, CXCursor ref, ft_addr *a) {
  CXSourceLocation loc = clang_getCursorLocation(ref);
  a->cast_type = "";
  a->dest = "";
  a->call = -1;
  for (size_t k = w->stores.n; k-- > 0;) {
    const fe_store *st = &w->stores.v[k];
    if (!clang_equalLocations(st->loc, loc)) continue;
    a->dest_kind = st->dest_kind;
    a->dest = st->dest;
    a->contract = st->contract;
    a->call = st->call;
    a->arg = st->arg;
    a->cast_type = st->cast_type;
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
  } else if (k == CXCursor_VarDecl && w->cur >= 0 && clang_getCursorTLSKind(ref) != CXTLS_None) {
    CXString name = clang_getCursorSpelling(ref);
    ft_effect e = {(uint32_t)w->cur, FX_TLS_VAR, fe_decl_attrs(w, ref).annots,
                   ft_str(w->tu, clang_getCString(name)), fe_cursor_loc(w, c), fe_cursor_loc(w, ref)};
    clang_disposeString(name);
    if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
  }
}

/* ---- unseen code ------------------------------------------------------------ */
/* Records that the function being walked contains construct c, which the
 * front end does not understand: both of its properties become unknown.
 * At file scope there is no function to mark; every function name inside
 * is still recorded as address-taken (the walk continues below c). */
static void fe_unseen(fe_walk *w, CXCursor c, const char *what) {
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

static void fe_effect(fe_walk *w, CXCursor at, fx_kind kind, const char *detail) {
  if (w->cur < 0) return;
  ft_loc l = fe_cursor_loc(w, at);
  ft_effect e = {(uint32_t)w->cur, (uint8_t)kind, 0, ft_str(w->tu, detail), l, l};
  if (UT_PUSH(w->tu->effects, e) < 0) w->tu->failed = 1;
}

/* A direct call edge that is not written as a call expression (a cleanup
 * function, a call inside inline assembly). */
static void fe_implicit_call(fe_walk *w, uint32_t callee, CXCursor at) {
  if (w->cur < 0 || callee == FT_NONE) return;
  ft_call c = {(uint32_t)w->cur, callee, fe_cursor_loc(w, at), 0};
  if (UT_PUSH(w->tu->calls, c) < 0) w->tu->failed = 1;
}

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
static uint32_t fe_func_named(fe_walk *w, const char *name) {
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

/* ---- bodies --------------------------------------------------------------- */
static enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d);

/* Walks c and, unless its handler walked its children itself, below it. */
static void fe_walk_one(fe_walk *w, CXCursor c, CXCursor parent) {
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
  case CXCursor_VarDecl: fe_var_init(w, c); return CXChildVisit_Recurse;
  case CXCursor_TypedefDecl:
    return sx_type_vm(clang_getTypedefDeclUnderlyingType(c)) ? CXChildVisit_Recurse : CXChildVisit_Continue;
  case CXCursor_ReturnStmt: fe_return(w, c); return CXChildVisit_Recurse;
  case CXCursor_GCCAsmStmt: fe_asm(w, c); return CXChildVisit_Recurse;
  case CXCursor_UnexposedStmt:
    if (!sx_attributed_stmt(c)) fe_unseen_kind(w, c, parent);
    return CXChildVisit_Recurse;
  case CXCursor_UnexposedExpr: return fe_unexposed(w, c);
  case CXCursor_UnexposedDecl: /* `__label__ l;` has no children and no code */
    if (fe_children(c).n) fe_unseen_kind(w, c, parent);
    return CXChildVisit_Continue;
  case CXCursor_UnexposedAttr: return fe_attribute(w, c, parent);
  default: fe_unseen_kind(w, c, parent); return CXChildVisit_Recurse;
  }
}

static enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (fe_type_part(c, parent)) return CXChildVisit_Continue;
  enum CXCursorKind k = clang_getCursorKind(c);
  switch (sx_kind_role(k)) {
  case SX_WALK: return CXChildVisit_Recurse;
  case SX_SKIP: return CXChildVisit_Continue;
  case SX_HANDLE: return fe_handle(w, c, parent, k);
  default: fe_unseen_kind(w, c, parent); return CXChildVisit_Recurse;
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
    if (idx != FT_NONE && clang_isCursorDefinition(c)) fe_walk_definition(w, idx, c);
  } else if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl || k == CXCursor_EnumDecl ||
             k == CXCursor_TypedefDecl) {
    /* Types name no function and evaluate nothing (C has no member
     * initializers; enumerator values are constant expressions). */
  } else {
    w->cur = -1;
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
  if (buf) fe_scan_weak(w, buf, size);
  struct stat st;
  if (stat(p, &st) == 0) {
    in.size = st.st_size;
    in.inode = (int64_t)st.st_ino;
    in.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (in.mtime_ns >= w->parse_start_ns - 1000000000) in.mtime_ns = 0;
  }
  if (UT_PUSH(w->tu->inputs, in) < 0) w->tu->failed = 1;
}

/* Warnings GCC gives where clang (16 and later) stops with an error by
 * default: downgraded, so code that builds with GCC parses completely.
 * A real error (a syntax error, an undeclared identifier) still makes the
 * TU incomplete. */
static const char *const fe_gcc_warnings[] = {
    "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int", "-Wno-error=int-conversion",
    "-Wno-error=incompatible-function-pointer-types", "-Wno-error=incompatible-pointer-types",
    "-Wno-error=return-mismatch", "-Wno-error=return-type",
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

/* The arguments libclang gets: the entry's, minus flags that would write
 * files or turn warnings into errors and flags an earlier try rejected,
 * plus the syntax-only settings.  NULL when out of memory. */
static const char **fe_args(const cdb_entry *e, const ft_tu *tu, int *argc) {
  const char **argv = calloc((size_t)e->argc + 8 + FE_NGCC, sizeof *argv);
  if (!argv) return NULL;
  int n = 0, skip = 0;
  for (int i = 0; i < e->argc; i++) {
    if (i > 0 && (fe_drop_arg(e->argv, i, e->argc, &skip) || fe_is_dropped(tu, e->argv[i]))) {
      i += skip;
      continue;
    }
    argv[n++] = e->argv[i];
  }
  argv[n++] = "-fsyntax-only";
  argv[n++] = "-w"; /* warnings are not facts; measured 8% cheaper on sqlite3.c */
  for (size_t i = 0; i < FE_NGCC; i++) argv[n++] = fe_gcc_warnings[i];
  argv[n++] = "-working-directory";
  argv[n++] = e->directory;
  *argc = n;
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
  CXTranslationUnit cx = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  struct timespec now;
  enum CXErrorCode rc = CXError_Failure;
  /* GCC-only flags in a compile database make the clang driver stop before
   * parsing; they are dropped and the parse retried (as with clang-tidy on
   * a GCC build).  Each try can only drop more flags, so this ends. */
  for (int attempt = 0; attempt < 4; attempt++) {
    int argc;
    const char **argv = fe_args(e, tu, &argc);
    if (!argv) {
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
    if (cx) clang_disposeTranslationUnit(cx);
    return tu;
  }
  fe_diagnostics(&w, cx);
  clang_getInclusions(cx, fe_inclusion, &w);
  clang_visitChildren(clang_getTranslationUnitCursor(cx), fe_top, &w);
  while (w.work.n) {
    CXCursor def = w.work.v[--w.work.n];
    uint32_t idx = fe_func(&w, def, 1);
    if (idx != FT_NONE) fe_walk_definition(&w, idx, def);
  }
  ft_key_variants(tu);
  free(w.work.v);
  free(w.files.v);
  free(w.stores.v);
  free(w.decls.v);
  free(w.named.v);
  ut_map_free(&w.inputs_seen);
  ut_map_free(&w.weak_names);
  ut_map_free(&w.names);
  clang_disposeTranslationUnit(cx);
  return tu;
}
