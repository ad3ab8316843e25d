/* SPDX-License-Identifier: MIT */
/*
 * fault_inject.c - makes allocation N, or SQLite call N, fail during a real
 * analysis run (compile database, properties database, parsing, solving,
 * reports), for N = 1, 2, ... until a run completes without reaching N.
 *
 * Linked with -Wl,--wrap=malloc,... so only calls from fnprop's own objects
 * (and this file) are intercepted; libclang's and SQLite's own allocations
 * are not.  Faults are either transient (only call N fails) or persistent
 * (every call from N on fails), on a cold database and on an incremental
 * run over a stored older state.  After every run:
 *   - success must mean the reference output, byte for byte;
 *   - failure must come with a message;
 *   - the database passes PRAGMA integrity_check, and its `properties` view
 *     is the state before the run or the reference state, nothing between
 *     (no partial commit of results);
 *   - a normal run afterwards gives the reference output.
 * A crash ends the process (the test fails); built under ASan, leaks are
 * reported at exit.
 *
 *   fault_inject [-vt] [-k alloc|sql] [-m once|from] [-s cold|incr] [-f FIRST] [-n MAX] [-e STRIDE]
 *   (-t: backtrace of each injected fault; -f/-n: first and last N)
 */
#include <errno.h>
#include <execinfo.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compdb.h"
#include "config.h"
#include "diag.h"
#include "driver.h"
#include "pdb.h"
#include "report.h"

/* ---- the wrappers ---------------------------------------------------------- */
enum { FI_ALLOC, FI_SQL };
static atomic_int fi_armed;        /* 0: pass everything through */
static int fi_kind;                /* FI_ALLOC or FI_SQL */
static int fi_from;                /* 1: every call from N on fails */
static atomic_long fi_target;      /* N */
static atomic_long fi_calls;       /* calls of fi_kind seen while armed */
static atomic_long fi_hits;        /* faults injected */
static int fi_trace;               /* print a backtrace at the first fault */
static void *fi_bt[32];            /* where the first fault of a run hit */
static int fi_nbt;

/* 1 when this call of `kind` must fail. */
static int fi_fail(int kind) {
  if (!atomic_load(&fi_armed) || kind != fi_kind) return 0;
  long n = atomic_fetch_add(&fi_calls, 1) + 1, t = atomic_load(&fi_target);
  int hit = fi_from ? n >= t : n == t;
  if (hit && atomic_fetch_add(&fi_hits, 1) == 0) {
    fi_nbt = backtrace(fi_bt, 32);
    if (fi_trace) {
      fprintf(stderr, "fault at call %ld:\n", n);
      backtrace_symbols_fd(fi_bt, fi_nbt, 2);
    }
  }
  return hit;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

void *__wrap_malloc(size_t n) {
  if (fi_fail(FI_ALLOC)) return errno = ENOMEM, NULL;
  return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m) {
  if (fi_fail(FI_ALLOC)) return errno = ENOMEM, NULL;
  return __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n) {
  if (fi_fail(FI_ALLOC)) return errno = ENOMEM, NULL;
  return __real_realloc(p, n);
}
char *__wrap_strdup(const char *s) {
  if (fi_fail(FI_ALLOC)) return errno = ENOMEM, NULL;
  return __real_strdup(s);
}

int __real_sqlite3_step(sqlite3_stmt *s);
int __real_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **out, const char **tail);
int __real_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned flags, sqlite3_stmt **out,
                              const char **tail);
int __real_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
                        char **errmsg);
int __real_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs);
int __wrap_sqlite3_step(sqlite3_stmt *s);
int __wrap_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **out, const char **tail);
int __wrap_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned flags, sqlite3_stmt **out,
                              const char **tail);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
                        char **errmsg);
int __wrap_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs);

/* A failed step looks like a full disk, a failed prepare or exec like an
 * allocation failure inside SQLite, a failed open like an unopenable file. */
