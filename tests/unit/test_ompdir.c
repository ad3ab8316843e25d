/* SPDX-License-Identifier: MIT */
/* test_ompdir.c - OpenMP directives parsed from their tokens: kinds, task
 * clauses, scheduling points, names to resolve, and what is refused. */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "ompdir.h"

/* A tiny C tokenizer for the tests: words, numbers, strings and the
 * punctuation OpenMP clauses use. */
typedef struct toks {
  od_token t[64];
  char buf[64][32];
  uint8_t role[64];
  size_t n;
} toks;

static void lex(toks *k, const char *s) {
  static const char *const kw[] = {"for", "if", "default", "static", "auto", "sizeof", "int"};
  static const char *const two[] = {"&&", "||", "->", "<=", ">=", "==", "!="};
  k->n = 0;
  while (*s) {
    if (*s == ' ') {
      s++;
      continue;
    }
    size_t len = 1;
    uint8_t kind = OD_T_PUNCT;
    if (isalpha((unsigned char)*s) || *s == '_') {
      while (isalnum((unsigned char)s[len]) || s[len] == '_') len++;
      kind = OD_T_IDENT;
    } else if (isdigit((unsigned char)*s)) {
      while (isalnum((unsigned char)s[len])) len++;
      kind = OD_T_LITERAL;
    } else if (*s == '"') {
      while (s[len] && s[len] != '"') len++;
      len++;
      kind = OD_T_LITERAL;
    } else {
      for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
        if (!strncmp(s, two[i], 2)) len = 2;
    }
    ck_assert(k->n < 64 && len < 32);
    memcpy(k->buf[k->n], s, len);
    k->buf[k->n][len] = '\0';
    for (size_t i = 0; kind == OD_T_IDENT && i < sizeof kw / sizeof kw[0]; i++)
      if (!strcmp(k->buf[k->n], kw[i])) kind = OD_T_KEYWORD;
    k->t[k->n].s = k->buf[k->n];
    k->t[k->n].kind = kind;
    k->n++;
    s += len;
  }
}

static int parse(toks *k, od_directive *d, const char *s) {
  lex(k, s);
  d->role = k->role;
  return od_parse(k->t, k->n, d);
}

/* The role of the first token spelled w. */
static int role_of(const toks *k, const char *w) {
  for (size_t i = 0; i < k->n; i++)
    if (!strcmp(k->t[i].s, w)) return k->role[i];
  ck_abort_msg("no token '%s'", w);
  return -1;
}

START_TEST(test_task_clauses) {
  toks k;
  od_directive d;
  ck_assert(parse(&k, &d, "task untied if(n > CUTOFF) final(depth(x) > 3) mergeable firstprivate(i) shared(s)"));
  ck_assert_str_eq(d.name, "task");
  ck_assert_uint_eq(d.flags & (OD_BLOCK | OD_TASK | OD_UNTIED | OD_IF | OD_FINAL | OD_MERGEABLE),
                    OD_BLOCK | OD_TASK | OD_UNTIED | OD_IF | OD_FINAL | OD_MERGEABLE);
  ck_assert_uint_eq(d.rt, 1u << OD_RT_TASK);
  ck_assert_int_eq(role_of(&k, "n"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "CUTOFF"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "depth"), OD_R_CALL);
  ck_assert_int_eq(role_of(&k, "i"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "untied"), OD_R_NONE);
  ck_assert_int_eq(role_of(&k, "if"), OD_R_NONE);
  ck_assert(parse(&k, &d, "task"));
  ck_assert_uint_eq(d.flags & (OD_UNTIED | OD_IF | OD_FINAL | OD_MERGEABLE), 0);
}
END_TEST

START_TEST(test_combined_and_scheduling_points) {
  toks k;
  od_directive d;
  ck_assert(parse(&k, &d, "parallel for simd schedule(dynamic, chunk) reduction(+ : s) num_threads(nt())"));
  ck_assert_str_eq(d.name, "parallel for simd");
  ck_assert_uint_eq(d.flags & (OD_BLOCK | OD_LOOP | OD_FORK), OD_BLOCK | OD_LOOP | OD_FORK);
  ck_assert_uint_eq(d.rt, (1u << OD_RT_FORK) | (1u << OD_RT_BARRIER));
  ck_assert_int_eq(role_of(&k, "chunk"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "s"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "nt"), OD_R_CALL);
  ck_assert(parse(&k, &d, "for nowait"));
  ck_assert_uint_eq(d.rt, 0); /* nowait: no implicit barrier */
  ck_assert(parse(&k, &d, "single"));
  ck_assert_uint_eq(d.rt, 1u << OD_RT_BARRIER);
  ck_assert(parse(&k, &d, "taskyield"));
  ck_assert_uint_eq(d.flags & OD_BLOCK, 0);
  ck_assert_uint_eq(d.rt, 1u << OD_RT_TASKYIELD);
  ck_assert(parse(&k, &d, "taskwait"));
  ck_assert_uint_eq(d.rt, 1u << OD_RT_TASKWAIT);
  ck_assert(parse(&k, &d, "barrier"));
  ck_assert_uint_eq(d.rt, 1u << OD_RT_BARRIER);
  ck_assert(parse(&k, &d, "taskgroup"));
  ck_assert_uint_eq(d.rt, 1u << OD_RT_TASKGROUP_END);
  ck_assert(parse(&k, &d, "taskloop grainsize(g) untied"));
  ck_assert_uint_eq(d.flags & (OD_TASK | OD_TASKLOOP | OD_LOOP | OD_UNTIED),
                    OD_TASK | OD_TASKLOOP | OD_LOOP | OD_UNTIED);
  ck_assert_uint_eq(d.rt, (1u << OD_RT_TASKLOOP) | (1u << OD_RT_TASKGROUP_END));
  ck_assert(parse(&k, &d, "taskloop nogroup"));
  ck_assert_uint_eq(d.rt, 1u << OD_RT_TASKLOOP);
  ck_assert(parse(&k, &d, "parallel master taskloop simd"));
  ck_assert_uint_eq(d.flags & (OD_FORK | OD_TASK), OD_FORK | OD_TASK);
  ck_assert(parse(&k, &d, "critical(lock_name) hint(4)"));
  ck_assert_int_eq(role_of(&k, "lock_name"), OD_R_NONE);
  ck_assert(parse(&k, &d, "atomic update seq_cst"));
  ck_assert(parse(&k, &d, "cancellation point taskgroup"));
  ck_assert(parse(&k, &d, "cancel for if(stop)"));
  ck_assert_int_eq(role_of(&k, "stop"), OD_R_NAME);
}
END_TEST

