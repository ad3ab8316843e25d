/* SPDX-License-Identifier: MIT */
/* test_pdb.c - the properties database on real SQLite files. */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdb.h"
#include "../check_run.h"

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

static ft_tu *sample_tu(void) {
  ft_tu *tu = ft_tu_create("/src/a.c", "/src");
  int n;
  uint32_t f = ft_func_intern(tu, "c:@F@f", "", &n), g = ft_func_intern(tu, "c:@F@g", "", &n);
  tu->funcs.v[f].name = "f";
  tu->funcs.v[f].has_body = 1;
  tu->funcs.v[f].loc = (ft_loc){"/src/a.c", 3, 5};
  tu->funcs.v[f].external = 1;
  tu->funcs.v[g].name = "g";
  tu->funcs.v[g].loc = (ft_loc){"/src/a.h", 1, 6};
  tu->funcs.v[g].external = 1;
  tu->funcs.v[g].annots = FT_ANN_TLS;
  ft_call c = {f, g, {"/src/a.c", 4, 3}, 0};
  UT_PUSH(tu->calls, c);
  ft_effect e = {f, FX_TLS_VAR, FT_ANN_TASK, "it's \"odd\"; drop table tu --", {"/src/a.c", 5, 1}, {"/src/a.c", 1, 1}};
  UT_PUSH(tu->effects, e);
  ft_input in = {"/src/a.c", 10, 0, 1, 42, {42}};
  UT_PUSH(tu->inputs, in);
  return tu;
}

typedef struct seen {
  int n;
  size_t funcs, calls, effects;
  char detail[64];
  uint32_t annots;
} seen;

static int collect(void *arg, const ft_tu *tu) {
  seen *s = arg;
  s->n++;
  s->funcs = tu->funcs.n;
  s->calls = tu->calls.n;
  s->effects = tu->effects.n;
  if (tu->effects.n) {
    snprintf(s->detail, sizeof s->detail, "%s", tu->effects.v[0].detail);
    s->annots = tu->effects.v[0].annots;
  }
  return 0;
}

START_TEST(test_roundtrip_and_replace) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_msg(db != NULL, "%s", err);
  ft_tu *tu = sample_tu();
  ck_assert_int_eq(pdb_store_tu(db, tu, "h1"), 0);
  ck_assert_int_eq(pdb_store_tu(db, tu, "h1"), 0); /* replaces, does not duplicate */
  seen s = {0};
  ck_assert_int_eq(pdb_each_tu(db, collect, &s), 0);
  ck_assert_int_eq(s.n, 1);
  ck_assert_uint_eq(s.funcs, 2);
  ck_assert_uint_eq(s.calls, 1);
  ck_assert_uint_eq(s.effects, 1);
  ck_assert_str_eq(s.detail, "it's \"odd\"; drop table tu --");
  ck_assert_uint_eq(s.annots, FT_ANN_TASK);
  ck_assert_int_gt(pdb_tu_lookup(db, "/src/a.c", "h1"), 0);
  ck_assert_int_eq(pdb_tu_lookup(db, "/src/a.c", "other"), 0);
  /* pruning everything removes the TU and its facts */
  ck_assert_int_eq(pdb_prune_tus(db, NULL, 0), 0);
  memset(&s, 0, sizeof s);
  pdb_each_tu(db, collect, &s);
  ck_assert_int_eq(s.n, 0);
  ft_tu_destroy(tu);
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

START_TEST(test_results_and_view) {
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  ft_tu *tu = sample_tu();
  gr_graph *g = gr_create();
  gr_add_tu(g, tu);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  uint8_t *base = gr_base_verdicts(g);
  sv_result res[2];
  ck_assert_int_eq(sv_solve((uint32_t)g->nodes.n, base, g->edges.n, g->edges.v, res), 0);
  ck_assert_int_eq(pdb_store_results(db, g, res, "k1"), 0);
  pdb_close(db);
  ck_assert_int_eq(count_rows("SELECT name FROM properties WHERE name = 'f' AND tls = 'violated' AND panic = 'unknown' "
                              "AND linkage = 'external' AND witness LIKE 'tls: tls-var%'"), 1);
  ck_assert_int_eq(count_rows("SELECT name FROM properties"), 1); /* g has no body */
  ck_assert_int_eq(count_rows("PRAGMA user_version"), 1);
  db = pdb_open(path, 0, err, sizeof err);
  ck_assert_int_eq(pdb_results_current(db, "k1"), 1);
  ck_assert_int_eq(pdb_results_current(db, "k2"), 0);
  ck_assert_int_eq(pdb_store_tu(db, tu, "h"), 0); /* new facts make results stale */
  ck_assert_int_eq(pdb_results_current(db, "k1"), 0);
  pdb_close(db);
  free(base);
  gr_destroy(g);
  ft_tu_destroy(tu);
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
  ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE customers(id, name); INSERT INTO customers VALUES (1, 'x')", NULL, NULL, NULL), SQLITE_OK);
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
  tcase_add_test(tc, test_results_and_view);
  tcase_add_test(tc, test_refuses_foreign_database);
  tcase_add_test(tc, test_refuses_newer_schema_and_garbage);
  suite_add_tcase(s, tc);
  return check_run(s);
}
