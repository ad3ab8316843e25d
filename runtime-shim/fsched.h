/* SPDX-License-Identifier: MIT */
/*
 * fsched.h - reference work-stealing coroutine scheduler driven by fnprop_rt.
 *
 * Key invariant: a task that has started runs only on its home worker (the
 * worker that started it) unless it is migratable, and it is migratable only
 * when fnprop_rt_may_migrate(entry) said so at spawn (policy FSCHED_SHIM).
 * A task that has not started yet has observed no thread and may be taken by
 * any worker, whatever its verdict.
 *
 * Model.  N worker threads.  Each worker owns two FIFO queues: `shared`
 * (unstarted tasks and suspended migratable tasks; other workers steal from
 * its head) and `pinned` (suspended tasks that must resume here; only the
 * owner touches it).  Each queue is served round-robin; the owner picks from
 * `pinned` first (7 picks in 8 while both hold tasks), because only it can
 * run those, while thieves can take the shared ones.  A task is a stackful coroutine
 * (ucontext: makecontext/swapcontext on an mmap'd stack with a guard page);
 * fsched_yield() suspends it, and the worker that runs it next may be
 * another one only if the task is migratable.
 *
 * Locking.  Each `shared` queue is a mutex-protected intrusive list
 * (documented trade-off: simple, allocation-free, and cheap next to the
 * ~0.5 us swapcontext, which makes two sigprocmask system calls); `pinned`
 * needs no lock.  Idle workers spin briefly, then sleep on a condition
 * variable with a 1 ms timeout.  The fnprop_rt decision itself is lock-free.
 *
 * Spawning.  fsched_spawn() queues an unstarted task (any worker may start
 * it); fsched_spawn_eager() runs the child's first step on the spawning
 * worker at once, through two owner-only slots (`handoff` for the child,
 * `runnext` for the parent), so the child's home is the spawner -- an accept
 * loop that reads each request before suspending it behaves like this, and
 * it is what makes sched-demo's load land on one worker.
 *
 * Thread-local state and context switches (LLVM issue 98479): a compiler may
 * compute the address of a thread-local variable once per function and
 * reuse it after a call that, with coroutines, resumes on another thread.
 * The switch path therefore never uses a thread-local-derived value after
 * swapcontext: fsched_yield() reads the current task through a noinline,
 * no-IPA accessor *before* switching, and after the switch it reaches the
 * (possibly new) worker only through task->worker, which the resuming worker
 * stores explicitly before switching in.  Task code has the same hazard:
 * re-read thread-local state through a noinline function after a yield.
 *
 * The annotations tell fnprop that fsched_yield() is a yield point that
 * exposes no thread-local state to its caller (a trusted contract: the
 * scheduler's own source is not part of a task's analysis), and that the
 * entry parameter of the spawn functions is a task entry.
 */
#ifndef FSCHED_H
#define FSCHED_H

#include <stddef.h>

#include "fnprop.h"

typedef struct fsched fsched;
typedef void (*fsched_fn)(void *arg);

typedef enum fsched_policy {
  FSCHED_SHIM = 0,        /* migrate exactly what fnprop_rt_may_migrate allows */
  FSCHED_PIN_ALL = 1,     /* never migrate a started task (baseline) */
  FSCHED_MIGRATE_ALL = 2  /* migrate everything: UNSAFE, shows the hazard */
} fsched_policy;

/* What happened to one task; passed to on_done after it returned. */
typedef struct fsched_task_info {
  fsched_fn fn;
  void *arg;
  int migratable;           /* decision taken at spawn */
  unsigned first_worker;    /* home: the worker that started it */
  unsigned last_worker;     /* the worker it finished on */
  unsigned long resumes;    /* switches back in after a yield */
  unsigned long migrations; /* resumes on a worker other than the previous */
} fsched_task_info;

typedef struct fsched_config {
  unsigned workers;        /* worker threads; 0 means 1 */
  size_t stack_size;       /* per task; 0 means 64 KiB (256 KiB under sanitizers) */
  fsched_policy policy;
  /* Called on the worker thread after a task returned (not inside the task);
   * must not call fsched_wait().  May be NULL. */
  void (*on_done)(void *user, const fsched_task_info *info);
  void *user;
} fsched_config;

typedef struct fsched_stats {
  unsigned long spawned, completed;
  unsigned long resumes, migrations;
  unsigned long steals;          /* tasks taken from another worker */
  unsigned long steals_started;  /* of which suspended (already started) */
} fsched_stats;

/* Starts the workers.  Returns 0 and sets *out, or an errno value. */
int fsched_create(fsched **out, const fsched_config *cfg);
/* Stops and joins the workers; tasks not yet finished are discarded (call
 * fsched_wait() first).  Accepts NULL. */
void fsched_destroy(fsched *s);

/* Queues fn(arg) on the calling worker (worker 0 when called from outside
 * the scheduler).  Returns 0, EINVAL or ENOMEM.  Thread-safe. */
int fsched_spawn(fsched *s, fsched_fn fn, void *arg) FNPROP_SPAWN(2);
/* Same, on worker `worker`. */
int fsched_spawn_on(fsched *s, unsigned worker, fsched_fn fn, void *arg) FNPROP_SPAWN(3);

/* Inside a task: start fn(arg) on this worker at once (child first, as an
 * accept loop that reads each request before suspending it does) and resume
 * the caller right after the child's first yield or return.  The child's
 * home is therefore this worker.  Outside a task: fsched_spawn(). */
int fsched_spawn_eager(fsched *s, fsched_fn fn, void *arg) FNPROP_SPAWN(2);

/* Inside a task: suspend and let the worker run another task; the task
 * resumes later, on another worker only if it is migratable.  Outside a
 * task: sched_yield(). */
void fsched_yield(void) FNPROP_NOTLS FNPROP_YIELD;

/* Blocks until every spawned task has finished.  Returns 0, or EDEADLK
 * when called from one of s's workers. */
int fsched_wait(fsched *s);

/* Counters summed over the workers; exact once fsched_wait() returned. */
void fsched_get_stats(const fsched *s, fsched_stats *out);

/* Index of the worker running the caller, -1 outside any worker.  Reads
 * thread-local state on every call (never inlined). */
int fsched_current_worker(void);

#endif /* FSCHED_H */
