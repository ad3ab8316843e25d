/* SPDX-License-Identifier: MIT */
/* test_pdb.c - the properties database on real SQLite files, through its
 * rows alone (the suite links no analyzer code but what pdb.c needs). */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check_run.h"
#include "pdb.h"

static char dir[] = "/tmp/fnprop-test-pdb.XXXXXX";
static char path[256];

static void setup(void) {
  strcpy(dir, "/tmp/fnprop-test-pdb.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/fnprop.db", dir);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "%s-wal", path);
  unlink(cmd);
  snprintf(cmd, sizeof cmd, "%s-shm", path);
  unlink(cmd);
  unlink(path);
  rmdir(dir);
}

/* One TU row: opaque facts bytes (with a NUL inside), a diagnostic, an input. */
static const char sample_facts[] = {'F', 'N', 0, '\x7f', '\xff', 'x'};
static const pdb_diag sample_diag = {"/src/a.c", 9, 2, 1, "expected ';' after it's \"odd\"; drop table tu --"};
static const pdb_input sample_input = {"/src/a.c", 10, 0, 1, 7, {42}};
static const char sample_lookups[] = {'L', 0, 'K'};

static pdb_tu sample_tu(void) {
  pdb_tu tu = {"/src/a.c",
               "/src",
               0,
               1,
               1,
               sample_facts,
               sizeof sample_facts,
               sample_lookups,
               sizeof sample_lookups,
               &sample_diag,
               1,
               &sample_input,
               1};
  return tu;
}

typedef struct seen {
  int n, complete, pic, inputs;
  size_t facts_len, lookups_len;
  char facts[16], flags[16], path[64];
  unsigned char hash0;
  int64_t ctime;
} seen;

static int collect(void *arg, const pdb_tu *tu, const char *flags_hash) {
  seen *s = arg;
  s->n++;
  s->complete = tu->complete, s->pic = tu->pic, s->inputs = (int)tu->ninputs;
  s->facts_len = tu->facts_len;
  memcpy(s->facts, tu->facts, tu->facts_len < sizeof s->facts ? tu->facts_len : sizeof s->facts);
  snprintf(s->flags, sizeof s->flags, "%s", flags_hash);
  if (tu->ninputs) snprintf(s->path, sizeof s->path, "%s", tu->inputs[0].path);
  if (tu->ninputs) s->hash0 = tu->inputs[0].hash[0], s->ctime = tu->inputs[0].ctime_ns;
  s->lookups_len = tu->lookups_len;
  return 0;
}

typedef struct diags {
  int n;
  char msg[128];
} diags;

static int diag_fn(void *arg, const char *tu, const pdb_diag *d) {
  diags *ds = arg;
  ds->n++;
  ck_assert_str_eq(tu, "/src/a.c");
  ck_assert_int_eq(d->line, 9);
  snprintf(ds->msg, sizeof ds->msg, "%s", d->message);
  return 0;
}

START_TEST(test_roundtrip_and_replace) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_msg(db != NULL, "%s", err);
  pdb_tu tu = sample_tu();
  ck_assert_int_eq(pdb_store_tu(db, &tu, "h1"), 0);
  ck_assert_int_eq(pdb_store_tu(db, &tu, "h1"), 0); /* replaces, does not duplicate */
  seen s = {0};
  ck_assert_int_eq(pdb_each_tu(db, 1, collect, &s), 0);
  ck_assert_int_eq(s.n, 1);
  ck_assert_int_eq(s.complete, 0);
  ck_assert_int_eq(s.pic, 1);
  ck_assert_uint_eq(s.facts_len, sizeof sample_facts);
  ck_assert(memcmp(s.facts, sample_facts, sizeof sample_facts) == 0);
  ck_assert_str_eq(s.flags, "h1");
  ck_assert_int_eq(s.inputs, 1);
  ck_assert_str_eq(s.path, "/src/a.c");
  ck_assert_uint_eq(s.hash0, 42);
  ck_assert_int_eq(s.ctime, 7);
  ck_assert_uint_eq(s.lookups_len, sizeof sample_lookups);
  memset(&s, 0, sizeof s);
  ck_assert_int_eq(pdb_each_tu(db, 0, collect, &s), 0);
  ck_assert_int_eq(s.inputs, 0); /* inputs only when asked for */
  diags ds = {0};
  ck_assert_int_eq(pdb_each_diag(db, diag_fn, &ds), 0);
  ck_assert_int_eq(ds.n, 1);
  ck_assert_str_eq(ds.msg, sample_diag.message);
  int64_t id = pdb_tu_lookup(db, "/src/a.c", "h1");
  ck_assert_int_gt(id, 0);
  ck_assert_int_eq(pdb_tu_verify(db, id), 1);
  void *lk;
  size_t lkn;
  ck_assert_int_eq(pdb_tu_lookups(db, id, &lk, &lkn), 1);
  ck_assert(lkn == sizeof sample_lookups && memcmp(lk, sample_lookups, lkn) == 0);
  free(lk);
  ck_assert_int_eq(pdb_tu_lookup(db, "/src/a.c", "other"), 0);
  /* pruning everything removes the TU and its facts */
  ck_assert_int_eq(pdb_prune_tus(db, NULL, 0), 0);
  memset(&s, 0, sizeof s);
  pdb_each_tu(db, 0, collect, &s);
  ck_assert_int_eq(s.n, 0);
  pdb_close(db);
}
END_TEST

