/* SPDX-License-Identifier: MIT */
/*
 * util.h - tiny helpers shared by several files (prefix util_).
 *
 * All static inline and free of library calls: fnprop reports each of them
 * once, at this header, however many translation units include it, and
 * proves them !tls and !panic.
 */
#ifndef TASKDEMO_UTIL_H
#define TASKDEMO_UTIL_H

#include <stddef.h>

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline long util_min(long a, long b) { return a < b ? a : b; }
static inline long util_max(long a, long b) { return a > b ? a : b; }

static inline int util_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline int util_is_digit(char c) { return c >= '0' && c <= '9'; }

/* FNV-1a over n bytes: stable across runs and platforms. */
static inline unsigned long util_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    unsigned long h = 2166136261ul;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h = (h * 16777619ul) & 0xfffffffful;
    }
    return h;
}

#endif /* TASKDEMO_UTIL_H */
