/* SPDX-License-Identifier: MIT */
/*
 * graph.h - the whole-program call graph (prefix gr_).
 *
 * Built by folding the facts of every TU (fresh or cached) into one graph
 * keyed by function identity (USR, plus the defining file's real path for
 * internal linkage).  Variants join: a function seen in several TUs, or a
 * file compiled twice with different flags, or an external name defined by
 * several programs of one database, is one node carrying the union of all
 * its bodies' effects and calls — never one definition picked silently.
 *
 * gr_finish sorts nodes by identity and edges by (caller, site, callee), so
 * the graph (and everything computed from it) is independent of TU order,
 * and derives each node's base verdicts: its own direct effects, its
 * unresolved calls, or for a bodiless function the model.
 */
#ifndef FNPROP_GRAPH_H
#define FNPROP_GRAPH_H

#include "facts.h"
#include "model.h"
#include "solver.h"
#include "vocab.h"

typedef struct gr_reason {
  uint8_t kind;          /* fx_kind; FX_NONE when the base is proven */
  const char *detail;    /* variable, callee or type name */
  ft_loc site;           /* where it happens */
  ft_loc decl;           /* where the entity is declared, if known */
} gr_reason;

typedef struct gr_node {
  const char *key;       /* usr "\x1f" path_key (path_key ends in "\x1ePROGRAM" when
                      the database builds several programs) */
  const char *usr, *path_key, *name;
  ft_loc loc;
  uint8_t external, has_body, noreturn, weak, incomplete, system;
  uint8_t interposable;  /* default-visibility definition in a PIC TU */
  uint8_t visible_def, hidden_def; /* an external definition with default / hidden visibility */
  uint8_t hidden;        /* no API: 1 hidden visibility, 2 named by internal-functions */
  uint8_t unknown_else;  /* bit p: an unknown reason other than interposition offered */
  uint8_t task;          /* a task entry: FNPROP_TASK, or passed as the
                   entry argument of an FNPROP_SPAWN(n) function */
  uint8_t omp;           /* FT_OMP_*: an OpenMP task region (facts.h) */
  uint8_t transparent;   /* trusted by the configuration to keep no
                          thread-local state a task can observe */
  const char *fntype;
  const char *fnkey;     /* compatibility key of its type (facts.h) */
  ft_loc hdecl;          /* first declaration in a project header, file "" if none */
  uint32_t hdecl_end;    /* offset where its declarator ends */
  gr_reason ignored;     /* a migration-safe thread-local use not counted */
  gr_reason unseen;      /* the first construct the front end did not
                       understand (FX_UNSEEN), FX_NONE if none */
  uint32_t nunseen;      /* how many such constructs (the most any one
                       variant of the body has) */
  uint8_t origin_kind[VD_NPROPS]; /* bodiless: vc_origin of the base (annotation,
                            built-in list, model entry) */
  const char *origin[VD_NPROPS]; /* VC_ORIGIN_MODEL: the entry's "file:line" */
  uint32_t annots;
  int32_t spawn_param;
  gr_reason base[VD_NPROPS];
} gr_node;

#define GR_NONE UINT32_MAX

/* Edge mask bit beyond the properties' own (1 << prop), cleared by
 * gr_finish: the call returns when its callee has no body (error() with a
 * constant 0 status), so it does not carry the callee's panic. */
#define GR_MASK_RETURNS (1u << VD_NPROPS)

/* How an edge calls its callee. */
typedef struct gr_via {
  uint8_t kind;          /* vc_edge (vocab.h) */
  uint32_t through;      /* the modeled function for CALLBACK/SPAWN, else GR_NONE */
  uint8_t param;         /* 1: a callback whose value is a callback parameter
                    of the caller (see gr_solve): it counts for the
                    caller's own verdict, not for its callers, which
                    get edges to what they pass themselves */
} gr_via;

/* An indirect call, or a function-pointer argument a callee may call. */
typedef struct gr_icall {
  uint32_t caller;
  ft_loc site;
  const char *fntype, *slot;
  uint8_t slot_kind, ext_origin;
  uint32_t contract;
  uint32_t via_callee;   /* GR_NONE, or the callee whose argument it is */
  int32_t via_arg;
  const char *fnkey;     /* compatibility key of fntype */
  uint32_t via_icall;    /* GR_NONE, or the indirect call whose argument it is */
  int32_t slot_arg;      /* FT_SLOT_PARAM: 1-based parameter index */
} gr_icall;

/* A use of a function's address and where the address goes. */
typedef struct gr_addr {
  uint32_t func;
  uint32_t in_func;      /* GR_NONE at file scope */
  ft_loc site;
  const char *cast_type, *dest;
  uint8_t dest_kind;
  uint32_t contract;
  uint32_t callee;       /* FT_SLOT_ARG: the called function */
  int32_t arg;
  const char *cast_key;  /* keys of the types it is converted to ('\n'-separated) */
  uint32_t icall;        /* FT_SLOT_ARG of an indirect call: its index, else GR_NONE */
} gr_addr;

/* A flow of facts.h (ft_flow) with its function mapped to a node. */
typedef struct gr_flow {
  uint8_t kind, cond, bits;
  const char *key, *src;
  uint32_t func;         /* node, or GR_NONE */
  int32_t arg;
  ft_loc site;
} gr_flow;

