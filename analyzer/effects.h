/* SPDX-License-Identifier: MIT */
/*
 * effects.h - the kinds of evidence behind a verdict (prefix fx_).
 *
 * One enum, one table: every direct effect and every reason for `unknown`
 * has a kind here, with its stable name (stored in the database's
 * effect_kind table and printed by reports), the property it affects and
 * the verdict it forces.  Other modules compare the enum, never strings.
 */
#ifndef FNPROP_EFFECTS_H
#define FNPROP_EFFECTS_H

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

typedef struct fx_info {
  const char *name;  /* stable identifier, e.g. "tls-var" */
  int prop;          /* vd_prop, or -1 for both properties */
  vd_verdict verdict;
} fx_info;

/* Table entry for k (FX_NONE for out-of-range values). */
const fx_info *fx_get(fx_kind k);
/* Does kind k bear on property p? */
int fx_affects(fx_kind k, vd_prop p);

#endif /* FNPROP_EFFECTS_H */
