/* SPDX-License-Identifier: MIT */
/*
 * facts.h - the facts of one translation unit (prefix ft_).
 *
 * The front end fills one ft_tu per parsed TU; the properties database
 * stores it and the graph reads it back.  Facts are a pure function of the
 * TU's inputs (files, flags, tool version).  Everything is owned by the
 * ft_tu: strings live in its arena, released together by ft_tu_destroy, so
 * memory is bounded by the largest TU, not by the program.
 *
 * Function identity: external functions are keyed by their USR alone;
 * internal ones (static, header static inline) by USR plus the real path of
 * the file that defines (or, without a definition, first declares) them,
 * because libclang's USR of an internal entity only holds the basename.
 */
#ifndef FNPROP_FACTS_H
#define FNPROP_FACTS_H

#include <stdint.h>

#include "effects.h"
#include "flow.h"
#include "util.h"

/* Annotation bits read from `annotate("fnprop:...")` attributes. */
enum {
  FT_ANN_NOTLS = 1u << 0,
  FT_ANN_NOPANIC = 1u << 1,
  FT_ANN_TLS = 1u << 2,
  FT_ANN_PANIC = 1u << 3,
  FT_ANN_TASK = 1u << 4,
  FT_ANN_SPAWN = 1u << 5,
  FT_ANN_YIELD = 1u << 6,
  FT_ANN_MIGRATION_SAFE = 1u << 7,
};
/* Maps an annotation string ("fnprop:notls") to its bit, 0 if not ours;
 * for "fnprop:spawn:N" also stores N in *spawn_param. */
uint32_t ft_annotation_bit(const char *s, int *spawn_param);
/* The annotation's name as written after "fnprop:" ("notls", "task",
 * "spawn", ...), "?" for a value that is not one bit of ours. */
const char *ft_annotation_name(uint32_t bit);
/* The contract of property p: FT_ANN_NOTLS or FT_ANN_NOPANIC, and its
 * macro as users write it ("FNPROP_NOTLS", "FNPROP_NOPANIC"). */
uint32_t ft_contract_bit(vd_prop p);
const char *ft_contract_name(vd_prop p);

typedef struct ft_loc {
  const char *file; /* real path; "" when unknown */
  uint32_t line, col;
} ft_loc;

typedef struct ft_func {
  const char *usr;
  const char *path_key; /* "" for external linkage */
  const char *name;
  ft_loc loc;           /* definition if seen, else first declaration */
  uint8_t external;
  uint8_t has_body;
  uint8_t noreturn;
  uint8_t weak;
  uint8_t system;       /* defined (or declared) in a system header */
  uint8_t visible;      /* default visibility (interposable in PIC code) */
  const char *fntype;   /* canonical function type, e.g. "int (int)" */
  const char *fnkey;    /* compatibility key of that type (ft_key_*): C-compatible
                        types have equal keys, or one is unprototyped */
  ft_loc hdecl;         /* first declaration in a project header (not the
                   main file, not a system header); file "" if none */
  uint32_t hdecl_end;   /* byte offset in hdecl.file where the declarator
                         ends: where an annotation is inserted */
  uint32_t annots;      /* FT_ANN_* over every declaration seen */
  int32_t spawn_param;  /* FNPROP_SPAWN(n) parameter, 0 if none */
  uint8_t omp;          /* FT_OMP_*: the region of an OpenMP task directive,
                  outlined as a function of its own (0: a function) */
} ft_func;

/* An OpenMP task region (ft_func.omp): `#pragma omp task` / `taskloop`
 * bodies are functions named "ENCLOSING.omp_task.LINE" (taskloop:
 * ".omp_taskloop."), internal to the file, called by the enclosing code
 * where the directive generates them. */
