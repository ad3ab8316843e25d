/* SPDX-License-Identifier: MIT */
/*
 * test_shim.c - unit tests of the runtime shim's decisions (libfnprop_rt.a).
 *
 * Invariant under test: fnprop_rt_may_migrate() is 1 only for a registered
 * entry whose matching rows all say `proven` in a fresh table; every other
 * case -- uninitialised, unregistered, no match, ambiguous, unknown,
 * violated, stale, unchecked, foreign ABI -- is pinned, also while other
 * threads re-initialise concurrently.  The gate (migrate, the default, or
 * tls; by API or FNPROP_RT_MIGRATE_ON) picks the column, also while readers
 * run; a layout-1 table is read with its tls column.  All entries here are
 * static.
 */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fnprop_rtInt.h"

/* Distinct bodies, so no compiler or linker folds two entries into one. */
static volatile int ts_sink;
static void e_proven(void *a) { ts_sink = 1 + (a != 0); }
static void e_unknown(void *a) { ts_sink = 2 + (a != 0); }
static void e_violated(void *a) { ts_sink = 3 + (a != 0); }
static void e_nomatch(void *a) { ts_sink = 4 + (a != 0); }
static void e_ambig(void *a) { ts_sink = 5 + (a != 0); }
static void e_twins(void *a) { ts_sink = 6 + (a != 0); }
static void e_badverdict(void *a) { ts_sink = 7 + (a != 0); }
static void e_late(void *a) { ts_sink = 8 + (a != 0); }
static void e_unregistered(void *a) { ts_sink = 9 + (a != 0); }
static int e_other_signature(int x) { return x + ts_sink; }
static void e_stage3(void *a) { ts_sink = 10 + (a != 0); }
static void e_stage3_unknown(void *a) { ts_sink = 11 + (a != 0); }

FNPROP_RT_ENTRY(e_proven);
FNPROP_RT_ENTRY(e_unknown);
FNPROP_RT_ENTRY(e_violated);
FNPROP_RT_ENTRY(e_nomatch);
FNPROP_RT_ENTRY(e_ambig);
FNPROP_RT_ENTRY(e_twins);
FNPROP_RT_ENTRY(e_badverdict);
FNPROP_RT_ENTRY(e_other_signature);
FNPROP_RT_ENTRY(e_stage3);
FNPROP_RT_ENTRY(e_stage3_unknown);

#define HERE RT_REAL_DIR "/test_shim.c"
static const fnprop_rt_row ts_rows[] = {
    {"e_proven", HERE, 0, 0, 2, 0},
    {"e_unknown", HERE, 0, 1, 0, 1},
    {"e_violated", HERE, 0, 2, 0, 2},
    {"e_nomatch", RT_REAL_DIR "/other.c", 0, 0, 0, 0},
    {"e_ambig", HERE, 0, 0, 0, 0},
    {"e_ambig", RT_REAL_DIR "/./test_shim.c", 0, 2, 0, 2},
    {"e_twins", HERE, 0, 0, 0, 0},
    {"e_twins", RT_REAL_DIR "//test_shim.c", 0, 0, 1, 0},
    {"e_badverdict", HERE, 0, 7, 0, 7},
    {"e_late", HERE, 0, 0, 0, 0},
    {"e_other_signature", HERE, 1, 0, 0, 0},
    {"unrelated", "/x/y.c", 1, 0, 0, 0},
    /* stage 3: thread-local state used, never live across a suspension */
    {"e_stage3", HERE, 0, 2, 0, 0},
    {"e_stage3_unknown", HERE, 0, 2, 0, 1},
};
static const fnprop_rt_table ts_table = {FNPROP_RT_TABLE_ABI, "c0ffee42",
                                         sizeof ts_rows / sizeof ts_rows[0], ts_rows};
static const fnprop_rt_table ts_nohash = {FNPROP_RT_TABLE_ABI, "", 1, ts_rows};
static const fnprop_rt_table ts_abi = {FNPROP_RT_TABLE_ABI + 1, "c0ffee42", 1, ts_rows};
static const fnprop_rt_table ts_empty = {FNPROP_RT_TABLE_ABI, "c0ffee42", 0, NULL};

