/* SPDX-License-Identifier: MIT */
/*
 * rt_plugin.c - a shared object with a static task entry, linked into
 * test_shared at build time.
 *
 * Invariant: the entry is registered by the object's own constructor with
 * the process's single libfnprop_rt.so, before test_shared's main runs.
 */
#include "fnprop_rt.h"

const void *rt_plugin_entry(void);

static volatile int rp_sink;
static void plugin_task(void *a) { rp_sink = 1 + (a != 0); }
FNPROP_RT_ENTRY(plugin_task);

const void *rt_plugin_entry(void) { return (const void *)plugin_task; }
