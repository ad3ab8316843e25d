/* SPDX-License-Identifier: MIT */
/*
 * diag.c - the check table, options with clang-tidy semantics, the
 * diagnostic sink and the filter pipeline from findings to printed lines.
 *
 * Pipeline (dg_run): producers fill the sink -> file arguments -> header
 * filter -> NOLINT (plus errors for unmatched NOLINTBEGIN/END) ->
 * --warnings-as-errors -> sort and deduplicate -> one writer -> counts.
 * Checks flagged DG_ALWAYS (parse errors, NOLINT misuse) skip the check,
 * header and NOLINT filters, as clang's own errors do in clang-tidy.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag_int.h"

/* ---- the table ---------------------------------------------------------------- */
const dg_check dg_checks[DG_NCHECKS] = {
    [DG_NOTLS_VIOLATION] =
        {"fnprop-notls-violation", DG_ERROR, DG_ON, "A function declared FNPROP_NOTLS touches thread-local state.",
         "The function carries the FNPROP_NOTLS contract, but a path through its calls reaches a thread-local "
         "variable, errno, or an API that observes the calling thread (pthread_self, pthread_getspecific, ...). "
         "A task running it can see which thread it runs on, so a scheduler must not migrate it. The notes walk "
         "the call path from the function to the effect.",
         "Remove the thread-local access from the path shown by the notes (pass the state in as a parameter, or "
         "declare a per-thread cache FNPROP_MIGRATION_SAFE when any thread's instance will do), or drop the "
         "FNPROP_NOTLS contract. To accept one finding, put // NOLINT(fnprop-notls-violation) on the line of the "
         "function's name in its definition."},
    [DG_NOPANIC_VIOLATION] =
        {"fnprop-nopanic-violation", DG_ERROR, DG_ON, "A function declared FNPROP_NOPANIC can end the program.",
         "The function carries the FNPROP_NOPANIC contract, but a path through its calls reaches abort, exit, a "
         "failing assert, longjmp, a noreturn function without a body, or a function declared FNPROP_PANIC. The "
         "notes walk the call path from the function to the call that ends the program.",
         "Handle the failure on the path shown by the notes by returning an error instead, compile the asserts "
         "out with -DNDEBUG where that is the intent, or drop the FNPROP_NOPANIC contract. To accept one finding, "
         "put // NOLINT(fnprop-nopanic-violation) on the line of the function's name in its "
         "definition."},
    [DG_NOTLS_UNPROVEN] =
        {"fnprop-notls-unproven", DG_WARNING, DG_ON,
         "A function declared FNPROP_NOTLS calls code fnprop cannot see into.",
         "The function carries the FNPROP_NOTLS contract and no thread-local access was found, but a path through "
         "its calls reaches an external function with no body in the program and no model, or a call through a "
         "function pointer whose targets are unknown. The contract may hold; nothing proves it.",
         "Add the missing code to the compile database, declare the external function FNPROP_NOTLS (a trusted "
         "promise) or FNPROP_TLS, or give the function-pointer type, field or parameter the FNPROP_NOTLS "
         "contract. To accept one finding, put // NOLINT(fnprop-notls-unproven) on the line of the function's "
         "name in its definition."},
    [DG_NOPANIC_UNPROVEN] =
        {"fnprop-nopanic-unproven", DG_WARNING, DG_ON,
         "A function declared FNPROP_NOPANIC calls code fnprop cannot see into.",
         "The function carries the FNPROP_NOPANIC contract and no call that ends the program was found, but a "
         "path through its calls reaches an external function with no body in the program and no model, or a "
         "call through a function pointer whose targets are unknown. The contract may hold; nothing proves it.",
         "Add the missing code to the compile database, declare the external function FNPROP_NOPANIC (a trusted "
         "promise) or FNPROP_PANIC, or give the function-pointer type, field or parameter the FNPROP_NOPANIC "
         "contract. To accept one finding, put // NOLINT(fnprop-nopanic-unproven) on the line of the function's "
         "name in its definition."},
    [DG_CONTRACT_POINTER] =
        {"fnprop-contract-pointer", DG_ERROR, DG_ON,
         "A function that is not proven is stored into, passed as or returned as a contract-annotated pointer.",
         "The address of a function is stored into a variable, field or parameter, passed as an argument or "
         "returned where the pointer carries FNPROP_NOTLS or FNPROP_NOPANIC (on the slot or on its typedef). "
         "Calls through such a pointer are trusted to keep the contract, so every function stored there must "
         "be proven. An error when the function breaks the contract (the notes walk the path to the effect), "
         "a warning when fnprop cannot see into part of it (the notes name the unresolved call).",
         "Make the stored function keep the contract (take the thread-local access or the call that ends the "
         "program off the path shown by the notes), store a different function, or drop the contract from the "
         "pointer type, field or parameter if calls through it do not need it. To accept one finding, put "
         "// NOLINT(fnprop-contract-pointer) on the line where the function's name is stored, passed or "
         "returned."},
    [DG_TASK_PINNED] =
        {"fnprop-task-pinned", DG_WARNING, DG_ON, "A task entry point will be pinned to its thread.",
         "The function is a task entry point (FNPROP_TASK, or the entry argument of an FNPROP_SPAWN(n) "
         "function) and is not proven to leave thread-local state alone, so the runtime shim never lets a "
         "scheduler migrate it between threads: a suspended task waits for its home worker and does not take "
         "part in load balancing. The notes walk the path to the thread-local use or to the call fnprop cannot "
         "see into.",
         "Take the thread-local access off the path shown by the notes (pass the state in, or declare a "
         "per-thread cache FNPROP_MIGRATION_SAFE when any thread's instance will do), or make the unresolved "
         "call visible (add its code to the compile database, or declare the external function FNPROP_NOTLS). "
         "When pinning is intended, disable the check with --checks=-fnprop-task-pinned or put "
         "// NOLINT(fnprop-task-pinned) on the line of the task function's name."},
    [DG_MISSING_ANNOTATION] =
        {"fnprop-missing-annotation", DG_SUGGESTION, 0,
         "An external function declared in a header is proven but states no contract.",
         "The function is proven !tls or !panic over the whole program, but its declaration in a header carries "
         "no FNPROP_NOTLS or FNPROP_NOPANIC. Writing the contract makes the property part of the API: other "
         "programs and function pointers can rely on it, and fnprop reports any later change that breaks it.",
         "Apply the fix-it (fnprop --checks=fnprop-missing-annotation --export-fixes=fixes.yaml, then "
         "clang-apply-replacements on the directory holding fixes.yaml), or write FNPROP_NOTLS / FNPROP_NOPANIC "
         "after the declarator in the header and include <fnprop.h>. Off by default; enable it with "
         "--checks=fnprop-missing-annotation."},
    [DG_PARSE_ERROR] =
        {"fnprop-parse-error", DG_ERROR, DG_ON | DG_ALWAYS, "A translation unit did not parse completely.",
         "libclang reported an error while parsing a translation unit of the compile database. Functions defined "
         "in it are at best unknown: an incomplete parse never proves a property.",
         "Fix the error, or the compile command (a missing include path or define) in compile_commands.json. "
         "Like a compiler error in clang-tidy, it cannot be disabled or suppressed with NOLINT."},
    [DG_NOLINT] =
        {"fnprop-nolint", DG_ERROR, DG_ON | DG_ALWAYS, "A NOLINTBEGIN or NOLINTEND comment has no partner.",
         "A NOLINTBEGIN comment is not closed by a NOLINTEND with the same check list later in the file, or a "
         "NOLINTEND closes no open NOLINTBEGIN. The comment suppresses nothing.",
         "Close each NOLINTBEGIN(checks) with a NOLINTEND(checks) spelling the very same check list, innermost "
         "block first; the same rule as clang-tidy's clang-tidy-nolint."},
};

