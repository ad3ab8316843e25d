/* SPDX-License-Identifier: MIT */
/*
 * pdb.h - the properties database (prefix pdb_).
 *
 * One SQLite file holds (1) the facts of every analyzed TU, keyed by main
 * file and a hash of its flags, so unchanged TUs need not be parsed again,
 * and (2) the solved verdicts with their witnesses, behind the documented
 * `properties` view.  Schema version in PRAGMA user_version; the file is
 * marked with PRAGMA application_id so a foreign SQLite database is refused,
 * never modified.  Every statement is prepared with bound parameters.
 *
 * A leaf: this header includes nothing of the analyzer and declares only
 * the rows it stores and returns (the analyzer maps its facts and its
 * graph to them: factstore.c, results.c).  sqlite3.h is included by pdb.c
 * alone: callers see plain C types.
 */
#ifndef FNPROP_PDB_H
#define FNPROP_PDB_H

#include <stddef.h>
#include <stdint.h>

#define PDB_SCHEMA_VERSION 1
#define PDB_APPLICATION_ID 0x464e5052 /* "FNPR" */

typedef struct pdb pdb;

/* Opens (creating if needed) the database at path.  On failure returns NULL
 * and writes what is wrong and what to do into err.  An existing file that
 * is empty or not a regular file is refused, never made a database.  A
 * database another process keeps locked is waited for lock_timeout_ms
 * (pdb_open: PDB_LOCK_TIMEOUT_DEFAULT seconds), then the failing call says
 * which process holds the lock. */
#define PDB_LOCK_TIMEOUT_DEFAULT 60
pdb *pdb_open(const char *path, int readonly, char *err, size_t errlen);
pdb *pdb_open_timeout(const char *path, int readonly, int lock_timeout_ms, char *err, size_t errlen);
/* A database serves one compile database: binds it to `dir` (the real path
 * of the directory holding compile_commands.json) on first use; -1 with a
 * message when it is bound to another one. */
int pdb_bind_compdb(pdb *db, const char *dir);
/* How long this handle waits for a lock (its --lock-timeout), in ms. */
int pdb_lock_timeout_ms(const pdb *db);
void pdb_close(pdb *db);
/* Last error message (for a failed call below). */
const char *pdb_error(const pdb *db);
/* Records "out of memory <what> in '<path>'" as the last error, for a
 * caller whose own allocation failed between calls; returns -1. */
int pdb_oom(pdb *db, const char *what);

/* ---- the facts cache ------------------------------------------------------ */
/* A file a TU read, with the fingerprint the cache compares (the stat
 * fields, then the SHA-256 of the content; mtime_ns 0 forces hashing). */
typedef struct pdb_input {
  const char *path;
  int64_t size, mtime_ns, inode, ctime_ns;
  unsigned char hash[32];
} pdb_input;

/* A diagnostic of a TU that did not parse completely. */
typedef struct pdb_diag {
  const char *file;       /* "" when unknown */
  int line, col;
  int error;              /* 1 error or fatal, 0 warning */
  const char *message;
} pdb_diag;

/* One stored TU: its row, its encoded facts and header-search lookups
 * (opaque bytes here: the analyzer's factblob), its diagnostics and the
 * files it read.  The row, the inputs and the facts are sealed by one
 * checksum, the lookups by their own: a damaged value is never handed
 * out, the TU is parsed again. */
typedef struct pdb_tu {
  const char *file;       /* main file, real path */
  const char *directory;  /* working directory of the command */
  int complete, pic, field_facts;
  const void *facts;
  size_t facts_len;
  const void *lookups;
  size_t lookups_len;
  const pdb_diag *diags;
  size_t ndiags;
  const pdb_input *inputs;
  size_t ninputs;
} pdb_tu;

