/* SPDX-License-Identifier: MIT */
/*
 * log.c - per-thread log buffers and die().
 *
 * Each thread appends to its own buffer inside a _Thread_local struct, so
 * logging never locks; a line that does not fit is dropped, never cut.
 * This is exactly the state a migrating task must not touch: a task that
 * logs, yields and resumes on another thread would append to another
 * thread's buffer.  fnprop marks every caller of log_printf tls-violated.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "taskdemo.h"
#include "util.h"

struct log_buf {
    char name[16];
    size_t len;
    char text[4096];
};

static _Thread_local struct log_buf log_tls;

static const char *const log_names[] = { "debug", "info", "warn" };

const char *log_level_name(enum log_level l)
{
    return (size_t)l < UTIL_ARRAY_LEN(log_names) ? log_names[l] : "?";
}

void log_set_thread_name(const char *name)
{
    size_t i;

    for (i = 0; name[i] != '\0' && i + 1 < sizeof log_tls.name; i++)
        log_tls.name[i] = name[i];
    log_tls.name[i] = '\0';
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    struct log_buf *b = &log_tls;
    size_t start = b->len, room = sizeof b->text - b->len;
    va_list ap;
    int n, m;

    n = snprintf(b->text + start, room, "[%s] %s: ",
                 b->name[0] ? b->name : "main", log_level_name(level));
    if (n < 0 || (size_t)n >= room)
        return;
    va_start(ap, fmt);
    m = vsnprintf(b->text + start + n, room - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0 || (size_t)n + (size_t)m + 1 >= room)
        return;  /* the line does not fit: drop all of it */
    b->len = start + (size_t)n + (size_t)m;
    b->text[b->len++] = '\n';
    if (level >= LOG_WARN || b->len > sizeof b->text / 2)
        log_flush();
}

void log_flush(void)
{
    fwrite(log_tls.text, 1, log_tls.len, stderr);
    log_tls.len = 0;
}

_Noreturn void die(const char *fmt, ...)
{
    va_list ap;

    log_flush();
    fputs("taskdemo: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
