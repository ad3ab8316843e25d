/* SPDX-License-Identifier: MIT */
/*
 * util.c - growable arrays, arena, string map, buffers, hashing (FNV-1a,
 * a fast checksum, SHA-256) and non-blocking reading of input files.
 *
 * The map is open addressing with linear probing at load <= 1/2; keys are
 * borrowed, so the owner keeps them alive (usually in an arena).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  size_t len = p[0] >= 0xf0 && p[0] <= 0xf4   ? 4
               : p[0] >= 0xe0 && p[0] <= 0xef ? 3
               : p[0] >= 0xc2 && p[0] < 0xe0  ? 2
                                              : 0;
  if (!len || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  unsigned cp = len == 2   ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu)
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

/* ---- SHA-256, written from FIPS 180-4 section 6.2 ------------------------ */
static const uint32_t ut_sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ut_rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

/* One 512-bit block: the message schedule W, then 64 rounds. */
static void ut_sha_block(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = ut_rotr(w[t - 15], 7) ^ ut_rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = ut_rotr(w[t - 2], 17) ^ ut_rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = k + (ut_rotr(e, 6) ^ ut_rotr(e, 11) ^ ut_rotr(e, 25)) + ((e & f) ^ (~e & g)) + ut_sha_k[t] + w[t];
    uint32_t t2 = (ut_rotr(a, 2) ^ ut_rotr(a, 13) ^ ut_rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void ut_sha256_init(ut_sha256 *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->len = 0;
  s->nbuf = 0;
}

void ut_sha256_update(ut_sha256 *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->len += n;
  if (s->nbuf) {
    size_t take = 64 - s->nbuf < n ? 64 - s->nbuf : n;
    memcpy(s->buf + s->nbuf, p, take);
    s->nbuf += take, p += take, n -= take;
    if (s->nbuf < 64) return;
    ut_sha_block(s->h, s->buf);
    s->nbuf = 0;
  }
  for (; n >= 64; p += 64, n -= 64) ut_sha_block(s->h, p);
  memcpy(s->buf, p, n);
  s->nbuf = n;
}

/* Padding (5.1.1): a 1 bit, zeros, the message length in bits (64-bit BE). */
void ut_sha256_final(ut_sha256 *s, unsigned char out[UT_SHA256_LEN]) {
  uint64_t bits = s->len * 8;
  unsigned char pad[72] = {0x80};
  size_t npad = (s->nbuf < 56 ? 56 : 120) - s->nbuf;
  for (int i = 0; i < 8; i++) pad[npad + i] = (unsigned char)(bits >> (56 - 8 * i));
  ut_sha256_update(s, pad, npad + 8);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

void ut_sha256_buf(const void *p, size_t n, unsigned char out[UT_SHA256_LEN]) {
  ut_sha256 s;
  ut_sha256_init(&s);
  ut_sha256_update(&s, p, n);
  ut_sha256_final(&s, out);
}

void ut_sha256_hex(const unsigned char d[UT_SHA256_LEN], char *out) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < UT_SHA256_LEN; i++) out[2 * i] = hex[d[i] >> 4], out[2 * i + 1] = hex[d[i] & 15];
  out[2 * UT_SHA256_LEN] = '\0';
}

/* ---- reading input files ------------------------------------------------- */
int ut_open_regular(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int ut_sha256_file(const char *path, unsigned char out[UT_SHA256_LEN]) {
  int fd = ut_open_regular(path);
  if (fd < 0) return -1;
  ut_sha256 s;
  ut_sha256_init(&s);
  unsigned char chunk[65536];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) ut_sha256_update(&s, chunk, (size_t)n);
  close(fd);
  if (n < 0) return -1;
  ut_sha256_final(&s, out);
  return 0;
}

int ut_read_file(const char *path, size_t cap, ut_buf *out, char *why, size_t whylen) {
  int fd = ut_open_regular(path);
  if (fd < 0) {
    snprintf(why, whylen, "%s",
             errno == EINVAL ? "it is not a regular file (a FIFO, a device or a socket)" : strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > cap) {
    close(fd);
    snprintf(why, whylen, "it is larger than %zu bytes", cap);
    return -1;
  }
  char chunk[65536];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)) {
    if (n <= 0) continue;
    ut_buf_add(out, chunk, (size_t)n);
    if (out->n > cap) break; /* grew while being read */
  }
  int e = errno;
  close(fd);
  if (n < 0) snprintf(why, whylen, "%s", strerror(e));
  else if (out->failed) snprintf(why, whylen, "out of memory");
  else if (out->n > cap) snprintf(why, whylen, "it is larger than %zu bytes", cap);
  else return 0;
  return -1;
}

char *ut_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

void ut_normalize_path(char *p) {
  char *out = p, *in = p;
  if (p[0] != '/') return;
  while (*in) {
    while (*in == '/') in++;
    if (!*in) break;
    char *seg = in;
    while (*in && *in != '/') in++;
    size_t len = (size_t)(in - seg);
    if (len == 1 && seg[0] == '.') continue;
    if (len == 2 && seg[0] == '.' && seg[1] == '.') {
      while (out > p && *--out != '/') {}
      continue;
    }
    *out++ = '/';
    memmove(out, seg, len);
    out += len;
  }
  if (out == p) *out++ = '/';
  *out = '\0';
}

const char *ut_relpath(const char *path, const char *base) {
  size_t n = base ? strlen(base) : 0;
  if (n && strncmp(path, base, n) == 0 && path[n] == '/') return path + n + 1;
  return path;
}
