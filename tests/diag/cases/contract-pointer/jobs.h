/* Contract slots of every kind: a typedef, a field, parameters. */
#ifndef JOBS_H
#define JOBS_H
#include <fnprop.h>

typedef void (*job_fn)(void *) FNPROP_NOTLS;
typedef int (*cmp_fn)(const void *, const void *);

struct queue {
  job_fn run;                  /* FNPROP_NOTLS through its typedef */
  cmp_fn order FNPROP_NOPANIC; /* on the field itself */
};

void run_job(job_fn fn, void *arg);
void run_later(int delay, char tag, job_fn fn);
void run_each(void (*fn)(void *) FNPROP_NOTLS FNPROP_NOPANIC, void *arg);

void clean(void *p);
void dirty(void *p);
void logs(void *p);
void mystery(void *p);
void careless(void *p);
int by_size(const void *a, const void *b);
int checked(const void *a, const void *b);

job_fn pick(int k);
#endif
