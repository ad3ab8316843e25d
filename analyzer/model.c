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
 *   are what the errno macro expands to; fnprop_rt_errno (runtime shim) is
 *   what it expands to under FNPROP_RT_FRESH_ERRNO.
 * - Compiler builtins that compute a value from their arguments (bit
 *   operations, overflow checks, branch hints, varargs bookkeeping) are
 *   clean for both properties: they compile to instructions, never to a
 *   library call with hidden state.  __builtin_unreachable is undefined
 *   behaviour when reached, not an abort, so it is clean too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

#define TLS(n, k)                                                                                                      \
  {                                                                                                                    \
    .name = n, .effect = { k, FX_NONE }                                                                                \
  }
#define PANIC(n)                                                                                                       \
  {                                                                                                                    \
    .name = n, .effect = { FX_NONE, FX_PANIC_CALL }                                                                    \
  }
#define CLEAN(n)                                                                                                       \
  {                                                                                                                    \
    .name = n, .effect = { FX_NONE, FX_NONE }                                                                          \
  }

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
    TLS("fnprop_rt_errno", FX_ERRNO),
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

static int md_cmp(const void *key, const void *elem) { return strcmp(key, ((const md_entry *)elem)->name); }

const md_entry *md_lookup(const char *name) {
  return bsearch(name, md_builtin, sizeof md_builtin / sizeof md_builtin[0], sizeof md_builtin[0], md_cmp);
}

/* ---- layered models ------------------------------------------------------- */
struct md_model {
  struct {
    md_entry *v;
    size_t n, cap;
  } e;
  ut_map index;        /* name -> entry */
  ut_arena arena;
};

static int md_put(md_model *m, const md_entry *src) {
  uint32_t i;
  if (ut_map_get(&m->index, src->name, &i)) {
    m->e.v[i] = *src;
    return 0;
  }
  if (UT_PUSH(m->e, *src) < 0) return -1;
  return ut_map_put(&m->index, m->e.v[m->e.n - 1].name, (uint32_t)(m->e.n - 1));
}

md_model *md_create(int library) {
  md_model *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  for (size_t i = 0; i < sizeof md_builtin / sizeof md_builtin[0]; i++) {
    md_entry e = md_builtin[i];
    e.origin_kind = VC_ORIGIN_BUILTIN;
    if (md_put(m, &e) < 0) goto fail;
  }
  char err[256];
  if (library && md_load_text(m, "models/libc.model", md_library_text, md_library_text_size, err, sizeof err) < 0)
    goto fail;
  if (library && md_load_text(m, "models/openmp.model", md_openmp_text, md_openmp_text_size, err, sizeof err) < 0)
    goto fail;
  return m;
fail:
  md_destroy(m);
  return NULL;
}

void md_destroy(md_model *m) {
  if (!m) return;
  free(m->e.v);
  ut_map_free(&m->index);
  ut_arena_free(&m->arena);
  free(m);
}

const md_entry *md_find(const md_model *m, const char *name) {
  uint32_t i;
  return ut_map_get(&m->index, name, &i) ? &m->e.v[i] : NULL;
}

uint64_t md_hash(const md_model *m) {
  ut_sha256 s;
  ut_sha256_init(&s);
  for (size_t i = 0; i < m->e.n; i++) {
    const md_entry *e = &m->e.v[i];
    uint32_t v[14] = {e->effect[0],  e->effect[1],   e->calls,   e->spawns,
                      e->defers,     e->transparent, e->nostore, e->copies,
                      e->pool[0],    e->pool[1],     e->pool[2], (uint32_t)e->runs | (uint32_t)e->flags << 8,
                      e->task_entry, e->yield};
    ut_sha256_update(&s, e->name, strlen(e->name) + 1);
    ut_sha256_update(&s, v, sizeof v);
  }
  unsigned char d[UT_SHA256_LEN];
  ut_sha256_final(&s, d);
  uint64_t h = 0;
  for (int i = 0; i < 8; i++) h = h << 8 | d[i];
  return h;
}

/* ---- the text format ------------------------------------------------------ */
typedef struct md_parse {
  md_model *m;
  const char *origin;
  unsigned line;
  char *err;
  size_t errlen;
  ut_map seen;         /* names of this file -> line */
  int model;           /* an entry parsed: the text is a model, its words
                may be quoted in messages */
} md_parse;

