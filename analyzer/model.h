/* SPDX-License-Identifier: MIT */
/*
 * model.h - what fnprop knows about functions it cannot see (prefix md_).
 *
 * A model maps a function name to its tls and panic effects and to the
 * arguments it calls back.  It is assembled in layers, later layers
 * overriding earlier ones by name: the built-in lists of design.md §2
 * (complete for both properties: `abort` panics and touches no thread-local
 * state), the shipped library models (models/libc.model, then
 * models/openmp.model, compiled into the binary), then user model files in
 * the order given.  Annotations on
 * declarations override every file (the graph applies them).  A model
 * applies only to functions without a body in the program.
 *
 * The text format is documented in docs/models.md:
 *   NAME  TLS  PANIC  [OPTION...]
 * with TLS one of clean, transparent, errno, state, api, unknown, PANIC
 * one of clean, panic, unknown, and OPTION `key=N[,N...]` (argument
 * numbers) or a flag word: calls= spawns= defers= (callbacks), nostore=
 * copies= (what it writes through pointer arguments; 0 in nostore= is the
 * result), handler= entry= cookie= (arguments that join a pool of
 * functions run later by the pool's runners: raises, switches, stream),
 * task-entry= (arguments that are task entries of a spawn function, run
 * like spawns=; applies even when the function has a body), cancels,
 * cancelpoint, foreign, yield (a suspension point, stage 3).
 */
#ifndef FNPROP_MODEL_H
#define FNPROP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "effects.h"
#include "vocab.h"

/* Pools: functions a library keeps and runs later on the calling thread. */
enum {
  MD_POOL_SIGNAL = 0,  /* signal handlers (handler=N), run by `raises` */
  MD_POOL_CONTEXT = 1, /* makecontext entries (entry=N), run by `switches` */
  MD_POOL_STREAM = 2,  /* fopencookie functions (cookie=N), run by `stream` */
  MD_NPOOLS = 3
};

/* Flags (md_entry.flags). */
enum {
  MD_CANCELS = 1u << 0,     /* may cancel a thread (pthread_cancel) */
  MD_CANCELPOINT = 1u << 1, /* a cancellation point: ends the calling thread
                               when it was cancelled */
  MD_FOREIGN = 1u << 2,     /* returns a pointer into code outside the
                           program (dlsym) */
};

typedef struct md_entry {
  const char *name;
  fx_kind effect[VD_NPROPS];  /* FX_NONE: clean for that property */
  uint32_t calls;             /* bit n-1: argument n is called back here */
  uint32_t spawns;            /* bit n-1: argument n runs on another thread */
  uint32_t defers;            /* bit n-1: argument n runs later, elsewhere */
  uint32_t task_entry;        /* bit n-1: argument n is a task entry (the function
                          spawns a task: FNPROP_SPAWN(n) without editing
                          the header); its panics reach the caller */
  uint32_t nostore;           /* bit n: stores no pointer of its own through
                       argument n (bit 0: the result is fresh memory) */
  uint32_t copies;            /* bit n-1: argument n receives a copy of what
                      another pointer argument points to */
  uint32_t pool[MD_NPOOLS];   /* bit n-1: argument n (a function, or a record
                               of functions) joins the pool */
  uint8_t runs;               /* bit p: runs the functions of pool p */
  uint8_t flags;              /* MD_CANCELS, MD_CANCELPOINT, MD_FOREIGN */
  uint8_t transparent;        /* clean, but with hidden thread-local state */
  uint8_t yield;              /* a suspension point: the task may resume on another thread */
  uint8_t origin_kind;        /* vc_origin: VC_ORIGIN_BUILTIN or VC_ORIGIN_MODEL in a
                          model, VC_ORIGIN_NONE from md_lookup */
  const char *origin;         /* VC_ORIGIN_MODEL: "file:line" of the entry */
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
/* The shipped OpenMP model (models/openmp.model), loaded after it. */
extern const char md_openmp_text[];
extern const size_t md_openmp_text_size;

#endif /* FNPROP_MODEL_H */
