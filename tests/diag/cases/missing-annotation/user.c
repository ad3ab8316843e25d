#include "api.h"

int user_sum(int a, int b) { return api_add(a, b) + api_scale(a, 2); }
