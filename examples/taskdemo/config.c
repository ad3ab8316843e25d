/* SPDX-License-Identifier: MIT */
/*
 * config.c - `key = value` configuration text; `#` starts a comment.
 *
 * Works on (pointer, length) slices of the caller's text, allocates
 * nothing.  Integers go through strtol and errno: config_load reads
 * thread-local state, so fnprop reports it tls-violated.
 */
#include <errno.h>
#include <stdlib.h>

#include "taskdemo.h"
#include "util.h"

/* Same name as the helper in expr.c: two distinct functions. */
static const char *skip_space(const char *s, const char *end)
{
    while (s < end && util_is_space(*s))
        s++;
    return s;
}

static int key_is(const char *k, size_t n, const char *key)
{
    size_t i;

    for (i = 0; i < n && key[i] != '\0'; i++)
        if (k[i] != key[i])
            return 0;
    return i == n && key[i] == '\0';
}

/* strtol with the errno dance: the classic hidden tls effect. */
static int parse_long(const char *s, const char *end, long *out)
{
    char buf[24], *stop;
    size_t n = (size_t)(end - s);

    if (n == 0 || n >= sizeof buf)
        return -1;
    for (size_t i = 0; i < n; i++)
        buf[i] = s[i];
    buf[n] = '\0';
    errno = 0;
    *out = strtol(buf, &stop, 10);
    return errno == ERANGE || *stop != '\0' ? -1 : 0;
}

void config_defaults(struct config *c)
{
    static const char expr[] = "(2 + 3) * 7 - 8 / (1 + 1)";

    c->workers = 2;
    c->jobs = 4;
    for (size_t i = 0; i < sizeof expr; i++)
        c->expr[i] = expr[i];
}

/* One line; 0 on success, -1 on a bad line. */
static int parse_line(struct config *c, const char *line, const char *end)
{
    const char *key = skip_space(line, end), *eq = key, *val;
    size_t klen;
    long v;

    if (key == end || *key == '#')
        return 0;
    while (eq < end && *eq != '=')
        eq++;
    if (eq == end)
        return -1;
    for (klen = (size_t)(eq - key); klen > 0 && util_is_space(key[klen - 1]); klen--)
        ;
    val = skip_space(eq + 1, end);
    while (end > val && util_is_space(end[-1]))
        end--;
    if (key_is(key, klen, "expr")) {
        size_t n = (size_t)(end - val);
        if (n >= sizeof c->expr)
            return -1;
        for (size_t i = 0; i < n; i++)
            c->expr[i] = val[i];
        c->expr[n] = '\0';
        return 0;
    }
    if (parse_long(val, end, &v) != 0)
        return -1;
    if (key_is(key, klen, "workers"))
        c->workers = util_max(1, util_min(v, WORKER_MAX));
    else if (key_is(key, klen, "jobs"))
        c->jobs = util_max(0, util_min(v, 64));
    else
        return -1;
    return 0;
}

int config_load(struct config *c, const char *text)
{
    for (int lineno = 1; *text != '\0'; lineno++) {
        const char *nl = text;

        while (*nl != '\0' && *nl != '\n')
            nl++;
        if (parse_line(c, text, nl) != 0)
            return lineno;
        text = *nl ? nl + 1 : nl;
    }
    return 0;
}
