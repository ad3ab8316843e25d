/* fnprop-task-pinned: task entries that the runtime shim keeps on their
 * thread, and the proven ones it lets migrate. */
#include <errno.h>
#include <stdio.h>
#include "sched.h"

static _Thread_local int counter;
static _Thread_local unsigned hits FNPROP_MIGRATION_SAFE;
extern int remote_fetch(int key);
extern void remote_task(void *arg); /* defined outside the program */

static void log_line(const char *s) { counter += s[0]; }

/* Marked tasks. */
void worker(void *arg) FNPROP_TASK;
void worker(void *arg) {
  (void)arg;
  yield();
  log_line("step");
}

void sum_task(void *arg) FNPROP_TASK;
void sum_task(void *arg) { int *v = arg; v[0] += v[1]; yield(); hits++; }

void fetcher(void *arg) FNPROP_TASK;
void fetcher(void *arg) { *(int *)arg = remote_fetch(1); }

/* Spawned tasks. */
static void spawned_tls(void *arg) { (void)arg; counter++; }
static void spawned_clean(void *arg) { (void)arg; }
static void spawned_errno(void *arg) { (void)arg; errno = 0; }

/* A task that also promises FNPROP_NOTLS: two findings. */
void promised(void *arg) FNPROP_TASK FNPROP_NOTLS;
void promised(void *arg) { (void)arg; log_line("x"); }

/* Pinned on purpose: */
void keeps_home(void *arg) FNPROP_TASK;
void keeps_home(void *arg) { (void)arg; counter = 0; } // NOLINT(fnprop-task-pinned)

/* NOLINTBEGIN(fnprop-task-pinned) */
static void legacy_task(void *arg) { (void)arg; counter--; }
/* NOLINTEND(fnprop-task-pinned) */

int main(void) {
  int v[2] = {1, 2};
  spawn(spawned_tls, NULL);
  spawn(spawned_clean, NULL);
  spawn(spawned_errno, NULL);
  spawn(sum_task, v);
  spawn(legacy_task, NULL);
  spawn(remote_task, NULL);
  return 0;
}