static int md_error(md_parse *p, unsigned col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int md_error(md_parse *p, unsigned col, const char *fmt, ...) {
  char msg[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(p->err, p->errlen, "%s:%u:%u: %s", p->origin, p->line, col, msg);
  return -1;
}

static const struct {
  const char *word;
  fx_kind kind;
  uint8_t transparent;
} md_tls_words[] =
    {
        {"clean", FX_NONE, 0},      {"transparent", FX_NONE, 1}, {"errno", FX_ERRNO, 0},
        {"state", FX_TLS_STATE, 0}, {"api", FX_TLS_API, 0},      {"unknown", FX_MODEL_UNKNOWN, 0},
},
  md_panic_words[] = {
      {"clean", FX_NONE, 0},
      {"panic", FX_PANIC_CALL, 0},
      {"unknown", FX_MODEL_UNKNOWN, 0},
};

static int md_is_ident(const char *s) {
  if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return 0;
  for (; *s; s++)
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))) return 0;
  return 1;
}

/* Parses "N[,M...]" of argument numbers lo..32 into a bit mask: bit n-1
 * for argument n, or bit n when lo is 0 (argument 0 is the result). */
static int md_arg_list(const char *s, uint32_t *mask, int lo) {
  while (*s) {
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (end == s || errno || n < lo || n > (lo ? 32 : 31)) return -1;
    *mask |= 1u << (lo ? n - 1 : n);
    if (*end == ',') end++;
    else if (*end) return -1;
    s = end;
  }
  return 0;
}

static const struct {
  const char *word;
  uint8_t runs, flags;
} md_flag_words[] = {
    {"raises", 1u << MD_POOL_SIGNAL, 0}, {"switches", 1u << MD_POOL_CONTEXT, 0}, {"stream", 1u << MD_POOL_STREAM, 0},
    {"cancels", 0, MD_CANCELS},          {"cancelpoint", 0, MD_CANCELPOINT},     {"foreign", 0, MD_FOREIGN},
};

static int md_option(md_parse *p, md_entry *e, char *tok, unsigned col) {
  if (!strcmp(tok, "yield")) { /* a flag: the function is a suspension point */
    e->yield = 1;
    return 0;
  }
  char *eq = strchr(tok, '=');
  for (size_t i = 0; !eq && i < sizeof md_flag_words / sizeof md_flag_words[0]; i++)
    if (!strcmp(tok, md_flag_words[i].word)) {
      e->runs |= md_flag_words[i].runs;
      e->flags |= md_flag_words[i].flags;
      return 0;
    }
  if (!eq) return md_error(p, col, "option '%s' is not of the form key=N[,N...] or a known flag", tok);
  *eq = '\0';
  uint32_t *mask = !strcmp(tok, "calls")        ? &e->calls
                   : !strcmp(tok, "spawns")     ? &e->spawns
                   : !strcmp(tok, "defers")     ? &e->defers
                   : !strcmp(tok, "nostore")    ? &e->nostore
                   : !strcmp(tok, "copies")     ? &e->copies
                   : !strcmp(tok, "handler")    ? &e->pool[MD_POOL_SIGNAL]
                   : !strcmp(tok, "entry")      ? &e->pool[MD_POOL_CONTEXT]
                   : !strcmp(tok, "cookie")     ? &e->pool[MD_POOL_STREAM]
                   : !strcmp(tok, "task-entry") ? &e->task_entry
                                                : NULL;
  if (!mask)
    return md_error(p, col,
                    "unknown option '%s' (expected calls=, spawns=, defers=, nostore=, copies=, handler=, entry=, "
                    "cookie= or task-entry=)",
                    tok);
  int lo = mask == &e->nostore ? 0 : 1;
  if (md_arg_list(eq + 1, mask, lo) < 0)
    return md_error(p, col + (unsigned)(eq - tok) + 1,
                    lo ? "bad argument list '%s' (expected 1-based argument numbers up to 32, separated by commas)"
                       : "bad argument list '%s' (expected argument numbers 0 (the result) to 31, separated by commas)",
                    eq + 1);
  return 0;
}

/* Splits the line in place into whitespace-separated tokens (max 16). */
static int md_tokens(char *line, char **tok, unsigned *col, int max) {
  int n = 0;
  char *s = line;
  while (*s) {
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    if (!*s) break;
    if (n == max) return -1;
    tok[n] = s;
    col[n++] = (unsigned)(s - line) + 1;
    while (*s && *s != ' ' && *s != '\t' && *s != '\r') s++;
    if (*s) *s++ = '\0';
  }
  return n;
}