/* How an indirect call was resolved (for statistics and explain). */
typedef struct gr_resolution {
  uint32_t icall;        /* index into icalls */
  uint8_t mode;          /* vc_res (vocab.h) */
  uint8_t trusted;       /* bit p: property p trusted by a contract */
  uint32_t candidates;
} gr_resolution;

/* Analysis options that change verdicts (filled from cf_config). */
typedef struct gr_opts {
  const md_model *model;        /* NULL: the built-in lists only */
  int errno_ignore;
  int externals_clean;
  int open_world;
  int indirect;                 /* vc_indirect */
  int trust_weak;
  int trust_interposable;
  char *const *panic_functions;
  size_t npanic;
  char *const *internal;        /* internal-functions globs */
  size_t ninternal;
  char *const *transparent;     /* trusted for tls (cf_config.transparent):
                               name globs, folders ending in '/' */
  size_t ntransparent;
} gr_opts;

typedef struct gr_graph {
  struct {
    gr_node *v;
    size_t n, cap;
  } nodes;
  struct {
    sv_edge *v;
    size_t n, cap;
  } edges;
  struct {
    ft_loc *v;
    size_t n, cap;
  } sites;   /* call site of each edge */
  struct {
    uint8_t *v;
    size_t n, cap;
  } masks;  /* properties each edge carries */
  struct {
    gr_via *v;
    size_t n, cap;
  } vias;    /* how each edge calls */
  struct {
    gr_icall *v;
    size_t n, cap;
  } icalls;
  struct {
    gr_addr *v;
    size_t n, cap;
  } addrs;
  struct {
    gr_resolution *v;
    size_t n, cap;
  } resolutions;
  struct {
    gr_flow *v;
    size_t n, cap;
  } flows;
  ut_map polluted;       /* field or record keys not tracked per field */
  ut_map dropped;        /* compiler flags some TU's parse left out */
  struct {
    const char **v;
    size_t n, cap;
  } dropped_flags; /* its keys, in order seen */
  uint32_t dropped_tus;  /* TUs that had flags left out */
  uint32_t unseen_funcs; /* functions with an unseen-code reason (gr_finish) */
  uint64_t unseen_constructs; /* and how many constructs they hold */
  const char *program;   /* the program being folded (gr_add_tu_program), NULL: one program */
  int program_repeat;    /* the TU was folded into an earlier program already */
  uint32_t nprograms;    /* how many programs the database builds (summary), 0: one */
  uint32_t program_unassigned; /* TUs no program named (folded into every one) */
  const char *program_source; /* where the programs came from, for the summary */
  uint32_t transparent_funcs; /* functions trusted transparent (gr_finish) */
  const char *transparent_list; /* the trusted patterns, ", "-separated ("" none) */
  int no_field_facts;    /* some TU could not record field stores */
  const char *incomplete; /* the first TU (by file) that did not parse
                            completely, NULL if none: stores may be unseen */
  ut_arena arena;
  ut_map index;          /* key -> node */
  int failed;            /* sticky allocation failure */
} gr_graph;

gr_graph *gr_create(void);
void gr_destroy(gr_graph *g);
/* Folds one TU's facts in; strings are copied.  Returns 0 or -1 (memory). */
int gr_add_tu(gr_graph *g, const ft_tu *tu);
/* The same for a TU linked into `program` (programs.h): its functions are
 * that program's, keyed by path_key "PATH_KEY\x1ePROGRAM", so same-named
 * functions of different programs stay apart and a call links within its
 * program.  A TU in several programs is folded once per program. */
int gr_add_tu_program(gr_graph *g, const ft_tu *tu, const char *program, int repeat);
/* Sorts, deduplicates, resolves indirect calls and callbacks, and computes
 * base verdicts.  opts NULL: defaults (built-in model, closed world,
 * field-sensitive).  Returns 0 or -1. */
int gr_finish(gr_graph *g, const gr_opts *opts);
/* Solves the finished graph into out (n results).  Edges that carry only
 * some properties (trusted contracts, spawned threads) are honoured by
 * solving each property over its own edges.  Callback-parameter edges
 * (gr_via.param) are left out of the solve, so a call of their function
 * carries only what it does itself; the function's own verdict then joins
 * their callees' (only where it was proven without them, so that every
 * witness chain that enters the function stays the one its callers
 * saw).  Returns 0 or -1 (memory). */
int gr_solve(const gr_graph *g, sv_result *out);
/* Base verdicts laid out as sv_solve wants them (n * VD_NPROPS bytes);
 * malloc'd, caller frees. */
uint8_t *gr_base_verdicts(const gr_graph *g);
/* The same with the graph's own base verdicts replaced by base. */
int gr_solve_base(const gr_graph *g, const uint8_t *base, sv_result *out);
/* The base verdicts --interposition=none would give: an unknown base whose
 * only unknown reason is an interposable definition becomes proven
 * (malloc'd, caller frees).  Solving them tells which verdicts are unknown
 * only because definitions may be interposed. */
uint8_t *gr_base_trusting_interposition(const gr_graph *g);
/* Node index of key "usr\x1fpath_key", -1 when absent, -2 out of memory. */
long gr_find(const gr_graph *g, const char *usr, const char *path_key);

#endif /* FNPROP_GRAPH_H */