const char *dg_level_name(dg_level l) {
  return l == DG_ERROR ? "error" : l == DG_WARNING ? "warning" : "note";
}

/* ---- globs -------------------------------------------------------------------- */
int dg_glob_match(const char *glob, size_t n, const char *name) {
  size_t g = 0, star = (size_t)-1;
  const char *s = name, *mark = NULL;
  while (*s) {
    if (g < n && glob[g] == '*') {
      star = g++;
      mark = s;
    } else if (g < n && glob[g] == *s) {
      g++, s++;
    } else if (star != (size_t)-1) {
      g = star + 1;
      s = ++mark;
    } else {
      return 0;
    }
  }
  while (g < n && glob[g] == '*') g++;
  return g == n;
}

static int dg_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int dg_globs_decide(const char *list, const char *name, int dflt) {
  int r = dflt;
  for (const char *p = list ? list : ""; *p;) {
    const char *e = p;
    while (*e && *e != ',' && *e != '\n') e++;
    const char *a = p, *b = e;
    while (a < b && dg_blank(*a)) a++;
    int positive = 1;
    if (a < b && *a == '-') positive = 0, a++;
    while (a < b && dg_blank(*a)) a++;
    while (b > a && dg_blank(b[-1])) b--;
    if (b > a && dg_glob_match(a, (size_t)(b - a), name)) r = positive;
    p = *e ? e + 1 : e;
  }
  return r;
}