static int md_line(md_parse *p, char *line) {
  char *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  char *tok[16];
  unsigned col[16];
  int n = md_tokens(line, tok, col, 16);
  if (n == 0) return 0;
  if (n < 0) return md_error(p, 1, "%s", "too many fields on one line");
  /* Until an entry parsed, the text may be any file (a credentials file
   * named as a model): say where it fails, never what it says. */
  if (!md_is_ident(tok[0]))
    return p->model ? md_error(p, col[0], "'%s' is not a function name", tok[0])
                    : md_error(p, col[0], "%s",
                               "the first field is not a function name; is this a model file "
                               "(docs/models.md)?");
  if (n < 3)
    return p->model ? md_error(p, col[0], "entry for '%s' needs a tls and a panic column", tok[0])
                    : md_error(p, col[0], "%s",
                               "an entry needs a name, a tls and a panic column; is this a model "
                               "file (docs/models.md)?");
  md_entry e = {0};
  int t = -1, q = -1;
  for (size_t i = 0; i < sizeof md_tls_words / sizeof md_tls_words[0]; i++)
    if (!strcmp(tok[1], md_tls_words[i].word)) t = (int)i;
  for (size_t i = 0; i < sizeof md_panic_words / sizeof md_panic_words[0]; i++)
    if (!strcmp(tok[2], md_panic_words[i].word)) q = (int)i;
  if (t < 0 && !p->model)
    return md_error(p, col[1], "%s", "unknown tls kind (expected clean, transparent, errno, state, api or unknown)");
  if (t < 0)
    return md_error(p, col[1], "unknown tls kind '%s' (expected clean, transparent, errno, state, api or unknown)",
                    tok[1]);
  if (q < 0 && !p->model) return md_error(p, col[2], "%s", "unknown panic kind (expected clean, panic or unknown)");
  if (q < 0) return md_error(p, col[2], "unknown panic kind '%s' (expected clean, panic or unknown)", tok[2]);
  e.effect[VD_TLS] = md_tls_words[t].kind;
  e.transparent = md_tls_words[t].transparent;
  e.effect[VD_PANIC] = md_panic_words[q].kind;
  for (int i = 3; i < n; i++)
    if (md_option(p, &e, tok[i], col[i]) < 0) return -1;
  uint32_t prev;
  if (ut_map_get(&p->seen, tok[0], &prev)) {
    char what[160];
    snprintf(what, sizeof what, "'%s' is already modeled on line %u of this file", tok[0], prev);
    return md_error(p, col[0], "%s", what);
  }
  char where[64];
  snprintf(where, sizeof where, ":%u", p->line);
  ut_buf o = {0};
  ut_buf_puts(&o, p->origin);
  ut_buf_puts(&o, where);
  e.name = ut_arena_strdup(&p->m->arena, tok[0]);
  e.origin_kind = VC_ORIGIN_MODEL;
  e.origin = o.failed ? NULL : ut_arena_strdup(&p->m->arena, o.s);
  ut_buf_free(&o);
  if (!e.name || !e.origin || ut_map_put(&p->seen, e.name, p->line) < 0 || md_put(p->m, &e) < 0)
    return md_error(p, 1, "%s", "out of memory");
  p->model = 1;
  return 0;
}

int md_load_text(md_model *m, const char *origin, const char *text, size_t len, char *err, size_t errlen) {
  md_parse p = {m, origin, 0, err, errlen, {0}, 0};
  char *buf = malloc(len + 1);
  if (!buf) {
    snprintf(err, errlen, "%s: out of memory", origin);
    return -1;
  }
  memcpy(buf, text, len);
  buf[len] = '\0';
  int rc = 0;
  if (memchr(buf, '\0', len)) {
    p.line = 1;
    rc = md_error(&p, 1, "%s", "binary data (a NUL byte) in a model file");
  }
  char *s = buf;
  while (rc == 0 && s < buf + len) {
    char *nl = strchr(s, '\n');
    if (nl) *nl = '\0';
    p.line++;
    rc = md_line(&p, s);
    s = nl ? nl + 1 : buf + len;
  }
  ut_map_free(&p.seen);
  free(buf);
  return rc;
}

/* Model files are small; a FIFO, a device or a huge file is refused
 * without blocking or reading it. */
enum { MD_MAX_BYTES = 64 << 20 };

int md_load_file(md_model *m, const char *path, char *err, size_t errlen) {
  ut_buf b = {0};
  char why[256];
  int rc = ut_read_file(path, MD_MAX_BYTES, &b, why, sizeof why) < 0
               ? (snprintf(err, errlen, "%s: cannot read model file: %s", path, why), -1)
               : md_load_text(m, path, b.s ? b.s : "", b.n, err, errlen);
  ut_buf_free(&b);
  return rc;
}
