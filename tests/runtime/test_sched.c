/* SPDX-License-Identifier: MIT */
/*
 * test_sched.c - the reference scheduler with real threads.
 *
 * Invariant under test: under the shim policy a task whose entry is not
 * proven !tls (violated, unknown, unregistered, or any entry of a stale
 * table) never runs on a second worker once started, however much it yields
 * and however much stealing goes on around it; proven tasks do migrate when
 * one worker holds all the work; and the unsafe policy really moves
 * thread-local users (so the detection in these tests can fail).  Stage 3:
 * a task that uses errno between yields (tls violated, migrate proven)
 * migrates under the migrate gate and computes the right result (errno
 * read afresh, FNPROP_RT_FRESH_ERRNO), and is pinned under the tls gate.
 *
 * Every workload spawns all tasks from a root task on worker 0.  Tests that
 * need a scheduling event to happen (a steal, a migration) retry a few
 * times; tests that need something never to happen do not.
 */
#define FNPROP_RT_FRESH_ERRNO 1 /* errno afresh after every yield */
#include <check.h>

#include "../check_run.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fnprop_rt.h"
#include "fsched.h"

/* Fewer tasks and yields under ThreadSanitizer, whose fiber switches are
 * slow. */
#if defined(__SANITIZE_THREAD__)
#define ST_SLOW 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ST_SLOW 1
#endif
#endif
#ifdef ST_SLOW
#define ST_YIELDS(n) ((n) / 5)
#define ST_PROVEN 60u
#else
#define ST_YIELDS(n) (n)
#define ST_PROVEN 200u
#endif

/* ----------------------------------------------------------------- tasks */

typedef struct sj {
  unsigned slices, work;
  unsigned long result;
  unsigned long thread_changes; /* seen by the task itself */
} sj;

static _Thread_local unsigned long sj_scratch;

/* Closed while the root task spawns: every task parks at the gate (yielding)
 * until all exist, so worker 0 really holds a pile of suspended tasks even
 * when spawning is slow (sanitizers) and the thieves are quick. */
static atomic_int sj_gate;

/* This thread's sj_scratch, computed afresh on every call: a compiler may
 * reuse a thread-local address across the yield (LLVM issue 98479), and
 * clang treats a plain accessor as pure, so the volatile asm forbids that. */
__attribute__((noinline)) static unsigned long *sj_scratch_addr(void) {
  unsigned long *p = &sj_scratch;
  __asm__ volatile("" : "+r"(p));
  return p;
}

