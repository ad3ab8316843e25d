/* SPDX-License-Identifier: MIT */
/*
 * frontend_flow.c - the CFG and flow events of a function body (prefix ff_).
 *
 * A recursive walk over the statement cursors builds basic blocks; every
 * expression is evaluated into a *value* (a set of locals and thread-local
 * objects, kept on a value stack) and events (flow.h).  Expressions are
 * evaluated either as lvalues (a tracked local, a thread-local object, the
 * target of a pointer, untracked memory, or a temporary value) or as
 * rvalues; libclang's implicit casts are transparent, and reading an lvalue
 * is decided by context (an array or a function designator yields its
 * address, anything else its value).
 *
 * Scope decisions (docs/stage3.md §3):
 * - Locals whose address is taken anywhere in the body, arrays, statics and
 *   globals are memory; a stored thread-local-derived value escapes.  A
 *   local is tracked until `&` of it is met; then every event of the body
 *   that named it is rewritten to the memory form (ff_untrack), which is
 *   cheaper than a second walk over every body to look for `&` first.
 * - A construct not handled here gives up (fl_give_up) with a reason; the
 *   function's migrate verdict is then `unknown`.  Multi-operand implicit
 *   expressions libclang does not expose (atomics, __builtin_choose_expr)
 *   are opaque: their operands escape, and assignments inside them are weak.
 * - The parts of a `for` header are told apart by lexing the header (also
 *   inside a macro definition), since libclang skips absent parts.
 * - Event locations are expansion locations, like every other fact.
 */
#include <stdlib.h>
#include <string.h>

#include "frontend_flow.h"
#include "syntax.h"

#if CINDEX_VERSION_MINOR >= 64
#define FF_HAVE_OPERATORS 1
#else
#define FF_HAVE_OPERATORS 0
#endif

#define FF_MEM       UINT32_MAX  /* a declaration that lives in memory */
#define FF_MAX_DEPTH 1500

#if FF_HAVE_OPERATORS
/* ---- a pointer-keyed map (open addressing) --------------------------------- */
typedef struct ff_pent {
  const void *key;
  uint32_t val;
} ff_pent;

typedef struct ff_pmap {
  ff_pent *v;
  size_t n, cap;
} ff_pmap;

static int ff_pmap_get(const ff_pmap *m, const void *key, uint32_t *val) {
  if (!m->cap) return 0;
  size_t j = ((uintptr_t)key >> 4) & (m->cap - 1);
  while (m->v[j].key) {
    if (m->v[j].key == key) {
      *val = m->v[j].val;
      return 1;
    }
    j = (j + 1) & (m->cap - 1);
  }
  return 0;
}

static int ff_pmap_put(ff_pmap *m, const void *key, uint32_t val) {
  if (2 * (m->n + 1) > m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64;
    ff_pent *nv = calloc(cap, sizeof *nv);
    if (!nv) return -1;
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->v[i].key) continue;
      size_t j = ((uintptr_t)m->v[i].key >> 4) & (cap - 1);
      while (nv[j].key) j = (j + 1) & (cap - 1);
      nv[j] = m->v[i];
    }
    free(m->v);
    m->v = nv;
    m->cap = cap;
  }
  size_t j = ((uintptr_t)key >> 4) & (m->cap - 1);
  while (m->v[j].key && m->v[j].key != key) j = (j + 1) & (m->cap - 1);
  if (!m->v[j].key) m->n++;
  m->v[j].key = key;
  m->v[j].val = val;
  return 0;
}

/* ---- context ---------------------------------------------------------------- */
typedef struct ff_jump {
  uint32_t brk, cont;       /* cont FL_NONE: a switch (continue goes further out) */
} ff_jump;

typedef struct ff_label {
  char *name;
  uint32_t blk;
  int defined;
  fl_loc loc;
} ff_label;

typedef struct ff_ctx {
  ft_tu *tu;
  fl_unit *u;
  fl_build b;
  CXTranslationUnit cx;
  uint32_t cur;             /* block events go to */
  int weak;                 /* > 0 inside an opaque construct: no strong updates */
  ff_pmap locals;           /* Decl -> local, or FF_MEM */
  struct {
    uint32_t *v;
    size_t n, cap;
  } taken; /* tracked locals whose address was taken */
  ff_pmap objs;             /* Decl of a thread-local -> object, | FF_SAFE when migration-safe */
  struct {
    const ft_call **v;
    size_t n, cap;
  } calls; /* what the body walk recorded for this body */
  struct {
    ff_jump *v;
    size_t n, cap;
  } jumps;
  struct {
    uint32_t *v;
    size_t n, cap;
  } switches;   /* dispatch blocks */
  struct {
    uint8_t *v;
    size_t n, cap;
  } has_default;
  struct {
    ff_label *v;
    size_t n, cap;
  } labels;
  struct {
    uint32_t *v;
    size_t n, cap;
  } vs;          /* the value stack */
  CXFile last_file;
  uint32_t last_file_str;
  int failed;
  /* OpenMP (ff_build_omp) */
  const ff_omp *omp;        /* NULL: no directives */
  uint8_t *omp_done;        /* per directive: placed */
  uint32_t func;            /* the TU function being built */
  int region;               /* building a task region: the enclosing function's locals are memory */
} ff_ctx;

#define FF_SAFE 0x80000000u

static void ff_oom(ff_ctx *c) { c->failed = 1; }

static void ff_push(ff_ctx *c, uint32_t op) {
  if (UT_PUSH(c->vs, op) < 0) ff_oom(c);
}

static void ff_pop(ff_ctx *c, uint32_t lo) {
  if (c->vs.n > lo) c->vs.n = lo;
}

/* Moves the values [from, n) down to lo (dropping [lo, from)). */
static void ff_keep(ff_ctx *c, uint32_t lo, uint32_t from) {
  if (from <= lo) return;
  memmove(c->vs.v + lo, c->vs.v + from, (c->vs.n - from) * sizeof *c->vs.v);
  c->vs.n -= from - lo;
}

/* ---- locations and names ----------------------------------------------------- */
static uint32_t ff_file(ff_ctx *c, CXFile f) {
  if (!f) return 0;
  if (c->last_file && clang_File_isEqual(c->last_file, f)) return c->last_file_str;
  CXString s = clang_File_tryGetRealPathName(f);
  const char *p = clang_getCString(s);
  if (!p || !*p) {
    clang_disposeString(s);
    s = clang_getFileName(f);
    p = clang_getCString(s);
  }
  uint32_t id = fl_str(c->u, p);
  clang_disposeString(s);
  c->last_file = f;
  c->last_file_str = id;
  return id;
}

static fl_loc ff_loc(ff_ctx *c, CXCursor k) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(clang_getCursorLocation(k), &f, &line, &col, NULL);
  fl_loc l = {ff_file(c, f), line, col};
  return l;
}

/* Where expression k starts (the `s` of `s->f`, the `*` of `*p`). */
static fl_loc ff_loc_start(ff_ctx *c, CXCursor k) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(k)), &f, &line, &col, NULL);
  fl_loc l = {ff_file(c, f), line, col};
  return l;
}

static void ff_give_up(ff_ctx *c, CXCursor at, const char *why) { fl_give_up(&c->b, why, ff_loc(c, at)); }

static void ff_give_up_kind(ff_ctx *c, CXCursor at, const char *what) {
  CXString k = clang_getCursorKindSpelling(clang_getCursorKind(at));
  char buf[160];
  snprintf(buf, sizeof buf, "%s '%s'", what, clang_getCString(k));
  clang_disposeString(k);
  ff_give_up(c, at, buf);
}

static int ff_stopped(const ff_ctx *c) { return c->failed || c->b.why != 0; }

static enum CXCursorKind ff_kind(CXCursor k) { return clang_getCursorKind(k); }

/* Closed world, shared with the body walk (syntax.c): a construct the walk
 * does not understand, or one the table marks beyond the flow, gives up
 * here before any case of the builder sees it.  0 when k gave up. */
static int ff_seen(ff_ctx *c, CXCursor k) {
  const char *why;
  enum CXCursorKind kind = ff_kind(k);
  if (!sx_flow_kind(kind, &why)) {
    char name[200];
    if (why) snprintf(name, sizeof name, "%s", why);
    else sx_name(k, name, sizeof name);
    ff_give_up(c, k, name);
    return 0;
  }
  if (kind == CXCursor_UnexposedExpr) { /* the walk's identification of unexposed expressions */
    char what[64], name[128];
    if (sx_unexposed_expr(k, what, sizeof what) == SX_E_UNKNOWN) {
      snprintf(name, sizeof name, "expression '%s' of a kind libclang does not expose", what);
      ff_give_up(c, k, name);
      return 0;
    }
  } else if (kind == CXCursor_UnexposedStmt && !sx_attributed_stmt(k)) {
    char name[200];
    sx_name(k, name, sizeof name);
    ff_give_up(c, k, name);
    return 0;
  }
  return 1;
}

/* ---- children ------------------------------------------------------------------ */
typedef struct ff_kids {
  CXCursor *v;
  size_t n, cap;
  CXCursor small[6];
  int failed;
} ff_kids;

static enum CXChildVisitResult ff_kid(CXCursor k, CXCursor parent, CXClientData d) {
  ff_kids *ks = d;
  if (ks->n == ks->cap) {
    size_t cap = ks->cap * 2;
    CXCursor *nv = ks->v == ks->small ? malloc(cap * sizeof *nv) : realloc(ks->v, cap * sizeof *nv);
    if (!nv) {
      ks->failed = 1;
      return CXChildVisit_Break;
    }
    if (ks->v == ks->small) memcpy(nv, ks->small, sizeof ks->small);
    ks->v = nv;
    ks->cap = cap;
  }
  ks->v[ks->n++] = k;
  return CXChildVisit_Continue;
}

static void ff_kids_get(ff_ctx *c, CXCursor k, ff_kids *ks) {
  ks->v = ks->small;
  ks->n = 0;
  ks->cap = sizeof ks->small / sizeof ks->small[0];
  ks->failed = 0;
  clang_visitChildren(k, ff_kid, ks);
  if (ks->failed) ff_oom(c);
}

