/* SPDX-License-Identifier: MIT */
/*
 * fsched.c - the reference work-stealing coroutine scheduler (see fsched.h).
 *
 * Invariant: a started task that is not migratable is only ever pushed to
 * its home worker's `pinned` queue, which no other thread reads, so it can
 * only be resumed by its home worker.  Everything a thief can reach lives in
 * `shared` queues, and a task enters a `shared` queue only while unstarted
 * or when t->migratable is set.  After swapcontext() no code here uses a
 * value derived from thread-local storage (see fsched.h, LLVM issue 98479).
 */
#include "fsched.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "fnprop_rt.h"

/* ------------------------------------------------------ sanitizer hooks */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FSCHED_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define FSCHED_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FSCHED_ASAN)
#define FSCHED_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(FSCHED_TSAN)
#define FSCHED_TSAN 1
#endif

#ifdef FSCHED_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef FSCHED_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Under valgrind, task stacks must be announced or every access to them is
 * "invalid"; the client requests cost nothing outside valgrind. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define FSCHED_VALGRIND 1
#endif
#endif

#if defined(FSCHED_ASAN) || defined(FSCHED_TSAN)
#define FSCHED_DEFAULT_STACK (256u * 1024u)
#else
#define FSCHED_DEFAULT_STACK (64u * 1024u)
#endif

#if defined(__has_attribute)
#if __has_attribute(noipa)
#define FSCHED_OPAQUE __attribute__((noinline, noipa))
#endif
#endif
#ifndef FSCHED_OPAQUE
#define FSCHED_OPAQUE __attribute__((noinline))
#endif

enum {
  FSCHED_SPIN_ROUNDS = 64,   /* idle sched_yield rounds before sleeping */
  FSCHED_SLEEP_NS = 1000000, /* idle sleep, bounded so no wake-up is lost */
  FSCHED_POOL_MAX = 256,     /* free stacks kept per worker */
  FSCHED_SHARED_TURN = 8     /* 1 local pick in 8 serves `shared` first */
};

/* ------------------------------------------------------------------ types */

enum { T_NEW, T_RUNNING, T_YIELDED, T_SPAWNING, T_DONE };

typedef struct fsched_task {
  struct fsched_task *qnext;     /* link in exactly one queue at a time */
  fsched_fn fn;
  void *arg;
  struct fsched_worker *worker;  /* runs it now: set before every switch in */
  struct fsched_worker *home;    /* started it; NULL while unstarted */
  unsigned char *map;            /* stack mapping, guard page first */
  size_t map_len;
  unsigned vg_id;                /* valgrind stack id (valgrind only) */
  unsigned state;
  int migratable;
  unsigned last_worker;
  unsigned long resumes, migrations;
  ucontext_t ctx;
#ifdef FSCHED_ASAN
  void *asan_fake;
#endif
#ifdef FSCHED_TSAN
  void *tsan_fiber;
#endif
} fsched_task;

typedef struct fsched_queue {
  fsched_task *head, *tail;
} fsched_queue;

typedef struct fsched_stack {
  struct fsched_stack *next;  /* stored at the top of a pooled stack */
  unsigned vg_id;
} fsched_stack;

typedef struct fsched_worker {
  _Alignas(64) pthread_mutex_t lock; /* guards `shared` */
  fsched_queue shared;             /* stealable: unstarted or migratable */
  atomic_size_t nshared;           /* length of `shared`, for lock-free peeks */
  fsched_queue pinned;             /* owner only: started, not migratable */
  unsigned turn;                   /* owner only: picks with both queues busy */
  struct fsched *s;
  unsigned id;
  uint64_t rng;                    /* owner only: victim selection */
  fsched_task *current;            /* owner only */
  fsched_task *handoff;            /* owner only: child to start next */
  fsched_task *runnext;            /* owner only: its parent, right after */
  fsched_stack *pool;              /* owner only: free stacks */
  unsigned npool;
  pthread_t thread;
  ucontext_t ctx;                  /* the worker loop, on the thread's stack */
  atomic_ulong resumes, migrations, steals, steals_started, completed;
#ifdef FSCHED_ASAN
  void *asan_fake;
  const void *asan_bottom;         /* the thread stack, for switching back */
  size_t asan_size;
#endif
#ifdef FSCHED_TSAN
  void *tsan_fiber;
#endif
} fsched_worker;

