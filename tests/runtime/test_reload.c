/* SPDX-License-Identifier: MIT */
/*
 * test_reload.c - a plugin with 50 entries loaded and unloaded 300 times
 * after init: the shim's memory stays bounded (no map kept per
 * registration), and the entries migrate while loaded, never after.
 */
#include <check.h>

#include "../check_run.h"
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>

#include "fnprop_rt.h"

#define RL_ROW(n) {"many_" #n, RL_MANY_C, 0, 0, 0, 0}
#define RL_TEN(d) RL_ROW(d##0), RL_ROW(d##1), RL_ROW(d##2), RL_ROW(d##3), RL_ROW(d##4), \
                  RL_ROW(d##5), RL_ROW(d##6), RL_ROW(d##7), RL_ROW(d##8), RL_ROW(d##9)
static const fnprop_rt_row rl_rows[] = {RL_TEN(1), RL_TEN(2), RL_TEN(3), RL_TEN(4), RL_TEN(5)};
static const fnprop_rt_table rl_table = {FNPROP_RT_TABLE_ABI, "0123abcd", 50, rl_rows};

static size_t rl_in_use(void) { return mallinfo2().uordblks; }

static const void *rl_cycle(void) {
  void *h = dlopen(RT_MANY_SO, RTLD_NOW | RTLD_LOCAL);
  ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
  const void *(*first)(void);
  *(void **)&first = dlsym(h, "rt_many_first");
  ck_assert_ptr_nonnull(first);
  const void *e = first();
  ck_assert_int_eq(fnprop_rt_may_migrate(e), 1);
  ck_assert_int_eq(dlclose(h), 0);
  return e;
}

START_TEST(reloading_a_plugin_keeps_memory_bounded) {
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&rl_table, "0123abcd"), FNPROP_RT_OK);
  for (int i = 0; i < 20; i++) rl_cycle();
  size_t before = rl_in_use();
  const void *e = NULL;
  for (int i = 0; i < 300; i++) e = rl_cycle();
  size_t after = rl_in_use();
  ck_assert_int_eq(fnprop_rt_may_migrate(e), 0); /* unloaded: pinned */
  ck_assert_msg(after < before + 32 * 1024, "300 reloads of a 50-entry plugin grew the heap by %zu bytes",
                after > before ? after - before : 0);
  fnprop_rt_shutdown();
}
END_TEST

int main(void) {
  Suite *s = suite_create("reload");
  TCase *tc = tcase_create("memory");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, reloading_a_plugin_keeps_memory_bounded);
  suite_add_tcase(s, tc);
  return check_run(s);
}
