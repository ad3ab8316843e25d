/* SPDX-License-Identifier: MIT */
/* test_model.c - the built-in model: lookups and the effects design.md fixes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "model.h"

START_TEST(test_panic_functions_are_not_tls) {
  static const char *const names[] = {"abort",      "exit",          "_exit",          "_Exit",
                                      "quick_exit", "__assert_fail", "__builtin_trap", "longjmp",
                                      "siglongjmp", "pthread_exit",  "thrd_exit",      "err",
                                      "errx",       "verr",          "verrx",          "__stack_chk_fail"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const md_entry *m = md_lookup(names[i]);
    ck_assert_msg(m != NULL, "%s is not modeled", names[i]);
    ck_assert_int_eq(m->effect[VD_PANIC], FX_PANIC_CALL);
    ck_assert_int_eq(m->effect[VD_TLS], FX_NONE);
  }
}
END_TEST

START_TEST(test_tls_functions_do_not_panic) {
  static const char *const names[] = {
      "pthread_getspecific", "pthread_setspecific", "tss_get",       "tss_set", "pthread_self", "gettid",
      "thrd_current",        "sched_getcpu",        "__tls_get_addr"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const md_entry *m = md_lookup(names[i]);
    ck_assert_msg(m != NULL, "%s is not modeled", names[i]);
    ck_assert_int_eq(m->effect[VD_TLS], FX_TLS_API);
    ck_assert_int_eq(m->effect[VD_PANIC], FX_NONE);
  }
  ck_assert_int_eq(md_lookup("__errno_location")->effect[VD_TLS], FX_ERRNO);
}
END_TEST

START_TEST(test_value_builtins_are_clean) {
  static const char *const names[] = {"__builtin_expect", "__builtin_unreachable", "__builtin_va_start",
                                      "__builtin_bswap32", "__builtin_mul_overflow"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const md_entry *m = md_lookup(names[i]);
    ck_assert_msg(m != NULL, "%s is not modeled", names[i]);
    ck_assert_int_eq(m->effect[VD_TLS], FX_NONE);
    ck_assert_int_eq(m->effect[VD_PANIC], FX_NONE);
  }
}
END_TEST

START_TEST(test_pool_and_pointer_options) {
  md_model *m = md_create(0);
  char err[256];
  const char *text = "lib_reg clean clean handler=2 cookie=1,3\n"
                     "lib_run clean unknown raises stream cancelpoint\n"
                     "lib_mem clean clean nostore=0,1 copies=2 foreign cancels\n";
  ck_assert_ptr_nonnull(m);
  ck_assert_int_eq(md_load_text(m, "t.model", text, strlen(text), err, sizeof err), 0);
  const md_entry *r = md_find(m, "lib_reg"), *x = md_find(m, "lib_run"), *y = md_find(m, "lib_mem");
  ck_assert_uint_eq(r->pool[MD_POOL_SIGNAL], 1u << 1);
  ck_assert_uint_eq(r->pool[MD_POOL_STREAM], (1u << 0) | (1u << 2));
  ck_assert_uint_eq(x->runs, (1u << MD_POOL_SIGNAL) | (1u << MD_POOL_STREAM));
  ck_assert_uint_eq(x->flags, MD_CANCELPOINT);
  ck_assert_uint_eq(y->nostore, (1u << 0) | (1u << 1)); /* bit n: argument n, bit 0 the result */
  ck_assert_uint_eq(y->copies, 1u << 1);
  ck_assert_uint_eq(y->flags, MD_FOREIGN | MD_CANCELS);
  const char *bad_flag = "f clean clean bogus\n", *bad_arg = "f clean clean nostore=32\n",
             *bad_zero = "f clean clean calls=0\n";
  ck_assert_int_eq(md_load_text(m, "t.model", bad_flag, strlen(bad_flag), err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "t.model:1:15: option 'bogus' is not of the form key=N[,N...] or a known flag"));
  ck_assert_int_eq(md_load_text(m, "t.model", bad_arg, strlen(bad_arg), err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "argument numbers 0 (the result) to 31"));
  ck_assert_int_eq(md_load_text(m, "t.model", bad_zero, strlen(bad_zero), err, sizeof err), -1);
  md_destroy(m);
}
END_TEST

