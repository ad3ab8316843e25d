/* A tiny scheduler interface: tasks are started by spawn (FNPROP_SPAWN(1))
 * or marked FNPROP_TASK; yield is the suspension point. */
#ifndef SCHED_H
#define SCHED_H
#include <fnprop.h>

typedef void (*task_fn)(void *);
int spawn(task_fn entry, void *arg) FNPROP_SPAWN(1);
void yield(void) FNPROP_YIELD;
#endif
