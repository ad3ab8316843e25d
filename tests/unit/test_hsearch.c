/* SPDX-License-Identifier: MIT */
/* test_hsearch.c - recording what header search looked for and checking it
 * again on real directories: a header created in an earlier directory or a
 * new subdirectory, a retargeted symlink and a removed file make the
 * lookups stale; an unrelated new file only refreshes the watched
 * identities; the lookups survive their blob encoding; the text scan finds
 * directive, define and __has_include names and flags #embed. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../check_run.h"
#include "factblob.h"
#include "hsearch.h"

static char root[64];

static void path_of(char *out, size_t n, const char *rel) { snprintf(out, n, "%s/%s", root, rel); }

static void touch(const char *rel) {
  char p[256];
  path_of(p, sizeof p, rel);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fputs("int x;\n", f);
  fclose(f);
}

static void mkdir_rel(const char *rel) {
  char p[256];
  path_of(p, sizeof p, rel);
  ck_assert_int_eq(mkdir(p, 0755), 0);
}

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Lookups of names x.h and sys/y.h in inc1, inc2 (x.h in inc2, sys/y.h
 * in inc2/sys), recorded a while after the directories were made. */
static ft_tu *record(void) {
  ft_tu *tu = ft_tu_create("/m.c", "/");
  hs_builder b;
  hs_builder_init(&b, tu);
  char d[256];
  path_of(d, sizeof d, "inc1");
  hs_add_dir(&b, d);
  path_of(d, sizeof d, "inc2/");
  hs_add_dir(&b, d);
  hs_parse_begins(&b);
  hs_add_name(&b, "x.h");
  hs_add_name(&b, "sys/y.h");
  ck_assert_int_eq(hs_finish(&b, now_ns(), NULL), 0);
  hs_builder_free(&b);
  ck_assert_uint_eq(tu->lookups.flags, 0);
  return tu;
}

static int check(ft_tu *tu, int *refresh) {
  hs_cache c = {0};
  int rc = hs_check(&c, &tu->lookups, &tu->arena, refresh);
  hs_cache_free(&c);
  return rc;
}

