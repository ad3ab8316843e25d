/* SPDX-License-Identifier: MIT */
/*
 * sched_demo_fallback.c - hand-written verdict table for sched-demo, used only
 * while the build has no fnprop CLI (SCHED_DEMO_VERDICTS=builtin).
 *
 * Invariant: these rows state what fnprop concludes about sched_demo.c's task
 * entries (demo_proven touches no thread-local state; demo_tls does; demo_root
 * calls fsched_spawn, which has no contract) and nothing more optimistic.
 * The real build replaces this with `fnprop export --format=c`.
 *
 * usage: sched-demo-fallback ABSOLUTE-PATH-OF-sched_demo.c SOURCES-HASH > verdicts.c
 */
#include <stdio.h>

#include "export_c.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: sched-demo-fallback SCHED_DEMO_C HASH > verdicts.c\n");
    return 2;
  }
  const xc_entry rows[] = {
      {"demo_proven", argv[1], 0, 0, 0, 0},
      {"demo_tls", argv[1], 0, 2, 0, 2},
      {"demo_root", argv[1], 0, 1, 1, 1},
  };
  if (xc_write(stdout, rows, sizeof rows / sizeof rows[0], argv[2]) != 0) {
    fprintf(stderr, "sched-demo-fallback: error: cannot write the table\n");
    return 1;
  }
  return 0;
}
