/* SPDX-License-Identifier: MIT */
/*
 * flow.h - the flow facts of function bodies and their stage-3 analysis
 * (prefix fl_).
 *
 * A small IR independent of libclang: per function a CFG of basic blocks,
 * each a sequence of events over numbered locals and thread-local objects
 * (docs/stage3.md §3).  The front end fills an fl_unit per TU
 * (frontend_flow.c); the fact blob stores it; the whole-program stage
 * (migrate.c) analyses each function with fl_analyze, given the summaries
 * of its callees, and gets back the function's own summary and findings.
 *
 * Invariants of a well-formed unit (fl_check verifies them; the decoder
 * calls it): block 0 is the entry, block 1 the exit (no events, no
 * successors); every index (block, event, value, operand, local, object,
 * string) is in range; parameters are locals 0..nparams-1.
 *
 * The analysis is a forward monotone framework over a finite lattice of
 * bitsets (docs/stage3.md §4); it terminates because every block's entry
 * state only grows.  Nothing here aborts: -1 means out of memory.
 */
#ifndef FNPROP_FLOW_H
#define FNPROP_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FL_NONE UINT32_MAX

/* ---- the IR ---------------------------------------------------------------- */
/* An operand: a local, or an object (by address or by value). */
#define FL_OBJ    0x80000000u   /* operand is an object of the unit */
#define FL_ADDR   0x40000000u  /* object operand: its address (else its value) */
#define FL_IDX(o) ((o) & 0x3fffffffu)

typedef struct fl_loc {
  uint32_t file;          /* string index ("" = 0) */
  uint32_t line, col;
} fl_loc;

typedef enum fl_op {
  FL_ASSIGN = 1,          /* dst := v0 */
  FL_MERGE,               /* dst |= v0 (member or element of a local aggregate) */
  FL_USE,                 /* v0 is read */
  FL_LOAD,                /* dst := *v0 (reads the content v0 points to); dst -1: the value
              goes to untracked memory (it escapes) */
  FL_STORE,               /* *v0 := v1 (writes the content v0 points to; v1 escapes) */
  FL_ESCAPE,              /* v0 is stored to untracked memory */
  FL_OPAQUE,              /* v0 escapes; the content it points to is read and written */
  FL_READ,                /* the content of object aux is read */
  FL_WRITE,               /* the content of object aux is written (FL_STRONG: all of it); v0, if any, escapes */
  FL_CALL,                /* call aux (a TU function index, FL_NONE: indirect) with arguments v0..; result
              dst (FL_TO_MEMORY: the result goes to untracked memory) */
  FL_RET,                 /* returns v0 (no value: `return;`) */
  FL_NOPS
} fl_op;

/* Event flags. */
enum {
  FL_STRONG = 1,          /* FL_WRITE: the whole object (kills its content); FL_STORE:
                    the whole target, which kills it when the pointer
                    must point to one object (`*__errno_location() = 0`) */
  FL_TO_MEMORY = 2,       /* FL_CALL: the result is stored to untracked memory */
};

/* Value flags (call arguments). */
enum {
  FL_ARG_PTR = 1,         /* the argument is a pointer */
  FL_ARG_CONST = 2,       /* ... to const */
};

typedef struct fl_val {
  uint32_t first, n;      /* operands [first, first + n) */
  uint8_t flags;          /* FL_ARG_* */
} fl_val;

typedef struct fl_event {
  uint8_t op, flags;
  int32_t dst;            /* local, -1 for none */
  uint32_t aux;           /* object (READ/WRITE) or callee (CALL) */
  uint32_t val, nval;     /* values [val, val + nval) */
  fl_loc loc;
} fl_event;

typedef struct fl_block {
  uint32_t ev, nev;       /* events [ev, ev + nev) */
  uint32_t succ, nsucc;   /* successors [succ, succ + nsucc) of the unit's succ array */
} fl_block;

typedef struct fl_func {
  uint32_t func;          /* index of the function in its TU's facts */
  uint8_t understood;     /* 0: the builder met something it does not handle */
  uint32_t why;           /* string: what was not understood ("" when understood) */
  fl_loc why_loc;
  uint32_t nparams, nlocals;
  uint32_t names;         /* local names: strings [names, names + nlocals) of the unit's names */
  uint32_t blk, nblk;     /* blocks [blk, blk + nblk); entry blk, exit blk + 1 */
} fl_func;

typedef struct fl_object {
  uint32_t key;           /* string: identity across TUs ("v:usr\x1fpath", ...) */
  uint32_t name;          /* string: what a user reads ("tv") */
} fl_object;