/* Stored TU row for (file, flags hash); 0 when absent. */
int64_t pdb_tu_lookup(pdb *db, const char *file, const char *flags_hash);
/* Replaces the facts of (tu->file, flags_hash) in one transaction. */
int pdb_store_tu(pdb *db, const pdb_tu *tu, const char *flags_hash);
/* Deletes every TU whose id is not in keep[0..n) (sorted ascending). */
int pdb_prune_tus(pdb *db, const int64_t *keep, size_t n);
/* Calls fn once per stored TU, in (file, flags hash) order, with its flags
 * hash; with `inputs` set the TU carries its inputs and lookups (what
 * `fnprop merge` copies), else none.  Everything is valid during the call.
 * A TU whose checksum does not match stops the walk (pdb_damaged).
 * Returns 0, fn's nonzero, or -1 on a read error. */
int pdb_each_tu(pdb *db, int inputs, int (*fn)(void *arg, const pdb_tu *tu, const char *flags_hash), void *arg);
/* pdb_each_tu in one read snapshot, also giving its facts generation (the
 * count of every change of stored facts). */
int pdb_each_tu_gen(pdb *db, int64_t *gen, int (*fn)(void *arg, const pdb_tu *tu, const char *flags_hash), void *arg);
/* Records "database ... holds damaged facts for <file> (<why>)" as the last
 * error (for a reader whose decoding failed); returns -1. */
int pdb_damaged(pdb *db, const char *file, const char *why);
/* 1 when TU `tu`'s row, inputs and facts match their checksum, 0 when they
 * do not (damaged: parse again), -1 on error. */
int pdb_tu_verify(pdb *db, int64_t tu);
/* The TU's encoded header-search lookups, malloc'd into *data (caller
 * frees): 1 when present and intact, 0 when missing or damaged, -1 on
 * error.  pdb_touch_lookups replaces them (confirmed, new identities). */
int pdb_tu_lookups(pdb *db, int64_t tu, void **data, size_t *n);
int pdb_touch_lookups(pdb *db, int64_t tu, const void *data, size_t n);

/* 1 when the stored results were computed from the stored facts with `key`
 * (no TU stored or pruned since) and match their checksum, 0 otherwise,
 * -1 on error. */
int pdb_results_current(pdb *db, const char *key);

/* The meta value of key into buf: 1 found, 0 absent ("" in buf), -1 on
 * error.  Keys written with the results: "unseen" ("FUNCS CONSTRUCTS":
 * functions with code the front end did not understand),
 * "dropped_flags" ("TUS FLAG ...": compiler flags left out of parses) and
 * "interposable" ("VERDICTS FUNCTIONS": unknown only because definitions
 * may be interposed). */
int pdb_meta_get(pdb *db, const char *key, char *buf, size_t n);

/* Cache: the inputs recorded for a TU (fn gets each, strings valid during
 * the call) and whether its parse was complete. */
int pdb_tu_inputs(pdb *db, int64_t tu, int *complete, int (*fn)(void *arg, const pdb_input *in), void *arg);
/* Refreshes the stat triple of one input whose content was found unchanged. */
int pdb_touch_input(pdb *db, int64_t tu, const pdb_input *in);

/* ---- reading results (for reports) --------------------------------------- */
typedef struct pdb_func {
  int64_t id;
  const char *name, *usr, *path_key, *file, *linkage;
  int line, col, has_body;
  int system;             /* declared in a system header */
  uint32_t annots;
  int verdict[2];
  const char *note;       /* e.g. an ignored migration-safe use; may be NULL */
  int task;               /* bit 0: a task entry point (FNPROP_TASK, FNPROP_SPAWN,
               task-entry=, an OpenMP task); bits 1..: its
               FT_OMP_* flags when it is an OpenMP task region */
  const char *hdecl_file; /* first declaration in a project header, or NULL */
  int hdecl_line, hdecl_col;
  int64_t hdecl_end;      /* byte offset where that declarator ends (where an
                        annotation is inserted, before the ';') */
  int hidden;             /* external but no API: 1 hidden visibility, 2 named
                 by the project's internal-functions */
} pdb_func;

/* How a verdict row explains itself (verdict.why; the solver's sv_why). */
enum { PDB_WHY_NONE = 0, PDB_WHY_BASE = 1, PDB_WHY_EDGE = 2 };

