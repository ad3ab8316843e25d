/* SPDX-License-Identifier: MIT */
/*
 * syntax.c - the table of understood cursor kinds and the identification
 * of libclang's unexposed expressions, statements and attributes.
 *
 * Scope decision: the table lists what C code (C89 to C23 with GNU
 * extensions) produces in function bodies and initializers.  Kinds of
 * other languages (C++, Objective-C), OpenMP/OpenACC directives (whose
 * region bodies libclang hides inside an opaque captured statement),
 * Microsoft inline assembly, structured exception handling, blocks and
 * every kind a newer libclang adds are absent, hence unseen.
 */
#include <stdio.h>
#include <string.h>

#include "syntax.h"

/* ---- the table ------------------------------------------------------------- */
#define SX_NKINDS 701
/* Per kind: what the body walk does with it (frontend.c), and, for a kind
 * the walk understands but the stage-3 flow builder does not follow
 * (frontend_flow.c), why: the one table both consult, so that nothing the
 * walk does not understand is understood by the flow. */
static const struct {
  unsigned char role;
  const char *flow_limit;
} sx_table[SX_NKINDS] = {
    /* statements */
    [CXCursor_CompoundStmt] = {SX_WALK, NULL},
    [CXCursor_LabelStmt] = {SX_WALK, NULL},
    [CXCursor_CaseStmt] = {SX_WALK, NULL},
    [CXCursor_DefaultStmt] = {SX_WALK, NULL},
    [CXCursor_IfStmt] = {SX_HANDLE, NULL},      /* constant conditions */
    [CXCursor_SwitchStmt] = {SX_WALK, NULL},
    [CXCursor_WhileStmt] = {SX_WALK, NULL},
    [CXCursor_DoStmt] = {SX_WALK, NULL},
    [CXCursor_ForStmt] = {SX_WALK, NULL},
    [CXCursor_GotoStmt] = {SX_WALK, NULL},
    [CXCursor_IndirectGotoStmt] = {SX_WALK, "computed goto"}, /* `goto *p`: control flow inside the function */
    [CXCursor_ContinueStmt] = {SX_WALK, NULL},
    [CXCursor_BreakStmt] = {SX_WALK, NULL},
    [CXCursor_ReturnStmt] = {SX_HANDLE, NULL},  /* returned function pointers */
    [CXCursor_NullStmt] = {SX_WALK, NULL},
    [CXCursor_DeclStmt] = {SX_WALK, NULL},
    [CXCursor_GCCAsmStmt] = {SX_HANDLE, "inline assembly"},  /* the template is read and classified */
    [CXCursor_UnexposedStmt] = {SX_HANDLE, NULL}, /* attributed statements only */
    /* expressions */
    [CXCursor_UnexposedExpr] = {SX_HANDLE, NULL},
    [CXCursor_DeclRefExpr] = {SX_HANDLE, NULL},
    [CXCursor_MemberRefExpr] = {SX_WALK, NULL},
    [CXCursor_CallExpr] = {SX_HANDLE, NULL},
    [CXCursor_IntegerLiteral] = {SX_WALK, NULL},
    [CXCursor_FloatingLiteral] = {SX_WALK, NULL},
    [CXCursor_ImaginaryLiteral] = {SX_WALK, NULL},
    [CXCursor_StringLiteral] = {SX_WALK, NULL},
    [CXCursor_CharacterLiteral] = {SX_WALK, NULL},
    [CXCursor_FixedPointLiteral] = {SX_WALK, NULL},
    [CXCursor_ParenExpr] = {SX_WALK, NULL},
    [CXCursor_UnaryOperator] = {SX_HANDLE, NULL},
    [CXCursor_ArraySubscriptExpr] = {SX_WALK, NULL},
    [CXCursor_BinaryOperator] = {SX_HANDLE, NULL},
    [CXCursor_CompoundAssignOperator] = {SX_WALK, NULL},
    [CXCursor_ConditionalOperator] = {SX_HANDLE, NULL},
    [CXCursor_CStyleCastExpr] = {SX_HANDLE, NULL},
    [CXCursor_CompoundLiteralExpr] = {SX_HANDLE, NULL},
    [CXCursor_InitListExpr] = {SX_HANDLE, NULL},
    [CXCursor_AddrLabelExpr] = {SX_WALK,
                                "address of a label (computed goto)"}, /* `&&label`: a value, used by `goto *` */
    [CXCursor_StmtExpr] = {SX_WALK, "statement expression"},      /* `({ ... })`: its statements are walked */
    [CXCursor_GenericSelectionExpr] = {SX_HANDLE, NULL},
    [CXCursor_GNUNullExpr] = {SX_WALK, NULL},
    [CXCursor_UnaryExpr] = {SX_HANDLE, NULL},   /* sizeof, _Alignof: unevaluated unless VLA */
    /* references inside expressions and declarations */
    [CXCursor_TypeRef] = {SX_SKIP, NULL},
    [CXCursor_MemberRef] = {SX_SKIP, NULL},
    [CXCursor_LabelRef] = {SX_SKIP, NULL},
    /* declarations in bodies */
    [CXCursor_VarDecl] = {SX_HANDLE, NULL},
    [CXCursor_ParmDecl] = {SX_WALK, NULL},
    [CXCursor_FunctionDecl] = {SX_SKIP, NULL},  /* a block-scope prototype */
    [CXCursor_TypedefDecl] = {SX_HANDLE, NULL}, /* walked only for a variably modified type */
    [CXCursor_StructDecl] = {SX_SKIP, NULL},
    [CXCursor_UnionDecl] = {SX_SKIP, NULL},
    [CXCursor_EnumDecl] = {SX_SKIP, NULL},
    [CXCursor_FieldDecl] = {SX_SKIP, NULL},
    [CXCursor_EnumConstantDecl] = {SX_SKIP, NULL},
    [CXCursor_StaticAssert] = {SX_SKIP, NULL},
    [CXCursor_UnexposedDecl] = {SX_HANDLE, "a local label declaration (__label__)"}, /* `__label__` declarations */
    /* attributes */
    [CXCursor_UnexposedAttr] = {SX_HANDLE, NULL},
    [CXCursor_AnnotateAttr] = {SX_SKIP, NULL},
    [CXCursor_AsmLabelAttr] = {SX_SKIP, NULL},
    [CXCursor_PackedAttr] = {SX_SKIP, NULL},
    [CXCursor_PureAttr] = {SX_SKIP, NULL},
    [CXCursor_ConstAttr] = {SX_SKIP, NULL},
    [CXCursor_NoDuplicateAttr] = {SX_SKIP, NULL},
    [CXCursor_VisibilityAttr] = {SX_SKIP, NULL},
    [CXCursor_WarnUnusedAttr] = {SX_SKIP, NULL},
    [CXCursor_WarnUnusedResultAttr] = {SX_SKIP, NULL},
    [CXCursor_AlignedAttr] = {SX_SKIP, NULL},
    [CXCursor_ConvergentAttr] = {SX_SKIP, NULL},
    [CXCursor_DLLExport] = {SX_SKIP, NULL},
    [CXCursor_DLLImport] = {SX_SKIP, NULL},
    [CXCursor_FlagEnum] = {SX_SKIP, NULL},
};

