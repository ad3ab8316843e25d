/* SPDX-License-Identifier: MIT */
/*
 * fnprop_rt.h - runtime shim: may this task migrate to another thread?
 *
 * Key invariant: fnprop_rt_may_migrate() returns 1 only for a registered task
 * entry whose verdict under the chosen gate -- `migrate` (stage 3, the
 * default: nothing thread-local live across a suspension) or `tls` (stage 1:
 * nothing thread-local touched at all) -- is `proven` in a fresh (not stale)
 * verdict table.  Everything else -- not initialised, unregistered, no
 * matching row, several rows that disagree, `unknown`, `violated`, stale
 * table, foreign table ABI, out of memory -- answers 0: the task stays pinned
 * to the thread it started on.  Failing safe is the whole contract.
 *
 * The three pieces a program puts together:
 *
 *   1. Registration.  Next to each task entry function write
 *
 *          static void worker_main(void *arg) { ... }
 *          FNPROP_RT_ENTRY(worker_main);
 *
 *      in the translation unit that *defines* the function (static functions
 *      included).  A load-time constructor records {&fn, "fn", file, hash}:
 *      file is FNPROP_RT_FILE when the build defines it (the TU's absolute
 *      path), else __FILE__; hash is FNPROP_RT_SOURCES_HASH when that TU
 *      was compiled with it.  A destructor removes the registration again
 *      when a shared object is unloaded.
 *
 *   2. The verdict table.  `fnprop export -p DIR --db FILE --format=c`
 *      writes a C file that includes only this header and defines
 *      `fnprop_rt_verdicts`: one row {name, absolute file, tls, panic,
 *      migrate} per function plus the hash of the analysed sources.  Compile it into the
 *      program.
 *
 *   3. Initialisation.  Compile the TU that calls init with
 *      -DFNPROP_RT_SOURCES_HASH="\"$(fnprop hash -p DIR)\"" (the hash of the
 *      sources as they are at *build* time) and call FNPROP_RT_INIT() once,
 *      before spawning tasks.  When the build-time hash differs from the
 *      table's analysis hash the sources changed after the analysis: every
 *      entry is pinned and one warning line goes to stderr.
 *
 * Matching an entry to a row (the identity of a registration): equal
 * function name, and the registration's file, canonical, equals the row's
 * file (the real path the analysis read).  Canonical: an absolute path with
 * symlinks resolved when it exists on this machine (a build through a
 * symlinked directory matches), else lexically normalized.  A relative
 * file (a build that passes relative paths to the compiler, without
 * FNPROP_RT_FILE) has no identity: it could name any checkout's file, so it
 * never matches (FNPROP_RT_PIN_NOIDENTITY).  A registration built with a
 * sources hash other than the table's is stale (FNPROP_RT_PIN_STALE).  No
 * matching row, or matching rows whose gated verdicts differ: pinned.
 *
 * The gate.  fnprop_rt_set_migrate_on() (the program's choice, e.g. from its
 * command line) wins; else the environment's FNPROP_RT_MIGRATE_ON=tls|migrate
 * read at init; else `migrate`.  An unrecognised value gates on `tls`, the
 * stricter column, and logs one line ([fnprop-rt-gate]).  A table of layout 1
 * (no migrate column, an older fnprop) is read with its tls column under
 * either gate: stage-1 proven implies that nothing thread-local is live
 * anywhere.
 * Entries that match no row are counted (fnprop_rt_unmatched) and reported
 * in one line on the log stream at init, and once more after init when a
 * later registration (dlopen) matches nothing.
 *
 * Cost and concurrency.  init builds an open-addressing hash table keyed by
 * the function pointer and publishes it with one release store; later
 * registrations and removals update its slots in place, each slot under a
 * sequence counter, so a reader sees a slot's key and reason together or
 * retries; fnprop_rt_may_migrate() is an acquire load plus an expected
 * O(1) probe (load factor <= 1/2): no locks, no allocation, safe from any
 * thread at any time.  A reader that races a removal may see "pinned" for
 * a moment, never a wrong "migrate".  The table is replaced only when it
 * grows (doubling) and replaced tables are kept until
 * fnprop_rt_shutdown(), so a reader never sees freed memory and memory is
 * bounded by the most entries registered at once, however often plugins
 * are loaded and unloaded.
 *
 * Process-wide state.  Unlike the rest of fnprop this module keeps its state
 * in statics: a scheduler asks about a bare function pointer from any
 * thread, and constructors run before main() could hand over a context.
 * One shim per process: when task entries live in several shared objects,
 * link them all against libfnprop_rt.so (a static copy inside a shared
 * object serves only that object's registrations and its own init).
 */
