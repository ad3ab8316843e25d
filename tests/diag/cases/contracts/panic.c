/* fnprop-nopanic-violation and fnprop-nopanic-unproven. */
#include <assert.h>
#include <setjmp.h>
#include <stdlib.h>
#include <fnprop.h>

extern void log_line(const char *);
_Noreturn void fatal(const char *why);
void die(void) FNPROP_PANIC;

static void check(int ok) { if (!ok) abort(); }

int aborts(int x) FNPROP_NOPANIC;
int aborts(int x) { check(x > 0); return x; }

int asserts(int x) FNPROP_NOPANIC;
int asserts(int x) { assert(x != 0); return 1 / x; }

int jumps(jmp_buf env) FNPROP_NOPANIC;
int jumps(jmp_buf env) { longjmp(env, 1); }

int calls_fatal(void) FNPROP_NOPANIC;
int calls_fatal(void) { fatal("no"); }

int calls_die(void) FNPROP_NOPANIC;
int calls_die(void) { die(); return 0; }

int logs(void) FNPROP_NOPANIC FNPROP_NOTLS;
int logs(void) { log_line("hello"); return 0; }