#define P(f) ((const void *)(f))

START_TEST(uninitialised_is_pinned) {
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_UNINIT);
  ck_assert_int_eq(fnprop_rt_may_migrate(NULL), 0);
}
END_TEST

START_TEST(fresh_table_decides_per_entry) {
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "  C0FFEE42\n"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_may_migrate_fn((fnprop_rt_fn)e_proven), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_MIGRATE);
  ck_assert_int_eq(fnprop_rt_why(P(e_unknown)), FNPROP_RT_PIN_UNKNOWN);
  ck_assert_int_eq(fnprop_rt_why(P(e_violated)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why(P(e_nomatch)), FNPROP_RT_PIN_NOMATCH);
  ck_assert_int_eq(fnprop_rt_why(P(e_ambig)), FNPROP_RT_PIN_AMBIGUOUS);
  ck_assert_int_eq(fnprop_rt_why(P(e_twins)), FNPROP_RT_MIGRATE);
  ck_assert_int_eq(fnprop_rt_why(P(e_badverdict)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why(P(e_other_signature)), FNPROP_RT_MIGRATE);
  ck_assert_int_eq(fnprop_rt_why(P(e_unregistered)), FNPROP_RT_PIN_UNREGISTERED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_unregistered)), 0);
  ck_assert_int_eq(fnprop_rt_why(P(e_late)), FNPROP_RT_PIN_UNREGISTERED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_unknown)) + fnprop_rt_may_migrate(P(e_violated)) +
                       fnprop_rt_may_migrate(P(e_nomatch)) + fnprop_rt_may_migrate(P(e_ambig)) +
                       fnprop_rt_may_migrate(P(e_badverdict)),
                   0);
  ck_assert_int_eq(fnprop_rt_may_migrate(NULL), 0);
  fnprop_rt_shutdown();
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_UNINIT);
}
END_TEST

START_TEST(stale_table_pins_everything) {
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee43"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_STALE);
  ck_assert_int_eq(fnprop_rt_why(P(e_twins)), FNPROP_RT_PIN_STALE);
  ck_assert_int_eq(fnprop_rt_why(P(e_unregistered)), FNPROP_RT_PIN_UNREGISTERED);
  /* A prefix of the right hash is not the right hash. */
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee4"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
}
END_TEST

/* Count the lines init writes to the log. */
static int ts_warning_lines(const fnprop_rt_table *t, const char *hash, char **text) {
  size_t len = 0;
  int lines = 0;
  FILE *f = open_memstream(text, &len);
  ck_assert_ptr_nonnull(f);
  fnprop_rt_set_log(f);
  fnprop_rt_init(t, hash);
  fnprop_rt_set_log(NULL);
  fclose(f);
  for (const char *p = *text; *p; p++) lines += *p == '\n';
  return lines;
}

START_TEST(one_warning_line_when_pinned_by_the_table) {
  char *text = NULL;
  /* A fresh table: only the one line about e_nomatch, which matches no row. */
  ck_assert_int_eq(ts_warning_lines(&ts_table, "c0ffee42", &text), 1);
  ck_assert_ptr_nonnull(strstr(text, "1 task entry matches no row"));
  ck_assert_ptr_nonnull(strstr(text, "'e_nomatch'"));
  ck_assert_ptr_nonnull(strstr(text, "[fnprop-rt-nomatch]"));
  ck_assert_uint_eq(fnprop_rt_unmatched(), 1);
  free(text);
  ck_assert_int_eq(ts_warning_lines(&ts_table, "0123456789abcdef0123\n", &text), 1);
  ck_assert_ptr_nonnull(strstr(text, "fnprop-rt: warning: verdict table is stale (analysis c0ffee42, "
                                     "sources 0123456789abcdef)"));
  free(text);
  ck_assert_int_eq(ts_warning_lines(&ts_table, NULL, &text), 1);
  ck_assert_ptr_nonnull(strstr(text, "cannot check"));
  free(text);
  ck_assert_int_eq(ts_warning_lines(&ts_abi, "c0ffee42", &text), 1);
  ck_assert_ptr_nonnull(strstr(text, "wrong layout"));
  free(text);
}
END_TEST