typedef struct pdb_hop {
  int verdict, why;       /* vd_verdict, PDB_WHY_* */
  int64_t next;           /* next function id when why == PDB_WHY_EDGE */
  int kind;               /* fx_kind of the base reason */
  const char *detail, *file, *decl_file;
  int line, col, decl_line;
  int64_t depth;          /* hops from here to the reason (1: the reason is here) */
  int64_t terminal;       /* function id where the path ends */
  int how;                /* vc_edge: how the next function is called */
  const char *through;    /* the modeled function of a callback, or NULL */
  const char *origin;     /* the model entry or annotation of a base, or NULL */
} pdb_hop;

/* Calls fn for every function with a body outside system headers, sorted
 * by file, line, name; `name` non-NULL restricts to that name (system
 * headers included).  Strings are valid during fn. */
int pdb_each_func(pdb *db, const char *name, int (*fn)(void *arg, const pdb_func *f), void *arg);
/* The function row with id; strings valid until the next pdb_get_func. */
int pdb_get_func(pdb *db, int64_t id, pdb_func *out);
/* The witness hop of (func, prop); strings valid until the next call. */
int pdb_get_hop(pdb *db, int64_t func, int prop, pdb_hop *out);
/* Bulk reads for reports that walk many witness paths: every (id, name) of
 * the func table, and every stored hop (non-proven verdicts). */
int64_t pdb_max_func_id(pdb *db); /* -1 on error */
/* 1 when some stored TU read `path` (its main file or an included one), 0
 * when none did, -1 on error. */
int pdb_is_input(pdb *db, const char *path);
int pdb_each_name(pdb *db, int (*fn)(void *arg, int64_t id, const char *name, int has_body), void *arg);
int pdb_each_hop(pdb *db, int (*fn)(void *arg, int64_t func, int prop, const pdb_hop *h), void *arg);
/* Diagnostics of TUs that did not parse completely. */
int pdb_each_diag(pdb *db, int (*fn)(void *arg, const char *tu, const pdb_diag *d), void *arg);
/* Every (flags hash, input path) of every stored TU, sorted. */
int pdb_each_input(pdb *db, int (*fn)(void *arg, const char *flags_hash, const char *path), void *arg);
/* Counts: TUs and incomplete TUs. */
int pdb_tu_counts(pdb *db, long *tus, long *incomplete);

/* ---- writing results ------------------------------------------------------- */
/* The rows of one solved program (analyzer/results.c maps the graph to
 * them).  pdb_results_begin opens the transaction that replaces every
 * stored result and records `key`, what they were computed from beyond the
 * facts (tool version, configuration); pdb_results_end seals them with a
 * checksum and the facts generation and commits when ok, else rolls back,
 * so a failure never leaves half of the results.  After pdb_expect_gen(gen)
 * pdb_results_begin fails, with pdb_facts_changed() 1, unless the facts
 * generation is still gen (checked under the write lock): solve again.
 * Strings are borrowed for the call; NULL strings are stored as NULL. */
int pdb_results_begin(pdb *db, const char *key);
int pdb_results_end(pdb *db, int ok);
void pdb_expect_gen(pdb *db, int64_t gen);
int pdb_facts_changed(const pdb *db);
/* A meta value written with the results (see pdb_meta_get). */
int pdb_put_meta(pdb *db, const char *key, const char *value);
/* The names tables: effect_kind (property "tls", "panic" or NULL) and
 * verdict_name. */
int pdb_put_effect_kind(pdb *db, int id, const char *name, const char *property);
int pdb_put_verdict_name(pdb *db, int id, const char *name);
/* A function: every field but verdict[] (hdecl_* only with hdecl_file). */
int pdb_put_func(pdb *db, const pdb_func *f);
/* The witness hop of (func, prop) for a non-proven verdict: the call
 * (next, file:line:col, how, through) for PDB_WHY_EDGE, the reason (kind,
 * detail, file:line:col, decl, origin) for PDB_WHY_BASE. */
int pdb_put_verdict(pdb *db, int64_t func, int prop, const pdb_hop *h);

