#include "inc.h"
_Thread_local int shared_state;
int deep(void) { return shared_state; }
int b_own(void) FNPROP_NOTLS;
int b_own(void) { return peek(); }
