/* SPDX-License-Identifier: MIT */
/* test_util.c - the support code every output relies on: the one JSON
 * string encoder and its UTF-8 policy. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "../check_run.h"

static char *json(const char *s) {
  ut_buf b = {0};
  ut_buf_json(&b, s);
  ut_buf_add(&b, "", 1);
  return b.s;
}

START_TEST(test_json_escaping) {
  char *s = json("a\"b\\c\n\t\r\x01\x1b\x7f" "\xc3\xa9" "\xff" "\xe2\x82");
  ck_assert_str_eq(s, "\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001b\\u007f\xc3\xa9\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xed\xa0\x80"); /* a UTF-16 surrogate is not UTF-8 */
  ck_assert_str_eq(s, "\"\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xc0\xaf" "\xf4\x90\x80\x80"); /* overlong '/', above U+10FFFF */
  ck_assert_str_eq(s, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
  free(s);
  s = json("\xfe\x85\x85" "\xf8\x88\x80\x80\x80"); /* F5..FF never start a sequence */
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
  TCase *tc = tcase_create("json");
  tcase_add_test(tc, test_json_escaping);
  tcase_add_test(tc, test_json_null_fails_the_buffer);
  suite_add_tcase(s, tc);
  return check_run(s);
}
