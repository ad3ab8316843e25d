#include <stdlib.h>
#include "api.h"

static _Thread_local int calls;
size_t ext_length(const char *s); /* defined outside the program */

int api_add(int a, int b) { return a + b; }
int api_scale(int x, int factor) { return x * factor; }
int api_checked(int x) { if (x < 0) abort(); return x; }
int api_counter(void) { return ++calls; }
int api_done(int x) { return api_twice(x); }
size_t api_length(const char *s) { return ext_length(s); }
int api_first(int a) { return a; }
int api_second(int b) { return -b; }
int not_in_header(int x) { return x; }