enum { /* in the database shifted by one (vocab.h VC_TASK_*) */
       FT_OMP_TASK = 1u << 0,      /* a task region: a task entry */
       FT_OMP_UNTIED = 1u << 1,    /* untied: may resume on another thread after a scheduling point */
       FT_OMP_IF = 1u << 2,        /* if clause: may run undeferred */
       FT_OMP_FINAL = 1u << 3,     /* final clause */
       FT_OMP_MERGEABLE = 1u << 4, /* mergeable clause */
       FT_OMP_TASKLOOP = 1u << 5,  /* a taskloop's chunks */
};

/* Call flags. */
enum {
  FT_CALL_STATUS0 = 1u << 0, /* error()/error_at_line() with a constant 0
                                status: returns, so it does not carry the
                                bodiless callee's panic */
};

typedef struct ft_call {
  uint32_t caller, callee; /* indices into funcs */
  ft_loc site;
  uint8_t flags;           /* FT_CALL_* */
} ft_call;

/* Where a function pointer lives: the slot a call goes through, or the
 * slot a function's address is stored into. */
enum {
  FT_SLOT_NONE = 0,     /* an expression (call result, array element, ...) */
  FT_SLOT_FIELD = 1,    /* a struct or union field: key = the field's USR */
  FT_SLOT_VAR = 2,      /* a variable: key = its USR */
  FT_SLOT_PARAM = 3,    /* a parameter: key = its USR */
  FT_SLOT_ARG = 4,      /* (stores only) an argument of a call */
  FT_SLOT_RETURN = 5,   /* (stores only) returned from the function */
};

/* "expression", "field", "variable", "parameter", "argument", "return". */
const char *ft_slot_name(int kind);

typedef struct ft_icall {
  uint32_t caller;
  const char *fntype;   /* canonical spelling of the pointee function type */
  const char *fnkey;    /* its compatibility key */
  ft_loc site;
  uint8_t slot_kind;    /* FT_SLOT_* */
  uint8_t ext_origin;   /* pointer may come from outside the program (a
                         parameter of an external function, an external
                         global): unknown in the open world */
  const char *slot;     /* slot key, "" for none */
  uint32_t contract;    /* FT_ANN_NOTLS/NOPANIC on the slot or its type */
  int32_t via_call;     /* >= 0: not a call here, but argument via_arg of
                       call via_call, called back if the callee's model
                       says so */
  int32_t via_arg;
  int32_t via_icall;    /* > 0: the same for argument via_arg of the
                        indirect call via_icall - 1 (index into icalls,
                        an earlier record); 0: none */
  int32_t slot_arg;     /* FT_SLOT_PARAM: 1-based index of the parameter */
} ft_icall;

typedef struct ft_addr {
  uint32_t func;        /* the function whose address is taken */
  int32_t in_func;      /* function it happens in, -1 at file scope */
  ft_loc site;
  const char *cast_type;/* function type it is cast to, "" if none */
  const char *cast_key; /* compatibility key of cast_type (or of the pointer
                           type the name is implicitly converted to) */
  uint8_t dest_kind;    /* FT_SLOT_*: where the address goes */
  const char *dest;     /* field or variable key, "" otherwise */
  uint32_t contract;    /* FT_ANN_NOTLS/NOPANIC/TASK on the destination */
  int32_t call;         /* FT_SLOT_ARG: index into calls */
  int32_t arg;          /* FT_SLOT_ARG: 1-based argument number */
  int32_t icall;        /* FT_SLOT_ARG of an indirect call: 1 + its index
                    into icalls; 0: none */
} ft_addr;

/*
 * Flows that stores by name do not show (ft_tu.flows): what the field- and
 * variable-sensitive resolution and the contract checks must not trust.
 * Keys live in three name spaces that never collide: USRs of fields,
 * variables, parameters and records ("c:..."), and function-type
 * compatibility keys ("F{...").  A flow may hold only under a condition
 * the graph decides (cond).
 */
