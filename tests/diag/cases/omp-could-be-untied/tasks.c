/* fnprop-omp-could-be-untied: tied tasks whose stage-3 migrate verdict is
 * proven get a suggestion with a fix-it that adds `untied`. */
#include <errno.h>
#include <omp.h>
#include <unistd.h>

/* a nonblocking write retried at a taskyield: errno is read right after
 * the failing call, never across the scheduling point: could be untied */
long drain(int fd, const char *buf, int n) {
  long done = 0;
#pragma omp parallel
#pragma omp single
  for (int i = 0; i < n; i++) {
#pragma omp task shared(done) firstprivate(fd, buf)
    for (;;) {
      long w = write(fd, buf, 1);
      if (w >= 0) {
#pragma omp atomic
        done += w;
        break;
      }
      if (errno != EAGAIN) break;
#pragma omp taskyield
    }
  }
  return done;
}

/* a taskloop whose chunks wait for their children: could be untied */
void scale(double *v, int n) {
#pragma omp taskloop grainsize(64)
  for (int i = 0; i < n; i++) {
    v[i] *= 2.0;
#pragma omp taskwait
  }
}

/* keeps its thread number across a taskwait: stays tied, no suggestion */
int keeps_id(int *slot) {
  int r = 0;
#pragma omp task shared(r) firstprivate(slot)
  {
    int me = omp_get_thread_num();
#pragma omp taskwait
    slot[me] = 1;
    r = me;
  }
  return r;
}

/* already untied: nothing to suggest */
void already(int *out) {
#pragma omp task untied firstprivate(out)
  *out = 1;
}

/* `taskloop simd`: suggested, but without a fix-it (the clause would split
 * the directive's words) */
void simd(float *v, int n) {
#pragma omp taskloop simd
  for (int i = 0; i < n; i++) v[i] += 1.0f;
}

/* NOLINT keeps it tied */
void kept(int *out) {
#pragma omp task firstprivate(out) // NOLINT(fnprop-omp-could-be-untied)
  *out = 2;
}