static void ff_kids_free(ff_kids *ks) {
  if (ks->v != ks->small) free(ks->v);
}

static int ff_is_array(CXType t) {
  t = clang_getCanonicalType(t);
  return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray || t.kind == CXType_VariableArray ||
         t.kind == CXType_DependentSizedArray;
}

static int ff_is_pointer(CXType t) {
  t = clang_getCanonicalType(t);
  return t.kind == CXType_Pointer || t.kind == CXType_BlockPointer;
}

/* ---- declarations ---------------------------------------------------------------- */
/* The object of a thread-local variable: keyed like a function (USR, plus
 * the defining file for internal linkage). */
static uint32_t ff_object(ff_ctx *c, CXCursor var) {
  uint32_t v;
  if (ff_pmap_get(&c->objs, var.data[0], &v)) return v;
  enum CXLinkageKind lk = clang_getCursorLinkage(var);
  int external = lk == CXLinkage_External || lk == CXLinkage_UniqueExternal;
  CXString usr = clang_getCursorUSR(var), name = clang_getCursorSpelling(var);
  ut_buf key = {0};
  ut_buf_puts(&key, "v:");
  const char *path = "";
  if (!external) {
    CXCursor def = clang_getCursorDefinition(var);
    CXCursor home = clang_Cursor_isNull(def) ? clang_getCanonicalCursor(var) : def;
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(home), &f, NULL, NULL, NULL);
    path = c->u->strs.v[ff_file(c, f)];
  }
  ut_buf_pair(&key, clang_getCString(usr), path);
  v = key.failed ? 0 : fl_object_intern(c->u, key.s, clang_getCString(name));
  if (key.failed) ff_oom(c);
  ut_buf_free(&key);
  clang_disposeString(usr);
  clang_disposeString(name);
  /* FNPROP_MIGRATION_SAFE: any thread's instance will do for its content */
  if (clang_Cursor_hasAttrs(var)) {
    ff_kids ks;
    ff_kids_get(c, var, &ks);
    for (size_t i = 0; i < ks.n; i++) {
      if (ff_kind(ks.v[i]) != CXCursor_AnnotateAttr) continue;
      CXString s = clang_getCursorSpelling(ks.v[i]);
      const char *t = clang_getCString(s);
      if (t && ft_annotation_bit(t, NULL) == FT_ANN_MIGRATION_SAFE) v |= FF_SAFE;
      clang_disposeString(s);
    }
    ff_kids_free(&ks);
  }
  if (ff_pmap_put(&c->objs, var.data[0], v) < 0) ff_oom(c);
  return v;
}

/* What a declaration reference designates. */
enum { FF_LV_LOCAL, FF_LV_OBJECT, FF_LV_SAFE, FF_LV_DEREF, FF_LV_MEMORY, FF_LV_VALUE, FF_LV_NONE };

typedef struct ff_lv {
  uint8_t kind;
  uint8_t whole;            /* the whole local or object (a strong update) */
  uint8_t array;            /* array type: reading it yields its address */
  uint32_t idx;             /* local or object */
  uint32_t lo;              /* DEREF: the pointer value, VALUE: the value, on the stack from here */
} ff_lv;

static ff_lv ff_declref(ff_ctx *c, CXCursor ref) {
  ff_lv lv = {FF_LV_MEMORY, 1, 0, 0, (uint32_t)c->vs.n};
  CXCursor d = clang_getCursorReferenced(ref);
  enum CXCursorKind k = ff_kind(d);
  lv.array = (uint8_t)ff_is_array(clang_getCursorType(ref));
  if (k == CXCursor_VarDecl &&
      (clang_getCursorTLSKind(d) != CXTLS_None || (c->omp && c->omp->is_tls && c->omp->is_tls(c->omp->arg, d)))) {
    uint32_t o = ff_object(c, d);
    lv.kind = o & FF_SAFE ? FF_LV_SAFE : FF_LV_OBJECT;
    lv.idx = o & ~FF_SAFE;
    return lv;
  }
  if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl) {
    uint32_t v;
    if (ff_pmap_get(&c->locals, d.data[0], &v)) {
      if (v != FF_MEM) lv.kind = FF_LV_LOCAL, lv.idx = v;
      return lv;
    }
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(d);
    int global = ff_kind(clang_getCursorSemanticParent(d)) == CXCursor_TranslationUnit;
    if (k == CXCursor_VarDecl && (global || sc == CX_SC_Static || sc == CX_SC_Extern)) return lv;
    if (c->region) return lv; /* the enclosing function's: shared, or a copy made when the task was created */
    ff_give_up(c, ref, "a variable of another function (nested function or statement expression)");
    lv.kind = FF_LV_NONE;
    return lv;
  }
  if (k == CXCursor_FunctionDecl || k == CXCursor_EnumConstantDecl) {
    lv.kind = FF_LV_VALUE;
    return lv;
  }
  ff_give_up_kind(c, ref, "reference to");
  lv.kind = FF_LV_NONE;
  return lv;
}

/* ---- emitting ------------------------------------------------------------------------ */
static fl_vspec ff_val(const ff_ctx *c, uint32_t lo, uint32_t hi) {
  fl_vspec v = {c->vs.v ? c->vs.v + lo : NULL, hi - lo, 0}; /* NULL + 0 is undefined */
  return v;
}

static void ff_emit1(ff_ctx *c, fl_op op, uint8_t flags, int32_t dst, uint32_t aux, uint32_t lo, fl_loc loc) {
  fl_vspec v = ff_val(c, lo, (uint32_t)c->vs.n);
  fl_emit(&c->b, c->cur, op, flags, dst, aux, &v, 1, loc);
}

static void ff_emit0(ff_ctx *c, fl_op op, uint8_t flags, uint32_t aux, fl_loc loc) {
  fl_emit(&c->b, c->cur, op, flags, -1, aux, NULL, 0, loc);
}

static uint32_t ff_block(ff_ctx *c) { return fl_new_block(&c->b); }
static void ff_edge(ff_ctx *c, uint32_t from, uint32_t to) { fl_edge(&c->b, from, to); }

/* Jumps away: code after it until the next label is unreachable. */
static void ff_jump_to(ff_ctx *c, uint32_t to) {
  ff_edge(c, c->cur, to);
  c->cur = ff_block(c);
}

static uint32_t ff_temp(ff_ctx *c, const char *name) { return fl_local(&c->b, name); }

/* ---- lvalues and rvalues ----------------------------------------------------------------- */
static void ff_rvalue(ff_ctx *c, CXCursor e, int depth);
static ff_lv ff_lvalue(ff_ctx *c, CXCursor e, int depth);
static void ff_stmt(ff_ctx *c, CXCursor s, int depth);

/* Pushes the value of lv (consuming its part of the stack). */
static void ff_load(ff_ctx *c, ff_lv lv, fl_loc loc) {
  switch (lv.kind) {
  case FF_LV_LOCAL: ff_push(c, lv.idx); break;
  case FF_LV_OBJECT:
    if (!lv.array) ff_emit0(c, FL_READ, 0, lv.idx, loc);
    ff_push(c, FL_OBJ | (lv.array ? FL_ADDR : 0) | lv.idx);
    break;
  case FF_LV_SAFE:
    if (lv.array) ff_push(c, FL_OBJ | FL_ADDR | lv.idx);
    break;
  case FF_LV_DEREF:
    if (lv.array || c->vs.n == lv.lo) break; /* an address, or a load from untracked memory */
    {
      uint32_t t = ff_temp(c, "");
      fl_vspec v = ff_val(c, lv.lo, (uint32_t)c->vs.n);
      fl_emit(&c->b, c->cur, FL_LOAD, 0, (int32_t)t, 0, &v, 1, loc);
      ff_pop(c, lv.lo);
      ff_push(c, t);
    }
    break;
  default: break; /* MEMORY: untainted; VALUE: already on the stack */
  }
}

/* Stores the value [vlo, n) into lv. */
static void ff_store(ff_ctx *c, ff_lv lv, uint32_t vlo, fl_loc loc, int keep_content) {
  uint32_t n = (uint32_t)c->vs.n;
  int strong = lv.whole && !c->weak;
  switch (lv.kind) {
  case FF_LV_LOCAL: ff_emit1(c, strong ? FL_ASSIGN : FL_MERGE, 0, (int32_t)lv.idx, 0, vlo, loc); break;
  case FF_LV_OBJECT: {
    fl_vspec v = ff_val(c, vlo, n);
    fl_emit(&c->b, c->cur, FL_WRITE, strong ? FL_STRONG : 0, -1, lv.idx, &v, n > vlo, loc);
    break;
  }
  case FF_LV_DEREF:
    if (vlo > lv.lo) {
      fl_vspec v[2] = {ff_val(c, lv.lo, vlo), ff_val(c, vlo, n)};
      if (keep_content) v[1].n = 0; /* x op= y: the old content stays where it is */
      fl_emit(&c->b, c->cur, FL_STORE, strong ? FL_STRONG : 0, -1, 0, v, 2, loc);
      if (keep_content && n > vlo) ff_emit1(c, FL_ESCAPE, 0, -1, 0, vlo, loc);
      break;
    }
    if (n > vlo) ff_emit1(c, FL_ESCAPE, 0, -1, 0, vlo, loc); /* a pointer into untracked memory */
    break;
  case FF_LV_SAFE:
  case FF_LV_MEMORY:
    if (n > vlo) ff_emit1(c, FL_ESCAPE, 0, -1, 0, vlo, loc);
    break;
  default: break;
  }
}

/* Pushes the address of lv (consuming). */
static void ff_address(ff_ctx *c, ff_lv lv, CXCursor at) {
  switch (lv.kind) {
  case FF_LV_OBJECT:
  case FF_LV_SAFE: ff_push(c, FL_OBJ | FL_ADDR | lv.idx); break;
  case FF_LV_LOCAL: /* from now on (and, rewritten, before) the local is memory */
    if (UT_PUSH(c->taken, lv.idx) < 0) ff_oom(c);
    break;
  default: break; /* DEREF: the pointer itself; MEMORY: untracked; VALUE: a function */
  }
}

