/* SPDX-License-Identifier: MIT */
/*
 * rt_many.c - a plugin with 50 static task entries, loaded and unloaded
 * again and again by test_reload.
 *
 * Invariant: every entry registers at load and unregisters at unload; the
 * bodies differ so no two entries fold into one address.
 */
#include "fnprop_rt.h"

static volatile int rm_sink;
#define RM_TASK(n)                                      \
  static void many_##n(void *a) { rm_sink = n + (a != 0); } \
  FNPROP_RT_ENTRY(many_##n)
#define RM_TEN(d) RM_TASK(d##0); RM_TASK(d##1); RM_TASK(d##2); RM_TASK(d##3); RM_TASK(d##4); \
                  RM_TASK(d##5); RM_TASK(d##6); RM_TASK(d##7); RM_TASK(d##8); RM_TASK(d##9)
RM_TEN(1);
RM_TEN(2);
RM_TEN(3);
RM_TEN(4);
RM_TEN(5);

const void *rt_many_first(void);
const void *rt_many_first(void) { return (const void *)many_10; }
