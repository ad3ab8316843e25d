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

/* 1 when paths `a` and `b` name the same file under the shim's rule: after
 * dropping empty and "." components and the leading ".." components of a
 * relative path, one component list is a suffix of the other (at least the
 * file name must be present on both sides).  Otherwise 0. */
int fnprop_rt__path_match(const char *a, const char *b);

/* 1 when two hashes are equal ignoring ASCII case and surrounding blanks,
 * and neither is empty. */
int fnprop_rt__hash_equal(const char *a, const char *b);

/* Fault injection for tests: when set to N > 0, the N-th allocation from
 * now fails (once).  Not thread-safe; tests set it single-threaded. */
extern int fnprop_rt__fail_alloc;

#endif /* FNPROP_RT_INT_H */
