/* SPDX-License-Identifier: MIT */
/* test_graph.c - folding TU facts: identity, variants, determinism, bases. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "graph.h"

/* Adds a function to a hand-made TU. */
static uint32_t add_func(ft_tu *tu, const char *usr, const char *key, const char *name, int body, unsigned line) {
  int is_new;
  uint32_t i = ft_func_intern(tu, usr, key, &is_new);
  ft_func *f = &tu->funcs.v[i];
  f->name = ft_str(tu, name);
  f->loc.file = ft_str(tu, key[0] ? key : "/src/x.c");
  f->loc.line = line;
  f->external = key[0] == '\0';
  f->has_body = (uint8_t)body;
  return i;
}

static void add_call(ft_tu *tu, uint32_t a, uint32_t b, unsigned line) {
  ft_call c = {a, b, {ft_str(tu, "/src/x.c"), line, 3}, 0};
  ck_assert_int_eq(UT_PUSH(tu->calls, c), 0);
}

static long node(gr_graph *g, const char *usr, const char *key) { return gr_find(g, usr, key); }

START_TEST(test_static_functions_stay_distinct) {
  ft_tu *a = ft_tu_create("/d1/a.c", "/d1"), *b = ft_tu_create("/d2/a.c", "/d2");
  add_func(a, "c:a.c@F@helper", "/d1/a.c", "helper", 1, 1);
  add_func(b, "c:a.c@F@helper", "/d2/a.c", "helper", 1, 1);
  gr_graph *g = gr_create();
  ck_assert_int_eq(gr_add_tu(g, a), 0);
  ck_assert_int_eq(gr_add_tu(g, b), 0);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  ck_assert_uint_eq(g->nodes.n, 2);
  ck_assert_int_ne(node(g, "c:a.c@F@helper", "/d1/a.c"), node(g, "c:a.c@F@helper", "/d2/a.c"));
  gr_destroy(g);
  ft_tu_destroy(a);
  ft_tu_destroy(b);
}
END_TEST

START_TEST(test_variants_join) {
  /* The same file seen twice: one variant calls abort, the other does not. */
  ft_tu *a = ft_tu_create("/s/x.c", "/s"), *b = ft_tu_create("/s/x.c", "/s");
  uint32_t fa = add_func(a, "c:@F@f", "", "f", 1, 5);
  uint32_t ab = add_func(a, "c:@F@abort", "", "abort", 0, 100);
  add_call(a, fa, ab, 6);
  add_func(b, "c:@F@f", "", "f", 1, 5);
  gr_graph *g = gr_create();
  gr_add_tu(g, b);
  gr_add_tu(g, a);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  ck_assert_uint_eq(g->nodes.n, 2);
  ck_assert_uint_eq(g->edges.n, 1);
  long nf = node(g, "c:@F@f", ""), na = node(g, "c:@F@abort", "");
  ck_assert_uint_eq(g->edges.v[0].src, (uint32_t)nf);
  ck_assert_uint_eq(g->edges.v[0].dst, (uint32_t)na);
  ck_assert_int_eq(g->nodes.v[na].base[VD_PANIC].kind, FX_PANIC_CALL);
  ck_assert_int_eq(g->nodes.v[na].base[VD_TLS].kind, FX_NONE);
  ck_assert_int_eq(g->nodes.v[nf].base[VD_PANIC].kind, FX_NONE);
  gr_destroy(g);
  ft_tu_destroy(a);
  ft_tu_destroy(b);
}
END_TEST

