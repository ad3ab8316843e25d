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
 * - Compiler builtins that compute a value from their arguments (bit
 *   operations, overflow checks, branch hints, varargs bookkeeping) are
 *   clean for both properties: they compile to instructions, never to a
 *   library call with hidden state.  __builtin_unreachable is undefined
 *   behaviour when reached, not an abort, so it is clean too.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define TLS(n, k) {n, {k, FX_NONE}}
#define PANIC(n) {n, {FX_NONE, FX_PANIC_CALL}}
#define CLEAN(n) {n, {FX_NONE, FX_NONE}}

static const md_entry md_builtin[] = {
    PANIC("_Exit"),
    TLS("___errno", FX_ERRNO),
    PANIC("__assert"),
    PANIC("__assert_fail"),
    PANIC("__assert_perror_fail"),
    PANIC("__assert_rtn"),
    PANIC("__builtin_abort"),
    CLEAN("__builtin_add_overflow"),
    CLEAN("__builtin_alloca"),
    CLEAN("__builtin_assume"),
    CLEAN("__builtin_assume_aligned"),
    CLEAN("__builtin_bswap16"),
    CLEAN("__builtin_bswap32"),
    CLEAN("__builtin_bswap64"),
    CLEAN("__builtin_c23_va_start"),
    CLEAN("__builtin_classify_type"),
    CLEAN("__builtin_clz"),
    CLEAN("__builtin_clzl"),
    CLEAN("__builtin_clzll"),
    CLEAN("__builtin_constant_p"),
    CLEAN("__builtin_ctz"),
    CLEAN("__builtin_ctzl"),
    CLEAN("__builtin_ctzll"),
    CLEAN("__builtin_dynamic_object_size"),
    CLEAN("__builtin_expect"),
    CLEAN("__builtin_expect_with_probability"),
    CLEAN("__builtin_ffs"),
    CLEAN("__builtin_ffsl"),
    CLEAN("__builtin_ffsll"),
    CLEAN("__builtin_frame_address"),
    CLEAN("__builtin_mul_overflow"),
    CLEAN("__builtin_object_size"),
    CLEAN("__builtin_parity"),
    CLEAN("__builtin_parityl"),
    CLEAN("__builtin_parityll"),
    CLEAN("__builtin_popcount"),
    CLEAN("__builtin_popcountl"),
    CLEAN("__builtin_popcountll"),
    CLEAN("__builtin_prefetch"),
    CLEAN("__builtin_return_address"),
    CLEAN("__builtin_sub_overflow"),
    PANIC("__builtin_trap"),
    CLEAN("__builtin_unreachable"),
    CLEAN("__builtin_va_copy"),
    CLEAN("__builtin_va_end"),
    CLEAN("__builtin_va_start"),
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
