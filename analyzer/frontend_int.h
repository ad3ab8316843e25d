/* SPDX-License-Identifier: MIT */
/*
 * frontend_int.h - what the front end's files share (prefix fe_): the
 * context and walk structures and the helpers frontend_omp.c calls.
 * Private to frontend.c and frontend_omp.c; libclang types stay here.
 *
 * A walk (fe_walk) belongs to one parsed CXTranslationUnit and fills one
 * ft_tu; the OpenMP pass runs a second walk over a second parse of the
 * same TU into the same ft_tu (functions are interned by identity, so both
 * walks name the same records).
 */
#ifndef FNPROP_FRONTEND_INT_H
#define FNPROP_FRONTEND_INT_H

#include <clang-c/Index.h>

#include "frontend.h"
#include "hsearch.h"

/* The digest of a file this context already hashed, valid while its stat
 * fields are unchanged and were not racy (older than the parse). */
typedef struct fe_digest {
  int64_t size, mtime_ns, ctime_ns, inode;
  unsigned char sha[32];
} fe_digest;

struct fe_ctx {
  CXIndex index;
  const fe_searchlists *shared; /* prepared by the driver (borrowed), or */
  fe_searchlists *own;          /* probed by this context (owned) */
  ut_map digest_index;          /* path -> index into digests */
  struct {
    fe_digest *v;
    size_t n, cap;
  } digests;
  ut_arena arena;               /* keys of digest_index */
  hs_cache answers;             /* header-search probes, across this context's TUs */
  ut_map omp_macro;             /* -fopenmp* flags -> 1 + value of _OPENMP (frontend_omp.c) */
};

typedef struct fe_file {
  CXFile file;
  const char *path;
} fe_file;

/* Where the function named at `loc` goes, recorded by the construct that
 * consumes it (a call argument, an assignment, an initializer, a cast, a
 * return) before the name itself is visited.  Keyed by location, so no
 * ancestor chain is needed: a store that is not recognized leaves the
 * address as escaping (signature candidates) and never hides a target. */
typedef struct fe_store {
  CXSourceLocation loc;
  uint8_t dest_kind;        /* FT_SLOT_* or FT_SLOT_NONE */
  const char *dest;
  uint32_t contract;
  int32_t call, arg;
  int32_t icall;            /* 1 + index of the indirect call it is an argument of */
  const char *cast_type;
  const char *cast_key;     /* keys of the types it is converted to, '\n'-separated */
} fe_store;

typedef struct fe_rec_entry {
  const void *key;
  uint32_t idx;             /* 0 unknown, else 1 + (it holds function pointers) */
  const char *usr;          /* interned, NULL until asked */
} fe_rec_entry;

typedef struct fe_cursors {
  CXCursor *v;
  size_t n, cap;
} fe_cursors;

typedef struct fe_decl_entry {
  const void *key;
  uint32_t idx;
} fe_decl_entry;

typedef struct fe_walk {
  ft_tu *tu;
  int32_t cur;              /* function whose body is walked; -1 at file scope */
  CXSourceLocation pending; /* location of the callee of the call being visited */
  int has_pending;
  struct {
    fe_file *v;
    size_t n, cap;
  } files;
  size_t last_file;
  struct {
    CXCursor *v;
    size_t n, cap;
  } work; /* system-header bodies to walk */
  CXTranslationUnit cx;
  int64_t parse_start_ns;
  ut_map inputs_seen;
  ut_map weak_names;        /* names given to `#pragma weak` */
  ut_map names;             /* file-scope function name -> index into named */
  fe_cursors named;
  int names_built;
  CXCursor cur_cursor;      /* definition of cur */
  int cur_returns_fnptr;    /* cur returns a function pointer */
  struct {
    fe_store *v;
    size_t n, cap;
  } stores; /* per top-level declaration */
  struct {
    fe_decl_entry *v;
    size_t n, cap;
  } decls; /* open addressing */
  struct {
    fe_rec_entry *v;
    size_t n, cap;
  } recs; /* record decl -> what fe_rec_fnptr
and fe_rec_usr found (open addressing) */
  ut_map flow_seen;         /* flows already recorded (fe_flow) */
  hs_builder search;        /* what header search looked for */
  fe_ctx *ctx;
  struct fe_omp *omp;       /* OpenMP regions (frontend_omp.c); NULL: none */
  int omp_pass;             /* 1: the -fopenmp parse, 2: the parse without it */
} fe_walk;

