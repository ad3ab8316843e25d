/* SPDX-License-Identifier: MIT */
/*
 * model.c - the built-in model: thread-identity and thread-local APIs, errno,
 * and the functions that end the program or unwind past their caller.
 *
 * Sorted by name for bsearch.  Reasoning for the less obvious entries:
 * - err/verr print strerror(errno) but never return, so only the panic
 *   counts; the same holds for error() (glibc), which exits on a nonzero
 *   status and is therefore a possible panic.
 * - longjmp and friends do not end the program but abandon every frame up
 *   to the setjmp: the caller never resumes normally, which is what !panic
 *   promises against.
 * - pthread_exit/thrd_exit end the calling thread (and run its TLS
 *   destructors): a panic for the task that calls them.
 * - __errno_location (glibc, musl), __error (BSD) and ___errno (Solaris)
 *   are what the errno macro expands to.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define TLS(n, k) {n, {k, FX_NONE}}
#define PANIC(n) {n, {FX_NONE, FX_PANIC_CALL}}

static const md_entry md_builtin[] = {
    PANIC("_Exit"),
    TLS("___errno", FX_ERRNO),
    PANIC("__assert"),
    PANIC("__assert_fail"),
    PANIC("__assert_perror_fail"),
    PANIC("__assert_rtn"),
    PANIC("__builtin_abort"),
    PANIC("__builtin_trap"),
    PANIC("__chk_fail"),
    TLS("__errno", FX_ERRNO),
    TLS("__errno_location", FX_ERRNO),
    TLS("__error", FX_ERRNO),
    PANIC("__fortify_fail"),
    PANIC("__longjmp_chk"),
    PANIC("__stack_chk_fail"),
    TLS("__tls_get_addr", FX_TLS_API),
    PANIC("_exit"),
    PANIC("_longjmp"),
    PANIC("abort"),
    PANIC("err"),
    PANIC("error"),
    PANIC("error_at_line"),
    PANIC("errx"),
    PANIC("exit"),
    TLS("gettid", FX_TLS_API),
    PANIC("longjmp"),
    PANIC("pthread_exit"),
    TLS("pthread_getspecific", FX_TLS_API),
    TLS("pthread_self", FX_TLS_API),
    TLS("pthread_setspecific", FX_TLS_API),
    PANIC("quick_exit"),
    TLS("sched_getcpu", FX_TLS_API),
    PANIC("siglongjmp"),
    TLS("thrd_current", FX_TLS_API),
    PANIC("thrd_exit"),
    TLS("tss_get", FX_TLS_API),
    TLS("tss_set", FX_TLS_API),
    PANIC("verr"),
    PANIC("verrx"),
};

static int md_cmp(const void *key, const void *elem) {
  return strcmp(key, ((const md_entry *)elem)->name);
}

const md_entry *md_lookup(const char *name) {
  return bsearch(name, md_builtin, sizeof md_builtin / sizeof md_builtin[0], sizeof md_builtin[0], md_cmp);
}