START_TEST(test_task_entry_option) {
  md_model *m = md_create(0);
  char err[256];
  const char *text = "rt_spawn clean clean task-entry=2\n"
                     "rt_spawn2 clean clean task-entry=1,3 nostore=4\n";
  ck_assert_ptr_nonnull(m);
  uint64_t before = md_hash(m);
  ck_assert_int_eq(md_load_text(m, "t.model", text, strlen(text), err, sizeof err), 0);
  ck_assert_uint_eq(md_find(m, "rt_spawn")->task_entry, 1u << 1);
  ck_assert_uint_eq(md_find(m, "rt_spawn2")->task_entry, (1u << 0) | (1u << 2));
  ck_assert_uint_eq(md_find(m, "rt_spawn")->spawns, 0);
  ck_assert(md_hash(m) != before);
  const char *bad = "f clean clean task-entry=0\n";
  ck_assert_int_eq(md_load_text(m, "b.model", bad, strlen(bad), err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "b.model:1:26: bad argument list '0'"));
  /* the hash tells an entry with task-entry= from one without */
  md_model *a = md_create(0), *b = md_create(0);
  const char *ta = "g clean clean task-entry=1\n", *tb = "g clean clean\n";
  ck_assert_int_eq(md_load_text(a, "a", ta, strlen(ta), err, sizeof err), 0);
  ck_assert_int_eq(md_load_text(b, "b", tb, strlen(tb), err, sizeof err), 0);
  ck_assert(md_hash(a) != md_hash(b));
  md_destroy(a);
  md_destroy(b);
  md_destroy(m);
}
END_TEST

START_TEST(test_library_pools) {
  md_model *m = md_create(1);
  ck_assert_ptr_nonnull(m);
  ck_assert_uint_eq(md_find(m, "signal")->pool[MD_POOL_SIGNAL], 1u << 1);
  ck_assert_uint_eq(md_find(m, "raise")->runs, 1u << MD_POOL_SIGNAL);
  ck_assert_uint_eq(md_find(m, "makecontext")->pool[MD_POOL_CONTEXT], 1u << 1);
  ck_assert_uint_eq(md_find(m, "swapcontext")->runs, 1u << MD_POOL_CONTEXT);
  ck_assert_uint_eq(md_find(m, "fopencookie")->pool[MD_POOL_STREAM], 1u << 2);
  ck_assert_uint_eq(md_find(m, "fputs")->runs, 1u << MD_POOL_STREAM);
  ck_assert(md_find(m, "read")->flags & MD_CANCELPOINT);
  ck_assert(md_find(m, "pthread_cancel")->flags & MD_CANCELS);
  ck_assert(md_find(m, "dlsym")->flags & MD_FOREIGN);
  ck_assert_int_eq(md_find(m, "__builtin_ia32_rdtscp")->effect[VD_TLS], FX_TLS_API);
  ck_assert_int_eq(md_find(m, "__rdtscp")->effect[VD_TLS], FX_TLS_API);
  md_destroy(m);
}
END_TEST

START_TEST(test_unmodeled) {
  ck_assert_ptr_null(md_lookup("printf"));
  ck_assert_ptr_null(md_lookup(""));
  ck_assert_ptr_null(md_lookup("abortx"));
}
END_TEST

/* The `yield` option marks a suspension point and combines with the others;
 * the model's hash sees it. */
START_TEST(test_yield_option) {
  md_model *a = md_create(0), *b = md_create(0);
  char err[256];
  const char *ta = "co_yield clean clean yield\nco_run clean clean calls=1 yield\n";
  const char *tb = "co_yield clean clean\nco_run clean clean calls=1\n";
  ck_assert_int_eq(md_load_text(a, "a.model", ta, strlen(ta), err, sizeof err), 0);
  ck_assert_int_eq(md_load_text(b, "b.model", tb, strlen(tb), err, sizeof err), 0);
  ck_assert_int_eq(md_find(a, "co_yield")->yield, 1);
  ck_assert_int_eq(md_find(a, "co_run")->yield, 1);
  ck_assert_uint_eq(md_find(a, "co_run")->calls, 1);
  ck_assert_int_eq(md_find(b, "co_yield")->yield, 0);
  ck_assert_int_eq(md_find(a, "abort")->yield, 0);
  ck_assert(md_hash(a) != md_hash(b));
  const char *bad = "co_yield clean clean yields\n";
  ck_assert_int_eq(md_load_text(b, "c.model", bad, strlen(bad), err, sizeof err), -1);
  ck_assert_str_eq(err, "c.model:1:22: option 'yields' is not of the form key=N[,N...] or a known flag");
  md_destroy(a);
  md_destroy(b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("builtin");
  tcase_add_test(tc, test_panic_functions_are_not_tls);
  tcase_add_test(tc, test_tls_functions_do_not_panic);
  tcase_add_test(tc, test_value_builtins_are_clean);
  tcase_add_test(tc, test_unmodeled);
  tcase_add_test(tc, test_yield_option);
  tcase_add_test(tc, test_pool_and_pointer_options);
  tcase_add_test(tc, test_library_pools);
  tcase_add_test(tc, test_task_entry_option);
  suite_add_tcase(s, tc);
  return check_run(s);
}
