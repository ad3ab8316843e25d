/* SPDX-License-Identifier: MIT */
/* verdict.c - names of the verdict lattice's elements and of the properties. */
#include <string.h>

#include "verdict.h"

static const char *const vd_names[] = {"proven", "unknown", "violated"};
static const char *const vd_prop_names[] = {"tls", "panic"};

const char *vd_name(vd_verdict v) { return (unsigned)v < 3 ? vd_names[v] : "?"; }
const char *vd_prop_name(vd_prop p) { return (unsigned)p < VD_NPROPS ? vd_prop_names[p] : "?"; }

int vd_parse(const char *s) {
  for (int i = 0; i < 3; i++)
    if (strcmp(s, vd_names[i]) == 0) return i;
  return -1;
}
