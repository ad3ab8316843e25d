/* Function types for the compatibility-key tests (test_frontend.c): each
 * pair a1/a2 ... is compatible in C and must share a key; each x1/x2 pair
 * is not and must not. */
enum color { RED, GREEN };
typedef struct { int x; } pt_a;
typedef struct { int x; } pt_b;
typedef int (*cb)(int);

enum color a1(const int n, int v[3]);
unsigned a2(int n, int *v);
__attribute__((noreturn)) void b1(void);
void b2(void);
int c1(pt_a *p, cb f);
int c2(pt_b *p, int f(int));
int d1(int (*f)());
int d2(int (*f)(long));
int x1(int, ...);
int x2(int);
long y1(void);
long long y2(void);
int knr();

union u { void (*fn)(void); long raw; };
void poke(union u *p) { p->raw = 0; }