sx_role sx_kind_role(enum CXCursorKind k) { return (unsigned)k < SX_NKINDS ? (sx_role)sx_table[k].role : SX_UNSEEN; }

int sx_flow_kind(enum CXCursorKind k, const char **why) {
  *why = NULL;
  if (sx_kind_role(k) == SX_UNSEEN) return 0;
  *why = sx_table[k].flow_limit;
  return *why == NULL;
}

unsigned sx_nkinds(void) { return SX_NKINDS; }

/* ---- reading source words ------------------------------------------------- */
const char *sx_text(CXCursor c, size_t *len) {
  CXFile f;
  unsigned off;
  clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL, &off);
  *len = 0;
  if (!f) return NULL;
  size_t size = 0;
  const char *buf = clang_getFileContents(clang_Cursor_getTranslationUnit(c), f, &size);
  if (!buf || off >= size) return NULL;
  *len = size - off;
  return buf + off;
}

static int sx_ident_char(char ch) {
  return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Copies the identifier at t (or its one punctuation character). */
static size_t sx_take(const char *t, size_t len, char *word, size_t n) {
  size_t i = 0;
  while (i < len && sx_ident_char(t[i])) {
    if (i + 1 < n) word[i] = t[i];
    i++;
  }
  if (i == 0 && len && t[0] > ' ' && n > 1) word[i++] = t[0];
  word[i < n ? i : n - 1] = '\0';
  return i;
}

void sx_word(CXCursor c, char *word, size_t n) {
  size_t len;
  const char *t = sx_text(c, &len);
  word[0] = '\0';
  if (t) sx_take(t, len, word, n);
}

/* ---- unexposed expressions ------------------------------------------------ */
typedef struct sx_kids {
  CXCursor v[5];
  int n;
} sx_kids;

static enum CXChildVisitResult sx_collect(CXCursor c, CXCursor parent, CXClientData d) {
  sx_kids *k = d;
  if (k->n < 5) k->v[k->n] = c;
  return ++k->n > 5 ? CXChildVisit_Break : CXChildVisit_Continue;
}

static int sx_same_range(CXCursor a, CXCursor b) {
  return clang_equalRanges(clang_getCursorExtent(a), clang_getCursorExtent(b));
}

static int sx_in(const char *w, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(w, list[i])) return 1;
  return 0;
}
#define SX_IN(w, list) sx_in((w), (list), sizeof(list) / sizeof(list)[0])