static int count_rows(const char *sql) {
  sqlite3 *h;
  ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
  sqlite3_stmt *s;
  ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
  int n = 0;
  while (sqlite3_step(s) == SQLITE_ROW) n++;
  sqlite3_finalize(s);
  sqlite3_close(h);
  return n;
}

/* Writes the results of two functions: f (external, a body) violates tls
 * by its own base and is unknown for panic through a call to g (no body). */
static int put_results(pdb *db, const char *key, int commit) {
  if (pdb_results_begin(db, key) < 0) return -1;
  int ok = pdb_put_effect_kind(db, 0, "none", NULL) == 0 && pdb_put_effect_kind(db, 1, "tls-var", "tls") == 0 &&
           pdb_put_effect_kind(db, 10, "external", NULL) == 0;
  for (int v = 0; ok && v < 3; v++)
    ok = pdb_put_verdict_name(db, v, (const char *[]){"proven", "unknown", "violated"}[v]) == 0;
  pdb_func f = {0}, g = {0};
  f.id = 1, f.usr = "c:@F@f", f.path_key = "", f.name = "f", f.file = "/src/a.c", f.line = 3, f.col = 5;
  f.linkage = "external", f.has_body = 1;
  g.id = 2, g.usr = "c:@F@g", g.path_key = "", g.name = "g", g.file = "/src/a.h", g.line = 1, g.col = 6;
  g.linkage = "external";
  ok = ok && pdb_put_func(db, &f) == 0 && pdb_put_func(db, &g) == 0;
  pdb_hop tls = {0}, panic = {0}, gp = {0};
  tls.verdict = 2, tls.why = PDB_WHY_BASE, tls.kind = 1, tls.detail = "it's \"odd\"; drop table tu --";
  tls.file = "/src/a.c", tls.line = 5, tls.col = 1, tls.depth = 1, tls.terminal = 1;
  panic.verdict = 1, panic.why = PDB_WHY_EDGE, panic.next = 2, panic.file = "/src/a.c", panic.line = 4;
  panic.col = 3, panic.depth = 2, panic.terminal = 2;
  gp.verdict = 1, gp.why = PDB_WHY_BASE, gp.kind = 10, gp.detail = "g", gp.file = "/src/a.h", gp.line = 1, gp.col = 6;
  gp.depth = 1, gp.terminal = 2;
  ok = ok && pdb_put_verdict(db, 1, 0, &tls) == 0 && pdb_put_verdict(db, 1, 1, &panic) == 0 &&
       pdb_put_verdict(db, 2, 1, &gp) == 0;
  return pdb_results_end(db, ok && commit);
}

static int hop_fn(void *arg, int64_t func, int prop, const pdb_hop *h) {
  int *n = arg;
  if (func == 1 && prop == 1) ck_assert(h->why == PDB_WHY_EDGE && h->next == 2 && h->depth == 2 && h->terminal == 2);
  (*n)++;
  return 0;
}

/* A facts value changed behind the database's back is refused, named, and
 * never handed out. */