/* Looks through parentheses and single-child implicit casts. */
static CXCursor ff_inner(ff_ctx *c, CXCursor e) {
  for (int i = 0; i < 64; i++) {
    enum CXCursorKind k = ff_kind(e);
    if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr) return e;
    ff_kids ks;
    ff_kids_get(c, e, &ks);
    CXCursor n = ks.n == 1 && clang_isExpression(ff_kind(ks.v[0])) ? ks.v[0] : clang_getNullCursor();
    ff_kids_free(&ks);
    if (clang_Cursor_isNull(n)) return e;
    e = n;
  }
  return e;
}

static ff_lv ff_lvalue(ff_ctx *c, CXCursor e, int depth) {
  ff_lv lv = {FF_LV_VALUE, 0, 0, 0, (uint32_t)c->vs.n};
  if (depth > FF_MAX_DEPTH) {
    ff_give_up(c, e, "expression nested too deeply");
    lv.kind = FF_LV_NONE;
    return lv;
  }
  enum CXCursorKind k = ff_kind(e);
  ff_kids ks;
  switch (k) {
  case CXCursor_ParenExpr:
  case CXCursor_UnexposedExpr:
    ff_kids_get(c, e, &ks);
    if (ks.n == 1 && clang_isExpression(ff_kind(ks.v[0]))) {
      lv = ff_lvalue(c, ks.v[0], depth + 1);
      ff_kids_free(&ks);
      return lv;
    }
    ff_kids_free(&ks);
    break;
  case CXCursor_DeclRefExpr: return ff_declref(c, e);
  case CXCursor_MemberRefExpr: {
    ff_kids_get(c, e, &ks);
    if (ks.n != 1) {
      ff_kids_free(&ks);
      ff_give_up(c, e, "member access without a base");
      lv.kind = FF_LV_NONE;
      return lv;
    }
    CXCursor base = ks.v[0];
    ff_kids_free(&ks);
    int array = ff_is_array(clang_getCursorType(e));
    if (ff_is_pointer(clang_getCursorType(base))) {
      ff_rvalue(c, base, depth + 1);
      lv.kind = FF_LV_DEREF;
    } else {
      lv = ff_lvalue(c, base, depth + 1);
    }
    lv.whole = 0;
    lv.array = (uint8_t)array;
    return lv;
  }
  case CXCursor_ArraySubscriptExpr: {
    ff_kids_get(c, e, &ks);
    if (ks.n != 2) {
      ff_kids_free(&ks);
      ff_give_up(c, e, "array subscript without two operands");
      lv.kind = FF_LV_NONE;
      return lv;
    }
    CXCursor base = ks.v[0], index = ks.v[1];
    ff_kids_free(&ks);
    if (!ff_is_pointer(clang_getCursorType(base)) && !ff_is_array(clang_getCursorType(base))) {
      CXCursor t = base; /* i[a] */
      base = index, index = t;
    }
    int array = ff_is_array(clang_getCursorType(e));
    CXCursor in = ff_inner(c, base);
    if (ff_is_array(clang_getCursorType(in))) { /* an array object: element of it */
      lv = ff_lvalue(c, in, depth + 1);
      uint32_t ilo = (uint32_t)c->vs.n;
      ff_rvalue(c, index, depth + 1);
      if (c->vs.n > ilo) ff_emit1(c, FL_USE, 0, -1, 0, ilo, ff_loc(c, index));
      ff_pop(c, ilo);
      lv.whole = 0;
      lv.array = (uint8_t)array;
      return lv;
    }
    ff_rvalue(c, base, depth + 1);
    ff_rvalue(c, index, depth + 1);
    lv.kind = FF_LV_DEREF;
    lv.array = (uint8_t)array;
    return lv;
  }
  case CXCursor_UnaryOperator:
#if FF_HAVE_OPERATORS
    if (clang_getCursorUnaryOperatorKind(e) == CXUnaryOperator_Deref) {
      ff_kids_get(c, e, &ks);
      CXCursor op = ks.n == 1 ? ks.v[0] : clang_getNullCursor();
      ff_kids_free(&ks);
      if (!clang_Cursor_isNull(op)) ff_rvalue(c, op, depth + 1);
      lv.kind = FF_LV_DEREF;
      lv.whole = 1; /* *p: all of the target */
      lv.array = (uint8_t)ff_is_array(clang_getCursorType(e));
      return lv;
    }
#endif
    break;
  case CXCursor_CompoundLiteralExpr: {
    /* an unnamed object in memory: what is stored into it escapes */
    ff_kids_get(c, e, &ks);
    uint32_t lo = (uint32_t)c->vs.n;
    for (size_t i = 0; i < ks.n; i++)
      if (clang_isExpression(ff_kind(ks.v[i]))) ff_rvalue(c, ks.v[i], depth + 1);
    ff_kids_free(&ks);
    if (c->vs.n > lo) ff_emit1(c, FL_ESCAPE, 0, -1, 0, lo, ff_loc(c, e));
    ff_pop(c, lo);
    lv.kind = FF_LV_MEMORY;
    lv.array = (uint8_t)ff_is_array(clang_getCursorType(e));
    return lv;
  }
  case CXCursor_StringLiteral:
    lv.kind = FF_LV_MEMORY;
    lv.array = 1;
    return lv;
  default: break;
  }
  ff_rvalue(c, e, depth + 1); /* a value (a call returning a struct, ...) */
  lv.kind = FF_LV_VALUE;
  return lv;
}

/* Evaluates e into a fresh temporary in the current block, returns it. */
static uint32_t ff_into_temp(ff_ctx *c, CXCursor e, uint32_t t, int merge, int depth) {
  uint32_t lo = (uint32_t)c->vs.n;
  ff_rvalue(c, e, depth + 1);
  ff_emit1(c, merge ? FL_MERGE : FL_ASSIGN, 0, (int32_t)t, 0, lo, ff_loc(c, e));
  ff_pop(c, lo);
  return t;
}

/* `a && b`, `a || b`: b is evaluated on one branch only. */
static void ff_logical(ff_ctx *c, CXCursor lhs, CXCursor rhs, int depth) {
  uint32_t t = ff_temp(c, "");
  ff_into_temp(c, lhs, t, 0, depth);
  uint32_t rb = ff_block(c), join = ff_block(c);
  ff_edge(c, c->cur, rb);
  ff_edge(c, c->cur, join);
  c->cur = rb;
  ff_into_temp(c, rhs, t, 1, depth);
  ff_edge(c, c->cur, join);
  c->cur = join;
  ff_push(c, t);
}

/* Evaluates e and consumes its value as a use (a condition, a discarded
 * expression). */
static void ff_use(ff_ctx *c, CXCursor e, int depth) {
  uint32_t lo = (uint32_t)c->vs.n;
  ff_rvalue(c, e, depth + 1);
  if (c->vs.n > lo) ff_emit1(c, FL_USE, 0, -1, 0, lo, ff_loc(c, e));
  ff_pop(c, lo);
}

/* `c ? a : b`, and GNU `a ?: b` (cond NULL: a is the condition and the value). */
static void ff_conditional(ff_ctx *c, CXCursor e, const CXCursor *arms, size_t narms, int gnu, int depth) {
  uint32_t t = ff_temp(c, "");
  if (gnu) ff_into_temp(c, arms[0], t, 0, depth);
  else ff_use(c, arms[0], depth);
  uint32_t head = c->cur, join = ff_block(c);
  if (gnu) ff_edge(c, head, join);
  for (size_t i = 1; i < narms; i++) {
    c->cur = ff_block(c);
    ff_edge(c, head, c->cur);
    ff_into_temp(c, arms[i], t, 0, depth);
    ff_edge(c, c->cur, join);
  }
  c->cur = join;
  if (clang_getCursorType(e).kind != CXType_Void) ff_push(c, t);
}

static const char *const ff_twice[] = {"setjmp",    "_setjmp",          "__sigsetjmp",
                                       "sigsetjmp", "__builtin_setjmp", "savectx",
                                       "vfork",     "getcontext",       "__builtin_setjmp_receiver"};

/* The TU function index of the direct call e to `fn`: the call the body
 * walk of frontend.c recorded at the same site (it runs first, and it is
 * the authority on which calls exist: none at unevaluated or constant-dead
 * code).  FL_NONE when it recorded none. */
static int ff_call_cmp(const void *x, const void *y) {
  const ft_call *a = *(const ft_call *const *)x, *b = *(const ft_call *const *)y;
  if (a->site.line != b->site.line) return a->site.line < b->site.line ? -1 : 1;
  return (a->site.col > b->site.col) - (a->site.col < b->site.col);
}

static uint32_t ff_callee(ff_ctx *c, CXCursor e, CXCursor fn) {
  fl_loc at = ff_loc(c, e);
  const char *file = c->u->strs.v[at.file];
  size_t lo = 0, hi = c->calls.n; /* calls sorted by line, column */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const ft_call *k = c->calls.v[mid];
    if (k->site.line < at.line || (k->site.line == at.line && k->site.col < at.col)) lo = mid + 1;
    else hi = mid;
  }
  uint32_t found = FL_NONE;
  int ambiguous = 0;
  for (size_t i = lo; i < c->calls.n && c->calls.v[i]->site.line == at.line && c->calls.v[i]->site.col == at.col; i++) {
    const ft_call *k = c->calls.v[i];
    if (strcmp(k->site.file, file) != 0) continue;
    if (found != FL_NONE && found != k->callee) ambiguous = 1;
    if (found == FL_NONE) found = k->callee;
  }
  if (!ambiguous) return found;
  /* several calls at one expansion site (a macro): the one with this name */
  CXString s = clang_getCursorSpelling(fn);
  const char *name = clang_getCString(s);
  found = FL_NONE;
  for (size_t i = lo; name && i < c->calls.n && found == FL_NONE; i++) {
    const ft_call *k = c->calls.v[i];
    if (k->site.line != at.line || k->site.col != at.col) break;
    if (!strcmp(k->site.file, file) && !strcmp(c->tu->funcs.v[k->callee].name, name)) found = k->callee;
  }
  clang_disposeString(s);
  if (found == FL_NONE) ff_give_up(c, e, "calls at one site that cannot be told apart");
  return found;
}