static unsigned long sj_mix(unsigned long x, unsigned n) {
  for (unsigned i = 0; i < n; i++) x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

/* Waits at the gate, then yields `slices` times; counts the times it came
 * back on another worker or saw another thread-local address. */
static void sj_body(sj *j, int use_tls) {
  int w = fsched_current_worker();
  unsigned long *slot = sj_scratch_addr();
  unsigned long x = (unsigned long)j;
  for (unsigned i = 0; i < j->slices || !atomic_load(&sj_gate);) {
    if (atomic_load(&sj_gate)) {
      x = sj_mix(x, j->work);
      i++;
    }
    if (use_tls) *sj_scratch_addr() = x;
    fsched_yield();
    if (fsched_current_worker() != w || sj_scratch_addr() != slot) {
      j->thread_changes++;
      w = fsched_current_worker();
      slot = sj_scratch_addr();
    }
  }
  j->result = x;
}

/* One slice of the errno task: errno set, a call that may set it, errno
 * read -- all between two yields. */
static inline __attribute__((always_inline)) unsigned long sj_errno_step(unsigned long x) {
  errno = 0;
  unsigned long v = strtoul(x & 1 ? "99999999999999999999999" : "7", NULL, 10);
  return errno == ERANGE ? ~x : x + v;
}

/* As sj_body without tls, plus errno in every slice. */
static void s_errno(void *a) {
  sj *j = a;
  int w = fsched_current_worker();
  unsigned long x = (unsigned long)j;
  do { /* park at the gate */
    fsched_yield();
    if (fsched_current_worker() != w) j->thread_changes++, w = fsched_current_worker();
  } while (!atomic_load(&sj_gate));
  /* Plain errno here would be read through an address computed once before
   * this loop (gcc and clang at -O1 and up): after a migration, the old
   * thread's errno -- wrong results, which this test counts. */
  for (unsigned i = 0; i < j->slices; i++) {
    x = sj_errno_step(sj_mix(x, j->work));
    fsched_yield();
    if (fsched_current_worker() != w) j->thread_changes++, w = fsched_current_worker();
  }
  j->result = x;
}

/* What s_errno must compute for j. */
static unsigned long sj_errno_expected(const sj *j) {
  unsigned long x = (unsigned long)j;
  for (unsigned i = 0; i < j->slices; i++) x = sj_errno_step(sj_mix(x, j->work));
  return x;
}

static void s_proven(void *a) { sj_body(a, 0); }
static void s_tls(void *a) { sj_body(a, 1); }
static void s_unknown(void *a) { sj_body(a, 0); }
static void s_violated(void *a) { sj_body(a, 0); }
static void s_unregistered(void *a) { sj_body(a, 0); }
FNPROP_RT_ENTRY(s_proven);
FNPROP_RT_ENTRY(s_errno);
FNPROP_RT_ENTRY(s_tls);
FNPROP_RT_ENTRY(s_unknown);
FNPROP_RT_ENTRY(s_violated);

#define HERE RT_REAL_DIR "/test_sched.c"
static const fnprop_rt_row st_rows[] = {
    {"s_proven", HERE, 0, 0, 0, 0},   {"s_tls", HERE, 0, 2, 0, 2},  {"s_unknown", HERE, 0, 1, 0, 1},
    {"s_violated", HERE, 0, 2, 0, 2}, {"s_root", HERE, 0, 1, 1, 1}, {"sv_poll", HERE, 0, 2, 0, 2},
    {"sv_set", HERE, 0, 0, 0, 0},   {"s_errno", HERE, 0, 2, 0, 0},
};
static const fnprop_rt_table st_table = {FNPROP_RT_TABLE_ABI, "7e57ab1e",
                                         sizeof st_rows / sizeof st_rows[0], st_rows};

/* ------------------------------------------------------------- harness */

/* A plain function, so failed assertions print readable expressions. */
static unsigned long ld(atomic_ulong *p) { return atomic_load(p); }

enum { K_PROVEN, K_TLS, K_UNKNOWN, K_VIOLATED, K_UNREG, K_ERRNO, K_N };
static const fsched_fn st_fn[K_N] = {s_proven, s_tls, s_unknown, s_violated, s_unregistered, s_errno};

typedef struct st_kind {
  unsigned count, slices, work;
  atomic_ulong done, migrated_tasks, migrations, thread_changes, migratable;
  atomic_ulong wrong; /* K_ERRNO: results that differ from the sequential one */
} st_kind;

typedef struct st_run {
  fsched *s;
  st_kind k[K_N];
  sj *jobs;
  unsigned njobs;
  atomic_ulong spawn_errors;
  fsched_stats stats;
} st_run;

static void s_root(void *a) {
  st_run *r = a;
  for (unsigned i = 0; i < r->njobs; i++) {
    /* Interleave the kinds: job i is of kind jobs[i].result (set below). */
    if (fsched_spawn(r->s, st_fn[r->jobs[i].result], &r->jobs[i]))
      atomic_fetch_add(&r->spawn_errors, 1);
  }
  atomic_store(&sj_gate, 1);
}
FNPROP_RT_ENTRY(s_root);

static void st_done(void *user, const fsched_task_info *info) {
  st_run *r = user;
  const sj *j = info->arg;
  for (int k = 0; k < K_N; k++) {
    if (info->fn != st_fn[k]) continue;
    atomic_fetch_add(&r->k[k].done, 1);
    atomic_fetch_add(&r->k[k].migrated_tasks, (unsigned long)(info->migrations > 0));
    atomic_fetch_add(&r->k[k].migrations, info->migrations);
    atomic_fetch_add(&r->k[k].thread_changes, j->thread_changes);
    atomic_fetch_add(&r->k[k].migratable, (unsigned long)info->migratable);
    if (k == K_ERRNO) atomic_fetch_add(&r->k[k].wrong, (unsigned long)(j->result != sj_errno_expected(j)));
  }
}

/* Sets up counts/slices/work per kind with st_want(), then st_go(). */
static void st_want(st_run *r, int kind, unsigned count, unsigned slices, unsigned work) {
  r->k[kind].count = count;
  r->k[kind].slices = slices;
  r->k[kind].work = work;
}

static void st_go(st_run *r, fsched_policy policy, unsigned workers) {
  fsched_config cfg;
  unsigned n = 0, left[K_N];
  for (int k = 0; k < K_N; k++) n += left[k] = r->k[k].count;
  r->jobs = calloc(n, sizeof *r->jobs);
  ck_assert_ptr_nonnull(r->jobs);
  r->njobs = n;
  /* Round-robin over kinds so every kind is spread through the queue. */
  for (unsigned i = 0; i < n;)
    for (int k = 0; k < K_N && i < n; k++)
      if (left[k]) {
        left[k]--;
        r->jobs[i].slices = r->k[k].slices;
        r->jobs[i].work = r->k[k].work;
        r->jobs[i].result = (unsigned long)k;
        i++;
      }
  memset(&cfg, 0, sizeof cfg);
  cfg.workers = workers;
  cfg.policy = policy;
  cfg.on_done = st_done;
  cfg.user = r;
  ck_assert_int_eq(fsched_create(&r->s, &cfg), 0);
  atomic_store(&sj_gate, 0);
  ck_assert_int_eq(fsched_spawn_on(r->s, 0, s_root, r), 0);
  ck_assert_int_eq(fsched_wait(r->s), 0);
  fsched_get_stats(r->s, &r->stats);
  fsched_destroy(r->s);
  free(r->jobs);
  ck_assert_uint_eq(atomic_load(&r->spawn_errors), 0);
  for (int k = 0; k < K_N; k++) ck_assert_uint_eq(ld(&r->k[k].done), r->k[k].count);
  ck_assert_uint_eq(r->stats.completed, n + 1);
}

/* The standard imbalanced mix: many short proven tasks keep the thieves
 * busy stealing while the others yield many times. */
static void st_mix(st_run *r, int other, unsigned other_count) {
  memset(r, 0, sizeof *r);
  st_want(r, K_PROVEN, ST_PROVEN, ST_YIELDS(30), 300);
  if (other_count) st_want(r, other, other_count, ST_YIELDS(1000), 50);
}

static void st_init_fresh(void) { ck_assert_int_eq(fnprop_rt_init(&st_table, "7e57ab1e"), 0); }

/* --------------------------------------------------------------- tests */

START_TEST(tls_task_never_changes_thread) {
  int stole = 0;
  st_init_fresh();
  for (int attempt = 0; attempt < 5 && !stole; attempt++) {
    st_run r;
    st_mix(&r, K_TLS, 8);
    st_go(&r, FSCHED_SHIM, 2);
    ck_assert_uint_eq(ld(&r.k[K_TLS].migratable), 0);
    ck_assert_uint_eq(ld(&r.k[K_TLS].migrations), 0);
    ck_assert_uint_eq(ld(&r.k[K_TLS].thread_changes), 0);
    stole = r.stats.steals_started > 0;
  }
  ck_assert_msg(stole, "no suspended task was ever stolen: the test proved nothing");
}
END_TEST

START_TEST(proven_tasks_migrate_under_imbalance) {
  unsigned long moved = 0;
  st_init_fresh();
  for (int attempt = 0; attempt < 5 && !moved; attempt++) {
    st_run r;
    st_mix(&r, K_TLS, 8);
    st_go(&r, FSCHED_SHIM, 2);
    ck_assert_uint_eq(ld(&r.k[K_PROVEN].migratable), ST_PROVEN);
    moved = ld(&r.k[K_PROVEN].migrated_tasks);
    /* The scheduler's count and the tasks' own observation agree. */
    ck_assert_uint_eq(ld(&r.k[K_PROVEN].migrations),
                      ld(&r.k[K_PROVEN].thread_changes));
  }
  ck_assert_msg(moved > 0, "no proven task migrated in 5 imbalanced runs");
}
END_TEST

START_TEST(unsafe_mode_exposes_the_hazard) {
  unsigned long changes = 0;
  st_init_fresh();
  for (int attempt = 0; attempt < 5 && !changes; attempt++) {
    st_run r;
    st_mix(&r, K_TLS, 8);
    st_go(&r, FSCHED_MIGRATE_ALL, 2);
    ck_assert_uint_eq(ld(&r.k[K_TLS].migratable), 8);
    changes = ld(&r.k[K_TLS].thread_changes);
  }
  ck_assert_msg(changes > 0, "unsafe mode never moved a tls task: detection is blind");
}
END_TEST

START_TEST(errno_tasks_migrate_under_the_migrate_gate) {
  unsigned long moved = 0;
  st_init_fresh(); /* the default gate: migrate */
  ck_assert_int_eq(fnprop_rt_why((const void *)s_errno), FNPROP_RT_MIGRATE);
  for (int attempt = 0; attempt < 5 && !moved; attempt++) {
    st_run r;
    st_mix(&r, K_ERRNO, 8);
    st_want(&r, K_TLS, 4, ST_YIELDS(1000), 50);
    st_go(&r, FSCHED_SHIM, 2);
    ck_assert_uint_eq(ld(&r.k[K_ERRNO].migratable), 8);
    ck_assert_uint_eq(ld(&r.k[K_ERRNO].wrong), 0);
    ck_assert_uint_eq(ld(&r.k[K_ERRNO].migrations), ld(&r.k[K_ERRNO].thread_changes));
    ck_assert_uint_eq(ld(&r.k[K_TLS].thread_changes), 0);
    moved = ld(&r.k[K_ERRNO].migrated_tasks);
  }
  ck_assert_msg(moved > 0, "no errno task migrated in 5 imbalanced runs");
}
END_TEST

START_TEST(errno_tasks_are_pinned_under_the_tls_gate) {
  st_run r;
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  st_init_fresh();
  ck_assert_int_eq(fnprop_rt_why((const void *)s_errno), FNPROP_RT_PIN_VIOLATED);
  st_mix(&r, K_ERRNO, 8);
  st_go(&r, FSCHED_SHIM, 2);
  ck_assert_uint_eq(ld(&r.k[K_ERRNO].migratable), 0);
  ck_assert_uint_eq(ld(&r.k[K_ERRNO].migrations), 0);
  ck_assert_uint_eq(ld(&r.k[K_ERRNO].thread_changes), 0);
  ck_assert_uint_eq(ld(&r.k[K_ERRNO].wrong), 0);
  ck_assert_uint_eq(ld(&r.k[K_PROVEN].migratable), ST_PROVEN);
}
END_TEST

START_TEST(unknown_violated_unregistered_are_pinned) {
  st_run r;
  st_init_fresh();
  memset(&r, 0, sizeof r);
  st_want(&r, K_PROVEN, ST_PROVEN, ST_YIELDS(30), 300);
  st_want(&r, K_UNKNOWN, 4, ST_YIELDS(600), 50);
  st_want(&r, K_VIOLATED, 4, ST_YIELDS(600), 50);
  st_want(&r, K_UNREG, 4, ST_YIELDS(600), 50);
  st_go(&r, FSCHED_SHIM, 2);
  for (int k = K_UNKNOWN; k <= K_UNREG; k++) {
    ck_assert_uint_eq(ld(&r.k[k].migratable), 0);
    ck_assert_uint_eq(ld(&r.k[k].migrations), 0);
    ck_assert_uint_eq(ld(&r.k[k].thread_changes), 0);
  }
  ck_assert_int_eq(fnprop_rt_why((const void *)s_unregistered), FNPROP_RT_PIN_UNREGISTERED);
}
END_TEST

START_TEST(stale_table_pins_even_proven_tasks) {
  st_run r;
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&st_table, "5ca1ab1e"), FNPROP_RT_STALE);
  st_mix(&r, K_TLS, 4);
  st_go(&r, FSCHED_SHIM, 2);
  ck_assert_uint_eq(ld(&r.k[K_PROVEN].migratable), 0);
  ck_assert_uint_eq(ld(&r.k[K_PROVEN].migrations), 0);
  ck_assert_uint_eq(ld(&r.k[K_TLS].migrations), 0);
  ck_assert_uint_eq(r.stats.steals_started, 0);
  ck_assert_uint_eq(r.stats.migrations, 0);
}
END_TEST

