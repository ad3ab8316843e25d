/* SPDX-License-Identifier: MIT */
/*
 * fnprop_rtInt.h - internals of the runtime shim, exposed for its unit tests.
 *
 * Hidden symbols (not exported from libfnprop_rt.so); a test that links the
 * static library reaches them.  Nothing here is part of the public API.
 */
#ifndef FNPROP_RT_INT_H
#define FNPROP_RT_INT_H

#include "fnprop_rt.h"

/* 1 when a registration's file `reg` names the row's file `row` under the
 * shim's rule: `reg` is absolute and, canonical (symlinks resolved when it
 * exists here, else lexically normalized), equals `row` lexically
 * normalized.  Otherwise 0 (a relative or NULL `reg` never matches). */
int fnprop_rt__same_file(const char *reg, const char *row);

/* 1 when two hashes are equal ignoring ASCII case and surrounding blanks,
 * and neither is empty. */
int fnprop_rt__hash_equal(const char *a, const char *b);

/* Fault injection for tests: when set to N > 0, the N-th allocation from
 * now fails (once).  Not thread-safe; tests set it single-threaded. */
extern int fnprop_rt__fail_alloc;

#endif /* FNPROP_RT_INT_H */