struct fsched {
  fsched_worker *w;
  unsigned n;
  unsigned started;                /* threads created */
  size_t stack_size;               /* usable bytes, page multiple */
  size_t page;
  fsched_policy policy;
  void (*on_done)(void *, const fsched_task_info *);
  void *user;
  atomic_size_t live;              /* spawned, not yet finished */
  atomic_ulong spawned;
  atomic_uint sleepers;
  atomic_int stop;
  pthread_mutex_t idle_lock;       /* with idle_cond and done_cond */
  pthread_cond_t idle_cond;
  pthread_cond_t done_cond;
};

/* ------------------------------------------------------- thread identity */

static _Thread_local fsched_worker *fsched_tls_worker;

/* The worker running the caller.  Never inlined, opaque to IPA, and given a
 * side effect (the empty volatile asm) so that no compiler may treat two
 * calls as one and reuse the first result after a switch -- clang otherwise
 * infers such accessors to be pure.  Callers still must not keep the result
 * across a switch themselves (fsched_yield does not). */
FSCHED_OPAQUE static fsched_worker *fsched_self(void) {
  fsched_worker *w = fsched_tls_worker;
  __asm__ volatile("" : "+r"(w));
  return w;
}

int fsched_current_worker(void) {
  fsched_worker *w = fsched_self();
  return w ? (int)w->id : -1;
}

/* Single-writer counter: no read-modify-write instruction needed. */
static void fsched_bump(atomic_ulong *c) {
  atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1, memory_order_relaxed);
}

/* ----------------------------------------------------------------- queues */

static void fsched_q_push(fsched_queue *q, fsched_task *t) {
  t->qnext = NULL;
  if (q->tail) q->tail->qnext = t;
  else q->head = t;
  q->tail = t;
}

static fsched_task *fsched_q_pop(fsched_queue *q) {
  fsched_task *t = q->head;
  if (t) {
    q->head = t->qnext;
    if (!q->head) q->tail = NULL;
    t->qnext = NULL;
  }
  return t;
}

/* Wakes one sleeping worker if any.  The caller's seq_cst increment of a
 * queue length and this seq_cst load pair with fsched_idle's seq_cst
 * increment of `sleepers` and load of the lengths: either the sleeper sees
 * the new task or we see the sleeper (no fences: GCC's TSan lacks them). */
static void fsched_wake(fsched *s) {
  if (atomic_load_explicit(&s->sleepers, memory_order_seq_cst) == 0) return;
  pthread_mutex_lock(&s->idle_lock);
  pthread_cond_signal(&s->idle_cond);
  pthread_mutex_unlock(&s->idle_lock);
}

static void fsched_push_shared(fsched_worker *w, fsched_task *t) {
  pthread_mutex_lock(&w->lock);
  fsched_q_push(&w->shared, t);
  atomic_fetch_add_explicit(&w->nshared, 1, memory_order_seq_cst);
  pthread_mutex_unlock(&w->lock);
  fsched_wake(w->s);
}

static void fsched_push_pinned(fsched_worker *w, fsched_task *t) { fsched_q_push(&w->pinned, t); }

/* The owner's next task.  Pinned first: only this worker can run a pinned
 * task, while a shared one may be taken by any idle thief, so serving the
 * pinned queue first keeps the thread-local tail off the critical path.  One
 * pick in FSCHED_SHARED_TURN still goes to `shared`, so nothing starves
 * (a pinned task that polls in a yield loop cannot lock out the rest). */
static fsched_task *fsched_pop_local(fsched_worker *w) {
  fsched_task *t;
  if (w->pinned.head &&
      (atomic_load_explicit(&w->nshared, memory_order_relaxed) == 0 || ++w->turn % FSCHED_SHARED_TURN != 0))
    return fsched_q_pop(&w->pinned);
  pthread_mutex_lock(&w->lock);
  t = fsched_q_pop(&w->shared);
  if (t) atomic_fetch_sub_explicit(&w->nshared, 1, memory_order_relaxed);
  pthread_mutex_unlock(&w->lock);
  return t ? t : fsched_q_pop(&w->pinned);
}

/* The owner's next task: a child handed off by fsched_spawn_eager, then its
 * parent, then the queues. */
static fsched_task *fsched_next_local(fsched_worker *w) {
  fsched_task *t = w->handoff ? w->handoff : w->runnext;
  if (!t) return fsched_pop_local(w);
  if (t == w->handoff) w->handoff = NULL;
  else w->runnext = NULL;
  return t;
}

