/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - libFuzzer harness for ut_buf_json, the escaping of every
 * string fnprop writes into JSON (names, files, messages).
 *
 * Round trip: the output is one JSON string literal with no raw control
 * character, and decoding it (a strict decoder below) gives back the input
 * bytes exactly.  Bytes >= 0x80 are passed through unchanged (file names
 * are bytes; valid UTF-8 in, valid UTF-8 out).  Also checks ut_buf_printf
 * and ut_buf_add against the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fz_hex(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
      if (v >= 0x20 && v != 0x7f) return -1; /* only control characters are \u-escaped */
      out[k++] = (char)v;
      i += 4;
      break;
    }
    default: return -1;
    }
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
  char *dec = malloc(b.n + 1);
  long k = dec ? fz_decode(b.s + 1, b.n - 1, dec) : -2;
  if (k == -1 || (k >= 0 && ((size_t)k != len || memcmp(dec, s, len) != 0))) abort();
  free(dec);
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