START_TEST(uninitialised_shim_pins_everything) {
  st_run r;
  st_mix(&r, K_TLS, 2);
  st_go(&r, FSCHED_SHIM, 2);
  ck_assert_uint_eq(r.stats.migrations, 0);
  ck_assert_uint_eq(ld(&r.k[K_PROVEN].migratable), 0);
}
END_TEST

START_TEST(pin_all_policy_never_migrates) {
  st_run r;
  st_init_fresh();
  st_mix(&r, K_TLS, 4);
  st_go(&r, FSCHED_PIN_ALL, 2);
  ck_assert_uint_eq(r.stats.migrations, 0);
  ck_assert_uint_eq(r.stats.steals_started, 0);
}
END_TEST

START_TEST(oversubscribed_workers) {
  st_run r;
  st_init_fresh();
  st_mix(&r, K_TLS, 8);
  st_go(&r, FSCHED_SHIM, 8);
  ck_assert_uint_eq(ld(&r.k[K_TLS].thread_changes), 0);
  ck_assert_uint_eq(ld(&r.k[K_TLS].migrations), 0);
}
END_TEST

/* --------------------------------------------------- API edge cases */

static atomic_int se_wait_rc;
static fsched *se_sched;
static atomic_int se_children;

static void se_child(void *a) {
  (void)a;
  fsched_yield();
  atomic_fetch_add(&se_children, 1);
}