START_TEST(test_damaged_facts_refused) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  pdb_tu tu = sample_tu();
  ck_assert_int_eq(pdb_store_tu(db, &tu, "h1"), 0);
  int64_t id = pdb_tu_lookup(db, "/src/a.c", "h1");
  pdb_close(db);
  sqlite3 *h;
  ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(h, "UPDATE tu_facts SET data = X'464E00' WHERE tu = 1", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(h);
  db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  ck_assert_int_eq(pdb_tu_verify(db, id), 0);
  seen s = {0};
  ck_assert_int_eq(pdb_each_tu(db, 0, collect, &s), -1);
  ck_assert_int_eq(s.n, 0);
  ck_assert_ptr_nonnull(strstr(pdb_error(db), "checksum does not match"));
  pdb_close(db);
}
END_TEST

START_TEST(test_results_and_view) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  ck_assert_int_eq(put_results(db, "k1", 1), 0);
  pdb_close(db);
  ck_assert_int_eq(count_rows("SELECT name FROM properties WHERE name = 'f' AND tls = 'violated' AND panic = 'unknown' "
                              "AND linkage = 'external' AND witness = 'tls: tls-var ''it''s \"odd\"; drop table tu "
                              "--'' at /src/a.c:5:1; panic: calls ''g'' at /src/a.c:4:3'"),
                   1);
  ck_assert_int_eq(count_rows("SELECT name FROM properties"), 1); /* g has no body */
  ck_assert_int_eq(count_rows("PRAGMA user_version"), 1);
  db = pdb_open(path, 0, err, sizeof err);
  int hops = 0;
  ck_assert_int_eq(pdb_each_hop(db, hop_fn, &hops), 0);
  ck_assert_int_eq(hops, 3);
  ck_assert_int_eq(pdb_results_current(db, "k1"), 1);
  ck_assert_int_eq(pdb_results_current(db, "k2"), 0);
  /* A failed replacement keeps the old results and their key. */
  ck_assert_int_eq(put_results(db, "k2", 0), -1);
  ck_assert_int_eq(pdb_results_current(db, "k1"), 1);
  ck_assert_int_eq(count_rows("SELECT name FROM properties"), 1);
  pdb_tu tu = sample_tu();
  ck_assert_int_eq(pdb_store_tu(db, &tu, "h"), 0); /* new facts make results stale */
  ck_assert_int_eq(pdb_results_current(db, "k1"), 0);
  pdb_close(db);
}
END_TEST

static void write_file(const char *content, size_t n) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  fwrite(content, 1, n, f);
  fclose(f);
}

static void file_digest(char out[64]) {
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  snprintf(out, 64, "%lld/%lld", (long long)st.st_size, (long long)st.st_mtim.tv_nsec);
}

START_TEST(test_refuses_foreign_database) {
  sqlite3 *h;
  ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_exec(h, "CREATE TABLE customers(id, name); INSERT INTO customers VALUES (1, 'x')", NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(h);
  char before[64], after[64], err[512];
  file_digest(before);
  ck_assert_ptr_null(pdb_open(path, 0, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "another application"));
  file_digest(after);
  ck_assert_str_eq(before, after);
  ck_assert_int_eq(count_rows("SELECT * FROM customers"), 1);
}
END_TEST

START_TEST(test_refuses_newer_schema_and_garbage) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  pdb_close(db);
  sqlite3 *h;
  sqlite3_open(path, &h);
  sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close(h);
  ck_assert_ptr_null(pdb_open(path, 0, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "newer"));
  teardown();
  setup();
  const char junk[] = "this is not a database, just text that happens to be long enough to have a header....";
  write_file(junk, sizeof junk);
  ck_assert_ptr_null(pdb_open(path, 0, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "not an fnprop database"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("pdb");
  TCase *tc = tcase_create("sqlite");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_roundtrip_and_replace);
  tcase_add_test(tc, test_damaged_facts_refused);
  tcase_add_test(tc, test_results_and_view);
  tcase_add_test(tc, test_refuses_foreign_database);
  tcase_add_test(tc, test_refuses_newer_schema_and_garbage);
  suite_add_tcase(s, tc);
  return check_run(s);
}
