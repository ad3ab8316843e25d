/* SPDX-License-Identifier: MIT */
/*
 * test_identity.c - how a registration is paired with a verdict row.
 *
 * Invariant under test: an entry migrates only when its registration names
 * exactly the file the analysis saw (canonical path: symlinks resolved) and,
 * when the registering TU was built with a sources hash, that hash is the
 * table's.  This file is compiled with a relative __FILE__: no identity,
 * whatever row happens to end like it (pinned, counted, reported once).
 * rt_symlinked.c is compiled through a symlinked directory (absolute
 * __FILE__ through the link) and matches its real path; rt_override.c has a
 * relative __FILE__ but FNPROP_RT_FILE from the build (and the table's
 * sources hash); rt_stale.c was built with another sources hash.
 */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnprop_rt.h"

const void *rt_symlinked_entry(void);
const void *rt_override_entry(void);
const void *rt_override_stale_entry(void);

static volatile int ti_sink;
static void id_relative(void *a) { ti_sink = 1 + (a != 0); }
FNPROP_RT_ENTRY(id_relative);

static const fnprop_rt_row ti_rows[] = {
    /* Another checkout's file with the same tail: must not be taken for ours. */
    {"id_relative", "/some/other/checkout/" __FILE__, 0, 0, 0, 0},
    {"id_relative", "/" __FILE__, 0, 0, 0, 0},
    {"sym_task", RT_REAL_DIR "/rt_symlinked.c", 0, 0, 0, 0},
    {"override_task", RT_REAL_DIR "/rt_override.c", 0, 0, 0, 0},
    {"override_stale", RT_REAL_DIR "/rt_stale.c", 0, 0, 0, 0},
};
static const fnprop_rt_table ti_table = {FNPROP_RT_TABLE_ABI, "feedf00d", 5, ti_rows};

START_TEST(relative_file_never_matches) {
  char *text = NULL;
  size_t len = 0;
  FILE *log = open_memstream(&text, &len);
  fnprop_rt_set_log(log);
  ck_assert_int_eq(fnprop_rt_init(&ti_table, "feedf00d"), FNPROP_RT_OK);
  fclose(log);
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_may_migrate((const void *)id_relative), 0);
  ck_assert_int_eq(fnprop_rt_why((const void *)id_relative), FNPROP_RT_PIN_NOIDENTITY);
  /* Reported: counted, and one line naming the first such entry. */
  ck_assert_uint_eq(fnprop_rt_unmatched(), 1); /* id_relative (override_stale is stale, not unmatched) */
  ck_assert_ptr_nonnull(strstr(text, "[fnprop-rt-nomatch]"));
  ck_assert_ptr_nonnull(strstr(text, "id_relative"));
  ck_assert_ptr_null(strchr(strchr(text, '\n') + 1, '\n')); /* one line */
  free(text);
  fnprop_rt_shutdown();
}
END_TEST

START_TEST(symlinked_build_path_matches_the_real_path) {
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&ti_table, "feedf00d"), FNPROP_RT_OK);
  ck_assert_int_eq(fnprop_rt_why(rt_symlinked_entry()), FNPROP_RT_MIGRATE);
  fnprop_rt_shutdown();
}
END_TEST

START_TEST(build_identity_decides) {
  fnprop_rt_set_log(NULL);
  ck_assert_int_eq(fnprop_rt_init(&ti_table, "feedf00d"), FNPROP_RT_OK);
  /* FNPROP_RT_FILE from the build names the file although __FILE__ is relative. */
  ck_assert_int_eq(fnprop_rt_why(rt_override_entry()), FNPROP_RT_MIGRATE);
  /* Built against other sources than the table's analysis: stale, pinned. */
  ck_assert_int_eq(fnprop_rt_why(rt_override_stale_entry()), FNPROP_RT_PIN_STALE);
  fnprop_rt_shutdown();
}
END_TEST

int main(void) {
  Suite *s = suite_create("identity");
  TCase *tc = tcase_create("matching");
  tcase_add_test(tc, relative_file_never_matches);
  tcase_add_test(tc, symlinked_build_path_matches_the_real_path);
  tcase_add_test(tc, build_identity_decides);
  suite_add_tcase(s, tc);
  return check_run(s);
}