START_TEST(missing_hashes_pin_everything) {
  ck_assert_int_eq(fnprop_rt_init(&ts_table, NULL), FNPROP_RT_UNCHECKED);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_STALE);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, " \n"), FNPROP_RT_UNCHECKED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_nohash, ""), FNPROP_RT_UNCHECKED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
}
END_TEST

START_TEST(foreign_or_missing_table_pins_everything) {
  ck_assert_int_eq(fnprop_rt_init(&ts_abi, "c0ffee42"), FNPROP_RT_EABI);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_BADTABLE);
  ck_assert_int_eq(fnprop_rt_init(NULL, "c0ffee42"), FNPROP_RT_EABI);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_empty, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_NOMATCH);
}
END_TEST

START_TEST(reinit_replaces_the_table) {
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "bad"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "bad"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  fnprop_rt_shutdown();
  fnprop_rt_shutdown();
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
}
END_TEST

/* Registration after init (what a dlopen does), removal (dlclose), and two
 * registrations of one address that disagree. */
START_TEST(late_registration_and_removal) {
  static fnprop_rt_reg late = {(fnprop_rt_fn)e_late, "e_late", __FILE__, NULL, NULL};
  static fnprop_rt_reg alias = {(fnprop_rt_fn)e_late, "e_violated", __FILE__, NULL, NULL};
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  fnprop_rt_register2(&late);
  fnprop_rt_register2(&late); /* twice: still one registration */
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_late)), 1);
  fnprop_rt_register2(&alias);
  ck_assert_int_eq(fnprop_rt_why(P(e_late)), FNPROP_RT_PIN_VIOLATED);
  fnprop_rt_unregister2(&alias);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_late)), 1);
  fnprop_rt_unregister2(&late);
  ck_assert_int_eq(fnprop_rt_why(P(e_late)), FNPROP_RT_PIN_UNREGISTERED);
  fnprop_rt_unregister2(&late); /* twice: harmless */
  fnprop_rt_register2(&late);   /* reloaded at the same address */
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_late)), 1);
  fnprop_rt_unregister2(&late);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
}
END_TEST

/* A module compiled against the layout-1 header (no build_hash) calls the
 * unversioned registration: nothing is registered, so its entry stays
 * pinned even though the table proves a function of that name. */
START_TEST(old_layout_registration_pins) {
  struct { fnprop_rt_fn fn; const char *name, *file; void *next; } old = {(fnprop_rt_fn)e_late, "e_late", __FILE__, NULL};
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  fnprop_rt_register(&old);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_late)), 0);
  ck_assert_int_eq(fnprop_rt_why(P(e_late)), FNPROP_RT_PIN_UNREGISTERED);
  fnprop_rt_unregister(&old);
  ck_assert_ptr_null(old.next); /* the shim never wrote into the shorter record */
}
END_TEST

/* Every allocation made to fail in turn: a correct answer or a pinned one,
 * never a crash or a migratable entry the table does not prove. */
START_TEST(allocation_failures_fail_safe) {
  for (int n = 1; n <= 4; n++) {
    int st;
    fnprop_rt__fail_alloc = n;
    st = fnprop_rt_init(&ts_table, "c0ffee42");
    fnprop_rt__fail_alloc = 0;
    ck_assert(st == FNPROP_RT_OK || st == FNPROP_RT_ENOMEM);
    if (st == FNPROP_RT_ENOMEM) {
      ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
      ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_BADTABLE);
    } else {
      /* The name index failed: the linear scan gives the same answers. */
      ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
      ck_assert_int_eq(fnprop_rt_why(P(e_ambig)), FNPROP_RT_PIN_AMBIGUOUS);
      ck_assert_int_eq(fnprop_rt_why(P(e_violated)), FNPROP_RT_PIN_VIOLATED);
    }
    fnprop_rt__fail_alloc = 1;
    ck_assert_int_eq(fnprop_rt_report(stderr), -1);
    fnprop_rt__fail_alloc = 0;
  }
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
}
END_TEST

