/* SPDX-License-Identifier: MIT */
/*
 * rt_late.c - a shared object test_shared loads with dlopen() after init.
 *
 * Invariant: loading it registers late_task (the shim republishes its map),
 * unloading it unregisters late_task again.
 */
#include "fnprop_rt.h"

const void *rt_late_entry(void);

static volatile int rl_sink;
static void late_task(void *a) { rl_sink = 2 + (a != 0); }
FNPROP_RT_ENTRY(late_task);

const void *rt_late_entry(void) { return (const void *)late_task; }
