/* fnprop-contract-pointer: every way a function gets into a contract slot. */
#include <stddef.h>
#include "jobs.h"

job_fn on_exit_job = dirty;
static struct queue q1 = {logs, by_size};
static struct queue q2 = {.order = checked, .run = clean};

void setup(struct queue *q, job_fn fallback) {
  job_fn local = mystery;
  q->run = careless;
  q->order = checked;
  fallback = dirty;
  run_job(/* not (here, there) */ logs, NULL);
  run_job(clean, NULL);
  run_each(NULL, NULL), run_each(careless, NULL);
  run_later(/* (x, y) */ 1, ")," [0], // later (, or now
            dirty);
  local(NULL);
  fallback(NULL);
  (void)q1, (void)q2;
}

/* Suppressed: */
job_fn quiet1 = dirty; // NOLINT(fnprop-contract-pointer)
// NOLINTNEXTLINE(fnprop-contract-*)
job_fn quiet2 = dirty;
job_fn loud = dirty; // NOLINT(fnprop-notls-violation): another check, reported
