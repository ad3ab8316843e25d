/* SPDX-License-Identifier: MIT */
/* rt_override.c - a task entry compiled with a relative __FILE__ but
 * FNPROP_RT_FILE (and the table's sources hash) from the build; for
 * test_identity. */
#include "fnprop_rt.h"

const void *rt_override_entry(void);
static volatile int ro_sink;
static void override_task(void *a) { ro_sink = 1 + (a != 0); }
FNPROP_RT_ENTRY(override_task);
const void *rt_override_entry(void) { return (const void *)override_task; }