START_TEST(test_order_independent) {
  ft_tu *t[3];
  for (int i = 0; i < 3; i++) {
    char file[32];
    snprintf(file, sizeof file, "/s/t%d.c", i);
    t[i] = ft_tu_create(file, "/s");
    uint32_t me = add_func(t[i],
                           i == 0   ? "c:@F@a"
                           : i == 1 ? "c:@F@b"
                                    : "c:@F@c",
                           "",
                           i == 0   ? "a"
                           : i == 1 ? "b"
                                    : "c",
                           1, 1);
    uint32_t other = add_func(t[i], "c:@F@printf", "", "printf", 0, 9);
    add_call(t[i], me, other, 2);
    ft_icall ic = {.caller = me,
                   .fntype = ft_str(t[i], "void (int)"),
                   .site = {ft_str(t[i], file), 3, 1},
                   .slot = "",
                   .via_call = -1};
    UT_PUSH(t[i]->icalls, ic);
  }
  gr_graph *g1 = gr_create(), *g2 = gr_create();
  for (int i = 0; i < 3; i++) gr_add_tu(g1, t[i]);
  for (int i = 2; i >= 0; i--) gr_add_tu(g2, t[i]);
  ck_assert_int_eq(gr_finish(g1, NULL), 0);
  ck_assert_int_eq(gr_finish(g2, NULL), 0);
  ck_assert_uint_eq(g1->nodes.n, g2->nodes.n);
  ck_assert_uint_eq(g1->edges.n, g2->edges.n);
  for (size_t i = 0; i < g1->nodes.n; i++) {
    ck_assert_str_eq(g1->nodes.v[i].key, g2->nodes.v[i].key);
    for (int p = 0; p < VD_NPROPS; p++) ck_assert_int_eq(g1->nodes.v[i].base[p].kind, g2->nodes.v[i].base[p].kind);
  }
  ck_assert_mem_eq(g1->edges.v, g2->edges.v, g1->edges.n * sizeof(sv_edge));
  long pf = node(g1, "c:@F@printf", "");
  ck_assert_int_eq(g1->nodes.v[pf].base[VD_TLS].kind, FX_EXTERNAL);
  ck_assert_int_eq(g1->nodes.v[node(g1, "c:@F@a", "")].base[VD_TLS].kind, FX_INDIRECT);
  gr_destroy(g1);
  gr_destroy(g2);
  for (int i = 0; i < 3; i++) ft_tu_destroy(t[i]);
}
END_TEST

START_TEST(test_annotations_on_bodiless) {
  ft_tu *a = ft_tu_create("/s/x.c", "/s");
  uint32_t f = add_func(a, "c:@F@ext", "", "ext", 0, 1);
  a->funcs.v[f].annots = FT_ANN_NOTLS | FT_ANN_PANIC;
  uint32_t n = add_func(a, "c:@F@fatal", "", "fatal", 0, 2);
  a->funcs.v[n].noreturn = 1;
  gr_graph *g = gr_create();
  gr_add_tu(g, a);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  gr_node *e = &g->nodes.v[node(g, "c:@F@ext", "")], *nr = &g->nodes.v[node(g, "c:@F@fatal", "")];
  ck_assert_int_eq(e->base[VD_TLS].kind, FX_NONE);
  ck_assert_int_eq(e->base[VD_PANIC].kind, FX_PANIC_DECLARED);
  ck_assert_int_eq(nr->base[VD_PANIC].kind, FX_NORETURN);
  ck_assert_int_eq(nr->base[VD_TLS].kind, FX_EXTERNAL);
  gr_destroy(g);
  ft_tu_destroy(a);
}
END_TEST

START_TEST(test_incomplete_tu_is_never_proven) {
  ft_tu *a = ft_tu_create("/s/bad.c", "/s");
  a->complete = 0;
  add_func(a, "c:@F@f", "", "f", 1, 1);
  gr_graph *g = gr_create();
  gr_add_tu(g, a);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  for (int p = 0; p < VD_NPROPS; p++) ck_assert_int_eq(g->nodes.v[0].base[p].kind, FX_INCOMPLETE);
  gr_destroy(g);
  ft_tu_destroy(a);
}
END_TEST

