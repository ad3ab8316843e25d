/* SPDX-License-Identifier: MIT */
/*
 * export_c.h - writes the C verdict table the runtime shim compiles in.
 *
 * Invariant: the output is a pure function of the arguments (no clock, no
 * environment), compiles warning-free under -Wall -Wextra -Werror with gcc
 * and clang, includes nothing but <fnprop_rt.h>, and carries every name and
 * path byte-exact as an escaped C string literal.  The layout it writes is
 * fnprop_rt_table version XC_TABLE_ABI (runtime-shim/fnprop_rt.h,
 * FNPROP_RT_TABLE_ABI); the generated file #errors against another version.
 */
#ifndef FNPROP_EXPORT_C_H
#define FNPROP_EXPORT_C_H

#include <stddef.h>
#include <stdio.h>

/* Must equal FNPROP_RT_TABLE_ABI in runtime-shim/fnprop_rt.h. */
#define XC_TABLE_ABI 2

typedef struct xc_entry {
  const char *name;    /* function name (borrowed) */
  const char *file;    /* absolute path of the defining file (borrowed) */
  int external;        /* 1: external linkage, 0: internal */
  unsigned char tls;   /* vd_verdict: 0 proven, 1 unknown, 2 violated */
  unsigned char panic; /* vd_verdict */
  unsigned char migrate; /* vd_verdict of stage 3 (docs/stage3.md) */
} xc_entry;

/* Writes the table for entries[0..n) (in the given order; the caller sorts
 * by file, line, name) and `analysis_hash` (NULL = unknown: the program
 * will pin every task) to `out`.  Returns 0, or -1 on a write error. */
int xc_write(FILE *out, const xc_entry *entries, size_t n, const char *analysis_hash);

/* Writes `s` (NULL as "") as one C string literal, quotes included: \" \\
 * \n \t \r escaped, '?' escaped (no trigraphs), other bytes below 0x20 and
 * from 0x7f up as three-digit octal.  Returns 0 or -1. */
int xc_write_string(FILE *out, const char *s);

#endif /* FNPROP_EXPORT_C_H */
