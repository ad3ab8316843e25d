/* api.h - a small library interface. */
#ifndef API_H
#define API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Pure arithmetic: proven !tls and !panic. */
int api_add(int a, int b);
int api_scale(int x,
              int factor) __attribute__((const));

/* Aborts on bad input: proven !tls only. */
int api_checked(int x);

/* Reads a thread-local: proven !panic only. */
int api_counter(void);

/* Already declares its contract: nothing to suggest. */
int api_done(int x) __attribute__((annotate("fnprop:notls"))) __attribute__((annotate("fnprop:nopanic")));

/* Calls out of the program: unknown, nothing to suggest. */
size_t api_length(const char *s);

/* Internal linkage in a header: not an API, nothing to suggest. */
static inline int api_twice(int x) { return 2 * x; }

typedef int (*api_fn)(int);
int api_first(int a), api_second(int b);

#ifdef __cplusplus
}
#endif

#endif /* API_H */