START_TEST(test_unseen_code) {
  /* f holds unseen code in two TUs (2 and 1 constructs): counted once, the
   * most any variant has; g's contract vouches for its own unseen tls part. */
  ft_tu *t[2];
  for (int i = 0; i < 2; i++) {
    t[i] = ft_tu_create(i ? "/s/b.c" : "/s/a.c", "/s");
    uint32_t f = add_func(t[i], "c:@F@f", "", "f", 1, 1);
    for (int k = 0; k < 2 - i; k++) {
      ft_effect e = {
          f, FX_UNSEEN, 0, ft_str(t[i], "inline assembly 'cpuid'"), {ft_str(t[i], "/s/h.h"), 3 + k, 1}, {"", 0, 0}};
      ck_assert_int_eq(UT_PUSH(t[i]->effects, e), 0);
    }
  }
  uint32_t gf = add_func(t[0], "c:@F@g", "", "g", 1, 9);
  t[0]->funcs.v[gf].annots = FT_ANN_NOTLS;
  ft_effect e = {gf, FX_UNSEEN, 0, ft_str(t[0], "attribute 'x'"), {ft_str(t[0], "/s/a.c"), 9, 1}, {"", 0, 0}};
  ck_assert_int_eq(UT_PUSH(t[0]->effects, e), 0);
  gr_graph *g = gr_create();
  gr_add_tu(g, t[1]);
  gr_add_tu(g, t[0]);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  ck_assert_uint_eq(g->unseen_funcs, 2);
  ck_assert_uint_eq(g->unseen_constructs, 3);
  long nf = node(g, "c:@F@f", ""), ng = node(g, "c:@F@g", "");
  for (int p = 0; p < VD_NPROPS; p++) ck_assert_int_eq(g->nodes.v[nf].base[p].kind, FX_UNSEEN);
  ck_assert_uint_eq(g->nodes.v[nf].base[VD_TLS].site.line, 3); /* the first construct */
  ck_assert_int_eq(g->nodes.v[ng].base[VD_TLS].kind, FX_NONE);
  ck_assert_int_eq(g->nodes.v[ng].base[VD_PANIC].kind, FX_UNSEEN);
  gr_destroy(g);
  ft_tu_destroy(t[0]);
  ft_tu_destroy(t[1]);
}
END_TEST

START_TEST(test_status_zero_calls) {
  /* error(0, ...) to the bodiless library error(): no panic through the
   * edge; the same call to a program's own error() keeps it. */
  ft_tu *a = ft_tu_create("/s/a.c", "/s"), *b = ft_tu_create("/s/b.c", "/s");
  uint32_t f = add_func(a, "c:@F@f", "", "f", 1, 1), err = add_func(a, "c:@F@error", "", "error", 0, 50);
  ft_call c = {f, err, {ft_str(a, "/s/a.c"), 2, 3}, FT_CALL_STATUS0};
  ck_assert_int_eq(UT_PUSH(a->calls, c), 0);
  uint32_t h = add_func(a, "c:@F@h", "", "h", 1, 5);
  add_call(a, h, err, 6);
  for (int own = 0; own < 2; own++) {
    gr_graph *g = gr_create();
    gr_add_tu(g, a);
    if (own) { /* b defines error(), calling abort */
      uint32_t e2 = add_func(b, "c:@F@error", "", "error", 1, 1), ab = add_func(b, "c:@F@abort", "", "abort", 0, 9);
      add_call(b, e2, ab, 2);
      gr_add_tu(g, b);
    }
    ck_assert_int_eq(gr_finish(g, NULL), 0);
    sv_result *r = calloc(g->nodes.n, sizeof *r);
    ck_assert_int_eq(gr_solve(g, r), 0);
    long nf = node(g, "c:@F@f", ""), nh = node(g, "c:@F@h", "");
    ck_assert_int_eq(r[nf].verdict[VD_PANIC], own ? VD_VIOLATED : VD_PROVEN);
    ck_assert_int_eq(r[nh].verdict[VD_PANIC], VD_VIOLATED);
    for (size_t i = 0; i < g->masks.n; i++) ck_assert_uint_eq(g->masks.v[i] & GR_MASK_RETURNS, 0);
    free(r);
    gr_destroy(g);
  }
  ft_tu_destroy(a);
  ft_tu_destroy(b);
}
END_TEST