static void se_parent(void *a) {
  (void)a;
  atomic_store(&se_wait_rc, fsched_wait(se_sched));
  for (int i = 0; i < 10; i++) ck_assert_int_eq(fsched_spawn(se_sched, se_child, NULL), 0);
  fsched_yield();
}

START_TEST(nested_spawn_wait_and_reuse) {
  fsched_config cfg = {3, 0, FSCHED_SHIM, NULL, NULL};
  ck_assert_int_eq(fsched_current_worker(), -1);
  fsched_yield(); /* outside a task: harmless */
  ck_assert_int_eq(fsched_create(&se_sched, &cfg), 0);
  for (int round = 1; round <= 2; round++) {
    ck_assert_int_eq(fsched_spawn(se_sched, se_parent, NULL), 0);
    ck_assert_int_eq(fsched_wait(se_sched), 0);
    ck_assert_int_eq(atomic_load(&se_children), 10 * round);
    ck_assert_int_eq(atomic_load(&se_wait_rc), EDEADLK);
  }
  ck_assert_int_eq(fsched_spawn_on(se_sched, 3, se_child, NULL), EINVAL);
  ck_assert_int_eq(fsched_spawn(se_sched, NULL, NULL), EINVAL);
  ck_assert_int_eq(fsched_wait(se_sched), 0); /* nothing left: returns at once */
  fsched_destroy(se_sched);
  fsched_destroy(NULL);
  cfg.workers = 0; /* means 1 */
  ck_assert_int_eq(fsched_create(&se_sched, &cfg), 0);
  ck_assert_int_eq(fsched_spawn(se_sched, se_child, NULL), 0);
  ck_assert_int_eq(fsched_wait(se_sched), 0);
  fsched_destroy(se_sched);
}
END_TEST