int __wrap_sqlite3_step(sqlite3_stmt *s) { return fi_fail(FI_SQL) ? SQLITE_FULL : __real_sqlite3_step(s); }
int __wrap_sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **out, const char **tail) {
  if (fi_fail(FI_SQL)) {
    if (out) *out = NULL;
    return SQLITE_NOMEM;
  }
  return __real_sqlite3_prepare_v2(db, sql, n, out, tail);
}
int __wrap_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned flags, sqlite3_stmt **out,
                              const char **tail) {
  if (fi_fail(FI_SQL)) {
    if (out) *out = NULL;
    return SQLITE_NOMEM;
  }
  return __real_sqlite3_prepare_v3(db, sql, n, flags, out, tail);
}
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
                        char **errmsg) {
  if (fi_fail(FI_SQL)) {
    if (errmsg) *errmsg = NULL;
    return SQLITE_IOERR;
  }
  return __real_sqlite3_exec(db, sql, cb, arg, errmsg);
}
int __wrap_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs) {
  if (fi_fail(FI_SQL)) {
    *db = NULL;
    return SQLITE_NOMEM;
  }
  return __real_sqlite3_open_v2(path, db, flags, vfs);
}

/* ---- the project ------------------------------------------------------------ */
static char fi_dir[256];
static int fi_verbose;

static void fi_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fi_die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fault_inject: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void fi_write(const char *name, const char *text) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", fi_dir, name);
  FILE *f = fopen(p, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) fi_die("cannot write %s", p);
}

/* Version 0 and 1 of the project: 1 changes b.c and drops d.c from the
 * compile database (so a run stores, prunes and re-solves). */
static void fi_project(int version) {
  fi_write("h.h", "extern _Thread_local int tv;\n"
                  "static inline int hh(int x) { return x + 1; }\n"
                  "void abort(void) __attribute__((noreturn));\n"
                  "int b_dies(int x);\n");
  fi_write("a.c", "#include \"h.h\"\n_Thread_local int tv;\nint a_tls(void) { return tv; }\n"
                  "int a_calls(int x) { return b_dies(x) + hh(x); }\n"
                  "static int a_static(int x) { return x * 2; }\n"
                  "int a_ptr(int x) { int (*fp)(int) = a_static; return fp(x); }\n"
                  /* stage 3: a yield, a thread-local address kept across it, recursion */
                  "void a_yield(void) __attribute__((annotate(\"fnprop:yield\")));\nvoid a_yield(void) {}\n"
                  "int a_keep(int x) { int *p = &tv; a_yield(); return x > 0 ? a_keep(x - 1) + *p : *p; }\n");
  fi_write("b.c", version == 0 ? "#include \"h.h\"\nint b_dies(int x) { if (x < 0) abort(); return hh(x); }\n"
                               : "#include \"h.h\"\nint b_dies(int x) { return hh(x) * 3; }\n"
                                 "int b_new(int x) { return a_tls() + x; }\nint a_tls(void);\n");
  fi_write("c.c", "int c_bad(int x) { return x +; }\nint c_ok(int x) { return x; }\n");
  fi_write("d.c", "#include \"h.h\"\nint d_fn(int x) { return b_dies(x); }\n"
                  "int d_omp(int n) {\n  int s = 0;\n#pragma omp parallel\n#pragma omp single\n"
                  "  for (int i = 0; i < n; i++) {\n#pragma omp task untied shared(s) firstprivate(i)\n"
                  "    {\n#pragma omp atomic\n      s += hh(i) + tv;\n#pragma omp taskyield\n    }\n  }\n"
                  "  return s;\n}\n");
  char json[4096];
  int n = snprintf(json, sizeof json, "[");
  const char *files[] = {"a.c", "b.c", "c.c", "d.c"};
  for (int i = 0; i < (version == 0 ? 4 : 3); i++)
    n +=
        snprintf(json + n, sizeof json - (size_t)n,
                 "%s{\"directory\": \"%s\", \"file\": \"%s\", \"arguments\": [\"cc\", \"-std=c11\", %s\"-c\", \"%s\"]}",
                 i ? ",\n" : "", fi_dir, files[i], i == 3 ? "\"-fopenmp\", " : "", files[i]);
  snprintf(json + n, sizeof json - (size_t)n, "]\n");
  fi_write("compile_commands.json", json);
}

