/* SPDX-License-Identifier: MIT */
/*
 * util.c - growable arrays, arena, string map, buffers and hashing.
 *
 * The map is open addressing with linear probing at load <= 1/2; keys are
 * borrowed, so the owner keeps them alive (usually in an arena).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int ut_grow(void **v, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap : 8;
  while (nc < need) nc *= 2;
  void *nv = realloc(*v, nc * elem);
  if (!nv) return -1;
  *v = nv;
  *cap = nc;
  return 0;
}

/* ---- arena ---------------------------------------------------------------- */
struct ut_chunk {
  struct ut_chunk *next;
  size_t used, size;
  _Alignas(max_align_t) char data[];
};

void *ut_arena_alloc(ut_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  struct ut_chunk *c = a->head;
  if (!c || c->size - c->used < n) {
    size_t size = n > 65536 ? n : 65536;
    c = malloc(sizeof *c + size);
    if (!c) {
      a->failed = 1;
      return NULL;
    }
    c->next = a->head;
    c->used = 0;
    c->size = size;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  return p;
}

char *ut_arena_strdup(ut_arena *a, const char *s) {
  if (!s) s = "";
  size_t n = strlen(s) + 1;
  char *p = ut_arena_alloc(a, n);
  if (p) memcpy(p, s, n);
  return p;
}

void ut_arena_free(ut_arena *a) {
  if (!a) return;
  struct ut_chunk *c = a->head;
  while (c) {
    struct ut_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
}

/* ---- map ------------------------------------------------------------------ */
static size_t ut_map_slot(const ut_map *m, const char *key) {
  size_t mask = m->cap - 1, i = (size_t)ut_hash_str(UT_HASH_INIT, key) & mask;
  while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & mask;
  return i;
}

int ut_map_get(const ut_map *m, const char *key, uint32_t *val) {
  if (!m->cap) return 0;
  size_t i = ut_map_slot(m, key);
  if (!m->keys[i]) return 0;
  *val = m->vals[i];
  return 1;
}

static int ut_map_rehash(ut_map *m, size_t cap) {
  ut_map nm = {calloc(cap, sizeof *nm.keys), malloc(cap * sizeof *nm.vals), cap, m->n};
  if (!nm.keys || !nm.vals) {
    free(nm.keys);
    free(nm.vals);
    return -1;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = ut_map_slot(&nm, m->keys[i]);
    nm.keys[j] = m->keys[i];
    nm.vals[j] = m->vals[i];
  }
  free(m->keys);
  free(m->vals);
  *m = nm;
  return 0;
}

int ut_map_put(ut_map *m, const char *key, uint32_t val) {
  if (2 * (m->n + 1) > m->cap && ut_map_rehash(m, m->cap ? 2 * m->cap : 64) < 0) return -1;
  size_t i = ut_map_slot(m, key);
  if (!m->keys[i]) {
    m->keys[i] = key;
    m->n++;
  }
  m->vals[i] = val;
  return 0;
}

void ut_map_free(ut_map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---- buffer --------------------------------------------------------------- */
void ut_buf_add(ut_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (ut_grow((void **)&b->s, &b->cap, b->n + n + 1, 1) < 0) {
    b->failed = 1;
    return;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

void ut_buf_puts(ut_buf *b, const char *s) { ut_buf_add(b, s, strlen(s)); }

void ut_buf_printf(ut_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if ((size_t)n < sizeof small) {
    ut_buf_add(b, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->failed = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  ut_buf_add(b, big, (size_t)n);
  free(big);
}

void ut_buf_pair(ut_buf *b, const char *a, const char *c) {
  ut_buf_puts(b, a);
  ut_buf_add(b, "\x1f", 1);
  ut_buf_puts(b, c);
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 when invalid:
 * overlong forms, surrogates and code points above U+10FFFF are invalid. */
static size_t ut_utf8_len(const unsigned char *p, size_t n) {
  if (p[0] < 0x80) return 1;
  size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 && p[0] <= 0xef ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
  if (!len || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  unsigned cp = len == 2 ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu)
                : len == 3 ? (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu)
                           : (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

void ut_buf_json(ut_buf *b, const char *s) {
  if (!s) { /* a string lost to an earlier allocation failure: fail, never crash */
    b->failed = 1;
    return;
  }
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  ut_buf_add(b, "\"", 1);
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c == '"') ut_buf_add(b, "\\\"", 2), i++;
    else if (c == '\\') ut_buf_add(b, "\\\\", 2), i++;
    else if (c == '\n') ut_buf_add(b, "\\n", 2), i++;
    else if (c == '\r') ut_buf_add(b, "\\r", 2), i++;
    else if (c == '\t') ut_buf_add(b, "\\t", 2), i++;
    else if (c < 0x20 || c == 0x7f) ut_buf_printf(b, "\\u%04x", c), i++;
    else {
      size_t len = ut_utf8_len(p + i, n - i);
      if (len) ut_buf_add(b, (const char *)p + i, len), i += len;
      else ut_buf_puts(b, "\\ufffd"), i++;
    }
  }
  ut_buf_add(b, "\"", 1);
}

void ut_buf_free(ut_buf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

/* ---- hashing -------------------------------------------------------------- */
uint64_t ut_hash(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t ut_hash_str(uint64_t h, const char *s) { return ut_hash(h, s, strlen(s) + 1); }

uint64_t ut_hash_fast(const void *p, size_t n) {
  const unsigned char *s = p;
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  uint64_t w = 0;
  memcpy(&w, s + i, n - i);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

int ut_hash_file(const char *path, uint64_t *out) {
  FILE *f = fopen(path, "rb");
  *out = 0;
  if (!f) return -1;
  ut_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) ut_buf_add(&b, chunk, n);
  int err = ferror(f) || b.failed;
  fclose(f);
  if (!err) *out = ut_hash_fast(b.s ? b.s : "", b.n);
  ut_buf_free(&b);
  return err ? -1 : 0;
}

char *ut_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

const char *ut_relpath(const char *path, const char *base) {
  size_t n = base ? strlen(base) : 0;
  if (n && strncmp(path, base, n) == 0 && path[n] == '/') return path + n + 1;
  return path;
}
