/* SPDX-License-Identifier: MIT */
/*
 * factstore.h - one TU's facts to and from the properties database
 * (prefix fs_).
 *
 * The facts cache seen from the analyzer: an ft_tu goes in as one row, its
 * encoded facts and header-search lookups (factblob), its diagnostics and
 * inputs; it comes back decoded and validated.  The database itself knows only its rows.
 */
#ifndef FNPROP_FACTSTORE_H
#define FNPROP_FACTSTORE_H

#include "facts.h"
#include "pdb.h"

/* Replaces the stored facts of (tu->file, flags_hash) in one transaction.
 * Returns 0, or -1 with the message in pdb_error(db). */
int fs_store_tu(pdb *db, const ft_tu *tu, const char *flags_hash);
/* Decodes every stored TU's facts, calling fn once per TU in (file, flags
 * hash) order; the ft_tu is destroyed after the call.  A damaged entry
 * stops the walk with -1 (pdb_error names it). */
int fs_each_tu(pdb *db, int (*fn)(void *arg, const ft_tu *tu), void *arg);
/* Same, also passing each TU's flags hash, and with `inputs` set the
 * recorded input files (what `fnprop merge` copies). */
int fs_each_tu_keyed(pdb *db, int inputs, int (*fn)(void *arg, const ft_tu *tu, const char *flags_hash), void *arg);

/* fs_each_tu in one read snapshot, giving its facts generation. */
int fs_each_tu_gen(pdb *db, int64_t *gen, int (*fn)(void *arg, const ft_tu *tu), void *arg);
/* Same, also passing each TU's flags hash (which compile entry it is: programs). */
int fs_each_tu_gen_keyed(pdb *db, int64_t *gen, int (*fn)(void *arg, const ft_tu *tu, const char *flags_hash),
                         void *arg);
/* The TU's header-search lookups into into->lookups (strings in its
 * arena): 1 when present and intact, 0 when missing or damaged, -1 on
 * error.  fs_touch_lookups stores confirmed ones (new watch identities). */
int fs_tu_lookups(pdb *db, int64_t tu, ft_tu *into);
int fs_touch_lookups(pdb *db, int64_t tu, const ft_lookups *l);

#endif /* FNPROP_FACTSTORE_H */