/* Expressions without evaluated operands. */
static const char *const sx_value_words[] = {
    "__func__",           "__FUNCTION__",     "__PRETTY_FUNCTION__",
    "__builtin_LINE",     "__builtin_FILE",   "__builtin_FILE_NAME",
    "__builtin_FUNCTION", "__builtin_COLUMN", "__builtin_types_compatible_p",
};
/* Expressions that evaluate exactly their children.  (`va_arg` and
 * `offsetof` are the macro names an older libclang reports.) */
static const char *const sx_walk_words[] = {
    "__builtin_va_arg",        "va_arg", "__builtin_offsetof", "offsetof", "__builtin_shufflevector",
    "__builtin_convertvector",
};
static const char *const sx_atomic_prefixes[] = {
    "__atomic_", "__c11_atomic_", "__opencl_atomic_", "__scoped_atomic_", "__hip_atomic_", "atomic_",
};

static int sx_atomic_word(const char *w) {
  for (size_t i = 0; i < sizeof sx_atomic_prefixes / sizeof sx_atomic_prefixes[0]; i++)
    if (!strncmp(w, sx_atomic_prefixes[i], strlen(sx_atomic_prefixes[i]))) return 1;
  return 0;
}

sx_expr sx_unexposed_expr(CXCursor c, char *what, size_t n) {
  sx_kids k = {{{0}}, 0};
  clang_visitChildren(c, sx_collect, &k);
  if (k.n == 1 && sx_same_range(c, k.v[0])) return SX_E_WRAPPER;
  char w[64];
  sx_word(c, w, sizeof w);
  if (k.n == 0) {
    CXFile f;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (!f && clang_Range_isNull(clang_getCursorExtent(c))) return SX_E_VALUE; /* implicit value init */
    if (SX_IN(w, sx_value_words)) return SX_E_VALUE;
  }
  if (!strcmp(w, "__builtin_choose_expr") && k.n == 3) return SX_E_CHOOSE;
  if (SX_IN(w, sx_walk_words) || sx_atomic_word(w)) return SX_E_WALK;
  if ((w[0] == '.' || w[0] == '[') && clang_getCursorType(c).kind == CXType_Void) return SX_E_WALK; /* designator */
  if (k.n == 4 && sx_same_range(k.v[0], k.v[1]) && sx_same_range(k.v[0], k.v[2])) return SX_E_WALK; /* a ?: b */
  snprintf(what, n, "%s", w[0] ? w : "?");
  return SX_E_UNKNOWN;
}

int sx_attributed_stmt(CXCursor c) {
  sx_kids k = {{{0}}, 0};
  clang_visitChildren(c, sx_collect, &k);
  if (k.n != 1 || !clang_isStatement(clang_getCursorKind(k.v[0]))) return 0;
  char w[32];
  sx_word(c, w, sizeof w);
  return !strcmp(w, "__attribute__") || !strcmp(w, "__attribute") || !strcmp(w, "[") || !strcmp(w, "#");
}

/* ---- attributes ------------------------------------------------------------ */
/* Declarative attributes (normalized names), sorted: they describe a
 * declaration, its layout, linkage, diagnostics or code generation, and
 * none runs code of its own. */
