/* SPDX-License-Identifier: MIT */
/* rt_symlinked.c - a task entry compiled through a symlinked directory (its
 * __FILE__ names the link, the analysis the real path); for test_identity. */
#include "fnprop_rt.h"

const void *rt_symlinked_entry(void);
static volatile int rs_sink;
static void sym_task(void *a) { rs_sink = 1 + (a != 0); }
FNPROP_RT_ENTRY(sym_task);
const void *rt_symlinked_entry(void) { return (const void *)sym_task; }
