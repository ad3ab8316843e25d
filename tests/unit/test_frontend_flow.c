/* SPDX-License-Identifier: MIT */
/*
 * test_frontend_flow.c - the flow facts the real libclang front end builds
 * from data/ff_cfg.c (frontend_flow.c): the CFG of every construct the
 * builder handles (for headers with absent parts, also from macros; switch
 * with fall-through and default; && || ?: and GNU ?:; goto, labels,
 * continue, break), locals whose address is taken rewritten to memory, and
 * a construct it does not handle.  Each body is compared, as fl_dump text,
 * with the expected CFG below, which was checked by hand against the source.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "frontend.h"
#include "frontend_flow.h"
#include "syntax.h"

static ft_tu *parse(const char *name) {
  char dir[PATH_MAX], file[PATH_MAX + 64];
  ck_assert_ptr_nonnull(realpath(TEST_DATA_DIR, dir));
  snprintf(file, sizeof file, "%s/%s", dir, name);
  char *argv[] = {"clang", "-std=gnu11", file};
  cdb_entry e = {file, dir, argv, 3, 0};
  fe_ctx *fe = fe_create();
  ck_assert_ptr_nonnull(fe);
  ft_tu *tu = fe_parse(fe, &e);
  fe_destroy(fe);
  ck_assert_ptr_nonnull(tu);
  ck_assert_ptr_nonnull(tu->body_flow);
  ck_assert_int_eq(fl_check(tu->body_flow), 0);
  return tu;
}

/* The dump of the body of `name`, malloc'd. */
static char *dump(const ft_tu *tu, const char *name) {
  for (size_t i = 0; i < tu->body_flow->funcs.n; i++) {
    const fl_func *f = &tu->body_flow->funcs.v[i];
    if (strcmp(tu->funcs.v[f->func].name, name) != 0) continue;
    ut_buf b = {0};
    fl_dump(tu->body_flow, (uint32_t)i, &b);
    ck_assert(!b.failed);
    return b.s;
  }
  ck_abort_msg("no flow facts for '%s'", name);
  return NULL;
}