static const char *const sx_known_attrs[] = {
    "Noreturn",
    "aarch64_vector_pcs",
    "abi_tag",
    "access",
    "address_space",
    "alias",
    "align_value",
    "aligned",
    "alloc_align",
    "alloc_size",
    "always_inline",
    "analyzer_noreturn",
    "annotate",
    "artificial",
    "assume_aligned",
    "availability",
    "btf_decl_tag",
    "btf_type_tag",
    "callback",
    "cdecl",
    "cf_check",
    "cold",
    "common",
    "const",
    "constructor",
    "convergent",
    "copy",
    "counted_by",
    "deprecated",
    "designated_init",
    "destructor",
    "diagnose_if",
    "disable_sanitizer_instrumentation",
    "disable_tail_calls",
    "enable_if",
    "error",
    "ext_vector_type",
    "externally_visible",
    "fallthrough",
    "fastcall",
    "flatten",
    "force_align_arg_pointer",
    "format",
    "format_arg",
    "gnu_inline",
    "hot",
    "indirect_return",
    "internal_linkage",
    "interrupt",
    "leaf",
    "likely",
    "malloc",
    "may_alias",
    "maybe_unused",
    "min_vector_width",
    "minsize",
    "mode",
    "ms_abi",
    "naked",
    "neon_polyvector_type",
    "neon_vector_type",
    "no_builtin",
    "no_caller_saved_registers",
    "no_icf",
    "no_instrument_function",
    "no_profile_instrument_function",
    "no_reorder",
    "no_sanitize",
    "no_sanitize_address",
    "no_sanitize_memory",
    "no_sanitize_thread",
    "no_sanitize_undefined",
    "no_speculative_load_hardening",
    "no_split_stack",
    "no_stack_limit",
    "no_stack_protector",
    "nocf_check",
    "noclone",
    "nocommon",
    "nodebug",
    "noderef",
    "nodiscard",
    "noduplicate",
    "noescape",
    "noinit",
    "noinline",
    "noipa",
    "nomerge",
    "nonnull",
    "nonstring",
    "noplt",
    "nothrow",
    "nouwtable",
    "optimize",
    "optnone",
    "overloadable",
    "packed",
    "pass_object_size",
    "patchable_function_entry",
    "pcs",
    "persistent",
    "preferred_type",
    "preserve_all",
    "preserve_most",
    "pure",
    "regcall",
    "regparm",
    "reproducible",
    "require_constant_initialization",
    "retain",
    "returns_nonnull",
    "returns_twice",
    "scalar_storage_order",
    "section",
    "selectany",
    "sentinel",
    "simd",
    "speculative_load_hardening",
    "stack_protect",
    "stdcall",
    "sysv_abi",
    "target",
    "target_clones",
    "target_version",
    "thiscall",
    "tls_model",
    "transparent_union",
    "unavailable",
    "uninitialized",
    "unlikely",
    "unsequenced",
    "unused",
    "used",
    "vector_size",
    "vectorcall",
    "visibility",
    "warn_if_not_aligned",
    "warn_unused_result",
    "warning",
    "weakref",
    "xray_always_instrument",
    "xray_log_args",
    "xray_never_instrument",
    "zero_call_used_regs",
};

static int sx_bsearch(const char *w, const char *const *list, size_t n) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(w, list[mid]);
    if (!c) return 1;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}

int sx_self_check(void) {
  size_t n = sizeof sx_known_attrs / sizeof sx_known_attrs[0];
  for (size_t i = 1; i < n; i++)
    if (strcmp(sx_known_attrs[i - 1], sx_known_attrs[i]) >= 0) return -1;
  return 0;
}

/* Strips `__` around a GNU attribute name and the `_` of `_Noreturn`. */
static void sx_normalize(char *w) {
  size_t n = strlen(w);
  if (n > 4 && w[0] == '_' && w[1] == '_' && w[n - 1] == '_' && w[n - 2] == '_') {
    memmove(w, w + 2, n - 4);
    w[n - 4] = '\0';
  } else if (n > 2 && w[0] == '_' && w[1] == '_') {
    memmove(w, w + 2, n - 1);
  } else if (n > 1 && w[0] == '_' && w[1] >= 'A' && w[1] <= 'Z') {
    memmove(w, w + 1, n);
  }
}

sx_attr sx_attribute(CXCursor c, char *word, size_t n) {
  size_t len;
  const char *t = sx_text(c, &len);
  word[0] = '\0';
  if (!t) return SX_A_KNOWN; /* implicit (no source): added by the compiler */
  size_t k = sx_take(t, len, word, n);
  if (k && k + 2 < len && t[k] == ':' && t[k + 1] == ':') sx_take(t + k + 2, len - k - 2, word, n); /* gnu::weak */
  sx_normalize(word);
  if (!strcmp(word, "cleanup")) return SX_A_CLEANUP;
  if (!strcmp(word, "weak") || !strcmp(word, "weak_import")) return SX_A_WEAK;
  if (!strcmp(word, "noreturn") || !strcmp(word, "Noreturn")) return SX_A_NORETURN;
  return sx_bsearch(word, sx_known_attrs, sizeof sx_known_attrs / sizeof sx_known_attrs[0]) ? SX_A_KNOWN : SX_A_UNKNOWN;
}