/* ---- helpers of frontend.c -------------------------------------------------- */
const char *fe_path(fe_walk *w, CXFile f);
ft_loc fe_loc(fe_walk *w, CXSourceLocation loc);
ft_loc fe_cursor_loc(fe_walk *w, CXCursor c);
const char *fe_usr(fe_walk *w, CXCursor c);
/* The function declared by decl (its index into w->tu->funcs). */
uint32_t fe_func(fe_walk *w, CXCursor decl, int own);
/* The function declared at file scope as `name`, FT_NONE if none. */
uint32_t fe_func_named(fe_walk *w, const char *name);
/* Records an unseen-code reason (what) or an effect on the walked function. */
void fe_unseen(fe_walk *w, CXCursor c, const char *what);
void fe_effect(fe_walk *w, CXCursor at, fx_kind kind, const char *detail);
/* A use of thread-local variable `var` at `site` by the walked function. */
void fe_tls_use(fe_walk *w, CXCursor var, ft_loc site);
/* A call edge from the walked function to callee at site. */
void fe_call_at(fe_walk *w, uint32_t callee, ft_loc site);
/* Walks c (and below it) as part of the walked function's body. */
void fe_walk_one(fe_walk *w, CXCursor c, CXCursor parent);
enum CXChildVisitResult fe_body(CXCursor c, CXCursor parent, CXClientData d);
/* Starts a walk of cx into tu, and frees what it holds (not the TU). */
void fe_walk_init(fe_walk *w, fe_ctx *ctx, ft_tu *tu, CXTranslationUnit cx);
void fe_walk_free(fe_walk *w);
/* Walks the system-header bodies the walk found referenced. */
void fe_walk_pending(fe_walk *w);
/* The parse's arguments for entry e (frontend.c). */
const char **fe_args(const cdb_entry *e, const ft_tu *tu, const char *probe, int *argcp);
int fe_is_fnptr(CXType t);

/* ---- OpenMP (frontend_omp.c) ------------------------------------------------ */
/* The -fopenmp parse met directive cursor c (kind k) in the walked function:
 * records its unseen reason, walks its clauses (not its region), and notes
 * it for the second pass.  Returns what the visitor does next. */
enum CXChildVisitResult fe_omp_directive(fe_walk *w, CXCursor c, CXCursor parent);
/* Is kind k an OpenMP directive cursor? */
int fe_omp_kind(enum CXCursorKind k);
/* Remembers that variable decl is thread-local in the -fopenmp parse
 * (threadprivate variables are, there). */
void fe_omp_note_tls(fe_walk *w, CXCursor decl);
/* A file the -fopenmp parse read (path, contents): notes `declare variant`,
 * which the parse without -fopenmp cannot reproduce. */
void fe_omp_scan_file(fe_walk *w, CXFile f, const char *path, const char *buf, size_t size);
/* A file-scope function declaration of the -fopenmp parse: the base of a
 * `#pragma omp declare variant(V)` just before it calls V (an edge, so
 * every call of the base may reach the variant, as clang compiles it). */
void fe_omp_declaration(fe_walk *w, CXCursor decl, uint32_t idx);
/* Is variable decl thread-local (in this parse, or in the -fopenmp one)? */
int fe_omp_is_tls(fe_walk *w, CXCursor decl);
/* After the -fopenmp walk of e: when some function holds directives,
 * parses e again without -fopenmp, walks their regions into tu and drops
 * the unseen reasons of functions whose every directive was understood.
 * Frees the pass state.  Returns 0, or -1 when out of memory. */
int fe_omp_finish(fe_walk *w1, const cdb_entry *e);
/* The second walk: the function the region statement c runs in (a task's
 * function), -1 when c is not a region. */
int32_t fe_omp_region(fe_walk *w, CXCursor c);
/* Is `arg` a flag of OpenMP (-fopenmp, -fopenmp-simd, -fopenmp-version=N, ...)? */
int fe_omp_flag(const char *arg);

#endif /* FNPROP_FRONTEND_INT_H */
