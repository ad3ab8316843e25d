/* SPDX-License-Identifier: MIT */
/* test_diag.c - the diagnostics module's pure parts: check globs and
 * options, NOLINT comments (clang-tidy's rules), the header prototype
 * scanner behind fix-its, escaping for JSON/YAML/URIs, fingerprints; the
 * wording of contract slots and the call an argument store belongs to. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "diag_checks.h"
#include "diag_emit.h"
#include "diag_nolint.h"
#include "diag_sink.h"
#include "diag_src.h"
#include "facts.h"

static int glob(const char *g, const char *name) { return dg_glob_match(g, strlen(g), name); }

START_TEST(test_glob_match) {
  ck_assert(glob("*", "fnprop-notls-violation"));
  ck_assert(glob("fnprop-*", "fnprop-notls-violation"));
  ck_assert(glob("fnprop-*-violation", "fnprop-nopanic-violation"));
  ck_assert(glob("*-unproven", "fnprop-notls-unproven"));
  ck_assert(glob("f*n*", "fnprop-nolint"));
  ck_assert(glob("fnprop-nolint", "fnprop-nolint"));
  ck_assert(!glob("fnprop-nolint", "fnprop-nolint-x"));
  ck_assert(!glob("fnprop-*-violation", "fnprop-notls-unproven"));
  ck_assert(!glob("", "x"));
  ck_assert(glob("**", ""));
}
END_TEST

START_TEST(test_globs_decide) {
  ck_assert_int_eq(dg_globs_decide("-*,fnprop-notls-*", "fnprop-notls-violation", 1), 1);
  ck_assert_int_eq(dg_globs_decide("-*,fnprop-notls-*", "fnprop-nopanic-violation", 1), 0);
  ck_assert_int_eq(dg_globs_decide(" fnprop-* , -fnprop-missing-annotation ", "fnprop-missing-annotation", 1), 0);
  ck_assert_int_eq(dg_globs_decide("-fnprop-missing-annotation,fnprop-*", "fnprop-missing-annotation", 0), 1);
  ck_assert_int_eq(dg_globs_decide("", "x", 1), 1);
  ck_assert_int_eq(dg_globs_decide(NULL, "x", 0), 0);
  ck_assert_int_eq(dg_globs_decide("a\n-b\n", "b", 1), 0);
  ck_assert_int_eq(dg_globs_decide("- fnprop-*", "fnprop-x", 1), 0);
}
END_TEST

START_TEST(test_opts) {
  dg_opts o;
  char err[256];
  dg_opts_init(&o);
  ck_assert(dg_enabled(&o, DG_NOTLS_VIOLATION));
  ck_assert(!dg_enabled(&o, DG_MISSING_ANNOTATION));
  /* The config file's Checks first, the command line's appended: later wins. */
  ck_assert_int_eq(dg_opts_set(&o, "Checks", "-*,fnprop-missing-annotation", err, sizeof err), 0);
  ck_assert_int_eq(dg_opts_set(&o, "checks", "fnprop-notls-*", err, sizeof err), 0);
  ck_assert(dg_enabled(&o, DG_MISSING_ANNOTATION));
  ck_assert(dg_enabled(&o, DG_NOTLS_UNPROVEN));
  ck_assert(!dg_enabled(&o, DG_NOPANIC_VIOLATION));
  ck_assert(dg_enabled(&o, DG_PARSE_ERROR)); /* cannot be disabled */
  ck_assert(dg_enabled(&o, DG_NOLINT));
  ck_assert_int_eq(dg_opts_set(&o, "format", "sarif", err, sizeof err), 0);
  ck_assert_int_eq(o.format, DG_FMT_SARIF);
  ck_assert_int_eq(dg_opts_set(&o, "format", "xml", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "'xml'"));
  ck_assert_int_eq(dg_opts_set(&o, "header-filter", "(", err, sizeof err), -1);
  ck_assert_int_eq(dg_opts_set(&o, "HeaderFilterRegex", "^src/.*\\.h$", err, sizeof err), 0);
  ck_assert_str_eq(o.header_filter, "^src/.*\\.h$");
  ck_assert_int_eq(dg_opts_set(&o, "color", "never", err, sizeof err), 0);
  ck_assert_int_eq(o.color, 0);
  ck_assert_int_eq(dg_opts_set(&o, "quiet", "maybe", err, sizeof err), -1);
  ck_assert_int_eq(dg_opts_set(&o, "no-such-key", "x", err, sizeof err), -1);
  ck_assert_int_eq(dg_opts_add_file(&o, "/no/such/file.c", err, sizeof err), -1);
  ck_assert_int_eq(dg_opts_add_file(&o, ".", err, sizeof err), 0);
  ck_assert_int_eq((int)o.files.n, 1);
  ck_assert(o.files.v[0][0] == '/');
  dg_opts_free(&o);
}
END_TEST

