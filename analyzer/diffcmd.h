/* SPDX-License-Identifier: MIT */
/*
 * diffcmd.h - `fnprop diff OLD.db NEW.db`: properties lost and gained by
 * external-linkage functions between two analyses (prefix df_).
 *
 * A property is part of a function's API, so losing one is a breaking
 * change.  Functions are matched by USR; only external-linkage functions
 * with a body are compared (internal ones are no one else's API).  On the
 * lattice proven < unknown < violated, any move up is a loss and any move
 * down a gain.  A function present only in OLD is `removed` and one only in
 * NEW `added`; neither is a loss unless --strict (a removal then breaks).
 *
 * Both databases are opened read-only through the properties-db module and
 * are never modified.  Output is sorted by (file, line, column, name,
 * property) so two runs over the same databases print the same bytes.
 *
 * Exit status: 0 nothing breaking, 1 a property was lost on a compared
 * function (with --only-annotated: only on functions that carry the
 * matching FNPROP_NOTLS / FNPROP_NOPANIC contract in either database),
 * 2 usage errors and databases that are missing, foreign, of another schema
 * version or unreadable.
 */
#ifndef FNPROP_DIFFCMD_H
#define FNPROP_DIFFCMD_H

/* The `diff` subcommand; argv[0] is "diff".  Returns the exit status. */
int df_main(int argc, char **argv);

#endif /* FNPROP_DIFFCMD_H */
