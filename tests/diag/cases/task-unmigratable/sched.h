/* A tiny scheduler interface: tasks are started by spawn (FNPROP_SPAWN(1))
 * or marked FNPROP_TASK; yield is the suspension point. */
#ifndef SCHED_H
#define SCHED_H
#include <fnprop.h>

typedef void (*task_fn)(void *);
int spawn(task_fn entry, void *arg) FNPROP_SPAWN(1);
void yield(void) FNPROP_YIELD;

/* errno read afresh at every use, as fnprop_rt.h does under
 * FNPROP_RT_FRESH_ERRNO: a non-const accessor, so no errno address from
 * before a yield is used after it (docs/stage3.md §6a). */
#include <errno.h>
int *fnprop_rt_errno(void);
#undef errno
#define errno (*fnprop_rt_errno())
#endif