static const struct {
  const char *name, *cfg;
} expected[] = {
    {"for_parts", "params 1 locals 4\n"
                  "b0 -> b2\n"
                  "b1 ->\n"
                  "b2 -> b3\n"
                  "  10:11 assign i := []\n"
                  "  10:19 assign p := []\n"
                  "b3 -> b4 b6\n"
                  "  11:10 use [i n]\n"
                  "b4 -> b5\n"
                  "  11:18 use [i]\n"
                  "  11:18 use [i]\n"
                  "b5 -> b3\n"
                  "b6 -> b7\n"
                  "b7 -> b8 b10\n"
                  "  12:10 use [n]\n"
                  "b8 -> b9\n"
                  "  12:22 call f0\n"
                  "b9 -> b7\n"
                  "  12:17 assign p := [&tv]\n"
                  "  12:13 use [&tv]\n"
                  "b10 -> b11\n"
                  "  13:3 assign i := []\n"
                  "b11 -> b12 b14\n"
                  "  13:3 use [i n]\n"
                  "b12 -> b13\n"
                  "  13:14 call f1 g() := [i]\n"
                  "  13:14 use [g()]\n"
                  "b13 -> b11\n"
                  "  13:3 use [i]\n"
                  "  13:3 use [i]\n"
                  "b14 -> b15\n"
                  "b15 -> b16\n"
                  "b16 -> b19 b20\n"
                  "  14:17 use [n]\n"
                  "b17 -> b15\n"
                  "b18 -> b1\n"
                  "  15:10 ret [i p]\n"
                  "b19 -> b17\n"
                  "b20 -> b18\n"
                  "b21 -> b19\n"
                  "b22 -> b1\n"},
    {"switch_fall", "params 1 locals 3\n"
                    "b0 -> b2\n"
                    "b1 ->\n"
                    "b2 -> b5 b6 b8\n"
                    "  19:11 assign x := []\n"
                    "  20:11 use [n]\n"
                    "b3 -> b1\n"
                    "  25:10 ret [x]\n"
                    "b4 -> b5\n"
                    "b5 -> b6\n"
                    "  21:15 read tv\n"
                    "  21:15 assign x := [*tv]\n"
                    "  21:11 use [*tv]\n"
                    "b6 -> b3\n"
                    "  22:11 use [x]\n"
                    "  22:11 use [x]\n"
                    "b7 -> b8\n"
                    "b8 -> b3\n"
                    "  23:16 call f1 g() := [x]\n"
                    "  23:16 assign x := [g()]\n"
                    "  23:12 use [g()]\n"
                    "b9 -> b1\n"},
    {"logic", "params 2 locals 6\n"
              "b0 -> b2\n"
              "b1 ->\n"
              "b2 -> b3 b4\n"
              "  28:35 assign %3 := [a]\n"
              "b3 -> b4\n"
              "  28:40 call f1 g() := [b]\n"
              "  28:40 merge %3 := [g()]\n"
              "b4 -> b5 b6\n"
              "  28:34 assign %2 := [%3]\n"
              "b5 -> b8 b9\n"
              "  28:50 use [a]\n"
              "b6 -> b1\n"
              "  28:34 ret [%2]\n"
              "b7 -> b6\n"
              "  28:49 merge %2 := [%5]\n"
              "b8 -> b7\n"
              "  28:54 assign %5 := [b]\n"
              "b9 -> b7\n"
              "  28:58 read tv\n"
              "  28:58 assign %5 := [*tv]\n"
              "b10 -> b1\n"},
    {"jumps", "params 1 locals 2\n"
              "b0 -> b2\n"
              "b1 ->\n"
              "b2 -> b3\n"
              "b3 -> b4 b5\n"
              "  32:7 use [n]\n"
              "  32:7 use [n]\n"
              "b4 -> b7\n"
              "b5 -> b3\n"
              "b6 -> b4\n"
              "b7 -> b10 b11\n"
              "  33:12 use [n]\n"
              "b8 -> b7 b9\n"
              "  33:44 use [n]\n"
              "b9 -> b1\n"
              "  34:10 ret [n]\n"
              "b10 -> b8\n"
              "  33:29 call f1 g() := [n]\n"
              "  33:29 assign n := [g()]\n"
              "  33:25 use [g()]\n"
              "b11 -> b8\n"
              "b12 -> b10\n"
              "b13 -> b1\n"},
    {"taken", "params 1 locals 5\n"
              "b0 -> b2\n"
              "b1 ->\n"
              "b2 -> b1\n"
              "  38:11 escape [n]\n"
              "  38:18 assign y := []\n"
              "  39:12 assign p := []\n"
              "  40:7 load %4 := [p]\n"
              "  40:7 assign y := [%4 n]\n"
              "  40:3 use [%4 n]\n"
              "  41:10 ret [y]\n"
              "b3 -> b1\n"},
    {"errno_like", "params 1 locals 2\n"
                   "b0 -> b2\n"
                   "b1 ->\n"
                   "b2 -> b1\n"
                   "  44:39 use [loc]\n"
                   "  44:39 call indirect %1 :=\n"
                   "  44:38 store [%1] []\n"},
    {"gnu", "params 1 locals 3\n"
            "b0 -> b2\n"
            "b1 ->\n"
            "b2 -> b3 b4\n"
            "  46:25 assign %1 := [a]\n"
            "b3 -> b1\n"
            "  46:25 ret [%1]\n"
            "b4 -> b3\n"
            "  46:30 call f1 g() := [a]\n"
            "  46:30 assign %1 := [g()]\n"
            "b5 -> b1\n"},
    {"not_understood", "params 1 locals 1 not understood: statement expression at 48:36\n"
                       "b0 -> b2\n"
                       "b1 ->\n"
                       "b2 -> b1\n"
                       "  48:36 ret []\n"
                       "b3 -> b1\n"},
};

START_TEST(test_cfg_shapes) {
  ft_tu *tu = parse("ff_cfg.c");
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    char *got = dump(tu, expected[i].name);
    ck_assert_msg(strcmp(got, expected[i].cfg) == 0, "%s: got\n%sexpected\n%s", expected[i].name, got, expected[i].cfg);
    free(got);
  }
  ft_tu_destroy(tu);
}
END_TEST

/* `*loc() = 0` stores to the whole target (a kill where the pointer must
 * point to one object); the callee of every direct call is the TU's own
 * function record. */
