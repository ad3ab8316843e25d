/* SPDX-License-Identifier: MIT */
/*
 * rt_gen_table.c - writes test_gen's verdict table with xc_write, the writer
 * behind `fnprop export --format=c`.
 *
 * Invariant: rows for test_gen.c's entries carry the verdicts test_gen.c
 * expects, and the hostile rows (quotes, backslashes, newlines, non-ASCII,
 * trigraph look-alikes) must survive -Wall -Wextra -Werror unharmed.
 *
 * usage: rt-gen-table ABSOLUTE-PATH-OF-test_gen.c HASH > gen_table.c
 */
#include <stdio.h>

#include "export_c.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: rt-gen-table TEST_GEN_C HASH > gen_table.c\n");
    return 2;
  }
  const xc_entry rows[] = {
      {"gen_proven", argv[1], 0, 0, 0, 0},
      {"gen_unknown", argv[1], 0, 1, 0, 1},
      {"gen_violated", argv[1], 0, 2, 2, 2},
      {"gen_hostile_name", "/q/\"quoted\" dir/back\\slash/new\nline/caf\xc3\xa9/?\?=/x.c", 1, 0, 0, 0},
      {"we\"ird\\na\nme\xff", "/tmp/a.c", 1, 2, 1, 2},
      {"gen_other_file", "/nowhere/else.c", 0, 0, 0, 0},
      {"gen_stage3", argv[1], 0, 2, 0, 0}, /* tls violated, migrate proven */
      {"gen_stage3_unknown", argv[1], 0, 2, 0, 1},
  };
  if (xc_write(stdout, rows, sizeof rows / sizeof rows[0], argv[2]) != 0) {
    fprintf(stderr, "rt-gen-table: error: cannot write the table\n");
    return 1;
  }
  return 0;
}