START_TEST(file_identity_rule) {
  /* The registration's side is canonical (resolved here, or lexical when
   * it does not exist); the row's side is taken as written, normalized. */
  static const struct { const char *reg, *row; int want; } cases[] = {
      {"/p/src/a.c", "/p/src/a.c", 1},
      {"/p/./src//a.c", "/p/src/a.c", 1},
      {"/p/x/../src/a.c", "/p/src/a.c", 1},
      {"/p/src/a.c", "/p/src/./a.c", 1},
      {"src/a.c", "/p/src/a.c", 0},        /* relative: no identity */
      {"./src/a.c", "/p/src/a.c", 0},
      {"a.c", "/p/src/a.c", 0},
      {"/mnt/p/src/a.c", "/p/src/a.c", 0}, /* another checkout */
      {"/p/src/b.c", "/p/src/a.c", 0},
      {"/p/src/a.c", "src/a.c", 0},
      {"", "/p/src/a.c", 0},
      {NULL, "/p/a.c", 0},
      {"/p/a.c", NULL, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg(fnprop_rt__same_file(cases[i].reg, cases[i].row) == cases[i].want,
                  "case %zu: '%s' vs '%s' should be %d", i, cases[i].reg ? cases[i].reg : "(null)",
                  cases[i].row ? cases[i].row : "(null)", cases[i].want);
  /* A real file through a symlinked directory is its real path. */
  char tmpl[] = "/tmp/fnprop-rt.XXXXXX", link[64], via[96], real[96];
  ck_assert_ptr_nonnull(mkdtemp(tmpl));
  snprintf(real, sizeof real, "%s/f.c", tmpl);
  snprintf(link, sizeof link, "%s/link", tmpl);
  snprintf(via, sizeof via, "%s/f.c", link);
  FILE *f = fopen(real, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  ck_assert_int_eq(symlink(tmpl, link), 0);
  ck_assert_int_eq(fnprop_rt__same_file(via, real), 1);
  ck_assert_int_eq(fnprop_rt__same_file(real, via), 0); /* the row is never resolved */
  unlink(link);
  unlink(real);
  rmdir(tmpl);
}
END_TEST

START_TEST(hash_comparison) {
  ck_assert_int_eq(fnprop_rt__hash_equal("abc", "ABC"), 1);
  ck_assert_int_eq(fnprop_rt__hash_equal(" abc\n", "abc"), 1);
  ck_assert_int_eq(fnprop_rt__hash_equal("abc", "abcd"), 0);
  ck_assert_int_eq(fnprop_rt__hash_equal("", ""), 0);
  ck_assert_int_eq(fnprop_rt__hash_equal(NULL, "a"), 0);
}
END_TEST

START_TEST(report_lists_sorted_decisions) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_report(f), 0);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "e_ambig\t" __FILE__ "\tambiguous\n"));
  ck_assert_ptr_nonnull(strstr(buf, "e_proven\t" __FILE__ "\tmigrate\n"));
  ck_assert_ptr_nonnull(strstr(buf, "e_violated\t" __FILE__ "\tviolated\n"));
  ck_assert(strstr(buf, "e_ambig") < strstr(buf, "e_badverdict"));
  ck_assert(strstr(buf, "e_unknown") < strstr(buf, "e_violated"));
  ck_assert_str_eq(fnprop_rt_reason_name(FNPROP_RT_PIN_STALE), "stale");
  ck_assert_str_eq(fnprop_rt_reason_name((fnprop_rt_reason)99), "invalid");
  free(buf);
}
END_TEST

/* ------------------------------------------------------------ concurrency */

typedef struct ts_reader {
  atomic_int *stop;
  unsigned long calls, proven_yes, bad;
  atomic_ulong loops; /* outer loops, read by the main thread */
} ts_reader;

/* Every reader has looped at least `n` times. */
static int ts_all_looped(ts_reader *rd, int nreaders, unsigned long n) {
  for (int i = 0; i < nreaders; i++)
    if (atomic_load(&rd[i].loops) < n) return 0;
  return 1;
}