/* fsched_spawn_eager: a child starts on its spawner's worker before the
 * spawner continues, also when the child spawns eagerly itself (every task
 * here may migrate, so each spawn records where it happened). */
typedef struct ee_arg {
  fsched *s;
  int spawner;          /* worker of the spawning task at the spawn */
  atomic_int started;   /* set by the child's first step */
} ee_arg;

static ee_arg ee_args[128];
static atomic_int ee_next, ee_wrong_start, ee_done;

static ee_arg *ee_spawn(fsched *s, fsched_fn fn) {
  ee_arg *a = &ee_args[atomic_fetch_add(&ee_next, 1)];
  a->s = s;
  a->spawner = fsched_current_worker();
  ck_assert_int_eq(fsched_spawn_eager(s, fn, a), 0);
  return a;
}

static void ee_leaf(void *p) {
  ee_arg *a = p;
  if (fsched_current_worker() != a->spawner) atomic_fetch_add(&ee_wrong_start, 1);
  atomic_store(&a->started, 1);
  fsched_yield();
  atomic_fetch_add(&ee_done, 1);
}

static void ee_mid(void *p) {
  ee_arg *a = p;
  if (fsched_current_worker() != a->spawner) atomic_fetch_add(&ee_wrong_start, 1);
  atomic_store(&a->started, 1);
  for (int i = 0; i < 5; i++) ck_assert_int_eq(atomic_load(&ee_spawn(a->s, ee_leaf)->started), 1);
  atomic_fetch_add(&ee_done, 1);
}