/* One task from the head of another worker's `shared` queue, or NULL. */
static fsched_task *fsched_steal(fsched_worker *w) {
  fsched *s = w->s;
  unsigned start;
  w->rng ^= w->rng << 13, w->rng ^= w->rng >> 7, w->rng ^= w->rng << 17;
  start = (unsigned)(w->rng % s->n);
  for (unsigned i = 0; i < s->n; i++) {
    fsched_worker *v = &s->w[(start + i) % s->n];
    fsched_task *t;
    if (v == w || atomic_load_explicit(&v->nshared, memory_order_relaxed) == 0) continue;
    pthread_mutex_lock(&v->lock);
    t = fsched_q_pop(&v->shared);
    if (t) atomic_fetch_sub_explicit(&v->nshared, 1, memory_order_relaxed);
    pthread_mutex_unlock(&v->lock);
    if (!t) continue;
    fsched_bump(&w->steals);
    if (t->state != T_NEW) fsched_bump(&w->steals_started);
    return t;
  }
  return NULL;
}

static int fsched_any_shared(fsched *s) {
  for (unsigned i = 0; i < s->n; i++)
    if (atomic_load_explicit(&s->w[i].nshared, memory_order_seq_cst)) return 1;
  return 0;
}

/* Nothing to run: spin politely, then sleep until woken or 1 ms passed. */
static void fsched_idle(fsched_worker *w, unsigned *rounds) {
  fsched *s = w->s;
  struct timespec ts;
  if (++*rounds < FSCHED_SPIN_ROUNDS) {
    sched_yield();
    return;
  }
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += FSCHED_SLEEP_NS;
  if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
  pthread_mutex_lock(&s->idle_lock);
  atomic_fetch_add_explicit(&s->sleepers, 1, memory_order_seq_cst);
  if (!fsched_any_shared(s) && !atomic_load_explicit(&s->stop, memory_order_relaxed))
    pthread_cond_timedwait(&s->idle_cond, &s->idle_lock, &ts);
  atomic_fetch_sub_explicit(&s->sleepers, 1, memory_order_relaxed);
  pthread_mutex_unlock(&s->idle_lock);
}

/* ----------------------------------------------------------------- stacks */

static unsigned char *fsched_stack_base(const fsched_task *t, const fsched *s) { return t->map + s->page; }

/* A stack for t: from w's pool when w is given, else a fresh mapping with a
 * PROT_NONE guard page below it.  Returns 0 or ENOMEM. */
