#include "util.h"
int run(int x) FNPROP_NOPANIC;
int run(int x) { return must(x); }