/* How one indirect call was resolved (the icall table). */
typedef struct pdb_icall {
  int64_t func;           /* the calling function */
  const char *file;
  int line, col;
  const char *fntype, *slot;
  const char *mode;       /* the resolution mode's name */
  int trusted;            /* bit p: property p trusted by a contract */
  int64_t candidates;
} pdb_icall;
int pdb_put_icall(pdb *db, const pdb_icall *ic);
/* A store into a contract slot (pdb_store below; in_name and callee unused,
 * in_func and callee_id 0 when there are none). */
typedef struct pdb_store pdb_store;
int pdb_put_store(pdb *db, const pdb_store *st);

/* ==== read-only queries for diagnostics (analyzer/diag*.c) ================= */
/* Every distinct main file of a stored TU, sorted. */
int pdb_each_main_file(pdb *db, int (*fn)(void *arg, const char *file), void *arg);
/* Every file read by the TUs whose main file is main_file, sorted. */
int pdb_each_input_of(pdb *db, const char *main_file, int (*fn)(void *arg, const char *path), void *arg);

/* A store of a function's address into a slot carrying a contract (the
 * contract_store table): strings valid during the callback. */
struct pdb_store {
  int64_t func;           /* the function whose address is stored */
  int64_t in_func;        /* function it happens in; 0 at file scope */
  const char *in_name;    /* its name, NULL at file scope */
  const char *file;       /* location of the function's name at the store */
  int line, col;
  uint32_t contract;      /* FT_ANN_NOTLS | FT_ANN_NOPANIC of the slot */
  int dest_kind;          /* FT_SLOT_FIELD, VAR, PARAM, ARG, RETURN */
  const char *dest;       /* USR of the field/variable/parameter, "" otherwise */
  int arg;                /* FT_SLOT_ARG: 1-based argument number, 0 when not recorded */
  const char *callee;     /* FT_SLOT_ARG: the called function's name, NULL when not recorded */
  int64_t callee_id;      /* its id; 0 when not recorded */
};
/* Every row of contract_store, sorted by file, line, column. */
int pdb_each_contract_store(pdb *db, int (*fn)(void *arg, const pdb_store *st), void *arg);
/* 1 when a function (with or without a body) is named name, 0 when none
 * is, -1 on error. */
int pdb_func_named(pdb *db, const char *name);
/* Every task entry point (func.task) outside system headers, with or
 * without a body, sorted by file, line, name. */
int pdb_each_task(pdb *db, int (*fn)(void *arg, const pdb_func *f), void *arg);

/* ==== stage 3: the migrate verdict (docs/stage3.md) ======================= */
/* One row per function whose migrate verdict is not proven (analyzer/
 * results.c maps the solution to them). */
typedef struct pdb_migrate {
  int verdict;            /* vd_verdict; 0 (proven) when no row */
  int why;                /* sv_why: 1 own finding or reason, 2 a callee */
  int64_t next;           /* why 2: the callee's function id */
  const char *next_name;  /* why 2: its name */
  int kind;               /* why 1: fl_find_kind, 0 for a reason for unknown */
  const char *text;       /* why 1: the witness in words */
  const char *file;       /* the use after the suspension, the reason, or (why 2) the call */
  int line, col;
  const char *access_file, *susp_file;   /* why 1 findings, NULL when unknown */
  int access_line, access_col, susp_line, susp_col;
  const char *use_file;   /* why 1 findings: the use after the suspension (or where it escapes) */
  int use_line, use_col;
  const char *access_text, *susp_text, *use_text; /* why 1 findings: each step in words, NULL otherwise */
  int depth;              /* callee hops to the function with the finding or reason (0: this one) */
  int64_t terminal;       /* that function's id */
} pdb_migrate;
/* Inside pdb_results_begin/end: the row of function id func (next_name
 * unused).  0 or -1. */
int pdb_put_migrate(pdb *db, int64_t func, const pdb_migrate *m);
/* The migrate verdict of function id func; strings valid until the next
 * call.  0 or -1. */
int pdb_get_migrate(pdb *db, int64_t func, pdb_migrate *out);

#endif /* FNPROP_PDB_H */
