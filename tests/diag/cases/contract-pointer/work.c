/* The functions that get stored; one store here, the rest in slots.c. */
#include <stdlib.h>
#include "jobs.h"

static _Thread_local int depth;
extern int opaque(int);

static void log_line(void) { depth++; }

void clean(void *p) { (void)p; }
void dirty(void *p) { (void)p; depth++; }
void logs(void *p) { (void)p; log_line(); }
void mystery(void *p) { (void)p; opaque(1); }
void careless(void *p) { if (!p) abort(); depth++; }
int by_size(const void *a, const void *b) { return (a > b) - (a < b); }
int checked(const void *a, const void *b) { if (!a || !b) abort(); return a != b; }

void run_job(job_fn fn, void *arg) { fn(arg); }
void run_later(int delay, char tag, job_fn fn) { (void)delay, (void)tag; fn(NULL); }
void run_each(void (*fn)(void *) FNPROP_NOTLS FNPROP_NOPANIC, void *arg) { fn(arg); }

job_fn pick(int k) {
  if (k) return clean;
  return mystery;
}
