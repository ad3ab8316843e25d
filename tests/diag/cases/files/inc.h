#include <fnprop.h>
extern _Thread_local int shared_state;
static inline int peek(void) FNPROP_NOTLS;
static inline int peek(void) { return shared_state; }
