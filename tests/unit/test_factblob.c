/* SPDX-License-Identifier: MIT */
/* test_factblob.c - TU facts survive encoding and the facts cache; damaged
 * blobs are rejected. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#include "../check_run.h"
#include "factblob.h"
#include "factstore.h"

static ft_tu *sample(void) {
  ft_tu *tu = ft_tu_create("/src/a.c", "/src");
  int n;
  uint32_t f = ft_func_intern(tu, "c:@F@f", "", &n), g = ft_func_intern(tu, "c:a.c@F@g", "/src/a.c", &n);
  tu->funcs.v[f].name = "f";
  tu->funcs.v[f].has_body = 1;
  tu->funcs.v[f].external = 1;
  tu->funcs.v[f].loc = (ft_loc){"/src/a.c", 3, 5};
  tu->funcs.v[f].annots = FT_ANN_NOTLS | FT_ANN_TASK;
  tu->funcs.v[f].fntype = "int (int)";
  tu->funcs.v[g].name = "g";
  tu->funcs.v[g].noreturn = 1;
  tu->funcs.v[g].spawn_param = 2;
  tu->funcs.v[g].hdecl = (ft_loc){"/src/a.h", 7, 9};
  tu->funcs.v[g].hdecl_end = 123;
  ft_call c = {f, g, {"/src/a.c", 4, 3}, FT_CALL_STATUS0};
  UT_PUSH(tu->calls, c);
  ft_icall ic = {.caller = f,
                 .fntype = "void (void)",
                 .site = {"/src/a.c", 5, 1},
                 .slot_kind = FT_SLOT_FIELD,
                 .ext_origin = 1,
                 .slot = "c:@S@ops@FI@run",
                 .contract = FT_ANN_NOPANIC,
                 .via_call = 0,
                 .via_arg = 3,
                 .fnkey = "F{b2|}"};
  UT_PUSH(tu->icalls, ic);
  ft_icall arg = {.caller = f,
                  .fntype = "int (int)",
                  .site = {"/src/a.c", 5, 9},
                  .slot = "",
                  .fnkey = "F{b17|b17}",
                  .via_call = -1,
                  .via_icall = 1,
                  .via_arg = 2,
                  .slot_kind = FT_SLOT_PARAM,
                  .slot_arg = 4};
  UT_PUSH(tu->icalls, arg);
  ft_addr a = {.func = g,
               .in_func = -1,
               .site = {"/src/a.c", 9, 2},
               .cast_type = "int (long)",
               .dest_kind = FT_SLOT_ARG,
               .dest = "",
               .contract = FT_ANN_NOTLS,
               .call = 0,
               .arg = 1,
               .cast_key = "F{b18|b18}\nF{b2|}",
               .icall = 1};
  UT_PUSH(tu->addrs, a);
  ft_flow fl = {FT_FLOW_UNSEEN, FT_COND_CALLEE, FT_FLOW_CONVERTED, "c:@S@ops", "", (int32_t)g, 0, {"/src/a.c", 8, 1}};
  UT_PUSH(tu->flows, fl);
  ft_effect e = {f, FX_TLS_VAR, FT_ANN_MIGRATION_SAFE, "cache", {"/src/a.c", 6, 7}, {"/src/a.c", 1, 1}};
  UT_PUSH(tu->effects, e);
  const char *k = "c:@S@ops";
  UT_PUSH(tu->polluted, k);
  const char *flag = ft_str(tu, "-fconserve-stack");
  UT_PUSH(tu->dropped, flag);

  /* flow facts of f: p = &tv; yield(); use(p) */
  tu->body_flow = fl_unit_create();
  fl_build b;
  fl_begin(&b, tu->body_flow, f, 1);
  fl_name_param(&b, 0, "arg");
  uint32_t p = fl_local(&b, "p"), o = fl_object_intern(tu->body_flow, "v:c:@tv", "tv"),
           ops[2] = {FL_OBJ | FL_ADDR | o, p};
  uint32_t body = fl_new_block(&b);
  fl_loc at = {fl_str(tu->body_flow, "/src/a.c"), 10, 3};
  fl_vspec v0 = {ops, 1, 0}, v1 = {ops + 1, 1, FL_ARG_PTR};
  fl_emit(&b, 0, FL_ASSIGN, 0, (int32_t)p, 0, &v0, 1, at);
  fl_emit(&b, body, FL_CALL, 0, -1, g, &v1, 1, at);
  fl_emit(&b, body, FL_WRITE, FL_STRONG, -1, o, NULL, 0, at);
  fl_edge(&b, 0, body);
  fl_edge(&b, body, 1);
  fl_end(&b);
  return tu;
}

