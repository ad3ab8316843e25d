/* fnprop-omp-untied-tls: untied tasks whose regions are not proven !tls. */
_Thread_local int hits;
extern int remote(int);
static int square(int x) { return x * x; }

int run(int n) {
  int s = 0;
#pragma omp parallel
#pragma omp single
  for (int i = 0; i < n; i++) {
#pragma omp task untied shared(s)
    { /* reads a thread-local after a scheduling point: an error */
#pragma omp taskyield
      s += hits;
    }
#pragma omp task untied shared(s) firstprivate(i)
    s += remote(i); /* unknown: a warning */
#pragma omp task shared(s)
    s += hits; /* tied: resumes on its own thread, not reported */
#pragma omp task untied shared(s) firstprivate(i)
    s += square(i); /* proven */
#pragma omp task untied shared(s) // NOLINT(fnprop-omp-untied-tls)
    s += hits;
  }
  return s;
}