enum {
  FT_FLOW_UNSEEN = 1,    /* field, variable or record `key`, or every field and
                         variable of function type `key`, may hold pointers
                         not stored by name: no field/variable sensitivity */
  FT_FLOW_UNCHECKED = 2, /* slot or type `key` receives values not checked for
                            the contracts in `bits` */
  FT_FLOW_COPY = 3,      /* `key` receives the values of slot or type `src`:
                       whatever of `bits` is unchecked there is here */
  FT_FLOW_DATA = 4,      /* a data pointer or integer is converted to function
                       type `key` (a dlsym result could be called) */
  FT_FLOW_DEFINED = 5,   /* variable `key` is defined in this TU */
  FT_FLOW_RECORD = 6,    /* function-pointer field `key` (of function type
                         `src`) of a record passed (or pointed to) as
                         argument `arg` of a call to `func`, which has no
                         body here (for the library's pools) */
};
enum {
  FT_COND_NONE = 0,
  FT_COND_CALLEE = 1,    /* `func` writes through argument `arg` (0: the
                         result it returns): unless it has a body and
                         FT_FLOW_CONVERTED is clear, or its model says it
                         stores nothing there (nostore=, copies= with
                         FT_FLOW_SAME) */
  FT_COND_UNDEFINED = 2, /* variable `src` is defined in no TU */
};
enum {
  FT_FLOW_CONVERTED = 1u << 4, /* (bits) the pointer was converted to another type */
  FT_FLOW_SAME = 1u << 5,      /* (bits) another pointer argument points to the same record */
};

typedef struct ft_flow {
  uint8_t kind;         /* FT_FLOW_* */
  uint8_t cond;         /* FT_COND_* */
  uint8_t bits;         /* FT_ANN_NOTLS/NOPANIC for contracts, FT_FLOW_CONVERTED/SAME */
  const char *key;
  const char *src;      /* COPY: the source; COND_UNDEFINED: the variable */
  int32_t func;         /* COND_CALLEE, RECORD: index into funcs; COPY from a
                   parameter: the function it belongs to; else -1 */
  int32_t arg;          /* argument number (0: result; COPY: the parameter's) */
  ft_loc site;
} ft_flow;

typedef struct ft_effect {
  uint32_t func;
  uint8_t kind;         /* fx_kind */
  uint32_t annots;      /* annotations of the entity (e.g. migration-safe) */
  const char *detail;   /* e.g. the variable's name */
  ft_loc site;          /* where the function does it */
  ft_loc decl;          /* where the entity is declared */
} ft_effect;

typedef struct ft_diag {
  ft_loc loc;
  int error;            /* 1 error/fatal, 0 warning */
  const char *message;
} ft_diag;

/* A file the TU read, with the fingerprint the cache compares: the stat
 * fields first (cheap; ctime cannot be set back by a user), the SHA-256 of
 * the content when they differ.  mtime_ns is 0 when the file was modified
 * during the parse ("racy"), which forces hashing on the next run. */
typedef struct ft_input {
  const char *path;
  int64_t size, mtime_ns, inode, ctime_ns;
  unsigned char hash[32]; /* SHA-256 of the content clang parsed */
} ft_input;

/* What header search looked for (analyzer/hsearch.h): every candidate
 * directory (search list and includers' directories, spelled as clang
 * spells them, symlinks not resolved) and every name a directive or
 * __has_include could look up.  A probe is dir/name (or name when
 * absolute); `hits` lists the probes that existed with the identity of
 * what they resolved to, every other probe was absent.  `watches` are the
 * directories whose entries decide the probes, with their identity: while
 * none changed, no probe can have changed. */
