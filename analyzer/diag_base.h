/* SPDX-License-Identifier: MIT */
/*
 * diag_base.h - baseline files: the findings a project accepts as they are,
 * so that only new ones are reported (prefix dg_).
 *
 * A finding's key is what SARIF's partialFingerprints carry: the hash of
 * its check, function and primary line text without blanks, with `:N` for
 * the N-th finding of equal hash, plus the check and the file (relative
 * to the working directory, as SARIF's URIs).  No line number: adding or
 * removing unrelated lines keeps every finding matched.  The file is text,
 * one finding per line, sorted, so it diffs well in version control:
 *
 *   # fnprop baseline 1
 *   FINGERPRINT <TAB> CHECK <TAB> FILE <TAB> LINE <TAB> MESSAGE
 *
 * FILE is percent-encoded as a URI path; LINE and MESSAGE are for people
 * and are not compared.
 */
#ifndef FNPROP_DIAG_BASE_H
#define FNPROP_DIAG_BASE_H

#include "diag_emit.h"

typedef struct dg_base dg_base;

/* Reads a baseline file.  NULL with a message naming the file (and line)
 * in err when it cannot be read or is not a baseline. */
dg_base *dg_base_load(const char *path, char *err, size_t errlen);
void dg_base_free(dg_base *b);
/* Is finding d (its fp and fp_n set) in the baseline?  cwd absolute. */
int dg_base_has(const dg_base *b, const dg_diag *d, const char *cwd);
/* Writes the findings v[0..n) (fp and fp_n set) as a baseline file.
 * Returns 0, or -1 with a message in err. */
int dg_base_write(const char *path, dg_diag *const *v, size_t n, const char *cwd, char *err, size_t errlen);

#endif /* FNPROP_DIAG_BASE_H */
