/* SPDX-License-Identifier: MIT */
/* rt_stale.c - a task entry of a TU built with another sources hash than
 * the table's analysis (a plugin built from other sources); for
 * test_identity. */
#include "fnprop_rt.h"

const void *rt_override_stale_entry(void);
static volatile int rt_sink;
static void override_stale(void *a) { rt_sink = 2 + (a != 0); }
FNPROP_RT_ENTRY(override_stale);
const void *rt_override_stale_entry(void) { return (const void *)override_stale; }