/* ---- one run of the pipeline ------------------------------------------------ */
static char *fi_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *s = __real_malloc(cap);
  size_t k;
  while (s && (k = fread(s + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) s = __real_realloc(s, cap *= 2);
  }
  fclose(f);
  if (s) s[n < cap ? n : cap - 1] = '\0';
  *len = n;
  return s;
}

/* Runs compile database -> database -> update -> dump + JSON export into
 * outpath.  Returns 0 or -1 with err set. */
static int fi_pipeline(const char *dbpath, const char *outpath, char *err, size_t errlen) {
  err[0] = '\0';
  int rc = -1;
  FILE *out = NULL;
  cf_config cfg;
  cf_init(&cfg);
  pdb *store = NULL;
  cdb *db = cdb_load(fi_dir, err, errlen);
  if (!db) goto done;
  store = pdb_open(dbpath, 0, err, errlen);
  if (!store) goto done;
  dr_opts o = {1, 0, &cfg};
  dr_stats st;
  if (dr_update(&o, db, store, &st, err, errlen) < 0) goto done;
  out = fopen(outpath, "w");
  if (!out) {
    snprintf(err, errlen, "cannot write %s", outpath);
    goto done;
  }
  rp_opts ro = {fi_dir, NULL, 0};
  char perr[256];
  if (dg_parse_errors(store, out, fi_dir, perr, sizeof perr) < 0 || rp_dump_verdicts(store, out, &ro) < 0 ||
      rp_export_jsonl(store, out) < 0 || rp_explain(store, out, "a_calls", &ro) < 0) {
    /* as main.c: a report failure that is not the database's is memory */
    snprintf(err, errlen, "%s", pdb_error(store)[0] ? pdb_error(store) : "out of memory writing the report");
    goto done;
  }
  rc = 0;
done:
  if (out && fclose(out) != 0 && rc == 0) {
    snprintf(err, errlen, "cannot write %s", outpath);
    rc = -1;
  }
  pdb_close(store);
  cdb_destroy(db);
  cf_free(&cfg);
  return rc;
}

/* The `properties` view and the TU table as text ("" when there is none),
 * read through a separate connection; integrity_check must say ok. */
static char *fi_state(const char *dbpath, int *intact) {
  sqlite3 *db = NULL;
  *intact = 1;
  size_t cap = 1 << 16, n = 0;
  char *s = __real_calloc(1, cap);
  if (access(dbpath, F_OK) != 0) return s;
  if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    *intact = 0;
    sqlite3_close(db);
    return s;
  }
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW ||
      strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0)
    *intact = 0;
  sqlite3_finalize(q);
  q = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT name || '|' || file || '|' || tls || '|' || panic || '|' || "
                         "coalesce(witness, '') FROM properties ORDER BY 1",
                         -1, &q, NULL) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      const char *t = (const char *)sqlite3_column_text(q, 0);
      size_t k = t ? strlen(t) : 0;
      while (n + k + 2 > cap) s = __real_realloc(s, cap *= 2);
      memcpy(s + n, t ? t : "", k);
      n += k;
      s[n++] = '\n';
      s[n] = '\0';
    }
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return s;
}

static void fi_rm_db(const char *path) {
  char p[600];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
}

static void fi_copy(const char *from, const char *to) {
  size_t n;
  char *s = fi_slurp(from, &n);
  FILE *f = fopen(to, "wb");
  if (!s || !f || fwrite(s, 1, n, f) != n || fclose(f) != 0) fi_die("cannot copy %s to %s", from, to);
  free(s);
}

/* ---- the loop ------------------------------------------------------------------ */
typedef struct fi_case {
  int kind, from, incr;
} fi_case;

