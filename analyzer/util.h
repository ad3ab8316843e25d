/* SPDX-License-Identifier: MIT */
/*
 * util.h - support code shared by every stage (prefix ut_).
 *
 * Growable arrays, a string arena, a string-keyed hash map and a 64-bit
 * content hash.  Nothing here aborts: allocation failures are reported to
 * the caller (NULL or -1), and the arena keeps a sticky failure flag so a
 * producer can run to the end and check once at its boundary.
 */
#ifndef FNPROP_UTIL_H
#define FNPROP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- growable array: a struct with `T *v; size_t n, cap;` --------------- */
int ut_grow(void **v, size_t *cap, size_t need, size_t elem);
#define UT_PUSH(arr, val)                                                                                              \
  (((arr).n < (arr).cap || ut_grow((void **)&(arr).v, &(arr).cap, (arr).n + 1, sizeof *(arr).v) == 0)                  \
       ? ((arr).v[(arr).n++] = (val), 0)                                                                               \
       : -1)

/* ---- arena: many small strings freed at once ----------------------------- */
typedef struct ut_arena {
  struct ut_chunk *head;
  int failed;           /* sticky: an allocation failed */
} ut_arena;
void *ut_arena_alloc(ut_arena *a, size_t n);
/* Copies s (NULL gives ""); returns NULL and sets a->failed on failure. */
char *ut_arena_strdup(ut_arena *a, const char *s);
void ut_arena_free(ut_arena *a);

/* ---- string map: string key -> uint32 value, keys borrowed --------------- */
typedef struct ut_map {
  const char **keys;
  uint32_t *vals;
  size_t cap, n;
} ut_map;
/* Returns 1 and *val when found, 0 when absent. */
int ut_map_get(const ut_map *m, const char *key, uint32_t *val);
/* Inserts or replaces; the key must outlive the map.  Returns 0 or -1. */
int ut_map_put(ut_map *m, const char *key, uint32_t val);
void ut_map_free(ut_map *m);

/* ---- string buffer ------------------------------------------------------- */
typedef struct ut_buf {
  char *s;
  size_t n, cap;
  int failed;
} ut_buf;
void ut_buf_add(ut_buf *b, const char *s, size_t n);
void ut_buf_puts(ut_buf *b, const char *s);
void ut_buf_printf(ut_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends "a\x1fb": the key of a pair of strings (no string holds 0x1f). */
void ut_buf_pair(ut_buf *b, const char *a, const char *c);
/* Appends s as a JSON string literal (with quotes): the one JSON string
 * encoder of every output.  Control characters and DEL are escaped, valid
 * UTF-8 is copied, and each byte of an invalid sequence becomes U+FFFD, so
 * the document stays valid whatever bytes a path or name holds.  NULL marks
 * the buffer failed (a string lost to an earlier allocation failure). */
void ut_buf_json(ut_buf *b, const char *s);
void ut_buf_free(ut_buf *b);

/* ---- hashing ------------------------------------------------------------- */
/* 64-bit FNV-1a, chainable through `h` (start with UT_HASH_INIT). */
#define UT_HASH_INIT 0xcbf29ce484222325ULL
uint64_t ut_hash(uint64_t h, const void *p, size_t n);
uint64_t ut_hash_str(uint64_t h, const char *s);

/* Fast 64-bit hash of a buffer (not cryptographic): checksums against
 * damage, never the identity of content an adversary may choose. */
uint64_t ut_hash_fast(const void *p, size_t n);

/* ---- SHA-256 (FIPS 180-4): the identity of content ---------------------- */
#define UT_SHA256_LEN 32
typedef struct ut_sha256 {
  uint32_t h[8];
  uint64_t len;          /* bytes hashed so far */
  unsigned char buf[64];
  size_t nbuf;
} ut_sha256;
void ut_sha256_init(ut_sha256 *s);
void ut_sha256_update(ut_sha256 *s, const void *p, size_t n);
void ut_sha256_final(ut_sha256 *s, unsigned char out[UT_SHA256_LEN]);
/* One-shot digest of a buffer. */
void ut_sha256_buf(const void *p, size_t n, unsigned char out[UT_SHA256_LEN]);
/* Lowercase hex of a digest into out (2 * UT_SHA256_LEN + 1 bytes). */
void ut_sha256_hex(const unsigned char d[UT_SHA256_LEN], char *out);
/* Digest of a regular file's content; -1 when it cannot be read or is not a
 * regular file (never blocks on a FIFO or a device). */
int ut_sha256_file(const char *path, unsigned char out[UT_SHA256_LEN]);

/* ---- reading input files --------------------------------------------------
 * Every file fnprop reads because a configuration, a compile database or a
 * command line names it goes through ut_read_file: opened without blocking
 * (a FIFO or a device never hangs the run), accepted only when it is a
 * regular file, and at most `cap` bytes.  On failure returns -1 and writes
 * the reason (no file content) into why. */
int ut_read_file(const char *path, size_t cap, ut_buf *out, char *why, size_t whylen);
/* Opens a regular file for reading without blocking; -1 with errno set
 * (EINVAL: not a regular file). */
int ut_open_regular(const char *path);

/* Duplicates s with malloc; NULL on failure or when s is NULL. */
char *ut_strdup(const char *s);
/* Lexically normalizes an absolute path in place: removes "." and empty
 * components and resolves ".." (the result is never longer); a relative
 * path is left alone. */
void ut_normalize_path(char *p);
/* Path of `rel` relative to directory `base` when it lies below it, else `rel`. */
const char *ut_relpath(const char *path, const char *base);

#endif /* FNPROP_UTIL_H */
