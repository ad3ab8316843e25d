/* SPDX-License-Identifier: MIT */
/* test_frontend.c - facts extracted by the real libclang from data/fe_basic.c. */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check_run.h"
#include "frontend.h"
#include "syntax.h"

static ft_tu *tu;

static void parse_fixture(const char *name, const char *extra) {
  char dir[PATH_MAX], file[PATH_MAX + 64];
  ck_assert_ptr_nonnull(realpath(TEST_DATA_DIR, dir));
  snprintf(file, sizeof file, "%s/%s", dir, name);
  char *argv[] = {"clang", "-std=c11", (char *)extra, file};
  cdb_entry e = {file, dir, argv, extra ? 4 : 3, 0};
  if (!extra) argv[2] = file;
  fe_ctx *fe = fe_create();
  ck_assert_ptr_nonnull(fe);
  tu = fe_parse(fe, &e);
  fe_destroy(fe);
  ck_assert_ptr_nonnull(tu);
}

static long find_func(const char *name) {
  for (size_t i = 0; i < tu->funcs.n; i++)
    if (strcmp(tu->funcs.v[i].name, name) == 0) return (long)i;
  return -1;
}

static int has_call(const char *caller, const char *callee, unsigned line) {
  long a = find_func(caller), b = find_func(callee);
  for (size_t i = 0; a >= 0 && b >= 0 && i < tu->calls.n; i++)
    if (tu->calls.v[i].caller == (uint32_t)a && tu->calls.v[i].callee == (uint32_t)b &&
        tu->calls.v[i].site.line == line)
      return 1;
  return 0;
}

static void teardown(void) {
  ft_tu_destroy(tu);
  tu = NULL;
}

START_TEST(test_functions) {
  parse_fixture("fe_basic.c", NULL);
  ck_assert_int_eq(tu->complete, 1);
  long add = find_func("add"), apply = find_func("apply"), fatal = find_func("fatal");
  ck_assert_int_ge(add, 0);
  ck_assert_int_ge(apply, 0);
  ck_assert_int_ge(fatal, 0);
  ck_assert_int_eq(tu->funcs.v[add].external, 0);
  ck_assert_str_ne(tu->funcs.v[add].path_key, "");   /* internal: keyed by file */
  ck_assert_int_eq(tu->funcs.v[apply].external, 1);
  ck_assert_str_eq(tu->funcs.v[apply].path_key, "");
  ck_assert_int_eq(tu->funcs.v[apply].has_body, 1);
  ck_assert_int_eq(tu->funcs.v[apply].loc.line, 10);
  ck_assert_int_eq(tu->funcs.v[fatal].has_body, 0);
  ck_assert_int_eq(tu->funcs.v[fatal].noreturn, 1);
  ck_assert_int_eq(tu->funcs.v[find_func("weakling")].weak, 1);
  ck_assert_int_eq(tu->funcs.v[find_func("abort")].noreturn, 1); /* from the system header's type */
}
END_TEST

START_TEST(test_calls_and_macros) {
  parse_fixture("fe_basic.c", NULL);
  ck_assert(has_call("take", "apply", 16));
  /* assert and errno expand to calls, reported where the macro is written */
  ck_assert(has_call("checked", "__assert_fail", 13));
  ck_assert(has_call("checked", "__errno_location", 14));
}
END_TEST

START_TEST(test_ndebug_removes_assert) {
  parse_fixture("fe_basic.c", "-DNDEBUG");
  ck_assert(!has_call("checked", "__assert_fail", 13));
  ck_assert(has_call("checked", "__errno_location", 14));
}
END_TEST

START_TEST(test_indirect_and_address_taken) {
  parse_fixture("fe_basic.c", NULL);
  ck_assert_uint_eq(tu->icalls.n, 1);
  ck_assert_uint_eq(tu->icalls.v[0].caller, (uint32_t)find_func("apply"));
  ck_assert_str_eq(tu->icalls.v[0].fntype, "int (int, int)");
  ck_assert_uint_eq(tu->icalls.v[0].site.line, 10);
  int in_take = 0, at_file_scope = 0;
  for (size_t i = 0; i < tu->addrs.n; i++) {
    ck_assert_uint_eq(tu->addrs.v[i].func, (uint32_t)find_func("add"));
    in_take += tu->addrs.v[i].in_func == find_func("take");
    at_file_scope += tu->addrs.v[i].in_func == -1 && tu->addrs.v[i].site.line == 20;
  }
  ck_assert_int_eq(in_take, 1);
  ck_assert_int_eq(at_file_scope, 1);
  /* the direct callee of a call is not address-taken */
  ck_assert_uint_eq(tu->addrs.n, 2);
}
END_TEST

