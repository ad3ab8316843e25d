/* SPDX-License-Identifier: MIT */
/*
 * model.h - what fnprop knows about functions it cannot see (prefix md_).
 *
 * The built-in model is design.md §2's lists, and it is complete for both
 * properties: `abort` is a panic effect and touches no thread-local state,
 * `pthread_getspecific` is a tls effect and cannot abort.  A model applies
 * only to functions without a body in the program; a body always wins.
 * Every bodiless function that no model names is `unknown` for both.
 */
#ifndef FNPROP_MODEL_H
#define FNPROP_MODEL_H

#include "effects.h"

typedef struct md_entry {
  const char *name;
  fx_kind effect[VD_NPROPS];  /* FX_NONE: clean for that property */
} md_entry;

/* The model entry for a bodiless function named `name`, or NULL. */
const md_entry *md_lookup(const char *name);

#endif /* FNPROP_MODEL_H */
