#include <stdlib.h>
#include <fnprop.h>
static inline int must(int x) FNPROP_NOPANIC;
static inline int must(int x) { if (!x) abort(); return x; }
