/* Flow facts of small bodies for test_frontend_flow.c (the line and column
 * of every event is part of the expected output: append, never edit). */
_Thread_local int tv;
void yield(void);
int g(int);
#define EACH(i, n) for (i = 0; i < (n); i++)
#define FOREVER for (;;)

int for_parts(int n) {
  int i = 0, *p = 0;
  for (; i < n;) i++;
  for (; n; p = &tv) yield();
  EACH(i, n) g(i);
  FOREVER { if (n) break; }
  return i + (p != 0);
}

int switch_fall(int n) {
  int x = 0;
  switch (n) {
  case 1: x = tv;
  case 2: x++; break;
  default: x = g(x);
  }
  return x;
}

int logic(int a, int b) { return (a && g(b)) || (a ? b : tv); }

int jumps(int n) {
again:
  if (n-- > 0) goto again;
  do { if (n) continue; n = g(n); } while (n < 3);
  return n;
}

int taken(int n) {
  int x = n, y = 0;
  int *p = &x;
  y = *p + n;
  return y;
}

void errno_like(int *(*loc)(void)) { *loc() = 0; }

int gnu(int a) { return a ?: g(a); }

int not_understood(int a) { return ({ a + 1; }); }
