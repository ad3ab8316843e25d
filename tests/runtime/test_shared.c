/* SPDX-License-Identifier: MIT */
/*
 * test_shared.c - entries in shared objects, with the shared libfnprop_rt.
 *
 * Invariant under test: one libfnprop_rt.so serves the executable, a linked
 * shared object and a dlopen()ed one; registration happens at load time and
 * removal at unload, before or after init.
 */
#include <check.h>

#include "../check_run.h"
#include <dlfcn.h>

#include "fnprop_rt.h"

const void *rt_plugin_entry(void);

static volatile int ts_sink;
static void exe_task(void *a) { ts_sink = 1 + (a != 0); }
FNPROP_RT_ENTRY(exe_task);

static const fnprop_rt_row sh_rows[] = {
    {"exe_task", RT_REAL_DIR "/test_shared.c", 0, 0, 0, 0},
    {"plugin_task", RT_REAL_DIR "/rt_plugin.c", 0, 0, 0, 0},
    {"late_task", RT_REAL_DIR "/rt_late.c", 0, 0, 0, 0},
};
static const fnprop_rt_table sh_table = {FNPROP_RT_TABLE_ABI, "5ha4ed", 3, sh_rows};

START_TEST(entries_in_linked_shared_objects) {
  ck_assert_int_eq(fnprop_rt_init(&sh_table, "5ha4ed"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)exe_task), 1);
  ck_assert_int_eq(fnprop_rt_may_migrate(rt_plugin_entry()), 1);
}
END_TEST

START_TEST(dlopen_registers_and_dlclose_unregisters) {
  void *h;
  const void *(*late)(void);
  const void *entry;
  ck_assert_int_eq(fnprop_rt_init(&sh_table, "5ha4ed"), FNPROP_RT_OK);
  h = dlopen(RT_LATE_SO, RTLD_NOW | RTLD_LOCAL);
  ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
  *(void **)&late = dlsym(h, "rt_late_entry");
  ck_assert_ptr_nonnull(late);
  entry = late();
  ck_assert_int_eq(fnprop_rt_may_migrate(entry), 1);
  ck_assert_int_eq(dlclose(h), 0);
  /* The address is only compared, never called. */
  ck_assert_int_eq(fnprop_rt_may_migrate(entry), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate(rt_plugin_entry()), 1);
  /* Loaded again, it registers again. */
  h = dlopen(RT_LATE_SO, RTLD_NOW | RTLD_LOCAL);
  ck_assert_ptr_nonnull(h);
  *(void **)&late = dlsym(h, "rt_late_entry");
  ck_assert_int_eq(fnprop_rt_may_migrate(late()), 1);
  dlclose(h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("shared-objects");
  TCase *tc = tcase_create("load-unload");
  tcase_add_test(tc, entries_in_linked_shared_objects);
  tcase_add_test(tc, dlopen_registers_and_dlclose_unregisters);
  suite_add_tcase(s, tc);
  return check_run(s);
}