static void ee_root(void *p) {
  fsched *s = p;
  for (int i = 0; i < 50; i++)
    ck_assert_int_eq(atomic_load(&ee_spawn(s, i % 10 ? ee_leaf : ee_mid)->started), 1);
}

START_TEST(eager_spawn_starts_children_on_the_spawner) {
  fsched *s;
  fsched_config cfg = {4, 0, FSCHED_MIGRATE_ALL, NULL, NULL};
  fsched_stats st;
  ck_assert_int_eq(fsched_create(&s, &cfg), 0);
  ck_assert_int_eq(fsched_spawn_eager(s, ee_root, s), 0); /* outside: plain spawn */
  ck_assert_int_eq(fsched_wait(s), 0);
  fsched_get_stats(s, &st);
  fsched_destroy(s);
  ck_assert_int_eq(atomic_load(&ee_wrong_start), 0);
  ck_assert_int_eq(atomic_load(&ee_done), 45 + 5 + 25);
  ck_assert_uint_eq(st.completed, 1 + 50 + 25);
}
END_TEST

/* Pinned-first picking must not starve the shared queue: on one worker, a
 * pinned task polls (yield loop) for a flag only a migratable task sets. */
static atomic_int sv_flag;
static atomic_long sv_polls, sv_polls_while_set_waited;

static void sv_poll(void *a) {
  (void)a;
  while (!atomic_load(&sv_flag)) {
    atomic_fetch_add(&sv_polls, 1);
    fsched_yield();
  }
}
FNPROP_RT_ENTRY(sv_poll);

static void sv_set(void *a) {
  long before = atomic_load(&sv_polls);
  (void)a;
  fsched_yield(); /* back to `shared`, behind the pollers in `pinned` */
  atomic_store(&sv_polls_while_set_waited, atomic_load(&sv_polls) - before);
  atomic_store(&sv_flag, 1);
}
FNPROP_RT_ENTRY(sv_set);

START_TEST(pinned_first_does_not_starve_shared_tasks) {
  fsched *s;
  fsched_config cfg = {1, 0, FSCHED_SHIM, NULL, NULL};
  st_init_fresh();
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)sv_poll), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)sv_set), 1);
  ck_assert_int_eq(fsched_create(&s, &cfg), 0);
  ck_assert_int_eq(fsched_spawn(s, sv_poll, NULL), 0);
  ck_assert_int_eq(fsched_spawn(s, sv_poll, NULL), 0);
  ck_assert_int_eq(fsched_spawn(s, sv_set, NULL), 0);
  ck_assert_int_eq(fsched_wait(s), 0);
  fsched_destroy(s);
  /* While the setter waited, the pollers ran a bounded number of times
   * (about 7 picks of `pinned` per pick of `shared`). */
  ck_assert_int_lt(atomic_load(&sv_polls_while_set_waited), 40);
  ck_assert_int_gt(atomic_load(&sv_polls), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("fsched");
  TCase *tc = tcase_create("threads");
  fnprop_rt_set_log(NULL);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, tls_task_never_changes_thread);
  tcase_add_test(tc, proven_tasks_migrate_under_imbalance);
  tcase_add_test(tc, errno_tasks_migrate_under_the_migrate_gate);
  tcase_add_test(tc, errno_tasks_are_pinned_under_the_tls_gate);
  tcase_add_test(tc, unsafe_mode_exposes_the_hazard);
  tcase_add_test(tc, unknown_violated_unregistered_are_pinned);
  tcase_add_test(tc, stale_table_pins_even_proven_tasks);
  tcase_add_test(tc, uninitialised_shim_pins_everything);
  tcase_add_test(tc, pin_all_policy_never_migrates);
  tcase_add_test(tc, oversubscribed_workers);
  tcase_add_test(tc, nested_spawn_wait_and_reuse);
  tcase_add_test(tc, eager_spawn_starts_children_on_the_spawner);
  tcase_add_test(tc, pinned_first_does_not_starve_shared_tasks);
  suite_add_tcase(s, tc);
  return check_run(s);
}
