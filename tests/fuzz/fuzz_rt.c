/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rt.c - libFuzzer harness for the runtime shim's matching: the file
 * identity rule that pairs a registration's file with a verdict-table row,
 * the hash comparison, and a whole table + registrations + queries.
 *
 * Input: lines.  Line 1 and 2 are two paths (a relative registration never
 * matches, NULL never matches); line 3 a hash.  Then rows "name file tls" and
 * registrations "+name file"; a registered entry may migrate only when
 * exactly its own rows all say proven (tls 0) - the fail-safe rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnprop_rtInt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_MAX = 64 };

static volatile int fz_sink;
static void fz_fn0(void) { fz_sink = 0; } /* distinct bodies: no folding */
static void fz_fn1(void) { fz_sink = 1; }
static void fz_fn2(void) { fz_sink = 2; }
static void fz_fn3(void) { fz_sink = 3; }
static fnprop_rt_fn const fz_fns[4] = {fz_fn0, fz_fn1, fz_fn2, fz_fn3};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  char *lines[3 + 2 * FZ_MAX] = {0};
  int nl = 0;
  for (char *p = text; p && nl < 3 + 2 * FZ_MAX; nl++) {
    lines[nl] = p;
    p = strchr(p, '\n');
    if (p) *p++ = '\0';
  }
  const char *a = lines[0] ? lines[0] : "", *b = lines[1] ? lines[1] : "";
  /* A relative registration never matches; an absolute one that does not
   * exist matches exactly its lexical normal form. */
  if (a[0] != '/' && fnprop_rt__same_file(a, b)) abort();
  if (fnprop_rt__hash_equal(a, b) != fnprop_rt__hash_equal(b, a)) abort();
  if (fnprop_rt__same_file(a, NULL) || fnprop_rt__same_file(NULL, b) || fnprop_rt__hash_equal(NULL, b)) abort();

  static fnprop_rt_row rows[FZ_MAX];
  static fnprop_rt_reg regs[4];
  size_t nrows = 0, nregs = 0;
  for (int i = 3; i < nl; i++) {
    char *l = lines[i], *sp1 = strchr(l, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (l[0] == '+' && sp1 && nregs < 4) {
      *sp1 = '\0';
      fnprop_rt_reg r = {fz_fns[nregs], l + 1, sp1 + 1, NULL, NULL};
      regs[nregs++] = r;
    } else if (sp1 && sp2 && nrows < FZ_MAX) {
      *sp1 = *sp2 = '\0';
      fnprop_rt_row r = {l, sp1 + 1, 1, (unsigned char)(sp2[1] % 4), 0, (unsigned char)(sp2[1] / 4 % 4)};
      rows[nrows++] = r;
    }
  }
  fnprop_rt_table t = {FNPROP_RT_TABLE_ABI, lines[2] ? lines[2] : "", nrows, rows};
  fnprop_rt_set_log(NULL);
  for (size_t i = 0; i < nregs; i++) fnprop_rt_register2(&regs[i]);
  int st = fnprop_rt_init(&t, lines[2] ? lines[2] : "");
  for (size_t i = 0; i < nregs; i++) {
    int may = fnprop_rt_may_migrate_fn(regs[i].fn);
    /* The oracle: some row matches, and every matching row says proven. */
    int any = 0, all = 1;
    for (size_t r = 0; r < nrows; r++) {
      if (strcmp(rows[r].name, regs[i].name) != 0 || !fnprop_rt__same_file(regs[i].file, rows[r].file)) continue;
      any = 1;
      if (rows[r].tls != FNPROP_RT_PROVEN) all = 0;
    }
    /* Two registrations of one function body are distinct pointers here. */
    if (may && !(st == FNPROP_RT_OK && any && all)) abort();
    if (!may && st == FNPROP_RT_OK && any && all) abort();
    (void)fnprop_rt_reason_name(fnprop_rt_why((const void *)regs[i].fn));
  }
  if (fnprop_rt_may_migrate((const void *)LLVMFuzzerTestOneInput)) abort(); /* never registered */
  for (size_t i = 0; i < nregs; i++) fnprop_rt_unregister2(&regs[i]);
  fnprop_rt_shutdown();
  free(text);
  return 0;
}
