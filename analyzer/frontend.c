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
 *   are dropped; the parse is syntax-only and computes no warnings (-w).
 */
#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontend.h"
#include "frontend_flow.h"
#include "model.h"

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
  CXString usr = clang_getCursorUSR(decl);
  const char *key = external ? "" : fe_cursor_loc(w, home).file;
  int is_new;
  uint32_t idx = ft_func_intern(tu, clang_getCString(usr), key, &is_new);
  clang_disposeString(usr);
  if (idx == FT_NONE) return idx;
  *cached = idx;
  ft_func *f = &tu->funcs.v[idx];
  if (is_new) {
    CXString name = clang_getCursorSpelling(decl);
    f->name = ft_str(tu, clang_getCString(name));
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

/* Looks through implicit casts, parentheses, explicit casts, & and *. */
static CXCursor fe_strip(CXCursor e) {
  for (int depth = 0; depth < 32 && !clang_Cursor_isNull(e); depth++) {
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CStyleCastExpr) e = fe_operand(e);
    else if (k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr || k == CXCursor_UnaryOperator) e = fe_child0(e);
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

/* Returns the index of the recorded call, or -1. */
static int32_t fe_call(fe_walk *w, CXCursor call) {
  CXCursor ref = clang_getCursorReferenced(call);
  if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl) {
    fe_indirect_call(w, call);
    return -1;
  }
  uint32_t callee = fe_func(w, ref, 0);
  /* The callee's name is the call's first token: a DeclRefExpr there is the
   * callee, not an address-taken use ((f)(x) and (*f)(x) are conservatively
   * counted as address-taken). */
  w->pending = clang_getCursorLocation(call);
  w->has_pending = 1;
  if (callee == FT_NONE || w->cur < 0) return -1;
  ft_call c = {(uint32_t)w->cur, callee, fe_cursor_loc(w, call)};
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
static void fe_call_args(fe_walk *w, CXCursor call, int32_t call_idx) {
  CXCursor fn = clang_getCursorReferenced(call);
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

/* ---- bodies --------------------------------------------------------------- */
static enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  switch (clang_getCursorKind(c)) {
  case CXCursor_CallExpr: {
    int32_t call = fe_call(w, c);
    if (call >= 0) fe_call_args(w, c, call);
    break;
  }
  case CXCursor_DeclRefExpr: fe_ref(w, c); break;
  case CXCursor_BinaryOperator: fe_assign(w, c); break;
  case CXCursor_UnaryOperator: fe_unary(w, c); break;
  case CXCursor_InitListExpr: fe_initlist(w, c); break;
  case CXCursor_CStyleCastExpr: fe_cast(w, c); break;
  case CXCursor_VarDecl: fe_var_init(w, c); break;
  case CXCursor_ReturnStmt: fe_return(w, c); break;
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

static enum CXChildVisitResult fe_top(CXCursor c, CXCursor parent, CXClientData d) {
  fe_walk *w = d;
  if (fe_in_system_header(c)) return CXChildVisit_Continue;
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
  for (int i = 1; i < e->argc; i++) {
    const char *a = e->argv[i];
    if (!strcmp(a, "-fPIC") || !strcmp(a, "-fpic") || !strcmp(a, "-shared")) tu->pic = 1;
    if (!strcmp(a, "-fPIE") || !strcmp(a, "-fpie") || !strcmp(a, "-fno-pic") || !strcmp(a, "-fno-PIC")) tu->pic = 0;
  }
#if CINDEX_VERSION_MINOR >= 64
  tu->field_facts = 1;
#endif
  for (int i = 0; i < e->argc; i++) {
    if (i > 0 && fe_drop_arg(e->argv, i, e->argc, &skip)) {
      i += skip;
      continue;
    }
    argv[argc++] = e->argv[i];
  }
  argv[argc++] = "-fsyntax-only";
  argv[argc++] = "-w"; /* warnings are not facts; measured 8% cheaper on sqlite3.c */
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
    uint32_t idx = fe_func(&w, def, 1);
    if (idx != FT_NONE) fe_walk_definition(&w, idx, def);
  }
  free(w.work.v);
  free(w.files.v);
  free(w.stores.v);
  free(w.decls.v);
  ut_map_free(&w.inputs_seen);
  clang_disposeTranslationUnit(cx);
  return tu;
}