START_TEST(test_opts_base) {
  dg_opts o;
  char err[256];
  dg_opts_init(&o);
  /* Command line first, configuration file after it: the command line wins. */
  ck_assert_int_eq(dg_opts_set(&o, "checks", "fnprop-missing-annotation", err, sizeof err), 0);
  ck_assert_int_eq(dg_opts_set(&o, "header-filter", "cli", err, sizeof err), 0);
  ck_assert_int_eq(dg_opts_set_base(&o, "Checks", "-*", err, sizeof err), 0);
  ck_assert_int_eq(dg_opts_set_base(&o, "header-filter", "config", err, sizeof err), 0);
  ck_assert_int_eq(dg_opts_set_base(&o, "warnings-as-errors", "fnprop-*", err, sizeof err), 0);
  ck_assert_str_eq(o.checks.s, "-*,fnprop-missing-annotation");
  ck_assert(dg_enabled(&o, DG_MISSING_ANNOTATION));
  ck_assert(!dg_enabled(&o, DG_NOTLS_VIOLATION));
  ck_assert_str_eq(o.header_filter, "cli");
  ck_assert_str_eq(o.warnings_as_errors.s, "fnprop-*");
  ck_assert_int_eq(dg_opts_set_base(&o, "format", "json", err, sizeof err), 0);
  ck_assert_int_eq(o.format, DG_FMT_JSON);
  dg_opts_free(&o);
}
END_TEST

START_TEST(test_table) {
  for (int i = 0; i < DG_NCHECKS; i++) {
    const dg_check *c = &dg_checks[i];
    ck_assert_msg(c->name && !strncmp(c->name, "fnprop-", 7), "check %d has no fnprop- name", i);
    ck_assert(c->summary && c->summary[0] && c->description && c->description[0] && c->help && c->help[0]);
    for (int j = 0; j < i; j++) ck_assert_str_ne(c->name, dg_checks[j].name);
  }
}
END_TEST

START_TEST(test_new_checks_in_table) {
  dg_opts o;
  dg_opts_init(&o);
  ck_assert_str_eq(dg_checks[DG_CONTRACT_POINTER].name, "fnprop-contract-pointer");
  ck_assert_str_eq(dg_checks[DG_TASK_PINNED].name, "fnprop-task-pinned");
  ck_assert_str_eq(dg_checks[DG_TASK_UNMIGRATABLE].name, "fnprop-task-unmigratable");
  ck_assert(dg_enabled(&o, DG_CONTRACT_POINTER));
  /* the stage-1 view is off by default, the shim's default (stage-3) gating is on */
  ck_assert(!dg_enabled(&o, DG_TASK_PINNED));
  ck_assert(dg_enabled(&o, DG_TASK_UNMIGRATABLE));
  ck_assert_int_eq(dg_checks[DG_TASK_UNMIGRATABLE].level, DG_WARNING);
  /* violated stores are errors (unknown ones are lowered to warnings by the producer) */
  ck_assert_int_eq(dg_checks[DG_CONTRACT_POINTER].level, DG_ERROR);
  ck_assert_int_eq(dg_checks[DG_TASK_PINNED].level, DG_WARNING);
  char err[128];
  ck_assert_int_eq(dg_opts_set(&o, "checks", "fnprop-task-pinned", err, sizeof err), 0);
  ck_assert(dg_enabled(&o, DG_TASK_PINNED));
  ck_assert_int_eq(dg_opts_set(&o, "checks", "-fnprop-task-*", err, sizeof err), 0);
  ck_assert(!dg_enabled(&o, DG_TASK_PINNED));
  ck_assert(!dg_enabled(&o, DG_TASK_UNMIGRATABLE));
  ck_assert(dg_enabled(&o, DG_CONTRACT_POINTER));
  dg_opts_free(&o);
}
END_TEST