/* ---- options -------------------------------------------------------------------- */
void dg_opts_init(dg_opts *o) {
  memset(o, 0, sizeof *o);
  o->format = DG_FMT_CLANG;
  o->color = -1;
}

void dg_opts_free(dg_opts *o) {
  ut_buf_free(&o->checks);
  ut_buf_free(&o->warnings_as_errors);
  free(o->header_filter);
  free(o->export_fixes);
  free(o->build_dir);
  for (size_t i = 0; i < o->files.n; i++) free(o->files.v[i]);
  free(o->files.v);
  memset(o, 0, sizeof *o);
}

static int dg_set_str(char **slot, const char *v) {
  char *s = ut_strdup(v);
  if (!s) return -1;
  free(*slot);
  *slot = s;
  return 0;
}

static int dg_append_globs(ut_buf *b, const char *v) {
  if (b->n) ut_buf_puts(b, ",");
  ut_buf_puts(b, v);
  if (!b->s) ut_buf_puts(b, "");
  return b->failed ? -1 : 0;
}

static int dg_bool(const char *v) {
  static const char *const yes[] = {"1", "true", "yes", "on", "True", "TRUE"};
  static const char *const no[] = {"0", "false", "no", "off", "False", "FALSE"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    if (!strcmp(v, yes[i])) return 1;
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
    if (!strcmp(v, no[i])) return 0;
  return -1;
}

enum { K_CHECKS, K_WAE, K_HF, K_FORMAT, K_COLOR, K_QUIET, K_FIXES, K_BUILD };

static int dg_key(const char *key) {
  static const struct { const char *cli, *config; int k; } keys[] = {
      {"checks", "Checks", K_CHECKS},           {"warnings-as-errors", "WarningsAsErrors", K_WAE},
      {"header-filter", "HeaderFilterRegex", K_HF}, {"format", "Format", K_FORMAT},
      {"color", "UseColor", K_COLOR},           {"quiet", "Quiet", K_QUIET},
      {"export-fixes", "ExportFixes", K_FIXES},  {"build-dir", "BuildDirectory", K_BUILD},
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (!strcmp(key, keys[i].cli) || !strcmp(key, keys[i].config)) return keys[i].k;
  return -1;
}

static int dg_opts_apply(dg_opts *o, int k, const char *key, const char *v, char *err, size_t n);

int dg_opts_set(dg_opts *o, const char *key, const char *v, char *err, size_t n) {
  int k = dg_key(key);
  int rc = dg_opts_apply(o, k, key, v, err, n);
  if (rc == 0) o->given |= 1u << k;
  return rc;
}

int dg_opts_set_base(dg_opts *o, const char *key, const char *v, char *err, size_t n) {
  int k = dg_key(key);
  if (k >= 0 && (o->given & (1u << k)) && k != K_CHECKS && k != K_WAE) return 0;
  if (k != K_CHECKS && k != K_WAE) return dg_opts_apply(o, k, key, v, err, n);
  /* Prepend: the base's globs first, then those already given. */
  ut_buf *b = k == K_CHECKS ? &o->checks : &o->warnings_as_errors;
  ut_buf merged = {0};
  ut_buf_puts(&merged, v ? v : "");
  if (b->n) ut_buf_puts(&merged, ","), ut_buf_add(&merged, b->s, b->n);
  if (!merged.s) ut_buf_puts(&merged, "");
  if (merged.failed) return ut_buf_free(&merged), snprintf(err, n, "out of memory"), -1;
  ut_buf_free(b);
  *b = merged;
  return 0;
}

static int dg_opts_apply(dg_opts *o, int k, const char *key, const char *v, char *err, size_t n) {
  if (!v) v = "";
  switch (k) {
  case K_CHECKS:
    if (dg_append_globs(&o->checks, v) == 0) return 0;
    break;
  case K_WAE:
    if (dg_append_globs(&o->warnings_as_errors, v) == 0) return 0;
    break;
  case K_HF: {
    regex_t re;
    int rc = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
      char why[256];
      regerror(rc, &re, why, sizeof why);
      snprintf(err, n, "invalid header-filter regular expression '%s': %s", v, why);
      return -1;
    }
    regfree(&re);
    if (dg_set_str(&o->header_filter, v) == 0) return 0;
    break;
  }
  case K_FORMAT:
    if (!strcmp(v, "clang")) o->format = DG_FMT_CLANG;
    else if (!strcmp(v, "json")) o->format = DG_FMT_JSON;
    else if (!strcmp(v, "sarif")) o->format = DG_FMT_SARIF;
    else return snprintf(err, n, "unknown format '%s'; expected 'clang', 'json' or 'sarif'", v), -1;
    return 0;
  case K_COLOR:
    if (!strcmp(v, "auto")) o->color = -1;
    else if (!strcmp(v, "always") || dg_bool(v) == 1) o->color = 1;
    else if (!strcmp(v, "never") || dg_bool(v) == 0) o->color = 0;
    else return snprintf(err, n, "unknown color setting '%s'; expected 'always', 'never' or 'auto'", v), -1;
    return 0;
  case K_QUIET:
    if (dg_bool(v) < 0) return snprintf(err, n, "invalid quiet setting '%s'; expected 'true' or 'false'", v), -1;
    o->quiet = dg_bool(v);
    return 0;
  case K_FIXES:
    if (!v[0]) return snprintf(err, n, "export-fixes needs a file name"), -1;
    if (dg_set_str(&o->export_fixes, v) == 0) return 0;
    break;
  case K_BUILD:
    if (dg_set_str(&o->build_dir, v) == 0) return 0;
    break;
  default:
    snprintf(err, n, "unknown diagnostics option '%s'", key);
    return -1;
  }
  snprintf(err, n, "out of memory");
  return -1;
}

int dg_opts_add_file(dg_opts *o, const char *path, char *err, size_t n) {
  char *real = realpath(path, NULL);
  if (!real) {
    snprintf(err, n, "cannot report on '%s': %s", path, strerror(errno));
    return -1;
  }
  if (UT_PUSH(o->files, real) < 0) {
    free(real);
    snprintf(err, n, "out of memory");
    return -1;
  }
  return 0;
}

int dg_enabled(const dg_opts *o, dg_check_id c) {
  if ((unsigned)c >= DG_NCHECKS) return 0;
  if (dg_checks[c].flags & DG_ALWAYS) return 1;
  return dg_globs_decide(o ? o->checks.s : NULL, dg_checks[c].name, (dg_checks[c].flags & DG_ON) != 0);
}

void dg_list_checks(const dg_opts *o, FILE *out) {
  fputs("Enabled checks:\n", out);
  for (int c = 0; c < DG_NCHECKS; c++)
    if (dg_enabled(o, (dg_check_id)c))
      fprintf(out, "    %-28s %-7s  %s\n", dg_checks[c].name, dg_checks[c].level == DG_SUGGESTION ? "note"
                                                                 : dg_level_name(dg_checks[c].level),
              dg_checks[c].summary);
  fputs("\n", out);
}

/* ---- the sink ------------------------------------------------------------------- */
dg_sink *dg_sink_create(const dg_opts *o, struct dg_srcs *srcs) {
  dg_sink *s = calloc(1, sizeof *s);
  if (s) s->opts = o, s->srcs = srcs;
  return s;
}

void dg_sink_destroy(dg_sink *s) {
  if (!s) return;
  for (size_t i = 0; i < s->diags.n; i++) {
    free(s->diags.v[i].notes.v);
    free(s->diags.v[i].fixes.v);
  }
  free(s->diags.v);
  ut_arena_free(&s->arena);
  free(s);
}

const char *dg_sink_str(dg_sink *s, const char *str) {
  const char *r = ut_arena_strdup(&s->arena, str ? str : "");
  if (!r) s->failed = 1;
  return r ? r : "";
}

static dg_loc dg_loc_copy(dg_sink *s, dg_loc at) {
  at.file = dg_sink_str(s, at.file);
  at.tok = at.tok ? dg_sink_str(s, at.tok) : NULL;
  return at;
}

static const char *dg_vformat(dg_sink *s, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static const char *dg_vformat(dg_sink *s, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  const char *r = "";
  if (n >= 0) {
    char *m = ut_arena_alloc(&s->arena, (size_t)n + 1);
    if (m) {
      vsnprintf(m, (size_t)n + 1, fmt, ap);
      r = m;
    } else {
      s->failed = 1;
    }
  }
  return r;
}

dg_diag *dg_report(dg_sink *s, dg_check_id c, dg_loc at, const char *func, const char *fmt, ...) {
  if (!s || !dg_enabled(s->opts, c)) return NULL;
  dg_diag d;
  memset(&d, 0, sizeof d);
  d.check = c;
  d.level = dg_checks[c].level;
  d.at = dg_loc_copy(s, at);
  d.func = func ? dg_sink_str(s, func) : NULL;
  va_list ap;
  va_start(ap, fmt);
  d.msg = dg_vformat(s, fmt, ap);
  va_end(ap);
  if (s->failed || UT_PUSH(s->diags, d) < 0) {
    s->failed = 1;
    return NULL;
  }
  return &s->diags.v[s->diags.n - 1];
}

int dg_add_note(dg_sink *s, dg_diag *d, dg_loc at, const char *fmt, ...) {
  if (!d) return 0;
  dg_note nt;
  nt.at = dg_loc_copy(s, at);
  va_list ap;
  va_start(ap, fmt);
  nt.msg = dg_vformat(s, fmt, ap);
  va_end(ap);
  if (s->failed || UT_PUSH(d->notes, nt) < 0) return s->failed = 1, -1;
  return 0;
}

int dg_add_fix(dg_sink *s, dg_diag *d, const char *file, long offset, long length, const char *text) {
  if (!d) return 0;
  dg_fix f = {dg_sink_str(s, file), offset, length, dg_sink_str(s, text)};
  if (s->failed || UT_PUSH(d->fixes, f) < 0) return s->failed = 1, -1;
  return 0;
}

/* ---- filtering -------------------------------------------------------------------- */
typedef struct dg_filter {
  const dg_opts *o;
  dg_srcs *srcs;
  ut_map mains;          /* main files of TUs */
  ut_arena keys;
  regex_t hf;
  int has_hf;
  struct { dg_src **v; size_t n, cap; } touched; /* files whose NOLINTs were read */
} dg_filter;

static int dg_main_fn(void *arg, const char *file) {
  dg_filter *f = arg;
  const char *k = ut_arena_strdup(&f->keys, file);
  return k && ut_map_put(&f->mains, k, 1) == 0 ? 0 : -1;
}

static int dg_in_files(const dg_opts *o, const char *path) {
  if (!o->files.n) return 1;
  if (!path) return 0;
  for (size_t i = 0; i < o->files.n; i++)
    if (!strcmp(o->files.v[i], path)) return 1;
  return 0;
}

/* 1 to keep, 0 when filtered out; counts suppressed ones in res. */
static int dg_keep(dg_filter *f, const dg_diag *d, dg_result *res) {
  const dg_opts *o = f->o;
  if (!dg_in_files(o, d->at.file) && !(d->unit && dg_in_files(o, d->unit))) return 0;
  if (dg_checks[d->check].flags & DG_ALWAYS) return 1;
  uint32_t dummy;
  if (d->at.file[0] && !ut_map_get(&f->mains, d->at.file, &dummy) && f->o->header_filter &&
      (!f->has_hf || regexec(&f->hf, d->at.file, 0, NULL, 0) != 0)) {
    res->non_user++;
    return 0;
  }
  dg_src *src = dg_src_get(f->srcs, d->at.file);
  if (!src) return 1;
  if (!src->nolint) {
    src->nolint = dg_nolint_parse(src);
    if (!src->nolint) return -1;
    if (UT_PUSH(f->touched, src) < 0) return -1;
  }
  if (dg_nolint_suppresses(src->nolint, d->at.line, d->at.col, dg_checks[d->check].name)) {
    res->nolint++;
    return 0;
  }
  return 1;
}

/* Unmatched NOLINTBEGIN/END of every file whose comments were consulted. */
static int dg_nolint_errors(dg_filter *f, dg_sink *s) {
  for (size_t i = 0; i < f->touched.n; i++) {
    dg_src *src = f->touched.v[i];
    int line, col, begin;
    for (size_t k = 0; dg_nolint_unmatched(src->nolint, k, &line, &col, &begin) == 0; k++) {
      dg_loc at = {src->path, line, col, NULL};
      if (begin)
        dg_report(s, DG_NOLINT, at, NULL, "unmatched 'NOLINTBEGIN' comment without a subsequent 'NOLINTEND' comment");
      else
        dg_report(s, DG_NOLINT, at, NULL, "unmatched 'NOLINTEND' comment without a previous 'NOLINTBEGIN' comment");
    }
  }
  return s->failed ? -1 : 0;
}

static int dg_diag_cmp(const void *a, const void *b) {
  const dg_diag *x = *(const dg_diag *const *)a, *y = *(const dg_diag *const *)b;
  int c = strcmp(x->at.file, y->at.file);
  if (c) return c;
  if (x->at.line != y->at.line) return x->at.line < y->at.line ? -1 : 1;
  if (x->at.col != y->at.col) return x->at.col < y->at.col ? -1 : 1;
  c = strcmp(dg_checks[x->check].name, dg_checks[y->check].name);
  if (c) return c;
  c = strcmp(x->msg, y->msg);
  if (c) return c;
  return (x > y) - (x < y);
}

static int dg_same(const dg_diag *x, const dg_diag *y) {
  return x->check == y->check && x->at.line == y->at.line && x->at.col == y->at.col &&
         !strcmp(x->at.file, y->at.file) && !strcmp(x->msg, y->msg);
}

static void dg_counts(const dg_result *r, FILE *err) {
  if (r->warnings || r->errors) {
    if (r->warnings) fprintf(err, "%ld warning%s", r->warnings, r->warnings == 1 ? "" : "s");
    if (r->warnings && r->errors) fputs(" and ", err);
    if (r->errors) fprintf(err, "%ld error%s", r->errors, r->errors == 1 ? "" : "s");
    fputs(" generated.\n", err);
  }
  long ignored = r->nolint + r->non_user;
  if (ignored) {
    fprintf(err, "Suppressed %ld warning%s (", ignored, ignored == 1 ? "" : "s");
    if (r->non_user) fprintf(err, "%ld in non-user code", r->non_user);
    if (r->non_user && r->nolint) fputs(", ", err);
    if (r->nolint) fprintf(err, "%ld NOLINT", r->nolint);
    fputs(").\n", err);
    if (r->non_user) fputs("Use --header-filter=.* to display diagnostics from every header.\n", err);
  }
  if (r->promoted)
    fprintf(err, "%ld warning%s treated as error%s\n", r->promoted, r->promoted == 1 ? "" : "s",
            r->promoted == 1 ? "" : "s");
}

static int dg_write(const dg_opts *o, dg_srcs *srcs, dg_diag **kept, size_t n, FILE *out, char *eb, size_t en) {
  char cwd[PATH_MAX];
  dg_out w = {o, srcs, getcwd(cwd, sizeof cwd) ? cwd : "/", 0, NULL, 0};
  w.color = o->color == -1 ? isatty(fileno(out)) : o->color;
  /* The writers take an array of diagnostics: copy the sorted view. */
  dg_diag *v = malloc((n + 1) * sizeof *v);
  if (!v) return snprintf(eb, en, "out of memory"), -2;
  for (size_t i = 0; i < n; i++) v[i] = *kept[i];
  int rc = o->format == DG_FMT_JSON    ? dg_write_json(&w, v, n, out)
           : o->format == DG_FMT_SARIF ? dg_write_sarif(&w, v, n, out)
                                       : dg_write_clang(&w, v, n, out);
  if (rc < 0 || fflush(out) != 0) {
    free(v);
    return snprintf(eb, en, "cannot write the diagnostics"), -2;
  }
  if (o->export_fixes) {
    FILE *f = fopen(o->export_fixes, "w");
    if (!f) {
      free(v);
      return snprintf(eb, en, "cannot write export-fixes file '%s': %s", o->export_fixes, strerror(errno)), -2;
    }
    rc = dg_write_fixes(&w, v, n, f);
    if (fclose(f) != 0 || rc < 0) {
      free(v);
      return snprintf(eb, en, "cannot write export-fixes file '%s'", o->export_fixes), -2;
    }
  }
  free(v);
  return 0;
}

int dg_run(pdb *db, const dg_opts *o, FILE *out, FILE *err, dg_result *res, char *eb, size_t en) {
  memset(res, 0, sizeof *res);
  dg_srcs srcs;
  memset(&srcs, 0, sizeof srcs);
  dg_sink *s = dg_sink_create(o, &srcs);
  dg_filter f;
  memset(&f, 0, sizeof f);
  f.o = o;
  f.srcs = &srcs;
  dg_diag **kept = NULL;
  int rc = -2;
  snprintf(eb, en, "out of memory");
  if (!s) goto done;
  if (o->header_filter && o->header_filter[0]) {
    if (regcomp(&f.hf, o->header_filter, REG_EXTENDED | REG_NOSUB) != 0) {
      snprintf(eb, en, "invalid header-filter regular expression '%s'", o->header_filter);
      goto done;
    }
    f.has_hf = 1;
  }
  dg_ctx ctx = {db, s, &srcs};
  if (dg_produce(&ctx) < 0 || pdb_each_main_file(db, dg_main_fn, &f) < 0) {
    rc = s->failed ? -2 : -1;
    goto done;
  }
  /* Filter into marks, then add NOLINT errors (which may move the array). */
  size_t produced = s->diags.n;
  unsigned char *keep = calloc(produced + 1, 1);
  if (!keep) goto done;
  for (size_t i = 0; i < produced; i++) {
    int k = dg_keep(&f, &s->diags.v[i], res);
    if (k < 0) {
      free(keep);
      goto done;
    }
    keep[i] = (unsigned char)k;
  }
  if (dg_nolint_errors(&f, s) < 0) {
    free(keep);
    goto done;
  }
  kept = malloc((s->diags.n + 1) * sizeof *kept);
  if (!kept) {
    free(keep);
    goto done;
  }
  size_t n = 0;
  for (size_t i = 0; i < s->diags.n; i++)
    if (i >= produced || keep[i]) kept[n++] = &s->diags.v[i];
  free(keep);
  for (size_t i = 0; i < n; i++) {
    dg_diag *d = kept[i];
    if (d->level < DG_ERROR && dg_globs_decide(o->warnings_as_errors.s, dg_checks[d->check].name, 0))
      d->level = DG_ERROR, d->promoted = 1;
  }
  if (n) qsort(kept, n, sizeof *kept, dg_diag_cmp);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || !dg_same(kept[m - 1], kept[i])) kept[m++] = kept[i];
  for (size_t i = 0; i < m; i++) {
    if (kept[i]->promoted) res->promoted++;
    if (kept[i]->level == DG_ERROR && !kept[i]->promoted) res->errors++;
    else res->warnings++;
  }
  rc = dg_write(o, &srcs, kept, m, out, eb, en);
  if (rc == 0 && !o->quiet) dg_counts(res, err);
  /* Promoted warnings are errors for the exit status. */
  res->errors += res->promoted;
done:
  free(kept);
  if (f.has_hf) regfree(&f.hf);
  ut_map_free(&f.mains);
  ut_arena_free(&f.keys);
  free(f.touched.v);
  dg_sink_destroy(s);
  dg_srcs_free(&srcs);
  return rc;
}

/* Sorts and deduplicates the sink's diagnostics into *out (n of them). */
static int dg_sorted(dg_sink *s, dg_diag ***out, size_t *n) {
  dg_diag **v = malloc((s->diags.n + 1) * sizeof *v);
  if (!v) return -1;
  for (size_t i = 0; i < s->diags.n; i++) v[i] = &s->diags.v[i];
  if (s->diags.n) qsort(v, s->diags.n, sizeof *v, dg_diag_cmp);
  size_t m = 0;
  for (size_t i = 0; i < s->diags.n; i++)
    if (m == 0 || !dg_same(v[m - 1], v[i])) v[m++] = v[i];
  *out = v, *n = m;
  return 0;
}

int dg_parse_errors(pdb *db, FILE *out, const char *cwd, char *eb, size_t en) {
  dg_opts o;
  dg_opts_init(&o);
  dg_srcs srcs;
  memset(&srcs, 0, sizeof srcs);
  dg_sink *s = dg_sink_create(&o, &srcs);
  dg_ctx ctx = {db, s, &srcs};
  dg_diag **v = NULL;
  size_t n = 0;
  int rc = -2;
  snprintf(eb, en, "out of memory");
  if (s && dg_produce_parse_errors(&ctx) < 0) rc = s->failed ? -2 : -1;
  else if (s && dg_sorted(s, &v, &n) == 0) {
    dg_out w = {&o, &srcs, cwd ? cwd : "/", 0, cwd, 1};
    dg_diag *flat = malloc((n + 1) * sizeof *flat);
    for (size_t i = 0; flat && i < n; i++) flat[i] = *v[i];
    rc = !flat ? -2 : dg_write_clang(&w, flat, n, out) < 0 ? (snprintf(eb, en, "cannot write the output"), -2) : (int)n;
    free(flat);
  }
  free(v);
  dg_sink_destroy(s);
  dg_srcs_free(&srcs);
  dg_opts_free(&o);
  return rc;
}
