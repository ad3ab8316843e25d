/* fnprop-task-unmigratable: task entries the shim's default (stage-3)
 * gating pins, with the access, the suspension point and the use, and
 * the tasks stage 1 pins but stage 3 lets migrate. */
#include <errno.h>
#include <unistd.h>
#include "sched.h"

static _Thread_local int counter;
extern int remote_fetch(int key);

/* A thread-local address kept in a local across a yield. */
void keeps_pointer(void *arg) FNPROP_TASK;
void keeps_pointer(void *arg) {
  int *p = &counter;
  (void)arg;
  yield();
  *p += 1;
}

/* The same finding two calls down: the notes walk the calls first. */
static int send_later(int fd) {
  if (write(fd, "x", 1) < 0) {
    yield();
    if (errno == EAGAIN) return 1;
  }
  return 0;
}
static void flush_queue(int fd) { (void)send_later(fd); }
void run_batch(void *arg) FNPROP_TASK;
void run_batch(void *arg) {
  (void)arg;
  flush_queue(1);
}

/* errno (fresh: sched.h) set and read between yields: stage 1 pins it,
 * stage 3 lets it migrate (not reported here). */
void retry_write(void *arg) FNPROP_TASK;
void retry_write(void *arg) {
  int fd = *(int *)arg;
  while (write(fd, "y", 1) < 0 && errno == EAGAIN) yield();
}

/* A thread-local re-read after the yield: its address may be stale. */
void reread(void *arg) FNPROP_TASK;
void reread(void *arg) {
  (void)arg;
  yield();
  counter++;
}

/* Unknown: a call fnprop cannot see into may suspend. */
void fetcher(void *arg) FNPROP_TASK;
void fetcher(void *arg) { *(int *)arg = remote_fetch(1); }

/* Spawned, violated, pinned on purpose, and one in a suppressed block. */
static void spawned_keep(void *arg) {
  int *p = &counter;
  (void)arg;
  yield();
  *p = 0;
}
void keeps_home(void *arg) FNPROP_TASK;
void keeps_home(void *arg) { int *p = &counter; (void)arg; yield(); *p = 2; } // NOLINT(fnprop-task-unmigratable)

/* NOLINTBEGIN(fnprop-task-unmigratable) */
static void legacy_task(void *arg) { int *p = &counter; (void)arg; yield(); *p = 3; }
/* NOLINTEND(fnprop-task-unmigratable) */

int main(void) {
  int fd = 1;
  spawn(spawned_keep, NULL);
  spawn(legacy_task, NULL);
  spawn(retry_write, &fd);
  return 0;
}
