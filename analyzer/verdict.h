/* SPDX-License-Identifier: MIT */
/*
 * verdict.h - the verdict lattice and the two properties.
 *
 * proven < unknown < violated.  The join of two verdicts is their maximum;
 * the lattice has height 3, which is what makes every fixpoint over it
 * terminate.  Shared by every stage from the solver to the reports, and
 * stored in the database as these very integers.
 */
#ifndef FNPROP_VERDICT_H
#define FNPROP_VERDICT_H

typedef enum vd_verdict {
  VD_PROVEN = 0,   /* no effect reachable, every reachable call resolved */
  VD_UNKNOWN = 1,  /* no known effect reachable, some call unresolved */
  VD_VIOLATED = 2  /* an effect is reachable; a witness path exists */
} vd_verdict;

typedef enum vd_prop { VD_TLS = 0, VD_PANIC = 1, VD_NPROPS = 2 } vd_prop;

static inline vd_verdict vd_join(vd_verdict a, vd_verdict b) { return a > b ? a : b; }

/* "proven", "unknown", "violated". */
const char *vd_name(vd_verdict v);
/* "tls", "panic". */
const char *vd_prop_name(vd_prop p);
/* Parses a verdict name; returns -1 when it is not one. */
int vd_parse(const char *s);

#endif /* FNPROP_VERDICT_H */
