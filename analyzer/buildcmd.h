/* SPDX-License-Identifier: MIT */
/*
 * buildcmd.h - `fnprop extract` and `fnprop merge`: fact extraction as one
 * build step per translation unit (prefix bc_).
 *
 * Extraction is a pure function of a TU's files, flags and the tool
 * version, so a build engine (make -j, Ninja, distcc, Bazel-style remote
 * execution) can run one `extract` per TU and cache or distribute it; one
 * `merge` then folds the facts files into the properties database and
 * solves the whole program.  A facts file is a properties database holding
 * only that TU's facts (docs/build-engines.md).
 */
#ifndef FNPROP_BUILDCMD_H
#define FNPROP_BUILDCMD_H

/* `fnprop extract -p DIR [--deps=FILE] -o OUT SOURCE`: argv[0] is "extract". */
int bc_extract_main(int argc, char **argv);
/* `fnprop merge -p DIR [--db FILE] [--quiet] FACTS...`: argv[0] is "merge". */
int bc_merge_main(int argc, char **argv);

#endif /* FNPROP_BUILDCMD_H */