#ifndef FNPROP_RT_H
#define FNPROP_RT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(__GNUC__) && !defined(__clang__)
#error "fnprop_rt.h needs GCC or Clang (load-time constructors)"
#endif

#define FNPROP_RT_API __attribute__((visibility("default")))

/* ------------------------------------------------------------ the table */

/* Layout version of fnprop_rt_table/fnprop_rt_row.  The exporter writes the
 * number it was built for and the generated file refuses to compile against
 * another header.  init reads layouts 2 (this one) and 1 (fnprop_rt_row_v1,
 * no migrate column: read as its tls column) and refuses (pins everything)
 * any other.  Layout 2 appended `migrate` to the row. */
#define FNPROP_RT_TABLE_ABI 2

/* Verdict values, as stored by the analyzer (analyzer/verdict.h). */
#define FNPROP_RT_PROVEN   0
#define FNPROP_RT_UNKNOWN  1
#define FNPROP_RT_VIOLATED 2

typedef struct fnprop_rt_row {
  const char *name;        /* function name as spelled in the source */
  const char *file;        /* absolute path of the file defining it */
  unsigned char external;  /* 1: external linkage, 0: static */
  unsigned char tls;       /* FNPROP_RT_PROVEN / _UNKNOWN / _VIOLATED */
  unsigned char panic;     /* same scale, for !panic (informational) */
  unsigned char migrate;   /* same scale: stage 3 (migrate) verdict */
} fnprop_rt_row;

/* The row of layout 1 (tables with abi 1), as older headers declared it.
 * Only the shim reads it. */
typedef struct fnprop_rt_row_v1 {
  const char *name;
  const char *file;
  unsigned char external;
  unsigned char tls;
  unsigned char panic;
} fnprop_rt_row_v1;

typedef struct fnprop_rt_table {
  unsigned abi;                /* FNPROP_RT_TABLE_ABI of the exporter */
  const char *analysis_hash;   /* lowercase hex; "" when unknown */
  size_t nrows;
  const fnprop_rt_row *rows;   /* borrowed for the life of the process; when
                                abi is 1, really fnprop_rt_row_v1 rows */
} fnprop_rt_table;

/* Defined by the file `fnprop export --format=c` generates. */
extern const fnprop_rt_table fnprop_rt_verdicts;

/* ------------------------------------------------------- registration */

/* A function pointer type that converts to and from every other one. */
typedef void (*fnprop_rt_fn)(void);

/* One registered entry.  Static storage in the registering TU; `next` is
 * owned by the shim. */
/* Under clang, fnprop reads this as FNPROP_TASK on the field: every
 * function registered with FNPROP_RT_ENTRY is a task entry for the
 * analyzer (and `fnprop-task-pinned` reports those that will be pinned). */
#if defined(__clang__) && !defined(FNPROP_DISABLE)
#define FNPROP_RT_TASK_SLOT_ __attribute__((annotate("fnprop:task")))
#else
#define FNPROP_RT_TASK_SLOT_
#endif

typedef struct fnprop_rt_reg {
  fnprop_rt_fn fn FNPROP_RT_TASK_SLOT_;
  const char *name;
  const char *file;          /* FNPROP_RT_FILE or __FILE__ */
  struct fnprop_rt_reg *next;
  const char *build_hash;    /* FNPROP_RT_SOURCES_HASH of the TU, or NULL */
} fnprop_rt_reg;

/* What a registration records about the TU it was compiled in.  Define
 * FNPROP_RT_FILE (the TU's absolute path, e.g. -DFNPROP_RT_FILE='"$(abspath
 * $<)"' in make) when the compiler is given relative file names, and
 * FNPROP_RT_SOURCES_HASH (from `fnprop hash`) in every TU with entries, so a
 * plugin built from other sources is recognized.  Both must be defined
 * before this header is included (on the command line). */
#ifdef FNPROP_RT_FILE
#define FNPROP_RT_FILE_ FNPROP_RT_FILE
#else
#define FNPROP_RT_FILE_ __FILE__
#endif
#ifdef FNPROP_RT_SOURCES_HASH
#define FNPROP_RT_BUILD_HASH_ FNPROP_RT_SOURCES_HASH
#else
#define FNPROP_RT_BUILD_HASH_ NULL
#endif