START_TEST(test_tls_effect) {
  parse_fixture("fe_basic.c", NULL);
  ck_assert_uint_eq(tu->effects.n, 1);
  ft_effect *e = &tu->effects.v[0];
  ck_assert_uint_eq(e->func, (uint32_t)find_func("use_tls"));
  ck_assert_int_eq(e->kind, FX_TLS_VAR);
  ck_assert_str_eq(e->detail, "counter");
  ck_assert_uint_eq(e->site.line, 11);
  ck_assert_uint_eq(e->decl.line, 6);
}
END_TEST

/* The unseen-code effect of function `name` (its detail), NULL if none. */
static const char *unseen_of(const char *name) {
  long f = find_func(name);
  for (size_t i = 0; f >= 0 && i < tu->effects.n; i++)
    if (tu->effects.v[i].func == (uint32_t)f && tu->effects.v[i].kind == FX_UNSEEN) return tu->effects.v[i].detail;
  return NULL;
}

static int has_effect(const char *name, int kind) {
  long f = find_func(name);
  for (size_t i = 0; f >= 0 && i < tu->effects.n; i++)
    if (tu->effects.v[i].func == (uint32_t)f && tu->effects.v[i].kind == kind) return 1;
  return 0;
}

static int calls_to(const char *caller, const char *callee) {
  long a = find_func(caller), b = find_func(callee);
  int n = 0;
  for (size_t i = 0; a >= 0 && b >= 0 && i < tu->calls.n; i++)
    n += tu->calls.v[i].caller == (uint32_t)a && tu->calls.v[i].callee == (uint32_t)b;
  return n;
}

START_TEST(test_inline_asm) {
  parse_fixture("fe_syntax.c", "-fopenmp");
  ck_assert_int_eq(tu->complete, 1);
  ck_assert(has_effect("asm_fs", FX_TLS_API));
  ck_assert_ptr_null(unseen_of("asm_fs"));
  ck_assert(has_effect("asm_trap", FX_PANIC_CALL));
  ck_assert_int_eq(calls_to("asm_call", "helper"), 1); /* the asm's call is an edge */
  ck_assert_ptr_nonnull(unseen_of("asm_odd"));
  ck_assert_str_eq(unseen_of("asm_odd"), "inline assembly 'cpuid'");
}
END_TEST

START_TEST(test_openmp_directive) {
  /* the region is seen through the parse without -fopenmp: the directive
   * is understood, its fork and implicit barrier are calls of libomp */
  parse_fixture("fe_syntax.c", "-fopenmp");
  ck_assert_ptr_null(unseen_of("omp"));
  ck_assert_int_eq(calls_to("omp", "__kmpc_fork_call"), 1);
  ck_assert_int_eq(calls_to("omp", "__kmpc_barrier"), 1);
  int n = 0;
  for (size_t i = 0; i < tu->effects.n; i++) n += tu->effects.v[i].kind == FX_UNSEEN;
  ck_assert_int_eq(n, 1); /* asm_odd, nothing else in the file */
  ck_assert_int_eq(sx_self_check(), 0);
}
END_TEST

START_TEST(test_calls_spelled_oddly) {
  parse_fixture("fe_syntax.c", NULL);
  /* pick(x)(x): a direct call of pick and an indirect call of its result */
  ck_assert_int_eq(calls_to("through", "pick"), 1);
  int icalls = 0;
  for (size_t i = 0; i < tu->icalls.n; i++) icalls += tu->icalls.v[i].caller == (uint32_t)find_func("through");
  ck_assert_int_eq(icalls, 1);
  /* cleanup(release): an edge at the variable */
  ck_assert_int_eq(calls_to("scoped", "release"), 1);
  /* error(0, ...) returns; error(s, ...) may not */
  long rep = find_func("report"), err = find_func("error");
  int status0 = 0, plain = 0;
  for (size_t i = 0; i < tu->calls.n; i++)
    if (tu->calls.v[i].caller == (uint32_t)rep && tu->calls.v[i].callee == (uint32_t)err) {
      status0 += (tu->calls.v[i].flags & FT_CALL_STATUS0) != 0;
      plain += !(tu->calls.v[i].flags & FT_CALL_STATUS0);
    }
  ck_assert_int_eq(status0, 1);
  ck_assert_int_eq(plain, 1);
}
END_TEST

START_TEST(test_unevaluated_and_dead) {
  parse_fixture("fe_syntax.c", NULL);
  ck_assert_int_eq(calls_to("unevaluated", "helper"), 0);
  ck_assert_int_eq(calls_to("dead", "abort"), 0);
  ck_assert_int_eq(calls_to("dead", "helper"), 1);
  ck_assert_int_eq(calls_to("generic", "helper"), 0); /* int is selected */
}
END_TEST

