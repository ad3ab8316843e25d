/* SPDX-License-Identifier: MIT */
/* test_results.c - the solved graph stored as rows (results.c) and read
 * back from a real SQLite file. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_run.h"
#include "results.h"

static char dir[] = "/tmp/fnprop-test-results.XXXXXX";
static char path[256];

static void setup(void) {
  strcpy(dir, "/tmp/fnprop-test-results.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/fnprop.db", dir);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* a -> b -> g: g has no body and is annotated FNPROP_TLS; b also reads a
 * migration-safe thread-local variable (a note, not an effect). */
static ft_tu *chain_tu(void) {
  ft_tu *tu = ft_tu_create("/src/a.c", "/src");
  int n;
  uint32_t a = ft_func_intern(tu, "c:@F@a", "", &n), b = ft_func_intern(tu, "c:@F@b", "/src/a.c", &n);
  uint32_t g = ft_func_intern(tu, "c:@F@g", "", &n);
  ft_func *f = tu->funcs.v;
  f[a].name = "a", f[a].has_body = 1, f[a].external = 1, f[a].loc = (ft_loc){"/src/a.c", 3, 5};
  f[b].name = "b", f[b].has_body = 1, f[b].loc = (ft_loc){"/src/a.c", 2, 12};
  f[g].name = "g", f[g].external = 1, f[g].annots = FT_ANN_TLS, f[g].loc = (ft_loc){"/src/a.h", 1, 6};
  ft_call c1 = {a, b, {"/src/a.c", 3, 20}, 0}, c2 = {b, g, {"/src/a.c", 2, 30}, 0};
  UT_PUSH(tu->calls, c1);
  UT_PUSH(tu->calls, c2);
  ft_effect e = {b, FX_TLS_VAR, FT_ANN_MIGRATION_SAFE, "cache", {"/src/a.c", 2, 40}, {"/src/a.c", 1, 1}};
  UT_PUSH(tu->effects, e);
  return tu;
}

typedef struct byname {
  const char *name;
  pdb_func f;
  char note[256];
  int found;
} byname;

static int find_fn(void *arg, const pdb_func *f) {
  byname *b = arg;
  if (strcmp(f->name, b->name) != 0) return 0;
  b->f = *f;
  snprintf(b->note, sizeof b->note, "%s", f->note ? f->note : "");
  b->found++;
  return 0;
}

static int64_t id_of(pdb *db, const char *name, byname *out) {
  memset(out, 0, sizeof *out);
  out->name = name;
  ck_assert_int_eq(pdb_each_func(db, name, find_fn, out), 0);
  ck_assert_int_eq(out->found, 1);
  return out->f.id;
}

START_TEST(test_rows_of_a_chain) {
  ft_tu *tu = chain_tu();
  gr_graph *g = gr_create();
  ck_assert_int_eq(gr_add_tu(g, tu), 0);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  sv_result res[3];
  ck_assert_int_eq(gr_solve(g, res), 0);
  char err[512];
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_ptr_nonnull(db);
  ck_assert_int_eq(rs_store(db, g, res, "k"), 0);
  ck_assert_int_eq(pdb_results_current(db, "k"), 1);

  byname a, b;
  int64_t ia = id_of(db, "a", &a), ib = id_of(db, "b", &b);
  ck_assert_int_eq(a.f.verdict[VD_TLS], VD_VIOLATED);
  ck_assert_str_eq(b.note, "uses thread-local variable 'cache' at /src/a.c:2:40, declared FNPROP_MIGRATION_SAFE: "
                           "not counted");
  pdb_func f;
  ck_assert_int_eq(pdb_get_func(db, ia, &f), 0); /* strings valid until the next call */
  ck_assert_str_eq(f.linkage, "external");
  ck_assert_int_eq(pdb_get_func(db, ib, &f), 0);
  ck_assert_str_eq(f.linkage, "internal");

  pdb_hop h;
  ck_assert_int_eq(pdb_get_hop(db, ia, VD_TLS, &h), 0);
  ck_assert_int_eq(h.why, PDB_WHY_EDGE);
  ck_assert_int_eq(h.next, ib);
  ck_assert_int_eq(h.depth, 3); /* a, b, g */
  ck_assert_int_eq(h.how, VC_EDGE_CALL);
  int64_t ig = h.terminal;
  ck_assert_int_eq(pdb_get_hop(db, ig, VD_TLS, &h), 0);
  ck_assert_int_eq(h.why, PDB_WHY_BASE);
  ck_assert_int_eq(h.kind, FX_TLS_DECLARED);
  ck_assert_str_eq(h.origin, "annotation");
  ck_assert_int_eq(pdb_get_hop(db, ia, VD_PANIC, &h), 0);
  ck_assert_int_eq(h.verdict, VD_UNKNOWN);
  pdb_close(db);
  gr_destroy(g);
  ft_tu_destroy(tu);
}
END_TEST

static Suite *t_suite(void) {
  Suite *s = suite_create("results");
  TCase *t = tcase_create("results");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, test_rows_of_a_chain);
  suite_add_tcase(s, t);
  return s;
}

int main(void) { return check_run(t_suite()); }
