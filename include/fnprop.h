/* SPDX-License-Identifier: MIT */
/*
 * fnprop.h - function-property contracts for the fnprop analyzer.
 *
 * Include this header and write a macro where an API boundary or a function
 * pointer needs a promise.  Under clang each macro becomes an
 * `annotate("fnprop:...")` attribute that fnprop reads from the AST; under
 * every other compiler it expands to nothing, so the header costs nothing and
 * changes no code generation anywhere.
 *
 * Properties are opt-out: where nothing is written, fnprop infers the
 * property from the body, and code it cannot see is assumed to have the
 * effect.
 *
 *   FNPROP_NOTLS        contract: never touches thread-local state.  Checked
 *                       where the function has a body; trusted on bodiless
 *                       declarations and on function-pointer typedefs,
 *                       fields, parameters and variables.
 *   FNPROP_NOPANIC      contract: never aborts the program.  Same rules.
 *   FNPROP_TLS          declares that external code touches thread-local
 *                       state (for declarations fnprop cannot see into).
 *   FNPROP_PANIC        declares that external code may abort.
 *   FNPROP_TASK         marks a task entry point (the runtime shim decides
 *                       whether it may migrate between threads); on a
 *                       function-pointer field, variable, parameter or
 *                       typedef, every function stored there is one.
 *   FNPROP_SPAWN(n)     marks a spawn function whose parameter n (1-based)
 *                       is a task entry point.
 *   FNPROP_YIELD        marks a suspension point (a function after which a
 *                       task may resume on another thread).
 *   FNPROP_MIGRATION_SAFE
 *                       on a thread-local variable: any thread's instance
 *                       will do (a per-thread cache or counter), so reading
 *                       or writing it is not a tls effect.
 *
 * Placement follows the attribute rules of GNU C: after the declarator of a
 * function declaration or definition, after a typedef, field, parameter or
 * variable declarator.  Example:
 *
 *   int parse(const char *s) FNPROP_NOTLS FNPROP_NOPANIC;
 *   typedef void (*job_fn)(void *) FNPROP_NOTLS;
 *   static _Thread_local unsigned hits FNPROP_MIGRATION_SAFE;
 *
 * The usual home of a contract is the declaration in the header, where
 * callers see it; a definition may also carry it before its specifiers
 * (`FNPROP_NOTLS int f(void) {`) or after its declarator.  Every form here
 * compiles silently with gcc and clang under -Wall -Wextra -Wpedantic
 * -Werror (tests/diag/macros.c).
 *
 * A broken contract is reported as fnprop-notls-violation or
 * fnprop-nopanic-violation (an error), an unprovable one as
 * fnprop-notls-unproven or fnprop-nopanic-unproven (a warning); see
 * docs/diagnostics.md for every check and how to suppress one with NOLINT.
 */
#ifndef FNPROP_H
#define FNPROP_H

#if defined(__clang__) && !defined(FNPROP_DISABLE)
#define FNPROP_ANNOTATE_(s)   __attribute__((annotate(s)))
#define FNPROP_STR_(x)        #x
#define FNPROP_XSTR_(x)       FNPROP_STR_(x)
#define FNPROP_NOTLS          FNPROP_ANNOTATE_("fnprop:notls")
#define FNPROP_NOPANIC        FNPROP_ANNOTATE_("fnprop:nopanic")
#define FNPROP_TLS            FNPROP_ANNOTATE_("fnprop:tls")
#define FNPROP_PANIC          FNPROP_ANNOTATE_("fnprop:panic")
#define FNPROP_TASK           FNPROP_ANNOTATE_("fnprop:task")
#define FNPROP_SPAWN(n)       FNPROP_ANNOTATE_("fnprop:spawn:" FNPROP_XSTR_(n))
#define FNPROP_YIELD          FNPROP_ANNOTATE_("fnprop:yield")
#define FNPROP_MIGRATION_SAFE FNPROP_ANNOTATE_("fnprop:migration-safe")
#else
#define FNPROP_NOTLS
#define FNPROP_NOPANIC
#define FNPROP_TLS
#define FNPROP_PANIC
#define FNPROP_TASK
#define FNPROP_SPAWN(n)
#define FNPROP_YIELD
#define FNPROP_MIGRATION_SAFE
#endif

#endif /* FNPROP_H */