typedef struct ft_hit {
  uint32_t dir;           /* index into dirs, FT_NODIR for an absolute name */
  uint32_t name;          /* index into names */
  uint64_t ident;         /* device and inode the probe resolved to */
} ft_hit;
#define FT_NODIR UINT32_MAX
typedef struct ft_watch {
  const char *path;
  uint64_t ident;         /* 0: changed near the parse, always re-probe */
} ft_watch;
/* Reasons a TU's facts are never reused (ft_lookups.flags). */
enum {
  FT_LK_MODULES = 1u << 0,   /* clang modules or precompiled headers */
  FT_LK_EMBED = 1u << 1,     /* #embed / __has_embed read files */
  FT_LK_MACRO_NAME = 1u << 2,/* __has_include with a computed argument, or a
                                 directive whose name could not be read */
  FT_LK_RACY = 1u << 3,      /* a looked-at directory changed during the parse */
  FT_LK_NO_SEARCH = 1u << 4, /* the header search list could not be read */
};
typedef struct ft_lookups {
  struct {
    const char **v;
    size_t n, cap;
  } dirs;
  struct {
    const char **v;
    size_t n, cap;
  } names;
  struct {
    ft_hit *v;
    size_t n, cap;
  } hits;     /* sorted by (dir, name) */
  struct {
    ft_watch *v;
    size_t n, cap;
  } watches;/* sorted by path */
  uint32_t flags;         /* FT_LK_* */
} ft_lookups;

typedef struct ft_tu {
  const char *file;       /* main file, real path */
  const char *directory;  /* working directory of the command */
  int complete;           /* 0 when the parse had errors */
  struct {
    ft_func *v;
    size_t n, cap;
  } funcs;
  struct {
    ft_call *v;
    size_t n, cap;
  } calls;
  struct {
    ft_icall *v;
    size_t n, cap;
  } icalls;
  struct {
    ft_addr *v;
    size_t n, cap;
  } addrs;
  struct {
    ft_effect *v;
    size_t n, cap;
  } effects;
  struct {
    ft_diag *v;
    size_t n, cap;
  } diags;
  struct {
    ft_input *v;
    size_t n, cap;
  } inputs; /* every file read */
  ft_lookups lookups;     /* what header search looked for */
  struct {
    const char **v;
    size_t n, cap;
  } polluted; /* field or record keys
whose function-pointer fields receive values other
than function names (field sensitivity is off for
them) */
  struct {
    ft_flow *v;
    size_t n, cap;
  } flows;
  struct {
    const char **v;
    size_t n, cap;
  } dropped; /* compiler flags clang
does not know, left out of the parse */
  uint8_t pic;            /* compiled as position-independent code (and
                -fsemantic-interposition: definitions may be
                replaced) */
  uint8_t field_facts;    /* the front end could track field stores */
  ut_arena arena;
  ut_map func_index;      /* "usr\x1fpath_key" -> index into funcs */
  int failed;             /* sticky allocation failure */
  fl_unit *body_flow;     /* stage-3 flow facts of the bodies (owned; not `flows`, the pointer
                         stores of field resolution), NULL when none */
} ft_tu;

ft_tu *ft_tu_create(const char *file, const char *directory);
void ft_tu_destroy(ft_tu *tu);
/* Frees the arrays of l (its strings belong to the TU's arena). */
void ft_lookups_free(ft_lookups *l);
/* Interns s in the TU's arena ("" for NULL). */
const char *ft_str(ft_tu *tu, const char *s);
#define FT_NONE UINT32_MAX
/* Index of the function (usr, path_key), adding a blank record if new;
 * FT_NONE when out of memory (tu->failed is then set). */
uint32_t ft_func_intern(ft_tu *tu, const char *usr, const char *path_key, int *is_new);

/*
 * Keys the variants of internal functions defined outside the TU's main
 * file (header `static` / `static inline` functions) by a hash of their
 * facts: `path_key` becomes "PATH#HASH".  Two TUs whose copies have the
 * same facts (calls, effects, indirect calls, address uses, and the same
 * variants of the header functions they call) share one function; a copy
 * that differs (compiled with -DNDEBUG, say) is another function, reached
 * only by its own TU's callers.  Call after the front end filled the TU.
 */
void ft_key_variants(ft_tu *tu);

#endif /* FNPROP_FACTS_H */