static void ff_call(ff_ctx *c, CXCursor e, int depth) {
  CXCursor fn = clang_getCursorReferenced(e);
  int direct = !clang_Cursor_isNull(fn) && ff_kind(fn) == CXCursor_FunctionDecl, recorded = 1;
  uint32_t callee = FL_NONE;
  char tname[96] = "";
  if (direct) {
    CXString s = clang_getCursorSpelling(fn);
    const char *name = clang_getCString(s);
    for (size_t i = 0; name && i < sizeof ff_twice / sizeof ff_twice[0]; i++)
      if (!strcmp(name, ff_twice[i])) {
        char why[128];
        snprintf(why, sizeof why, "a call to '%s', which returns twice", name);
        ff_give_up(c, e, why);
      }
    snprintf(tname, sizeof tname, "%s()", name ? name : "");
    clang_disposeString(s);
    callee = ff_callee(c, e, fn);
    if (callee == FL_NONE) recorded = 0; /* not a call for fnprop: its arguments are only read */
  } else {
    ff_kids ks;
    ff_kids_get(c, e, &ks);
    if (ks.n) ff_use(c, ks.v[0], depth); /* the function pointer is read */
    ff_kids_free(&ks);
  }
  int nargs = clang_Cursor_getNumArguments(e);
  if (nargs < 0) nargs = 0;
  uint32_t lo = (uint32_t)c->vs.n;
  uint32_t *start = calloc((size_t)nargs + 1, sizeof *start);
  uint8_t *flags = calloc((size_t)nargs + 1, 1);
  fl_vspec *vals = calloc((size_t)nargs + 1, sizeof *vals);
  if (!start || !flags || !vals) {
    ff_oom(c);
    free(start), free(flags), free(vals);
    return;
  }
  /* the parameter's type when the callee has a prototype (an argument
   * converted to `const void *` reads its target only) */
  CXType fty = clang_getCanonicalType(direct ? clang_getCursorType(fn) : clang_getCursorType(clang_getNullCursor()));
  int nproto = fty.kind == CXType_FunctionProto ? clang_getNumArgTypes(fty) : 0;
  for (int i = 0; i < nargs; i++) {
    CXCursor a = clang_Cursor_getArgument(e, (unsigned)i);
    start[i] = (uint32_t)c->vs.n;
    ff_rvalue(c, a, depth + 1);
    CXType t = clang_getCanonicalType(i < nproto ? clang_getArgType(fty, (unsigned)i) : clang_getCursorType(a));
    if (ff_is_pointer(t)) {
      flags[i] = FL_ARG_PTR;
      if (clang_isConstQualifiedType(clang_getPointeeType(t))) flags[i] |= FL_ARG_CONST;
    }
  }
  for (int i = 0; i < nargs; i++) {
    uint32_t end = i + 1 < nargs ? start[i + 1] : (uint32_t)c->vs.n;
    vals[i] = ff_val(c, start[i], end);
    vals[i].flags = flags[i];
  }
  if (!recorded) {
    if (c->vs.n > lo) ff_emit1(c, FL_USE, 0, -1, 0, lo, ff_loc(c, e));
    free(start), free(flags), free(vals);
    ff_pop(c, lo);
    return;
  }
  int32_t dst = clang_getCursorType(e).kind == CXType_Void ? -1 : (int32_t)ff_temp(c, tname);
  fl_emit(&c->b, c->cur, FL_CALL, 0, dst, callee, vals, (uint32_t)nargs, ff_loc(c, e));
  free(start), free(flags), free(vals);
  ff_pop(c, lo);
  if (dst >= 0) ff_push(c, (uint32_t)dst);
}

/* An UnexposedExpr with several operands. */
static void ff_unexposed(ff_ctx *c, CXCursor e, const ff_kids *ks, int depth) {
  /* GNU `a ?: b`: [a, opaque a, opaque a, b] */
  if (ks->n == 4 && ff_kind(ks->v[1]) == CXCursor_UnexposedExpr && ff_kind(ks->v[2]) == CXCursor_UnexposedExpr &&
      clang_equalLocations(clang_getCursorLocation(ks->v[1]), clang_getCursorLocation(ks->v[0])) &&
      clang_equalLocations(clang_getCursorLocation(ks->v[2]), clang_getCursorLocation(ks->v[0]))) {
    CXCursor arms[2] = {ks->v[0], ks->v[3]};
    ff_conditional(c, e, arms, 2, 1, depth);
    return;
  }
  /* a designator in an initializer: `.f = v`, `[i] = v` */
  if (ks->n == 2 && (ff_kind(ks->v[0]) == CXCursor_MemberRef || clang_getCursorType(e).kind == CXType_Void) &&
      clang_isExpression(ff_kind(ks->v[1]))) {
    ff_rvalue(c, ks->v[1], depth + 1);
    return;
  }
  /* anything else (atomics, __builtin_choose_expr, offsetof, ...) is opaque */
  uint32_t lo = (uint32_t)c->vs.n;
  c->weak++;
  for (size_t i = 0; i < ks->n; i++)
    if (clang_isExpression(ff_kind(ks->v[i]))) ff_rvalue(c, ks->v[i], depth + 1);
  c->weak--;
  if (c->vs.n > lo) ff_emit1(c, FL_OPAQUE, 0, -1, 0, lo, ff_loc(c, e));
}