/* Edges from node `from` in g. */
static size_t edges_from(const gr_graph *g, long from) {
  size_t n = 0;
  for (size_t i = 0; i < g->edges.n; i++) n += g->edges.v[i].src == (uint32_t)from;
  return n;
}

/* A call through field ops.run, where only `good` is stored by name and
 * `bad` is merely address-taken; with `flow` set, the record is handed to a
 * bodiless unmodeled function that may write it. */
static gr_graph *field_case(ft_tu **out, int flow) {
  ft_tu *a = ft_tu_create("/s/f.c", "/s");
  a->field_facts = 1;
  uint32_t run = add_func(a, "c:@F@run", "", "run", 1, 1), run2 = add_func(a, "c:@F@run2", "", "run2", 1, 2);
  uint32_t good = add_func(a, "c:@F@good", "", "good", 1, 3), bad = add_func(a, "c:@F@bad", "", "bad", 1, 4);
  uint32_t fill = add_func(a, "c:@F@fill", "", "fill", 0, 5);
  a->funcs.v[good].fnkey = a->funcs.v[bad].fnkey = "F{b2|}";
  ft_addr ag = {.func = good,
                .in_func = -1,
                .site = {"/s/f.c", 6, 1},
                .cast_type = "",
                .cast_key = "",
                .dest_kind = FT_SLOT_FIELD,
                .dest = "c:@S@ops@FI@run",
                .call = -1};
  ft_addr ab = {
      .func = bad, .in_func = -1, .site = {"/s/f.c", 7, 1}, .cast_type = "", .cast_key = "", .dest = "", .call = -1};
  UT_PUSH(a->addrs, ag);
  UT_PUSH(a->addrs, ab);
  ft_icall ic = {.caller = run,
                 .fntype = "void (void)",
                 .fnkey = "F{b2|}",
                 .site = {"/s/f.c", 8, 1},
                 .slot_kind = FT_SLOT_FIELD,
                 .slot = "c:@S@ops@FI@run",
                 .via_call = -1};
  ft_icall un = {
      .caller = run2, .fntype = "void ()", .fnkey = "F{b2|?}", .site = {"/s/f.c", 9, 1}, .slot = "", .via_call = -1};
  UT_PUSH(a->icalls, ic);
  UT_PUSH(a->icalls, un);
  if (flow) {
    ft_flow fl = {FT_FLOW_UNSEEN, FT_COND_CALLEE, 0, "c:@S@ops", "", (int32_t)fill, 1, {"/s/f.c", 10, 1}};
    UT_PUSH(a->flows, fl);
  }
  gr_graph *g = gr_create();
  gr_add_tu(g, a);
  ck_assert_int_eq(gr_finish(g, NULL), 0);
  *out = a;
  return g;
}

START_TEST(test_keys_and_unseen_flows) {
  ft_tu *a;
  gr_graph *g = field_case(&a, 0);
  ck_assert_uint_eq(edges_from(g, node(g, "c:@F@run", "")), 1);  /* good only: stored by name */
  ck_assert_uint_eq(edges_from(g, node(g, "c:@F@run2", "")), 2); /* unprototyped: every void function */
  gr_destroy(g);
  ft_tu_destroy(a);
  g = field_case(&a, 1);
  ck_assert_uint_eq(edges_from(g, node(g, "c:@F@run", "")), 2); /* the library may have written bad */
  gr_destroy(g);
  ft_tu_destroy(a);
}
END_TEST

int main(void) {
  Suite *s = suite_create("graph");
  TCase *tc = tcase_create("fold");
  tcase_add_test(tc, test_static_functions_stay_distinct);
  tcase_add_test(tc, test_variants_join);
  tcase_add_test(tc, test_order_independent);
  tcase_add_test(tc, test_annotations_on_bodiless);
  tcase_add_test(tc, test_incomplete_tu_is_never_proven);
  tcase_add_test(tc, test_keys_and_unseen_flows);
  tcase_add_test(tc, test_unseen_code);
  tcase_add_test(tc, test_status_zero_calls);
  suite_add_tcase(s, tc);
  return check_run(s);
}
