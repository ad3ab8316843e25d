/* SPDX-License-Identifier: MIT */
/*
 * sched_decide.c - cost of one fnprop_rt_may_migrate() decision, in ns.
 *
 * Invariant: measures the real library call (linked from libfnprop_rt.a, not
 * inlinable) on a table with 64 registered entries, for a proven entry, a
 * pinned one and an unregistered pointer, and before init; prints one
 * "name ns-per-call" line each (best of 5 rounds, loop overhead included).
 *
 * usage: sched-bench-decide [CALLS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fnprop_rt.h"

/* 64 distinct static entry functions, every fourth one violated. */
static volatile unsigned long bench_sink;
#define BENCH_FN(i)                                                                                                    \
  static void bench_e##i(void *a) { bench_sink += (i) + (a != 0); }                                                    \
  FNPROP_RT_ENTRY(bench_e##i)
#define BENCH_FN8(i)                                                                                                   \
  BENCH_FN(i##0);                                                                                                      \
  BENCH_FN(i##1);                                                                                                      \
  BENCH_FN(i##2);                                                                                                      \
  BENCH_FN(i##3);                                                                                                      \
  BENCH_FN(i##4);                                                                                                      \
  BENCH_FN(i##5);                                                                                                      \
  BENCH_FN(i##6);                                                                                                      \
  BENCH_FN(i##7)
BENCH_FN8(1);
BENCH_FN8(2);
BENCH_FN8(3);
BENCH_FN8(4);
BENCH_FN8(5);
BENCH_FN8(6);
BENCH_FN8(7);
BENCH_FN8(8);

static void bench_unregistered(void *a) { bench_sink += a != 0; }

#define BENCH_ROW(i, v) {"bench_e" #i, BENCH_REAL_FILE, 0, v, 0, v}
#define BENCH_ROW8(i)                                                                                                  \
  BENCH_ROW(i##0, 2), BENCH_ROW(i##1, 0), BENCH_ROW(i##2, 0), BENCH_ROW(i##3, 0), BENCH_ROW(i##4, 2),                  \
      BENCH_ROW(i##5, 0), BENCH_ROW(i##6, 0), BENCH_ROW(i##7, 0)
static const fnprop_rt_row bench_rows[] = {BENCH_ROW8(1), BENCH_ROW8(2), BENCH_ROW8(3), BENCH_ROW8(4),
                                           BENCH_ROW8(5), BENCH_ROW8(6), BENCH_ROW8(7), BENCH_ROW8(8)};
static const fnprop_rt_table bench_table = {FNPROP_RT_TABLE_ABI, "be9c4", 64, bench_rows};

static double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best of 5 rounds of calls/5 calls each, in ns per call: the least
 * disturbed by other load on the machine. */
static double bench_one(const void *entry, unsigned long calls, unsigned long *yes) {
  double best = 0;
  unsigned long per = calls / 5 ? calls / 5 : 1;
  for (int round = 0; round < 5; round++) {
    double t0 = bench_now(), ns;
    for (unsigned long i = 0; i < per; i++) *yes += (unsigned long)fnprop_rt_may_migrate(entry);
    ns = (bench_now() - t0) / (double)per;
    if (round == 0 || ns < best) best = ns;
  }
  return best;
}

int main(int argc, char **argv) {
  unsigned long calls = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000000ul, yes = 0;
  if (calls == 0) calls = 1;
  if (fnprop_rt_init(&bench_table, "be9c4") != FNPROP_RT_OK) return 1;
  if (!fnprop_rt_may_migrate((const void *)bench_e11) || fnprop_rt_may_migrate((const void *)bench_e10)) return 1;
  bench_one((const void *)bench_e11, calls / 10, &yes); /* warm up */
  printf("proven %.2f\n", bench_one((const void *)bench_e11, calls, &yes));
  printf("pinned %.2f\n", bench_one((const void *)bench_e10, calls, &yes));
  printf("unregistered %.2f\n", bench_one((const void *)bench_unregistered, calls, &yes));
  fnprop_rt_shutdown();
  printf("uninitialised %.2f\n", bench_one((const void *)bench_e11, calls, &yes));
  return yes == 0;
}