static void setup(void) {
  snprintf(root, sizeof root, "/tmp/fnprop-hs.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(root));
  mkdir_rel("inc1");
  mkdir_rel("inc2");
  mkdir_rel("inc2/sys");
  touch("inc2/x.h");
  touch("inc2/sys/y.h");
  usleep(200000); /* older than the recording's racy margin */
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  ck_assert_int_eq(system(cmd), 0);
}

START_TEST(unchanged_is_fresh_without_probing) {
  ft_tu *tu = record();
  ck_assert_uint_eq(tu->lookups.hits.n, 2);
  int refresh = -1;
  ck_assert_int_eq(check(tu, &refresh), 1);
  ck_assert_int_eq(refresh, 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(earlier_header_is_stale) {
  ft_tu *tu = record();
  touch("inc1/x.h");
  int refresh;
  ck_assert_int_eq(check(tu, &refresh), 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(new_subdirectory_is_stale) {
  ft_tu *tu = record();
  mkdir_rel("inc1/sys");
  int refresh;
  ck_assert_int_eq(check(tu, &refresh), 1); /* an empty new directory changes nothing */
  ck_assert_int_eq(refresh, 1);
  touch("inc1/sys/y.h"); /* inside the new directory, now watched */
  ck_assert_int_eq(check(tu, &refresh), 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(unrelated_file_refreshes) {
  ft_tu *tu = record();
  touch("inc2/a.o");
  int refresh;
  ck_assert_int_eq(check(tu, &refresh), 1); /* changed just now: re-probed, kept "always re-probe" */
  ck_assert_int_eq(refresh, 1);
  usleep(100000);
  ck_assert_int_eq(check(tu, &refresh), 1); /* older now: its identity is stored */
  ck_assert_int_eq(refresh, 1);
  ck_assert_int_eq(check(tu, &refresh), 1); /* and holds */
  ck_assert_int_eq(refresh, 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(retargeted_symlink_and_removal_are_stale) {
  char a[256], b[256], l[256];
  path_of(a, sizeof a, "inc1/real_a.h");
  path_of(b, sizeof b, "inc1/real_b.h");
  path_of(l, sizeof l, "inc1/z.h");
  touch("inc1/real_a.h");
  touch("inc1/real_b.h");
  ck_assert_int_eq(symlink("real_a.h", l), 0);
  usleep(200000);
  ft_tu *tu = ft_tu_create("/m.c", "/");
  hs_builder hb;
  hs_builder_init(&hb, tu);
  char d[256];
  path_of(d, sizeof d, "inc1");
  hs_add_dir(&hb, d);
  hs_parse_begins(&hb);
  hs_add_name(&hb, "z.h");
  ck_assert_int_eq(hs_finish(&hb, now_ns(), NULL), 0);
  hs_builder_free(&hb);
  int refresh;
  ck_assert_int_eq(check(tu, &refresh), 1);
  unlink(l);
  ck_assert_int_eq(symlink("real_b.h", l), 0);
  ck_assert_int_eq(check(tu, &refresh), 0);
  unlink(l);
  ck_assert_int_eq(check(tu, &refresh), 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(change_during_the_parse_is_racy) {
  ft_tu *tu = ft_tu_create("/m.c", "/");
  hs_builder b;
  hs_builder_init(&b, tu);
  char d[256];
  path_of(d, sizeof d, "inc1");
  hs_add_dir(&b, d); /* snapshotted before the parse */
  hs_parse_begins(&b);
  int64_t start = now_ns();
  touch("inc1/appeared-meanwhile.h");
  hs_add_name(&b, "x.h");
  ck_assert_int_eq(hs_finish(&b, start, NULL), 0);
  hs_builder_free(&b);
  ck_assert(tu->lookups.flags & FT_LK_RACY);
  int refresh;
  ck_assert_int_eq(check(tu, &refresh), 0);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(blob_roundtrip) {
  ft_tu *tu = record();
  ut_buf blob = {0};
  ck_assert_int_eq(fb_encode_lookups(&tu->lookups, &blob), 0);
  ft_tu *back = ft_tu_create("/m.c", "/");
  ck_assert_int_eq(fb_decode_lookups(blob.s, blob.n, back), 0);
  ck_assert_uint_eq(back->lookups.dirs.n, tu->lookups.dirs.n);
  ck_assert_uint_eq(back->lookups.names.n, tu->lookups.names.n);
  ck_assert_uint_eq(back->lookups.hits.n, tu->lookups.hits.n);
  ck_assert_uint_eq(back->lookups.watches.n, tu->lookups.watches.n);
  for (size_t i = 0; i < back->lookups.watches.n; i++) {
    ck_assert_str_eq(back->lookups.watches.v[i].path, tu->lookups.watches.v[i].path);
    ck_assert(back->lookups.watches.v[i].ident == tu->lookups.watches.v[i].ident);
  }
  int refresh;
  ck_assert_int_eq(check(back, &refresh), 1);
  /* Every truncation and every single-byte change is rejected or decodes
   * to something the checker can use; never a crash. */
  for (size_t n = 0; n < blob.n; n++) ck_assert_int_eq(fb_decode_lookups(blob.s, n, back), -1);
  for (size_t i = 0; i < blob.n; i++) {
    blob.s[i] ^= 0x41;
    (void)fb_decode_lookups(blob.s, blob.n, back);
    blob.s[i] ^= 0x41;
  }
  ut_buf_free(&blob);
  ft_tu_destroy(back);
  ft_tu_destroy(tu);
}
END_TEST

START_TEST(text_scan) {
  ft_tu *tu = ft_tu_create("/m.c", "/");
  hs_builder b;
  hs_builder_init(&b, tu);
  static const char text[] = "  #  include <a.h>\n#include_next \"b.h\"\n#define HDR <c/d.h>\n"
                             "#define F(x) <not.h>\n#if __has_include(<e.h>) && defined(__has_include)\n"
                             "#endif\n#include HDR\n";
  hs_scan_text(&b, text, sizeof text - 1);
  ck_assert_uint_eq(tu->lookups.flags, 0);
  const char *want[] = {"a.h", "b.h", "c/d.h", "e.h"};
  ck_assert_uint_eq(tu->lookups.names.n, 4);
  for (int i = 0; i < 4; i++) ck_assert_str_eq(tu->lookups.names.v[i], want[i]);
  hs_scan_text(&b, "#if __has_include(MACRO)\n", 25);
  ck_assert(tu->lookups.flags & FT_LK_MACRO_NAME);
  hs_scan_text(&b, "const char d[] = {\n#embed \"data.bin\"\n};\n", 40);
  ck_assert(tu->lookups.flags & FT_LK_EMBED);
  hs_builder_free(&b);
  ft_tu_destroy(tu);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hsearch");
  TCase *tc = tcase_create("lookups");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, unchanged_is_fresh_without_probing);
  tcase_add_test(tc, earlier_header_is_stale);
  tcase_add_test(tc, new_subdirectory_is_stale);
  tcase_add_test(tc, unrelated_file_refreshes);
  tcase_add_test(tc, retargeted_symlink_and_removal_are_stale);
  tcase_add_test(tc, change_during_the_parse_is_racy);
  tcase_add_test(tc, blob_roundtrip);
  tcase_add_test(tc, text_scan);
  suite_add_tcase(s, tc);
  return check_run(s);
}
