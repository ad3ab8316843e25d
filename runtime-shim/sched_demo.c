/* SPDX-License-Identifier: MIT */
/*
 * sched_demo.c - an imbalanced mixed workload on fsched: proven tasks migrate,
 * tasks that keep thread-local state across yields stay on their thread.
 *
 * Invariant: every migration decision comes from the verdict table compiled
 * into this program -- in the normal build, fnprop's analysis of this very
 * file -- and under the default (shim) policy a task that touches
 * thread-local state never observes a thread change after a yield; the demo
 * exits with status 3 if one does.  One root task on worker 0 spawns every
 * task there, so the other workers only get work by stealing it.
 *
 * Prints exactly one JSON object on stdout.
 */
#include <errno.h>
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

typedef struct demo_job {
  unsigned long seed;
  unsigned slices;              /* yields */
  unsigned work;                /* mixing rounds per slice */
  unsigned long result;
  unsigned long thread_changes; /* tls tasks: times a yield returned elsewhere */
} demo_job;

typedef struct demo {
  fsched *s;
  demo_job *jobs;
  unsigned ntasks, tls_percent;
  atomic_ulong spawn_errors;
  atomic_ulong proven_done, proven_migrated, proven_migrations;
  atomic_ulong tls_done, tls_migrated, tls_migrations, tls_thread_changes;
  atomic_ulong started_on_spawner; /* tasks whose home is the root's worker */
  atomic_int root_worker;
  double t0;                         /* start, for the finish times */
  _Atomic double proven_finish, tls_finish; /* last completion, seconds */
} demo;

/* Task entry points: the analyzer sees FNPROP_TASK, the shim sees
 * FNPROP_RT_ENTRY. */
static void demo_proven(void *arg) FNPROP_TASK;
static void demo_tls(void *arg) FNPROP_TASK;
static void demo_root(void *arg) FNPROP_TASK;

/* Per-thread scratch a tls task keeps its running value in across yields:
 * exactly the state that would silently change under migration. */
static _Thread_local unsigned long demo_scratch;

