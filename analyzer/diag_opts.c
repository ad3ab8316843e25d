/* SPDX-License-Identifier: MIT */
/*
 * diag_opts.c - the check table, globs and options with clang-tidy's
 * semantics.
 *
 * Invariant: the same key means the same thing in `.fnprop` and on the
 * command line; the command line wins (dg_opts_set_base).
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag_opts.h"

/* ---- the table ---------------------------------------------------------------- */
const dg_check dg_checks[DG_NCHECKS] = {
#define DG_CHECK(id, name, level, flags, producer, summary, description, help)                                         \
  [DG_##id] = {name, level, flags, summary, description, help},
#include "diag_checks.def"
#undef DG_CHECK
};

const char *dg_level_name(dg_level l) { return l == DG_ERROR ? "error" : l == DG_WARNING ? "warning" : "note"; }

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
  free(o->baseline);
  free(o->write_baseline);
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

enum { K_CHECKS, K_WAE, K_HF, K_FORMAT, K_COLOR, K_QUIET, K_FIXES, K_BUILD, K_BASELINE, K_WRITE_BASELINE };

static int dg_key(const char *key) {
  static const struct {
    const char *cli, *config;
    int k;
  } keys[] = {
      {"checks", "Checks", K_CHECKS},
      {"warnings-as-errors", "WarningsAsErrors", K_WAE},
      {"header-filter", "HeaderFilterRegex", K_HF},
      {"format", "Format", K_FORMAT},
      {"color", "UseColor", K_COLOR},
      {"quiet", "Quiet", K_QUIET},
      {"export-fixes", "ExportFixes", K_FIXES},
      {"build-dir", "BuildDirectory", K_BUILD},
      {"baseline", "Baseline", K_BASELINE},
      {"write-baseline", "WriteBaseline", K_WRITE_BASELINE},
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
  case K_BASELINE:
  case K_WRITE_BASELINE:
    if (!v[0]) return snprintf(err, n, "%s needs a file name", key), -1;
    /* a baseline that cannot be read fails now, not after the analysis */
    if (k == K_BASELINE && access(v, R_OK) != 0)
      return snprintf(err, n, "cannot read baseline '%s': %s (write one with --write-baseline=FILE)", v,
                      strerror(errno)),
             -1;
    if (dg_set_str(k == K_BASELINE ? &o->baseline : &o->write_baseline, v) == 0) return 0;
    break;
  default: snprintf(err, n, "unknown diagnostics option '%s'", key); return -1;
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

/* Levenshtein distance of a[0..n) and b, both short (check names). */
static size_t dg_distance(const char *a, size_t n, const char *b) {
  size_t m = strlen(b), row[128];
  if (n >= 127 || m >= 127) return (size_t)-1;
  for (size_t j = 0; j <= m; j++) row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[m];
}

int dg_opts_require_checks(const dg_opts *o, char *err, size_t n) {
  for (int c = 0; c < DG_NCHECKS; c++)
    if (dg_globs_decide(o->checks.s, dg_checks[c].name, (dg_checks[c].flags & DG_ON) != 0)) return 0;
  int len = snprintf(err, n, "no checks enabled");
  for (const char *p = o->checks.s ? o->checks.s : ""; *p && len >= 0 && (size_t)len < n;) {
    const char *e = p;
    while (*e && *e != ',' && *e != '\n') e++;
    const char *a = p, *b = e;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) b--;
    p = *e ? e + 1 : e;
    if (a == b || *a == '-') continue;
    int matches = 0, best = -1;
    size_t dist = (size_t)-1;
    for (int c = 0; c < DG_NCHECKS; c++) {
      matches |= dg_glob_match(a, (size_t)(b - a), dg_checks[c].name);
      size_t d = dg_distance(a, (size_t)(b - a), dg_checks[c].name);
      if (d < dist) dist = d, best = c;
    }
    if (matches) continue;
    len += snprintf(err + len, n - (size_t)len, "; glob '%.*s' matches no check", (int)(b - a), a);
    if (best >= 0 && dist <= 4 && (size_t)len < n)
      len += snprintf(err + len, n - (size_t)len, " (did you mean '%s'?)", dg_checks[best].name);
  }
  if (len >= 0 && (size_t)len < n)
    snprintf(err + len, n - (size_t)len, " (fnprop --list-checks --checks='*' lists every check)");
  return -1;
}

void dg_list_checks(const dg_opts *o, FILE *out) {
  fputs("Enabled checks:\n", out);
  for (int c = 0; c < DG_NCHECKS; c++)
    if (dg_enabled(o, (dg_check_id)c))
      fprintf(out, "    %-28s %-7s  %s\n", dg_checks[c].name,
              dg_checks[c].level == DG_SUGGESTION ? "note" : dg_level_name(dg_checks[c].level), dg_checks[c].summary);
  fputs("\n", out);
}
