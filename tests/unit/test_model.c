/* SPDX-License-Identifier: MIT */
/* test_model.c - the built-in model: lookups and the effects design.md fixes. */
#include <check.h>
#include <string.h>
#include <stdlib.h>

#include "model.h"
#include "../check_run.h"

START_TEST(test_panic_functions_are_not_tls) {
  static const char *const names[] = {"abort", "exit", "_exit", "_Exit", "quick_exit", "__assert_fail",
                                      "__builtin_trap", "longjmp", "siglongjmp", "pthread_exit", "thrd_exit",
                                      "err", "errx", "verr", "verrx", "__stack_chk_fail"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const md_entry *m = md_lookup(names[i]);
    ck_assert_msg(m != NULL, "%s is not modeled", names[i]);
    ck_assert_int_eq(m->effect[VD_PANIC], FX_PANIC_CALL);
    ck_assert_int_eq(m->effect[VD_TLS], FX_NONE);
  }
}
END_TEST

START_TEST(test_tls_functions_do_not_panic) {
  static const char *const names[] = {"pthread_getspecific", "pthread_setspecific", "tss_get", "tss_set",
                                      "pthread_self", "gettid", "thrd_current", "sched_getcpu", "__tls_get_addr"};
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
  ck_assert_str_eq(err, "c.model:1:22: option 'yields' is neither 'yield' nor of the form key=N[,N...]");
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
  suite_add_tcase(s, tc);
  return check_run(s);
}
