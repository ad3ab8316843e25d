/* Input of test_frontend.c's variant test. */
#include "fe_variant.h"
int variant_user(int i) { return checked_index(i); }
