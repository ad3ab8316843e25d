/* SPDX-License-Identifier: MIT */
/*
 * vocab.h - the shared vocabulary: one table per concept (prefix vc_).
 *
 * Every concept that crosses a module boundary as a number has its enum
 * here and one table with its stable name (what the database stores and
 * the JSON outputs print) and, where users read it, its wording: how a
 * witness hop calls its callee (edge kinds), how an indirect call was
 * resolved, a function's linkage, where a bodiless function's verdict came
 * from (annotation, built-in list, model entry), and the indirect-calls
 * setting that configuration and graph share.  Modules compare these
 * enums, never the words; the words are parsed here only, in one place.
 * The effect kinds have their own table (effects.h).
 *
 * Wording templates hold `%1` and `%2` for their arguments; vc_fill
 * substitutes them (a template is data, never a printf format).
 */
#ifndef FNPROP_VOCAB_H
#define FNPROP_VOCAB_H

#include <stddef.h>

/* ---- edge kinds: how a caller reaches a callee (verdict.how) ------------- */
typedef enum vc_edge {
  VC_EDGE_CALL = 0,      /* a direct call */
  VC_EDGE_POINTER = 1,   /* a call through a pointer, resolved to this target */
  VC_EDGE_CALLBACK = 2,  /* passed to `through`, a modeled function that calls it */
  VC_EDGE_SPAWN = 3,     /* passed to `through`, which runs it on another thread */
  VC_NEDGES
} vc_edge;

/* "call", "pointer", "callback", "spawn" ("?" out of range). */
const char *vc_edge_name(int edge);
/* The words for a hop of kind edge to callee (through: the modeled
 * function of a callback or spawn, may be NULL): "calls 'g'", "passes 'g'
 * to 'qsort', which calls it", ... */
void vc_edge_text(char *buf, size_t n, int edge, const char *callee, const char *through);

/* ---- resolution modes of an indirect call (icall.mode) ------------------- */
typedef enum vc_res {
  VC_RES_UNKNOWN = 0,    /* resolution off (indirect-calls: unknown) */
  VC_RES_SIGNATURE = 1,  /* every address-taken function of a compatible type */
  VC_RES_FIELD = 2,      /* functions stored into the called field */
  VC_RES_TRUSTED = 3,    /* the slot carries FNPROP_NOTLS and FNPROP_NOPANIC */
  VC_RES_OPEN = 4,       /* open world, pointer from outside */
  VC_RES_CALLBACK = 5,   /* argument called back by a modeled function */
  VC_RES_VAR = 6,        /* functions stored into the called variable */
  VC_NRES
} vc_res;

/* "unknown", "signature", "field", "trusted", "open-world", "callback",
 * "variable" ("?" out of range). */
const char *vc_res_name(int mode);

/* ---- linkage (func.linkage) ---------------------------------------------- */
typedef enum vc_linkage { VC_LINK_INTERNAL = 0, VC_LINK_EXTERNAL = 1 } vc_linkage;

/* "internal", "external". */
const char *vc_linkage_name(vc_linkage l);
/* The linkage a stored name denotes; NULL or an unknown word is internal. */
vc_linkage vc_linkage_of(const char *name);

/* ---- origin of a bodiless function's verdict (verdict.origin) ------------ */
typedef enum vc_origin {
  VC_ORIGIN_NONE = 0,       /* not from a table: the noreturn attribute, or unknown */
  VC_ORIGIN_ANNOTATION = 1, /* an FNPROP_* annotation on a declaration */
  VC_ORIGIN_BUILTIN = 2,    /* the built-in lists (design.md section 2) */
  VC_ORIGIN_MODEL = 3,      /* a model file entry, named by "file:line" */
} vc_origin;

/* What the database stores for an origin: "annotation", "built-in", the
 * model entry's `where` ("file:line"), or NULL for VC_ORIGIN_NONE. */
const char *vc_origin_text(vc_origin o, const char *where);
/* The origin a stored text denotes (NULL: none; any other word: a model). */
vc_origin vc_origin_of(const char *text);
/* How explain labels a stored origin: "[annotation]", "[built-in]",
 * "[model models/libc.model:12]"; "" for NULL. */
void vc_origin_label(char *buf, size_t n, const char *text);

/* ---- the indirect-calls setting (configuration -> graph) ----------------- */
typedef enum vc_indirect {
  VC_INDIRECT_UNKNOWN = 0,   /* every indirect call is unknown */
  VC_INDIRECT_SIGNATURE = 1, /* resolved by function type */
  VC_INDIRECT_FIELD = 2,     /* by the stores into the called field or variable, else by type */
  VC_NINDIRECT
} vc_indirect;

/* The setting's words in enum order, NULL-terminated: "unknown",
 * "signature", "field". */
extern const char *const vc_indirect_words[VC_NINDIRECT + 1];

/* ---- templates ------------------------------------------------------------ */
/* Writes tmpl into buf with `%1` replaced by a and `%2` by b (NULL: "?");
 * always NUL-terminates, truncating at n - 1 bytes. */
void vc_fill(char *buf, size_t n, const char *tmpl, const char *a, const char *b);

/* What the func table's `task` column holds (docs/database.md): bit 0 a
 * task entry; an OpenMP task region (facts.h FT_OMP_*, shifted by one) also
 * has VC_TASK_OMP and its clauses. */
enum {
  VC_TASK_ENTRY = 1u << 0,
  VC_TASK_OMP = 1u << 1,       /* the region of `#pragma omp task` / `taskloop` */
  VC_TASK_UNTIED = 1u << 2,
  VC_TASK_IF = 1u << 3,
  VC_TASK_FINAL = 1u << 4,
  VC_TASK_MERGEABLE = 1u << 5,
  VC_TASK_TASKLOOP = 1u << 6,
};

#endif /* FNPROP_VOCAB_H */