/* ---- names of constructs not understood ----------------------------------- */
static void sx_pragma_text(CXCursor c, char *buf, size_t n) {
  size_t len;
  const char *t = sx_text(c, &len);
  size_t k = 0;
  if (t && len && t[0] == '#') {
    while (k < len && k < 64 && t[k] != '\n') k++;
    while (k && (t[k - 1] == ' ' || t[k - 1] == '\t' || t[k - 1] == '\\')) k--;
  }
  if (k) {
    snprintf(buf, n, "OpenMP directive '%.*s'", (int)k, t);
  } else {
    CXString s = clang_getCursorKindSpelling(clang_getCursorKind(c));
    snprintf(buf, n, "OpenMP directive (%s)", clang_getCString(s));
    clang_disposeString(s);
  }
}

void sx_name(CXCursor c, char *buf, size_t n) {
  enum CXCursorKind k = clang_getCursorKind(c);
  CXString s = clang_getCursorKindSpelling(k);
  const char *ks = clang_getCString(s);
  if (!ks) ks = "?";
  if (!strncmp(ks, "OMP", 3)) sx_pragma_text(c, buf, n);
  else if (!strncmp(ks, "OpenACC", 7)) snprintf(buf, n, "OpenACC construct (%s)", ks);
  else if (k == CXCursor_MSAsmStmt) snprintf(buf, n, "Microsoft-style inline assembly (__asm { })");
  else if (k == CXCursor_BlockExpr) snprintf(buf, n, "block literal (^{ ... })");
  else if (!strncmp(ks, "SEH", 3)) snprintf(buf, n, "structured exception handling (%s)", ks);
  else if (!strncmp(ks, "ObjC", 4)) snprintf(buf, n, "Objective-C construct (%s)", ks);
  else if (!strncmp(ks, "CXX", 3)) snprintf(buf, n, "C++ construct (%s)", ks);
  else if (k == CXCursor_UnexposedStmt) snprintf(buf, n, "statement of a kind libclang does not expose");
  else if (clang_isAttribute(k)) snprintf(buf, n, "attribute (%s)", ks);
  else snprintf(buf, n, "construct '%s'", ks);
  clang_disposeString(s);
}

/* ---- _Generic ---------------------------------------------------------------- */
/* Skips a balanced run of source up to a top-level character of stops
 * (string and character literals, comments and line continuations skipped
 * too); returns its position, or len when none. */
static size_t sx_skip(const char *t, size_t i, size_t len, const char *stops) {
  int depth = 0;
  while (i < len) {
    char c = t[i];
    if (depth == 0 && strchr(stops, c)) return i;
    if (c == '"' || c == '\'') {
      for (i++; i < len && t[i] != c; i++)
        if (t[i] == '\\') i++;
    } else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
      for (i += 2; i + 1 < len && !(t[i] == '*' && t[i + 1] == '/'); i++) {}
      i++;
    } else if (c == '/' && i + 1 < len && t[i + 1] == '/') {
      while (i + 1 < len && t[i + 1] != '\n') i++;
    } else if (c == '(' || c == '[' || c == '{') {
      depth++;
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return len;
    }
    i++;
  }
  return len;
}

/* The builtin type named by the keywords in t[0..n) (e.g. "unsigned long
 * int"), CXType_Invalid when it is anything else; *is_default for
 * `default`.  Plain char is Char_S: callers match it against Char_U too. */
