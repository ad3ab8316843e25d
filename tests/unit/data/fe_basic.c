/* Input of test_frontend.c: every fact kind once, at known lines. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

_Thread_local int counter;
typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
int apply(binop f, int x) { return f(x, x); }
int use_tls(void) { return counter++; }
int checked(int x) {
  assert(x > 0);
  return errno;
}
int take(void) { return apply(add, 2); }
_Noreturn void fatal(void);
void weakling(void) __attribute__((weak));
void weakling(void) {}
binop table[] = {add};
void stop(void) { abort(); }