static int fi_failures;

static void fi_bad(const fi_case *c, long n, const char *what, const char *detail) {
  fprintf(stderr, "FAIL: %s fault %s #%ld (%s): %s%s%s\n", c->kind == FI_ALLOC ? "alloc" : "sql",
          c->from ? "from" : "at", n, c->incr ? "incremental" : "cold", what, detail ? ": " : "", detail ? detail : "");
  if (fi_failures++ < 40 && fi_nbt > 2) { /* where the fault hit (frames 0-1: this file) */
    fprintf(stderr, "  fault injected at:\n");
    backtrace_symbols_fd(fi_bt + 2, fi_nbt - 2 < 8 ? fi_nbt - 2 : 8, 2);
  }
}

static int fi_equal_file(const char *path, const char *ref) {
  size_t n;
  char *s = fi_slurp(path, &n);
  int eq = s && strcmp(s, ref) == 0;
  free(s);
  return eq;
}

/* Runs one case for N = 1, 1 + stride, ... until a run needs fewer calls. */
static long fi_loop(const fi_case *c, long first, long max, long stride, const char *ref_out, const char *base_state,
                    const char *ref_state) {
  char db[512], out[512], base[512], err[1024];
  snprintf(db, sizeof db, "%s/work.db", fi_dir);
  snprintf(out, sizeof out, "%s/out.txt", fi_dir);
  snprintf(base, sizeof base, "%s/base.db", fi_dir);
  long n, runs = 0, hits = 0, errors = 0;
  int failures0 = fi_failures;
  for (n = first; n <= max; n += stride) {
    fi_rm_db(db);
    if (c->incr) fi_copy(base, db);
    atomic_store(&fi_calls, 0);
    atomic_store(&fi_hits, 0);
    fi_nbt = 0;
    atomic_store(&fi_target, n);
    fi_kind = c->kind;
    fi_from = c->from;
    if (fi_verbose > 1) fprintf(stderr, "run %ld\n", n);
    atomic_store(&fi_armed, 1);
    int rc = fi_pipeline(db, out, err, sizeof err);
    atomic_store(&fi_armed, 0);
    runs++;
    long hit = atomic_load(&fi_hits);
    hits += hit > 0;
    if (rc == 0 && !fi_equal_file(out, ref_out)) fi_bad(c, n, "succeeded with other output", NULL);
    if (rc < 0) {
      errors++;
      if (!err[0]) fi_bad(c, n, "failed without a message", NULL);
      if (!hit) fi_bad(c, n, "failed without a fault", err);
      if (fi_verbose > 1) fprintf(stderr, "  error: %s\n", err);
    }
    int intact;
    char *st = fi_state(db, &intact);
    if (!intact) fi_bad(c, n, "integrity_check failed", NULL);
    if (strcmp(st, ref_state) != 0 && strcmp(st, base_state) != 0)
      fi_bad(c, n, "the stored results are neither the old nor the new ones", NULL);
    free(st);
    if (fi_pipeline(db, out, err, sizeof err) < 0) fi_bad(c, n, "the next normal run failed", err);
    else if (!fi_equal_file(out, ref_out)) fi_bad(c, n, "the next normal run gave other output", NULL);
    if (!hit) break; /* the run needed fewer than n calls: done */
    if (fi_failures - failures0 > 20) {
      fprintf(stderr, "  (stopped after 20 failures)\n");
      break;
    }
  }
  fprintf(stderr, "%s fault %s (%s): %ld runs, %ld with a fault, %ld returned an error\n",
          c->kind == FI_ALLOC ? "alloc" : "sql", c->from ? "from N on" : "at N", c->incr ? "incremental" : "cold", runs,
          hits, errors);
  if (n > max) fprintf(stderr, "  (stopped at N = %ld; more calls remain)\n", max);
  return runs;
}

