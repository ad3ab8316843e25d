/* SPDX-License-Identifier: MIT */
/*
 * solver_bench.c - times sv_solve on a synthetic whole-program call graph.
 *
 * Usage: solver_bench [-g] [-r runs] [nodes [edges [seed]]]
 *        (defaults: 3 runs, 1000000 nodes, 5000000 edges, seed 1)
 *
 * The graph is deterministic for a seed: 97% forward edges (95% of them to
 * one of the next 64 nodes, 5% anywhere ahead) and 3% back edges to one of
 * the previous 8 nodes, which gives ~15,000 small non-trivial SCCs (largest
 * ~20 at the default size).  -g turns 1% of the edges into back edges to any
 * earlier node, which melts nearly everything into one giant SCC: the worst
 * case for the witness search.  About 1% of the nodes carry an unknown or
 * violated base.  Only sv_solve is timed, once per run; the median run is
 * compared with the targets of design section 7 (< 2 s, < 1 GiB), reported as
 * PASS/MISS and never asserted: the exit status is 0 unless the arguments are
 * bad or the solver fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "solver.h"

#define BENCH_TIME_TARGET 2.0             /* seconds */
#define BENCH_MEM_TARGET  (1024.0 * 1024)  /* KiB: 1 GiB */

static uint64_t bench_rng;

static uint32_t bench_rand(uint32_t bound) {
  bench_rng ^= bench_rng << 13, bench_rng ^= bench_rng >> 7, bench_rng ^= bench_rng << 17;
  return (uint32_t)((bench_rng >> 11) % bound);
}

/* Callee of one edge from src (see the header for the mix). */
static uint32_t bench_callee(uint32_t n, uint32_t src, int giant) {
  uint32_t kind = bench_rand(1000);
  if (kind < 30) {
    uint32_t back = 1 + bench_rand(8);
    return src >= back ? src - back : 0;
  }
  if (giant && kind < 40) return bench_rand(src + 1);
  uint32_t span = n - 1 - src;
  if (span == 0) return src;
  if (bench_rand(100) < 95) return src + 1 + bench_rand(span < 64 ? span : 64);
  return src + 1 + bench_rand(span);
}

static void bench_graph(uint32_t n, size_t m, int giant, uint8_t *base, sv_edge *edges) {
  for (size_t e = 0; e < m; e++) {
    edges[e].src = bench_rand(n);
    edges[e].dst = bench_callee(n, edges[e].src, giant);
  }
  memset(base, VD_PROVEN, (size_t)n * VD_NPROPS);
  for (uint32_t u = 0; u < n; u++)
    if (bench_rand(100) == 0) base[(size_t)u * VD_NPROPS + bench_rand(VD_NPROPS)] = (uint8_t)(1 + bench_rand(2));
}

static double bench_clock(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long bench_peak_kib(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1; /* KiB on Linux */
}

static void bench_counts(uint32_t n, const sv_result *out) {
  for (int p = 0; p < VD_NPROPS; p++) {
    size_t c[3] = {0, 0, 0};
    for (uint32_t u = 0; u < n; u++) c[out[u].verdict[p]]++;
    printf("verdicts %-5s  proven %zu  unknown %zu  violated %zu\n", vd_prop_name((vd_prop)p), c[0], c[1], c[2]);
  }
}

/* Median of the run times, which it sorts. */
static double bench_median(double *t, int reps) {
  for (int i = 1; i < reps; i++)
    for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
      double x = t[j];
      t[j] = t[j - 1], t[j - 1] = x;
    }
  return t[reps / 2];
}

/* t: wall times, cpu: CPU times of the runs. */
static void bench_report(double *t, double *cpu, int reps, long before, long peak) {
  printf("sv_solve       ");
  for (int i = 0; i < reps; i++) printf("%.3f ", t[i]);
  double med = bench_median(t, reps);
  printf("s\nmedian         %.3f s    target < %.0f s    %s  (CPU time %.3f s: wall above it means a busy machine)\n",
         med, BENCH_TIME_TARGET, med < BENCH_TIME_TARGET ? "PASS" : "MISS", bench_median(cpu, reps));
  printf("peak RSS       %.1f MiB  target < 1 GiB  %s  (%.1f MiB before solving: input and output)\n",
         (double)peak / 1024, peak >= 0 && (double)peak < BENCH_MEM_TARGET ? "PASS" : "MISS", (double)before / 1024);
}

typedef struct bench_opts {
  int giant, reps;
  uint32_t n;
  size_t m;
  uint64_t seed;
} bench_opts;

/* Parses a decimal in [lo, hi]; returns -1 if s is not one. */
static int bench_num(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *v) {
  char *end;
  *v = strtoull(s, &end, 10);
  return *s >= '0' && *s <= '9' && *end == '\0' && *v >= lo && *v <= hi ? 0 : -1;
}

static int bench_args(int argc, char **argv, bench_opts *o) {
  unsigned long long v[3] = {1000000, 5000000, 1}, r = 3;
  const unsigned long long lo[3] = {1, 0, 1}, hi[3] = {UINT32_MAX, UINT32_MAX, UINT64_MAX};
  int i = 1, k = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-g") == 0) o->giant = 1;
    else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc && bench_num(argv[++i], 1, 100, &r) == 0) continue;
    else return -1;
  }
  for (; i < argc; i++, k++)
    if (k == 3 || bench_num(argv[i], lo[k], hi[k], &v[k]) != 0) return -1;
  o->n = (uint32_t)v[0], o->m = (size_t)v[1], o->seed = v[2], o->reps = (int)r;
  return 0;
}

/* Times reps solves of the graph; returns 0, or -1 if the solver fails. */
static int bench_run(const bench_opts *o, const uint8_t *base, const sv_edge *edges, sv_result *out) {
  double t[100], cpu[100];
  long before = bench_peak_kib();
  for (int i = 0; i < o->reps; i++) {
    double t0 = bench_clock(CLOCK_MONOTONIC), c0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    if (sv_solve(o->n, base, o->m, edges, out) != 0) return -1;
    t[i] = bench_clock(CLOCK_MONOTONIC) - t0;
    cpu[i] = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
  }
  bench_counts(o->n, out);
  bench_report(t, cpu, o->reps, before, bench_peak_kib());
  return 0;
}

int main(int argc, char **argv) {
  bench_opts o = {0};
  if (bench_args(argc, argv, &o) != 0) {
    fprintf(stderr, "usage: solver_bench [-g] [-r runs] [nodes [edges [seed]]]\n");
    return 2;
  }
  bench_rng = o.seed;
  uint8_t *base = malloc((size_t)o.n * VD_NPROPS);
  sv_edge *edges = malloc((o.m ? o.m : 1) * sizeof *edges);
  sv_result *out = malloc((size_t)o.n * sizeof *out);
  int rc = 1;
  if (!base || !edges || !out) {
    fprintf(stderr, "solver_bench: out of memory generating the graph\n");
  } else {
    bench_graph(o.n, o.m, o.giant, base, edges);
    printf("graph          %" PRIu32 " nodes, %zu edges%s, %d runs\n", o.n, o.m, o.giant ? ", giant SCC (-g)" : "",
           o.reps);
    rc = bench_run(&o, base, edges, out) == 0 ? 0 : 1;
    if (rc) fprintf(stderr, "solver_bench: sv_solve failed\n");
  }
  free(base), free(edges), free(out);
  return rc;
}
