/* SPDX-License-Identifier: MIT */
/*
 * sched_demo.c - an imbalanced mixed workload on fsched: proven tasks migrate,
 * tasks that use errno between yields migrate under the stage-3 gate, tasks
 * that keep thread-local state across yields stay on their thread.
 *
 * Invariant: every migration decision comes from the verdict table compiled
 * into this program -- in the normal build, fnprop's analysis of this very
 * file -- and under the default (shim) policy a task that touches
 * thread-local state never observes a thread change after a yield; the demo
 * exits with status 3 if one does.  One root task on worker 0 spawns every
 * task there, so the other workers only get work by stealing it.
 *
 * Every task's result is checked against the same computation done
 * sequentially after the run: a wrong result exits with status 4.  The
 * errno tasks set errno, call strtoul and read errno between two yields,
 * never across one: under --migrate-on=migrate (the default) they migrate
 * and stay right; under --migrate-on=tls they are pinned.  The tls
 * tasks keep their running value in a per-thread table slot of their own
 * across yields, which is correct for as long as they stay on their thread
 * (pinned mode, shim mode) and wrong once they migrate: under
 * --unsafe-migrate-all their wrong results are the hazard being shown, so
 * they are counted but do not fail the run.
 *
 * Prints exactly one JSON object on stdout.
 */
/* errno afresh at every use: the compilers cache __errno_location() across
 * the yield otherwise (fnprop_rt.h).  SCHED_DEMO_RAW_ERRNO builds the demo
 * without it (sched-demo-raw-errno), to show what goes wrong then. */
#ifndef SCHED_DEMO_RAW_ERRNO
#define FNPROP_RT_FRESH_ERRNO 1
#endif

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fnprop.h"
#include "fnprop_rt.h"
#include "fsched.h"

#ifndef SCHED_DEMO_VERDICTS
#define SCHED_DEMO_VERDICTS "unspecified"
#endif

enum { DEMO_PROVEN, DEMO_ERRNO, DEMO_TLS };

typedef struct demo_job {
  unsigned id;                  /* index: the job's slot in per-thread tables */
  int kind;                     /* DEMO_* */
  unsigned long seed;
  unsigned slices;              /* yields */
  unsigned work;                /* mixing rounds per slice */
  unsigned long result;
  unsigned long thread_changes; /* tls tasks: times a yield returned elsewhere */
} demo_job;

typedef struct demo {
  fsched *s;
  demo_job *jobs;
  unsigned ntasks;
  atomic_ulong spawn_errors;
  atomic_ulong proven_done, proven_migrated, proven_migrations;
  atomic_ulong errno_done, errno_migrated, errno_migrations;
  atomic_ulong tls_done, tls_migrated, tls_migrations, tls_thread_changes;
  atomic_ulong started_on_spawner; /* tasks whose home is the root's worker */
  atomic_int root_worker;
  double t0;                         /* start, for the finish times */
  _Atomic double proven_finish, errno_finish, tls_finish; /* last completion, seconds */
} demo;

/* Task entry points: the analyzer sees FNPROP_TASK, the shim sees
 * FNPROP_RT_ENTRY. */
static void demo_proven(void *arg) FNPROP_TASK;
static void demo_errno(void *arg) FNPROP_TASK;
static void demo_tls(void *arg) FNPROP_TASK;
static void demo_root(void *arg) FNPROP_TASK;

/* Per-thread scratch: one slot per job, where a tls task keeps its running
 * value across yields -- exactly the state that silently changes under
 * migration (the slot of another thread holds another value, or none).
 * Each worker allocates its table on first use; demo_tables keeps them for
 * freeing after the run. */
static _Thread_local unsigned long *volatile demo_scratch;
static unsigned demo_table_len;
static pthread_mutex_t demo_tables_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long **demo_tables;
static size_t demo_ntables;