/* The registration calls carry the layout of fnprop_rt_reg in their names
 * (layout 2 added build_hash).  A plugin compiled against an older header
 * calls the unversioned names with the older, shorter record: those calls
 * register nothing -- its entries stay pinned, the fail-safe answer -- and
 * log one line asking for a rebuild ([fnprop-rt-oldabi]; FNPROP_RT_LOG=0
 * silences it). */
FNPROP_RT_API void fnprop_rt_register2(fnprop_rt_reg *reg);
FNPROP_RT_API void fnprop_rt_unregister2(fnprop_rt_reg *reg);
FNPROP_RT_API void fnprop_rt_register(void *old_layout_reg);
FNPROP_RT_API void fnprop_rt_unregister(void *old_layout_reg);

/* The cast to fnprop_rt_fn is the ISO C way to keep any function pointer;
 * clang's -Wcast-function-type-strict (only in -Weverything) is told so. */
#if defined(__clang__) && defined(__has_warning)
#if __has_warning("-Wcast-function-type-strict")
#define FNPROP_RT_CAST_BEGIN_                                                                                          \
  _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wcast-function-type-strict\"")
#define FNPROP_RT_CAST_END_ _Pragma("clang diagnostic pop")
#endif
#endif
#ifndef FNPROP_RT_CAST_BEGIN_
#define FNPROP_RT_CAST_BEGIN_
#define FNPROP_RT_CAST_END_
#endif

/* Registers `fn` (a function defined or declared above, static or not) at
 * load time and unregisters it at unload.  Use once per function, at file
 * scope, in the file that defines it. */
#define FNPROP_RT_ENTRY(fn)                                                                                            \
  FNPROP_RT_CAST_BEGIN_                                                                                                \
  static fnprop_rt_reg fnprop_rt_reg_##fn = {(fnprop_rt_fn)(fn), #fn, FNPROP_RT_FILE_, NULL, FNPROP_RT_BUILD_HASH_};   \
  FNPROP_RT_CAST_END_                                                                                                  \
  __attribute__((constructor)) static void fnprop_rt_ctor_##fn(void) { fnprop_rt_register2(&fnprop_rt_reg_##fn); }     \
  __attribute__((destructor)) static void fnprop_rt_dtor_##fn(void) { fnprop_rt_unregister2(&fnprop_rt_reg_##fn); }    \
  typedef int fnprop_rt_entry_semicolon_##fn

/* ------------------------------------------------------ initialisation */

typedef enum fnprop_rt_status {
  FNPROP_RT_OK = 0,         /* table fresh: proven entries may migrate */
  FNPROP_RT_STALE = 1,      /* hashes differ: everything pinned */
  FNPROP_RT_UNCHECKED = 2,  /* no hash on one side: everything pinned */
  FNPROP_RT_EABI = -1,      /* table from another exporter ABI: pinned */
  FNPROP_RT_ENOMEM = -2     /* could not build the lookup table: pinned */
} fnprop_rt_status;

/* Installs `table` (borrowed; must outlive every later call) and compares
 * its analysis hash with `sources_hash` (copied; NULL or "" = unknown).
 * May be called again to replace the table.  Returns a fnprop_rt_status;
 * on anything but FNPROP_RT_OK one line goes to stderr and every entry is
 * pinned.  Not async-signal-safe; cheap enough to call once per process. */
FNPROP_RT_API int fnprop_rt_init(const fnprop_rt_table *table, const char *sources_hash);

/* FNPROP_RT_INIT(): the generated table plus the build-time sources hash. */
#ifdef FNPROP_RT_SOURCES_HASH
#define FNPROP_RT_INIT() fnprop_rt_init(&fnprop_rt_verdicts, FNPROP_RT_SOURCES_HASH)
#else
#define FNPROP_RT_INIT() fnprop_rt_init(&fnprop_rt_verdicts, NULL)
#endif

/* Where the one-line warnings go: stderr by default (unless the environment
 * has FNPROP_RT_LOG=0 or off), NULL for nowhere.  `log` is borrowed until
 * the next call. */
FNPROP_RT_API void fnprop_rt_set_log(FILE *log);

/* Which verdict column gates migration. */
typedef enum fnprop_rt_gate {
  FNPROP_RT_GATE_MIGRATE = 0, /* stage 3, the default: `migrate` proven */
  FNPROP_RT_GATE_TLS = 1      /* stage 1: `tls` proven */
} fnprop_rt_gate;