static void *ts_read(void *arg) {
  ts_reader *r = arg;
  while (!atomic_load_explicit(r->stop, memory_order_relaxed)) {
    for (int i = 0; i < 1000; i++) {
      r->proven_yes += (unsigned long)fnprop_rt_may_migrate(P(e_proven));
      r->bad += (unsigned long)fnprop_rt_may_migrate(P(e_violated));
      r->bad += (unsigned long)fnprop_rt_may_migrate(P(e_unregistered));
      r->bad += (unsigned long)(fnprop_rt_why(P(e_unknown)) == FNPROP_RT_MIGRATE);
      r->calls++;
    }
    atomic_fetch_add(&r->loops, 1);
  }
  return NULL;
}

/* Readers never see a pinned entry as migratable while the table is swapped
 * under them; once it stops changing, every reader agrees. */
START_TEST(concurrent_readers_and_reinit) {
  enum { NREADERS = 4 };
  pthread_t th[NREADERS];
  ts_reader rd[NREADERS];
  atomic_int stop = 0;
  FILE *devnull = fopen("/dev/null", "w");
  ck_assert_ptr_nonnull(devnull);
  for (int i = 0; i < NREADERS; i++) {
    rd[i] = (ts_reader){&stop, 0, 0, 0, 0};
    ck_assert_int_eq(pthread_create(&th[i], NULL, ts_read, &rd[i]), 0);
  }
  /* Swap tables until the readers made real progress under the swaps. */
  for (int k = 0; k < 200 || (!ts_all_looped(rd, NREADERS, 10) && k < 20000000); k++) {
    fnprop_rt_init(&ts_table, k % 2 ? "c0ffee42" : "stale0");
    if (k % 50 == 0) ck_assert_int_eq(fnprop_rt_report(devnull), 0);
  }
  fclose(devnull);
  atomic_store(&stop, 1);
  for (int i = 0; i < NREADERS; i++) {
    pthread_join(th[i], NULL);
    ck_assert_uint_eq(rd[i].bad, 0);
    ck_assert_uint_gt(rd[i].calls, 0);
  }
  /* Fixed table: every call by every thread says the same. */
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  stop = 0;
  for (int i = 0; i < NREADERS; i++) {
    rd[i] = (ts_reader){&stop, 0, 0, 0, 0};
    ck_assert_int_eq(pthread_create(&th[i], NULL, ts_read, &rd[i]), 0);
  }
  for (int k = 0; k < 1000 && !ts_all_looped(rd, NREADERS, 10); k++)
    nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
  atomic_store(&stop, 1);
  for (int i = 0; i < NREADERS; i++) {
    pthread_join(th[i], NULL);
    ck_assert_uint_eq(rd[i].bad, 0);
    ck_assert_uint_eq(rd[i].proven_yes, rd[i].calls);
  }
}
END_TEST

/* ------------------------------------------------------------- the gate */

START_TEST(gate_chooses_the_column) {
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_MIGRATE);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  /* the default gate is migrate (stage 3) */
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3_unknown)), FNPROP_RT_PIN_UNKNOWN);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_violated)), FNPROP_RT_PIN_VIOLATED);
  /* tls (stage 1): the same table, the other column, decided again in place */
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_TLS);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3_unknown)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_unknown)), FNPROP_RT_PIN_UNKNOWN);
  /* a bad gate changes nothing */
  ck_assert_int_eq(fnprop_rt_set_migrate_on(7), -1);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(-1), -1);
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_TLS);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 0);
  /* re-init keeps the program's choice; a stale table still pins all */
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 0);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_MIGRATE), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 1);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "stale0"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_STALE);
  /* set before init: decides at init; unregistered stays pinned */
  fnprop_rt_shutdown();
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_MIGRATE);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_UNINIT);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why(P(e_unregistered)), FNPROP_RT_PIN_UNREGISTERED);
  /* a late registration is decided under the gate in force */
  static fnprop_rt_reg late = {(fnprop_rt_fn)e_late, "e_stage3", __FILE__, NULL, NULL};
  fnprop_rt_register2(&late);
  ck_assert_int_eq(fnprop_rt_why(P(e_late)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_MIGRATE), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_late)), 1);
  fnprop_rt_unregister2(&late);
  ck_assert_int_eq(fnprop_rt_gate_parse("tls"), FNPROP_RT_GATE_TLS);
  ck_assert_int_eq(fnprop_rt_gate_parse("migrate"), FNPROP_RT_GATE_MIGRATE);
  ck_assert_int_eq(fnprop_rt_gate_parse("TLS"), -1);
  ck_assert_int_eq(fnprop_rt_gate_parse(""), -1);
  ck_assert_int_eq(fnprop_rt_gate_parse(NULL), -1);
  ck_assert_str_eq(fnprop_rt_gate_name(FNPROP_RT_GATE_TLS), "tls");
  ck_assert_str_eq(fnprop_rt_gate_name(FNPROP_RT_GATE_MIGRATE), "migrate");
}
END_TEST