static unsigned long demo_mix(unsigned long x, unsigned rounds) {
  for (unsigned i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

/* This thread's table, allocated on first use; NULL when out of memory. */
static unsigned long *demo_table_alloc(void) {
  unsigned long *t = calloc(demo_table_len ? demo_table_len : 1, sizeof *t);
  pthread_mutex_lock(&demo_tables_lock);
  unsigned long **nv = t ? realloc(demo_tables, (demo_ntables + 1) * sizeof *nv) : NULL;
  if (nv) {
    demo_tables = nv;
    demo_tables[demo_ntables++] = t;
  }
  pthread_mutex_unlock(&demo_tables_lock);
  if (!nv) free(t);
  return nv ? t : NULL;
}

/* Address of job `job`'s slot in this thread's table, computed afresh on
 * every call: a compiler may reuse a thread-local address across the yield
 * (LLVM issue 98479), and clang treats a plain accessor as pure; noinline
 * and the volatile thread-local forbid both.  Aborts when no table can be
 * allocated (the demo cannot run without one). */
__attribute__((noinline)) static unsigned long *demo_scratch_addr(unsigned job) {
  unsigned long *t = demo_scratch;
  if (!t && !(t = demo_scratch = demo_table_alloc())) abort();
  return &t[job];
}

/* Every demo task models a request: it is accepted on the spawning worker
 * (a trivial first step), waits for its input (a yield), then computes in
 * `slices` slices with a yield after each.  So the spawner ends up holding
 * nearly every task suspended, and only migration can spread the work. */

/* Pure computation and yields: proven !tls. */
static void demo_proven(void *arg) {
  demo_job *j = arg;
  unsigned long x = j->seed;
  fsched_yield(); /* wait for input */
  for (unsigned i = 0; i < j->slices; i++) {
    x = demo_mix(x, j->work);
    fsched_yield();
  }
  j->result = x;
}
FNPROP_RT_ENTRY(demo_proven);

/* One slice's use of errno, set and read with no yield in between: clears
 * it, parses a number that overflows one time in four (strtoul sets ERANGE
 * then, and leaves errno alone on success) and folds what errno says into
 * x.  Inlined into the task on purpose, so errno's address is computed in
 * the task's body around its yields. */
static inline __attribute__((always_inline)) unsigned long demo_errno_step(unsigned long x) {
  static const char *const inputs[] = {"184467440737095516150", "4242", "17", "65535"};
  errno = 0;
  unsigned long v = strtoul(inputs[x & 3], NULL, 10);
  if (errno == ERANGE) return ~x * 31u;
  return x + v;
}

/* The same work as demo_proven, plus errno between the yields: stage 1
 * says tls violated (errno is thread-local), stage 3 says migrate proven
 * (nothing thread-local is live across a yield). */
static void demo_errno(void *arg) {
  demo_job *j = arg;
  unsigned long x = j->seed;
  fsched_yield(); /* wait for input */
  for (unsigned i = 0; i < j->slices; i++) {
    x = demo_errno_step(demo_mix(x, j->work));
    fsched_yield();
  }
  j->result = x;
}
FNPROP_RT_ENTRY(demo_errno);

/* Same work, but the running value lives in thread-local storage across
 * each yield, and the task watches which thread it resumes on. */
static void demo_tls(void *arg) {
  demo_job *j = arg;
  int worker = fsched_current_worker();
  unsigned long *slot = demo_scratch_addr(j->id);
  *slot = j->seed;
  for (unsigned i = 0; i <= j->slices; i++) {
    if (i > 0) *demo_scratch_addr(j->id) = demo_mix(*demo_scratch_addr(j->id), j->work);
    fsched_yield(); /* the first one: wait for input */
    if (fsched_current_worker() != worker || demo_scratch_addr(j->id) != slot) {
      j->thread_changes++;
      worker = fsched_current_worker();
      slot = demo_scratch_addr(j->id);
    }
  }
  j->result = *demo_scratch_addr(j->id);
}
FNPROP_RT_ENTRY(demo_tls);

/* Is job i a tls task?  Spreads tls_percent of the jobs evenly. */
static int demo_is_tls(unsigned i, unsigned pct) {
  return (unsigned long)(i + 1) * pct / 100 > (unsigned long)i * pct / 100;
}

/* Kind of job i: tls as demo_is_tls spreads them; of the others, errno
 * ones while fewer than errno_pct of the jobs so far are. */
static void demo_kinds(demo_job *jobs, unsigned n, unsigned tls_pct, unsigned errno_pct) {
  unsigned long nerrno = 0;
  for (unsigned i = 0; i < n; i++) {
    jobs[i].kind = DEMO_PROVEN;
    if (demo_is_tls(i, tls_pct)) jobs[i].kind = DEMO_TLS;
    else if (nerrno * 100 < (unsigned long)(i + 1) * errno_pct) jobs[i].kind = DEMO_ERRNO, nerrno++;
  }
}

/* Starts every job on the worker running it (queued on worker 0; an idle
 * worker may take the root itself before worker 0 starts it). */
static void demo_root(void *arg) {
  demo *d = arg;
  atomic_store(&d->root_worker, fsched_current_worker());
  for (unsigned i = 0; i < d->ntasks; i++) {
    int k = d->jobs[i].kind;
    if (fsched_spawn_eager(d->s, k == DEMO_TLS ? demo_tls : k == DEMO_ERRNO ? demo_errno : demo_proven, &d->jobs[i]))
      atomic_fetch_add(&d->spawn_errors, 1);
  }
}
FNPROP_RT_ENTRY(demo_root);

static double demo_now(void);

/* Raises *at to now - t0 if that is later. */
static void demo_finish(_Atomic double *at, double t0) {
  double now = demo_now() - t0, old = atomic_load(at);
  while (now > old && !atomic_compare_exchange_weak(at, &old, now)) {}
}

static void demo_done(void *user, const fsched_task_info *info) {
  demo *d = user;
  const demo_job *j = info->arg;
  int moved = info->migrations > 0;
  if (info->fn != demo_root)
    atomic_fetch_add(&d->started_on_spawner, (unsigned long)((int)info->first_worker == atomic_load(&d->root_worker)));
  if (info->fn == demo_proven) {
    atomic_fetch_add(&d->proven_done, 1);
    atomic_fetch_add(&d->proven_migrated, (unsigned long)moved);
    atomic_fetch_add(&d->proven_migrations, info->migrations);
    demo_finish(&d->proven_finish, d->t0);
  } else if (info->fn == demo_errno) {
    atomic_fetch_add(&d->errno_done, 1);
    atomic_fetch_add(&d->errno_migrated, (unsigned long)moved);
    atomic_fetch_add(&d->errno_migrations, info->migrations);
    demo_finish(&d->errno_finish, d->t0);
  } else if (info->fn == demo_tls) {
    atomic_fetch_add(&d->tls_done, 1);
    atomic_fetch_add(&d->tls_migrated, (unsigned long)moved);
    atomic_fetch_add(&d->tls_migrations, info->migrations);
    atomic_fetch_add(&d->tls_thread_changes, j->thread_changes);
    demo_finish(&d->tls_finish, d->t0);
  }
}

/* ---------------------------------------------------------------- options */

typedef struct demo_opts {
  unsigned workers, tasks, slices, work, tls_percent, errno_percent;
  int gate;                     /* --migrate-on: fnprop_rt_gate, -1 not given */
  fsched_policy policy;
  int report;
  unsigned fault_job;           /* 1-based job given a wrong seed; 0 none */
} demo_opts;

static void demo_usage(FILE *f) {
  fprintf(f, "usage: sched-demo [--workers N] [--tasks N] [--slices N] [--work N]\n"
             "                  [--tls-percent P] [--errno-percent P]\n"
             "                  [--mode shim|pinned|unsafe] [--migrate-on=tls|migrate]\n"
             "                  [--unsafe-migrate-all] [--pin-all] [--report]\n"
             "                  [--fault-job N]\n"
             "Runs an imbalanced workload (one worker spawns every task), checks every\n"
             "task's result and prints one JSON object.  Tasks: tls-percent keep\n"
             "thread-local state across yields, errno-percent use errno between\n"
             "yields, the others only compute.  --mode shim (default) migrates only\n"
             "tasks whose entry fnprop proved under the gate --migrate-on: migrate\n"
             "(stage 3, the default; else FNPROP_RT_MIGRATE_ON) or tls (stage 1);\n"
             "pinned never migrates a started task; unsafe (--unsafe-migrate-all)\n"
             "migrates everything.  --report lists the shim's decision per entry\n"
             "on stderr.\n"
             "--fault-job N corrupts job N's input, to show that a wrong result fails\n"
             "the run.  Exit status: 0 all results right, 3 a pinned task changed\n"
             "thread, 4 a wrong result, 1 a run-time error, 2 a usage error.\n");
}

static int demo_num(const char *s, unsigned lo, unsigned hi, unsigned *out) {
  char *end;
  unsigned long v;
  if (!s) return -1;
  errno = 0;
  v = strtoul(s, &end, 10);
  if (errno || *end || end == s || v < lo || v > hi) return -1;
  *out = (unsigned)v;
  return 0;
}

static int demo_parse(int argc, char **argv, demo_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--workers")) bad = demo_num(v, 1, 1024, &o->workers), i++;
    else if (!strcmp(a, "--tasks")) bad = demo_num(v, 1, 10000000, &o->tasks), i++;
    else if (!strcmp(a, "--slices")) bad = demo_num(v, 0, 1000000, &o->slices), i++;
    else if (!strcmp(a, "--work")) bad = demo_num(v, 0, 100000000, &o->work), i++;
    else if (!strcmp(a, "--tls-percent")) bad = demo_num(v, 0, 100, &o->tls_percent), i++;
    else if (!strcmp(a, "--errno-percent")) bad = demo_num(v, 0, 100, &o->errno_percent), i++;
    else if (!strcmp(a, "--migrate-on")) bad = (o->gate = fnprop_rt_gate_parse(v)) < 0, i++;
    else if (!strncmp(a, "--migrate-on=", 13)) bad = (o->gate = fnprop_rt_gate_parse(a + 13)) < 0;
    else if (!strcmp(a, "--unsafe-migrate-all")) o->policy = FSCHED_MIGRATE_ALL;
    else if (!strcmp(a, "--pin-all")) o->policy = FSCHED_PIN_ALL;
    else if (!strcmp(a, "--report")) o->report = 1;
    else if (!strcmp(a, "--fault-job")) bad = demo_num(v, 1, 10000000, &o->fault_job), i++;
    else if (!strcmp(a, "--mode") && v && !strcmp(v, "shim")) o->policy = FSCHED_SHIM, i++;
    else if (!strcmp(a, "--mode") && v && !strcmp(v, "pinned")) o->policy = FSCHED_PIN_ALL, i++;
    else if (!strcmp(a, "--mode") && v && !strcmp(v, "unsafe")) o->policy = FSCHED_MIGRATE_ALL, i++;
    else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      demo_usage(stdout);
      exit(0);
    } else {
      fprintf(stderr, "sched-demo: error: unknown or incomplete option '%s'\n", a);
      return -1;
    }
    if (bad) {
      fprintf(stderr, "sched-demo: error: bad value for '%s'\n", a);
      return -1;
    }
  }
  if (o->tls_percent + o->errno_percent > 100) {
    fprintf(stderr, "sched-demo: error: --tls-percent plus --errno-percent is more than 100\n");
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------- main */

static const char *demo_policy_name(fsched_policy p) {
  return p == FSCHED_PIN_ALL ? "pinned" : p == FSCHED_MIGRATE_ALL ? "unsafe" : "shim";
}

static const char *demo_status_name(int st) {
  switch (st) {
  case FNPROP_RT_OK: return "ok";
  case FNPROP_RT_STALE: return "stale";
  case FNPROP_RT_UNCHECKED: return "unchecked";
  case FNPROP_RT_EABI: return "bad-abi";
  default: return "no-memory";
  }
}

static double demo_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User + system CPU seconds of the whole process so far. */
static double demo_cpu(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Wrong results per kind, against the same computation done here. */
typedef struct demo_check {
  unsigned long proven_wrong, errno_wrong, tls_wrong;
} demo_check;

static demo_check demo_verify(const demo *d, const demo_opts *o) {
  demo_check c = {0, 0, 0};
  for (unsigned i = 0; i < o->tasks; i++) {
    int k = d->jobs[i].kind;
    unsigned long x = 0x9E3779B97F4A7C15ul ^ (i + 1);
    for (unsigned s = 0; s < o->slices; s++) {
      x = demo_mix(x, o->work);
      if (k == DEMO_ERRNO) x = demo_errno_step(x);
    }
    if (d->jobs[i].result == x) continue;
    if (k == DEMO_TLS) c.tls_wrong++;
    else if (k == DEMO_ERRNO) c.errno_wrong++;
    else c.proven_wrong++;
  }
  return c;
}

static void demo_print(const demo *d, const demo_opts *o, int status, const fsched_stats *st, const demo_check *chk,
                       double secs, double cpu) {
  printf("{\"mode\":\"%s\",\"migrate_on\":\"%s\",\"workers\":%u,\"tasks\":%u,\"proven_tasks\":%lu,"
         "\"errno_tasks\":%lu,\"tls_tasks\":%lu,"
         "\"slices\":%u,\"work\":%u,\"verdicts\":\"%s\",\"table_status\":\"%s\","
         "\"proven_entry\":\"%s\",\"errno_entry\":\"%s\",\"tls_entry\":\"%s\",\"root_entry\":\"%s\","
         "\"proven_migrated\":%lu,\"proven_migrations\":%lu,\"errno_migrated\":%lu,\"errno_migrations\":%lu,"
         "\"tls_migrated\":%lu,"
         "\"tls_migrations\":%lu,\"tls_thread_changes\":%lu,\"steals\":%lu,"
         "\"steals_started\":%lu,\"started_on_spawner\":%lu,\"spawn_errors\":%lu,\"seconds\":%.6f,"
         "\"cpu_seconds\":%.6f,\"proven_finish\":%.6f,\"errno_finish\":%.6f,\"tls_finish\":%.6f,"
         "\"tasks_per_second\":%.1f,\"proven_wrong\":%lu,\"errno_wrong\":%lu,\"tls_wrong\":%lu}\n",
         demo_policy_name(o->policy), fnprop_rt_gate_name(fnprop_rt_migrate_on()), o->workers, o->tasks,
         atomic_load(&d->proven_done), atomic_load(&d->errno_done), atomic_load(&d->tls_done), o->slices, o->work,
         SCHED_DEMO_VERDICTS, demo_status_name(status), fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_proven)),
         fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_errno)),
         fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_tls)),
         fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_root)), atomic_load(&d->proven_migrated),
         atomic_load(&d->proven_migrations), atomic_load(&d->errno_migrated), atomic_load(&d->errno_migrations),
         atomic_load(&d->tls_migrated), atomic_load(&d->tls_migrations), atomic_load(&d->tls_thread_changes),
         st->steals, st->steals_started, atomic_load(&d->started_on_spawner), atomic_load(&d->spawn_errors), secs, cpu,
         atomic_load(&d->proven_finish), atomic_load(&d->errno_finish), atomic_load(&d->tls_finish),
         secs > 0 ? o->tasks / secs : 0.0, chk->proven_wrong, chk->errno_wrong, chk->tls_wrong);
}

