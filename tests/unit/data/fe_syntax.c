/* Input of test_frontend.c's syntax tests: constructs at known lines. */
#include <error.h>
#include <stdlib.h>

typedef int (*op)(int);
op pick(int);
int helper(int);
void release(int *p);
void leave(int) __asm__("exit");
#pragma weak late_weak

int asm_fs(void) { int v; __asm__("movl %%fs:0, %0" : "=r"(v)); return v; }
void asm_trap(void) { __asm__ volatile("ud2"); }
void asm_call(void) { __asm__ volatile("call helper"); }
void asm_odd(void) { __asm__ volatile("cpuid" ::: "memory"); }
int through(int x) { return pick(x)(x); }
void scoped(void) { __attribute__((cleanup(release))) int c = 0; }
void report(int s) { error(0, 0, "a"); error(s, 0, "b"); }
unsigned long unevaluated(void) { return sizeof(helper(1)) + _Alignof(int); }
int dead(int x) { if (0) abort(); return x ? helper(x) : 0; }
int generic(int x) { return _Generic(x, long: helper(1), int: x, default: helper(2)); }
int late_weak(int x) { return x; }
void renamed(void) { leave(1); }
int omp(int n) {
  int s = 0;
#pragma omp parallel for
  for (int i = 0; i < n; i++) s += i;
  return s;
}
