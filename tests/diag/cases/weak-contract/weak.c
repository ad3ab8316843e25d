/* Contracts on and through a weak definition: the linked program may use
 * another definition, so neither contract is proven, and the diagnostics
 * say why (not "calls 'hook'"). */
#include <fnprop.h>

__attribute__((weak)) int hook(int x) FNPROP_NOTLS;
__attribute__((weak)) int hook(int x) { return x; }

int user(int x) FNPROP_NOPANIC;
int user(int x) { return hook(x); }