typedef struct fl_unit {
  struct {
    const char **v;
    size_t n, cap;
  } strs;   /* [0] = "" */
  struct {
    fl_object *v;
    size_t n, cap;
  } objs;
  struct {
    fl_func *v;
    size_t n, cap;
  } funcs;
  struct {
    fl_block *v;
    size_t n, cap;
  } blocks;
  struct {
    uint32_t *v;
    size_t n, cap;
  } succs;
  struct {
    fl_event *v;
    size_t n, cap;
  } events;
  struct {
    fl_val *v;
    size_t n, cap;
  } vals;
  struct {
    uint32_t *v;
    size_t n, cap;
  } opnds;
  struct {
    uint32_t *v;
    size_t n, cap;
  } names;     /* string indices */
  ut_map str_index, obj_index;
  ut_arena arena;
  int failed;             /* sticky allocation failure */
} fl_unit;

fl_unit *fl_unit_create(void);
void fl_unit_destroy(fl_unit *u);
/* Interns s (NULL as ""); 0 when out of memory (u->failed is set). */
uint32_t fl_str(fl_unit *u, const char *s);
/* Interns the object with this key; the name is kept from the first call. */
uint32_t fl_object_intern(fl_unit *u, const char *key, const char *name);
/* Appends a copy of function fi of src (with its objects and strings) to
 * dst; returns its index in dst, FL_NONE on failure. */
uint32_t fl_copy_func(fl_unit *dst, const fl_unit *src, uint32_t fi);
/* Removes the functions of u before index `below` that belong to TU
 * function func (their blocks stay, unreferenced): the front end replaces
 * the flow of a function it built again from a second parse. */
void fl_drop_funcs(fl_unit *u, uint32_t func, size_t below);
/* 0 when u is well formed (see the header comment), else -1. */
int fl_check(const fl_unit *u);

/* A text form of function fi for tests and debugging: one line per block
 * (`bN -> bM ...`), one per event (`LINE:COL op dst := [operands]`), locals
 * by name (`%N` for unnamed temporaries), objects as `&name` or `*name`. */
void fl_dump(const fl_unit *u, uint32_t fi, ut_buf *out);

/* ---- building one function -------------------------------------------------- */
/* Events may be emitted into blocks in any order; fl_end lays them out. */
typedef struct fl_build {
  fl_unit *u;
  uint32_t func;
  uint32_t nparams;
  struct {
    uint32_t *v;
    size_t n, cap;
  } names;
  struct {
    uint32_t *v;
    size_t n, cap;
  } evblk;     /* block of each pending event */
  struct {
    fl_event *v;
    size_t n, cap;
  } ev;
  struct {
    uint64_t *v;
    size_t n, cap;
  } edges;     /* from << 32 | to */
  uint32_t nblk;
  uint32_t why;
  fl_loc why_loc;
  int failed;
} fl_build;

typedef struct fl_vspec {
  const uint32_t *op;
  uint32_t n;
  uint8_t flags;
} fl_vspec;

/* Starts function `func` with nparams parameters (locals 0..nparams-1,
 * named later or ""), an entry block 0 and an exit block 1. */
void fl_begin(fl_build *b, fl_unit *u, uint32_t func, uint32_t nparams);
/* A new local; returns its number. */
uint32_t fl_local(fl_build *b, const char *name);
void fl_name_param(fl_build *b, uint32_t i, const char *name);
uint32_t fl_new_block(fl_build *b);
void fl_edge(fl_build *b, uint32_t from, uint32_t to);
void fl_emit(fl_build *b, uint32_t block, fl_op op, uint8_t flags, int32_t dst, uint32_t aux, const fl_vspec *vals,
             uint32_t nval, fl_loc loc);
/* Marks the function not understood (the first reason wins). */
void fl_give_up(fl_build *b, const char *why, fl_loc loc);
/* Lays the function out in the unit.  Returns its index, FL_NONE when out
 * of memory.  Frees the builder's scratch either way. */
uint32_t fl_end(fl_build *b);

/* ---- summaries ------------------------------------------------------------ */
/* Per-origin summary bits (docs/stage3.md §4). */
enum {
  FL_S_RET = 1 << 0,
  FL_S_ESC = 1 << 1,
  FL_S_LIVE = 1 << 2,
  FL_S_RD = 1 << 3,
  FL_S_WR = 1 << 4,
  FL_S_KILL = 1 << 5,
  FL_S_XIN = 1 << 6,
  FL_S_XOUT = 1 << 7,
  FL_S_XC = 1 << 8,
  FL_S_ALL = (1 << 9) - 1,
};