static enum CXChildVisitResult ff_find_call(CXCursor k, CXCursor parent, CXClientData d) {
  if (ff_kind(k) == CXCursor_CallExpr || ff_kind(k) == CXCursor_StmtExpr) {
    *(int *)d = 1;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Recurse;
}

#if FF_HAVE_OPERATORS
static void ff_unary(ff_ctx *c, CXCursor e, CXCursor op, int depth) {
  enum CXUnaryOperatorKind k = clang_getCursorUnaryOperatorKind(e);
  fl_loc loc = ff_loc(c, e);
  switch (k) {
  case CXUnaryOperator_PostInc:
  case CXUnaryOperator_PostDec:
  case CXUnaryOperator_PreInc:
  case CXUnaryOperator_PreDec: {
    ff_lv lv = ff_lvalue(c, op, depth + 1);
    if (lv.kind == FF_LV_LOCAL) {
      uint32_t lo = (uint32_t)c->vs.n;
      ff_push(c, lv.idx);
      ff_emit1(c, FL_USE, 0, -1, 0, lo, loc); /* the new value derives from the old */
    } else if (lv.kind == FF_LV_OBJECT) {
      ff_emit0(c, FL_READ, 0, lv.idx, loc);
      if (lv.whole && !c->weak) ff_emit0(c, FL_WRITE, FL_STRONG, lv.idx, loc);
      else ff_emit0(c, FL_WRITE, 0, lv.idx, loc);
      ff_push(c, FL_OBJ | lv.idx);
    } else if (lv.kind == FF_LV_DEREF && c->vs.n > lv.lo) {
      uint32_t ptr_end = (uint32_t)c->vs.n, t = ff_temp(c, "");
      fl_vspec v = ff_val(c, lv.lo, ptr_end);
      fl_emit(&c->b, c->cur, FL_LOAD, 0, (int32_t)t, 0, &v, 1, loc);
      ff_store(c, lv, ptr_end, loc, 1);
      ff_pop(c, lv.lo);
      ff_push(c, t);
    } else {
      ff_pop(c, lv.lo);
    }
    return;
  }
  case CXUnaryOperator_AddrOf: ff_address(c, ff_lvalue(c, op, depth + 1), e); return;
  case CXUnaryOperator_Deref: {
    ff_lv lv = {FF_LV_DEREF, 0, (uint8_t)ff_is_array(clang_getCursorType(e)), 0, (uint32_t)c->vs.n};
    ff_rvalue(c, op, depth + 1);
    ff_load(c, lv, loc);
    return;
  }
  case CXUnaryOperator_Plus:
  case CXUnaryOperator_Minus:
  case CXUnaryOperator_Not:
  case CXUnaryOperator_LNot:
  case CXUnaryOperator_Real:
  case CXUnaryOperator_Imag:
  case CXUnaryOperator_Extension: ff_rvalue(c, op, depth + 1); return;
  default: ff_give_up_kind(c, e, "unsupported operator in"); return;
  }
}

static void ff_binary(ff_ctx *c, CXCursor e, CXCursor lhs, CXCursor rhs, int depth) {
  enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(e);
  fl_loc loc = ff_loc(c, rhs), at = ff_loc_start(c, lhs); /* a value comes from the right, a store goes left */
  if (k == CXBinaryOperator_LAnd || k == CXBinaryOperator_LOr) {
    ff_logical(c, lhs, rhs, depth);
    return;
  }
  if (k == CXBinaryOperator_Comma) {
    ff_use(c, lhs, depth);
    ff_rvalue(c, rhs, depth + 1);
    return;
  }
  if (k == CXBinaryOperator_PtrMemD || k == CXBinaryOperator_PtrMemI || k == CXBinaryOperator_Cmp ||
      k == CXBinaryOperator_Invalid) {
    ff_give_up_kind(c, e, "unsupported operator in");
    return;
  }
  int assign = k == CXBinaryOperator_Assign;
  int compound = k >= CXBinaryOperator_MulAssign && k <= CXBinaryOperator_OrAssign;
  if (!assign && !compound) { /* arithmetic, comparison, bitwise: both operands */
    ff_rvalue(c, lhs, depth + 1);
    ff_rvalue(c, rhs, depth + 1);
    return;
  }
  ff_lv lv = ff_lvalue(c, lhs, depth + 1);
  if (lv.kind == FF_LV_NONE) return;
  if (lv.kind == FF_LV_VALUE) {
    ff_give_up(c, e, "assignment to a value");
    return;
  }
  uint32_t old = FL_NONE;
  if (compound) { /* x op= y reads x */
    if (lv.kind == FF_LV_LOCAL) {
      uint32_t lo = (uint32_t)c->vs.n;
      ff_push(c, lv.idx);
      ff_emit1(c, FL_USE, 0, -1, 0, lo, loc);
      ff_pop(c, lo);
    } else if (lv.kind == FF_LV_OBJECT) {
      ff_emit0(c, FL_READ, 0, lv.idx, loc);
    } else if (lv.kind == FF_LV_DEREF && c->vs.n > lv.lo) {
      old = ff_temp(c, "");
      fl_vspec v = ff_val(c, lv.lo, (uint32_t)c->vs.n);
      fl_emit(&c->b, c->cur, FL_LOAD, 0, (int32_t)old, 0, &v, 1, loc);
    }
  }
  uint32_t vlo = (uint32_t)c->vs.n;
  ff_rvalue(c, rhs, depth + 1);
  if (compound && lv.kind == FF_LV_LOCAL) {
    ff_emit1(c, FL_MERGE, 0, (int32_t)lv.idx, 0, vlo, loc);
  } else {
    ff_store(c, lv, vlo, lv.kind == FF_LV_LOCAL ? loc : at, compound);
  }
  /* the expression's value: the stored value (and the old one for op=) */
  ff_keep(c, lv.lo, vlo);
  if (compound) {
    if (lv.kind == FF_LV_LOCAL) ff_push(c, lv.idx);
    else if (lv.kind == FF_LV_OBJECT) ff_push(c, FL_OBJ | lv.idx);
    else if (old != FL_NONE) ff_push(c, old);
  }
}
#endif

static void ff_rvalue(ff_ctx *c, CXCursor e, int depth) {
  if (ff_stopped(c)) return;
  if (depth > FF_MAX_DEPTH) {
    ff_give_up(c, e, "expression nested too deeply");
    return;
  }
  enum CXCursorKind k = ff_kind(e);
  ff_kids ks;
  if (!ff_seen(c, e)) return;
  switch (k) {
  case CXCursor_GNUNullExpr: /* a null pointer constant */
  case CXCursor_IntegerLiteral:
  case CXCursor_FloatingLiteral:
  case CXCursor_ImaginaryLiteral:
  case CXCursor_CharacterLiteral:
  case CXCursor_StringLiteral:
#if CINDEX_VERSION_MINOR >= 63
  case CXCursor_FixedPointLiteral:
#endif
    return;
  case CXCursor_DeclRefExpr:
  case CXCursor_MemberRefExpr:
  case CXCursor_ArraySubscriptExpr: {
    ff_lv lv = ff_lvalue(c, e, depth + 1);
    if (lv.kind != FF_LV_NONE) ff_load(c, lv, ff_loc(c, e));
    return;
  }
  case CXCursor_CompoundLiteralExpr:
    if (ff_is_array(clang_getCursorType(e))) {
      ff_lvalue(c, e, depth + 1); /* the elements escape; the value is an address in memory */
      return;
    }
    ff_kids_get(c, e, &ks);
    for (size_t i = 0; i < ks.n; i++)
      if (clang_isExpression(ff_kind(ks.v[i]))) ff_rvalue(c, ks.v[i], depth + 1);
    ff_kids_free(&ks);
    return;
  case CXCursor_ParenExpr:
  case CXCursor_UnexposedExpr:
  case CXCursor_CStyleCastExpr:
  case CXCursor_InitListExpr:
    ff_kids_get(c, e, &ks);
    if (k == CXCursor_CStyleCastExpr) { /* the operand is the last child (a TypeRef may come first) */
      if (ks.n) ff_rvalue(c, ks.v[ks.n - 1], depth + 1);
    } else if (k == CXCursor_InitListExpr) {
      for (size_t i = 0; i < ks.n; i++)
        if (clang_isExpression(ff_kind(ks.v[i]))) ff_rvalue(c, ks.v[i], depth + 1);
    } else if (ks.n == 1 && clang_isExpression(ff_kind(ks.v[0]))) {
      ff_rvalue(c, ks.v[0], depth + 1);
    } else if (ks.n > 1) {
      if (k == CXCursor_ParenExpr) ff_give_up(c, e, "parentheses around several expressions");
      else ff_unexposed(c, e, &ks, depth);
    }
    ff_kids_free(&ks);
    return;
  case CXCursor_CallExpr: ff_call(c, e, depth); return;
  case CXCursor_ConditionalOperator:
    ff_kids_get(c, e, &ks);
    if (ks.n == 3) ff_conditional(c, e, ks.v, 3, 0, depth);
    else ff_give_up(c, e, "conditional operator without three operands");
    ff_kids_free(&ks);
    return;
  case CXCursor_GenericSelectionExpr: {
    /* the controlling expression is not evaluated; one association is */
    ff_kids_get(c, e, &ks);
    CXCursor arms[64];
    size_t n = 0;
    arms[n++] = clang_getNullCursor();
    for (size_t i = 1; i < ks.n && n < 64; i++)
      if (clang_isExpression(ff_kind(ks.v[i]))) arms[n++] = ks.v[i];
    if (n == 64) {
      ff_give_up(c, e, "_Generic with too many associations");
    } else if (n > 1) {
      uint32_t t = ff_temp(c, ""), head = c->cur, join = ff_block(c);
      for (size_t i = 1; i < n; i++) {
        c->cur = ff_block(c);
        ff_edge(c, head, c->cur);
        ff_into_temp(c, arms[i], t, 0, depth);
        ff_edge(c, c->cur, join);
      }
      c->cur = join;
      ff_push(c, t);
    }
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_UnaryExpr: { /* sizeof, _Alignof: not evaluated, unless a call hides in a VLA type */
    int call = 0;
    clang_visitChildren(e, ff_find_call, &call);
    if (call) ff_give_up(c, e, "sizeof of an expression with a call");
    return;
  }
#if FF_HAVE_OPERATORS
  case CXCursor_UnaryOperator:
    ff_kids_get(c, e, &ks);
    if (ks.n == 1) ff_unary(c, e, ks.v[0], depth);
    else ff_give_up(c, e, "unary operator without one operand");
    ff_kids_free(&ks);
    return;
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator:
    ff_kids_get(c, e, &ks);
    if (ks.n == 2) ff_binary(c, e, ks.v[0], ks.v[1], depth);
    else ff_give_up(c, e, "binary operator without two operands");
    ff_kids_free(&ks);
    return;
#endif
  case CXCursor_StmtExpr: ff_give_up(c, e, "statement expression"); return;
  case CXCursor_AddrLabelExpr: ff_give_up(c, e, "address of a label (computed goto)"); return;
  default: ff_give_up_kind(c, e, "unsupported expression"); return;
  }
}

/* ---- statements ---------------------------------------------------------------------------- */
static void ff_vardecl(ff_ctx *c, CXCursor var, int depth) {
  if (clang_Cursor_hasAttrs(var)) {
    ff_kids ks;
    ff_kids_get(c, var, &ks);
    for (size_t i = 0; i < ks.n; i++) {
      if (!clang_isAttribute(ff_kind(ks.v[i]))) continue;
      char w[64], what[128];
      if (clang_equalLocations(clang_getCursorLocation(ks.v[i]), clang_getCursorLocation(var)))
        continue; /* added by clang itself, as the walk sees it */
      if (ff_kind(ks.v[i]) != CXCursor_UnexposedAttr) { /* a kind of its own: the table's */
        if (!ff_seen(c, ks.v[i])) break;
        continue;
      }
      sx_attr a = sx_attribute(ks.v[i], w, sizeof w);
      if (a == SX_A_CLEANUP) {
        ff_give_up(c, var, "a variable with __attribute__((cleanup)) (a hidden call)");
      } else if (a == SX_A_UNKNOWN) {
        snprintf(what, sizeof what, "attribute '%s'", w);
        ff_give_up(c, ks.v[i], what);
      }
    }
    ff_kids_free(&ks);
  }
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(var);
  if (clang_getCursorTLSKind(var) != CXTLS_None || sc == CX_SC_Static || sc == CX_SC_Extern)
    return; /* not a local: its initializer is a constant */
  int tracked = !ff_is_array(clang_getCursorType(var));
  CXString name = clang_getCursorSpelling(var);
  uint32_t idx = tracked ? fl_local(&c->b, clang_getCString(name)) : FF_MEM;
  clang_disposeString(name);
  if (ff_pmap_put(&c->locals, var.data[0], idx) < 0) ff_oom(c);
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  ff_kids ks;
  ff_kids_get(c, var, &ks); /* VLA sizes are evaluated before the initializer */
  for (size_t i = 0; i < ks.n; i++)
    if (clang_isExpression(ff_kind(ks.v[i])) && (clang_Cursor_isNull(init) || !clang_equalCursors(ks.v[i], init)))
      ff_use(c, ks.v[i], depth);
  ff_kids_free(&ks);
  uint32_t lo = (uint32_t)c->vs.n;
  fl_loc loc = ff_loc(c, clang_Cursor_isNull(init) ? var : init);
  if (!clang_Cursor_isNull(init)) ff_rvalue(c, init, depth + 1);
  if (tracked) ff_emit1(c, c->weak ? FL_MERGE : FL_ASSIGN, 0, (int32_t)idx, 0, lo, loc);
  else if (c->vs.n > lo) ff_emit1(c, FL_ESCAPE, 0, -1, 0, lo, loc);
  ff_pop(c, lo);
}

static void ff_declstmt(ff_ctx *c, CXCursor s, int depth) {
  ff_kids ks;
  ff_kids_get(c, s, &ks);
  for (size_t i = 0; i < ks.n && !ff_stopped(c); i++) {
    enum CXCursorKind k = ff_kind(ks.v[i]);
    if (!ff_seen(c, ks.v[i])) break;
    if (k == CXCursor_VarDecl) ff_vardecl(c, ks.v[i], depth);
    else if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(ks.v[i])) ff_give_up(c, ks.v[i], "nested function");
    else if (k != CXCursor_FunctionDecl && k != CXCursor_TypedefDecl && k != CXCursor_StructDecl &&
             k != CXCursor_UnionDecl && k != CXCursor_EnumDecl && k != CXCursor_StaticAssert)
      ff_give_up_kind(c, ks.v[i], "unsupported declaration");
  }
  ff_kids_free(&ks);
}

static ff_label *ff_label_of(ff_ctx *c, const char *name) {
  for (size_t i = 0; i < c->labels.n; i++)
    if (!strcmp(c->labels.v[i].name, name)) return &c->labels.v[i];
  ff_label l = {ut_strdup(name), ff_block(c), 0, {0, 0, 0}};
  if (!l.name || UT_PUSH(c->labels, l) < 0) {
    free(l.name);
    ff_oom(c);
    return NULL;
  }
  return &c->labels.v[c->labels.n - 1];
}

static void ff_label_stmt(ff_ctx *c, CXCursor s, int goto_ref, int depth) {
  CXString n = clang_getCursorSpelling(s);
  ff_label *l = ff_label_of(c, clang_getCString(n) ? clang_getCString(n) : "");
  clang_disposeString(n);
  if (!l) return;
  if (goto_ref) { /* goto: s is the LabelRef */
    ff_jump_to(c, l->blk);
    return;
  }
  uint32_t blk = l->blk;
  l->defined = 1;
  ff_edge(c, c->cur, blk);
  c->cur = blk;
  ff_kids ks;
  ff_kids_get(c, s, &ks);
  for (size_t i = 0; i < ks.n; i++) ff_stmt(c, ks.v[i], depth + 1);
  ff_kids_free(&ks);
}

/* Lexes a for header from `p`: the offsets of its two semicolons and the
 * closing parenthesis.  0 on success. */
static int ff_lex_for(const char *buf, size_t size, size_t p, size_t *semi1, size_t *semi2, size_t *close) {
  int depth = 0, nsemi = 0;
  if (p + 3 > size || strncmp(buf + p, "for", 3) != 0) return -1;
  for (p += 3; p < size; p++) {
    char ch = buf[p];
    if (ch == '/' && p + 1 < size && buf[p + 1] == '*') {
      const char *end = NULL;
      for (size_t q = p + 2; q + 1 < size && !end; q++)
        if (buf[q] == '*' && buf[q + 1] == '/') end = buf + q;
      if (!end) return -1;
      p = (size_t)(end - buf) + 1;
    } else if (ch == '/' && p + 1 < size && buf[p + 1] == '/') {
      while (p < size && buf[p] != '\n') p++;
    } else if (ch == '"' || ch == '\'') {
      for (p++; p < size && buf[p] != ch; p++)
        if (buf[p] == '\\') p++;
      if (p >= size) return -1;
    } else if (ch == '(' || ch == '[' || ch == '{') {
      depth++;
    } else if (ch == ')' || ch == ']' || ch == '}') {
      if (--depth == 0) {
        if (ch != ')' || nsemi != 2) return -1;
        *close = p;
        return 0;
      }
    } else if (ch == ';' && depth == 1) {
      if (nsemi == 0) *semi1 = p;
      else if (nsemi == 1) *semi2 = p;
      else return -1;
      nsemi++;
    } else if (depth == 0 && ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\\') {
      return -1; /* something between `for` and `(` */
    }
  }
  return -1;
}

/* Which of the for statement's children are init, cond, inc (parts[0..2],
 * null when absent); the body is the last child.  0, or -1 when the header
 * cannot be read. */
static int ff_for_parts(ff_ctx *c, CXCursor fs, const ff_kids *ks, CXCursor *parts) {
  parts[0] = parts[1] = parts[2] = clang_getNullCursor();
  if (ks->n == 4) {
    parts[0] = ks->v[0], parts[1] = ks->v[1], parts[2] = ks->v[2];
    return 0;
  }
  if (ks->n <= 1) return 0;
  CXSourceLocation at = clang_getCursorLocation(fs);
  CXFile sf, ef;
  unsigned soff, eoff;
  clang_getSpellingLocation(at, &sf, NULL, NULL, &soff);
  clang_getExpansionLocation(at, &ef, NULL, NULL, &eoff);
  int in_macro = !sf || !ef || !clang_File_isEqual(sf, ef) || soff != eoff;
  size_t size = 0, s1 = 0, s2 = 0, cl = 0;
  const char *buf = sf ? clang_getFileContents(c->cx, sf, &size) : NULL;
  if (!buf || ff_lex_for(buf, size, soff, &s1, &s2, &cl) < 0) return -1;
  for (size_t i = 0; i + 1 < ks->n; i++) {
    CXSourceLocation l = clang_getRangeStart(clang_getCursorExtent(ks->v[i]));
    CXFile f;
    unsigned off;
    if (in_macro) clang_getSpellingLocation(l, &f, NULL, NULL, &off);
    else clang_getExpansionLocation(l, &f, NULL, NULL, &off);
    if (!f || !clang_File_isEqual(f, sf) || off <= soff || off >= cl) return -1;
    int part = off < s1 ? 0 : off < s2 ? 1 : 2;
    if (!clang_Cursor_isNull(parts[part])) return -1;
    parts[part] = ks->v[i];
  }
  return 0;
}

static void ff_loop_push(ff_ctx *c, uint32_t brk, uint32_t cont) {
  ff_jump j = {brk, cont};
  if (UT_PUSH(c->jumps, j) < 0) ff_oom(c);
}

/* ---- OpenMP directives (ff_build_omp) ---------------------------------------------- */
/* The expansion offsets of cursor k's extent; 0 when it is not in the
 * function's file. */
static int ff_omp_range(const ff_ctx *c, CXCursor k, uint32_t *a, uint32_t *b) {
  CXSourceRange r = clang_getCursorExtent(k);
  CXFile f1, f2;
  unsigned o1, o2;
  clang_getExpansionLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
  clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
  if (!f1 || !f2 || !clang_File_isEqual(f1, c->omp->file) || !clang_File_isEqual(f2, c->omp->file)) return 0;
  *a = o1, *b = o2;
  return 1;
}

static fl_loc ff_omp_loc(ff_ctx *c, const ff_omp_dir *d) {
  fl_loc l = {ff_file(c, c->omp->file), d->line, d->col};
  return l;
}

static void ff_omp_calls(ff_ctx *c, const uint32_t *callee, uint32_t n, fl_loc at) {
  for (uint32_t i = 0; i < n; i++) fl_emit(&c->b, c->cur, FL_CALL, 0, -1, callee[i], NULL, 0, at);
}

/* What directive d does before its region (or, standalone, at its place):
 * its clauses read their locals, then its scheduling points. */
static void ff_omp_pre(ff_ctx *c, size_t i) {
  const ff_omp_dir *d = &c->omp->v[i];
  fl_loc at = ff_omp_loc(c, d);
  c->omp_done[i] = 1;
  if (d->bad) {
    char why[300];
    snprintf(why, sizeof why, "OpenMP directive: %s", d->bad);
    fl_give_up(&c->b, why, at);
    return;
  }
  for (size_t k = 0; k < d->nuses; k++) {
    uint32_t v;
    if (!ff_pmap_get(&c->locals, d->uses[k], &v) || v == FF_MEM) continue;
    uint32_t lo = (uint32_t)c->vs.n;
    ff_push(c, v);
    ff_emit1(c, FL_USE, 0, -1, 0, lo, at);
    ff_pop(c, lo);
  }
  ff_omp_calls(c, d->pre, d->npre, at);
}

/* The standalone directives of this function in [lo, hi) of the file. */
static void ff_omp_standalone(ff_ctx *c, uint32_t lo, uint32_t hi) {
  for (size_t i = 0; i < c->omp->n && !ff_stopped(c); i++) {
    const ff_omp_dir *d = &c->omp->v[i];
    if (d->start >= hi) break;
    if (!c->omp_done[i] && !d->has_stmt && d->ctx == (int32_t)c->func && d->start >= lo) ff_omp_pre(c, i);
  }
}

/* A region names a local of the function: it becomes memory (shared with
 * the team or the task). */
static enum CXChildVisitResult ff_omp_names(CXCursor k, CXCursor parent, CXClientData data) {
  (void)parent;
  ff_ctx *c = data;
  if (ff_kind(k) == CXCursor_DeclRefExpr) {
    CXCursor d = clang_getCursorReferenced(k);
    uint32_t v;
    if (!clang_Cursor_isNull(d) && ff_pmap_get(&c->locals, d.data[0], &v) && v != FF_MEM && UT_PUSH(c->taken, v) < 0)
      ff_oom(c);
  }
  return CXChildVisit_Recurse;
}

static void ff_stmt_kind(ff_ctx *c, CXCursor s, int depth);

/* Statement s as the region of this function's directives (outermost
 * first); 0 when it is none's. */
static int ff_omp_region(ff_ctx *c, CXCursor s, int depth) {
  uint32_t a, b;
  if (!ff_omp_range(c, s, &a, &b)) return 0;
  size_t m[8], nm = 0;
  for (size_t i = 0; i < c->omp->n && nm < 8; i++) {
    const ff_omp_dir *d = &c->omp->v[i];
    if (!c->omp_done[i] && d->has_stmt && d->ctx == (int32_t)c->func && d->stmt_start == a && d->stmt_end == b)
      m[nm++] = i;
  }
  if (!nm) return 0;
  int bypass = 0;
  int32_t task = -1;
  for (size_t k = 0; k < nm; k++) {
    const ff_omp_dir *d = &c->omp->v[m[k]];
    ff_omp_pre(c, m[k]);
    if (d->shared) clang_visitChildren(s, ff_omp_names, c);
    bypass |= d->bypass;
    if (d->task >= 0) task = d->task;
  }
  if (ff_stopped(c)) return 1;
  const ff_omp_dir *inner = &c->omp->v[m[nm - 1]];
  uint32_t head = c->cur;
  if (task >= 0) { /* the task runs (perhaps later, on another thread): a call of its function */
    fl_emit(&c->b, c->cur, FL_CALL, 0, -1, (uint32_t)task, NULL, 0, ff_omp_loc(c, inner));
  } else {
    c->cur = ff_block(c);
    ff_edge(c, head, c->cur);
    ff_stmt_kind(c, s, depth + 1);
    if (bypass) {
      uint32_t join = ff_block(c);
      ff_edge(c, c->cur, join);
      ff_edge(c, head, join);
      c->cur = join;
    }
  }
  for (size_t k = nm; k-- > 0;) {
    const ff_omp_dir *d = &c->omp->v[m[k]];
    ff_omp_calls(c, d->post, d->npost, ff_omp_loc(c, d));
  }
  return 1;
}

static void ff_stmt(ff_ctx *c, CXCursor s, int depth) {
  if (ff_stopped(c)) return;
  if (depth > FF_MAX_DEPTH) {
    ff_give_up(c, s, "statements nested too deeply");
    return;
  }
  if (c->omp && ff_omp_region(c, s, depth)) return;
  ff_stmt_kind(c, s, depth);
}

static void ff_stmt_kind(ff_ctx *c, CXCursor s, int depth) {
  enum CXCursorKind k = ff_kind(s);
  ff_kids ks;
  if (!ff_seen(c, s)) return;
  if (clang_isExpression(k)) {
    ff_use(c, s, depth);
    return;
  }
  switch (k) {
  case CXCursor_CompoundStmt: {
    ff_kids_get(c, s, &ks);
    uint32_t prev = 0, a, b, end = 0;
    int omp = c->omp && ff_omp_range(c, s, &prev, &end);
    for (size_t i = 0; i < ks.n; i++) {
      if (omp && ff_omp_range(c, ks.v[i], &a, &b)) {
        ff_omp_standalone(c, prev, a);
        prev = b;
      }
      ff_stmt(c, ks.v[i], depth + 1);
    }
    if (omp) ff_omp_standalone(c, prev, end);
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_DeclStmt: ff_declstmt(c, s, depth); return;
  case CXCursor_NullStmt: return;
  case CXCursor_UnexposedStmt: /* statement attributes such as fallthrough */
    ff_kids_get(c, s, &ks);
    if (ks.n == 1 && (clang_isStatement(ff_kind(ks.v[0])) || clang_isExpression(ff_kind(ks.v[0]))))
      ff_stmt(c, ks.v[0], depth + 1);
    else ff_give_up(c, s, "unsupported statement (unexposed)");
    ff_kids_free(&ks);
    return;
  case CXCursor_IfStmt: {
    ff_kids_get(c, s, &ks);
    if (ks.n < 2 || ks.n > 3) {
      ff_give_up(c, s, "if statement of an unexpected shape");
      ff_kids_free(&ks);
      return;
    }
    ff_use(c, ks.v[0], depth);
    uint32_t head = c->cur, join = ff_block(c);
    c->cur = ff_block(c);
    ff_edge(c, head, c->cur);
    ff_stmt(c, ks.v[1], depth + 1);
    ff_edge(c, c->cur, join);
    if (ks.n == 3) {
      c->cur = ff_block(c);
      ff_edge(c, head, c->cur);
      ff_stmt(c, ks.v[2], depth + 1);
      ff_edge(c, c->cur, join);
    } else {
      ff_edge(c, head, join);
    }
    c->cur = join;
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_WhileStmt: {
    ff_kids_get(c, s, &ks);
    if (ks.n != 2) {
      ff_give_up(c, s, "while statement of an unexpected shape");
      ff_kids_free(&ks);
      return;
    }
    uint32_t head = ff_block(c), exit = ff_block(c), body = ff_block(c);
    ff_edge(c, c->cur, head);
    c->cur = head;
    ff_use(c, ks.v[0], depth);
    ff_edge(c, c->cur, body);
    ff_edge(c, c->cur, exit);
    ff_loop_push(c, exit, head);
    c->cur = body;
    ff_stmt(c, ks.v[1], depth + 1);
    ff_edge(c, c->cur, head);
    c->jumps.n--;
    c->cur = exit;
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_DoStmt: {
    ff_kids_get(c, s, &ks);
    if (ks.n != 2) {
      ff_give_up(c, s, "do statement of an unexpected shape");
      ff_kids_free(&ks);
      return;
    }
    uint32_t body = ff_block(c), cond = ff_block(c), exit = ff_block(c);
    ff_edge(c, c->cur, body);
    ff_loop_push(c, exit, cond);
    c->cur = body;
    ff_stmt(c, ks.v[0], depth + 1);
    ff_edge(c, c->cur, cond);
    c->jumps.n--;
    c->cur = cond;
    ff_use(c, ks.v[1], depth);
    ff_edge(c, c->cur, body);
    ff_edge(c, c->cur, exit);
    c->cur = exit;
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_ForStmt: {
    ff_kids_get(c, s, &ks);
    CXCursor parts[3];
    if (!ks.n || ff_for_parts(c, s, &ks, parts) < 0) {
      ff_give_up(c, s, "a for loop whose header parts cannot be told apart (inside a macro)");
      ff_kids_free(&ks);
      return;
    }
    if (!clang_Cursor_isNull(parts[0])) ff_stmt(c, parts[0], depth + 1);
    uint32_t head = ff_block(c), body = ff_block(c), inc = ff_block(c), exit = ff_block(c);
    ff_edge(c, c->cur, head);
    c->cur = head;
    if (!clang_Cursor_isNull(parts[1])) ff_use(c, parts[1], depth);
    ff_edge(c, c->cur, body);
    if (!clang_Cursor_isNull(parts[1])) ff_edge(c, c->cur, exit);
    ff_loop_push(c, exit, inc);
    c->cur = body;
    ff_stmt(c, ks.v[ks.n - 1], depth + 1);
    ff_edge(c, c->cur, inc);
    c->jumps.n--;
    c->cur = inc;
    if (!clang_Cursor_isNull(parts[2])) ff_use(c, parts[2], depth);
    ff_edge(c, c->cur, head);
    c->cur = exit;
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_SwitchStmt: {
    ff_kids_get(c, s, &ks);
    if (ks.n != 2) {
      ff_give_up(c, s, "switch statement of an unexpected shape");
      ff_kids_free(&ks);
      return;
    }
    ff_use(c, ks.v[0], depth);
    uint32_t dispatch = c->cur, exit = ff_block(c);
    uint8_t nodef = 0;
    if (UT_PUSH(c->switches, dispatch) < 0 || UT_PUSH(c->has_default, nodef) < 0) ff_oom(c);
    ff_loop_push(c, exit, FL_NONE);
    c->cur = ff_block(c); /* before the first label: unreachable */
    ff_stmt(c, ks.v[1], depth + 1);
    ff_edge(c, c->cur, exit);
    if (c->switches.n && !c->has_default.v[c->has_default.n - 1]) ff_edge(c, dispatch, exit);
    if (c->switches.n) c->switches.n--, c->has_default.n--;
    if (c->jumps.n) c->jumps.n--;
    c->cur = exit;
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt: {
    if (!c->switches.n) {
      ff_give_up(c, s, "case label outside a switch");
      return;
    }
    uint32_t blk = ff_block(c);
    ff_edge(c, c->cur, blk); /* fall-through */
    ff_edge(c, c->switches.v[c->switches.n - 1], blk);
    if (k == CXCursor_DefaultStmt) c->has_default.v[c->has_default.n - 1] = 1;
    c->cur = blk;
    ff_kids_get(c, s, &ks); /* case values are constants; the statement is last */
    if (ks.n) ff_stmt(c, ks.v[ks.n - 1], depth + 1);
    ff_kids_free(&ks);
    return;
  }
  case CXCursor_BreakStmt:
    if (!c->jumps.n) ff_give_up(c, s, "break outside a loop or switch");
    else ff_jump_to(c, c->jumps.v[c->jumps.n - 1].brk);
    return;
  case CXCursor_ContinueStmt: {
    size_t i = c->jumps.n;
    while (i > 0 && c->jumps.v[i - 1].cont == FL_NONE) i--;
    if (!i) ff_give_up(c, s, "continue outside a loop");
    else ff_jump_to(c, c->jumps.v[i - 1].cont);
    return;
  }
  case CXCursor_GotoStmt:
    ff_kids_get(c, s, &ks);
    if (ks.n == 1 && ff_kind(ks.v[0]) == CXCursor_LabelRef) ff_label_stmt(c, ks.v[0], 1, depth);
    else ff_give_up(c, s, "goto without a label");
    ff_kids_free(&ks);
    return;
  case CXCursor_LabelStmt: ff_label_stmt(c, s, 0, depth); return;
  case CXCursor_ReturnStmt: {
    ff_kids_get(c, s, &ks);
    uint32_t lo = (uint32_t)c->vs.n;
    if (ks.n) {
      ff_rvalue(c, ks.v[0], depth + 1);
      ff_emit1(c, FL_RET, 0, -1, 0, lo, ff_loc(c, ks.v[0]));
    } else {
      ff_emit0(c, FL_RET, 0, 0, ff_loc(c, s));
    }
    ff_pop(c, lo);
    ff_kids_free(&ks);
    ff_jump_to(c, 1);
    return;
  }
  case CXCursor_IndirectGotoStmt: ff_give_up(c, s, "computed goto"); return;
  case CXCursor_AsmStmt:
  case CXCursor_MSAsmStmt: ff_give_up(c, s, "inline assembly"); return;
  default:
    if (k >= CXCursor_OMPParallelDirective && k <= CXCursor_LastStmt) ff_give_up_kind(c, s, "OpenMP directive");
    else ff_give_up_kind(c, s, "unsupported statement");
    return;
  }
}

/* ---- locals whose address is taken --------------------------------------------------------------- */
/* Rewrites every event of the body that names a local of c->taken into the
 * form for memory: reads of it give nothing (memory is untainted), values
 * stored into it escape, loads and call results into it escape, and a
 * parameter's incoming value escapes at the entry. */
static void ff_untrack(ff_ctx *c, uint32_t nparams, fl_loc entry) {
  uint32_t nloc = (uint32_t)c->b.names.n;
  uint8_t *mem = calloc((size_t)nloc + 1, 1);
  if (!mem) {
    ff_oom(c);
    return;
  }
  for (size_t i = 0; i < c->taken.n; i++) mem[c->taken.v[i]] = 1;
  fl_unit *u = c->u;
  for (size_t i = 0; i < c->b.ev.n; i++) {
    fl_event *e = &c->b.ev.v[i];
    for (uint32_t v = 0; v < e->nval; v++) { /* operands: drop the memory locals */
      fl_val *val = &u->vals.v[e->val + v];
      uint32_t k = 0;
      for (uint32_t q = 0; q < val->n; q++) {
        uint32_t op = u->opnds.v[val->first + q];
        if (!(op & FL_OBJ) && mem[op]) continue;
        u->opnds.v[val->first + k++] = op;
      }
      val->n = k;
    }
    if (e->dst < 0 || !mem[e->dst]) continue;
    e->dst = -1;
    if (e->op == FL_ASSIGN || e->op == FL_MERGE) e->op = FL_ESCAPE; /* x = v: v goes to memory */
    else if (e->op == FL_CALL) e->flags |= FL_TO_MEMORY;          /* LOAD with no dst escapes too */
  }
  for (uint32_t i = 0; i < nparams; i++) /* their incoming values live in memory */
    if (mem[i]) {
      uint32_t op = i;
      fl_vspec v = {&op, 1, 0};
      fl_emit(&c->b, 0, FL_ESCAPE, 0, -1, 0, &v, 1, entry);
    }
  free(mem);
}

/* ---- entry point ------------------------------------------------------------------------------ */
static void ff_run(ft_tu *tu, uint32_t func, CXCursor def, CXCursor region, const ff_omp *omp) {
  if (!tu->body_flow && !(tu->body_flow = fl_unit_create())) {
    tu->failed = 1;
    return;
  }
  ff_ctx c;
  memset(&c, 0, sizeof c);
  c.tu = tu;
  c.u = tu->body_flow;
  c.cx = clang_Cursor_getTranslationUnit(def);
  c.func = func;
  c.omp = omp;
  c.region = !clang_Cursor_isNull(region);
  if (omp && omp->n && !(c.omp_done = calloc(omp->n, 1))) ff_oom(&c);
  if (omp) { /* the second parse: the function's calls were recorded by both walks */
    for (size_t i = 0; i < tu->calls.n; i++)
      if (tu->calls.v[i].caller == func && UT_PUSH(c.calls, &tu->calls.v[i]) < 0) ff_oom(&c);
  } else { /* the calls the body walk just recorded for this function: the tail
            * of tu->calls (bodies are walked one after the other) */
    for (size_t i = tu->calls.n; i-- > 0 && tu->calls.v[i].caller == func;)
      if (UT_PUSH(c.calls, &tu->calls.v[i]) < 0) ff_oom(&c);
  }
  if (c.calls.n > 1) qsort(c.calls.v, c.calls.n, sizeof *c.calls.v, ff_call_cmp);
  int nparams = c.region ? 0 : clang_Cursor_getNumArguments(def);
  if (nparams < 0) nparams = 0;
  fl_begin(&c.b, c.u, func, (uint32_t)nparams);
  ff_kids ks;
  CXCursor body = region;
  if (!c.region) {
    ff_kids_get(&c, def, &ks);
    for (size_t i = 0; i < ks.n; i++)
      if (ff_kind(ks.v[i]) == CXCursor_CompoundStmt) body = ks.v[i];
    ff_kids_free(&ks);
  }
  if (!FF_HAVE_OPERATORS) ff_give_up(&c, def, "libclang before 17 cannot tell operators apart");
  if (clang_Cursor_isNull(body)) ff_give_up(&c, def, "a definition without a body statement");
  /* block 0 only receives the escapes of parameters whose address is taken */
  c.cur = ff_block(&c);
  ff_edge(&c, 0, c.cur);
  for (int i = 0; i < nparams && !ff_stopped(&c); i++) {
    CXCursor p = clang_Cursor_getArgument(def, (unsigned)i);
    CXString n = clang_getCursorSpelling(p);
    fl_name_param(&c.b, (uint32_t)i, clang_getCString(n));
    clang_disposeString(n);
    if (ff_pmap_put(&c.locals, p.data[0], (uint32_t)i) < 0) ff_oom(&c);
  }
  if (!ff_stopped(&c)) ff_stmt(&c, body, 0);
  for (size_t i = 0; omp && i < omp->n && !ff_stopped(&c); i++)
    if (!c.omp_done[i] && omp->v[i].ctx == (int32_t)func) {
      fl_loc at = {ff_file(&c, omp->file), omp->v[i].line, omp->v[i].col};
      fl_give_up(&c.b, "an OpenMP directive at a place the flow builder does not follow", at);
    }
  ff_edge(&c, c.cur, 1);
  if (c.taken.n && !ff_stopped(&c)) ff_untrack(&c, (uint32_t)nparams, ff_loc(&c, def));
  for (size_t i = 0; i < c.labels.n; i++) {
    if (!c.labels.v[i].defined && !ff_stopped(&c)) {
      char why[160];
      snprintf(why, sizeof why, "goto to label '%s', which is not in the body", c.labels.v[i].name);
      ff_give_up(&c, def, why);
    }
    free(c.labels.v[i].name);
  }
  if (c.failed) fl_give_up(&c.b, "out of memory", (fl_loc){0, 0, 0});
  if (fl_end(&c.b) == FL_NONE || c.failed) tu->failed = 1;
  free(c.locals.v);
  free(c.taken.v);
  free(c.objs.v);
  free(c.calls.v);
  free(c.jumps.v);
  free(c.switches.v);
  free(c.has_default.v);
  free(c.labels.v);
  free(c.vs.v);
  free(c.omp_done);
}

int ff_kind_handled(enum CXCursorKind k) {
  switch (k) {
  /* statements (ff_stmt_kind) */
  case CXCursor_CompoundStmt:
  case CXCursor_DeclStmt:
  case CXCursor_NullStmt:
  case CXCursor_UnexposedStmt:
  case CXCursor_IfStmt:
  case CXCursor_WhileStmt:
  case CXCursor_DoStmt:
  case CXCursor_ForStmt:
  case CXCursor_SwitchStmt:
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt:
  case CXCursor_BreakStmt:
  case CXCursor_ContinueStmt:
  case CXCursor_GotoStmt:
  case CXCursor_LabelStmt:
  case CXCursor_ReturnStmt:
  /* expressions (ff_rvalue, ff_lvalue) */
  case CXCursor_GNUNullExpr:
  case CXCursor_IntegerLiteral:
  case CXCursor_FloatingLiteral:
  case CXCursor_ImaginaryLiteral:
  case CXCursor_CharacterLiteral:
  case CXCursor_StringLiteral:
#if CINDEX_VERSION_MINOR >= 63
  case CXCursor_FixedPointLiteral:
#endif
  case CXCursor_DeclRefExpr:
  case CXCursor_MemberRefExpr:
  case CXCursor_ArraySubscriptExpr:
  case CXCursor_CompoundLiteralExpr:
  case CXCursor_ParenExpr:
  case CXCursor_UnexposedExpr:
  case CXCursor_CStyleCastExpr:
  case CXCursor_InitListExpr:
  case CXCursor_CallExpr:
  case CXCursor_ConditionalOperator:
  case CXCursor_GenericSelectionExpr:
  case CXCursor_UnaryExpr:
  case CXCursor_UnaryOperator:
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator:
  /* declarations (ff_declstmt, ff_vardecl; the rest only inside them) */
  case CXCursor_VarDecl:
  case CXCursor_ParmDecl:
  case CXCursor_FunctionDecl:
  case CXCursor_TypedefDecl:
  case CXCursor_StructDecl:
  case CXCursor_UnionDecl:
  case CXCursor_EnumDecl:
  case CXCursor_FieldDecl:
  case CXCursor_EnumConstantDecl:
  case CXCursor_StaticAssert:
  /* references: never evaluated */
  case CXCursor_TypeRef:
  case CXCursor_MemberRef:
  case CXCursor_LabelRef: return 1;
  default:
    /* attributes of a local: read by ff_vardecl through sx_attribute */
    return clang_isAttribute(k) && sx_kind_role(k) != SX_UNSEEN;
  }
}

void ff_build(ft_tu *tu, uint32_t func, CXCursor def) { ff_run(tu, func, def, clang_getNullCursor(), NULL); }

void ff_build_omp(ft_tu *tu, uint32_t func, CXCursor def, CXCursor region, const ff_omp *omp) {
  ff_run(tu, func, def, region, omp);
}

#else /* libclang before 17: no operator kinds, so no body can be understood */
void ff_build_omp(ft_tu *tu, uint32_t func, CXCursor def, CXCursor region, const ff_omp *omp) {
  (void)region, (void)omp;
  ff_build(tu, func, def);
}

void ff_build(ft_tu *tu, uint32_t func, CXCursor def) {
  if (!tu->body_flow && !(tu->body_flow = fl_unit_create())) {
    tu->failed = 1;
    return;
  }
  fl_build b;
  int n = clang_Cursor_getNumArguments(def);
  fl_begin(&b, tu->body_flow, func, n < 0 ? 0 : (uint32_t)n);
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(clang_getCursorLocation(def), &f, &line, &col, NULL);
  CXString path = clang_getFileName(f);
  fl_loc at = {fl_str(tu->body_flow, clang_getCString(path)), line, col};
  clang_disposeString(path);
  fl_give_up(&b, "libclang before 17 cannot tell operators apart", at);
  fl_edge(&b, 0, 1);
  if (fl_end(&b) == FL_NONE) tu->failed = 1;
}
#endif

void ff_not_understood(ft_tu *tu, uint32_t func, const char *why, ft_loc at) {
  if (!tu->body_flow && !(tu->body_flow = fl_unit_create())) {
    tu->failed = 1;
    return;
  }
  fl_build b;
  fl_begin(&b, tu->body_flow, func, 0);
  fl_loc l = {fl_str(tu->body_flow, at.file), at.line, at.col};
  fl_give_up(&b, why, l);
  fl_edge(&b, 0, 1);
  if (fl_end(&b) == FL_NONE) tu->failed = 1;
}
