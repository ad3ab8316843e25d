/* fnprop-omp-untied-tls: untied tasks that keep thread-local state live
 * across a task scheduling point (their stage-3 migrate verdict). */
#include <omp.h>
_Thread_local int hits;
int counter;
#pragma omp threadprivate(counter)
extern int remote(int);
static int square(int x) { return x * x; }

int run(int n) {
  int s = 0;
#pragma omp parallel
#pragma omp single
  for (int i = 0; i < n; i++) {
#pragma omp task untied shared(s)
    { /* keeps a value of a thread-local across a scheduling point: an error */
      int h = hits;
#pragma omp taskyield
      s += h;
    }
#pragma omp task untied shared(s) firstprivate(i)
    s += remote(i); /* unknown: a warning */
#pragma omp task shared(s)
    s += hits; /* tied: resumes on its own thread, not reported */
#pragma omp task untied shared(s) firstprivate(i)
    s += square(i); /* proven */
#pragma omp task untied shared(s)
    { /* a fresh read after the scheduling point: proven */
#pragma omp taskyield
      s += hits;
    }
#pragma omp task untied shared(s) // NOLINT(fnprop-omp-untied-tls)
    {
      int h = hits;
#pragma omp taskwait
      s += h;
    }
#pragma omp task untied
    { /* a threadprivate counter written, then read after a scheduling point: an error */
      counter++;
#pragma omp taskyield
      counter--;
    }
#pragma omp task untied shared(s)
    { /* the thread number kept across the barrier-like wait: an error */
      int me = omp_get_thread_num();
#pragma omp taskwait
      s += me;
    }
  }
  return s;
}