static int fsched_stack_get(fsched *s, fsched_worker *w, fsched_task *t) {
  t->map_len = s->stack_size + s->page;
  if (w && w->pool) {
    fsched_stack *st = w->pool;
    w->pool = st->next;
    w->npool--;
    t->map = (unsigned char *)st + sizeof *st - t->map_len;
    t->vg_id = st->vg_id;
    return 0;
  }
  t->map = mmap(NULL, t->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (t->map == MAP_FAILED) {
    t->map = NULL;
    return ENOMEM;
  }
  if (mprotect(t->map, s->page, PROT_NONE) != 0) {
    munmap(t->map, t->map_len);
    t->map = NULL;
    return ENOMEM;
  }
#ifdef FSCHED_VALGRIND
  t->vg_id = VALGRIND_STACK_REGISTER(t->map + s->page, t->map + t->map_len);
#endif
  return 0;
}

static void fsched_stack_unmap(unsigned char *map, size_t len, unsigned vg_id) {
#ifdef FSCHED_VALGRIND
  VALGRIND_STACK_DEREGISTER(vg_id);
#endif
  (void)vg_id;
  munmap(map, len);
}

static void fsched_stack_put(fsched *s, fsched_worker *w, fsched_task *t) {
  if (!t->map) return;
#ifdef FSCHED_ASAN
  /* A finished task leaves its never-returning frames poisoned. */
  ASAN_UNPOISON_MEMORY_REGION(fsched_stack_base(t, s), s->stack_size);
#endif
  if (w && w->npool < FSCHED_POOL_MAX) {
    fsched_stack *st = (fsched_stack *)(t->map + t->map_len - sizeof *st);
    st->next = w->pool;
    st->vg_id = t->vg_id;
    w->pool = st;
    w->npool++;
  } else {
    fsched_stack_unmap(t->map, t->map_len, t->vg_id);
  }
  t->map = NULL;
}

/* ------------------------------------------------------- context switches */

/* Task side, leaving: back to the worker that runs us now.  `exiting`: the
 * task finished and its stack is dead.  Returns when resumed, possibly on
 * another worker; from here on only t->worker says which (never TLS). */
static void fsched_switch_out(fsched_task *t, int exiting) {
  fsched_worker *w = t->worker;
#ifdef FSCHED_ASAN
  __sanitizer_start_switch_fiber(exiting ? NULL : &t->asan_fake, w->asan_bottom, w->asan_size);
#endif
#ifdef FSCHED_TSAN
  __tsan_switch_to_fiber(w->tsan_fiber, 0);
#endif
  (void)exiting;
  swapcontext(&t->ctx, &w->ctx);
#ifdef FSCHED_ASAN
  __sanitizer_finish_switch_fiber(t->asan_fake, &t->worker->asan_bottom, &t->worker->asan_size);
#endif
}

/* First frame of every task.  The task pointer arrives split in two ints
 * (makecontext passes int arguments). */
static void fsched_trampoline(unsigned hi, unsigned lo) {
  fsched_task *t = (fsched_task *)(uintptr_t)(((uint64_t)hi << 32) | lo);
#ifdef FSCHED_ASAN
  __sanitizer_finish_switch_fiber(NULL, &t->worker->asan_bottom, &t->worker->asan_size);
#endif
  t->fn(t->arg);
  t->state = T_DONE;
  for (;;) fsched_switch_out(t, 1); /* a finished task is never resumed */
}

/* Worker side: run t until it yields or finishes.  The worker loop never
 * leaves its thread, so `w` stays valid across the switch. */
static void fsched_switch_in(fsched_worker *w, fsched_task *t) {
#ifdef FSCHED_ASAN
  __sanitizer_start_switch_fiber(&w->asan_fake, fsched_stack_base(t, w->s), w->s->stack_size);
#endif
#ifdef FSCHED_TSAN
  __tsan_switch_to_fiber(t->tsan_fiber, 0);
#endif
  swapcontext(&w->ctx, &t->ctx);
#ifdef FSCHED_ASAN
  __sanitizer_finish_switch_fiber(w->asan_fake, NULL, NULL);
#endif
}

/* ------------------------------------------------------------------ tasks */

static void fsched_task_free(fsched *s, fsched_worker *w, fsched_task *t) {
#ifdef FSCHED_TSAN
  if (t->tsan_fiber) __tsan_destroy_fiber(t->tsan_fiber);
#endif
  fsched_stack_put(s, w, t);
  free(t);
}

static int fsched_migratable(const fsched *s, fsched_fn fn) {
  switch (s->policy) {
  case FSCHED_MIGRATE_ALL: return 1;
  case FSCHED_PIN_ALL: return 0;
  default: return fnprop_rt_may_migrate_fn((fnprop_rt_fn)fn);
  }
}

/* getcontext() returns twice; kept out of fsched_task_new's frame.  The
 * saved context is only a template that makecontext() then retargets. */
FSCHED_OPAQUE static int fsched_ctx_template(ucontext_t *c) { return getcontext(c); }

static fsched_task *fsched_task_new(fsched *s, fsched_worker *self, fsched_fn fn, void *arg) {
  fsched_task *t = calloc(1, sizeof *t);
  uint64_t p = (uint64_t)(uintptr_t)t;
  if (!t) return NULL;
  if (fsched_stack_get(s, self, t) != 0 || fsched_ctx_template(&t->ctx) != 0) {
    fsched_task_free(s, self, t);
    return NULL;
  }
  t->fn = fn;
  t->arg = arg;
  t->state = T_NEW;
  t->migratable = fsched_migratable(s, fn);
  t->ctx.uc_stack.ss_sp = fsched_stack_base(t, s);
  t->ctx.uc_stack.ss_size = s->stack_size;
  t->ctx.uc_link = NULL;
  makecontext(&t->ctx, (void (*)(void))fsched_trampoline, 2, (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
#ifdef FSCHED_TSAN
  t->tsan_fiber = __tsan_create_fiber(0);
#endif
  return t;
}

int fsched_spawn_on(fsched *s, unsigned worker, fsched_fn fn, void *arg) {
  fsched_worker *self;
  fsched_task *t;
  if (!s || !fn || worker >= s->n) return EINVAL;
  self = fsched_self();
  t = fsched_task_new(s, self && self->s == s ? self : NULL, fn, arg);
  if (!t) return ENOMEM;
  atomic_fetch_add_explicit(&s->live, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->spawned, 1, memory_order_relaxed);
  fsched_push_shared(&s->w[worker], t);
  return 0;
}

int fsched_spawn(fsched *s, fsched_fn fn, void *arg) {
  fsched_worker *self = fsched_self();
  return fsched_spawn_on(s, self && self->s == s ? self->id : 0, fn, arg);
}

int fsched_spawn_eager(fsched *s, fsched_fn fn, void *arg) {
  fsched_worker *self = fsched_self(); /* valid only until the switch */
  fsched_task *cur = self && self->s == s ? self->current : NULL, *t;
  if (!cur) return fsched_spawn(s, fn, arg);
  if (!fn) return EINVAL;
  t = fsched_task_new(s, self, fn, arg);
  if (!t) return ENOMEM;
  atomic_fetch_add_explicit(&s->live, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->spawned, 1, memory_order_relaxed);
  self->handoff = t;
  cur->state = T_SPAWNING;
  fsched_switch_out(cur, 0);
  /* Resumed, normally at once from runnext; `self` is not used again. */
  return 0;
}

void fsched_yield(void) {
  fsched_worker *w = fsched_self();  /* valid only until the switch */
  fsched_task *t = w ? w->current : NULL;
  if (!t) {
    sched_yield();
    return;
  }
  t->state = T_YIELDED;
  fsched_switch_out(t, 0);
  /* Resumed: `w` may name another thread's worker now and is not used. */
}

/* After a task returned: report, recycle, and count it down. */
static void fsched_finish(fsched_worker *w, fsched_task *t) {
  fsched *s = w->s;
  if (s->on_done) {
    fsched_task_info info = {t->fn, t->arg, t->migratable, t->home->id, w->id, t->resumes, t->migrations};
    s->on_done(s->user, &info);
  }
  fsched_bump(&w->completed);
  fsched_task_free(s, w, t);
  if (atomic_fetch_sub_explicit(&s->live, 1, memory_order_acq_rel) == 1) {
    pthread_mutex_lock(&s->idle_lock);
    pthread_cond_broadcast(&s->done_cond);
    pthread_mutex_unlock(&s->idle_lock);
  }
}

/* A suspended task goes back where it may be resumed from. */
static void fsched_requeue(fsched_worker *w, fsched_task *t) {
  if (t->migratable) fsched_push_shared(w, t);
  else fsched_push_pinned(t->home, t);
}

static void fsched_run(fsched_worker *w, fsched_task *t) {
  if (t->state == T_NEW) {
    t->home = w;
  } else {
    assert(t->migratable || t->home == w);
    t->resumes++;
    fsched_bump(&w->resumes);
    if (t->last_worker != w->id) {
      t->migrations++;
      fsched_bump(&w->migrations);
    }
  }
  t->worker = w;
  t->last_worker = w->id;
  t->state = T_RUNNING;
  w->current = t;
  fsched_switch_in(w, t);
  w->current = NULL;
  if (t->state == T_DONE) {
    fsched_finish(w, t);
  } else if (t->state == T_SPAWNING) {
    if (w->runnext) fsched_requeue(w, w->runnext); /* nested eager spawn */
    w->runnext = t;
  } else {
    fsched_requeue(w, t);
  }
}

/* ---------------------------------------------------------------- workers */

static void *fsched_worker_main(void *arg) {
  fsched_worker *w = arg;
  fsched *s = w->s;
  unsigned rounds = 0;
  fsched_tls_worker = w;
#ifdef FSCHED_TSAN
  w->tsan_fiber = __tsan_get_current_fiber();
#endif
  while (!atomic_load_explicit(&s->stop, memory_order_acquire)) {
    fsched_task *t = fsched_next_local(w);
    if (!t) t = fsched_steal(w);
    if (!t) {
      fsched_idle(w, &rounds);
      continue;
    }
    rounds = 0;
    fsched_run(w, t);
  }
  fsched_tls_worker = NULL;
  return NULL;
}

static void fsched_free_queue(fsched *s, fsched_worker *w, fsched_queue *q) {
  fsched_task *t;
  while ((t = fsched_q_pop(q))) fsched_task_free(s, w, t);
}

void fsched_destroy(fsched *s) {
  if (!s) return;
  pthread_mutex_lock(&s->idle_lock);
  atomic_store_explicit(&s->stop, 1, memory_order_release);
  pthread_cond_broadcast(&s->idle_cond);
  pthread_mutex_unlock(&s->idle_lock);
  for (unsigned i = 0; i < s->started; i++) pthread_join(s->w[i].thread, NULL);
  for (unsigned i = 0; i < s->n; i++) {
    fsched_worker *w = &s->w[i];
    fsched_free_queue(s, NULL, &w->shared);
    fsched_free_queue(s, NULL, &w->pinned);
    if (w->handoff) fsched_task_free(s, NULL, w->handoff);
    if (w->runnext) fsched_task_free(s, NULL, w->runnext);
    while (w->pool) {
      fsched_stack *st = w->pool;
      w->pool = st->next;
      fsched_stack_unmap((unsigned char *)st + sizeof *st - (s->stack_size + s->page), s->stack_size + s->page,
                         st->vg_id);
    }
    pthread_mutex_destroy(&w->lock);
  }
  pthread_cond_destroy(&s->idle_cond);
  pthread_cond_destroy(&s->done_cond);
  pthread_mutex_destroy(&s->idle_lock);
  free(s->w);
  free(s);
}

int fsched_create(fsched **out, const fsched_config *cfg) {
  fsched *s;
  long page = sysconf(_SC_PAGESIZE);
  int rc = 0;
  if (!out || !cfg) return EINVAL;
  *out = NULL;
  s = calloc(1, sizeof *s);
  if (!s) return ENOMEM;
  s->n = cfg->workers ? cfg->workers : 1;
  s->page = page > 0 ? (size_t)page : 4096;
  s->stack_size = cfg->stack_size ? cfg->stack_size : FSCHED_DEFAULT_STACK;
  s->stack_size = (s->stack_size + s->page - 1) / s->page * s->page;
  s->policy = cfg->policy;
  s->on_done = cfg->on_done;
  s->user = cfg->user;
  pthread_mutex_init(&s->idle_lock, NULL);
  pthread_cond_init(&s->idle_cond, NULL);
  pthread_cond_init(&s->done_cond, NULL);
  s->w = aligned_alloc(64, ((s->n * sizeof *s->w) + 63) / 64 * 64);
  if (!s->w) {
    s->n = 0;
    fsched_destroy(s);
    return ENOMEM;
  }
  memset(s->w, 0, s->n * sizeof *s->w);
  for (unsigned i = 0; i < s->n; i++) {
    s->w[i].s = s;
    s->w[i].id = i;
    s->w[i].rng = 0x9E3779B97F4A7C15ull * (i + 1);
    pthread_mutex_init(&s->w[i].lock, NULL);
  }
  for (; s->started < s->n; s->started++) {
    rc = pthread_create(&s->w[s->started].thread, NULL, fsched_worker_main, &s->w[s->started]);
    if (rc) break;
  }
  if (rc) {
    fsched_destroy(s);
    return rc;
  }
  *out = s;
  return 0;
}

int fsched_wait(fsched *s) {
  fsched_worker *self = fsched_self();
  if (!s) return EINVAL;
  if (self && self->s == s) return EDEADLK;
  pthread_mutex_lock(&s->idle_lock);
  while (atomic_load_explicit(&s->live, memory_order_acquire) > 0) pthread_cond_wait(&s->done_cond, &s->idle_lock);
  pthread_mutex_unlock(&s->idle_lock);
  return 0;
}

void fsched_get_stats(const fsched *s, fsched_stats *out) {
  memset(out, 0, sizeof *out);
  if (!s) return;
  out->spawned = atomic_load_explicit(&s->spawned, memory_order_relaxed);
  for (unsigned i = 0; i < s->n; i++) {
    const fsched_worker *w = &s->w[i];
    out->completed += atomic_load_explicit(&w->completed, memory_order_relaxed);
    out->resumes += atomic_load_explicit(&w->resumes, memory_order_relaxed);
    out->migrations += atomic_load_explicit(&w->migrations, memory_order_relaxed);
    out->steals += atomic_load_explicit(&w->steals, memory_order_relaxed);
    out->steals_started += atomic_load_explicit(&w->steals_started, memory_order_relaxed);
  }
}
