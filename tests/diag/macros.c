/* SPDX-License-Identifier: MIT */
/* macros.c - every fnprop.h macro in every position it supports: function
 * declarations and definitions, function-pointer typedefs, struct fields,
 * parameters and variables.  Must compile silently with gcc and clang under
 * -Wall -Wextra -Wpedantic -Werror (tests/diag/run.sh). */
#include <fnprop.h>

/* Declarations. */
int parse_digit(char c) FNPROP_NOTLS FNPROP_NOPANIC;
void fail_hard(void) FNPROP_PANIC;
int thread_slot(void) FNPROP_TLS;
void yield_now(void) FNPROP_YIELD;
void run_task(void *arg) FNPROP_TASK;
void spawn(void (*entry)(void *), void *arg) FNPROP_SPAWN(1);

/* Function-pointer typedefs carrying contracts. */
typedef void (*task_fn)(void *) FNPROP_NOTLS;
typedef int (*pure_fn)(int) FNPROP_NOTLS FNPROP_NOPANIC;

/* Struct fields. */
struct job {
  task_fn entry;
  int (*step)(int) FNPROP_NOPANIC;
  void *arg;
};

/* Thread-local variables, one migration-safe. */
static _Thread_local unsigned hits FNPROP_MIGRATION_SAFE;
static _Thread_local int depth;

/* Definitions: attribute after the declarator and before it. */
int parse_digit(char c) FNPROP_NOTLS FNPROP_NOPANIC { return c >= '0' && c <= '9' ? c - '0' : -1; }
FNPROP_NOTLS static int twice(int x) { return 2 * x; }

/* Parameters and variables. */
static int apply(int (*f)(int) FNPROP_NOTLS, int x) { return f(x); }
static pure_fn chosen FNPROP_NOTLS = twice;

void run_task(void *arg) FNPROP_TASK {
  struct job j = {0, twice, arg};
  hits++;
  depth += apply(chosen, j.step(parse_digit('7')));
}

void spawn(void (*entry)(void *) FNPROP_NOTLS, void *arg) FNPROP_SPAWN(1) { entry(arg); }

int use_all(void) FNPROP_NOPANIC;
int use_all(void) {
  int local FNPROP_MIGRATION_SAFE = depth;
  spawn(run_task, 0);
  return local + (int)hits;
}