static enum CXTypeKind sx_type_named(const char *t, size_t n, int *is_default) {
  int u = 0, s = 0, longs = 0, shrt = 0, chr = 0, in = 0, flt = 0, dbl = 0, bl = 0, words = 0;
  *is_default = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\\' || t[i] == '\r')) i++;
    size_t k = i;
    while (k < n && sx_ident_char(t[k])) k++;
    if (k == i) {
      if (i < n) return CXType_Invalid; /* `*`, `(`, ...: not a plain keyword type */
      break;
    }
    char w[16];
    size_t len = k - i < sizeof w - 1 ? k - i : sizeof w - 1;
    memcpy(w, t + i, len);
    w[len] = '\0';
    i = k;
    words++;
    if (!strcmp(w, "default")) *is_default = 1;
    else if (!strcmp(w, "unsigned")) u++;
    else if (!strcmp(w, "signed")) s++;
    else if (!strcmp(w, "long")) longs++;
    else if (!strcmp(w, "short")) shrt++;
    else if (!strcmp(w, "char")) chr++;
    else if (!strcmp(w, "int")) in++;
    else if (!strcmp(w, "float")) flt++;
    else if (!strcmp(w, "double")) dbl++;
    else if (!strcmp(w, "_Bool") || !strcmp(w, "bool")) bl++;
    else return CXType_Invalid; /* a qualifier (never selected: the controlling type is unqualified), a typedef, ... */
  }
  if (*is_default) {
    if (words != 1) *is_default = 0; /* "default" with other words: not a plain association */
    return CXType_Invalid;
  }
  if (u && s) return CXType_Invalid;
  if (bl) return bl == 1 && words == bl ? CXType_Bool : CXType_Invalid;
  if (flt) return flt == 1 && words == 1 ? CXType_Float : CXType_Invalid;
  if (dbl)
    return dbl == 1 && !u && !s && !shrt && !chr && !in && longs <= 1 ? (longs ? CXType_LongDouble : CXType_Double)
                                                                      : CXType_Invalid;
  if (chr)
    return chr == 1 && !longs && !shrt && !in ? (u ? CXType_UChar : s ? CXType_SChar : CXType_Char_S) : CXType_Invalid;
  if (in > 1 || (shrt && longs) || shrt > 1 || longs > 2) return CXType_Invalid;
  if (shrt) return u ? CXType_UShort : CXType_Short;
  if (longs == 2) return u ? CXType_ULongLong : CXType_LongLong;
  if (longs == 1) return u ? CXType_ULong : CXType_Long;
  if (in || u || s) return u ? CXType_UInt : CXType_Int;
  return CXType_Invalid;
}

int sx_generic_pick(CXCursor g, CXCursor control, int n_assoc) {
  size_t len;
  const char *t = sx_text(g, &len);
  if (!t || len < 9 || strncmp(t, "_Generic", 8) || sx_ident_char(t[8])) return -1;
  size_t i = 8;
  while (i < len && t[i] != '(' && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n')) i++;
  if (i >= len || t[i] != '(') return -1;
  i = sx_skip(t, i + 1, len, ","); /* the controlling expression */
  enum CXTypeKind want = clang_getCanonicalType(clang_getCursorType(control)).kind;
  if (want < CXType_Bool || want > CXType_LongDouble) return -1;
  int pick = -1, dflt = -1, k = 0;
  while (i < len && t[i] == ',') {
    size_t colon = sx_skip(t, i + 1, len, ":,)");
    if (colon >= len || t[colon] != ':') return -1;
    int is_default;
    enum CXTypeKind kind = sx_type_named(t + i + 1, colon - i - 1, &is_default);
    if (kind == CXType_Invalid && !is_default) return -1;
    if (is_default && dflt < 0) dflt = k;
    int same = kind == want || (kind == CXType_Char_S && want == CXType_Char_U);
    if (same && pick < 0) pick = k;
    k++;
    i = sx_skip(t, colon + 1, len, ",)");
  }
  if (i >= len || t[i] != ')' || k != n_assoc) return -1;
  return pick >= 0 ? pick : dflt;
}

/* ---- constants and types --------------------------------------------------- */
int sx_eval_int(CXCursor e, long long *v) {
  if (!clang_isExpression(clang_getCursorKind(e))) return 0;
  CXEvalResult r = clang_Cursor_Evaluate(e);
  if (!r) return 0;
  int ok = clang_EvalResult_getKind(r) == CXEval_Int;
  if (ok)
    *v = clang_EvalResult_isUnsignedInt(r) ? (long long)clang_EvalResult_getAsUnsigned(r)
                                           : clang_EvalResult_getAsLongLong(r);
  clang_EvalResult_dispose(r);
  return ok;
}

int sx_type_vm(CXType t) {
  for (int i = 0; i < 16; i++) {
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray) return 1;
    if (t.kind == CXType_Pointer) t = clang_getPointeeType(t);
    else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) t = clang_getArrayElementType(t);
    else return 0;
  }
  return 1;
}