START_TEST(test_roundtrip) {
  ft_tu *tu = sample();
  ut_buf b = {0};
  ck_assert_int_eq(fb_encode(tu, &b), 0);
  ft_tu *back = fb_decode(b.s, b.n, "/src/a.c", "/src");
  ck_assert_ptr_nonnull(back);
  ck_assert_uint_eq(back->funcs.n, 2);
  ck_assert_str_eq(back->funcs.v[0].usr, "c:@F@f");
  ck_assert_str_eq(back->funcs.v[1].path_key, "/src/a.c");
  ck_assert_uint_eq(back->funcs.v[0].annots, FT_ANN_NOTLS | FT_ANN_TASK);
  ck_assert_int_eq(back->funcs.v[0].has_body, 1);
  ck_assert_int_eq(back->funcs.v[1].noreturn, 1);
  ck_assert_int_eq(back->funcs.v[1].spawn_param, 2);
  ck_assert_str_eq(back->funcs.v[1].hdecl.file, "/src/a.h");
  ck_assert_uint_eq(back->funcs.v[1].hdecl_end, 123);
  ck_assert_str_eq(back->funcs.v[0].fntype, "int (int)");
  ck_assert_uint_eq(back->calls.n, 1);
  ck_assert_uint_eq(back->calls.v[0].site.line, 4);
  ck_assert_uint_eq(back->calls.v[0].flags, FT_CALL_STATUS0);
  ck_assert_uint_eq(back->icalls.n, 2);
  ck_assert_str_eq(back->icalls.v[0].fnkey, "F{b2|}");
  ck_assert_int_eq(back->icalls.v[1].via_icall, 1);
  ck_assert_int_eq(back->icalls.v[1].slot_arg, 4);
  ck_assert_str_eq(back->addrs.v[0].cast_key, "F{b18|b18}\nF{b2|}");
  ck_assert_int_eq(back->addrs.v[0].icall, 1);
  ck_assert_uint_eq(back->flows.n, 1);
  ck_assert_int_eq(back->flows.v[0].kind, FT_FLOW_UNSEEN);
  ck_assert_int_eq(back->flows.v[0].cond, FT_COND_CALLEE);
  ck_assert_int_eq(back->flows.v[0].bits, FT_FLOW_CONVERTED);
  ck_assert_int_eq(back->flows.v[0].func, 1);
  ck_assert_uint_eq(back->flows.v[0].site.line, 8);
  ck_assert_str_eq(back->icalls.v[0].slot, "c:@S@ops@FI@run");
  ck_assert_int_eq(back->icalls.v[0].via_arg, 3);
  ck_assert_int_eq(back->icalls.v[0].ext_origin, 1);
  ck_assert_uint_eq(back->addrs.n, 1);
  ck_assert_int_eq(back->addrs.v[0].in_func, -1);
  ck_assert_str_eq(back->addrs.v[0].cast_type, "int (long)");
  ck_assert_uint_eq(back->effects.n, 1);
  ck_assert_str_eq(back->effects.v[0].detail, "cache");
  ck_assert_uint_eq(back->effects.v[0].annots, FT_ANN_MIGRATION_SAFE);
  ck_assert_uint_eq(back->polluted.n, 1);
  ck_assert_str_eq(back->polluted.v[0], "c:@S@ops");
  ck_assert_uint_eq(back->dropped.n, 1);
  ck_assert_str_eq(back->dropped.v[0], "-fconserve-stack");

  fl_unit *u = back->body_flow;
  ck_assert_ptr_nonnull(u);
  ck_assert_int_eq(fl_check(u), 0);
  ck_assert_uint_eq(u->funcs.n, 1);
  ck_assert_uint_eq(u->funcs.v[0].func, 0);
  ck_assert_uint_eq(u->funcs.v[0].nlocals, 2);
  ck_assert_uint_eq(u->funcs.v[0].nblk, 3);
  ck_assert_str_eq(u->strs.v[u->names.v[1]], "p");
  ck_assert_uint_eq(u->objs.n, 1);
  ck_assert_str_eq(u->strs.v[u->objs.v[0].key], "v:c:@tv");
  ck_assert_uint_eq(u->events.n, 3);
  ck_assert_int_eq(u->events.v[1].op, FL_CALL);
  ck_assert_uint_eq(u->events.v[1].aux, 1);
  ck_assert_uint_eq(u->vals.v[u->events.v[1].val].flags, FL_ARG_PTR);
  ck_assert_int_eq(u->events.v[2].flags, FL_STRONG);
  ck_assert_str_eq(u->strs.v[u->events.v[0].loc.file], "/src/a.c");
  ck_assert_uint_eq(u->events.v[0].loc.line, 10);
  ft_tu_destroy(back);
  ut_buf_free(&b);
  ft_tu_destroy(tu);
}
END_TEST

/* Every truncation and every single-byte change gives NULL or a TU whose
 * indices are all in range (ASan/valgrind watch the rest). */