static unsigned long demo_mix(unsigned long x, unsigned rounds) {
  for (unsigned i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

/* Address of this thread's demo_scratch, computed afresh on every call: a
 * compiler may reuse a thread-local address across the yield (LLVM issue
 * 98479), and clang treats a plain accessor as pure; the volatile asm
 * forbids both. */
__attribute__((noinline)) static unsigned long *demo_scratch_addr(void) {
  unsigned long *p = &demo_scratch;
  __asm__ volatile("" : "+r"(p));
  return p;
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

/* Same work, but the running value lives in thread-local storage across
 * each yield, and the task watches which thread it resumes on. */
static void demo_tls(void *arg) {
  demo_job *j = arg;
  int worker = fsched_current_worker();
  unsigned long *slot = demo_scratch_addr();
  demo_scratch = j->seed;
  for (unsigned i = 0; i <= j->slices; i++) {
    if (i > 0) demo_scratch = demo_mix(demo_scratch, j->work);
    fsched_yield(); /* the first one: wait for input */
    if (fsched_current_worker() != worker || demo_scratch_addr() != slot) {
      j->thread_changes++;
      worker = fsched_current_worker();
      slot = demo_scratch_addr();
    }
  }
  j->result = *demo_scratch_addr();
}
FNPROP_RT_ENTRY(demo_tls);

/* Is job i a tls task?  Spreads tls_percent of the jobs evenly. */
static int demo_is_tls(unsigned i, unsigned pct) {
  return (unsigned long)(i + 1) * pct / 100 > (unsigned long)i * pct / 100;
}

/* Starts every job on the worker running it (queued on worker 0; an idle
 * worker may take the root itself before worker 0 starts it). */
static void demo_root(void *arg) {
  demo *d = arg;
  atomic_store(&d->root_worker, fsched_current_worker());
  for (unsigned i = 0; i < d->ntasks; i++)
    if (fsched_spawn_eager(d->s, demo_is_tls(i, d->tls_percent) ? demo_tls : demo_proven, &d->jobs[i]))
      atomic_fetch_add(&d->spawn_errors, 1);
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
    atomic_fetch_add(&d->started_on_spawner,
                     (unsigned long)((int)info->first_worker == atomic_load(&d->root_worker)));
  if (info->fn == demo_proven) {
    atomic_fetch_add(&d->proven_done, 1);
    atomic_fetch_add(&d->proven_migrated, (unsigned long)moved);
    atomic_fetch_add(&d->proven_migrations, info->migrations);
    demo_finish(&d->proven_finish, d->t0);
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
  unsigned workers, tasks, slices, work, tls_percent;
  fsched_policy policy;
  int report;
} demo_opts;

static void demo_usage(FILE *f) {
  fprintf(f,
          "usage: sched-demo [--workers N] [--tasks N] [--slices N] [--work N]\n"
          "                  [--tls-percent P] [--mode shim|pinned|unsafe]\n"
          "                  [--unsafe-migrate-all] [--pin-all] [--report]\n"
          "Runs an imbalanced workload (one worker spawns every task) and prints\n"
          "one JSON object.  --mode shim (default) migrates only tasks whose entry\n"
          "fnprop proved !tls; pinned never migrates a started task; unsafe\n"
          "(--unsafe-migrate-all) migrates everything.  --report lists the shim's\n"
          "decision per entry on stderr.\n");
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
    else if (!strcmp(a, "--unsafe-migrate-all")) o->policy = FSCHED_MIGRATE_ALL;
    else if (!strcmp(a, "--pin-all")) o->policy = FSCHED_PIN_ALL;
    else if (!strcmp(a, "--report")) o->report = 1;
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
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void demo_print(const demo *d, const demo_opts *o, int status, const fsched_stats *st,
                       double secs, double cpu) {
  printf("{\"mode\":\"%s\",\"workers\":%u,\"tasks\":%u,\"proven_tasks\":%lu,\"tls_tasks\":%lu,"
         "\"slices\":%u,\"work\":%u,\"verdicts\":\"%s\",\"table_status\":\"%s\","
         "\"proven_entry\":\"%s\",\"tls_entry\":\"%s\",\"root_entry\":\"%s\","
         "\"proven_migrated\":%lu,\"proven_migrations\":%lu,\"tls_migrated\":%lu,"
         "\"tls_migrations\":%lu,\"tls_thread_changes\":%lu,\"steals\":%lu,"
         "\"steals_started\":%lu,\"started_on_spawner\":%lu,\"spawn_errors\":%lu,\"seconds\":%.6f,"
         "\"cpu_seconds\":%.6f,\"proven_finish\":%.6f,\"tls_finish\":%.6f,"
         "\"tasks_per_second\":%.1f}\n",
         demo_policy_name(o->policy), o->workers, o->tasks, atomic_load(&d->proven_done),
         atomic_load(&d->tls_done), o->slices, o->work, SCHED_DEMO_VERDICTS,
         demo_status_name(status), fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_proven)),
         fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_tls)),
         fnprop_rt_reason_name(fnprop_rt_why((const void *)demo_root)),
         atomic_load(&d->proven_migrated), atomic_load(&d->proven_migrations),
         atomic_load(&d->tls_migrated), atomic_load(&d->tls_migrations),
         atomic_load(&d->tls_thread_changes), st->steals, st->steals_started,
         atomic_load(&d->started_on_spawner), atomic_load(&d->spawn_errors), secs, cpu, atomic_load(&d->proven_finish),
         atomic_load(&d->tls_finish), secs > 0 ? o->tasks / secs : 0.0);
}

int main(int argc, char **argv) {
  demo_opts o = {2, 2000, 20, 3000, 10, FSCHED_SHIM, 0};
  demo d;
  fsched_config cfg;
  fsched_stats st;
  double t0, t1, c0, c1;
  int status, rc;
  if (demo_parse(argc, argv, &o) != 0) {
    demo_usage(stderr);
    return 2;
  }
  status = FNPROP_RT_INIT();
  if (o.report) fnprop_rt_report(stderr);
  memset(&d, 0, sizeof d);
  d.ntasks = o.tasks;
  d.tls_percent = o.tls_percent;
  d.jobs = calloc(o.tasks, sizeof *d.jobs);
  if (!d.jobs) {
    fprintf(stderr, "sched-demo: error: out of memory for %u tasks\n", o.tasks);
    return 1;
  }
  for (unsigned i = 0; i < o.tasks; i++) {
    d.jobs[i].seed = 0x9E3779B97F4A7C15ul ^ (i + 1);
    d.jobs[i].slices = o.slices;
    d.jobs[i].work = o.work;
  }
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
  demo_print(&d, &o, status, &st, t1 - t0, c1 - c0);
  free(d.jobs);
  fnprop_rt_shutdown();
  if (o.policy == FSCHED_SHIM && atomic_load(&d.tls_thread_changes) > 0) {
    fprintf(stderr, "sched-demo: error: a pinned task changed thread under the shim policy\n");
    return 3;
  }
  return atomic_load(&d.spawn_errors) ? 1 : 0;
}
