/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - libFuzzer harness for ut_buf_json, the one JSON string
 * encoder of every output (names, files, messages).
 *
 * Round trip: the output is one JSON string literal with no raw control
 * character, and decoding it (a strict decoder below) gives back the input
 * with each byte that is not part of a valid UTF-8 sequence replaced by
 * U+FFFD, the encoder's policy; valid UTF-8 (checked here against the
 * table of well-formed sequences, Unicode 15 table 3-7, not by the
 * encoder's own arithmetic) comes back byte for byte.  Also checks
 * ut_buf_printf and ut_buf_add against the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_hex(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Decodes the literal s[0..n) into out; returns its length or -1. */
static long fz_decode(const char *s, size_t n, char *out) {
  if (n < 2 || s[0] != '"' || s[n - 1] != '"') return -1;
  long k = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == '"') return -1;
    if (c != '\\') {
      out[k++] = (char)c;
      continue;
    }
    if (++i + 1 >= n) return -1;
    switch (s[i]) {
    case '"': out[k++] = '"'; break;
    case '\\': out[k++] = '\\'; break;
    case '/': out[k++] = '/'; break;
    case 'b': out[k++] = '\b'; break;
    case 'f': out[k++] = '\f'; break;
    case 'n': out[k++] = '\n'; break;
    case 'r': out[k++] = '\r'; break;
    case 't': out[k++] = '\t'; break;
    case 'u': {
      if (i + 5 >= n) return -1;
      int v = 0;
      for (int j = 1; j <= 4; j++) {
        int h = fz_hex(s[i + j]);
        if (h < 0) return -1;
        v = v * 16 + h;
      }
      if (v == 0xfffd) { /* the replacement of an invalid byte */
        memcpy(out + k, "\xef\xbf\xbd", 3);
        k += 3;
      } else if (v < 0x20 || v == 0x7f) { /* control characters */
        out[k++] = (char)v;
      } else {
        return -1;
      }
      i += 4;
      break;
    }
    default: return -1;
    }
  }
  return k;
}

/* Length of the well-formed UTF-8 sequence at p (n bytes left), 0 if none. */
static size_t fz_utf8(const unsigned char *p, size_t n) {
  static const struct {
    unsigned char lo, hi, lo2, hi2;
    size_t len;
  } t[] = {
      {0x00, 0x7f, 0, 0, 1},       {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3},
      {0xe1, 0xec, 0x80, 0xbf, 3}, {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3},
      {0xf0, 0xf0, 0x90, 0xbf, 4}, {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4},
  };
  for (size_t r = 0; r < sizeof t / sizeof t[0]; r++) {
    if (p[0] < t[r].lo || p[0] > t[r].hi) continue;
    if (t[r].len == 1) return 1;
    if (n < t[r].len || p[1] < t[r].lo2 || p[1] > t[r].hi2) return 0;
    for (size_t i = 2; i < t[r].len; i++)
      if (p[i] < 0x80 || p[i] > 0xbf) return 0;
    return t[r].len;
  }
  return 0;
}

/* What decoding the encoder's output must give: s with every byte outside
 * a well-formed sequence replaced by U+FFFD.  Returns its length. */
static size_t fz_expect(const char *s, size_t n, char *out) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    size_t len = fz_utf8((const unsigned char *)s + i, n - i);
    if (len) memcpy(out + k, s + i, len), k += len, i += len;
    else memcpy(out + k, "\xef\xbf\xbd", 3), k += 3, i++;
  }
  return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  size_t len = strlen(s); /* a C string ends at the first NUL */
  ut_buf b = {0};
  ut_buf_puts(&b, "x");
  ut_buf_json(&b, s);
  if (b.failed || !b.s || b.s[0] != 'x') abort();
  char *dec = malloc(b.n + 1), *want = malloc(3 * len + 1);
  long k = dec && want ? fz_decode(b.s + 1, b.n - 1, dec) : -2;
  size_t wn = want ? fz_expect(s, len, want) : 0;
  if (k == -1 || (k >= 0 && ((size_t)k != wn || memcmp(dec, want, wn) != 0))) abort();
  free(dec);
  free(want);
  ut_buf c = {0};
  ut_buf_printf(&c, "%s|%zu", s, len);
  ut_buf_add(&c, s, len);
  if (c.failed || c.n != 2 * len + 1 + (size_t)snprintf(NULL, 0, "%zu", len)) abort();
  if (memcmp(c.s, s, len) != 0 || memcmp(c.s + c.n - len, s, len) != 0) abort();
  (void)ut_hash_str(UT_HASH_INIT, s);
  (void)ut_hash_fast(data, size);
  ut_buf_free(&b);
  ut_buf_free(&c);
  free(s);
  return 0;
}