/* ---- contract slots -------------------------------------------------------------- */
START_TEST(test_usr_name) {
  char n[64], r[64];
  ck_assert_int_eq(dg_usr_name("c:@S@job@FI@run", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(n, "run");
  ck_assert_str_eq(r, "struct job");
  ck_assert_int_eq(dg_usr_name("c:@U@val@FI@fn", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(r, "union val");
  ck_assert_int_eq(dg_usr_name("c:@SA@job_t@FI@run", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(n, "run");
  ck_assert_str_eq(r, "job_t");
  ck_assert_int_eq(dg_usr_name("c:@global_slot", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(n, "global_slot");
  ck_assert_str_eq(r, "");
  ck_assert_int_eq(dg_usr_name("c:slots.c@783@F@use@local", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(n, "local");
  ck_assert_str_eq(r, "");
  ck_assert_int_eq(dg_usr_name("c:slots.c@783", n, sizeof n, r, sizeof r), 0); /* no identifier */
  ck_assert_str_eq(n, "");
  ck_assert_int_eq(dg_usr_name("", n, sizeof n, r, sizeof r), 0);
  ck_assert_int_eq(dg_usr_name(NULL, n, sizeof n, r, sizeof r), 0);
  ck_assert_int_eq(dg_usr_name("c:@S@a b@FI@x", n, sizeof n, r, sizeof r), 1);
  ck_assert_str_eq(n, "x");
  ck_assert_str_eq(r, ""); /* not an identifier: the record is left out */
}
END_TEST

START_TEST(test_store_place) {
  char b[256];
  dg_store_place(b, sizeof b, FT_SLOT_FIELD, "c:@S@job@FI@run", NULL, 0, "f", "FNPROP_NOTLS");
  ck_assert_str_eq(b, "stored into field 'run' of 'struct job', which is declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_VAR, "c:@hook", NULL, 0, NULL, "FNPROP_NOPANIC");
  ck_assert_str_eq(b, "stored into variable 'hook', which is declared FNPROP_NOPANIC");
  dg_store_place(b, sizeof b, FT_SLOT_PARAM, "c:a.c@9@F@f@fn", NULL, 0, "f", "FNPROP_NOTLS");
  ck_assert_str_eq(b, "stored into parameter 'fn', which is declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_VAR, "c:a.c@9", NULL, 0, NULL, "FNPROP_NOTLS");
  ck_assert_str_eq(b, "stored into a variable declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_ARG, "", "run_job", 2, "main", "FNPROP_NOTLS");
  ck_assert_str_eq(b, "passed as argument 2 of 'run_job', a parameter declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_ARG, "", NULL, 0, "main", "FNPROP_NOTLS");
  ck_assert_str_eq(b, "passed as an argument for a parameter declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_RETURN, "", NULL, 0, "pick", "FNPROP_NOTLS");
  ck_assert_str_eq(b, "returned from 'pick', whose result is declared FNPROP_NOTLS");
  dg_store_place(b, sizeof b, FT_SLOT_RETURN, "", NULL, 0, NULL, "FNPROP_NOTLS");
  ck_assert_str_eq(b, "returned as a result declared FNPROP_NOTLS");
}
END_TEST

/* The call of the argument at the first '@' of text (removed). */
static int call_of(const char *text, char *callee, int *arg) {
  const char *at = strchr(text, '@');
  ck_assert_ptr_nonnull(at);
  size_t len = strlen(text);
  char *t = malloc(len);
  memcpy(t, text, (size_t)(at - text));
  memcpy(t + (at - text), at + 1, len - (size_t)(at - text));
  dg_src s;
  ck_assert_int_eq(dg_src_init_text(&s, "t.c", t, len - 1), 0);
  int line, col;
  dg_src_pos(&s, (size_t)(at - text), &line, &col);
  int rc = dg_call_of_arg(&s, line, col, callee, 64, arg);
  dg_src_clear(&s);
  free(t);
  return rc;
}

START_TEST(test_call_of_arg) {
  char c[64];
  int a = 0;
  ck_assert_int_eq(call_of("  run_job(@f, NULL);", c, &a), 1);
  ck_assert_str_eq(c, "run_job");
  ck_assert_int_eq(a, 1);
  ck_assert_int_eq(call_of("x = spawn (pool, g(1, 2), a[3], @f);", c, &a), 1);
  ck_assert_str_eq(c, "spawn");
  ck_assert_int_eq(a, 4);
  ck_assert_int_eq(call_of("later(/* (x, y) */ 1, \"),\"[0], ',', // (, or\n   @f);", c, &a), 1);
  ck_assert_str_eq(c, "later");
  ck_assert_int_eq(a, 4);
  ck_assert_int_eq(call_of("run((job_fn)@f);", c, &a), 1); /* a cast inside the argument */
  ck_assert_str_eq(c, "run");
  ck_assert_int_eq(call_of("x = (job_fn)@f;", c, &a), 0); /* a cast is not a call */
  ck_assert_int_eq(call_of("#define RUN(x) run(x)\n@f);", c, &a), 0); /* a directive */
  ck_assert_int_eq(call_of("(*table[2])(1, @f);", c, &a), 0); /* through a pointer */
  ck_assert_int_eq(call_of("if (@f) x();", c, &a), 0);
  ck_assert_int_eq(call_of("return @f;", c, &a), 0);
  ck_assert_int_eq(call_of("g(1); job_fn x = @f;", c, &a), 0);
  ck_assert_int_eq(call_of("run(c ? @f : g);", c, &a), 0);
  ck_assert_int_eq(call_of("run(a == b, @f);", c, &a), 1);
  ck_assert_int_eq(a, 2);
}
END_TEST

/* ---- NOLINT ------------------------------------------------------------------- */
static dg_nolint *nolint_of(dg_src *s, const char *text) {
  ck_assert_int_eq(dg_src_init_text(s, "t.c", text, strlen(text)), 0);
  dg_nolint *n = dg_nolint_parse(s);
  ck_assert_ptr_nonnull(n);
  return n;
}

START_TEST(test_nolint_line_forms) {
  dg_src s;
  dg_nolint *n = nolint_of(&s, "a; // NOLINT\n"                          /* 1 */
                               "b; // NOLINT(fnprop-notls-*)\n"          /* 2 */
                               "c; // NOLINT (fnprop-nopanic-x)\n"       /* 3: space: all */
                               "d; // NOLINT()\n"                        /* 4: nothing */
                               "e; // NOLINT(-fnprop-*)\n"               /* 5: nothing */
                               "f; // NOLINT(fnprop-x\n"                 /* 6: unclosed: all */
                               "// NOLINTNEXTLINE(fnprop-a, fnprop-b)\n" /* 7 */
                               "g;\n"                                    /* 8 */
                               "h; // NOLINTFOO xNOLINTx\n"              /* 9: not keywords */
                               "i; /* NOLINT(bugprone-*,*-violation) */\n");
  const char *v = "fnprop-notls-violation";
  ck_assert(dg_nolint_suppresses(n, 1, 1, v));
  ck_assert(dg_nolint_suppresses(n, 2, 1, v));
  ck_assert(!dg_nolint_suppresses(n, 2, 1, "fnprop-nopanic-violation"));
  ck_assert(dg_nolint_suppresses(n, 3, 1, v));
  ck_assert(!dg_nolint_suppresses(n, 4, 1, v));
  ck_assert(!dg_nolint_suppresses(n, 5, 1, v));
  ck_assert(dg_nolint_suppresses(n, 6, 1, v));
  ck_assert(!dg_nolint_suppresses(n, 7, 1, "fnprop-b"));
  ck_assert(dg_nolint_suppresses(n, 8, 1, "fnprop-b"));
  ck_assert(!dg_nolint_suppresses(n, 8, 1, "fnprop-c"));
  ck_assert(!dg_nolint_suppresses(n, 9, 1, v));
  ck_assert(dg_nolint_suppresses(n, 10, 1, v));
  ck_assert(!dg_nolint_suppresses(n, 11, 1, v));
  int line, col, begin;
  ck_assert_int_eq(dg_nolint_unmatched(n, 0, &line, &col, &begin), -1);
  dg_nolint_free(n);
  dg_src_clear(&s);
}
END_TEST

START_TEST(test_nolint_blocks) {
  dg_src s;
  dg_nolint *n = nolint_of(&s, "// NOLINTBEGIN(fnprop-a)\n" /* 1 */
                               "x;\n"                       /* 2 */
                               "// NOLINTBEGIN\n"           /* 3 */
                               "y;\n"                       /* 4 */
                               "// NOLINTEND\n"             /* 5 */
                               "z;\n"                       /* 6 */
                               "// NOLINTEND(fnprop-a)\n"   /* 7 */
                               "w;\n"                       /* 8 */
                               "// NOLINTBEGIN(fnprop-b)\n" /* 9 */
                               "v;\n"                       /* 10 */
                               "// NOLINTEND(fnprop-c)\n"   /* 11 */
                               "// NOLINTEND\n");           /* 12 */
  ck_assert(dg_nolint_suppresses(n, 2, 1, "fnprop-a"));
  ck_assert(!dg_nolint_suppresses(n, 2, 1, "fnprop-b"));
  ck_assert(dg_nolint_suppresses(n, 4, 1, "fnprop-b"));
  ck_assert(dg_nolint_suppresses(n, 6, 1, "fnprop-a"));
  ck_assert(!dg_nolint_suppresses(n, 8, 1, "fnprop-a"));
  ck_assert(!dg_nolint_suppresses(n, 10, 1, "fnprop-b")); /* its END has another list */
  int line, col, begin;
  ck_assert_int_eq(dg_nolint_unmatched(n, 0, &line, &col, &begin), 0);
  ck_assert_int_eq(line, 9);
  ck_assert_int_eq(col, 4);
  ck_assert(begin);
  ck_assert_int_eq(dg_nolint_unmatched(n, 1, &line, &col, &begin), 0);
  ck_assert_int_eq(line, 11);
  ck_assert(!begin);
  ck_assert_int_eq(dg_nolint_unmatched(n, 2, &line, &col, &begin), 0);
  ck_assert_int_eq(line, 12);
  ck_assert_int_eq(dg_nolint_unmatched(n, 3, &line, &col, &begin), -1);
  dg_nolint_free(n);
  dg_src_clear(&s);
}
END_TEST

/* ---- prototypes ------------------------------------------------------------------ */
typedef struct found {
  char names[16][32];
  size_t ins[16], at[16];
  int n;
} found;

static int collect(void *arg, const dg_proto *p) {
  found *f = arg;
  if (f->n < 16) {
    snprintf(f->names[f->n], sizeof f->names[0], "%.*s", (int)p->name_len, p->name);
    f->ins[f->n] = p->insert_off;
    f->at[f->n] = p->name_off;
    f->n++;
  }
  return 0;
}

static found scan(const char *text) {
  found f;
  memset(&f, 0, sizeof f);
  ck_assert_int_eq(dg_scan_prototypes(text, strlen(text), collect, &f), 0);
  return f;
}

START_TEST(test_scan_prototypes) {
  const char *h = "#ifndef X_H\n#define X_H\n#define M(a) f(a);\n"
                  "/* int commented(void); */\n"
                  "extern \"C\" {\n"
                  "int plain(int a) ;\n"
                  "typedef int fn_t(int);\n"
                  "int (*fp)(int);\n"
                  "static inline int defined(void) { return call(1); }\n"
                  "struct s { int (*f)(void); int g(int); };\n"
                  "int a(void), b(int x);\n"
                  "int attr(const char *s, ...) __attribute__((format(printf, 1, 2)));\n"
                  "int v = init(3);\n"
                  "const char *str = \"x(\";\n"
                  "}\n#endif\n";
  found f = scan(h);
  ck_assert_int_eq(f.n, 4);
  ck_assert_str_eq(f.names[0], "plain");
  ck_assert_int_eq(f.ins[0], (size_t)(strstr(h, "int a) ;") + 6 - h));
  ck_assert_str_eq(f.names[1], "a");
  ck_assert_int_eq(f.ins[1], (size_t)(strstr(h, "a(void),") + 7 - h));
  ck_assert_str_eq(f.names[2], "b");
  ck_assert_int_eq(f.ins[2], (size_t)(strstr(h, "b(int x);") + 8 - h));
  ck_assert_str_eq(f.names[3], "attr");
  ck_assert_int_eq(f.ins[3], (size_t)(strstr(h, ")));") + 3 - h));
}
END_TEST

START_TEST(test_scan_macro_prefix) {
  const char *h = "API(int) exported(void);\nint late(void) LATE_ATTR(1);\n";
  found f = scan(h);
  ck_assert_int_eq(f.n, 4);
  ck_assert_str_eq(f.names[1], "exported");
  ck_assert_int_eq(f.ins[1], (size_t)(strchr(h, ';') - h));
  ck_assert_str_eq(f.names[2], "late");
  ck_assert_int_eq(f.ins[2], (size_t)(strstr(h, "(1);") + 3 - h));
}
END_TEST

START_TEST(test_include_offset) {
  int present;
  const char *a = "/* c */\n#ifndef A\n#define A\n#include <stdio.h>\n# include \"b.h\"\nint f(void);\n";
  ck_assert_int_eq(dg_include_offset(a, strlen(a), (size_t)(strstr(a, "int f") - a), &present),
                   (size_t)(strstr(a, "int f") - a));
  ck_assert(!present);
  const char *b = "// guard\n#ifndef B\n#define B\nint f(void);\n#endif\n";
  ck_assert_int_eq(dg_include_offset(b, strlen(b), (size_t)(strstr(b, "int f") - b), &present),
                   (size_t)(strstr(b, "int f") - b));
  const char *c = "#pragma once\nint f(void);\n";
  ck_assert_int_eq(dg_include_offset(c, strlen(c), 13, &present), 13);
  const char *d = "int f(void);\n";
  ck_assert_int_eq(dg_include_offset(d, strlen(d), 0, &present), 0);
  const char *e = "#include \"include/fnprop.h\"\nint f(void);\n";
  dg_include_offset(e, strlen(e), 28, &present);
  ck_assert(present);
  const char *g = "#include <notfnprop.h>\nint f(void);\n";
  dg_include_offset(g, strlen(g), 23, &present);
  ck_assert(!present);
  /* Includes inside a conditional block are not where every configuration
   * sees the new one: after the guard's #define, or after a top-level one. */
  const char *w = "#ifndef W\n#define W\n#if defined(_WIN32)\n#include <windows.h>\n#else\n#include <pthread.h>\n"
                  "#endif\nint f(void);\n#endif\n";
  ck_assert_int_eq(dg_include_offset(w, strlen(w), (size_t)(strstr(w, "int f") - w), &present),
                   (size_t)(strstr(w, "#if defined") - w));
  const char *t = "#include <stddef.h>\n#ifdef X\n#include <x.h>\n#endif\nint f(void);\n";
  ck_assert_int_eq(dg_include_offset(t, strlen(t), (size_t)(strstr(t, "int f") - t), &present),
                   (size_t)(strstr(t, "#ifdef") - t));
  /* an #ifndef that is not followed by its #define is a conditional block */
  const char *u = "#ifndef NO_X\n#include <x.h>\n#endif\nint f(void);\n";
  ck_assert_int_eq(dg_include_offset(u, strlen(u), (size_t)(strstr(u, "int f") - u), &present), 0);
  const char *v = "#ifdef X\n#include \"fnprop.h\"\n#endif\nint f(void);\n";
  dg_include_offset(v, strlen(v), (size_t)(strstr(v, "int f") - v), &present);
  ck_assert(!present);
}
END_TEST

/* ---- escaping ---------------------------------------------------------------------- */
static char *esc(void (*fn)(ut_buf *, const char *), const char *s) {
  ut_buf b = {0};
  fn(&b, s);
  ut_buf_add(&b, "", 1);
  return b.s;
}

START_TEST(test_yaml_escaping) {
  char *s = esc(dg_yaml_str, "it's a 'name': #x");
  ck_assert_str_eq(s, "'it''s a ''name'': #x'");
  free(s);
  s = esc(dg_yaml_str, "two\nlines \"q\" \\");
  ck_assert_str_eq(s, "\"two\\nlines \\\"q\\\" \\\\\"");
  free(s);
  s = esc(dg_yaml_str, "");
  ck_assert_str_eq(s, "''");
  free(s);
}
END_TEST

START_TEST(test_uri_escaping) {
  char *s = esc(dg_uri_path, "/a b/%x#?\xc3\xa9/ok-._~");
  ck_assert_str_eq(s, "/a%20b/%25x%23%3F%C3%A9/ok-._~");
  free(s);
}
END_TEST

START_TEST(test_fingerprint) {
  dg_src a, b;
  ck_assert_int_eq(dg_src_init_text(&a, "f.c", "x\nint  f(void) { return t; }\n", 29), 0);
  ck_assert_int_eq(dg_src_init_text(&b, "f.c", "\n\n\nint f(void) {return t;}\r\n", 27), 0);
  dg_diag d;
  memset(&d, 0, sizeof d);
  d.check = DG_NOTLS_VIOLATION;
  d.func = "f";
  d.msg = "m1";
  d.at.line = 2;
  uint64_t h1 = dg_fingerprint(&d, &a);
  d.at.line = 4;
  d.msg = "another wording";
  ck_assert(dg_fingerprint(&d, &b) == h1); /* line number and blanks do not count */
  d.check = DG_NOTLS_UNPROVEN;
  ck_assert(dg_fingerprint(&d, &b) != h1);
  d.check = DG_NOTLS_VIOLATION;
  d.func = "g";
  ck_assert(dg_fingerprint(&d, &b) != h1);
  dg_src_clear(&a);
  dg_src_clear(&b);
}
END_TEST

START_TEST(test_src_lines) {
  dg_src s;
  const char *t = "one\r\ntwo\n\nlast";
  ck_assert_int_eq(dg_src_init_text(&s, "x.c", t, strlen(t)), 0);
  const char *l;
  size_t n;
  ck_assert_int_eq(dg_src_line(&s, 1, &l, &n), 0);
  ck_assert_int_eq((int)n, 3);
  ck_assert_int_eq(dg_src_line(&s, 3, &l, &n), 0);
  ck_assert_int_eq((int)n, 0);
  ck_assert_int_eq(dg_src_line(&s, 4, &l, &n), 0);
  ck_assert(n == 4 && !memcmp(l, "last", 4));
  ck_assert_int_eq(dg_src_line(&s, 5, &l, &n), -1);
  ck_assert_int_eq(dg_src_offset(&s, 2, 2), 6);
  ck_assert_int_eq(dg_src_offset(&s, 2, 9), -1);
  int line, col;
  dg_src_pos(&s, 6, &line, &col);
  ck_assert(line == 2 && col == 2);
  dg_src_clear(&s);
}
END_TEST

START_TEST(test_sink) {
  dg_opts o;
  char err[128];
  dg_opts_init(&o);
  ck_assert_int_eq(dg_opts_set(&o, "checks", "-fnprop-notls-*", err, sizeof err), 0);
  dg_sink *s = dg_sink_create(&o, NULL);
  dg_loc at = {"a.c", 3, 5, "f"};
  ck_assert_ptr_null(dg_report(s, DG_NOTLS_VIOLATION, at, "f", "off"));
  dg_diag *d = dg_report(s, DG_NOPANIC_VIOLATION, at, "f", "function '%s' %d", "f", 7);
  ck_assert_ptr_nonnull(d);
  ck_assert_str_eq(d->msg, "function 'f' 7");
  ck_assert_int_eq(dg_add_note(s, d, at, "note %s", "n"), 0);
  ck_assert_int_eq(dg_add_fix(s, d, "a.h", 10, 0, " FNPROP_NOTLS"), 0);
  ck_assert_int_eq((int)d->notes.n, 1);
  ck_assert_str_eq(d->notes.v[0].msg, "note n");
  ck_assert_str_eq(d->fixes.v[0].text, " FNPROP_NOTLS");
  ck_assert(d->at.file != at.file); /* copied */
  dg_sink_destroy(s);
  dg_opts_free(&o);
}
END_TEST

int main(void) {
  Suite *s = suite_create("diag");
  TCase *tc = tcase_create("options");
  tcase_add_test(tc, test_glob_match);
  tcase_add_test(tc, test_globs_decide);
  tcase_add_test(tc, test_opts);
  tcase_add_test(tc, test_opts_base);
  tcase_add_test(tc, test_table);
  tcase_add_test(tc, test_new_checks_in_table);
  tcase_add_test(tc, test_sink);
  suite_add_tcase(s, tc);
  tc = tcase_create("slots");
  tcase_add_test(tc, test_usr_name);
  tcase_add_test(tc, test_store_place);
  tcase_add_test(tc, test_call_of_arg);
  suite_add_tcase(s, tc);
  tc = tcase_create("nolint");
  tcase_add_test(tc, test_nolint_line_forms);
  tcase_add_test(tc, test_nolint_blocks);
  suite_add_tcase(s, tc);
  tc = tcase_create("sources");
  tcase_add_test(tc, test_scan_prototypes);
  tcase_add_test(tc, test_scan_macro_prefix);
  tcase_add_test(tc, test_include_offset);
  tcase_add_test(tc, test_src_lines);
  suite_add_tcase(s, tc);
  tc = tcase_create("escaping");
  tcase_add_test(tc, test_yaml_escaping);
  tcase_add_test(tc, test_uri_escaping);
  tcase_add_test(tc, test_fingerprint);
  suite_add_tcase(s, tc);
  return check_run(s);
}
