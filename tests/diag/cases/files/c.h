#include <fnprop.h>
int checked_parse(const char *s) FNPROP_NOPANIC;
