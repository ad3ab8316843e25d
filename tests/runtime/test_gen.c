/* SPDX-License-Identifier: MIT */
/*
 * test_gen.c - the generated verdict table, end to end.
 *
 * Invariant under test: a table written by xc_write compiles with the
 * project's -Werror flags, FNPROP_RT_INIT() accepts it when the build passes
 * the same sources hash, and entries defined in a file compiled as
 * "./tests/runtime/test_gen.c" (a relative __FILE__) match rows naming the
 * absolute path through FNPROP_RT_FILE, given by the build.
 */
#include <check.h>

#include "../check_run.h"
#include <string.h>

#include "fnprop_rt.h"

static volatile int tg_sink;
static void gen_proven(void *a) { tg_sink = 1 + (a != 0); }
static void gen_unknown(void *a) { tg_sink = 2 + (a != 0); }
static void gen_violated(void *a) { tg_sink = 3 + (a != 0); }
static void gen_other_file(void *a) { tg_sink = 4 + (a != 0); }
FNPROP_RT_ENTRY(gen_proven);
FNPROP_RT_ENTRY(gen_unknown);
FNPROP_RT_ENTRY(gen_violated);
static void gen_stage3(void *a) { tg_sink = 5 + (a != 0); }
static void gen_stage3_unknown(void *a) { tg_sink = 6 + (a != 0); }
FNPROP_RT_ENTRY(gen_other_file);
FNPROP_RT_ENTRY(gen_stage3);
FNPROP_RT_ENTRY(gen_stage3_unknown);

START_TEST(generated_table_round_trip) {
  ck_assert(strncmp(__FILE__, "./", 2) == 0); /* the build compiles us as ./... */
  ck_assert_uint_eq(fnprop_rt_verdicts.abi, 2);
  ck_assert_uint_eq(fnprop_rt_verdicts.nrows, 8);
  ck_assert_uint_eq(fnprop_rt_verdicts.rows[6].tls, 2);
  ck_assert_uint_eq(fnprop_rt_verdicts.rows[6].migrate, 0);
  ck_assert_str_eq(fnprop_rt_verdicts.rows[3].file,
                   "/q/\"quoted\" dir/back\\slash/new\nline/caf\xc3\xa9/?\?=/x.c");
  ck_assert_str_eq(fnprop_rt_verdicts.rows[4].name, "we\"ird\\na\nme\xff");
  ck_assert_int_eq(FNPROP_RT_INIT(), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)gen_proven), 1);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_unknown), FNPROP_RT_PIN_UNKNOWN);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_violated), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_other_file), FNPROP_RT_PIN_NOMATCH);
  /* the default gate is migrate: stage 3 proven migrates, its unknown not */
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)gen_stage3), 1);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_stage3_unknown), FNPROP_RT_PIN_UNKNOWN);
  /* gated on tls, both are violated */
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_TLS), 0);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_stage3), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_stage3_unknown), FNPROP_RT_PIN_VIOLATED);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)gen_proven), 1);
  ck_assert_int_eq(fnprop_rt_set_migrate_on(FNPROP_RT_GATE_MIGRATE), 0);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)gen_stage3), 1);
}
END_TEST

START_TEST(changed_sources_make_the_table_stale) {
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&fnprop_rt_verdicts, FNPROP_RT_SOURCES_HASH "0"),
                   FNPROP_RT_STALE);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)gen_proven), 0);
  ck_assert_int_eq(fnprop_rt_why((const void *)gen_proven), FNPROP_RT_PIN_STALE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("generated-table");
  TCase *tc = tcase_create("round-trip");
  tcase_add_test(tc, generated_table_round_trip);
  tcase_add_test(tc, changed_sources_make_the_table_stale);
  suite_add_tcase(s, tc);
  return check_run(s);
}
