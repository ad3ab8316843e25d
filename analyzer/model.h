/* SPDX-License-Identifier: MIT */
/*
 * model.h - what fnprop knows about functions it cannot see (prefix md_).
 *
 * A model maps a function name to its tls and panic effects and to the
 * arguments it calls back.  It is assembled in layers, later layers
 * overriding earlier ones by name: the built-in lists of design.md §2
 * (complete for both properties: `abort` panics and touches no thread-local
 * state), the shipped library model (models/libc.model, compiled into the
 * binary), then user model files in the order given.  Annotations on
 * declarations override every file (the graph applies them).  A model
 * applies only to functions without a body in the program.
 *
 * The text format is documented in docs/models.md:
 *   NAME  TLS  PANIC  [calls=N,...] [spawns=N,...] [defers=N,...] [yield]
 * with TLS one of clean, transparent, errno, state, api, unknown and PANIC
 * one of clean, panic, unknown.
 */
#ifndef FNPROP_MODEL_H
#define FNPROP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "effects.h"

typedef struct md_entry {
  const char *name;
  fx_kind effect[VD_NPROPS];  /* FX_NONE: clean for that property */
  uint32_t calls;             /* bit n-1: argument n is called back here */
  uint32_t spawns;            /* bit n-1: argument n runs on another thread */
  uint32_t defers;            /* bit n-1: argument n runs later, elsewhere */
  uint8_t transparent;        /* clean, but with hidden thread-local state */
  uint8_t yield;              /* a suspension point: the task may resume on another thread */
  const char *origin;         /* "built-in" or "file:line" */
} md_entry;

/* The built-in entry for `name`, or NULL. */
const md_entry *md_lookup(const char *name);

typedef struct md_model md_model;

/* A model holding the built-in lists and, when `library` is set, the
 * shipped library model.  NULL when out of memory. */
md_model *md_create(int library);
void md_destroy(md_model *m);
/* Adds the entries of a model file (overriding same-named ones).  On error
 * returns -1 and writes "file:line:col: what is wrong" into err. */
int md_load_file(md_model *m, const char *path, char *err, size_t errlen);
/* Same for text already in memory; `origin` names it in messages. */
int md_load_text(md_model *m, const char *origin, const char *text, size_t len, char *err, size_t errlen);
/* The entry for `name`, or NULL. */
const md_entry *md_find(const md_model *m, const char *name);
/* Hash of every entry, for cache keys of results that depend on it. */
uint64_t md_hash(const md_model *m);

/* The shipped library model text (models/libc.model, embedded at build). */
extern const char md_library_text[];
extern const size_t md_library_text_size;

#endif /* FNPROP_MODEL_H */