START_TEST(test_ordered_and_error) {
  toks k;
  od_directive d;
  ck_assert(parse(&k, &d, "ordered"));
  ck_assert(d.flags & OD_BLOCK);
  ck_assert(parse(&k, &d, "ordered depend(sink: i - 1)"));
  ck_assert(!(d.flags & OD_BLOCK));
  ck_assert_int_eq(role_of(&k, "i"), OD_R_NAME);
  ck_assert(parse(&k, &d, "error at(execution) message(\"bad\")"));
  ck_assert(d.flags & OD_PANIC);
  ck_assert_uint_eq(d.rt, 1u << OD_RT_ERROR);
  ck_assert(parse(&k, &d, "error at(execution) severity(warning)"));
  ck_assert(!(d.flags & OD_PANIC));
  ck_assert(parse(&k, &d, "error"));
  ck_assert(!(d.flags & OD_PANIC)); /* at(compilation): the build fails instead */
}
END_TEST

START_TEST(test_lists) {
  toks k;
  od_directive d;
  ck_assert(parse(&k, &d, "threadprivate(counter, cache)"));
  ck_assert(d.flags & OD_THREADPRIVATE);
  ck_assert_int_eq(role_of(&k, "counter"), OD_R_TPNAME);
  ck_assert_int_eq(role_of(&k, "cache"), OD_R_TPNAME);
  ck_assert(parse(&k, &d, "parallel copyin(counter) private(p)"));
  ck_assert_int_eq(role_of(&k, "counter"), OD_R_NAME);
  ck_assert(parse(&k, &d, "simd linear(val(x) : 2) aligned(a : 16)"));
  ck_assert_int_eq(role_of(&k, "val"), OD_R_NONE);
  ck_assert_int_eq(role_of(&k, "x"), OD_R_NAME);
  ck_assert(parse(&k, &d, "task depend(in : p->next) affinity(q)"));
  ck_assert_int_eq(role_of(&k, "p"), OD_R_NAME);
  ck_assert_int_eq(role_of(&k, "next"), OD_R_NONE); /* a member */
  ck_assert(parse(&k, &d, "flush(a, b)"));
  ck_assert_int_eq(role_of(&k, "a"), OD_R_NAME);
  ck_assert(parse(&k, &d, "parallel for reduction(max : m) reduction(inscan, + : s)"));
}
END_TEST

START_TEST(test_not_understood) {
  toks k;
  od_directive d;
  ck_assert(!parse(&k, &d, "target teams distribute parallel for"));
  ck_assert_str_eq(d.unknown, "directive 'target'");
  ck_assert(!parse(&k, &d, "declare reduction(merge : int : omp_out += omp_in)"));
  ck_assert_str_eq(d.unknown, "directive 'declare'");
  ck_assert(!parse(&k, &d, "parallel for reduction(merge : x)"));
  ck_assert_str_eq(d.unknown, "user-defined reduction 'merge'");
  ck_assert(!parse(&k, &d, "parallel map(to : a)"));
  ck_assert_str_eq(d.unknown, "clause 'map'");
  ck_assert(!parse(&k, &d, "task if(n"));
  ck_assert(!parse(&k, &d, ""));
  ck_assert(!parse(&k, &d, "metadirective when(user = {condition(n)} : parallel)"));
  ck_assert(!parse(&k, &d, "task num_threads"));
}
END_TEST

START_TEST(test_text) {
  toks k;
  char buf[64];
  lex(&k, "task untied if(i > 2) shared(s, t)");
  od_text(k.t, k.n, buf, sizeof buf);
  ck_assert_str_eq(buf, "task untied if(i > 2) shared(s, t)");
  od_text(k.t, k.n, buf, 12);
  ck_assert_uint_eq(strlen(buf), 11);
  ck_assert_str_eq(buf + 8, "...");
  ck_assert_str_eq(od_rt_name(OD_RT_TASKYIELD), "__kmpc_omp_taskyield");
  ck_assert_str_eq(od_rt_name(99), "?");
}
END_TEST

int main(void) {
  Suite *s = suite_create("ompdir");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, test_task_clauses);
  tcase_add_test(tc, test_combined_and_scheduling_points);
  tcase_add_test(tc, test_ordered_and_error);
  tcase_add_test(tc, test_lists);
  tcase_add_test(tc, test_not_understood);
  tcase_add_test(tc, test_text);
  suite_add_tcase(s, tc);
  return check_run(s);
}
