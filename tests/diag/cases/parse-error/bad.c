#include <fnprop.h>

int broken(int x) FNPROP_NOTLS;
int broken(int x) { return x + ; }