START_TEST(test_damage_is_rejected_or_safe) {
  ft_tu *tu = sample();
  ut_buf b = {0};
  ck_assert_int_eq(fb_encode(tu, &b), 0);
  for (size_t n = 0; n < b.n; n++) ck_assert_ptr_null(fb_decode(b.s, n, "x", "y"));
  unsigned char *copy = malloc(b.n);
  for (size_t i = 0; i < b.n; i++)
    for (int v = 0; v < 256; v += 17) {
      memcpy(copy, b.s, b.n);
      copy[i] = (unsigned char)v;
      ft_tu *d = fb_decode(copy, b.n, "x", "y");
      if (!d) continue;
      for (size_t k = 0; k < d->calls.n; k++)
        if (d->calls.v[k].caller >= d->funcs.n || d->calls.v[k].callee >= d->funcs.n) ck_abort_msg("call out of range");
      for (size_t k = 0; k < d->addrs.n; k++)
        if (d->addrs.v[k].func >= d->funcs.n) ck_abort_msg("address out of range");
      for (size_t k = 0; k < d->effects.n; k++)
        if (d->effects.v[k].func >= d->funcs.n || d->effects.v[k].kind >= FX_NKINDS)
          ck_abort_msg("effect out of range");
      if (d->body_flow && fl_check(d->body_flow) < 0) ck_abort_msg("flow facts out of range");
      for (size_t k = 0; d->body_flow && k < d->body_flow->funcs.n; k++)
        if (d->body_flow->funcs.v[k].func >= d->funcs.n) ck_abort_msg("flow function out of range");
      ft_tu_destroy(d);
    }
  free(copy);
  ck_assert_ptr_null(fb_decode("FNF1", 4, "x", "y"));
  ck_assert_ptr_null(fb_decode("", 0, "x", "y"));
  ut_buf_free(&b);
  ft_tu_destroy(tu);
}
END_TEST

/* ---- the facts cache (factstore.c) on a real SQLite file ------------------ */
typedef struct got {
  int n;
  size_t funcs, inputs, diags;
  char hash[16], input[64];
  int complete;
} got;

static int got_fn(void *arg, const ft_tu *tu, const char *flags_hash) {
  got *g = arg;
  g->n++;
  g->funcs = tu->funcs.n, g->inputs = tu->inputs.n, g->diags = tu->diags.n, g->complete = tu->complete;
  snprintf(g->hash, sizeof g->hash, "%s", flags_hash);
  if (tu->inputs.n) snprintf(g->input, sizeof g->input, "%s", tu->inputs.v[0].path);
  return 0;
}

START_TEST(test_store_roundtrip) {
  char dir[] = "/tmp/fnprop-test-factstore.XXXXXX", path[128], err[512], cmd[200];
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/facts.db", dir);
  pdb *db = pdb_open(path, 0, err, sizeof err);
  ck_assert_msg(db != NULL, "%s", err);
  ft_tu *tu = sample();
  tu->complete = 0;
  ft_input in = {"/src/a.h", 10, 0, 1, 42, {7}};
  UT_PUSH(tu->inputs, in);
  ft_diag d = {{"/src/a.c", 9, 1}, 1, "expected ';'"};
  UT_PUSH(tu->diags, d);
  ck_assert_int_eq(fs_store_tu(db, tu, "h1"), 0);
  got g = {0};
  ck_assert_int_eq(fs_each_tu_keyed(db, 1, got_fn, &g), 0);
  ck_assert_int_eq(g.n, 1);
  ck_assert_uint_eq(g.funcs, tu->funcs.n);
  ck_assert_uint_eq(g.inputs, 1);
  ck_assert_str_eq(g.input, "/src/a.h");
  ck_assert_uint_eq(g.diags, 0); /* diagnostics are read by the reports, not the graph */
  ck_assert_int_eq(g.complete, 0);
  ck_assert_str_eq(g.hash, "h1");
  /* An entry whose facts do not decode stops the walk and is named. */
  pdb_tu bad = {"/src/b.c", "/src", 1, 0, 1, "garbage", 7, NULL, 0, NULL, 0, NULL, 0};
  ck_assert_int_eq(pdb_store_tu(db, &bad, "h2"), 0);
  memset(&g, 0, sizeof g);
  ck_assert_int_eq(fs_each_tu_keyed(db, 0, got_fn, &g), -1);
  ck_assert_ptr_nonnull(strstr(pdb_error(db), "damaged facts for '/src/b.c'"));
  pdb_close(db);
  ft_tu_destroy(tu);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("factblob");
  TCase *tc = tcase_create("codec");
  tcase_add_test(tc, test_roundtrip);
  tcase_add_test(tc, test_damage_is_rejected_or_safe);
  tcase_add_test(tc, test_store_roundtrip);
  suite_add_tcase(s, tc);
  return check_run(s);
}
