/* fnprop-notls-violation and fnprop-notls-unproven. */
#include <errno.h>
#include <pthread.h>
#include <fnprop.h>

static _Thread_local int counter;
extern int opaque(int);
typedef int (*op_fn)(int);

static int bump(void) { return ++counter; }
static int middle(void) { return bump() + 1; }

int reads_tls(void) FNPROP_NOTLS;
int reads_tls(void) { return counter; }

int through_chain(void) FNPROP_NOTLS;
int through_chain(void) { return middle(); }

int uses_errno(void) FNPROP_NOTLS;
int uses_errno(void) { return errno; }

int asks_identity(void) FNPROP_NOTLS;
int asks_identity(void) { return pthread_self() != 0; }

int calls_opaque(int x) FNPROP_NOTLS;
int calls_opaque(int x) { return opaque(x) + 1; }

int calls_pointer(op_fn f) FNPROP_NOTLS;
int calls_pointer(op_fn f) { return f(1); }

int clean(int x) FNPROP_NOTLS;
int clean(int x) { return x * 2; }

int unannotated(void) { return counter; }
