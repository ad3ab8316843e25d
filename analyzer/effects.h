/* SPDX-License-Identifier: MIT */
/*
 * effects.h - the kinds of evidence behind a verdict (prefix fx_).
 *
 * One enum, one table: every direct effect and every reason for `unknown`
 * has a kind here, with its stable name (stored in the database's
 * effect_kind table and printed by reports), the property it affects, the
 * verdict it forces and its wording (what explain, the exports, the diff
 * and the diagnostics say about it).  Other modules compare the enum, never
 * strings.  Adding a kind is one enumerator and one row.
 */
#ifndef FNPROP_EFFECTS_H
#define FNPROP_EFFECTS_H

#include <stddef.h>

#include "verdict.h"

typedef enum fx_kind {
  FX_NONE = 0,
  /* tls effects */
  FX_TLS_VAR,        /* reference to a thread-storage-duration variable */
  FX_ERRNO,          /* errno (__errno_location and friends) */
  FX_TLS_API,        /* pthread_getspecific, pthread_self, gettid, ... */
  FX_TLS_DECLARED,   /* FNPROP_TLS annotation or model entry */
  FX_TLS_STATE,      /* library keeps observable per-thread state (strerror) */
  /* panic effects */
  FX_PANIC_CALL,     /* abort, exit, __assert_fail, longjmp, ... */
  FX_NORETURN,       /* bodiless function declared noreturn */
  FX_PANIC_DECLARED, /* FNPROP_PANIC annotation, model or panic-function list */
  /* reasons for unknown (both properties) */
  FX_INDIRECT,       /* call through a pointer with unresolved targets */
  FX_EXTERNAL,       /* call to a function with no body and no model */
  FX_INCOMPLETE,     /* defined in a translation unit that did not parse */
  FX_MODEL_UNKNOWN,  /* a model says the effect is not known */
  FX_WEAK,           /* weak definition: the linked callee may be another */
  FX_INTERPOSABLE,   /* default-visibility definition in PIC code (LD_PRELOAD) */
  FX_UNSEEN,         /* the body holds code the front end does not understand */
  FX_NKINDS
} fx_kind;

/* Where the evidence of a kind lies, which decides how a witness words it. */
typedef enum fx_where {
  FX_IN_BODY = 0,       /* at a site of the function's body (a variable, a call through a pointer) */
  FX_IN_CALLEE = 1,     /* in a bodiless callee: calling it is the effect */
  FX_IN_DEFINITION = 2, /* a property of the function's definition itself */
} fx_where;

typedef struct fx_info {
  const char *name;     /* stable identifier, e.g. "tls-var" */
  int prop;             /* vd_prop, or -1 for both properties */
  vd_verdict verdict;
  fx_where where;
  const char *reason;   /* what the reason means, `%1` its detail (a variable,
                         callee, type or file): "uses thread-local variable
                         '%1'"; FX_IN_DEFINITION reasons are predicates
                         without a subject ("is defined weak, ...") */
  const char *does;     /* FX_IN_CALLEE: what calling such a callee does, as a
                       clause after its name ("which ends the program") */
  int decl_evidence;    /* the callee's declaration is the evidence (no body,
                        or an annotation): witnesses point at it */
  const char *executed; /* the reason when inline assembly in the body has
                           it (detail FX_ASM_DETAIL ...): "executes %1, which
                           ends the program"; NULL if no assembly can */
} fx_info;

/* How the front end's detail of an effect of inline assembly begins
 * ("inline assembly 'ud2'"): such effects are executed, not called. */
#define FX_ASM_DETAIL "inline assembly"

/* Table entry for k (FX_NONE for out-of-range values). */
const fx_info *fx_get(fx_kind k);
/* Does kind k bear on property p? */
int fx_affects(fx_kind k, vd_prop p);
/* Is the reason (k, detail) inline assembly the function executes? */
int fx_executed(fx_kind k, const char *detail);
/* The reason of kind k with detail `detail`, in words, into buf: "uses
 * thread-local variable 'x'", "'abort' ends the program or abandons its
 * caller". */
void fx_text(char *buf, size_t n, fx_kind k, const char *detail);

#endif /* FNPROP_EFFECTS_H */
