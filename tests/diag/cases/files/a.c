#include <fnprop.h>
int deep(void);
int top(void) FNPROP_NOTLS;
int top(void) { return deep(); }
