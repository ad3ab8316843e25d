/* SPDX-License-Identifier: MIT */
/*
 * factblob.h - the compact binary form of one TU's facts (prefix fb_).
 *
 * The properties database stores each TU's facts as one BLOB: writing and
 * reading one value is several times cheaper than tens of thousands of
 * rows, and the facts are only ever read whole (to fold them into the
 * graph).  Layout: the magic "FNF4", a string table (count, then length
 * and bytes of each distinct string), then each record array (count, then
 * records), every integer as an unsigned LEB128 varint and every string as
 * its table index.  After the fixed records come tagged, versioned,
 * length-prefixed sections a reader may skip; section 1 version 1 holds the
 * stage-3 flow facts (ft_tu.body_flow).  Decoding validates every count, index
 * and bound: a damaged blob gives NULL, never a crash.
 */
#ifndef FNPROP_FACTBLOB_H
#define FNPROP_FACTBLOB_H

#include <stddef.h>

#include "facts.h"
#include "util.h"

/* Appends the encoding of tu's functions, calls, indirect calls, addresses,
 * effects, polluted keys, flows, dropped flags and the stage-3 flow facts
 * (not inputs or diagnostics) to out.  Returns 0, or -1 when out of memory. */
int fb_encode(const ft_tu *tu, ut_buf *out);

/* Decodes into a new TU named (file, directory); NULL when the data is not
 * a valid encoding or memory runs out.  The caller owns the result. */
ft_tu *fb_decode(const void *data, size_t n, const char *file, const char *directory);

/* The header-search lookups of a TU (ft_lookups) in their own value:
 * they are rewritten alone when a run confirms them.  Encoding returns 0
 * or -1 (out of memory); decoding fills tu->lookups (strings in tu's
 * arena) and returns 0, or -1 when the data is not a valid encoding. */
int fb_encode_lookups(const ft_lookups *l, ut_buf *out);
int fb_decode_lookups(const void *data, size_t n, ft_tu *tu);

#endif /* FNPROP_FACTBLOB_H */