int main(int argc, char **argv) {
  const char *only_kind = NULL, *only_mode = NULL, *only_scn = NULL;
  long max = 100000, stride = 1, first = 1;
  int opt;
  while ((opt = getopt(argc, argv, "vtk:m:s:n:e:f:")) != -1) {
    switch (opt) {
    case 'v': fi_verbose++; break;
    case 't': fi_trace = 1; break;
    case 'f': first = atol(optarg) > 0 ? atol(optarg) : 1; break;
    case 'k': only_kind = optarg; break;
    case 'm': only_mode = optarg; break;
    case 's': only_scn = optarg; break;
    case 'n': max = atol(optarg); break;
    case 'e': stride = atol(optarg) > 0 ? atol(optarg) : 1; break;
    default:
      fi_die("usage: fault_inject [-vt] [-k alloc|sql] [-m once|from] [-s cold|incr] [-f FIRST] [-n MAX] [-e STRIDE]");
    }
  }
  /* A RAM disk when there is one: thousands of runs, each syncing. */
  const char *tmp = getenv("TMPDIR");
  if (!tmp && access("/dev/shm", W_OK) == 0) tmp = "/dev/shm";
  snprintf(fi_dir, sizeof fi_dir, "%s/fnprop-fault.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(fi_dir)) fi_die("mkdtemp: %s", strerror(errno));
  char err[1024], db[512], out[512], base[512];
  snprintf(db, sizeof db, "%s/work.db", fi_dir);
  snprintf(out, sizeof out, "%s/out.txt", fi_dir);
  snprintf(base, sizeof base, "%s/base.db", fi_dir);

  /* The old state (version 0) and the reference of version 1. */
  fi_project(0);
  if (fi_pipeline(base, out, err, sizeof err) < 0) fi_die("version 0: %s", err);
  int intact;
  char *base_state = fi_state(base, &intact);
  fi_project(1);
  fi_rm_db(db);
  if (fi_pipeline(db, out, err, sizeof err) < 0) fi_die("reference run: %s", err);
  size_t n;
  char *ref_out = fi_slurp(out, &n);
  char *ref_state = fi_state(db, &intact);
  if (!ref_out || !ref_state[0] || !strstr(ref_out, "b_new")) fi_die("reference run gave no results");
  if (!strstr(ref_out, "[fnprop-parse-error]")) fi_die("reference run lacks the parse error of c.c");
  char *empty = __real_calloc(1, 1);

  static const fi_case cases[] = {
      {FI_SQL, 0, 0},   {FI_SQL, 0, 1},   {FI_SQL, 1, 0},   {FI_SQL, 1, 1},
      {FI_ALLOC, 0, 0}, {FI_ALLOC, 0, 1}, {FI_ALLOC, 1, 0}, {FI_ALLOC, 1, 1},
  };
  long total = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const fi_case *c = &cases[i];
    if (only_kind && strcmp(only_kind, c->kind == FI_ALLOC ? "alloc" : "sql") != 0) continue;
    if (only_mode && strcmp(only_mode, c->from ? "from" : "once") != 0) continue;
    if (only_scn && strcmp(only_scn, c->incr ? "incr" : "cold") != 0) continue;
    total += fi_loop(c, first, max, stride, ref_out, c->incr ? base_state : empty, ref_state);
  }
  free(ref_out);
  free(ref_state);
  free(base_state);
  free(empty);
  if (!getenv("FI_KEEP")) {
    static const char *const names[] = {"h.h", "a.c", "b.c", "c.c", "d.c", "compile_commands.json", "out.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      char p[600];
      snprintf(p, sizeof p, "%s/%s", fi_dir, names[i]);
      unlink(p);
    }
    fi_rm_db(db);
    fi_rm_db(base);
    if (rmdir(fi_dir) != 0) fprintf(stderr, "fault_inject: cannot remove %s: %s\n", fi_dir, strerror(errno));
  }
  fprintf(stderr, "%ld runs, %d failure(s)\n", total, fi_failures);
  printf("%s\n", fi_failures ? "FAIL: fault_inject" : "PASS: fault_inject");
  return fi_failures ? 1 : 0;
}
