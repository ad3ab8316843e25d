/* SPDX-License-Identifier: MIT */
/*
 * syntax.h - what the front end understands of C syntax (prefix sx_).
 *
 * The body walk is closed-world: every cursor kind it meets is looked up in
 * one table (sx_kind_role) of kinds whose meaning the front end knows —
 * statements, expressions, references, declarations and attributes that
 * can appear in function bodies and file-scope initializers.  A kind that
 * is not in the table, an unexposed expression or statement whose meaning
 * this module cannot identify, or an attribute it does not know, is
 * "unseen": the front end records an FX_UNSEEN reason on the enclosing
 * function, so nothing is proven through code fnprop did not understand.
 *
 * libclang exposes many expression classes only as CXCursor_UnexposedExpr;
 * they are told apart here by shape (an implicit conversion has one child
 * with the same source range) and by the first word at their spelling
 * location (`__builtin_va_arg`, `__builtin_choose_expr`, `__atomic_...`).
 * Spelling locations inside macros need libclang >= 19: with an older one
 * a construct written through a macro reads as the macro's name and is
 * unseen (sound, less precise).
 *
 * Part of the front end: libclang types appear only here, in frontend.c and
 * in compdb.c.
 */
#ifndef FNPROP_SYNTAX_H
#define FNPROP_SYNTAX_H

#include <clang-c/Index.h>
#include <stddef.h>

/* What the walk does with a cursor kind. */
typedef enum sx_role {
  SX_UNSEEN = 0, /* not understood: an unseen-code reason, children still walked */
  SX_WALK,       /* understood, nothing of its own: walk the children */
  SX_SKIP,       /* understood, nothing below is evaluated (types, constants) */
  SX_HANDLE,     /* understood with a handler in frontend.c */
} sx_role;

sx_role sx_kind_role(enum CXCursorKind k);

/* Does the stage-3 flow builder follow kind k?  Only kinds the walk
 * understands (sx_kind_role not SX_UNSEEN), minus the ones the table marks
 * as beyond the flow, whose reason goes to *why (NULL for a kind the walk
 * does not understand: its name is sx_name's, as for the walk). */
int sx_flow_kind(enum CXCursorKind k, const char **why);
/* One past the largest kind the table can hold (for tests that iterate it). */
unsigned sx_nkinds(void);

/* What an unexposed expression is. */
typedef enum sx_expr {
  SX_E_UNKNOWN = 0, /* not identified */
  SX_E_WRAPPER,     /* implicit conversion or another same-range wrapper */
  SX_E_VALUE,       /* evaluates no operand: __func__, __builtin_LINE(),
                 type traits, implicit value initialization */
  SX_E_WALK,        /* evaluates its children: va_arg, offsetof, atomic
                builtins, designated initializers, `a ?: b`, vector
                builtins */
  SX_E_CHOOSE,      /* __builtin_choose_expr: only the selected operand */
} sx_expr;

/* Identifies an unexposed expression c; on SX_E_UNKNOWN writes a word
 * naming it into what. */
sx_expr sx_unexposed_expr(CXCursor c, char *what, size_t n);
/* Is the unexposed statement c an attributed statement (`[[...]]`,
 * `__attribute__((...))` or `#pragma clang loop` before a statement)? */
int sx_attributed_stmt(CXCursor c);

/* What an attribute is. */
typedef enum sx_attr {
  SX_A_UNKNOWN = 0, /* not known: unseen */
  SX_A_KNOWN,       /* declarative (no code of its own) */
  SX_A_CLEANUP,     /* cleanup(f): calls f at the end of the variable's scope */
  SX_A_WEAK,        /* weak */
  SX_A_NORETURN,    /* noreturn, _Noreturn */
} sx_attr;

/* Classifies attribute cursor c; its normalized name (no `__` around it,
 * no `gnu::` scope) goes into word. */
sx_attr sx_attribute(CXCursor c, char *word, size_t n);

/* 0 when the attribute table is sorted (bsearch needs it), -1 if not. */
int sx_self_check(void);

/* The word (identifier, or one punctuation character) at the spelling
 * location of c's start, "" when none can be read. */
void sx_word(CXCursor c, char *word, size_t n);
/* The source text from the spelling location of c's start to the end of
 * that file's buffer; NULL when it cannot be read (scratch space, no file). */
const char *sx_text(CXCursor c, size_t *len);

/* A readable name for a construct that is not understood ("OpenMP
 * directive '#pragma omp parallel'", "block literal", ...). */
void sx_name(CXCursor c, char *buf, size_t n);

/* The association a _Generic selects (0-based, among its n_assoc
 * associations), read from its source when every association names a
 * builtin arithmetic type or is `default` and the controlling expression
 * has such a type; -1 when that cannot be told from the text. */
int sx_generic_pick(CXCursor g, CXCursor control, int n_assoc);

/* Integer value of a constant expression (clang's constant folding):
 * 1 and *v when e folds to an integer, 0 otherwise. */
int sx_eval_int(CXCursor e, long long *v);
/* Is t a variably modified type (a variable-length array, or a pointer
 * to or array of one)? */
int sx_type_vm(CXType t);

#endif /* FNPROP_SYNTAX_H */
