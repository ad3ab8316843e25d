/* SPDX-License-Identifier: MIT */
/* test_util.c - the support code every stage relies on: SHA-256 against
 * the NIST example vectors (FIPS 180-4 / CSRC "SHA256.pdf",
 * "SHA256ShortMsg"), streaming in every chunk size, reading input files
 * that are FIFOs, devices, directories or too large; and the one JSON
 * string encoder of every output with its UTF-8 policy. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check_run.h"
#include "util.h"

static void hex_of(const void *p, size_t n, char out[65]) {
  unsigned char d[UT_SHA256_LEN];
  ut_sha256_buf(p, n, d);
  ut_sha256_hex(d, out);
}

START_TEST(test_nist_vectors) {
  static const struct {
    const char *msg, *digest;
  } v[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrst"
       "u",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    char h[65];
    hex_of(v[i].msg, strlen(v[i].msg), h);
    ck_assert_str_eq(h, v[i].digest);
  }
  /* One million 'a' (the long message of the NIST examples), fed unevenly. */
  ut_sha256 s;
  ut_sha256_init(&s);
  char a[1000];
  memset(a, 'a', sizeof a);
  size_t left = 1000000, step = 1;
  while (left) {
    size_t n = step < left ? step : left;
    ut_sha256_update(&s, a, n);
    left -= n;
    step = step % 997 + 1;
  }
  unsigned char d[UT_SHA256_LEN];
  char h[65];
  ut_sha256_final(&s, d);
  ut_sha256_hex(d, h);
  ck_assert_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Every length around the padding boundaries, streamed in two pieces at
 * every split point, equals the one-shot digest. */
START_TEST(test_streaming_equals_oneshot) {
  unsigned char msg[200];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (unsigned char)(i * 7 + 3);
  for (size_t n = 0; n <= sizeof msg; n++) {
    unsigned char one[UT_SHA256_LEN];
    ut_sha256_buf(msg, n, one);
    for (size_t cut = 0; cut <= n; cut += (n > 130 ? 7 : 1)) {
      ut_sha256 s;
      unsigned char two[UT_SHA256_LEN];
      ut_sha256_init(&s);
      ut_sha256_update(&s, msg, cut);
      ut_sha256_update(&s, msg + cut, n - cut);
      ut_sha256_final(&s, two);
      ck_assert_mem_eq(one, two, UT_SHA256_LEN);
    }
  }
}
END_TEST

START_TEST(test_read_file_refuses_non_regular) {
  char dir[] = "/tmp/fnprop-util.XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char fifo[64], big[64], ok[64];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  snprintf(big, sizeof big, "%s/big", dir);
  snprintf(ok, sizeof ok, "%s/ok", dir);
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  FILE *f = fopen(big, "w");
  for (int i = 0; i < 5000; i++) fputc('x', f);
  fclose(f);
  f = fopen(ok, "w");
  fputs("abc", f);
  fclose(f);
  char why[256];
  const char *bad[] = {fifo, "/dev/zero", "/dev/null", dir};
  for (size_t i = 0; i < 4; i++) { /* returns at once, never blocks */
    ut_buf b = {0};
    ck_assert_int_eq(ut_read_file(bad[i], 1 << 20, &b, why, sizeof why), -1);
    ck_assert_ptr_null(strstr(why, "Success"));
    ut_buf_free(&b);
    unsigned char d[UT_SHA256_LEN];
    ck_assert_int_eq(ut_sha256_file(bad[i], d), -1);
  }
  ut_buf b = {0};
  ck_assert_int_eq(ut_read_file(big, 4096, &b, why, sizeof why), -1);
  ck_assert_ptr_nonnull(strstr(why, "larger than 4096"));
  ut_buf_free(&b);
  ck_assert_int_eq(ut_read_file(ok, 4096, &b, why, sizeof why), 0);
  ck_assert_str_eq(b.s, "abc");
  ut_buf_free(&b);
  unsigned char d[UT_SHA256_LEN];
  char h[65];
  ck_assert_int_eq(ut_sha256_file(ok, d), 0);
  ut_sha256_hex(d, h);
  ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  unlink(fifo);
  unlink(big);
  unlink(ok);
  rmdir(dir);
}
END_TEST

static char *json(const char *s) {
  ut_buf b = {0};
  ut_buf_json(&b, s);
  ut_buf_add(&b, "", 1);
  return b.s;
}

START_TEST(test_json_escaping) {
  char *s = json("a\"b\\c\n\t\r\x01\x1b\x7f"
                 "\xc3\xa9"
                 "\xff"
                 "\xe2\x82");
  ck_assert_str_eq(s, "\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001b\\u007f\xc3\xa9\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xed\xa0\x80"); /* a UTF-16 surrogate is not UTF-8 */
  ck_assert_str_eq(s, "\"\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xc0\xaf"
           "\xf4\x90\x80\x80"); /* overlong '/', above U+10FFFF */
  ck_assert_str_eq(s, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xfe\x85\x85"
           "\xf8\x88\x80\x80\x80"); /* F5..FF never start a sequence */
  ck_assert_str_eq(s, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xf0\x9f\x98\x80 \xe2\x82\xac"); /* U+1F600, U+20AC stay as they are */
  ck_assert_str_eq(s, "\"\xf0\x9f\x98\x80 \xe2\x82\xac\"");
  free(s);
}
END_TEST

START_TEST(test_json_null_fails_the_buffer) {
  ut_buf b = {0};
  ut_buf_json(&b, NULL);
  ck_assert(b.failed);
  ut_buf_free(&b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("util");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_nist_vectors);
  tcase_add_test(tc, test_streaming_equals_oneshot);
  tcase_add_test(tc, test_read_file_refuses_non_regular);
  tcase_add_test(tc, test_json_escaping);
  tcase_add_test(tc, test_json_null_fails_the_buffer);
  suite_add_tcase(s, tc);
  return check_run(s);
}