START_TEST(test_store_strong_and_callees) {
  ft_tu *tu = parse("ff_cfg.c");
  int strong = 0, calls = 0;
  for (size_t i = 0; i < tu->body_flow->events.n; i++) {
    const fl_event *e = &tu->body_flow->events.v[i];
    if (e->op == FL_STORE && (e->flags & FL_STRONG)) strong++;
    if (e->op == FL_CALL && e->aux != FL_NONE) {
      calls++;
      ck_assert_uint_lt(e->aux, tu->funcs.n);
      const char *n = tu->funcs.v[e->aux].name;
      ck_assert_msg(!strcmp(n, "g") || !strcmp(n, "yield"), "call to '%s'", n);
    }
  }
  ck_assert_int_eq(strong, 1);
  ck_assert_int_ge(calls, 6);
  ft_tu_destroy(tu);
}
END_TEST

/* One table: every cursor kind the flow builder follows is one the walk
 * understands and the table does not mark beyond the flow, and the
 * builder has a case for each such kind, and for no other. */
START_TEST(test_kinds_agree) {
  unsigned n = sx_nkinds(), flow = 0;
  for (unsigned k = 0; k < n + 64; k++) {
    const char *why;
    int f = sx_flow_kind((enum CXCursorKind)k, &why);
    if (sx_kind_role((enum CXCursorKind)k) == SX_UNSEEN) ck_assert_msg(!f && !why, "kind %u: unseen by the walk", k);
    ck_assert_msg(!(f && why), "kind %u: understood with a limit", k);
    ck_assert_msg(f == ff_kind_handled((enum CXCursorKind)k), "kind %u: sx_flow_kind %d, the builder %d", k, f,
                  ff_kind_handled((enum CXCursorKind)k));
    flow += (unsigned)f;
  }
  ck_assert_uint_ge(flow, 40);
}
END_TEST

/* On real code: a function the walk marks unseen has its flow not
 * understood with the walk's reason; a flow limit names its own. */
START_TEST(test_unseen_agrees) {
  char dir[PATH_MAX], file[PATH_MAX + 64];
  ck_assert_ptr_nonnull(realpath(TEST_DATA_DIR, dir));
  snprintf(file, sizeof file, "%s/ff_closed.c", dir);
  char *argv[] = {"clang", "-std=gnu11", "-fblocks", file};
  cdb_entry e = {file, dir, argv, 4, 0};
  fe_ctx *fe = fe_create();
  ft_tu *tu = fe_parse(fe, &e);
  fe_destroy(fe);
  ck_assert_ptr_nonnull(tu);
  static const struct {
    const char *name, *why; /* NULL: understood by both */
    int unseen;
  } want[] = {
      {"walk_block", "block literal", 1},
      {"walk_seh", "inline assembly", 0},
      {"flow_stmt_expr", "statement expression", 0},
      {"flow_label", "a local label declaration (__label__)", 0},
      {"both_fine", NULL, 0},
  };
  for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
    uint32_t fi = FT_NONE;
    for (size_t i = 0; i < tu->funcs.n; i++)
      if (!strcmp(tu->funcs.v[i].name, want[w].name)) fi = (uint32_t)i;
    ck_assert_uint_ne(fi, FT_NONE);
    const char *unseen = NULL;
    for (size_t i = 0; i < tu->effects.n; i++)
      if (tu->effects.v[i].func == fi && tu->effects.v[i].kind == FX_UNSEEN) unseen = tu->effects.v[i].detail;
    const fl_func *f = NULL;
    for (size_t i = 0; i < tu->body_flow->funcs.n; i++)
      if (tu->body_flow->funcs.v[i].func == fi) f = &tu->body_flow->funcs.v[i];
    ck_assert_ptr_nonnull(f);
    const char *why = tu->body_flow->strs.v[f->why];
    ck_assert_msg(!unseen == !want[w].unseen, "%s: walk unseen '%s'", want[w].name, unseen ? unseen : "");
    if (unseen)
      ck_assert_msg(!f->understood && !strcmp(why, unseen), "%s: flow '%s', walk '%s'", want[w].name, why, unseen);
    if (want[w].why) ck_assert_msg(!f->understood && strstr(why, want[w].why), "%s: flow '%s'", want[w].name, why);
    else ck_assert_msg(f->understood, "%s: flow not understood: %s", want[w].name, why);
  }
  ft_tu_destroy(tu);
}
END_TEST

int main(void) {
  Suite *s = suite_create("frontend_flow");
  TCase *tc = tcase_create("cfg");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_cfg_shapes);
  tcase_add_test(tc, test_store_strong_and_callees);
  tcase_add_test(tc, test_kinds_agree);
  tcase_add_test(tc, test_unseen_agrees);
  suite_add_tcase(s, tc);
  return check_run(s);
}