START_TEST(test_names_and_weak) {
  parse_fixture("fe_syntax.c", NULL);
  ck_assert_int_eq(tu->funcs.v[find_func("late_weak")].weak, 1); /* #pragma weak */
  ck_assert_int_eq(tu->funcs.v[find_func("dead")].weak, 0);
  /* leave() is the C library's exit: named and keyed so */
  ck_assert_int_eq(find_func("leave"), -1);
  long ex = find_func("exit");
  ck_assert_int_ge(ex, 0);
  ck_assert_str_eq(tu->funcs.v[ex].usr, "c:@F@exit");
  ck_assert_int_eq(calls_to("renamed", "exit"), 1);
}
END_TEST

START_TEST(test_header_variants) {
  /* the same header static inline, parsed with and without NDEBUG: two
   * variants (different keys), while the same flags give the same key */
  char key[3][256];
  const char *flags[3] = {"-DNDEBUG", NULL, "-UNDEBUG"};
  for (int i = 0; i < 3; i++) {
    parse_fixture("fe_variant.c", flags[i]);
    long f = find_func("checked_index");
    ck_assert_int_ge(f, 0);
    ck_assert_ptr_nonnull(strchr(tu->funcs.v[f].path_key, '#'));
    snprintf(key[i], sizeof key[i], "%s", tu->funcs.v[f].path_key);
    long m = find_func("variant_user");
    ck_assert_str_eq(tu->funcs.v[m].path_key, ""); /* external: not a variant */
    teardown();
  }
  ck_assert_str_ne(key[0], key[1]);
  ck_assert_str_eq(key[1], key[2]);
}
END_TEST

static const char *key_of(const char *name) {
  long i = find_func(name);
  ck_assert_msg(i >= 0, "%s not found", name);
  ck_assert_ptr_nonnull(tu->funcs.v[i].fnkey);
  return tu->funcs.v[i].fnkey;
}

START_TEST(test_compatibility_keys) {
  parse_fixture("fe_keys.c", NULL);
  ck_assert_int_eq(tu->complete, 1);
  /* compatible: enum vs its integer type, qualifiers and array adjustment,
   * noreturn, untagged records under two typedef names, a callback written
   * as a function type, nested unprototyped vs prototyped */
  ck_assert_str_eq(key_of("a1"), key_of("a2"));
  ck_assert_str_eq(key_of("b1"), key_of("b2"));
  ck_assert_str_eq(key_of("c1"), key_of("c2"));
  ck_assert_str_eq(key_of("d1"), key_of("d2"));
  /* not compatible: varargs, long vs long long */
  ck_assert_str_ne(key_of("x1"), key_of("x2"));
  ck_assert_str_ne(key_of("y1"), key_of("y2"));
  ck_assert_str_eq(key_of("knr"), "F{b17|?}");
  /* a union member holding a function pointer is written through others */
  int unchecked = 0;
  for (size_t i = 0; i < tu->flows.n; i++)
    if (tu->flows.v[i].kind == FT_FLOW_UNCHECKED && strstr(tu->flows.v[i].key, "@U@u@FI@fn")) unchecked = 1;
  ck_assert_int_eq(unchecked, 1);
  int polluted = 0;
  for (size_t i = 0; i < tu->polluted.n; i++) polluted |= strstr(tu->polluted.v[i], "@U@u@FI@fn") != NULL;
  ck_assert_int_eq(polluted, 1);
}
END_TEST

START_TEST(test_missing_file_is_incomplete) {
  char *argv[] = {"clang", "/nonexistent/nowhere.c"};
  cdb_entry e = {"/nonexistent/nowhere.c", "/", argv, 2, 0};
  fe_ctx *fe = fe_create();
  tu = fe_parse(fe, &e);
  fe_destroy(fe);
  ck_assert_ptr_nonnull(tu);
  ck_assert_int_eq(tu->complete, 0);
  ck_assert_uint_ge(tu->diags.n, 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("frontend");
  TCase *tc = tcase_create("facts");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_functions);
  tcase_add_test(tc, test_calls_and_macros);
  tcase_add_test(tc, test_ndebug_removes_assert);
  tcase_add_test(tc, test_indirect_and_address_taken);
  tcase_add_test(tc, test_tls_effect);
  tcase_add_test(tc, test_missing_file_is_incomplete);
  tcase_add_test(tc, test_compatibility_keys);
  tcase_add_test(tc, test_inline_asm);
  tcase_add_test(tc, test_openmp_directive);
  tcase_add_test(tc, test_calls_spelled_oddly);
  tcase_add_test(tc, test_unevaluated_and_dead);
  tcase_add_test(tc, test_names_and_weak);
  tcase_add_test(tc, test_header_variants);
  suite_add_tcase(s, tc);
  return check_run(s);
}