START_TEST(environment_chooses_the_gate) {
  char *text = NULL;
  ck_assert_int_eq(setenv("FNPROP_RT_MIGRATE_ON", "tls", 1), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_TLS);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(setenv("FNPROP_RT_MIGRATE_ON", "migrate", 1), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 0); /* read at init only */
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 1);
  /* not a gate: the stricter column, and one line saying so */
  ck_assert_int_eq(setenv("FNPROP_RT_MIGRATE_ON", "stage3", 1), 0);
  ck_assert_int_eq(ts_warning_lines(&ts_table, "c0ffee42", &text), 2); /* + e_nomatch's */
  ck_assert_ptr_nonnull(strstr(text, "FNPROP_RT_MIGRATE_ON='stage3' is neither 'tls' nor 'migrate': gating on "
                                     "'tls' [fnprop-rt-gate]"));
  free(text);
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_TLS);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  /* the program's choice wins over the environment */
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_MIGRATE), 0);
  ck_assert_int_eq(ts_warning_lines(&ts_table, "c0ffee42", &text), 1); /* no gate line now */
  ck_assert_ptr_null(strstr(text, "fnprop-rt-gate"));
  free(text);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 1);
  ck_assert_int_eq(setenv("FNPROP_RT_MIGRATE_ON", "tls", 1), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 1);
  /* empty: the default */
  fnprop_rt_shutdown();
  ck_assert_int_eq(setenv("FNPROP_RT_MIGRATE_ON", "", 1), 0);
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_migrate_on(), FNPROP_RT_GATE_MIGRATE);
  unsetenv("FNPROP_RT_MIGRATE_ON");
}
END_TEST

/* A table written for layout 1 (an older fnprop_rt.h, rows without the
 * migrate column) given to this shim: read with its tls column under
 * either gate, never past its rows' end.  Another layout is refused. */
START_TEST(layout1_table_reads_the_tls_column) {
  static const fnprop_rt_row_v1 old_rows[] = {
      {"e_proven", HERE, 0, 0, 2},
      {"e_stage3", HERE, 0, 2, 0}, /* would migrate under stage 3; layout 1 cannot say */
      {"e_unknown", HERE, 0, 1, 0},
  };
  static const fnprop_rt_table old = {1, "c0ffee42", 3, (const fnprop_rt_row *)(const void *)old_rows};
  static const fnprop_rt_table later = {3, "c0ffee42", 3, ts_rows};
  static const fnprop_rt_table none = {0, "c0ffee42", 3, ts_rows};
  ck_assert_int_eq(fnprop_rt_init(&old, "c0ffee42"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why(P(e_unknown)), FNPROP_RT_PIN_UNKNOWN);
  ck_assert_int_eq(fnprop_rt_why(P(e_violated)), FNPROP_RT_PIN_NOMATCH);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
  ck_assert_int_eq(fnprop_rt_why(P(e_stage3)), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_init(&old, "c0ffee43"), FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 0);
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&later, "c0ffee42"), FNPROP_RT_EABI);
  ck_assert_int_eq(fnprop_rt_why(P(e_proven)), FNPROP_RT_PIN_BADTABLE);
  ck_assert_int_eq(fnprop_rt_init(&none, "c0ffee42"), FNPROP_RT_EABI);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 0);
}
END_TEST