int main(int argc, char **argv) {
  demo_opts o = {2, 2000, 20, 3000, 10, 0, -1, FSCHED_SHIM, 0, 0};
  demo d;
  fsched_config cfg;
  fsched_stats st;
  double t0, t1, c0, c1;
  int status, rc;
  if (demo_parse(argc, argv, &o) != 0) {
    demo_usage(stderr);
    return 2;
  }
  if (o.gate >= 0) fnprop_rt_set_migrate_on(o.gate);
  status = FNPROP_RT_INIT();
  if (o.report) fnprop_rt_report(stderr);
  memset(&d, 0, sizeof d);
  d.ntasks = o.tasks;
  d.jobs = calloc(o.tasks, sizeof *d.jobs);
  if (!d.jobs) {
    fprintf(stderr, "sched-demo: error: out of memory for %u tasks\n", o.tasks);
    return 1;
  }
  demo_table_len = o.tasks;
  for (unsigned i = 0; i < o.tasks; i++) {
    d.jobs[i].id = i;
    d.jobs[i].seed = 0x9E3779B97F4A7C15ul ^ (i + 1);
    if (i + 1 == o.fault_job) d.jobs[i].seed ^= 1; /* --fault-job: a wrong input */
    d.jobs[i].slices = o.slices;
    d.jobs[i].work = o.work;
  }
  demo_kinds(d.jobs, o.tasks, o.tls_percent, o.errno_percent);
  memset(&cfg, 0, sizeof cfg);
  cfg.workers = o.workers;
  cfg.policy = o.policy;
  cfg.on_done = demo_done;
  cfg.user = &d;
  rc = fsched_create(&d.s, &cfg);
  if (rc) {
    fprintf(stderr, "sched-demo: error: cannot start %u workers: %s\n", o.workers, strerror(rc));
    return 1;
  }
  c0 = demo_cpu();
  t0 = d.t0 = demo_now();
  rc = fsched_spawn_on(d.s, 0, demo_root, &d);
  if (rc == 0) rc = fsched_wait(d.s);
  t1 = demo_now();
  c1 = demo_cpu();
  fsched_get_stats(d.s, &st);
  fsched_destroy(d.s);
  if (rc) {
    fprintf(stderr, "sched-demo: error: cannot run the workload: %s\n", strerror(rc));
    return 1;
  }
  demo_check chk = demo_verify(&d, &o);
  /* the gate as it was for the run: fnprop_rt_shutdown resets it */
  demo_print(&d, &o, status, &st, &chk, t1 - t0, c1 - c0);
  free(d.jobs);
  for (size_t i = 0; i < demo_ntables; i++) free(demo_tables[i]);
  free(demo_tables);
  fnprop_rt_shutdown();
  if (o.policy == FSCHED_SHIM && atomic_load(&d.tls_thread_changes) > 0) {
    fprintf(stderr, "sched-demo: error: a pinned task changed thread under the shim policy\n");
    return 3;
  }
  if (chk.proven_wrong || chk.errno_wrong || (chk.tls_wrong && o.policy != FSCHED_MIGRATE_ALL)) {
    fprintf(stderr, "sched-demo: error: %lu of %u results are wrong (%lu proven, %lu errno, %lu tls tasks)\n",
            chk.proven_wrong + chk.errno_wrong + chk.tls_wrong, o.tasks, chk.proven_wrong, chk.errno_wrong,
            chk.tls_wrong);
    return 4;
  }
  return atomic_load(&d.spawn_errors) ? 1 : 0;
}