enum { FL_SUSP_NO = 0, FL_SUSP_MAYBE = 1, FL_SUSP_YES = 2 };

typedef struct fl_omask {
  uint32_t obj;           /* global object */
  uint16_t mask;
} fl_omask;

/* What a call does, seen from its caller.  Owned by whoever filled it
 * (fl_sum_free). */
typedef struct fl_sum {
  uint32_t ret_must;      /* 1 + the global object the result always points to; 0: not known */
  uint8_t susp;           /* FL_SUSP_* */
  uint8_t opaque;         /* nothing known: every argument escapes */
  uint8_t maybe;          /* depends on an uncertain suspension somewhere */
  uint32_t nparams;
  uint16_t *param;        /* nparams masks */
  uint32_t nobj;
  fl_omask *obj;          /* sorted by obj, no zero masks */
} fl_sum;

void fl_sum_free(fl_sum *s);
/* The mask of global object o in s (0 when absent). */
uint16_t fl_sum_obj(const fl_sum *s, uint32_t o);
/* s |= t, joining may-bits by union and FL_S_KILL by intersection (a kill
 * only survives when every candidate kills; ret_must when both agree).
 * Returns 0 or -1. */
int fl_sum_join(fl_sum *s, const fl_sum *t);
/* Sets the mask of object o (mask 0 removes it).  0 or -1. */
int fl_sum_set_obj(fl_sum *s, uint32_t o, uint16_t mask);
/* Deep copy; 0 or -1. */
int fl_sum_copy(fl_sum *dst, const fl_sum *src);
/* 1 when equal. */
int fl_sum_equal(const fl_sum *a, const fl_sum *b);

/* ---- the analysis -------------------------------------------------------- */
typedef struct fl_env {
  uint32_t nobj;          /* global objects */
  const uint32_t *objmap; /* unit object -> global object */
  uint32_t errno_obj;     /* global object of errno (content loads are plain data), FL_NONE */
  /* The summary of the call at unit event `event`; NULL: a call with no
   * effect at all.  Borrowed for the duration of fl_analyze. */
  const fl_sum *(*callee)(void *arg, uint32_t event);
  void *arg;
  int maybe_suspends;     /* treat FL_SUSP_MAYBE as a suspension */
  int witness;            /* reconstruct the witness of the first finding */
  size_t budget;          /* max 64-bit words of state; 0: the default */
} fl_env;

typedef enum fl_find_kind {
  FL_FIND_VALUE = 1,      /* a thread-local-derived value used after a suspension */
  FL_FIND_CONTENT,        /* thread-local content written before a suspension, read after */
  FL_FIND_ESCAPE,         /* an escaped thread-local-derived value when suspending */
  FL_FIND_CALL_VALUE,     /* such a value passed to a callee that keeps it across its suspension */
  FL_FIND_CALL_CONTENT,   /* content written here is read by a callee after its suspension, or
                           written by the callee before it and read here */
} fl_find_kind;

typedef struct fl_finding {
  uint8_t kind;           /* fl_find_kind */
  uint32_t origin;        /* global object */
  uint32_t event;         /* unit event where it is detected (use, read, suspension, call) */
  int32_t local;          /* FL_FIND_VALUE: the local used; -1 otherwise */
  int32_t arg;            /* FL_FIND_CALL_*: the argument (0-based), -1 otherwise */
  /* witness (env->witness, first finding only): unit events, FL_NONE when
   * not reconstructed */
  uint32_t access;        /* where the thread-local value, address or write came from */
  uint32_t susp;          /* the suspension it is live across */
  uint32_t use;           /* where it is used after (or escapes) */
} fl_finding;

enum { FL_OK = 0, FL_NOT_UNDERSTOOD = 1, FL_TOO_LARGE = 2 };

typedef struct fl_result {
  int status;             /* FL_OK, FL_NOT_UNDERSTOOD, FL_TOO_LARGE */
  fl_sum sum;             /* the function's summary (valid when status == FL_OK) */
  struct {
    fl_finding *v;
    size_t n, cap;
  } finds; /* sorted by event, kind, origin */
  uint8_t crossed_maybe;  /* an uncertain suspension was treated as one */
} fl_result;

/* Analyses function fi of u.  res is overwritten (fl_result_free first
 * when reusing).  Returns 0, or -1 when out of memory. */
int fl_analyze(const fl_unit *u, uint32_t fi, const fl_env *env, fl_result *res);
void fl_result_free(fl_result *res);

#endif /* FNPROP_FLOW_H */