typedef struct ts_gate_reader {
  atomic_int *stop;
  unsigned long calls, bad, stage3_yes; /* stage3_yes: e_proven said migrate */
  atomic_ulong loops;
} ts_gate_reader;

static void *ts_gate_read(void *arg) {
  ts_gate_reader *r = arg;
  while (!atomic_load_explicit(r->stop, memory_order_relaxed)) {
    for (int i = 0; i < 1000; i++) {
      /* proven under both: "pinned" only while a writer keeps its slot busy */
      r->stage3_yes += (unsigned long)fnprop_rt_may_migrate(P(e_proven));
      r->bad += (unsigned long)fnprop_rt_may_migrate(P(e_violated));       /* under neither */
      r->bad += (unsigned long)fnprop_rt_may_migrate(P(e_stage3_unknown)); /* under neither */
      (void)fnprop_rt_may_migrate(P(e_stage3));                            /* under one: either answer */
      r->calls++;
    }
    atomic_fetch_add(&r->loops, 1);
  }
  return NULL;
}

/* Readers on real threads while the gate flips: an entry proven under
 * neither gate never migrates; one proven under both migrates (a reader
 * racing the rewrite of its slot may see "pinned", the safe answer, so
 * only most of the time), and always once the flips stop. */
START_TEST(concurrent_readers_and_gate_flips) {
  enum { NREADERS = 3 };
  pthread_t th[NREADERS];
  ts_gate_reader rd[NREADERS];
  atomic_int stop = 0;
  ck_assert_int_eq(fnprop_rt_init(&ts_table, "c0ffee42"), FNPROP_RT_OK);
  for (int i = 0; i < NREADERS; i++) {
    rd[i] = (ts_gate_reader){&stop, 0, 0, 0, 0};
    ck_assert_int_eq(pthread_create(&th[i], NULL, ts_gate_read, &rd[i]), 0);
  }
  for (int k = 0; k < 200 || k < 20000000; k++) {
    int all = 1;
    ck_assert_int_eq(fnprop_rt_set_migrate_on(k % 2 ? FNPROP_RT_GATE_TLS : FNPROP_RT_GATE_MIGRATE), 0);
    for (int i = 0; i < NREADERS; i++) all &= atomic_load(&rd[i].loops) >= 10;
    if (k >= 200 && all) break;
  }
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  atomic_store(&stop, 1);
  for (int i = 0; i < NREADERS; i++) {
    pthread_join(th[i], NULL);
    ck_assert_uint_eq(rd[i].bad, 0);
    ck_assert_uint_gt(rd[i].calls, 0);
    ck_assert_uint_gt(rd[i].stage3_yes, 0);
  }
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_stage3)), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(P(e_proven)), 1);
}
END_TEST

static Suite *ts_suite(void) {
  Suite *s = suite_create("runtime-shim");
  TCase *tc = tcase_create("decisions");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, uninitialised_is_pinned);
  tcase_add_test(tc, fresh_table_decides_per_entry);
  tcase_add_test(tc, stale_table_pins_everything);
  tcase_add_test(tc, one_warning_line_when_pinned_by_the_table);
  tcase_add_test(tc, missing_hashes_pin_everything);
  tcase_add_test(tc, foreign_or_missing_table_pins_everything);
  tcase_add_test(tc, reinit_replaces_the_table);
  tcase_add_test(tc, late_registration_and_removal);
  tcase_add_test(tc, allocation_failures_fail_safe);
  tcase_add_test(tc, old_layout_registration_pins);
  tcase_add_test(tc, gate_chooses_the_column);
  tcase_add_test(tc, environment_chooses_the_gate);
  tcase_add_test(tc, layout1_table_reads_the_tls_column);
  tcase_add_test(tc, concurrent_readers_and_gate_flips);
  tcase_add_test(tc, file_identity_rule);
  tcase_add_test(tc, hash_comparison);
  tcase_add_test(tc, report_lists_sorted_decisions);
  tcase_add_test(tc, concurrent_readers_and_reinit);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  fnprop_rt_set_log(NULL); /* the tests provoke dozens of warnings */
  return check_run(ts_suite());
}