/* Chooses the gate for every later decision (also re-decides every
 * registered entry when already initialised), overriding the environment's
 * FNPROP_RT_MIGRATE_ON.  Returns 0, or -1 (gate unchanged) when `gate` is
 * not a fnprop_rt_gate.  Thread-safe: concurrent readers see the old or the
 * new decision per entry, never a migrate allowed by neither gate. */
FNPROP_RT_API int fnprop_rt_set_migrate_on(int gate);
/* "tls" -> FNPROP_RT_GATE_TLS, "migrate" -> FNPROP_RT_GATE_MIGRATE, other
 * (or NULL) -> -1; for command lines (`--migrate-on=tls|migrate`). */
FNPROP_RT_API int fnprop_rt_gate_parse(const char *name);
/* The gate in force: the one set, else FNPROP_RT_MIGRATE_ON's (as of the
 * last init), else FNPROP_RT_GATE_MIGRATE. */
FNPROP_RT_API fnprop_rt_gate fnprop_rt_migrate_on(void);
/* "tls" or "migrate" (static strings). */
FNPROP_RT_API const char *fnprop_rt_gate_name(fnprop_rt_gate gate);

/* Frees every table built so far and returns to the uninitialised state
 * (everything pinned).  The caller guarantees no concurrent calls. */
FNPROP_RT_API void fnprop_rt_shutdown(void);

/* ------------------------------------------------------------- queries */

/* 1 when the task entry `entry` may be resumed on another thread, else 0.
 * Lock-free, constant time, callable from any thread, before or after
 * init.  `entry` is the entry function's address converted to a pointer. */
FNPROP_RT_API int fnprop_rt_may_migrate(const void *entry);
/* Same, for callers that keep ISO C's function/object pointer separation. */
FNPROP_RT_API int fnprop_rt_may_migrate_fn(fnprop_rt_fn entry);

/* Why an entry is (not) migratable; for logs and tests. */
typedef enum fnprop_rt_reason {
  FNPROP_RT_MIGRATE = 0,          /* proven under the gate, fresh table */
  FNPROP_RT_PIN_UNINIT,           /* fnprop_rt_init() not called (yet) */
  FNPROP_RT_PIN_UNREGISTERED,     /* no FNPROP_RT_ENTRY for this pointer */
  FNPROP_RT_PIN_NOMATCH,          /* registered, no row with name + file */
  FNPROP_RT_PIN_AMBIGUOUS,        /* matching rows disagree */
  FNPROP_RT_PIN_UNKNOWN,          /* gated verdict unknown */
  FNPROP_RT_PIN_VIOLATED,         /* gated verdict violated */
  FNPROP_RT_PIN_STALE,            /* table stale or unchecked */
  FNPROP_RT_PIN_BADTABLE,         /* ABI mismatch or out of memory */
  FNPROP_RT_PIN_NOIDENTITY,       /* registered with a relative file */
  FNPROP_RT_NREASONS
} fnprop_rt_reason;

FNPROP_RT_API fnprop_rt_reason fnprop_rt_why(const void *entry);
/* "migrate", "unregistered", "stale", ... (static strings). */
FNPROP_RT_API const char *fnprop_rt_reason_name(fnprop_rt_reason r);

/* Registered entries that match no row of the installed table (no-match
 * or no-identity): they stay pinned.  0 before init. */
FNPROP_RT_API size_t fnprop_rt_unmatched(void);

/* Writes one line per registered entry, sorted by name then file:
 *   <name>\t<file>\t<reason>
 * Returns 0, or -1 on a write error. */
FNPROP_RT_API int fnprop_rt_report(FILE *out);

/* ------------------------------------------- errno under migrate gating */

/* errno's address for the thread running the caller *now*.  glibc declares
 * __errno_location() `const`, so gcc and clang compute errno's address once
 * per function and reuse it after a call that suspends the task -- after a
 * migration that is the old thread's errno.  This function is never
 * inlined and has a side effect the compiler cannot see through, so every
 * use calls it again.  The analyzer models it as errno (analyzer/model.c). */
FNPROP_RT_API int *fnprop_rt_errno(void);

#ifdef __cplusplus
}
#endif

/* Define FNPROP_RT_FRESH_ERRNO (before including this header, e.g. on the
 * command line) in every TU with task code gated on `migrate` that uses
 * errno between suspensions: errno then reads fnprop_rt_errno() afresh at
 * every use.  This header includes <errno.h> first, so a later include of
 * it changes nothing. */
#ifdef FNPROP_RT_FRESH_ERRNO
#include <errno.h>
#undef errno
#define errno (*fnprop_rt_errno())
#endif

#endif /* FNPROP_RT_H */
